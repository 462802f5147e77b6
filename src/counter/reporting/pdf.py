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

from counter.domain.dayend import CashCount, DaySummary, receipt_statement
from counter.domain.money import format_usd
from counter.i18n import N_, _, format_date_for, get_language, use_language

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
GRID = colors.HexColor("#B0B0B0")
HEADER_FILL = colors.HexColor("#E8E8E8")
BAR = colors.HexColor("#3A6EA5")

PAYMENTS_NOTE = N_(
    "Voided sales are not counted here: their cash was handed back to the customer. "
    "Net cash is what these sales should have left in the drawer, before the opening cash."
)

# The report titles the services pass, marked for translation (an unknown title is shown as is).
TITLES = {
    str(t.message): t
    for t in (
        N_("Daily sales report"),
        N_("X report (day not closed)"),
        N_("Z report (day close)"),
    )
}

# Chinese reports use ReportLab's built-in CID font (no font file is embedded; the viewer
# supplies a CJK font). It has no bold face, so headings stay in the same font.
CJK_FONT = "STSong-Light"


def _font(bold: bool = False) -> str:
    if get_language() == "zh":
        _register_cjk()
        return CJK_FONT
    return "Helvetica-Bold" if bold else "Helvetica"


def _register_cjk() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def render_day_report_pdf(
    summary: DaySummary,
    *,
    title: str = "Daily sales report",
    cash: CashCount | None = None,
    language: str | None = None,
) -> bytes:
    """The report as PDF bytes; the same summary always gives the same bytes.

    With `cash`, a "Cash in the drawer" section follows the payments (X and Z reports).
    `language` (`en`, `zh`; default: the active language) sets the headings and labels;
    figures, names and receipt numbers are data and print as they are.
    """
    with use_language(language):
        return _render(summary, str(TITLES.get(title, title)), cash)


def _render(summary: DaySummary, title: str, cash: CashCount | None) -> bytes:
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
    doc.build(_story(summary, title, cash), canvasmaker=_numbered_canvas(footer, _font()))
    return buffer.getvalue()


def _story(summary: DaySummary, title: str, cash: CashCount | None = None) -> list[Flowable]:
    styles = _styles()
    story = _build_header(summary, title, styles)
    if summary.total.count == 0:
        story += [Paragraph(escape(_("No sales on this day.")), styles["Empty"]), Spacer(1, 4 * mm)]
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
        [_("Shop"), summary.shop_name],
        [_("Business day"), _business_day(summary)],
        [_("Counter") if len(summary.counters) == 1 else _("Counters"), counters],
        [_("Printed by"), summary.printed_by],
        [_("Printed at"), f"{printed_at:%Y-%m-%d %H:%M} ({summary.zone})"],
    ]
    table = Table(rows, colWidths=[35 * mm, CONTENT_WIDTH - 35 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (0, -1), _font(bold=True)),
                ("FONTNAME", (1, 0), (-1, -1), _font()),
                ("FONTSIZE", (0, 0), (-1, -1), 10),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [Paragraph(escape(title), styles["Title"]), table, Spacer(1, 5 * mm)]


def _build_operators(summary: DaySummary, styles: StyleSheet1) -> list[Flowable]:
    rows: list[list[Any]] = [[_("Operator"), _("Sales"), _("Amount"), _("Rate"), _("Commission")]]
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
    return _section(_("Sales per operator"), _money_table(rows, widths, numeric_from=1), styles)


def _build_clerks(summary: DaySummary, styles: StyleSheet1) -> list[Flowable]:
    rows: list[list[Any]] = [[_("Clerk"), _("Sales"), _("Amount")]]
    rows += [[c.clerk, f"{c.count:,}", format_usd(c.amount_cents)] for c in summary.clerks]
    rows.append(["TOTAL", f"{summary.total.count:,}", format_usd(summary.total.amount_cents)])
    widths = [60 * mm, 22 * mm, 35 * mm]
    return _section(_("Sales per clerk"), _money_table(rows, widths, numeric_from=1), styles)


def _build_hours(summary: DaySummary, styles: StyleSheet1) -> list[Flowable]:
    """The chart, then the hours in two tables side by side so the section stays short."""
    lines = [[h.label, f"{h.count:,}", format_usd(h.amount_cents)] for h in summary.hours]
    lines.append(["TOTAL", f"{summary.total.count:,}", format_usd(summary.total.amount_cents)])
    half = (len(lines) + 1) // 2
    header = [_("Hour"), _("Sales"), _("Amount")]
    widths = [22 * mm, 16 * mm, 30 * mm]
    left = _money_table(
        [header, *lines[:half]], widths, numeric_from=1, total_row=None, font_size=8.5
    )
    right = _money_table([header, *lines[half:]], widths, numeric_from=1, font_size=8.5)
    pair = Table([[left, right]], colWidths=[80 * mm, 80 * mm], hAlign="LEFT")
    pair.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    heading = Paragraph(escape(_("Sales per hour")), styles["Section"])
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
            _("Amount sold per hour (USD, {zone})").format(zone=summary.zone),
            fontName=_font(),
            fontSize=8,
        )
    )
    return drawing


def _build_payments(summary: DaySummary, styles: StyleSheet1) -> list[Flowable]:
    pay = summary.payments
    rows: list[list[Any]] = [
        ["", _("US dollars"), _("Riel")],
        [_("Received"), format_usd(pay.received_usd_cents), _riel(pay.received_khr)],
        [_("Change given"), format_usd(-pay.change_usd_cents), _riel(-pay.change_khr)],
        [_("Net cash from sales"), format_usd(pay.net_usd_cents), _riel(pay.net_khr)],
        [_("Sales paid in"), f"{pay.paid_in_usd:,}", f"{pay.paid_in_khr:,}"],
    ]
    table = _money_table(rows, [60 * mm, 35 * mm, 40 * mm], numeric_from=1, total_row=3)
    note = Paragraph(escape(str(PAYMENTS_NOTE)), styles["Note"])
    return _section(_("Payments received"), table, styles, after=[Spacer(1, 1.5 * mm), note])


def _build_cash(cash: CashCount, styles: StyleSheet1) -> list[Flowable]:
    def usd(value: int | None) -> str:
        return "-" if value is None else format_usd(value)

    def khr(value: int | None) -> str:
        return "-" if value is None else _riel(value)

    rows: list[list[Any]] = [
        ["", _("US dollars"), _("Riel")],
        [_("Opening cash"), usd(cash.opening_usd_cents), khr(cash.opening_khr)],
        [_("Expected in the drawer"), usd(cash.expected_usd_cents), khr(cash.expected_khr)],
        [_("Counted"), usd(cash.counted_usd_cents), khr(cash.counted_khr)],
        [
            _("Difference (counted - expected)"),
            usd(cash.difference_usd_cents),
            khr(cash.difference_khr),
        ],
    ]
    table = _money_table(rows, [60 * mm, 35 * mm, 40 * mm], numeric_from=1, total_row=4)
    if cash.counted_usd_cents is None:
        text = _("Not counted: this is an X report, the day stays open.")
    else:
        text = _("Counted and closed; confirmed by {name}.").format(name=cash.closed_by)
    note = Paragraph(escape(text), styles["Note"])
    return _section(_("Cash in the drawer"), table, styles, after=[Spacer(1, 1.5 * mm), note])


def _build_voids(summary: DaySummary, styles: StyleSheet1) -> list[Flowable]:
    """Always present: an owner must see that there were no voids, not guess it."""
    if not summary.voids:
        return _section(_("Voids"), Paragraph(escape(_("No voids today.")), styles["Body"]), styles)
    cell = styles["Cell"]
    rows: list[list[Any]] = [
        [_("Receipt"), _("Amount"), _("Requested by"), _("Approved by"), _("Reason")]
    ]
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
    note = Paragraph(escape(_("Voided sales are not in the totals above.")), styles["Note"])
    return _section(_("Voids"), table, styles, after=[Spacer(1, 1.5 * mm), note])


def _build_receipts(summary: DaySummary, styles: StyleSheet1) -> list[Flowable]:
    if not summary.receipt_ranges:
        lines = [Paragraph(escape(_("No receipts were issued on this day.")), styles["Body"])]
    else:
        lines = [
            Paragraph(escape(receipt_statement(r)), styles["Body"]) for r in summary.receipt_ranges
        ]
    return [Paragraph(escape(_("Receipt numbers")), styles["Section"]), *lines, Spacer(1, 5 * mm)]


def _build_notes(summary: DaySummary, styles: StyleSheet1) -> list[Flowable]:
    if not summary.warnings:
        return []
    return [
        Paragraph(escape(_("Notes")), styles["Section"]),
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
        ("FONTNAME", (0, 0), (-1, -1), _font()),
        ("FONTNAME", (0, 0), (-1, 0), _font(bold=True)),
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
            ("FONTNAME", (0, total_row), (-1, total_row), _font(bold=True)),
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
    if get_language() != "en":
        for name in ("Title", "Section", "Body", "Cell", "Note", "Empty"):
            styles[name].fontName = _font()
    return styles


def _business_day(summary: DaySummary) -> str:
    """`Wednesday 25 November 2026` in English (as always); Babel's full date otherwise."""
    if get_language() == "en":
        return summary.day.strftime("%A %d %B %Y")
    return format_date_for(summary.day, fmt="full")


def _numbered_canvas(footer: str, font: str = "Helvetica") -> type[Canvas]:
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
            self.setFont(font, 8)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawString(MARGIN, MARGIN - 2 * mm, footer)
            self.drawRightString(
                PAGE_WIDTH - MARGIN,
                MARGIN - 2 * mm,
                _("Page {number} of {total}").format(number=number, total=total),
            )
            self.restoreState()

    return NumberedCanvas
