"""The read side: questions the screen and the CLI ask of the ledger, one transaction each.

Nothing here writes. What must agree (a report's lines and totals) is read in one
transaction by the use case that needs it (`services.dayend`).
"""

from __future__ import annotations

from datetime import date

from counter.domain.dayend import CashCount, OperatorTotal, expected_cash, operator_total
from counter.domain.errors import CounterError
from counter.domain.phone import parse_number
from counter.domain.records import DayClose, Sale
from counter.services.ports import Ledger
from counter.services.sales import normalise_receipt


def get_sale(ledger: Ledger, receipt_no: str) -> Sale | None:
    label = normalise_receipt(receipt_no)
    if label is None:
        return None
    with ledger.uow(write=False) as uow:
        return uow.sales.by_receipt(label)


def sales_for_day(
    ledger: Ledger, day: date, counter_code: str | None, *, limit: int = 100, offset: int = 0
) -> list[Sale]:
    """A day's sales, most recent first (all counters when `counter_code` is None)."""
    with ledger.uow(write=False) as uow:
        return uow.sales.for_day(day, counter_code, limit, offset)


def operator_named(ledger: Ledger, text: str) -> str | None:
    """The id of the operator whose id or name is `text` (any case), e.g. "smart", "Smart"."""
    wanted = text.strip().casefold()
    for op in ledger.rules.operators:
        if wanted and wanted in (op.id.casefold(), op.name.casefold()):
            return op.id
    return None


def search_sales(
    ledger: Ledger,
    text: str,
    *,
    day: date | None = None,
    operator: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Sale]:
    """Find sales by receipt number, full phone number, the last digits of a number, or
    an operator's name (`Smart`).

    The last digits are searched through the indexed reversed number, so "5678" stays
    fast with a million sales. Digits from the middle of a number are only searched
    within one day (`day`), where the date index keeps the scan small.
    """
    text = text.strip()
    receipt = normalise_receipt(text)
    msisdn = suffix = contains = None
    if receipt is None:
        digits = "".join(c for c in text if c.isdigit())
        if not digits:
            if text:
                named = operator_named(ledger, text)
                if named is None or (operator is not None and operator != named):
                    return []
                operator = named
            elif operator is None and day is None:
                return []  # nothing to search by: never list the whole ledger
        else:
            try:
                msisdn = parse_number(text).e164 if len(digits) >= 8 else None
            except CounterError:
                msisdn = None
            if msisdn is None:
                if day is not None:
                    contains = digits
                else:
                    suffix = digits
    with ledger.uow(write=False) as uow:
        return uow.sales.search(
            receipt_no=receipt,
            msisdn=msisdn,
            suffix=suffix,
            contains=contains,
            day=day,
            operator_id=operator,
            limit=limit,
            offset=offset,
        )


def number_history(ledger: Ledger, msisdn: str, limit: int = 5) -> list[Sale]:
    """The latest top-ups of one number, newest first (for "same as last time")."""
    try:
        e164 = parse_number(msisdn).e164
    except CounterError:
        return []
    with ledger.uow(write=False) as uow:
        return uow.sales.history(e164, limit)


def day_totals(ledger: Ledger, day: date, counter_code: str | None) -> list[OperatorTotal]:
    """Count, amount and commission per operator for a day, voided sales left out."""
    with ledger.uow(write=False) as uow:
        rows = uow.sales.totals(day, counter_code)
    return [operator_total(op, count, amount, ledger.rules) for op, count, amount in rows]


def last_sale(ledger: Ledger, counter_code: str | None = None) -> Sale | None:
    """The counter's latest sale: after a crash the screen offers to reprint it."""
    with ledger.uow(write=False) as uow:
        return uow.sales.last(counter_code or ledger.counter_code)


def pending_receipts(ledger: Ledger, counter_code: str | None = None) -> list[Sale]:
    """Sales of the counter (default: this one) whose receipt waits to print, oldest first."""
    with ledger.uow(write=False) as uow:
        return uow.prints.pending_sales(counter_code or ledger.counter_code)


def opening_cash_needed(ledger: Ledger, day: date, counter_code: str) -> bool:
    """True while no shift is open at this counter and the day is open: the drawer is
    counted into a shift before any sale."""
    with ledger.uow(write=False) as uow:
        if uow.counters.is_day_closed(counter_code, day):
            return False
        return uow.shifts.open_shift(counter_code) is None


def expected_in_drawer(ledger: Ledger, day: date, counter_code: str) -> CashCount:
    """What the drawer should hold now: the open shift's opening cash + received - change,
    voids left out (no open shift: the day's sales against no opening cash)."""
    with ledger.uow(write=False) as uow:
        shift = uow.shifts.open_shift(counter_code)
        if shift is not None:
            return expected_cash(shift.opening, uow.shifts.sales(shift))
        sales = uow.sales.of_day(day, [counter_code])
    return expected_cash(None, sales)


def day_close(ledger: Ledger, day: date, counter_code: str) -> DayClose | None:
    """The close of this day at this counter, if it is closed."""
    with ledger.uow(write=False) as uow:
        return uow.dayend.close(counter_code, day)


def operator_balances(ledger: Ledger) -> list[tuple[str, int]]:
    """(operator id, balance in cents): restocks + corrections - sales + voided sales.

    Operators of the rules first, in their order, then any other the ledger knows.
    """
    with ledger.uow(write=False) as uow:
        kept = uow.floats.balances()
    known = [op.id for op in ledger.rules]
    return [(op, kept.get(op, 0)) for op in known] + sorted(
        (op, b) for op, b in kept.items() if op not in known
    )


def float_warning(ledger: Ledger, operator_id: str) -> str | None:
    """A sentence for the sale screen when the operator's stock is low (policy warn/refuse)."""
    if not ledger.policy.watches_float():
        return None
    op = ledger.rules.get(operator_id)
    with ledger.uow(write=False) as uow:
        balance = uow.floats.balance(operator_id)
    return ledger.policy.float_warning(op.name if op else operator_id, balance)
