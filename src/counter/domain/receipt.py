"""A receipt's facts, and what a printer answers: plain values every layer may hold.

`Receipt` says what one printed receipt tells about one sale (money in minor units,
never floats, no rendering); `counter.printing` turns it into paper. `PrintResult` is a
printer's answer in words for the clerk, because a printer never raises: a sale is
recorded before its receipt prints, so a failed print must never look like a failed sale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Literal

PaidCurrency = Literal["USD", "KHR"]
PaidBy = Literal["cash", "khqr"]
SlipKind = Literal["delivery", "refund"]


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
    # Every payment line ((currency, minor), in order); empty: the one line above.
    paid_lines: tuple[tuple[PaidCurrency, int], ...] = ()
    riel_per_usd: int | None = None  # the sale's rate, shown when riel changed hands
    footer: str = ""
    copy_printed_at: datetime | None = None
    tz: tzinfo | None = None
    # The sale's check code (`7KQ4M-2XDP9`): the witness key's MAC of its point in the
    # ledger's chain; `counter doctor --code` checks the ledger still holds that point.
    check_code: str = ""
    # Issue 15, for a channel other than `assumed`: the delivery's state as printed
    # (`PENDING`, `delivered`, `FAILED`, ...), our reference and the provider's.
    delivery_state: str | None = None
    delivery_reference: str | None = None
    provider_ref: str | None = None
    # A slip printed after the receipt, as its own print job: `delivery` (the final
    # answer came) or `refund` (the cash given back, per currency, and why).
    slip: SlipKind | None = None
    slip_printed_at: datetime | None = None
    refund_lines: tuple[tuple[PaidCurrency, int], ...] = ()
    refund_reason: str = ""
    # Issue 16: a sale paid by KHQR (a bank transfer, nothing in the drawer, no change)
    # and the bank's reference as the ledger keeps it ("" when none was given).
    paid_by: PaidBy = "cash"
    bank_ref: str = ""

    def __post_init__(self) -> None:
        _require_aware("created_at", self.created_at)
        if self.copy_printed_at is not None:
            _require_aware("copy_printed_at", self.copy_printed_at)
        if self.slip_printed_at is not None:
            _require_aware("slip_printed_at", self.slip_printed_at)
        if self.paid_currency not in ("USD", "KHR"):
            raise ValueError(f"paid_currency must be 'USD' or 'KHR', not {self.paid_currency!r}")
        if not self.receipt_no.strip():
            raise ValueError("a receipt needs a receipt number")

    @property
    def lines(self) -> tuple[tuple[PaidCurrency, int], ...]:
        """What was handed over, line by line."""
        return self.paid_lines or ((self.paid_currency, self.paid_minor),)

    @property
    def amount_khr(self) -> int | None:
        """The amount in whole riel at the sale's rate (halves up), when riel changed hands."""
        riel = self.change_khr or any(currency == "KHR" for currency, _m in self.lines)
        if self.riel_per_usd is None or not riel:
            return None
        return (self.amount_cents * self.riel_per_usd + 50) // 100

    @property
    def is_copy(self) -> bool:
        return self.copy_printed_at is not None

    @property
    def local_created_at(self) -> datetime:
        return self._local(self.created_at)

    @property
    def local_copy_printed_at(self) -> datetime | None:
        return None if self.copy_printed_at is None else self._local(self.copy_printed_at)

    @property
    def local_slip_printed_at(self) -> datetime | None:
        return None if self.slip_printed_at is None else self._local(self.slip_printed_at)

    def _local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz) if self.tz is not None else moment


def _require_aware(name: str, moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a time-zone aware datetime")


@dataclass(frozen=True)
class PrintResult:
    """The outcome of one print: `message` says what happened, for the clerk."""

    ok: bool
    message: str
    path: Path | None = None


@dataclass(frozen=True)
class SlipJob:
    """A slip waiting in the print queue: the final `state` of the sale's delivery it tells
    (`delivered`, `failed` or `reversed`: each happens at most once to a delivery)."""

    id: int
    sale_id: int
    state: str
    attempts: int
    claimed_at: datetime | None = None


@dataclass(frozen=True)
class ReceiptWording:
    """What the shop prints on every receipt besides the sale: its address and last line."""

    shop_address: str = ""
    footer: str = ""
