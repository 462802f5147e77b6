"""KHQR payments in the ledger from the command line: the worker's pass and the late check
(`khqr-check`), the day's reconciliation (`khqr-reconcile`), and a supervisor's decision
on a payment that needs review (`khqr-review`). Each asks Bakong with the `[khqr]` token.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from counter.cli.app import app, fail
from counter.cli.common import approval, ledger
from counter.domain.money import format_money_text
from counter.i18n import _

if TYPE_CHECKING:
    from counter.khqr_link import KhqrLink
    from counter.services.khqr import KhqrFinish


def _link(counter_code: str) -> KhqrLink:
    from counter.config import load_settings
    from counter.khqr_link import KhqrLink

    return KhqrLink(load_settings().khqr, counter_code)


def _say(finish: KhqrFinish) -> None:
    request = finish.request
    line = _("{bill}: {state} ({amount}).").format(
        bill=request.bill_number,
        state=request.state.value,
        amount=format_money_text(request.charge),
    )
    if finish.sale is not None:
        line += " " + _("Sold as {receipt}.").format(receipt=finish.sale.receipt_no)
    typer.echo(line)
    if finish.message:
        typer.echo(finish.message)


@app.command(
    "khqr-check",
    help=_(
        "Ask Bakong about this counter's KHQR codes still waiting (sell the paid ones, expire "
        "the old ones) and about codes that ended unpaid (a late payment goes to a supervisor)."
    ),
)
def khqr_check() -> None:
    from counter.services.khqr import find_late_khqr, resume_khqr

    with ledger() as opened:
        link = _link(opened.counter_code)
        try:
            waiting = resume_khqr(opened, link)
            late = find_late_khqr(opened, link) if waiting.problem is None else None
        finally:
            link.close()
    for finish in (*waiting.finished, *(late.finished if late else ())):
        _say(finish)
    problem = waiting.problem or (late.problem if late else None)
    if problem:
        raise fail(problem)
    if not waiting.finished and not (late and late.finished):
        typer.echo(_("Nothing to record: no KHQR payment changed."))


@app.command(
    "khqr-reconcile",
    help=_("Check every KHQR payment of a day again against Bakong, in one bulk request."),
)
def khqr_reconcile(
    day: Annotated[
        str | None, typer.Option("--date", help=_("Business day, YYYY-MM-DD (default: today)."))
    ] = None,
) -> None:
    from counter.services.khqr import reconcile_khqr
    from counter.services.sales import business_date

    try:
        when = date.fromisoformat(day) if day else None
    except ValueError:
        raise fail(_("{value!r} is not a date like 2026-11-25.").format(value=day)) from None
    with ledger() as opened:
        link = _link(opened.counter_code)
        try:
            found = reconcile_khqr(opened, link, when or business_date(opened, opened.clock()))
        finally:
            link.close()
    if found.problem:
        raise fail(found.problem)
    typer.echo(
        _("{checked} KHQR payments checked: {confirmed} confirmed by Bakong.").format(
            checked=found.checked, confirmed=found.confirmed
        )
    )
    if found.missing:
        raise fail(
            _("Bakong does not confirm {receipts}: show them to a supervisor.").format(
                receipts=", ".join(found.missing)
            )
        )


@app.command(
    "khqr-review",
    help=_(
        "A supervisor's decision on a KHQR payment that needs review: --sell records the "
        "top-up after all, --refunded records that the money went back outside the app."
    ),
)
def khqr_review(
    bill: Annotated[str, typer.Argument(help=_("The code's bill number, e.g. A-Q000042."))],
    by: Annotated[str, typer.Option("--by", help=_("The supervisor's name."))],
    reason: Annotated[str, typer.Option("--reason", help=_("Why, in a few words."))],
    sell_it: Annotated[
        bool, typer.Option("--sell/--refunded", help=_("Sell the top-up, or record a refund."))
    ],
) -> None:
    from counter.services.khqr import resolve_khqr_review

    with ledger() as opened:
        _say(
            resolve_khqr_review(opened, bill, sell_it=sell_it, approval=approval(by), reason=reason)
        )
