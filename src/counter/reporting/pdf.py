"""The daily sales report as an A4 PDF: a `DaySummary` laid out, nothing computed here.

Built in small `_build_*` steps, each returning flowables. Amounts are right-aligned; every
total shown comes from the summary, which guarantees it is the exact sum of its lines.
The standard Helvetica font has no riel sign or Khmer letters, so riel print as `20,000 KHR`.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from counter.domain.money import format_usd
from counter.reporting.summary import CashCount, DaySummary, receipt_statement

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
GRID = colors.HexColor("#B0B0B0")
HEADER_FILL = colors.HexColor("#E8E8E8")
BAR = colors.HexColor("#3A6EA5")

PAYMENTS_NOTE = (
    "Voided sales are not counted here: their cash was handed back to the customer. "
    "Net cash is what these sales should have left in the drawer, before the opening float."
)


def render_day_report_pdf(
    summary: DaySummary, *, title: str = "Daily sales report", cash: CashCount | None = None
) -> bytes:
    """The report as PDF bytes; the same summary always gives the same bytes.

    With `cash`, a "Cash in the drawer" section follows the payments (X and Z reports).
    """
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 6 * mm,
        title=f"{title} {summary.day.isoformat()}",
        author=summary.shop_name,
        creator="Counter",
        invariant=True,
    )
    footer = f"{summary.shop_name} · {title} · {summary.day.isoformat()}"
    doc.build(_story(summary, title, cash), canvasmaker=_numbered_canvas(footer))
    return buffer.getvalue()


def _story(summary: DaySummary, title: str, cash: CashCount | None = None) -> list[Flowable]:
    styles = _styles()
    story = _build_header(summary, title, styles)
    if summary.total.count == 0:
        story += [Paragraph("No sales on this day.", styles["Empty"]), Spacer(1, 4 * mm)]
    else:
        story += _build_operators(summary, styles)
        story += _build_clerks(summary, styles)
        story += _build_hours(summary, styles)
    story += _build_payments(summary, styles)
    if cash is not None:
        story += _build_cash(cash, styles)
    story += _build_voids(summary, styles)
    story += _build_receipts(summary, styles)
    story += _build_notes(summary, styles)
    return story


# --- steps -------------------------------------------------------------------------------


def _build_header(summary: DaySummary, title: str, styles: StyleSheet1) -> list[Flowable]:
    printed_at = summary.printed_at.astimezone(ZoneInfo(summary.zone))
    counters = ", ".join(summary.counters)
    rows = [
        ["Shop", summary.shop_name],
        ["Business day", summary.day.strftime("%A %d %B %Y")],
        ["Counter" if len(summary.counters) == 1 else "Counters", counters],
        ["Printed by", summary.printed_by],
        ["Printed at", f"{printed_at:%Y-%m-%d %H:%M} ({summary.zone})"],
    ]
    table = Table(rows, colWidths=[35 * mm, CONTENT_WIDTH - 35 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold"),
                ("FONTSIZE", (0, 0), (-1, -1), 10),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [Paragraph(escape(title), styles["Title"]), table, Spacer(1, 5 * mm)]


def _build_operators(summary: DaySummary, styles: StyleSheet1) -> list[Flowable]:
    rows: list[list[Any]] = [["Operator", "Sales", "Amount", "Rate", "Commission"]]
    for op in summary.operators:
        rows.append(
            [
                op.name,
                f"{op.count:,}",
                format_usd(op.amount_cents),
                _rate(op.commission_bp),
                format_usd(op.commission_cents),
            ]
        )
    total = summary.total
    rows.append(
        [
            "TOTAL",
            f"{total.count:,}",
            format_usd(total.amount_cents),
            "",
            format_usd(total.commission_cents),
        ]
    )
    widths = [60 * mm, 22 * mm, 35 * mm, 20 * mm, 35 * mm]
    return _section("Sales per operator", _money_table(rows, widths, numeric_from=1), styles)


def _build_clerks(summary: DaySummary, styles: StyleSheet1) -> list[Flowable]:
    rows: list[list[Any]] = [["Clerk", "Sales", "Amount"]]
    rows += [[c.clerk, f"{c.count:,}", format_usd(c.amount_cents)] for c in summary.clerks]
    rows.append(["TOTAL", f"{summary.total.count:,}", format_usd(summary.total.amount_cents)])
    widths = [60 * mm, 22 * mm, 35 * mm]
    return _section("Sales per clerk", _money_table(rows, widths, numeric_from=1), styles)


def _build_hours(summary: DaySummary, styles: StyleSheet1) -> list[Flowable]:
    """The chart, then the hours in two tables side by side so the section stays short."""
    lines = [[h.label, f"{h.count:,}", format_usd(h.amount_cents)] for h in summary.hours]
    lines.append(["TOTAL", f"{summary.total.count:,}", format_usd(summary.total.amount_cents)])
    half = (len(lines) + 1) // 2
    header = ["Hour", "Sales", "Amount"]
    widths = [22 * mm, 16 * mm, 30 * mm]
    left = _money_table(
        [header, *lines[:half]], widths, numeric_from=1, total_row=None, font_size=8.5
    )
    right = _money_table([header, *lines[half:]], widths, numeric_from=1, font_size=8.5)
    pair = Table([[left, right]], colWidths=[80 * mm, 80 * mm], hAlign="LEFT")
    pair.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    heading = Paragraph("Sales per hour", styles["Section"])
    return [
        KeepTogether([heading, _hour_chart(summary), Spacer(1, 2 * mm), pair]),
        Spacer(1, 5 * mm),
    ]


def _hour_chart(summary: DaySummary) -> Drawing:
    """Bars of the amount sold per local hour (dollars; floats only to draw bar heights)."""
    height = 45 * mm
    drawing = Drawing(CONTENT_WIDTH, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 16 * mm, 10 * mm
    chart.width, chart.height = CONTENT_WIDTH - 20 * mm, height - 16 * mm
    chart.data = [[h.amount_cents / 100 for h in summary.hours]]
    chart.categoryAxis.categoryNames = [h.label[:2] for h in summary.hours]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "$%d"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#DDDDDD")
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barSpacing = 1
    drawing.add(chart)
    drawing.add(
        String(
            16 * mm,
            height - 4 * mm,
            f"Amount sold per hour (USD, {summary.zone})",
            fontName="Helvetica",
            fontSize=8,
        )
    )
    return drawing


def _build_payments(summary: DaySummary, styles: StyleSheet1) -> list[Flowable]:
    pay = summary.payments
    rows: list[list[Any]] = [
        ["", "US dollars", "Riel"],
        ["Received", format_usd(pay.received_usd_cents), _riel(pay.received_khr)],
        ["Change given", format_usd(-pay.change_usd_cents), _riel(-pay.change_khr)],
        ["Net cash from sales", format_usd(pay.net_usd_cents), _riel(pay.net_khr)],
        ["Sales paid in", f"{pay.paid_in_usd:,}", f"{pay.paid_in_khr:,}"],
    ]
    table = _money_table(rows, [60 * mm, 35 * mm, 40 * mm], numeric_from=1, total_row=3)
    note = Paragraph(escape(PAYMENTS_NOTE), styles["Note"])
    return _section("Payments received", table, styles, after=[Spacer(1, 1.5 * mm), note])


def _build_cash(cash: CashCount, styles: StyleSheet1) -> list[Flowable]:
    def usd(value: int | None) -> str:
        return "-" if value is None else format_usd(value)

    def khr(value: int | None) -> str:
        return "-" if value is None else _riel(value)

    rows: list[list[Any]] = [
        ["", "US dollars", "Riel"],
        ["Opening float", usd(cash.opening_usd_cents), khr(cash.opening_khr)],
        ["Expected in the drawer", usd(cash.expected_usd_cents), khr(cash.expected_khr)],
        ["Counted", usd(cash.counted_usd_cents), khr(cash.counted_khr)],
        ["Difference (counted - expected)", usd(cash.difference_usd_cents), khr(cash.difference_khr)],
    ]
    table = _money_table(rows, [60 * mm, 35 * mm, 40 * mm], numeric_from=1, total_row=4)
    if cash.counted_usd_cents is None:
        text = "Not counted: this is an X report, the day stays open."
    else:
        text = f"Counted and closed; confirmed by {cash.closed_by}."
    note = Paragraph(escape(text), styles["Note"])
    return _section("Cash in the drawer", table, styles, after=[Spacer(1, 1.5 * mm), note])


def _build_voids(summary: DaySummary, styles: StyleSheet1) -> list[Flowable]:
    """Always present: an owner must see that there were no voids, not guess it."""
    if not summary.voids:
        return _section("Voids", Paragraph("No voids today.", styles["Body"]), styles)
    cell = styles["Cell"]
    rows: list[list[Any]] = [["Receipt", "Amount", "Requested by", "Approved by", "Reason"]]
    for v in summary.voids:
        rows.append(
            [
                v.receipt_no,
                format_usd(v.amount_cents),
                Paragraph(escape(v.requested_by or "-"), cell),
                Paragraph(escape(v.approved_by or "-"), cell),
                Paragraph(escape(v.reason or "-"), cell),
            ]
        )
    count = summary.void_count
    rows.append(
        [
            f"{count} void{'s' if count != 1 else ''}",
            format_usd(summary.void_total_cents),
            "",
            "",
            "",
        ]
    )
    widths = [26 * mm, 24 * mm, 30 * mm, 30 * mm, CONTENT_WIDTH - 110 * mm]
    table = _money_table(rows, widths, numeric_from=1, numeric_to=1)
    note = Paragraph("Voided sales are not in the totals above.", styles["Note"])
    return _section("Voids", table, styles, after=[Spacer(1, 1.5 * mm), note])


def _build_receipts(summary: DaySummary, styles: StyleSheet1) -> list[Flowable]:
    if not summary.receipt_ranges:
        lines = [Paragraph("No receipts were issued on this day.", styles["Body"])]
    else:
        lines = [
            Paragraph(escape(receipt_statement(r)), styles["Body"]) for r in summary.receipt_ranges
        ]
    return [Paragraph("Receipt numbers", styles["Section"]), *lines, Spacer(1, 5 * mm)]


def _build_notes(summary: DaySummary, styles: StyleSheet1) -> list[Flowable]:
    if not summary.warnings:
        return []
    return [
        Paragraph("Notes", styles["Section"]),
        *(Paragraph(escape(w), styles["Body"]) for w in summary.warnings),
    ]


# --- blocks ------------------------------------------------------------------------------


def _section(
    heading: str, body: Flowable, styles: StyleSheet1, after: list[Flowable] | None = None
) -> list[Flowable]:
    """A heading kept with the start of its body, then a gap."""
    return [Paragraph(heading, styles["Section"]), body, *(after or []), Spacer(1, 5 * mm)]


def _money_table(
    rows: list[list[Any]],
    widths: list[float],
    *,
    numeric_from: int,
    numeric_to: int = -1,
    total_row: int | None = -1,
    font_size: float = 9.5,
) -> Table:
    """Header row shaded, figures right-aligned, the total row (if any) bold above a rule."""
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    style: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("FONTSIZE", (0, 0), (-1, -1), font_size),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("ALIGN", (numeric_from, 0), (numeric_to, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if total_row is not None:
        style += [
            ("LINEABOVE", (0, total_row), (-1, total_row), 0.8, colors.black),
            ("FONTNAME", (0, total_row), (-1, total_row), "Helvetica-Bold"),
        ]
    table.setStyle(TableStyle(style))
    return table


def _rate(bp: int) -> str:
    whole, rest = divmod(bp, 100)
    return f"{whole}.{rest:02d} %"


def _riel(riel: int) -> str:
    sign = "-" if riel < 0 else ""
    return f"{sign}{abs(riel):,} KHR"


def _styles() -> StyleSheet1:
    styles = getSampleStyleSheet()
    styles["Title"].alignment = 0
    styles["Title"].fontSize = 18
    styles["Title"].spaceAfter = 4 * mm
    styles.add(
        ParagraphStyle(
            "Section",
            parent=styles["Heading2"],
            fontSize=13,
            spaceBefore=0,
            spaceAfter=2 * mm,
            keepWithNext=1,
        )
    )
    styles.add(ParagraphStyle("Body", parent=styles["BodyText"], fontSize=10, leading=13))
    styles.add(ParagraphStyle("Cell", parent=styles["BodyText"], fontSize=9, leading=11))
    styles.add(
        ParagraphStyle(
            "Note",
            parent=styles["BodyText"],
            fontSize=8,
            leading=10,
            textColor=colors.HexColor("#555555"),
        )
    )
    styles.add(
        ParagraphStyle(
            "Empty", parent=styles["Heading2"], fontSize=14, spaceBefore=4 * mm, spaceAfter=4 * mm
        )
    )
    return styles


def _numbered_canvas(footer: str) -> type[Canvas]:
    """A canvas that holds its pages until the end, to print `Page N of M` on each."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._draw_footer(number, total)
                super().showPage()
            super().save()

        def _draw_footer(self, number: int, total: int) -> None:
            self.saveState()
            self.setFont("Helvetica", 8)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawString(MARGIN, MARGIN - 2 * mm, footer)
            self.drawRightString(PAGE_WIDTH - MARGIN, MARGIN - 2 * mm, f"Page {number} of {total}")
            self.restoreState()

    return NumberedCanvas
