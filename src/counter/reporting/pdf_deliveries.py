"""The deliveries section of the day's, X and Z reports: a `DeliveryReport` laid out.

Four parts, each said even when empty so an owner never has to guess: the deliveries by
channel and state, the refunds paid out of the drawer, the ones still open by age (oldest
first, their age when the report was printed), and the float the ledger expects beside
the dealer balance read from the modem or the API.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from counter.domain.delivery import state_label
from counter.domain.delivery_report import DeliveryReport, FloatCheck, age_words, open_minutes
from counter.domain.money import format_usd
from counter.i18n import _, ngettext
from counter.reporting.pdf import CONTENT_WIDTH, _heading, _money_table, _note, _riel, _text

__all__ = ["age_words", "build_deliveries"]


def build_deliveries(report: DeliveryReport, printed_at: datetime, zone: str) -> list[Flowable]:
    story: list[Flowable] = [_heading(_("Deliveries")), Spacer(1, 1.5 * mm)]
    story += _states(report)
    story += _refunds(report)
    story += _open(report, printed_at, zone)
    story += _floats(report.floats, zone)
    return [*story, Spacer(1, 5 * mm)]


def _states(report: DeliveryReport) -> list[Flowable]:
    if not report.states:
        return [_text(_("No deliveries on this day.")), Spacer(1, 2 * mm)]
    rows = [[_("Channel"), _("State"), _("Count"), _("Amount")]]
    rows += [
        [s.channel.value, state_label(s.state), f"{s.count:,}", format_usd(s.amount_cents)]
        for s in report.states
    ]
    widths = [30 * mm, 40 * mm, 20 * mm, 30 * mm]
    table = _money_table(rows, widths, numeric_from=2, total_row=None)
    return [table, Spacer(1, 3 * mm)]


def _refunds(report: DeliveryReport) -> list[Flowable]:
    title = _text(_("Refunds"), 11, bold=True, keep_with_next=True)
    if not report.refunds:
        return [title, _text(_("No refunds on this day.")), Spacer(1, 2 * mm)]
    rows = [[_("Receipt"), _("State"), _("US dollars"), _("Riel"), _("By"), _("Reason")]]
    for r in report.refunds:
        rows.append(
            [
                r.receipt_no,
                state_label(r.state),
                format_usd(r.usd_cents),
                _riel(r.khr),
                r.by,
                r.reason,
            ]
        )
    count = len(report.refunds)
    rows.append(
        [
            ngettext("{count} refund", "{count} refunds", count).format(count=count),
            "",
            format_usd(report.refund_usd_cents),
            _riel(report.refund_khr),
            "",
            "",
        ]
    )
    widths = [22 * mm, 20 * mm, 26 * mm, 24 * mm, 32 * mm, CONTENT_WIDTH - 124 * mm]
    table = _money_table(rows, widths, numeric_from=2, numeric_to=3)
    note = _note(_("The refunds are already taken out of the cash expected in the drawer."))
    return [title, table, Spacer(1, 1.5 * mm), note, Spacer(1, 3 * mm)]


def _open(report: DeliveryReport, printed_at: datetime, zone: str) -> list[Flowable]:
    title = _text(_("Still open, oldest first"), 11, bold=True, keep_with_next=True)
    if not report.open_items:
        return [title, _text(_("No delivery is still open.")), Spacer(1, 2 * mm)]
    rows = [
        [
            _("Receipt"),
            _("State"),
            _("Channel"),
            _("Amount"),
            _("Sold at"),
            _("Open for"),
            _("Accepted"),
        ]
    ]
    today = printed_at.astimezone(ZoneInfo(zone)).date()
    for d in report.open_items:
        sold = d.created_at.astimezone(ZoneInfo(zone))
        accepted = report.accepted_on(d.id)  # an open item of an earlier day's close
        rows.append(
            [
                d.receipt_no,
                state_label(d.state),
                d.channel.value,
                format_usd(d.amount_cents),
                f"{sold:%H:%M}" if sold.date() == today else sold.date().isoformat(),
                age_words(open_minutes(d.created_at, printed_at)),
                accepted.isoformat() if accepted else "-",
            ]
        )
    widths = [22 * mm, 32 * mm, 20 * mm, 20 * mm, 24 * mm, 28 * mm, 24 * mm]
    table = _money_table(rows, widths, numeric_from=3, numeric_to=3, total_row=None)
    return [title, table, Spacer(1, 3 * mm)]


def _floats(floats: tuple[FloatCheck, ...], zone: str) -> list[Flowable]:
    title = _text(_("Float beside the dealer balance"), 11, bold=True, keep_with_next=True)
    if not floats:
        return []
    rows = [
        [_("Operator"), _("Expected float"), _("Dealer balance"), _("Read at"), _("Difference")]
    ]
    for f in floats:
        read = f.reading
        if read is None:
            rows.append([f.operator_id, format_usd(f.expected_cents), _("not read"), "-", "-"])
            continue
        shown = format_usd(read.minor) if read.currency == "USD" else _riel(read.minor)
        when = read.read_at.astimezone(ZoneInfo(zone))
        diff = f.difference_cents
        rows.append(
            [
                f.operator_id,
                format_usd(f.expected_cents),
                shown,
                f"{when:%H:%M} ({read.channel.value})",
                "-" if diff is None else format_usd(diff),
            ]
        )
    widths = [26 * mm, 34 * mm, 34 * mm, 40 * mm, 30 * mm]
    table = _money_table(rows, widths, numeric_from=1, total_row=None)
    note = _note(
        _(
            "The dealer balance is the last one read that day; `counter deliveries balance` reads it."
        )
    )
    return [title, table, Spacer(1, 1.5 * mm), note]
