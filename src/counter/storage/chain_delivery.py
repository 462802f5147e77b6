"""Each counter's delivery changes: one chain per counter, `deliveries:<code>`.

Like the sales, the chain is per counter (its sales already lock the counter); its head is
made with the counter (and, for counters older than deliveries, by migration 0008) and
written through `ChainWriter` like every other chain. The refunds are one chain of
`storage.chain.CHAINS`.
"""

from __future__ import annotations

from counter.i18n import N_
from counter.storage.chain import REFUND_CHAIN, Chain

__all__ = ["CHANGE_FIELDS", "DELIVERIES_PREFIX", "REFUND_CHAIN", "delivery_chain"]

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
DELIVERIES_PREFIX = "deliveries:"  # the head name of a counter's chain: `deliveries:A`


def delivery_chain(counter_code: str) -> Chain:
    """The chain of one counter's delivery changes."""
    return Chain(
        f"{DELIVERIES_PREFIX}{counter_code}",
        "delivery_change",
        "delivery_changes",
        CHANGE_FIELDS,
        N_("Delivery change"),
    )
