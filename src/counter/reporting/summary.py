"""The day summary: every figure of the daily sales report, computed once, as integers.

Pure: no I/O, no ReportLab, no openpyxl. The PDF, CSV and XLSX writers only format what
`summarise` returns, so the three agree and generating a report twice gives the same numbers.

Input is the ledger's export rows (one mapping per sale, the columns of `counter export`) and
the void records of the day. Every amount is converted at once to integer minor units (USD
cents, whole riel) with a strict pattern; anything else raises `ReportDataError` naming the
receipt and the field, because a report built on a misread amount is worse than no report.

Decisions a reader of the report relies on:
- A voided sale counts in the void section only: not in the operator, clerk or hour totals,
  and not in payments received or change given (its cash went back to the customer).
- Commission is per sale, rounded half up to the cent (as `Operator.commission_cents`), then
  summed; a row that carries `commission_cents` (the rate at the time of sale) keeps it.
- Receipt ranges cover every receipt number of the day, sold or voided: a voided receipt is
  not a gap.
- Hours are local hours in the shop's zone, from the first to the last hour with a sale,
  empty hours included so the bar chart reads as a day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from counter.domain.errors import AmountError, CounterError
from counter.domain.money import Currency, parse_amount
from counter.i18n import _, ngettext

# The columns of `counter export`, in order: the sales CSV and the XLSX Sales sheet use them.
EXPORT_COLUMNS: tuple[str, ...] = (
    "receipt_no",
    "created_at",
    "business_date",
    "counter",
    "clerk",
    "operator",
    "msisdn",
    "amount_usd",
    "paid_currency",
    "paid_amount",
    "change_usd",
    "change_khr",
    "operator_ref",
    "status",
    "void_reason",
)

SOLD = "sold"
VOIDED = "voided"

_USD_TEXT = re.compile(r"^\d+\.\d{2}$")  # plain_decimal: "5.00"
_KHR_TEXT = re.compile(r"^\d+$")  # whole riel: "20000"
_RECEIPT = re.compile(r"^(?P<counter>[A-Za-z0-9]+)-(?P<number>\d{6,})$")


class ReportDataError(CounterError):
    """Ledger rows the report cannot trust: names the receipt and the field."""


# --- the summary -------------------------------------------------------------------------


@dataclass(frozen=True)
class OperatorTotal:
    operator_id: str
    name: str
    commission_bp: int
    count: int
    amount_cents: int
    commission_cents: int


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
class Payments:
    """Cash of sold (not voided) sales: what came in and what went back, per currency."""

    received_usd_cents: int
    received_khr: int
    change_usd_cents: int
    change_khr: int
    paid_in_usd: int  # number of sales paid in dollars
    paid_in_khr: int  # number of sales paid in riel

    @property
    def net_usd_cents(self) -> int:
        return self.received_usd_cents - self.change_usd_cents

    @property
    def net_khr(self) -> int:
        return self.received_khr - self.change_khr


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


@dataclass(frozen=True)
class CashCount:
    """The cash section of an X or Z report: the drawer expected against the drawer counted.

    Expected = opening float + payments received - change given, voided sales left out.
    `counted_*` is None on an X report (nothing counted yet).
    """

    opening_usd_cents: int
    opening_khr: int
    expected_usd_cents: int
    expected_khr: int
    counted_usd_cents: int | None = None
    counted_khr: int | None = None
    closed_by: str = ""

    @property
    def difference_usd_cents(self) -> int | None:
        if self.counted_usd_cents is None:
            return None
        return self.counted_usd_cents - self.expected_usd_cents

    @property
    def difference_khr(self) -> int | None:
        if self.counted_khr is None:
            return None
        return self.counted_khr - self.expected_khr


# --- one sale, parsed --------------------------------------------------------------------


@dataclass(frozen=True)
class Sale:
    """One export row in integer minor units; what every writer works from."""

    receipt_no: str
    counter: str
    number: int
    width: int
    created_at: datetime  # aware, UTC
    business_date: date
    clerk: str
    operator: str
    msisdn: str
    amount_cents: int
    paid_currency: Currency
    paid_minor: int  # cents for USD, whole riel for KHR
    change_usd_cents: int
    change_khr: int
    operator_ref: str
    status: str
    void_reason: str
    commission_cents: int | None = None  # only when the ledger recorded it

    @property
    def is_sold(self) -> bool:
        return self.status == SOLD


def parse_sale(row: Mapping[str, Any]) -> Sale:
    """One export row -> `Sale`, or ReportDataError naming the receipt and the field."""
    receipt_no = _required_text(row, "receipt_no", "?")
    counter, number, width = parse_receipt_no(receipt_no)
    if _required_text(row, "counter", receipt_no) != counter:
        raise ReportDataError(
            f"{receipt_no}: counter {row['counter']!r} does not match the receipt number."
        )
    status = _required_text(row, "status", receipt_no)
    if status not in (SOLD, VOIDED):
        raise ReportDataError(f"{receipt_no}: status {status!r} is neither 'sold' nor 'voided'.")
    paid_currency = _currency(row, receipt_no)
    paid_parse = _usd_cents if paid_currency is Currency.USD else _whole_riel
    commission = row.get("commission_cents")
    return Sale(
        receipt_no=receipt_no,
        counter=counter,
        number=number,
        width=width,
        created_at=parse_instant(row.get("created_at"), f"{receipt_no}: created_at"),
        business_date=parse_day(row.get("business_date"), f"{receipt_no}: business_date"),
        clerk=_required_text(row, "clerk", receipt_no),
        operator=_required_text(row, "operator", receipt_no),
        msisdn=_optional_text(row, "msisdn"),
        amount_cents=_usd_cents(row.get("amount_usd"), f"{receipt_no}: amount_usd"),
        paid_currency=paid_currency,
        paid_minor=paid_parse(row.get("paid_amount"), f"{receipt_no}: paid_amount"),
        change_usd_cents=_usd_cents(row.get("change_usd", "0.00"), f"{receipt_no}: change_usd"),
        change_khr=_whole_riel(row.get("change_khr", "0"), f"{receipt_no}: change_khr"),
        operator_ref=_optional_text(row, "operator_ref"),
        status=status,
        void_reason=_optional_text(row, "void_reason"),
        commission_cents=None
        if commission is None
        else _int(commission, f"{receipt_no}: commission_cents"),
    )


def parse_receipt_no(text: str) -> tuple[str, int, int]:
    """`A-000042` -> ("A", 42, 6): counter, number, digit width."""
    match = _RECEIPT.match(text.strip())
    if match is None:
        raise ReportDataError(f"{text!r} is not a receipt number like A-000042.")
    digits = match["number"]
    return match["counter"], int(digits), len(digits)


def parse_instant(value: object, what: str) -> datetime:
    """An aware datetime or an ISO 8601 string with an offset (or Z), in UTC."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ReportDataError(f"{what}: {value!r} is not an ISO 8601 time.") from None
    if not isinstance(value, datetime):
        raise ReportDataError(f"{what}: expected a time, got {value!r}.")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ReportDataError(
            f"{what}: {value.isoformat()} has no time zone; the ledger stores UTC."
        )
    return value.astimezone(ZoneInfo("UTC"))


def parse_day(value: object, what: str) -> date:
    if isinstance(value, datetime):
        raise ReportDataError(f"{what}: expected a date, got a time {value!r}.")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ReportDataError(f"{what}: {value!r} is not a date like 2026-11-25.")


def _required_text(row: Mapping[str, Any], key: str, receipt_no: str) -> str:
    value = row.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ReportDataError(f"{receipt_no}: {key} is missing.")
    return value.strip()


def _optional_text(row: Mapping[str, Any], key: str) -> str:
    value = row.get(key)
    return "" if value is None else str(value).strip()


def _currency(row: Mapping[str, Any], receipt_no: str) -> Currency:
    value = row.get("paid_currency")
    if value not in ("USD", "KHR"):
        raise ReportDataError(f"{receipt_no}: paid_currency {value!r} is neither USD nor KHR.")
    return Currency(value)


def _usd_cents(value: object, what: str) -> int:
    """Plain decimal "5.00" (or a Decimal with at most 2 places) -> cents. Never a float."""
    if isinstance(value, Decimal) and value.is_finite():
        value = f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else str(value)
    if not isinstance(value, str) or not _USD_TEXT.match(value):
        raise ReportDataError(f"{what}: {value!r} is not a dollar amount like 5.00.")
    return _parsed(value, Currency.USD, what)


def _whole_riel(value: object, what: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        value = str(value)
    if not isinstance(value, str) or not _KHR_TEXT.match(value):
        raise ReportDataError(f"{what}: {value!r} is not whole riel like 20000.")
    return _parsed(value, Currency.KHR, what)


def _parsed(text: str, currency: Currency, what: str) -> int:
    try:
        return _minor_units(text, currency)
    except AmountError as exc:
        raise ReportDataError(f"{what}: {exc}") from None


@lru_cache(maxsize=4096)
def _minor_units(text: str, currency: Currency) -> int:
    """`parse_amount`, remembered: a day repeats a few amounts ("5.00", "0") thousands of times."""
    return parse_amount(text, currency).minor


def _int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ReportDataError(f"{what}: {value!r} is not a whole number.")
    if isinstance(value, str):
        if not _KHR_TEXT.match(value):
            raise ReportDataError(f"{what}: {value!r} is not a whole number.")
        value = int(value)
    if value < 0:
        raise ReportDataError(f"{what}: {value} is negative.")
    return value


# --- voids -------------------------------------------------------------------------------


def parse_void(record: Mapping[str, Any]) -> VoidLine:
    receipt_no = _required_text(record, "receipt_no", "void")
    parse_receipt_no(receipt_no)
    at = record.get("at")
    return VoidLine(
        receipt_no=receipt_no,
        amount_cents=_int(record.get("amount_cents"), f"void of {receipt_no}: amount_cents"),
        requested_by=_optional_text(record, "requested_by"),
        approved_by=_optional_text(record, "approved_by"),
        reason=_optional_text(record, "reason"),
        at=None if at is None else parse_instant(at, f"void of {receipt_no}: at"),
    )


def _void_lines(sales: Sequence[Sale], voids: Iterable[Mapping[str, Any]]) -> tuple[VoidLine, ...]:
    """The void records, checked against the rows; a voided row without a record still shows."""
    by_receipt = {s.receipt_no: s for s in sales}
    lines: dict[str, VoidLine] = {}
    for record in voids:
        line = parse_void(record)
        if line.receipt_no in lines:
            raise ReportDataError(f"{line.receipt_no} is voided twice.")
        sale = by_receipt.get(line.receipt_no)
        if sale is not None and sale.is_sold:
            raise ReportDataError(f"{line.receipt_no} has a void record but its status is 'sold'.")
        if sale is not None and sale.amount_cents != line.amount_cents:
            raise ReportDataError(
                f"{line.receipt_no}: the void is for {line.amount_cents} cents, the sale for {sale.amount_cents}."
            )
        lines[line.receipt_no] = line
    for sale in sales:
        if not sale.is_sold and sale.receipt_no not in lines:
            lines[sale.receipt_no] = VoidLine(
                sale.receipt_no, sale.amount_cents, "", "", sale.void_reason, None
            )
    return tuple(sorted(lines.values(), key=_void_order))


def _void_order(line: VoidLine) -> tuple[str, int]:
    counter, number, _ = parse_receipt_no(line.receipt_no)
    return counter, number


# --- building the summary ----------------------------------------------------------------


def summarise(
    rows: Iterable[Mapping[str, Any]],
    voids: Iterable[Mapping[str, Any]],
    *,
    shop_name: str,
    day: date,
    counters: Sequence[str],
    printed_by: str,
    printed_at: datetime,
    commission_bp_by_operator: Mapping[str, int],
    operator_names: Mapping[str, str],
    zone: ZoneInfo,
) -> DaySummary:
    """Every figure of the day's report from the ledger's export rows and void records.

    `rows` must be the day's sales at `counters` (sold and voided); a row of another day or
    counter raises ReportDataError rather than being silently dropped or counted.
    """
    if printed_at.tzinfo is None or printed_at.utcoffset() is None:
        raise ReportDataError("printed_at has no time zone: pass an aware datetime.")
    sales = parse_sales(rows, day=day, counters=counters)
    sold = [s for s in sales if s.is_sold]
    warnings: list[str] = []
    operators = _operator_totals(sold, commission_bp_by_operator, operator_names, warnings)
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
        payments=_payments(sold),
        voids=_void_lines(sales, voids),
        total=total,
        receipt_ranges=_receipt_ranges(sales),
        warnings=tuple(warnings),
    )


def parse_sales(
    rows: Iterable[Mapping[str, Any]], *, day: date, counters: Sequence[str]
) -> list[Sale]:
    """Parse and check the rows: right day, right counters, no receipt number twice."""
    wanted = set(counters)
    sales: list[Sale] = []
    seen: set[str] = set()
    for row in rows:
        sale = parse_sale(row)
        if sale.business_date != day:
            raise ReportDataError(f"{sale.receipt_no} belongs to {sale.business_date}, not {day}.")
        if sale.counter not in wanted:
            raise ReportDataError(
                f"{sale.receipt_no} is from counter {sale.counter}, not {', '.join(counters)}."
            )
        if sale.receipt_no in seen:
            raise ReportDataError(f"{sale.receipt_no} appears twice in the ledger rows.")
        seen.add(sale.receipt_no)
        sales.append(sale)
    return sales


def _operator_totals(
    sold: Sequence[Sale],
    commission_bp: Mapping[str, int],
    names: Mapping[str, str],
    warnings: list[str],
) -> tuple[OperatorTotal, ...]:
    """Known operators in the rules' order (zeros included), then any other seen, by id."""
    count: dict[str, int] = {}
    amount: dict[str, int] = {}
    commission: dict[str, int] = {}
    for sale in sold:
        op = sale.operator
        bp = commission_bp.get(op, 0)
        per_sale = sale.commission_cents
        if per_sale is None:
            per_sale = (sale.amount_cents * bp + 5000) // 10000
        count[op] = count.get(op, 0) + 1
        amount[op] = amount.get(op, 0) + sale.amount_cents
        commission[op] = commission.get(op, 0) + per_sale
    order = list(names) + sorted(op for op in count if op not in names)
    for op in order:
        unrated = op not in commission_bp and any(
            s.commission_cents is None for s in sold if s.operator == op
        )
        if unrated:
            warnings.append(
                _(
                    "No commission rate for operator {operator!r}: its commission is counted as 0."
                ).format(operator=op)
            )
    return tuple(
        OperatorTotal(
            operator_id=op,
            name=names.get(op, op),
            commission_bp=commission_bp.get(op, 0),
            count=count.get(op, 0),
            amount_cents=amount.get(op, 0),
            commission_cents=commission.get(op, 0),
        )
        for op in order
    )


def _clerk_totals(sold: Sequence[Sale]) -> tuple[ClerkTotal, ...]:
    count: dict[str, int] = {}
    amount: dict[str, int] = {}
    for sale in sold:
        count[sale.clerk] = count.get(sale.clerk, 0) + 1
        amount[sale.clerk] = amount.get(sale.clerk, 0) + sale.amount_cents
    return tuple(ClerkTotal(c, count[c], amount[c]) for c in sorted(count, key=str.casefold))


def _hour_totals(sold: Sequence[Sale], zone: ZoneInfo, day: date) -> tuple[HourTotal, ...]:
    """Local hours from the first to the last sale, empty hours included."""
    if not sold:
        return ()
    count: dict[datetime, int] = {}
    amount: dict[datetime, int] = {}
    for sale in sold:
        local = sale.created_at.astimezone(zone)
        hour = local.replace(minute=0, second=0, microsecond=0)
        count[hour] = count.get(hour, 0) + 1
        amount[hour] = amount.get(hour, 0) + sale.amount_cents
    hours: list[HourTotal] = []
    # Step in UTC so a DST change (not in Cambodia, but in a shop's configured zone) is right.
    utc = ZoneInfo("UTC")
    step, last = min(count).astimezone(utc), max(count).astimezone(utc)
    while step <= last:
        hour = step.astimezone(zone).replace(minute=0, second=0, microsecond=0)
        if not hours or hours[-1].start != hour:
            hours.append(HourTotal(hour, count.get(hour, 0), amount.get(hour, 0), day))
        step += timedelta(hours=1)
    return tuple(hours)


def _payments(sold: Sequence[Sale]) -> Payments:
    usd = [s for s in sold if s.paid_currency is Currency.USD]
    khr = [s for s in sold if s.paid_currency is Currency.KHR]
    return Payments(
        received_usd_cents=sum(s.paid_minor for s in usd),
        received_khr=sum(s.paid_minor for s in khr),
        change_usd_cents=sum(s.change_usd_cents for s in sold),
        change_khr=sum(s.change_khr for s in sold),
        paid_in_usd=len(usd),
        paid_in_khr=len(khr),
    )


def _receipt_ranges(sales: Sequence[Sale]) -> tuple[ReceiptRange, ...]:
    """Per counter: first and last number of the day, and the runs missing between."""
    numbers: dict[str, list[int]] = {}
    widths: dict[str, int] = {}
    for sale in sales:
        numbers.setdefault(sale.counter, []).append(sale.number)
        widths[sale.counter] = min(widths.get(sale.counter, sale.width), sale.width)
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
