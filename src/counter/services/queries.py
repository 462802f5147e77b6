"""The read side: questions the screen and the CLI ask of the ledger, one transaction each.

Nothing here writes. What must agree (a report's lines and totals) is read in one
transaction by the use case that needs it (`services.dayend`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from counter.domain.dayend import CashCount, OperatorTotal, expected_cash, operator_total
from counter.domain.deliveries import OPEN_STATES, Delivery, Refund
from counter.domain.delivery import Channel
from counter.domain.delivery_report import (
    BALANCE_READ,
    BalanceReading,
    DeliveryReport,
    FloatCheck,
    count_states,
)
from counter.domain.errors import CounterError
from counter.domain.phone import COUNTRY_CODE, parse_number
from counter.domain.records import DayClose, Sale, receipt_label, utc
from counter.domain.text import to_ascii_digits
from counter.services.deliveries import OPEN_ITEMS_ACCEPTED
from counter.services.ports import Ledger, UnitOfWork
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


@dataclass(frozen=True)
class _Terms:
    """What a search text asks for, as the sales repository's filters."""

    receipt: str | None = None
    msisdn: str | None = None
    starts: str | None = None
    suffix: str | None = None
    contains: str | None = None
    operator: str | None = None
    own_receipt: str | None = None  # `42`: this counter's A-000042, besides the digits


def search_sales(
    ledger: Ledger,
    text: str,
    *,
    day: date | None = None,
    operator: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Sale]:
    """Find sales by receipt number (`A-000042`, or this counter's `42`, `000042`), a phone
    number whole or as far as typed in any way it is written (`012 345`, `097-234`,
    `+855 97`), the last digits of a number, or an operator's name (`Smart`).

    The start of a number is searched as a range of the number's index and the last
    digits through the indexed reversed number, so both stay fast with a million sales.
    Digits from the middle of a number are only searched within one day (`day`).
    """
    terms = _terms(ledger, text.strip(), day, operator)
    if terms is None:
        return []
    with ledger.uow(write=False) as uow:
        found = uow.sales.search(
            receipt_no=terms.receipt,
            msisdn=terms.msisdn,
            starts=terms.starts,
            suffix=terms.suffix,
            contains=terms.contains,
            day=day,
            operator_id=terms.operator,
            limit=limit,
            offset=offset,
        )
        if terms.own_receipt is None or offset:
            return found
        own = uow.sales.by_receipt(terms.own_receipt)
    if own is None or (day is not None and own.business_date != day):
        return found
    if terms.operator is not None and own.operator_id != terms.operator:
        return found
    return [own, *(s for s in found if s.receipt_no != own.receipt_no)][:limit]


def _terms(ledger: Ledger, text: str, day: date | None, operator: str | None) -> _Terms | None:
    """The filters for `text`, or None when nothing can match (or nothing is asked)."""
    receipt = normalise_receipt(text)
    if receipt is not None:
        return _Terms(receipt=receipt, operator=operator)
    digits = "".join(c for c in to_ascii_digits(text) if c.isdigit())
    if not digits:
        if not text:
            # nothing to search by: never list the whole ledger
            return None if operator is None and day is None else _Terms(operator=operator)
        named = operator_named(ledger, text)
        if named is None or (operator is not None and operator != named):
            return None
        return _Terms(operator=named)
    own = None
    if text.isascii() and text.isdigit() and len(text) <= 12 and int(text) > 0:
        own = receipt_label(ledger.counter_code, int(text))
    try:
        msisdn = parse_number(text).e164 if len(digits) >= 8 else None
    except CounterError:
        msisdn = None
    if msisdn is not None:
        return _Terms(msisdn=msisdn, operator=operator, own_receipt=own)
    if text.startswith(("+", "0")):
        starts = number_start(text)
        if starts is None:
            return None if own is None else _Terms(receipt=own, operator=operator)
        return _Terms(starts=starts, operator=operator, own_receipt=own)
    if day is not None:
        return _Terms(contains=digits, operator=operator, own_receipt=own)
    return _Terms(suffix=digits, operator=operator, own_receipt=own)


def number_start(text: str) -> str | None:
    """The start of a Cambodian number in E.164 as typed so far (`012 345` -> `+85512345`,
    `+855 97` -> `+85597`), or None when `text` is not the start of one."""
    raw = to_ascii_digits(text).strip()
    if any(not (c.isdigit() or c in " -.()+") for c in raw) or "+" in raw[1:]:
        return None
    digits = "".join(c for c in raw if c.isdigit())
    if raw.startswith("+"):
        lead = COUNTRY_CODE
    elif digits.startswith("00"):
        lead = "00" + COUNTRY_CODE
    else:
        lead = "0"
    if not digits.startswith(lead):
        return None
    national = digits[len(lead) :].removeprefix("0") if lead != "0" else digits[1:]
    return f"+{COUNTRY_CODE}{national}" if len(national) >= 1 else None


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


@dataclass(frozen=True)
class WaitingPaper:
    """What waits in this counter's print queue: original receipts, and the slips that
    follow a settled delivery (a delivery slip, or a refund slip for cash given back)."""

    receipts: int = 0
    delivery_slips: int = 0
    refund_slips: int = 0

    @property
    def total(self) -> int:
        return self.receipts + self.delivery_slips + self.refund_slips


REFUND_SLIPS = frozenset({"failed", "reversed"})  # the states whose slip is a refund slip


def waiting_paper(ledger: Ledger, counter_code: str | None = None) -> WaitingPaper:
    """The receipts and slips of the counter (default: this one) still to print: what
    the print-queue line counts and its retry prints, in one read."""
    code = counter_code or ledger.counter_code
    with ledger.uow(write=False) as uow:
        receipts = len(uow.prints.pending_sales(code))
        slips = uow.prints.waiting_slips(code)
    refunds = sum(1 for job in slips if job.state in REFUND_SLIPS)
    return WaitingPaper(receipts, len(slips) - refunds, refunds)


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

    The operators in use, in the rules' order: the enabled ones, and a disabled one only
    while it still holds a balance (stock is money); then any other the ledger knows.
    """
    with ledger.uow(write=False) as uow:
        kept = uow.floats.balances()
    known = [op.id for op in ledger.rules]
    in_use = [op.id for op in ledger.rules if op.enabled or kept.get(op.id, 0)]
    return [(op, kept.get(op, 0)) for op in in_use] + sorted(
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


def delivery_section(
    ledger: Ledger,
    uow: UnitOfWork,
    day: date,
    counters: list[str],
    *,
    sale_ids: frozenset[int] | None = None,
    refunds: list[Refund] | None = None,
) -> DeliveryReport | None:
    """What an X or Z report (and the day's report) says about deliveries, read in the
    report's own transaction: the day's deliveries by channel and state, the refunds paid
    out that day, the day's deliveries still open (oldest first), and for each operator
    that does not deliver `assumed` the day's last balance read beside the ledger's float
    at that reading.
    None for a shop whose top-ups are all `assumed` and that paid no refund that day.
    A shift's Z report gives its own sales (`sale_ids`) and the refunds paid while it was
    open (`refunds`)."""
    plan = ledger.delivery
    found = uow.deliveries.of_day(day, counters)
    if sale_ids is not None:
        found = [d for d in found if d.sale_id in sale_ids]
    if refunds is None:
        refunds = uow.refunds.of_day(day, counters)
    operators = [op.id for op in ledger.rules.operators]
    sent = [op for op in operators if plan.channel_for(op) is not Channel.ASSUMED]
    earlier = earlier_open_items(uow, day, counters)
    if (
        not sent
        and not refunds
        and not earlier
        and all(d.channel is Channel.ASSUMED for d in found)
    ):
        return None
    readings = dealer_readings(ledger, uow, day)
    still_open = [*earlier, *(d for d in found if d.is_open)]
    accepted = accepted_days(uow)
    return DeliveryReport(
        states=count_states(found),
        refunds=tuple(refunds),
        open_items=tuple(sorted(still_open, key=lambda d: (d.created_at, d.id))),
        accepted=tuple((d.id, accepted[d.id]) for d in still_open if d.id in accepted),
        floats=tuple(
            float_check(op, uow.floats.balance(op), readings.get(op))
            for op in operators
            if op in sent or op in readings
        ),
    )


def float_check(operator_id: str, now_cents: int, reading: BalanceReading | None) -> FloatCheck:
    """The reading beside the ledger's float when it was read (the float now without one,
    or for a reading kept before the ledger's figure was kept with it)."""
    if reading is None or reading.float_cents is None:
        return FloatCheck(operator_id, now_cents, reading)
    return FloatCheck(operator_id, reading.float_cents, reading)


def earlier_open_items(uow: UnitOfWork, day: date, counters: list[str]) -> list[Delivery]:
    """The deliveries of days before `day` at these counters still open (pending or needing
    review): a close accepted them as open items, and every later report lists them."""
    found: list[Delivery] = []
    for counter in counters:
        for d in uow.deliveries.listed(states=tuple(OPEN_STATES), counter_code=counter):
            sale = uow.sales.by_id(d.sale_id)
            if sale is not None and sale.business_date < day:
                found.append(d)
    return found


def accepted_days(uow: UnitOfWork) -> dict[int, date]:
    """Per delivery, the business day whose close first accepted it as an open item."""
    days: dict[int, date] = {}
    for entry in uow.audit.entries(action=OPEN_ITEMS_ACCEPTED, limit=500):  # newest first
        try:
            data = json.loads(entry.detail)
            day = date.fromisoformat(str(data["day"]))
            ids = [int(i) for i in data["deliveries"]]
        except (ValueError, KeyError, TypeError):
            continue
        days.update({i: day for i in ids})  # older entries overwrite: the first acceptance
    return days


def dealer_readings(ledger: Ledger, uow: UnitOfWork, day: date) -> dict[str, BalanceReading]:
    """The last dealer balance read on `day` (the shop's local date) per operator."""
    latest: dict[str, BalanceReading] = {}
    for entry in uow.audit.entries(action=BALANCE_READ, limit=500):  # newest first
        reading = reading_of(entry.detail, entry.at, entry.actor)
        if reading is None or reading.operator_id in latest:
            continue
        if utc(reading.read_at).astimezone(ledger.zone).date() == day:
            latest[reading.operator_id] = reading
    return latest


def reading_of(detail: str, at: datetime, actor: str) -> BalanceReading | None:
    """A reading from its audit entry's JSON; None for an entry that is not one."""
    try:
        data = json.loads(detail)
        return BalanceReading(
            operator_id=str(data["operator"]),
            channel=Channel(data["channel"]),
            currency=str(data["currency"]),
            minor=int(data["minor"]),
            read_at=at,
            by=actor,
            float_cents=int(data["float_cents"]) if "float_cents" in data else None,
        )
    except (ValueError, KeyError, TypeError):
        return None
