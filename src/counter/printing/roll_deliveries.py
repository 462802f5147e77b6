"""The deliveries part of an X or Z report on the receipt roll: the same `DeliveryReport`
the A4 PDF lays out (`reporting.pdf_deliveries`), as plain lines, translated.

Four sections, each said even when empty, as on the PDF: the deliveries by channel and
state, the refunds paid out of the drawer, the ones still open (oldest first, with their
age when the report was printed, and the day an earlier one was accepted as an open item),
and the float the ledger expects beside the dealer balance last read.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from counter.domain.delivery import state_label
from counter.domain.delivery_report import DeliveryReport, FloatCheck, age_words, open_minutes
from counter.i18n import _, format_khr_for, format_usd_for, ngettext
from counter.printing.roll import RollLine, RollSection


def delivery_sections(
    report: DeliveryReport, printed_at: datetime, zone: str
) -> tuple[RollSection, ...]:
    sections = [_states(report), _refunds(report), _open(report, printed_at, zone)]
    if report.floats:
        sections.append(_floats(report.floats, zone))
    return tuple(sections)


def _states(report: DeliveryReport) -> RollSection:
    lines = tuple(
        RollLine(f"{s.channel.value} {state_label(s.state)}", f"{s.count} {_usd(s.amount_cents)}")
        for s in report.states
    )
    return RollSection(_("Deliveries"), lines or (RollLine(_("No deliveries on this day.")),))


def _refunds(report: DeliveryReport) -> RollSection:
    if not report.refunds:
        return RollSection(_("Refunds"), (RollLine(_("No refunds on this day.")),))
    lines: list[RollLine] = []
    for r in report.refunds:
        lines.append(RollLine(f"{r.receipt_no} {state_label(r.state)}", _cash(r.usd_cents, r.khr)))
        lines.append(RollLine(r.reason))
    count = len(report.refunds)
    lines.append(
        RollLine(
            ngettext("{count} refund", "{count} refunds", count).format(count=count),
            _cash(report.refund_usd_cents, report.refund_khr),
            bold=True,
        )
    )
    lines.append(
        RollLine(_("The refunds are already taken out of the cash expected in the drawer."))
    )
    return RollSection(_("Refunds"), tuple(lines))


def _open(report: DeliveryReport, printed_at: datetime, zone: str) -> RollSection:
    title = _("Still open, oldest first")
    if not report.open_items:
        return RollSection(title, (RollLine(_("No delivery is still open.")),))
    local = ZoneInfo(zone)
    lines: list[RollLine] = []
    for d in report.open_items:
        sold = d.created_at.astimezone(local)
        lines.append(RollLine(f"{d.receipt_no} {state_label(d.state)}", _usd(d.amount_cents)))
        shown = (
            f"{sold:%H:%M}"
            if sold.date() == printed_at.astimezone(local).date()
            else (f"{sold:%Y-%m-%d %H:%M}")
        )
        lines.append(RollLine(_("Sold at"), shown))
        lines.append(RollLine(_("Open for"), age_words(open_minutes(d.created_at, printed_at))))
        accepted = report.accepted_on(d.id)
        if accepted is not None:
            lines.append(RollLine(_("Accepted as open on"), accepted.isoformat()))
    return RollSection(title, tuple(lines))


def _floats(floats: tuple[FloatCheck, ...], zone: str) -> RollSection:
    lines: list[RollLine] = []
    for f in floats:
        lines.append(RollLine(f.operator_id))
        lines.append(RollLine(_("Expected float"), _usd(f.expected_cents)))
        read = f.reading
        if read is None:
            lines.append(RollLine(_("Dealer balance"), _("not read")))
            continue
        shown = _usd(read.minor) if read.currency == "USD" else format_khr_for(read.minor)
        lines.append(RollLine(_("Dealer balance"), shown))
        when = read.read_at.astimezone(ZoneInfo(zone))
        lines.append(RollLine(_("Read at"), f"{when:%H:%M} ({read.channel.value})"))
        diff = f.difference_cents
        if diff is not None:
            lines.append(RollLine(_("Difference"), _usd(diff)))
    return RollSection(_("Float beside the dealer balance"), tuple(lines))


def _usd(cents: int) -> str:
    return format_usd_for(cents)


def _cash(usd_cents: int, khr: int) -> str:
    """The cash given back, per currency: `$2.00`, `20,000៛`, `$1.00 + 4,000៛`."""
    if usd_cents and khr:
        return f"{format_usd_for(usd_cents)} + {format_khr_for(khr)}"
    return format_khr_for(khr) if khr else format_usd_for(usd_cents)
