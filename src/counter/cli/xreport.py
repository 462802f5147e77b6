"""`counter x-report`'s words and `--json`: the day so far, blind for whoever counts blind.

The use case has already withheld the expected cash from a reader who counts blind
(`CashCount.blind`); these say what the report holds, and nothing it does not.
"""

from __future__ import annotations

from pathlib import Path

from counter.domain.dayend import XReport
from counter.domain.shifts import difference_words
from counter.i18n import _, format_khr_for, format_usd_for, ngettext


def x_line(report: XReport) -> str:
    """`3 sales, $15.00; expected in the drawer: $35.00 and 40,000៛`, or blind: what was
    taken in cash, and that the expected cash comes after the count."""
    cash, total, pay = report.cash, report.summary.total, report.summary.payments
    if cash.blind:
        line = ngettext(
            "{count} sale, {amount}; taken in cash {usd} and {khr} (received less change); "
            "the expected cash is shown after the count (blind count)",
            "{count} sales, {amount}; taken in cash {usd} and {khr} (received less change); "
            "the expected cash is shown after the count (blind count)",
            total.count,
        ).format(
            count=total.count,
            amount=format_usd_for(total.amount_cents),
            usd=format_usd_for(pay.net_usd_cents),
            khr=format_khr_for(pay.net_khr),
        )
    else:
        line = ngettext(
            "{count} sale, {amount}; expected in the drawer: {usd} and {khr}",
            "{count} sales, {amount}; expected in the drawer: {usd} and {khr}",
            total.count,
        ).format(
            count=total.count,
            amount=format_usd_for(total.amount_cents),
            usd=format_usd_for(cash.expected_usd_cents),
            khr=format_khr_for(cash.expected_khr),
        )
    if cash.difference_usd_cents is not None and cash.difference_khr is not None:
        line += _("; counted {usd} and {khr}: {difference}").format(
            usd=format_usd_for(cash.counted_usd_cents or 0),
            khr=format_khr_for(cash.counted_khr or 0),
            difference=difference_words(cash.difference_usd_cents, cash.difference_khr),
        )
    return line + (_(" (day closed)") if report.closed else "")


def _pair(usd_cents: int | None, khr: int | None) -> dict[str, int] | None:
    if usd_cents is None or khr is None:
        return None
    return {"usd_cents": usd_cents, "khr": khr}


def x_json(report: XReport, path: Path) -> dict[str, object]:
    """The X report as one JSON object; `expected`, `counted` and `difference` are null
    while they are withheld (`blind`) or not known yet."""
    cash, summary = report.cash, report.summary
    pay, khqr = summary.payments, summary.khqr
    shift = report.shift
    shown = not cash.blind
    return {
        "ok": True,
        "path": str(path),
        "business_date": summary.day.isoformat(),
        "counters": list(summary.counters),
        "state": cash.state,
        "day_closed": report.closed,
        "shift": None if shift is None else shift.number,
        "shift_closed": report.shift_closed,
        "sales": summary.total.count,
        "amount_cents": summary.total.amount_cents,
        "taken": {
            "cash_usd_cents": pay.net_usd_cents,
            "cash_khr": pay.net_khr,
            "received_usd_cents": pay.received_usd_cents,
            "received_khr": pay.received_khr,
            "change_usd_cents": pay.change_usd_cents,
            "change_khr": pay.change_khr,
            "khqr_usd_cents": khqr.usd_cents,
            "khqr_khr": khqr.khr,
        },
        "opening": _pair(cash.opening_usd_cents, cash.opening_khr),
        "blind": cash.blind,
        "expected": _pair(cash.expected_usd_cents, cash.expected_khr) if shown else None,
        "counted": _pair(cash.counted_usd_cents, cash.counted_khr),
        "difference": _pair(cash.difference_usd_cents, cash.difference_khr),
    }
