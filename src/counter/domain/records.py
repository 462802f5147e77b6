"""What the ledger records, as plain values: sales, voids, users, the drawer, day closes.

These frozen dataclasses are the only thing that crosses a layer: repositories take and
return them, use cases work with them, the CLI and the screen show them. Never a
database row, so nothing outside storage can change the ledger by accident.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path

from counter.domain.cash import Payment, Tender
from counter.domain.errors import NotAUtcTime
from counter.domain.money import Currency


class Role(StrEnum):
    """Who may do what: clerk sells, supervisor voids and unlocks, admin manages users."""

    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return {Role.CLERK: 0, Role.SUPERVISOR: 1, Role.ADMIN: 2}[self]

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank

    @property
    def word(self) -> str:
        """The role as the reader says it (`clerk`, in Chinese `店员`); `value` is the code."""
        from counter.i18n import _

        words = {Role.CLERK: _("clerk"), Role.SUPERVISOR: _("supervisor"), Role.ADMIN: _("admin")}
        return words[self]


def receipt_label(counter_code: str, seq: int) -> str:
    """`A-000042`: the counter code, then at least six digits."""
    return f"{counter_code}-{seq:06d}"


def utc(moment: datetime) -> datetime:
    """`moment` as UTC, or NotAUtcTime: a naive time, or one in another zone, is refused.

    The ledger keeps UTC only, and hashes what it keeps: a shop-local time that slipped in
    would be hashed with its `+07:00` and stored without it, and `counter doctor` would
    then call the row changed. So a time in another zone is a caller's mistake, said at the
    boundary, never converted quietly."""
    offset = moment.utcoffset()
    if offset is None or offset:
        raise NotAUtcTime(moment)
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: Role
    active: bool
    failed_attempts: int = 0
    locked_until: datetime | None = None
    language: str | None = None
    theme: str | None = None  # the screen's colours: `default`, `light`, `contrast`; None: shop's


@dataclass(frozen=True)
class Account:
    """A user with the hash of their PIN: only the log-in ever sees the hash."""

    user: User
    pin_hash: str = field(repr=False)


@dataclass(frozen=True)
class Approval:
    """A supervisor's name and PIN typed to approve one action (a void, a close, a restock)."""

    name: str
    pin: str = field(repr=False)


@dataclass(frozen=True)
class Sale:
    """One recorded top-up. Never edited: a correction is a Void naming it."""

    id: int
    receipt_no: str
    counter_code: str
    clerk_id: int
    clerk_name: str
    created_at: datetime  # UTC
    business_date: date
    operator_id: str
    msisdn: str  # E.164
    amount_cents: int
    validity_days: int | None
    payment: Payment  # what the customer handed over, line by line
    riel_per_usd: int
    change_usd_cents: int
    change_khr: int
    rounding_khr: int
    operator_ref: str | None
    idempotency_key: str
    shift_id: int | None = None  # None: recorded before shifts (shift 1 of its day)
    voided: bool = False

    @property
    def paid_usd_cents(self) -> int:
        """Dollars handed over in cash."""
        return self.payment.minor(Currency.USD, Tender.CASH)

    @property
    def paid_khr(self) -> int:
        """Riel handed over in cash."""
        return self.payment.minor(Currency.KHR, Tender.CASH)

    @property
    def amount_khr(self) -> int:
        """The top-up's worth in whole riel at the sale's rate (halves up)."""
        return (self.amount_cents * self.riel_per_usd + 50) // 100

    @property
    def status(self) -> str:
        return "voided" if self.voided else "sold"

    @property
    def receipt_seq(self) -> int:
        return int(self.receipt_no.rsplit("-", 1)[1])


@dataclass(frozen=True)
class NewSale:
    """A sale checked by every rule, before it gets its receipt number and chain hash."""

    clerk_id: int
    created_at: datetime
    business_date: date
    operator_id: str
    msisdn: str
    amount_cents: int
    validity_days: int | None
    payment: Payment
    riel_per_usd: int
    change_usd_cents: int
    change_khr: int
    rounding_khr: int
    operator_ref: str | None
    idempotency_key: str
    shift_id: int | None = None


@dataclass(frozen=True)
class SaleContext:
    """Everything a sale must know from the ledger, read in one go under the counter's lock."""

    riel_per_usd: int | None  # None: no rate in the ledger (the settings' default applies)
    clerk_name: str | None  # None: no such user, or disabled
    clerk_role: Role | None  # the clerk's role now (it decides the opening-cash rule)
    next_receipt: int | None  # None: the counter is not in the ledger
    last_sale_hash: str
    day_closed: bool  # the calendar day's close stands (not reopened)
    open_shift_id: int | None  # the counter's open shift, if any
    shift_day: date | None  # the open shift's business day (its sales belong to it)
    key_taken: bool
    duplicate_id: int | None  # the latest same sale (number, amount) within the window
    number_sold_cents: int  # the number's sales of the day, for the daily cap (0 if not asked)
    # False: the counter's numbering was changed outside the app (its seal does not match);
    # no receipt number is given out until `counter doctor` has been run.
    numbering_sealed: bool = True
    last_closed_day: date | None = None


@dataclass(frozen=True)
class Void:
    id: int
    sale_id: int
    receipt_no: str
    requested_by: str
    approved_by: str
    created_at: datetime
    reason: str
    amount_cents: int = 0


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    detail: str  # JSON text


@dataclass(frozen=True)
class ShopInfo:
    """The shop as this counter sees it: printed on receipts, shown on the screen."""

    name: str
    address: str
    counter_code: str
    riel_per_usd: int
    created: datetime


@dataclass(frozen=True)
class OpeningCash:
    """The cash in a counter's drawer at the start of a business day: entered once."""

    counter_code: str
    business_date: date
    usd_cents: int
    khr: int
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class FloatMove:
    """A restock of an operator's airtime stock (positive), or a correction with its reason."""

    operator_id: str
    kind: str  # `restock` or `correction`
    amount_cents: int
    ref: str | None
    reason: str | None
    by_user: int
    at: datetime


@dataclass(frozen=True)
class DayClose:
    """A recorded day close of one counter (its Z report): the drawer expected and counted."""

    id: int
    counter_code: str
    business_date: date
    closed_at: datetime
    closed_by: str
    counted_by: str
    opening_usd_cents: int
    opening_khr: int
    expected_usd_cents: int
    expected_khr: int
    counted_usd_cents: int
    counted_khr: int
    sales_count: int
    sales_cents: int
    close_no: int = 1  # 2 after a reopening, and so on
    report_path: Path | None = None
    report_error: str | None = None
    code: str = ""  # the Z code printed on its report (its checkpoint's), when just closed
    # The Z on the receipt roll, when just closed on the screen: None when no roll printer
    # is set; `roll_message` says what the printer did (a failure never undoes the close).
    roll_printed: bool | None = None
    roll_message: str = ""

    @property
    def difference_usd_cents(self) -> int:
        return self.counted_usd_cents - self.expected_usd_cents

    @property
    def difference_khr(self) -> int:
        return self.counted_khr - self.expected_khr


@dataclass(frozen=True)
class NewDayClose:
    """A close before it is appended to its chain: who, when, and the figures counted."""

    counter_code: str
    business_date: date
    closed_at: datetime
    closed_by: int
    counted_by: str
    opening_usd_cents: int
    opening_khr: int
    expected_usd_cents: int
    expected_khr: int
    counted_usd_cents: int
    counted_khr: int
    sales_count: int
    sales_cents: int
    close_no: int = 1


@dataclass(frozen=True)
class Numbering:
    """A counter's locked numbering state: the next receipt number and the sales chain head,
    the last closed day, and whether its seal matches (False: changed outside the app)."""

    code: str
    next_receipt: int
    last_sale_hash: str
    last_closed_day: date | None = None
    sealed: bool = True


@dataclass(frozen=True)
class Checkpoint:
    """Every chain's head at one moment, recorded in the ledger: at a day close (its code
    is printed on the Z report), a backup, a restore. `code` is `Z-17-7KQ4-M2XD-P9AB-C3EF`
    (empty without a witness key)."""

    id: int
    at: datetime
    counter_code: str
    reason: str  # `day_close`, `backup`, `restore`, `reseal`
    ref: str
    code: str


@dataclass(frozen=True)
class ReceiptGap:
    """Receipt numbers never given out on purpose: lost in a restore, recorded as such."""

    counter_code: str
    first_seq: int
    last_seq: int
    business_date: date
    at: datetime
    reason: str

    @property
    def first(self) -> str:
        return receipt_label(self.counter_code, self.first_seq)

    @property
    def last(self) -> str:
        return receipt_label(self.counter_code, self.last_seq)


@dataclass(frozen=True)
class DoctorReport:
    """What `counter doctor` found: problems (exit 1), notes, and what it checked against.

    `witnessed` names each witness checked (a witness log, a code from paper);
    `unverified` says what cannot be ruled out without one.
    """

    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    witnessed: tuple[str, ...] = ()
    unverified: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class PrintClaim:
    """A pending original receipt claimed by this worker: `attempt` is its claim token."""

    job_id: int
    attempt: int


@dataclass(frozen=True)
class PrintJob:
    """One row of the print queue: an original (one per sale) or a reprint (copy)."""

    id: int
    sale_id: int
    copy: bool
    status: str  # `pending`, `printed`, `failed`
    attempts: int
    last_error: str | None
    created_at: datetime
    claimed_at: datetime | None
    printed_at: datetime | None
