"""The daily sales report as an A4 PDF: a `DaySummary` laid out, nothing computed here.

Built in small `_build_*` steps, each returning flowables. Amounts are right-aligned; every
total shown comes from the summary, which guarantees it is the exact sum of its lines.
Every text (headings, the shop, clerk and operator names, void reasons, the footer) is a
`TextBlock` (counter.typeset): split into script runs, each in an embedded font that has its
glyphs, so Khmer and Chinese names print right in an English or a Chinese report, also
through CUPS and Ghostscript. Riel print as `20,000 KHR`.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

from counter.domain.dayend import CashCount, DaySummary, receipt_statement
from counter.domain.money import Currency, format_usd
from counter.i18n import N_, _, format_date_for, get_language, ngettext, use_language
from counter.typeset.pdf import Align, TextBlock, base_font, draw_runs

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
        N_("X report (day closed)"),
        N_("Z report (day close)"),
        N_("Z report (shift close)"),
        N_("Z report (day close), copy"),
        N_("Z report (shift close), copy"),
    )
}

GREY = colors.HexColor("#555555")


def _text(
    text: str,
    size: float = 10,
    *,
    bold: bool = False,
    align: Align = "left",
    color: Any = colors.black,
    keep_with_next: bool = False,
) -> TextBlock:
    """Plain text (never markup) in the fonts its scripts need."""
    block = TextBlock(text, size, bold=bold, align=align, color=color)
    block.keepWithNext = int(keep_with_next)
    return block


def _note(text: str) -> TextBlock:
    return _text(text, 8, color=GREY)


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
    doc.build(_story(summary, title, cash), canvasmaker=_numbered_canvas(footer))
    return buffer.getvalue()


def _story(summary: DaySummary, title: str, cash: CashCount | None = None) -> list[Flowable]:
    """The sections in reading order; an X or Z report starts with the drawer's cash."""
    story = _build_header(summary, title)
    if cash is not None:
        story += _build_cash(cash)
    if summary.total.count == 0:
        story += [_text(_("No sales on this day."), 14, bold=True), Spacer(1, 6 * mm)]
    else:
        story += _build_operators(summary)
        story += _build_clerks(summary)
        story += _build_hours(summary)
    story += _build_payments(summary)
    story += _build_rates(summary)
    story += _build_khqr(summary)
    story += _build_voids(summary)
    if summary.deliveries is not None:
        from counter.reporting.pdf_deliveries import build_deliveries

        story += build_deliveries(summary.deliveries, summary.printed_at, summary.zone)
    story += _build_receipts(summary)
    story += _build_notes(summary)
    return story


# --- steps -------------------------------------------------------------------------------


def _build_header(summary: DaySummary, title: str) -> list[Flowable]:
    printed_at = summary.printed_at.astimezone(ZoneInfo(summary.zone))
    counters = ", ".join(summary.counters)
    pairs = [
        (_("Shop"), summary.shop_name),
        (_("Business day"), _business_day(summary)),
        (_("Counter") if len(summary.counters) == 1 else _("Counters"), counters),
        (_("Printed by"), summary.printed_by),
        (_("Printed at"), f"{printed_at:%Y-%m-%d %H:%M} ({summary.zone})"),
    ]
    rows = [[_text(label, bold=True), _text(value)] for label, value in pairs]
    table = Table(rows, colWidths=[35 * mm, CONTENT_WIDTH - 35 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), base_font()),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [_text(title, 18, bold=True), Spacer(1, 4 * mm), table, Spacer(1, 5 * mm)]


def _build_operators(summary: DaySummary) -> list[Flowable]:
    rows: list[list[str]] = [[_("Operator"), _("Sales"), _("Amount"), _("Rate"), _("Commission")]]
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
            _("TOTAL"),
            f"{total.count:,}",
            format_usd(total.amount_cents),
            "",
            format_usd(total.commission_cents),
        ]
    )
    widths = [60 * mm, 22 * mm, 35 * mm, 20 * mm, 35 * mm]
    return _section(_("Sales per operator"), _money_table(rows, widths, numeric_from=1))


def _build_clerks(summary: DaySummary) -> list[Flowable]:
    rows: list[list[str]] = [[_("Clerk"), _("Sales"), _("Amount")]]
    rows += [[c.clerk, f"{c.count:,}", format_usd(c.amount_cents)] for c in summary.clerks]
    rows.append([_("TOTAL"), f"{summary.total.count:,}", format_usd(summary.total.amount_cents)])
    widths = [60 * mm, 22 * mm, 35 * mm]
    return _section(_("Sales per clerk"), _money_table(rows, widths, numeric_from=1))


def _build_hours(summary: DaySummary) -> list[Flowable]:
    """The chart kept with its heading, then the hours in two tables side by side.

    Only the heading and the chart are kept together: the tables may start on the next
    page, so a long day never leaves half a page empty before its hours.
    """
    lines = [[h.label, f"{h.count:,}", format_usd(h.amount_cents)] for h in summary.hours]
    lines.append([_("TOTAL"), f"{summary.total.count:,}", format_usd(summary.total.amount_cents)])
    half = (len(lines) + 1) // 2
    header = [_("Hour"), _("Sales"), _("Amount")]
    widths = [22 * mm, 16 * mm, 30 * mm]
    left = _money_table(
        [header, *lines[:half]], widths, numeric_from=1, total_row=None, font_size=8.5
    )
    right = _money_table([header, *lines[half:]], widths, numeric_from=1, font_size=8.5)
    pair = Table([[left, right]], colWidths=[80 * mm, 80 * mm], hAlign="LEFT")
    pair.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), base_font()),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    caption = _("Amount sold per hour (USD, {zone})").format(zone=summary.zone)
    chart = [_heading(_("Sales per hour")), _text(caption, 8, color=GREY), _hour_chart(summary)]
    return [KeepTogether(chart), Spacer(1, 2 * mm), pair, Spacer(1, 5 * mm)]


def axis_top(cents: list[int]) -> tuple[int, int]:
    """The value axis's top and step, in whole dollars: the top is at or above the largest bar.

    The step is 1, 2 or 5 times a power of ten, with at most five steps to the top.
    """
    dollars = max(1, -(-max(cents, default=0) // 100))  # the largest bar, rounded up
    step = next(f * 10**e for e in range(12) for f in (1, 2, 5) if f * 10**e * 5 >= dollars)
    return -(-dollars // step) * step, step


def _hour_chart(summary: DaySummary) -> Drawing:
    """Bars of the amount sold per local hour (dollars; floats only to draw bar heights)."""
    height = 42 * mm
    drawing = Drawing(CONTENT_WIDTH, height, initialFontName=base_font())
    chart = VerticalBarChart()
    chart.x, chart.y = 16 * mm, 8 * mm
    chart.width, chart.height = CONTENT_WIDTH - 20 * mm, height - 12 * mm
    chart.data = [[h.amount_cents / 100 for h in summary.hours]]
    chart.categoryAxis.categoryNames = [h.label[:2] for h in summary.hours]
    top, step = axis_top([h.amount_cents for h in summary.hours])
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = base_font()
        axis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = step
    chart.valueAxis.labelTextFormat = "$%d"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#DDDDDD")
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barSpacing = 1
    drawing.add(chart)
    return drawing


def _build_payments(summary: DaySummary) -> list[Flowable]:
    pay = summary.payments
    rows: list[list[str]] = [
        ["", _("US dollars"), _("Riel")],
        [_("Received"), format_usd(pay.received_usd_cents), _riel(pay.received_khr)],
        [_("Change given"), format_usd(-pay.change_usd_cents), _riel(-pay.change_khr)],
        [_("Net cash from sales"), format_usd(pay.net_usd_cents), _riel(pay.net_khr)],
        [_("Sales paid in"), f"{pay.paid_in_usd:,}", f"{pay.paid_in_khr:,}"],
    ]
    table = _money_table(rows, [60 * mm, 35 * mm, 40 * mm], numeric_from=1, total_row=3)
    note = _note(str(PAYMENTS_NOTE))
    return _section(_("Payments received"), table, after=[Spacer(1, 1.5 * mm), note])


def _build_rates(summary: DaySummary) -> list[Flowable]:
    """The exchange rates the day's sales used (a rate changed at noon: two rows), with
    the riel received at each, so every riel sale's value can be checked by hand."""
    if not summary.rates:
        return []
    rows: list[list[str]] = [[_("Riel per dollar"), _("Sales"), _("Amount"), _("Riel received")]]
    rows += [
        [
            f"{use.riel_per_usd:,}",
            f"{use.count:,}",
            format_usd(use.amount_cents),
            _riel(use.received_khr),
        ]
        for use in summary.rates
    ]
    table = _money_table(rows, [35 * mm, 20 * mm, 35 * mm, 40 * mm], numeric_from=1, total_row=None)
    return _section(_("Exchange rates used"), table)


def _build_khqr(summary: DaySummary) -> list[Flowable]:
    """KHQR takings per currency and each payment's reference: in the bank, not the drawer."""
    k = summary.khqr
    if not k.lines:
        return []
    rows: list[list[str]] = [
        ["", _("US dollars"), _("Riel")],
        [_("Paid by KHQR"), format_usd(k.usd_cents), _riel(k.khr)],
        [_("Payments"), f"{k.usd_count:,}", f"{k.khr_count:,}"],
    ]
    for line in k.lines:
        usd = line.money.currency is Currency.USD
        amount = format_usd(line.money.minor) if usd else _riel(line.money.minor)
        label = f"{line.receipt_no} · {line.reference[:16]}"
        rows.append([label, amount if usd else "", "" if usd else amount])
    table = _money_table(rows, [60 * mm, 35 * mm, 40 * mm], numeric_from=1, total_row=1)
    note = _note(_("KHQR payments are in the shop's bank account: the drawer does not count them."))
    return _section(_("KHQR payments"), table, after=[Spacer(1, 1.5 * mm), note])


def _build_cash(cash: CashCount) -> list[Flowable]:
    def usd(value: int | None) -> str:
        return "-" if value is None else format_usd(value)

    def khr(value: int | None) -> str:
        return "-" if value is None else _riel(value)

    difference = _("Difference (counted - expected)")
    rows: list[list[str]] = [
        ["", _("US dollars"), _("Riel")],
        [_("Opening cash"), usd(cash.opening_usd_cents), khr(cash.opening_khr)],
        [_("Expected in the drawer"), usd(cash.expected_usd_cents), khr(cash.expected_khr)],
        [_("Counted"), usd(cash.counted_usd_cents), khr(cash.counted_khr)],
        [difference, usd(cash.difference_usd_cents), khr(cash.difference_khr)],
    ]
    rows = rows[:2] if cash.blind else rows  # withheld from whoever counts blind
    total = None if cash.blind else 4
    table = _money_table(rows, [60 * mm, 35 * mm, 40 * mm], numeric_from=1, total_row=total)
    if cash.blind:
        text = _(
            "Blind count: the expected cash and the difference are shown once the shift's "
            "count is recorded. What was taken is under Payments received."
        )
    elif cash.counted_usd_cents is None:
        text = _("Not counted: this is an X report.")
    elif cash.closed_by:
        text = _("Counted by {counter} and closed; confirmed by {name}.").format(
            counter=cash.counted_by or cash.closed_by, name=cash.closed_by
        )
    else:
        text = _("Counted by {counter} and closed.").format(counter=cash.counted_by)
    notes = [Spacer(1, 1.5 * mm)]
    if cash.state:  # whether the report's shift and its day are closed
        notes.append(_text(cash.state, 10, bold=True))
    notes.append(_note(text))
    if cash.code:
        notes.append(_text(_("Z code  {code}").format(code=cash.code), 10, bold=True))
    return _section(_("Cash in the drawer"), table, after=notes)


def _build_voids(summary: DaySummary) -> list[Flowable]:
    """Always present: an owner must see that there were no voids, not guess it."""
    if not summary.voids:
        return _section(_("Voids"), _text(_("No voids today.")))
    rows: list[list[str]] = [
        [_("Receipt"), _("Amount"), _("Requested by"), _("Approved by"), _("Reason")]
    ]
    for v in summary.voids:
        rows.append(
            [
                v.receipt_no,
                format_usd(v.amount_cents),
                v.requested_by or "-",
                v.approved_by or "-",
                v.reason or "-",
            ]
        )
    count = summary.void_count
    voids = ngettext("{count} void", "{count} voids", count).format(count=count)
    rows.append([voids, format_usd(summary.void_total_cents), "", "", ""])
    widths = [26 * mm, 24 * mm, 30 * mm, 30 * mm, CONTENT_WIDTH - 110 * mm]
    table = _money_table(rows, widths, numeric_from=1, numeric_to=1)
    note = _note(_("Voided sales are not in the totals above."))
    return _section(_("Voids"), table, after=[Spacer(1, 1.5 * mm), note])


def _build_receipts(summary: DaySummary) -> list[Flowable]:
    if not summary.receipt_ranges:
        lines = [_text(_("No receipts were issued on this day."))]
    else:
        lines = [_text(receipt_statement(r)) for r in summary.receipt_ranges]
    return [_heading(_("Receipt numbers")), *lines, Spacer(1, 5 * mm)]


def _build_notes(summary: DaySummary) -> list[Flowable]:
    if not summary.warnings:
        return []
    return [_heading(_("Notes")), *(_text(w) for w in summary.warnings)]


# --- blocks ------------------------------------------------------------------------------


def _heading(text: str) -> Flowable:
    return _text(text, 13, bold=True, keep_with_next=True)


def _section(heading: str, body: Flowable, after: list[Flowable] | None = None) -> list[Flowable]:
    """A heading kept with the start of its body, then a gap."""
    return [_heading(heading), Spacer(1, 1.5 * mm), body, *(after or []), Spacer(1, 5 * mm)]


def _money_table(
    rows: list[list[str]],
    widths: list[float],
    *,
    numeric_from: int,
    numeric_to: int = -1,
    total_row: int | None = -1,
    font_size: float = 9.5,
) -> Table:
    """Header row shaded, figures right-aligned, the total row (if any) bold above a rule."""
    last = len(rows) - 1
    total = None if total_row is None else total_row % len(rows)
    numeric_end = numeric_to % len(widths)
    cells = [
        [
            _text(
                value,
                font_size,
                bold=r in (0, total),
                align="right" if numeric_from <= c <= numeric_end else "left",
            )
            for c, value in enumerate(row)
        ]
        for r, row in enumerate(rows)
    ]
    table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    style: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), base_font()),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("LINEBELOW", (0, 1), (-1, last), 0.25, GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    if total is not None:
        style.append(("LINEABOVE", (0, total), (-1, total), 0.8, colors.black))
    table.setStyle(TableStyle(style))
    return table


def _rate(bp: int) -> str:
    whole, rest = divmod(bp, 100)
    return f"{whole}.{rest:02d} %"


def _riel(riel: int) -> str:
    sign = "-" if riel < 0 else ""
    return f"{sign}{abs(riel):,} KHR"


def _business_day(summary: DaySummary) -> str:
    """`Wednesday 25 November 2026` in English (as always); Babel's full date otherwise."""
    if get_language() == "en":
        return summary.day.strftime("%A %d %B %Y")
    return format_date_for(summary.day, fmt="full")


def _numbered_canvas(footer: str) -> type[Canvas]:
    """A canvas that holds its pages until the end, to print `Page N of M` on each."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["initialFontName"] = kwargs.get("initialFontName") or base_font()  # no Helvetica
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
            page = _("Page {number} of {total}").format(number=number, total=total)
            y = MARGIN - 2 * mm
            draw_runs(self, MARGIN, y, footer, 8, color=GREY)
            draw_runs(self, PAGE_WIDTH - MARGIN, y, page, 8, align="right", color=GREY)
            self.restoreState()

    return NumberedCanvas
