"""The deliveries section of the daily, X and Z reports as lines of the CSV totals file
and the XLSX Summary sheet: the same `DeliveryReport` the PDF and the roll lay out.

Sections and keys are a data contract, in English like the headers: `delivery`
(`<channel>:<state>`, count and amount), `refund` (receipt: the cash given back per
currency), `refunds` (`all`), `open_delivery` (`<receipt> <state> <sold at, local>`:
its amount; its age follows from the report's printing time), `float_expected` and
`dealer_balance` (per operator). The XLSX `name` column says each in words, in the report's language.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from counter.domain.delivery import state_label
from counter.domain.delivery_report import DeliveryReport, age_words, open_minutes
from counter.i18n import _

if TYPE_CHECKING:
    from counter.reporting.tabular import TotalsLine


def delivery_lines(report: DeliveryReport, printed_at: datetime, zone: str) -> Iterator[TotalsLine]:
    from counter.reporting.tabular import TotalsLine

    for s in report.states:
        yield TotalsLine(
            "delivery",
            f"{s.channel.value}:{s.state.value}",
            s.count,
            s.amount_cents,
            name=f"{s.channel.value} {state_label(s.state)}",
        )
    for r in report.refunds:
        yield TotalsLine(
            "refund",
            r.receipt_no,
            1,
            r.usd_cents,
            None,
            r.khr,
            name=f"{state_label(r.state)}: {r.reason}",
        )
    yield TotalsLine(
        "refunds",
        "all",
        len(report.refunds),
        report.refund_usd_cents,
        None,
        report.refund_khr,
        name=_("The refunds are already taken out of the cash expected in the drawer."),
    )
    yield from _open_lines(report, printed_at, zone)
    yield from _float_lines(report, zone)


def _open_lines(report: DeliveryReport, printed_at: datetime, zone: str) -> Iterator[TotalsLine]:
    from counter.reporting.tabular import TotalsLine

    local = ZoneInfo(zone)
    for d in report.open_items:
        sold = f"{d.created_at.astimezone(local):%Y-%m-%dT%H:%M}"
        words = [
            state_label(d.state),
            f"{_('Sold at')} {sold.replace('T', ' ')}",
            f"{_('Open for')} {age_words(open_minutes(d.created_at, printed_at))}",
        ]
        accepted = report.accepted_on(d.id)
        if accepted is not None:
            words.append(f"{_('Accepted as open on')} {accepted.isoformat()}")
        yield TotalsLine(
            "open_delivery",
            f"{d.receipt_no} {d.state.value} {sold}",
            1,
            d.amount_cents,
            name=", ".join(words),
        )


def _float_lines(report: DeliveryReport, zone: str) -> Iterator[TotalsLine]:
    from counter.reporting.tabular import TotalsLine

    local = ZoneInfo(zone)
    for f in report.floats:
        yield TotalsLine(
            "float_expected", f.operator_id, None, f.expected_cents, name=_("Expected float")
        )
        read = f.reading
        if read is None:
            continue
        usd = read.currency == "USD"
        yield TotalsLine(
            "dealer_balance",
            f.operator_id,
            None,
            read.minor if usd else None,
            None,
            None if usd else read.minor,
            name=f"{_('Dealer balance')} ({read.channel.value}, "
            f"{read.read_at.astimezone(local):%H:%M})",
        )
