"""`counter init | sell | void | export | doctor`: the ledger from the command line.

Each command parses, calls one service and prints; a refusal (a CounterError) becomes
its sentence on stderr and exit code 1 in `main()`, with nothing recorded.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from counter.cli.app import app, fail
from counter.cli.common import acting_pin, approval, ledger, log_in
from counter.cli.delivery_words import delivery_sentence, delivery_state
from counter.cli.output import ForceOpt, MkdirOpt, output_path
from counter.domain.amounts import read_cash
from counter.domain.cash import Payment
from counter.domain.errors import AmountError
from counter.domain.money import Currency
from counter.domain.rate import riel_value
from counter.files import os_reason, private_file
from counter.i18n import _, format_khr_for, format_usd_for, ngettext

if TYPE_CHECKING:
    from counter.domain.receipt import PrintResult
    from counter.domain.records import Sale


@app.command(
    "init",
    help=_("Set up the shop and this counter. Never overwrites an existing ledger."),
)
def init(
    shop_name: Annotated[str, typer.Option("--shop-name", help=_("Printed on every receipt."))],
    counter: Annotated[
        str, typer.Option("--counter", help=_("This machine's counter code, e.g. A."))
    ],
    admin: Annotated[str, typer.Option("--admin", help=_("Name of the first admin."))],
    admin_pin: Annotated[
        str,
        typer.Option("--admin-pin", help=_("The admin's PIN, 4-8 digits (for scripted set-up).")),
    ],
    address: Annotated[str, typer.Option("--address", help=_("Printed under the shop name."))] = "",
    rate: Annotated[
        int | None, typer.Option("--rate", help=_("Riel per USD in force (default from settings)."))
    ] = None,
) -> None:
    """Set up the shop and this counter. Never overwrites an existing ledger."""
    from counter.bootstrap import init_shop
    from counter.config import load_settings
    from counter.services.setup import shop

    settings = load_settings()
    with init_shop(
        settings,
        shop_name=shop_name,
        counter_code=counter,
        admin_name=admin,
        admin_pin=admin_pin,
        riel_per_usd=rate,
        address=address,
    ) as opened:
        info = shop(opened)
        typer.echo(
            _("Counter {code} of {shop} is ready; ledger: {ledger}").format(
                code=info.counter_code, shop=info.name, ledger=settings.url
            )
        )


def _sale_json(sale: Sale, delivery: dict[str, str | None] | None = None) -> str:
    return json.dumps(
        {
            **({"delivery": delivery} if delivery is not None else {}),
            "receipt_no": sale.receipt_no,
            "counter": sale.counter_code,
            "clerk": sale.clerk_name,
            "created_at": sale.created_at.isoformat(),
            "business_date": sale.business_date.isoformat(),
            "operator": sale.operator_id,
            "msisdn": sale.msisdn,
            "amount_cents": sale.amount_cents,
            "validity_days": sale.validity_days,
            "paid_currency": sale.payment.lines[0].currency.value,
            "paid_minor": sale.payment.lines[0].minor,
            "payment": [
                {"tender": x.tender.value, "currency": x.currency.value, "minor": x.minor}
                for x in sale.payment.lines
            ],
            "riel_per_usd": sale.riel_per_usd,
            "amount_khr": riel_value(sale.amount_cents, sale.riel_per_usd),
            "change_usd_cents": sale.change_usd_cents,
            "change_khr": sale.change_khr,
            "rounding_khr": sale.rounding_khr,
            "operator_ref": sale.operator_ref,
            "idempotency_key": sale.idempotency_key,
            "status": sale.status,
        },
        ensure_ascii=False,
    )


Paid = Annotated[
    list[str] | None,
    typer.Option(
        "--paid",
        help=_(
            "Cash received (default: the exact amount); again for dollars and riel "
            "together: --paid 5 --paid 2000r, or --paid '5 + 2000r'."
        ),
    ),
]
ConfirmPaid = Annotated[
    bool,
    typer.Option(
        "--confirm-paid",
        help=_("The cash received is right even though it is far above the amount due."),
    ),
]


@app.command("sell", help=_("Record one top-up sale and print its receipt number."))
def sell_command(
    number: Annotated[str, typer.Argument(help=_("The customer's phone number, as given."))],
    amount: Annotated[str, typer.Argument(help=_("Top-up amount: USD (5, 2.50) or riel (5000r)."))],
    clerk: Annotated[
        str, typer.Option("--clerk", help=_("Who sells (PIN from COUNTER_PIN or a prompt)."))
    ],
    paid: Paid = None,
    paid_currency: Annotated[str, typer.Option("--paid-currency", help=_("USD or KHR."))] = "USD",
    ref: Annotated[
        str | None, typer.Option("--ref", help=_("The dealer channel's transaction id."))
    ] = None,
    idempotency_key: Annotated[
        str | None,
        typer.Option("--idempotency-key", help=_("Same key again: the same sale, nothing new.")),
    ] = None,
    allow_duplicate: Annotated[
        bool,
        typer.Option("--allow-duplicate", help=_("Sell even if the same top-up was just sold.")),
    ] = False,
    confirm_paid: ConfirmPaid = False,
    as_json: Annotated[
        bool, typer.Option("--json", help=_("Print the sale as one JSON object."))
    ] = False,
    no_receipt: Annotated[
        bool, typer.Option("--no-receipt", help=_("Do not print a receipt."))
    ] = False,
) -> None:
    """Record one top-up sale and print its receipt number."""
    from counter.bootstrap import make_printer
    from counter.config import load_settings
    from counter.services.receipts import print_sale, set_receipt_aside
    from counter.services.sales import sell

    paid_money = _paid(paid, paid_currency)
    with ledger() as opened:
        user = log_in(opened, clerk)
        sale = sell(
            opened,
            user,
            number,
            amount,
            paid=paid_money,
            operator_ref=ref,
            idempotency_key=idempotency_key,
            allow_duplicate=allow_duplicate,
            confirm_paid=confirm_paid,
        )
        if no_receipt:  # nor later: the screen's automatic retry must not print it
            set_receipt_aside(opened, sale, "Not printed: sold with --no-receipt.")
            printed = None
        else:
            printed = print_sale(opened, make_printer(load_settings()), sale)
        delivery = delivery_state(opened, sale)
    _say_sold(sale, printed, as_json=as_json, delivery=delivery)


def _say_sold(
    sale: Sale,
    printed: PrintResult | None,
    *,
    as_json: bool,
    delivery: dict[str, str | None] | None = None,
) -> None:
    """The receipt number on stdout (or the sale as JSON); the print and the detail on stderr."""
    if printed is not None:
        retry = (
            "" if printed.ok else " " + _("Run `counter printers retry` once the printer is back.")
        )
        typer.echo(printed.message + retry, err=True)
    if as_json:
        typer.echo(_sale_json(sale, delivery))
        return
    typer.echo(sale.receipt_no)
    typer.echo(_sold_detail(sale), err=True)
    if delivery is not None and delivery["channel"] != "assumed":
        typer.echo(delivery_sentence(delivery), err=True)


def _paid(paid: list[str] | None, paid_currency: str) -> Payment | None:
    """The cash received as typed (None: the exact amount), or a usage error.

    Each `--paid` is read as the screen's cash field reads it (`5`, `2000r`, `5 + 2000r`);
    several are one payment, added per currency."""
    try:
        currency = Currency.parse(paid_currency)
    except AmountError:
        raise typer.BadParameter(
            _("{value!r}: use USD or KHR.").format(value=paid_currency),
            param_hint="--paid-currency",
        ) from None
    if not paid:
        return None
    # The screen's reading: `5000r` is riel whatever --paid-currency says; no mark, that currency.
    amounts = [money for text in paid for money in read_cash(text, currency)]
    return Payment.cash(*amounts)


def _sold_detail(sale: Sale) -> str:
    """`cellcard +85512345678 $5.00, +40 days; change 10,000៛`."""
    change = []
    if sale.change_usd_cents:
        change.append(format_usd_for(sale.change_usd_cents))
    if sale.change_khr:
        change.append(format_khr_for(sale.change_khr))
    detail = f"{sale.operator_id} {sale.msisdn} {format_usd_for(sale.amount_cents)}"
    if sale.validity_days is not None:
        detail += ngettext(", +{days} day", ", +{days} days", sale.validity_days).format(
            days=sale.validity_days
        )
    if change:
        detail += _("; change {change}").format(change=" + ".join(change))
    return detail


@app.command(
    "void",
    help=_("Void a sale: a separate record with the reason; the sale itself is never changed."),
)
def void_command(
    receipt_no: Annotated[str, typer.Argument(help=_("Receipt number, e.g. A-000042."))],
    reason: Annotated[str, typer.Option("--reason", help=_("Why the sale is voided (required)."))],
    supervisor: Annotated[
        str,
        typer.Option("--supervisor", help=_("Who approves (PIN from COUNTER_PIN or a prompt).")),
    ],
    clerk: Annotated[
        str | None,
        typer.Option("--clerk", help=_("Who asked for the void (default: the supervisor).")),
    ] = None,
) -> None:
    """Void a sale: a separate record with the reason; the sale itself is never changed."""
    from counter.services.sales import void_sale
    from counter.services.users import find_user

    with ledger() as opened:
        requester = find_user(opened, clerk or supervisor)
        void = void_sale(
            opened,
            receipt_no,
            reason=reason,
            requested_by=requester,
            supervisor_name=supervisor,
            supervisor_pin=acting_pin(supervisor),
        )
    typer.echo(
        _("Voided {receipt}: {reason} (approved by {supervisor})").format(
            receipt=void.receipt_no, reason=void.reason, supervisor=void.approved_by
        )
    )


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            _("{value!r} is not a date like 2026-11-25.").format(value=value), param_hint=option
        ) from None


def _need_supervisor(by: str) -> None:
    if not by.strip():
        raise fail(
            _(
                "An export lists every customer's number: name a supervisor or admin with "
                "--by NAME (their PIN is asked)."
            )
        )


@app.command(
    "export",
    help=_("Every sale in the range as CSV, one row each (the columns are a contract)."),
)
def export_command(
    date_from: Annotated[
        str | None, typer.Option("--from", help=_("First business day, YYYY-MM-DD."))
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help=_("Last business day, YYYY-MM-DD."))
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help=_("csv (the only format for now)."))] = "csv",
    by: Annotated[
        str,
        typer.Option(
            "--by",
            help=_("Supervisor or admin (PIN from COUNTER_PIN or a prompt): it lists numbers."),
        ),
    ] = "",
    output: Annotated[
        str, typer.Option("--output", help=_("File to write, or - for stdout."))
    ] = "-",
    force: ForceOpt = False,
    mkdir: MkdirOpt = False,
) -> None:
    """Every sale in the range as CSV, one row each (the columns are a contract)."""
    if fmt != "csv":
        raise typer.BadParameter(
            _("{value!r}: only csv is supported.").format(value=fmt), param_hint="--format"
        )
    from counter.services.upkeep import export_sales

    start, end = _day(date_from, "--from"), _day(date_to, "--to")
    if start and end and start > end:
        raise typer.BadParameter(_("--from is after --to."), param_hint="--from")
    path = None
    if output != "-":  # checked before the ledger is opened: never the ledger, a key, a device
        from counter.config import load_settings

        path = output_path(output, load_settings(), force=force, mkdir=mkdir)
    _need_supervisor(by)
    with ledger() as opened:
        supervisor = approval(by)
        if path is None:
            _write_csv(export_sales(opened, start, end, by=supervisor), sys.stdout)
            return
        try:  # customers' numbers: 0600, published by rename
            with (
                private_file(path) as partial,
                partial.open("w", encoding="utf-8", newline="") as out,
            ):
                count = _write_csv(export_sales(opened, start, end, by=supervisor), out)
        except OSError as exc:
            raise fail(
                _("Cannot write {path}: {reason}.").format(path=path, reason=os_reason(exc))
            ) from None
    typer.echo(
        ngettext("{count} sale written to {path}", "{count} sales written to {path}", count).format(
            count=count, path=path
        ),
        err=True,
    )


def _write_csv(sales: Iterable[tuple[Sale, str]], out: TextIO) -> int:
    from counter.reporting.export import EXPORT_COLUMNS, export_row

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for sale, void_reason in sales:
        writer.writerow(export_row(sale, void_reason))
        count += 1
    return count


@app.command(
    "doctor",
    help=_(
        "Check the ledger: schema, integrity, hash chains and their seals, receipt numbers, "
        "settings, rules, and the witness log and codes from paper."
    ),
)
def doctor_command(
    witness: Annotated[
        list[Path] | None,
        typer.Option(
            "--witness",
            help=_("A witness log (file or folder, e.g. on the USB stick) to check against."),
        ),
    ] = None,
    code: Annotated[
        list[str] | None,
        typer.Option(
            "--code", help=_("A code from a receipt or a Z report, as printed (A-000042/...).")
        ),
    ] = None,
) -> None:
    """Check the ledger; exit 1 with a sentence for each problem."""
    from counter.config import load_settings
    from counter.services.upkeep import doctor_report

    paths = list(witness or [])
    configured = load_settings().witness_path
    if not paths and configured.is_dir() and any(configured.glob("*.log")):
        paths.append(configured)
    with ledger() as opened:
        report = doctor_report(opened, paths, list(code or []))
    for note in report.notes:
        typer.echo(_("Note: {note}").format(note=note))
    for seen in report.witnessed:
        typer.echo(_("Checked against {witness}.").format(witness=seen))
    for doubt in report.unverified:
        typer.echo(_("Cannot rule out without a witness: {case}.").format(case=doubt))
    if report.problems:
        for problem in report.problems:
            typer.echo(_("Problem: {problem}").format(problem=problem), err=True)
        raise typer.Exit(1)
    typer.echo(_("Ledger OK: integrity, hash chains, receipt numbers, settings and rules."))
