"""The hash rule of delivery changes and refunds: the one rule of `storage.chain`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from counter.storage.chain import _digest, _digest_values

CHANGE_FIELDS = (
    "delivery_id",
    "counter_code",
    "reference",
    "seq",
    "state",
    "previous",
    "at",
    "actor",
    "provider_ref",
    "reason",
    "evidence",
)
REFUND_FIELDS = (
    "sale_id",
    "delivery_id",
    "business_date",
    "created_at",
    "usd_cents",
    "khr",
    "amount_cents",
    "state",
    "reason",
    "by_name",
)
REFUND_CHAIN = "refunds"


def delivery_chain(counter_code: str) -> str:
    """Each counter's delivery changes are one chain (its sales already lock the counter)."""
    return f"deliveries:{counter_code}"


def change_hash(row: Any, prev_hash: str) -> str:
    return _digest("delivery_change", CHANGE_FIELDS, row, prev_hash)


def change_hash_of(values: Mapping[str, Any], prev_hash: str) -> str:
    return _digest_values("delivery_change", CHANGE_FIELDS, values, prev_hash)


def refund_hash(row: Any, prev_hash: str) -> str:
    return _digest("refund", REFUND_FIELDS, row, prev_hash)


def refund_hash_of(values: Mapping[str, Any], prev_hash: str) -> str:
    return _digest_values("refund", REFUND_FIELDS, values, prev_hash)
