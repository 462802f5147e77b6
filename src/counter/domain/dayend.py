"""The day summary: every figure of the daily sales report, computed once, as integers.

Pure: built from the ledger's own `Sale` and `Void` records (never from export text), so
the PDF, CSV and XLSX writers, the screen and the Z report only format what `summarise`
returns, and generating a report twice gives the same numbers.

The rules a reader of the report relies on, each written once here:
- A voided sale counts in the void section only: not in the operator, clerk or hour totals,
  and not in payments received or change given (its cash went back to the customer).
- Commission is on each operator's total for the day, rounded half up to the cent once
  (`commission_cents`), never per sale.
- Expected cash in the drawer = opening cash + payments received - change given, voided
  sales left out (`expected_cash`).
- Receipt ranges cover every receipt number of the day, sold or voided: a voided receipt is
  not a gap.
- Hours are local hours in the shop's zone, from the first to the last hour with a sale,
  empty hours included so the bar chart reads as a day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from counter.domain.delivery_report import DeliveryReport
from counter.domain.drawer import (
    MAX_DRAWER_KHR,
    MAX_DRAWER_USD_CENTS,
    MAX_FLOAT_CENTS,
    CashCount,
    KhqrTakings,
    Payments,
    RateUse,
    check_drawer,
    counted,
    expected_cash,
    khqr_takings,
    payments,
    rates_used,
)
from counter.domain.errors import ReportDataError
from counter.domain.operators import RuleBook
from counter.domain.records import Sale, Void
from counter.domain.shifts import Shift, day_state
from counter.i18n import _, ngettext

__all__ = [
    "MAX_DRAWER_KHR",
    "MAX_DRAWER_USD_CENTS",
    "MAX_FLOAT_CENTS",
    "CashCount",
    "DaySummary",
    "OperatorTotal",
    "Payments",
    "RateUse",
    "XReport",
    "check_drawer",
    "commission_cents",
    "counted",
    "expected_cash",
    "operator_total",
    "payments",
    "receipt_statement",
    "summarise",
]


def commission_cents(amount_cents: int, commission_bp: int) -> int:
    """Commission on an operator's total, rounded half up to the cent (bp: 350 = 3.50 %)."""
    return (amount_cents * commission_bp + 5000) // 10000


# --- the summary -------------------------------------------------------------------------


@dataclass(frozen=True)
class OperatorTotal:
    """One operator's sales of a day (voided sales left out), with its commission."""

    operator_id: str
    name: str
    commission_bp: int
    count: int
    amount_cents: int
    commission_cents: int


def operator_total(
    operator_id: str, count: int, amount_cents: int, rules: RuleBook
) -> OperatorTotal:
    """The total line of one operator, named and with its commission from the rules."""
    op = rules.get(operator_id)
    bp = op.commission_bp if op else 0
    return OperatorTotal(
        operator_id,
        op.name if op else operator_id,
        bp,
        count,
        amount_cents,
        commission_cents(amount_cents, bp),
    )


@dataclass(frozen=True)
class ClerkTotal:
    clerk: str
    count: int
    amount_cents: int


@dataclass(frozen=True)
class HourTotal:
    """Sales in one local hour; `start` is aware, in the shop's zone."""

    start: datetime
    count: int
    amount_cents: int
    day: date

    @property
    def label(self) -> str:
        """`07:00`, or `00:00 +1` for an hour after midnight that still belongs to the day."""
        text = f"{self.start.hour:02d}:00"
        offset = (self.start.date() - self.day).days
        return f"{text} {offset:+d}" if offset else text


@dataclass(frozen=True)
class VoidLine:
    receipt_no: str
    amount_cents: int
    requested_by: str
    approved_by: str
    reason: str
    at: datetime | None


@dataclass(frozen=True)
class GrandTotal:
    count: int
    amount_cents: int
    commission_cents: int


@dataclass(frozen=True)
class ReceiptRange:
    """First and last receipt number of one counter, and the runs of numbers missing between."""

    counter: str
    first: int
    last: int
    width: int
    missing_runs: tuple[tuple[int, int], ...]  # inclusive (start, end) runs

    def receipt(self, number: int) -> str:
        return f"{self.counter}-{number:0{self.width}d}"

    @property
    def first_no(self) -> str:
        return self.receipt(self.first)

    @property
    def last_no(self) -> str:
        return self.receipt(self.last)

    @property
    def missing_count(self) -> int:
        return sum(end - start + 1 for start, end in self.missing_runs)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(self.receipt(n) for s, e in self.missing_runs for n in range(s, e + 1))

    @property
    def has_gaps(self) -> bool:
        return bool(self.missing_runs)


@dataclass(frozen=True)
class DaySummary:
    shop_name: str
    day: date
    counters: tuple[str, ...]
    printed_by: str
    printed_at: datetime
    zone: str
    operators: tuple[OperatorTotal, ...]
    clerks: tuple[ClerkTotal, ...]
    hours: tuple[HourTotal, ...]
    payments: Payments
    voids: tuple[VoidLine, ...]
    total: GrandTotal
    receipt_ranges: tuple[ReceiptRange, ...]
    warnings: tuple[str, ...] = field(default=())
    rates: tuple[RateUse, ...] = field(default=())  # the exchange rates the sales used
    khqr: KhqrTakings = field(default_factory=KhqrTakings)  # by bank, not in the drawer
    # Issue 15: deliveries by state, refunds, open items, float beside the dealer balance
    # (None: every top-up of the shop is `assumed`, and nothing to say).
    deliveries: DeliveryReport | None = None

    @property
    def void_count(self) -> int:
        return len(self.voids)

    @property
    def void_total_cents(self) -> int:
        return sum(v.amount_cents for v in self.voids)

    @property
    def is_empty(self) -> bool:
        """Nothing happened: no sale (sold or voided) and no void."""
        return not self.receipt_ranges and not self.voids


# --- building the summary ----------------------------------------------------------------


def summarise(
    sales: Sequence[Sale],
    voids: Iterable[Void],
    *,
    shop_name: str,
    day: date,
    counters: Sequence[str],
    printed_by: str,
    printed_at: datetime,
    rules: RuleBook,
    zone: ZoneInfo,
) -> DaySummary:
    """Every figure of the day's report from the day's sales (sold and voided) and voids.

    `sales` must be the day's sales at `counters`; a sale of another day or counter, or a
    receipt twice, raises ReportDataError rather than being silently dropped or counted.
    """
    if printed_at.tzinfo is None or printed_at.utcoffset() is None:
        raise ReportDataError(_("The report's printing time has no time zone."))
    _check_sales(sales, day, counters)
    sold = [s for s in sales if not s.voided]
    warnings: list[str] = []
    operators = _operator_totals(sold, rules, warnings)
    total = GrandTotal(
        count=sum(o.count for o in operators),
        amount_cents=sum(o.amount_cents for o in operators),
        commission_cents=sum(o.commission_cents for o in operators),
    )
    return DaySummary(
        shop_name=shop_name,
        day=day,
        counters=tuple(counters),
        printed_by=printed_by,
        printed_at=printed_at,
        zone=zone.key,
        operators=operators,
        clerks=_clerk_totals(sold),
        hours=_hour_totals(sold, zone, day),
        payments=payments(sold),
        voids=_void_lines(sales, voids),
        total=total,
        receipt_ranges=_receipt_ranges(sales),
        warnings=tuple(warnings),
        rates=rates_used(sold),
        khqr=khqr_takings(sold),
    )


def _check_sales(sales: Sequence[Sale], day: date, counters: Sequence[str]) -> None:
    wanted = set(counters)
    seen: set[str] = set()
    for sale in sales:
        if sale.business_date != day:
            raise ReportDataError(
                _("{receipt} belongs to {day}, not {report_day}.").format(
                    receipt=sale.receipt_no, day=sale.business_date, report_day=day
                )
            )
        if sale.counter_code not in wanted:
            raise ReportDataError(
                _("{receipt} is from counter {counter}, not {counters}.").format(
                    receipt=sale.receipt_no, counter=sale.counter_code, counters=", ".join(counters)
                )
            )
        if sale.receipt_no in seen:
            raise ReportDataError(
                _("{receipt} appears twice in the day's sales.").format(receipt=sale.receipt_no)
            )
        seen.add(sale.receipt_no)


def _operator_totals(
    sold: Sequence[Sale], rules: RuleBook, warnings: list[str]
) -> tuple[OperatorTotal, ...]:
    """The operators in use: the rules' enabled ones in their order (zeros included) and a
    disabled one only when it sold that day, then any other sold, by id."""
    count: dict[str, int] = {}
    amount: dict[str, int] = {}
    for sale in sold:
        count[sale.operator_id] = count.get(sale.operator_id, 0) + 1
        amount[sale.operator_id] = amount.get(sale.operator_id, 0) + sale.amount_cents
    known = [op.id for op in rules]
    in_use = [op.id for op in rules if op.enabled or op.id in count]
    order = in_use + sorted(op for op in count if op not in known)
    for op in order:
        if op not in known:
            warnings.append(
                _(
                    "No commission rate for operator {operator!r}: its commission is counted as 0."
                ).format(operator=op)
            )
    return tuple(operator_total(op, count.get(op, 0), amount.get(op, 0), rules) for op in order)


def _clerk_totals(sold: Sequence[Sale]) -> tuple[ClerkTotal, ...]:
    count: dict[str, int] = {}
    amount: dict[str, int] = {}
    for sale in sold:
        count[sale.clerk_name] = count.get(sale.clerk_name, 0) + 1
        amount[sale.clerk_name] = amount.get(sale.clerk_name, 0) + sale.amount_cents
    return tuple(ClerkTotal(c, count[c], amount[c]) for c in sorted(count, key=str.casefold))


def _hour_totals(sold: Sequence[Sale], zone: ZoneInfo, day: date) -> tuple[HourTotal, ...]:
    """Local hours from the first to the last sale, empty hours included."""
    if not sold:
        return ()
    count: dict[datetime, int] = {}
    amount: dict[datetime, int] = {}
    for sale in sold:
        hour = sale.created_at.astimezone(zone).replace(minute=0, second=0, microsecond=0)
        count[hour] = count.get(hour, 0) + 1
        amount[hour] = amount.get(hour, 0) + sale.amount_cents
    hours: list[HourTotal] = []
    # Step in UTC so a DST change (not in Cambodia, but in a shop's configured zone) is right.
    step, last = min(count).astimezone(UTC), max(count).astimezone(UTC)
    while step <= last:
        hour = step.astimezone(zone).replace(minute=0, second=0, microsecond=0)
        if not hours or hours[-1].start != hour:
            hours.append(HourTotal(hour, count.get(hour, 0), amount.get(hour, 0), day))
        step += timedelta(hours=1)
    return tuple(hours)


def _void_lines(sales: Sequence[Sale], voids: Iterable[Void]) -> tuple[VoidLine, ...]:
    """The void records, checked against the sales; a voided sale without a record still shows."""
    by_receipt: Mapping[str, Sale] = {s.receipt_no: s for s in sales}
    lines: dict[str, VoidLine] = {}
    for void in voids:
        if void.receipt_no in lines:
            raise ReportDataError(_("{receipt} is voided twice.").format(receipt=void.receipt_no))
        sale = by_receipt.get(void.receipt_no)
        if sale is not None and not sale.voided:
            raise ReportDataError(
                _("{receipt} has a void record but the sale stands.").format(
                    receipt=void.receipt_no
                )
            )
        amount = sale.amount_cents if sale is not None else void.amount_cents
        lines[void.receipt_no] = VoidLine(
            void.receipt_no,
            amount,
            void.requested_by,
            void.approved_by,
            void.reason,
            void.created_at,
        )
    for sale in sales:
        if sale.voided and sale.receipt_no not in lines:
            lines[sale.receipt_no] = VoidLine(sale.receipt_no, sale.amount_cents, "", "", "", None)
    return tuple(sorted(lines.values(), key=lambda line: _receipt_order(line.receipt_no)))


def _receipt_order(receipt_no: str) -> tuple[str, int]:
    counter, _dash, number = receipt_no.rpartition("-")
    return counter, int(number) if number.isdigit() else 0


def _receipt_ranges(sales: Sequence[Sale]) -> tuple[ReceiptRange, ...]:
    """Per counter: first and last number of the day, and the runs missing between."""
    numbers: dict[str, list[int]] = {}
    widths: dict[str, int] = {}
    for sale in sales:
        counter, _dash, digits = sale.receipt_no.rpartition("-")
        numbers.setdefault(counter, []).append(int(digits))
        widths[counter] = min(widths.get(counter, len(digits)), len(digits))
    ranges = []
    for counter in sorted(numbers):
        ordered = sorted(numbers[counter])
        runs = tuple((prev + 1, nxt - 1) for prev, nxt in pairwise(ordered) if nxt > prev + 1)
        ranges.append(ReceiptRange(counter, ordered[0], ordered[-1], widths[counter], runs))
    return tuple(ranges)


def receipt_statement(rng: ReceiptRange, max_runs: int = 30) -> str:
    """`Receipts A-000001 to A-000250: no gaps.` or `...: missing A-000007, A-000012 to A-000015.`"""
    if not rng.has_gaps:
        return _("Receipts {first} to {last}: no gaps.").format(
            first=rng.first_no, last=rng.last_no
        )
    separator = _(", ")
    parts = []
    for start, end in rng.missing_runs[:max_runs]:
        if start == end:
            parts.append(rng.receipt(start))
        elif end == start + 1:
            parts.append(f"{rng.receipt(start)}{separator}{rng.receipt(end)}")
        else:
            parts.append(
                _("{first} to {last}").format(first=rng.receipt(start), last=rng.receipt(end))
            )
    hidden = sum(e - s + 1 for s, e in rng.missing_runs[max_runs:])
    count = rng.missing_count
    if hidden:
        text = ngettext(
            "Receipts {first} to {last}: {count:,} number missing: {missing} and {hidden:,} more.",
            "Receipts {first} to {last}: {count:,} numbers missing: {missing} and {hidden:,} more.",
            count,
        )
    else:
        text = ngettext(
            "Receipts {first} to {last}: {count:,} number missing: {missing}.",
            "Receipts {first} to {last}: {count:,} numbers missing: {missing}.",
            count,
        )
    return text.format(
        first=rng.first_no,
        last=rng.last_no,
        count=count,
        missing=separator.join(parts),
        hidden=hidden,
    )


@dataclass(frozen=True)
class XReport:
    """The day so far at one counter: the report's figures, the cash expected (None when
    the reader counts blind), the day's shifts, and whether the latest shift and the day
    are closed."""

    summary: DaySummary
    cash: CashCount
    closed: bool  # the day
    shifts: tuple[Shift, ...] = ()

    @property
    def shift(self) -> Shift | None:
        """The day's latest shift (the open one, if any)."""
        return self.shifts[-1] if self.shifts else None

    @property
    def shift_closed(self) -> bool:
        shift = self.shift
        return shift is not None and shift.close is not None

    @property
    def state(self) -> str:
        """`Shift 2 open; the day stays open.` and the like: what the report says first."""
        return day_state(self.shift, self.closed)
