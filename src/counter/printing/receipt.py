"""The receipt as facts, and the words every renderer prints for them.

`Receipt` holds plain data (no rendering, no database rows). `sections()` turns it into
labelled lines, so the PDF renderer and a later ESC/POS renderer print the same words;
only the look differs. Text here stays in plain Latin script (riel written as `riel`,
not `៛`) because the built-in PDF fonts and thermal printer code pages have no Khmer glyphs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Literal

from counter.domain.money import format_usd

PaidCurrency = Literal["USD", "KHR"]

DATE_FORMAT = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class Receipt:
    """What one printed receipt says about one sale. Money in minor units, never floats.

    `created_at` and `copy_printed_at` must be time-zone aware; they are shown in `tz`
    (the shop's zone) when given, else in their own zone. A receipt with
    `copy_printed_at` set is a reprint: it says COPY and when it was reprinted.
    """

    shop_name: str
    shop_address: str
    receipt_no: str
    created_at: datetime
    counter_code: str
    clerk_name: str
    operator_name: str
    balance_code: str
    number_display: str  # already grouped (or masked) for reading: `012 345 678`
    amount_cents: int
    validity_days: int | None
    paid_currency: PaidCurrency
    paid_minor: int  # cents when paid in USD, whole riel when paid in KHR
    change_usd_cents: int
    change_khr: int
    operator_ref: str | None = None
    footer: str = ""
    copy_printed_at: datetime | None = None
    tz: tzinfo | None = None

    def __post_init__(self) -> None:
        _require_aware("created_at", self.created_at)
        if self.copy_printed_at is not None:
            _require_aware("copy_printed_at", self.copy_printed_at)
        if self.paid_currency not in ("USD", "KHR"):
            raise ValueError(f"paid_currency must be 'USD' or 'KHR', not {self.paid_currency!r}")
        if not self.receipt_no.strip():
            raise ValueError("a receipt needs a receipt number")

    @property
    def is_copy(self) -> bool:
        return self.copy_printed_at is not None

    @property
    def local_created_at(self) -> datetime:
        return self._local(self.created_at)

    @property
    def local_copy_printed_at(self) -> datetime | None:
        return None if self.copy_printed_at is None else self._local(self.copy_printed_at)

    def _local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz) if self.tz is not None else moment


def _require_aware(name: str, moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a time-zone aware datetime")


@dataclass(frozen=True)
class ReceiptLine:
    """One labelled line. `large` lines (the number, the amount) are printed big."""

    label: str
    value: str
    large: bool = False


def format_riel(riel: int) -> str:
    """`1,000 riel`: the receipt's riel, in letters every printer font has."""
    return f"{riel:,} riel"


def format_paid(receipt: Receipt) -> str:
    if receipt.paid_currency == "USD":
        return format_usd(receipt.paid_minor)
    return format_riel(receipt.paid_minor)


def copy_banner(receipt: Receipt) -> tuple[str, str] | None:
    """`("COPY", "Reprinted 2026-11-21 09:30")` for a reprint, else None."""
    reprinted = receipt.local_copy_printed_at
    if reprinted is None:
        return None
    return "COPY", f"Reprinted {reprinted.strftime(DATE_FORMAT)}"


def header_lines(receipt: Receipt) -> list[str]:
    """Shop name first, then its address (if any)."""
    return [text for text in (receipt.shop_name, receipt.shop_address) if text.strip()]


def sections(receipt: Receipt) -> list[list[ReceiptLine]]:
    """The receipt's body in groups; renderers draw a rule between groups."""
    return [_sale_section(receipt), _topup_section(receipt), _payment_section(receipt)]


def lines(receipt: Receipt) -> list[ReceiptLine]:
    """Every body line in order, without the grouping."""
    return [line for section in sections(receipt) for line in section]


def _sale_section(receipt: Receipt) -> list[ReceiptLine]:
    return [
        ReceiptLine("Receipt", receipt.receipt_no),
        ReceiptLine("Date", receipt.local_created_at.strftime(DATE_FORMAT)),
        ReceiptLine("Counter", receipt.counter_code),
        ReceiptLine("Clerk", receipt.clerk_name),
    ]


def _topup_section(receipt: Receipt) -> list[ReceiptLine]:
    found = [
        ReceiptLine("Operator", receipt.operator_name),
        ReceiptLine("Number", receipt.number_display, large=True),
        ReceiptLine("Amount", format_usd(receipt.amount_cents), large=True),
    ]
    if receipt.validity_days is not None:
        found.append(ReceiptLine("Validity", f"+{receipt.validity_days} days"))
    if receipt.balance_code.strip():
        found.append(ReceiptLine("Check balance", receipt.balance_code))
    return found


def _payment_section(receipt: Receipt) -> list[ReceiptLine]:
    found = [ReceiptLine(f"Paid ({receipt.paid_currency})", format_paid(receipt))]
    if receipt.change_usd_cents:
        found.append(ReceiptLine("Change (USD)", format_usd(receipt.change_usd_cents)))
    if receipt.change_khr:
        found.append(ReceiptLine("Change (riel)", format_riel(receipt.change_khr)))
    if not receipt.change_usd_cents and not receipt.change_khr:
        found.append(ReceiptLine("Change", "none"))
    if receipt.operator_ref:
        found.append(ReceiptLine("Operator ref", receipt.operator_ref))
    return found
