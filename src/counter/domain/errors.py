"""Every refusal the app explains to a person, in one hierarchy.

Each error carries its sentence (what happened, in the active language) and the data it
is about (the operator, the amount, the receipt, the day), so a front end can add what to
do in its own words: the CLI names a command, the screen names a key. Nothing here names
a command or a key.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from counter.i18n import _, format_usd_for, ngettext

if TYPE_CHECKING:
    from counter.domain.delivery import DeliveryState
    from counter.domain.records import Sale


class CounterError(Exception):
    """Base for every refusal the app explains to a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


# --- what was typed and the rules ----------------------------------------------------------


class NumberError(CounterError):
    """A phone number that cannot be topped up, and why."""


class AmountError(CounterError):
    """A typed amount that is not a valid amount of money, and why."""


class PaymentError(CounterError):
    """Cash received that does not cover the sale."""


class UnsafeText(CounterError):
    """Text with a character the ledger refuses (a control character, a bidi override or
    isolate, another invisible format character); `field` names where it was typed."""

    def __init__(self, field: str, code: str, name: str = "") -> None:
        character = f"{code} ({name})" if name else code
        super().__init__(
            _(
                "{field} contains {character}, an invisible control or formatting character "
                "that could hide or reorder what is shown: type it again without it."
            ).format(field=field, character=character)
        )
        self.field = field
        self.code = code


class RulesError(CounterError):
    """An operator rules file that cannot be used; names the file and the field."""


class SettingsError(CounterError):
    """Settings that cannot be used; names the file or variable and the field."""


class KeymapError(CounterError):
    """The `keys` setting cannot be used: an unknown binding id, or two actions on one key."""


class ReportDataError(CounterError):
    """Ledger records the report cannot trust: names the receipt and what is wrong."""


# --- the ledger itself ---------------------------------------------------------------------


class Fault(StrEnum):
    """What kind of database failure a StorageError is, for the advice a front end adds."""

    FULL = "full"
    READ_ONLY = "read_only"
    BUSY = "busy"
    CONFLICT = "conflict"
    CANNOT_OPEN = "cannot_open"
    DAMAGED = "damaged"
    UNREACHABLE = "unreachable"
    REFUSED = "refused"
    BACKUP = "backup"


class StorageError(CounterError):
    """The ledger could not be read or written; `fault` says what kind of failure."""

    def __init__(self, message: str, *, fault: Fault = Fault.REFUSED) -> None:
        super().__init__(message)
        self.fault = fault


class KeyTaken(StorageError):
    """A record with the same unique key is already in the ledger (another counter was first).

    `key` names which: `sale` (the idempotency key), `receipt`, `void`, `user`, `counter`,
    `opening_cash`, `day_close`.
    """

    def __init__(self, key: str) -> None:
        super().__init__(
            _("The ledger already has this record ({key}); nothing was recorded twice.").format(
                key=key
            ),
            fault=Fault.CONFLICT,
        )
        self.key = key


class NotInitialised(CounterError):
    """No ledger yet, or this machine's counter is not in it: set-up comes first.

    `reason`: `no_ledger` (nothing set up at `place`), `unknown_counter` (this machine's
    `code` is not in the ledger), `which_counter` (several counters, none chosen).
    """

    def __init__(self, message: str, *, reason: str = "no_ledger", code: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.code = code


class LedgerExists(CounterError):
    """`init` on a ledger that is already set up: it is never overwritten."""


class BackupByServer(CounterError):
    """A PostgreSQL ledger is not copied by Counter: the server's own tools back it up."""

    def __init__(self) -> None:
        super().__init__(_("A PostgreSQL ledger is backed up with the server's own tools."))


class NewerLedger(CounterError):
    """The ledger was made by a newer Counter: refused before anything is copied or changed."""

    def __init__(self, place: str, revision: str, known: str) -> None:
        super().__init__(
            _(
                "{place} was made by a newer Counter (ledger schema {theirs}); this Counter "
                "knows schemas up to {ours}. Install the newer Counter: nothing was changed "
                "or copied."
            ).format(place=place, theirs=revision, ours=known)
        )
        self.revision = revision
        self.known = known


# --- people --------------------------------------------------------------------------------


class AuthError(CounterError):
    """Unknown user, wrong PIN, locked or disabled account."""


class NotAllowed(CounterError):
    """The user's role does not allow this action."""


class UserError(CounterError):
    """A user change that cannot be made: bad PIN, name taken, last admin..."""


class NoSuchUser(UserError):
    """A user change names someone the ledger does not know."""

    def __init__(self, name: str) -> None:
        super().__init__(_("No user named {name!r}.").format(name=name.strip()))
        self.name = name.strip()


class PepperMissing(UserError):
    """No pepper on this machine: PINs cannot be checked or set."""


# --- sales ---------------------------------------------------------------------------------


class SaleRefused(CounterError):
    """The sale breaks a rule; `errors` lists every reason, nothing was recorded."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = tuple(errors)
        super().__init__(_("Sale refused: {reasons}").format(reasons=" ".join(self.errors)))


class DayClosed(SaleRefused):
    """The business day at this counter has its Z report: no more sales are recorded for it.

    Refused, never moved to the next day: the drawer has been counted, so a later sale would
    be cash the count never saw, and moving it would give it a date its time contradicts.
    """

    def __init__(self, counter_code: str, day: date) -> None:
        self.counter_code = counter_code
        self.day = day
        super().__init__([closed_day_sentence(counter_code, day)])


def closed_day_sentence(counter_code: str, day: date) -> str:
    return _(
        "The day {day} at counter {counter} is closed (its Z report is done): "
        "no more sales are recorded for it until a supervisor reopens it (`counter "
        "reopen-day`) or the next day starts, on {next_day}."
    ).format(
        day=day.isoformat(), counter=counter_code, next_day=(day + timedelta(days=1)).isoformat()
    )


class NoOpenShift(SaleRefused):
    """No shift is open at this counter: a sale needs the drawer counted into a shift first.

    `day_closed`: the day of `day` is closed too (a supervisor may reopen it).
    """

    def __init__(self, counter_code: str, day: date, *, day_closed: bool = False) -> None:
        self.counter_code = counter_code
        self.day = day
        self.day_closed = day_closed
        if day_closed:
            reason = _(
                "No shift is open at counter {counter}, and the day {day} is closed: "
                "nothing is sold until a supervisor reopens it or the next day starts."
            ).format(counter=counter_code, day=day.isoformat())
        else:
            reason = _(
                "No shift is open at counter {counter}: a sale is recorded only in an open "
                "shift, after the drawer is counted."
            ).format(counter=counter_code)
        super().__init__([reason])


class RateChanged(SaleRefused):
    """The shop's rate changed between the confirmation and the sale: the change shown was
    worked out at the old rate, so nothing is recorded."""

    def __init__(self, seen: int, in_force: int) -> None:
        self.seen = seen
        self.in_force = in_force
        super().__init__(
            [
                _(
                    "The exchange rate changed from {seen} to {rate} riel per dollar since "
                    "the confirmation: check the change again."
                ).format(seen=f"{seen:,}", rate=f"{in_force:,}")
            ]
        )


class OpeningCashMissing(SaleRefused):
    """A clerk's first sale of the day waits for the opening cash of the drawer."""

    def __init__(self, counter_code: str, day: date) -> None:
        self.counter_code = counter_code
        self.day = day
        super().__init__(
            [
                _(
                    "The opening cash of {day} at counter {counter} is not entered yet: a clerk "
                    "sells only after the drawer is counted."
                ).format(day=day.isoformat(), counter=counter_code)
            ]
        )


class FloatTooLow(SaleRefused):
    """Under the `refuse` policy: the operator's airtime balance is less than the sale."""

    def __init__(
        self, operator_id: str, operator_name: str, balance_cents: int, amount_cents: int
    ) -> None:
        self.operator_id = operator_id
        self.operator_name = operator_name
        self.balance_cents = balance_cents
        self.amount_cents = amount_cents
        amount = format_usd_for(amount_cents)
        if balance_cents > 0:
            said = _("{operator} airtime stock has {left} left, less than {amount}.").format(
                operator=operator_name, left=format_usd_for(balance_cents), amount=amount
            )
        else:  # its own sentence: "nothing" put in the other reads badly in Chinese
            said = _("{operator} airtime stock has nothing left, less than {amount}.").format(
                operator=operator_name, amount=amount
            )
        super().__init__([said])


class DailyCapReached(SaleRefused):
    """The number already had so much today that this sale passes the operator's daily cap."""

    def __init__(
        self, number: str, operator_name: str, sold_cents: int, amount_cents: int, cap_cents: int
    ) -> None:
        self.number = number
        self.sold_cents = sold_cents
        self.amount_cents = amount_cents
        self.cap_cents = cap_cents
        super().__init__(
            [
                _(
                    "{number} already had {sold} today; {amount} more would pass "
                    "{operator}'s daily cap of {cap} per number."
                ).format(
                    number=number,
                    sold=format_usd_for(sold_cents),
                    amount=format_usd_for(amount_cents),
                    operator=operator_name,
                    cap=format_usd_for(cap_cents),
                )
            ]
        )


class DuplicateSale(CounterError):
    """The same number and amount were sold moments ago; selling again needs an override."""

    def __init__(self, previous: Sale, seconds_ago: int) -> None:
        from counter.domain.phone import group_national

        self.previous = previous
        self.seconds_ago = seconds_ago
        national = "0" + previous.msisdn.removeprefix("+855")
        super().__init__(
            _(
                "{number} was already topped up with {amount} {when} (receipt {receipt}). "
                "Sell again only if the customer wants a second top-up."
            ).format(
                number=group_national(national),
                amount=format_usd_for(previous.amount_cents),
                when=ago(seconds_ago),
                receipt=previous.receipt_no,
            )
        )


def ago(seconds: int) -> str:
    """`2 minutes ago`, `1 second ago`."""
    if seconds < 60:
        return ngettext("{count} second ago", "{count} seconds ago", seconds).format(count=seconds)
    minutes = seconds // 60
    return ngettext("{count} minute ago", "{count} minutes ago", minutes).format(count=minutes)


class VoidRefused(CounterError):
    """A void that cannot be recorded: no reason, unknown receipt, already voided, day closed."""

    def __init__(self, message: str, receipt_no: str | None = None) -> None:
        super().__init__(message)
        self.receipt_no = receipt_no


class DayEndRefused(UserError):
    """A day-end action that cannot be recorded: day closed, opening cash already entered..."""


class ShiftRefused(DayEndRefused):
    """A shift that cannot be opened or closed, or a day that cannot be closed or reopened."""


class OpenDeliveries(DayEndRefused):
    """A shift or day close refused while deliveries are still open: a supervisor may
    accept them as open items (they stay open, listed on every later report)."""


class CashDoubted(PaymentError):
    """The cash received is not believable for the amount due (`20000` typed without its
    `r` is $20,000): asked again with both readings, never recorded without a second key.
    `doubt` is the domain's CashDoubt (the reading, the other reading, why)."""

    def __init__(self, doubt: object, message: str) -> None:
        super().__init__(message)
        self.doubt = doubt


class NotAUtcTime(CounterError):
    """A use case was given a naive time, or one in another zone: the ledger keeps UTC."""

    def __init__(self, moment: datetime) -> None:
        super().__init__(
            _("{time} is not a UTC time: the ledger keeps UTC.").format(time=moment.isoformat())
        )
        self.moment = moment


class RateError(CounterError):
    """An exchange rate that this shop does not accept, and why; `rate` is what was given."""

    def __init__(self, message: str, *, rate: int | None = None) -> None:
        super().__init__(message)
        self.rate = rate


class DisplayError(CounterError):
    """A customer's display address that cannot be used, or a server that cannot start there."""


# --- delivering the top-up (counter.domain.delivery, counter.delivery, services.deliveries) ---


class DeliveryError(CounterError):
    """A delivery that cannot go on, and why."""


class DeliveryRequestError(DeliveryError):
    """A delivery request with a value no channel may send (bad number, amount, reference)."""


class DeliveryTransitionError(DeliveryError):
    """A change of state that the delivery rules do not allow."""

    def __init__(self, message: str, current: DeliveryState, target: DeliveryState) -> None:
        super().__init__(message)
        self.current = current
        self.target = target


class CallbackRefused(DeliveryError):
    """A provider callback that is not genuine, or not about the top-up it names."""


class ChannelError(DeliveryError):
    """A channel that cannot even try (missing setting or secret, port that will not open).

    Raised only when nothing left the machine, so the delivery stays `pending` as it was.
    """


class DeliveryRefused(DeliveryError):
    """A person's confirm, fail or check that cannot be recorded (no such delivery, final)."""

    def __init__(self, message: str, receipt_no: str | None = None) -> None:
        super().__init__(message)
        self.receipt_no = receipt_no
