"""The daily report as data: CSV (sales lines + totals) and XLSX (Sales and Summary sheets).

Both are written from the same `Sale` records and the same `DaySummary` as the PDF, so the
three always agree; the sales lines are the export columns (`reporting.export`). Amounts are exact: plain decimals in CSV, `Decimal` numbers (not text)
with a `0.00` format in XLSX. Sales are written in receipt order, so the same ledger gives
the same CSV bytes every time.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from counter.domain.dayend import DaySummary
from counter.domain.money import Currency, plain_decimal
from counter.domain.records import Sale, Void
from counter.domain.text import shown
from counter.reporting.export import EXPORT_COLUMNS, export_row

TOTALS_COLUMNS: tuple[str, ...] = (
    "section",
    "key",
    "count",
    "amount_usd",
    "commission_usd",
    "amount_khr",
)

USD_FORMAT = "0.00"
KHR_FORMAT = '#,##0 "៛"'  # whole riel, the riel sign after
RATE_FORMAT = "#,##0"  # riel per dollar
TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class TotalsLine:
    """One line of the totals file: amounts in cents / riel, None where it does not apply."""

    section: str
    key: str
    count: int | None
    amount_cents: int | None
    commission_cents: int | None = None
    amount_khr: int | None = None
    name: str = ""  # for a person, translated: the XLSX `name` column (the CSV has none)


def totals_lines(summary: DaySummary) -> Iterator[TotalsLine]:
    """The summary flattened: operators, clerks, hours, payments, the rates used, voids,
    the deliveries (a shop that delivers), then the total."""
    for op in summary.operators:
        yield TotalsLine("operator", op.operator_id, op.count, op.amount_cents, op.commission_cents)
    for clerk in summary.clerks:
        yield TotalsLine("clerk", clerk.clerk, clerk.count, clerk.amount_cents)
    for hour in summary.hours:
        yield TotalsLine("hour", hour.label, hour.count, hour.amount_cents)
    pay = summary.payments
    yield TotalsLine("payment", "received_usd", pay.paid_in_usd, pay.received_usd_cents)
    yield TotalsLine("payment", "received_khr", pay.paid_in_khr, None, None, pay.received_khr)
    yield TotalsLine("payment", "change_usd", None, pay.change_usd_cents)
    yield TotalsLine("payment", "change_khr", None, None, None, pay.change_khr)
    yield TotalsLine("payment", "net_usd", None, pay.net_usd_cents)
    yield TotalsLine("payment", "net_khr", None, None, None, pay.net_khr)
    for use in summary.rates:  # key: riel per dollar; riel received at that rate
        yield TotalsLine(
            "rate", str(use.riel_per_usd), use.count, use.amount_cents, None, use.received_khr
        )
    yield from _khqr_lines(summary)
    for void in summary.voids:
        yield TotalsLine("void", void.receipt_no, 1, void.amount_cents)
    yield TotalsLine("voids", "all", summary.void_count, summary.void_total_cents)
    if summary.deliveries is not None:
        from counter.reporting.tabular_deliveries import delivery_lines

        yield from delivery_lines(summary.deliveries, summary.printed_at, summary.zone)
    for rng in summary.receipt_ranges:
        yield TotalsLine("missing_receipts", rng.counter, rng.missing_count, None)
    total = summary.total
    yield TotalsLine("total", "all", total.count, total.amount_cents, total.commission_cents)


def _khqr_lines(summary: DaySummary) -> Iterator[TotalsLine]:
    """KHQR takings (in the bank, not the drawer), only on a day that had any."""
    k = summary.khqr
    if not k.lines:
        return
    yield TotalsLine("khqr", "usd", k.usd_count, k.usd_cents)
    yield TotalsLine("khqr", "khr", k.khr_count, None, None, k.khr)
    for line in k.lines:
        usd = line.money.currency is Currency.USD
        yield TotalsLine(
            "khqr_payment",
            f"{line.receipt_no} {line.reference}",
            1,
            line.money.minor if usd else None,
            None,
            None if usd else line.money.minor,
        )


def sales_in_order(sales: Iterable[Sale]) -> list[Sale]:
    return sorted(sales, key=lambda s: (s.counter_code, s.receipt_seq))


def void_reasons(voids: Iterable[Void]) -> dict[int, str]:
    """The reason of each voided sale, by sale id."""
    return {void.sale_id: void.reason for void in voids}


# --- CSV ---------------------------------------------------------------------------------


def write_csv(
    sales: Sequence[Sale],
    voids: Sequence[Void],
    summary: DaySummary,
    sales_path: Path,
    totals_path: Path,
) -> None:
    """Sales lines (the export columns, in order) and the totals, as two UTF-8 files."""
    reasons = void_reasons(voids)
    with Path(sales_path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows(export_row(s, reasons.get(s.id, "")) for s in sales_in_order(sales))
    with Path(totals_path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(TOTALS_COLUMNS)
        writer.writerows(_csv_totals(line) for line in totals_lines(summary))


def _csv_totals(line: TotalsLine) -> list[str]:
    return [
        line.section,
        line.key,
        "" if line.count is None else str(line.count),
        "" if line.amount_cents is None else plain_decimal(line.amount_cents),
        "" if line.commission_cents is None else plain_decimal(line.commission_cents),
        "" if line.amount_khr is None else str(line.amount_khr),
    ]


# --- XLSX --------------------------------------------------------------------------------


def write_xlsx(
    sales: Sequence[Sale], voids: Sequence[Void], summary: DaySummary, path: Path
) -> None:
    """A workbook with a Sales sheet (one row per sale) and a Summary sheet, real numbers.

    Written in openpyxl's write-only (streaming) mode: several times faster on a busy day.
    """
    from openpyxl import Workbook  # here, so importing the package stays light

    workbook = Workbook(write_only=True)
    _fill_sales_sheet(
        workbook.create_sheet("Sales"),
        sales_in_order(sales),
        void_reasons(voids),
        ZoneInfo(summary.zone),
    )
    _fill_summary_sheet(workbook.create_sheet("Summary"), summary)
    # Fixed metadata: the file says when the report was printed, not when it was saved.
    stamp = summary.printed_at.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    workbook.properties.creator = "Counter"
    workbook.properties.title = f"Daily sales report {summary.day.isoformat()}"
    workbook.properties.created = stamp
    workbook.save(path)


def _fill_sales_sheet(
    sheet: Any, sales: list[Sale], reasons: dict[int, str], zone: ZoneInfo
) -> None:
    _start_sheet(
        sheet,
        [*EXPORT_COLUMNS, f"local_time ({zone.key})"],
        [11, 20, 12, 8, 14, 10, 15, 10, 8, 11, 10, 10, 16, 8, 24, 10, 10, 10, 11, 20],
    )
    utc = ZoneInfo("UTC")
    for sale in sales:
        at = sale.created_at.replace(microsecond=0)  # to the second, as in the CSV
        first = sale.payment.lines[0]
        usd_paid = first.currency is Currency.USD
        paid = _dollars(first.minor) if usd_paid else first.minor
        sheet.append(
            _escaped_row(
                sale.receipt_no,
                _cell(sheet, _naive(at, utc), TIME_FORMAT),  # UTC, as in the CSV
                _cell(sheet, sale.business_date, DATE_FORMAT),
                sale.counter_code,
                sale.clerk_name,
                sale.operator_id,
                sale.msisdn,
                _cell(sheet, _dollars(sale.amount_cents), USD_FORMAT),
                first.currency.value,
                _cell(sheet, paid, USD_FORMAT if usd_paid else KHR_FORMAT),
                _cell(sheet, _dollars(sale.change_usd_cents), USD_FORMAT),
                _cell(sheet, sale.change_khr, KHR_FORMAT),
                sale.operator_ref or "",
                sale.status,
                reasons.get(sale.id, "") if sale.voided else "",
                _cell(sheet, _dollars(sale.paid_usd_cents), USD_FORMAT),
                _cell(sheet, sale.paid_khr, KHR_FORMAT),
                _cell(sheet, sale.riel_per_usd, RATE_FORMAT),
                _cell(sheet, sale.amount_khr, KHR_FORMAT),
                _cell(sheet, _naive(at, zone), TIME_FORMAT),
            )
        )


def _fill_summary_sheet(sheet: Any, summary: DaySummary) -> None:
    _start_sheet(
        sheet,
        ["section", "key", "name", "count", "amount_usd", "commission_usd", "amount_khr"],
        [18, 16, 16, 8, 13, 15, 13],
    )
    names = {op.operator_id: op.name for op in summary.operators}
    for line in totals_lines(summary):
        name = names.get(line.key, "") if line.section == "operator" else line.name
        amount = None if line.amount_cents is None else _dollars(line.amount_cents)
        commission = None if line.commission_cents is None else _dollars(line.commission_cents)
        sheet.append(
            _escaped_row(
                line.section,
                line.key,
                name,
                line.count,
                _cell(sheet, amount, USD_FORMAT),
                _cell(sheet, commission, USD_FORMAT),
                _cell(sheet, line.amount_khr, KHR_FORMAT),
            )
        )


def _escaped_row(*values: Any) -> list[Any]:
    """A row with its text escaped (`domain.text.shown`): a control character recorded
    before the boundary check (an old ledger) would make openpyxl refuse the workbook."""
    return [shown(value) if isinstance(value, str) else value for value in values]


def _start_sheet(sheet: Any, header: list[str], widths: list[int]) -> None:
    """Column widths, frozen bold header row: all before the first row in write-only mode."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_cell(sheet, title, None, font=bold) for title in header])


def _cell(sheet: Any, value: Any, number_format: str | None, font: Any = None) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=shown(value) if isinstance(value, str) else value)
    if number_format is not None and value is not None:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


def _dollars(cents: int) -> Decimal:
    """Exact dollars: Decimal("5.00"), never a float."""
    return Decimal(cents).scaleb(-2)


def _naive(moment: datetime, zone: ZoneInfo) -> datetime:
    """Excel has no time zones: the wall-clock time in `zone`."""
    return moment.astimezone(zone).replace(tzinfo=None)
