"""`counter deliveries`: the top-ups' deliveries, and a person's confirm, fail and check.

    counter deliveries [--state STATE] [--json] [--by SUPERVISOR]
                                                          list them (oldest first); numbers
                                                          masked, whole with --by (audited)
    counter deliveries confirm RECEIPT [--ref REF] --by NAME
    counter deliveries fail RECEIPT --reason TEXT --by NAME   (records the refund)
    counter deliveries check RECEIPT                      looks it up; never sends
    counter deliveries send                               one pass of this counter's worker

NAME's PIN comes from COUNTER_PIN or a prompt. A clerk may settle a pending `manual`
delivery; one that needs review, or any other channel's, takes a supervisor.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from counter.cli.app import app
from counter.cli.common import approval, ledger
from counter.domain.text import shown
from counter.i18n import _, format_khr_for, format_usd_for

if TYPE_CHECKING:
    from counter.couriers import ChannelCourier
    from counter.domain.deliveries import Delivery
    from counter.services.deliveries import Recorded
    from counter.services.ports import Ledger

deliveries_app = typer.Typer(
    help=_("Top-up deliveries: list, confirm, fail, check."), invoke_without_command=True
)
app.add_typer(deliveries_app, name="deliveries")
_STATES = ("pending", "delivered", "failed", "reversed", "needs_review")


def delivery_json(delivery: Delivery) -> dict[str, object]:
    return {
        "receipt_no": delivery.receipt_no,
        "counter": delivery.counter_code,
        "state": delivery.state.value,
        "ref": shown(delivery.provider_ref) if delivery.provider_ref else None,
        "reference": delivery.reference,
        "channel": delivery.channel.value,
        "operator": delivery.operator_id,
        "msisdn": delivery.msisdn,
        "amount_cents": delivery.amount_cents,
        "created_at": delivery.created_at.isoformat(),
        "changed_at": delivery.changed_at.isoformat(),
        "reason": shown(delivery.reason) if delivery.reason else delivery.reason,
    }


def _line(delivery: Delivery) -> str:
    ref = f" ref {shown(delivery.provider_ref)}" if delivery.provider_ref else ""
    return (
        f"{delivery.receipt_no}  {delivery.state.value:<12} {delivery.channel.value:<7} "
        f"{delivery.operator_id} {delivery.msisdn} {format_usd_for(delivery.amount_cents)}{ref}"
    )


@deliveries_app.callback()
def deliveries_command(
    context: typer.Context,
    state: Annotated[
        str | None,
        typer.Option(
            "--state", help=_("Only this state: {states}.").format(states=", ".join(_STATES))
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("One JSON object per line."))] = False,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help=_(
                "A supervisor or admin, to see customers' whole numbers (PIN from "
                "COUNTER_PIN or a prompt; audited). Without it the numbers are masked."
            ),
        ),
    ] = None,
) -> None:
    """List the deliveries, oldest first (every counter); customers' numbers masked."""
    if context.invoked_subcommand is not None:
        return
    from counter.domain.delivery import DeliveryState
    from counter.services.delivery_list import listed_deliveries

    if state is not None and state not in _STATES:
        raise typer.BadParameter(
            _("{value!r} is not a delivery state: use {states}.").format(
                value=state, states=", ".join(_STATES)
            ),
            param_hint="--state",
        )
    with ledger() as opened:
        found = listed_deliveries(
            opened,
            states=(DeliveryState(state),) if state else None,
            by=approval(by) if by is not None else None,
        )
    for delivery in found:
        typer.echo(
            json.dumps(delivery_json(delivery), ensure_ascii=False) if as_json else _line(delivery)
        )
    if not as_json and not found:
        typer.echo(_("No deliveries."), err=True)


def _say(recorded: Recorded) -> None:
    from counter.services.delivery_list import hide_number

    delivery = recorded.delivery
    typer.echo(_line(hide_number(delivery)))
    if recorded.refund is not None:
        cash = []
        if recorded.refund.usd_cents:
            cash.append(format_usd_for(recorded.refund.usd_cents))
        if recorded.refund.khr:
            from counter.i18n import format_khr_for

            cash.append(format_khr_for(recorded.refund.khr))
        typer.echo(
            _("Refund recorded: give back {cash} for {receipt}.").format(
                cash=" + ".join(cash) or format_usd_for(0), receipt=delivery.receipt_no
            ),
            err=True,
        )


@deliveries_app.command("confirm", help=_("Record a delivery as delivered."))
def confirm_command(
    receipt: Annotated[str, typer.Argument(help=_("The receipt number, e.g. A-000042."))],
    by: Annotated[
        str, typer.Option("--by", help=_("Who confirms (PIN from COUNTER_PIN or a prompt)."))
    ],
    ref: Annotated[
        str | None, typer.Option("--ref", help=_("The operator's reference from its SMS."))
    ] = None,
) -> None:
    from counter.services.deliveries import resolve

    with ledger() as opened:
        _say(resolve(opened, receipt, delivered=True, by=approval(by), ref=ref))
        _print_slips(opened)


@deliveries_app.command("fail", help=_("Record a delivery as failed; the refund is recorded."))
def fail_command(
    receipt: Annotated[str, typer.Argument(help=_("The receipt number, e.g. A-000042."))],
    reason: Annotated[str, typer.Option("--reason", help=_("Why it failed."))],
    by: Annotated[
        str, typer.Option("--by", help=_("Who decides (PIN from COUNTER_PIN or a prompt)."))
    ],
) -> None:
    from counter.services.deliveries import resolve

    with ledger() as opened:
        _say(resolve(opened, receipt, delivered=False, by=approval(by), reason=reason))
        _print_slips(opened)


def _print_slips(opened: Ledger) -> None:
    """The slips a change queued (a delivery slip, or a refund slip), printed now."""
    from counter.bootstrap import make_printer
    from counter.config import load_settings
    from counter.services.slips import print_slips

    for result in print_slips(opened, make_printer(load_settings())):
        typer.echo(result.message, err=not result.ok)


def _courier() -> ChannelCourier:
    from counter.config import load_settings
    from counter.couriers import ChannelCourier

    return ChannelCourier(load_settings().delivery)


@deliveries_app.command("check", help=_("Look a delivery up with its channel; never sends."))
def check_command(
    receipt: Annotated[str, typer.Argument(help=_("The receipt number, e.g. A-000042."))],
) -> None:
    from counter.services.delivery_worker import check

    courier = _courier()
    try:
        with ledger() as opened:
            _say(check(opened, courier, receipt))
            _print_slips(opened)
    finally:
        courier.close()


@deliveries_app.command("send", help=_("Send or follow this counter's pending deliveries once."))
def send_command() -> None:
    from counter.services.delivery_worker import DeliveryWorker

    courier = _courier()
    try:
        with ledger() as opened:
            done = DeliveryWorker(opened, courier).run_once()
            _print_slips(opened)
    finally:
        courier.close()
    for recorded in done:
        _say(recorded)
    if not done:
        typer.echo(_("Nothing to send."), err=True)


@deliveries_app.command(
    "balance", help=_("Read the dealer balance from the modem or the API, and record it.")
)
def balance_command(
    operator: Annotated[
        str | None, typer.Argument(help=_("Only this operator (default: every one)."))
    ] = None,
) -> None:
    from counter.services.dealer_balance import read_balances
    from counter.services.queries import operator_named

    courier = _courier()
    try:
        with ledger() as opened:
            wanted = operator_named(opened, operator) if operator else None
            if operator and wanted is None:
                raise typer.BadParameter(
                    _("{name!r} is not an operator.").format(name=operator), param_hint="OPERATOR"
                )
            results = read_balances(opened, courier, by="counter deliveries", operator_id=wanted)
    finally:
        courier.close()
    for result in results:
        if result.reading is None:
            typer.echo(
                _("{operator}: balance not read: {reason}").format(
                    operator=result.operator_id, reason=result.problem
                ),
                err=True,
            )
            continue
        read = result.reading
        typer.echo(
            _("{operator}: dealer balance {amount} (recorded).").format(
                operator=result.operator_id,
                amount=format_usd_for(read.minor)
                if read.currency == "USD"
                else format_khr_for(read.minor),
            )
        )
    if not results:
        typer.echo(_("No operator delivers by modem or API: no balance to read."), err=True)
    if any(r.reading is None for r in results):
        raise typer.Exit(1)
