"""`counter report | x-report | close-day | restock | float`: the day's end (shifts: cli.shifts).

Each command parses, calls one service in `services.dayend` and prints; a refusal is its
sentence on stderr and exit code 1, a wrong option exit code 2 (Typer's usage error).
"""

from __future__ import annotations

import getpass
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from counter.cli.app import app
from counter.cli.common import acting_pin, approval, ledger
from counter.cli.options import language_option
from counter.cli.output import ForceOpt, MkdirOpt, guarded_reports
from counter.domain.errors import AmountError
from counter.domain.money import Currency, parse_amount, parse_signed_amount
from counter.i18n import (
    _,
    format_khr_for,
    format_usd_for,
)

if TYPE_CHECKING:
    from counter.domain.records import DayClose, User
    from counter.services.ports import Ledger

DateOpt = Annotated[
    str | None, typer.Option("--date", help=_("Business day, YYYY-MM-DD (default: today)."))
]


def _day(opened: Ledger, value: str | None) -> date:
    from counter.services.sales import business_date

    if value is None:
        return business_date(opened, opened.clock())
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            _("{value!r} is not a date like 2026-11-25.").format(value=value), param_hint="--date"
        ) from None


def _money(text: str, currency: Currency, option: str) -> int:
    try:
        return parse_amount(text, currency).minor
    except AmountError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


def _signed_cents(text: str, option: str) -> int:
    """`-2.50` or `10`: the sign read once (`--5` is refused in words, not read as -5)."""
    try:
        return parse_signed_amount(text, Currency.USD)
    except AmountError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


@app.command(
    "report",
    help=_("The daily sales report of one business day; prints the file(s) written."),
)
def report_command(
    day: DateOpt = None,
    counter: Annotated[
        str | None,
        typer.Option("--counter", help=_("A counter code, or all (default: this counter).")),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help=_("pdf, csv (sales + totals files) or xlsx."))
    ] = "pdf",
    output: Annotated[
        Path | None,
        typer.Option("--output", help=_("File or folder (default: the reports folder).")),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by", help=_("Supervisor or admin for csv and xlsx, which list customers' numbers.")
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help=_(
                "Language of the PDF: en or zh (default: COUNTER_LANG, else the shop's language)."
            ),
        ),
    ] = None,
    force: ForceOpt = False,
    mkdir: MkdirOpt = False,
) -> None:
    """The daily sales report of one business day; prints the file(s) written."""
    lang = _report_language(lang)
    if fmt not in ("pdf", "csv", "xlsx"):
        raise typer.BadParameter(
            _("{value!r}: use pdf, csv or xlsx.").format(value=fmt), param_hint="--format"
        )
    from counter.config import load_settings
    from counter.services.dayend import write_report

    with ledger() as shop:
        opened, output = guarded_reports(shop, load_settings(), output, force=force, mkdir=mkdir)
        code = (
            None if (counter or "").lower() == "all" else (counter or opened.counter_code).upper()
        )
        paths = write_report(
            opened,
            _day(opened, day),
            code,
            fmt,
            output,
            printed_by=getpass.getuser(),
            language=lang,
            by=approval(by) if by and fmt != "pdf" else None,
        )
    for path in paths:
        typer.echo(str(path))


def _report_language(lang: str | None) -> str | None:
    """`--lang` as a language of this app, or a usage error naming them."""
    return None if lang is None else language_option(lang, "--lang")


@app.command(
    "x-report",
    help=_("The day so far with the cash expected in the drawer; nothing is closed."),
)
def x_report_command(
    day: DateOpt = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", help=_("File or folder (default: the reports folder).")),
    ] = None,
    force: ForceOpt = False,
    mkdir: MkdirOpt = False,
    on_roll: Annotated[
        bool, typer.Option("--print", help=_("Print it on the receipt printer too."))
    ] = False,
    by: Annotated[
        str | None,
        typer.Option("--by", help=_("A supervisor, to see the expected cash (their PIN).")),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("One JSON object."))] = False,
) -> None:
    """The day so far with the cash expected in the drawer; nothing is closed."""
    from counter.cli.common import log_in
    from counter.cli.xreport import x_json, x_line
    from counter.config import load_settings
    from counter.services.xreports import write_x_report

    with ledger() as shop:
        opened, output = guarded_reports(shop, load_settings(), output, force=force, mkdir=mkdir)
        reader = log_in(opened, by) if by else getpass.getuser()
        report, path = write_x_report(
            opened, _day(opened, day), opened.counter_code, output, printed_by=reader
        )
        if on_roll:
            _print_x(opened, _day(opened, day), reader)
    if as_json:
        typer.echo(json.dumps(x_json(report, path), ensure_ascii=False))
        return
    typer.echo(str(path))
    typer.echo(x_line(report), err=True)


def _print_x(opened: Ledger, day: date, reader: User | str) -> None:
    """`x-report --print`: the X report on the receipt printer (a roll PDF with `pdf`)."""
    from counter.bootstrap import make_roll_printer
    from counter.config import load_settings
    from counter.services.xreports import print_x_report

    roll = make_roll_printer(load_settings(), asked=True)
    if roll is None:
        typer.echo(_("No receipt printer is set (printer = none): nothing printed."), err=True)
        return
    printed = print_x_report(opened, roll, day, opened.counter_code, printed_by=reader)
    typer.echo(printed.message, err=True)


def _counted(usd: str, khr: str) -> tuple[int, int]:
    """The counted drawer as typed: dollars in cents, whole riel (or a usage error)."""
    return _money(usd, Currency.USD, "--counted-usd"), _money(khr, Currency.KHR, "--counted-khr")


AcceptOpenOpt = Annotated[
    bool,
    typer.Option(
        "--accept-open-deliveries",
        help=_("Close even with deliveries still open: they stay open items."),
    ),
]


@app.command(
    "close-day",
    help=_("Close the business day at this counter: cash counted vs expected, and the Z report."),
)
def close_day_command(
    supervisor: Annotated[
        str,
        typer.Option("--supervisor", help=_("Who confirms (PIN from COUNTER_PIN or a prompt).")),
    ],
    clerk: Annotated[
        str | None, typer.Option("--clerk", help=_("Who counted (default: the supervisor)."))
    ] = None,
    counted_usd: Annotated[
        str | None,
        typer.Option(
            "--counted-usd",
            help=_("Dollars counted (with a shift open; leave out when every shift is closed)."),
        ),
    ] = None,
    counted_khr: Annotated[
        str | None, typer.Option("--counted-khr", help=_("Riel counted in the drawer."))
    ] = None,
    day: DateOpt = None,
    accept_open: AcceptOpenOpt = False,
) -> None:
    """Close the business day at this counter: cash counted vs expected, and the Z report."""
    from counter.services.dayend import close_day
    from counter.services.users import find_user

    if (counted_usd is None) != (counted_khr is None):
        raise typer.BadParameter(
            _("give both --counted-usd and --counted-khr, or neither."), param_hint="--counted-usd"
        )
    usd, khr = (
        _counted(counted_usd, counted_khr)
        if counted_usd is not None and counted_khr is not None
        else (None, None)
    )
    with ledger() as opened:
        counter_user = find_user(opened, clerk or supervisor)
        closed = close_day(
            opened,
            _day(opened, day),
            opened.counter_code,
            counted_usd_cents=usd,
            counted_khr=khr,
            supervisor_name=supervisor,
            supervisor_pin=acting_pin(supervisor),
            by=counter_user,
            accept_open_deliveries=accept_open,
        )
    _say_day_closed(closed)
    from counter.cli.shifts import print_z_on_roll

    print_z_on_roll(closed.business_date)


def _say_day_closed(closed: DayClose) -> None:
    """The close's figures, its Z code and where its Z report went (or why it did not)."""
    typer.echo(
        _(
            "Closed {day} at counter {counter}: expected {expected_usd} and {expected_khr}, "
            "counted {counted_usd} and {counted_khr}, difference {difference_usd} and "
            "{difference_khr}."
        ).format(
            day=closed.business_date.isoformat(),
            counter=closed.counter_code,
            expected_usd=format_usd_for(closed.expected_usd_cents),
            expected_khr=format_khr_for(closed.expected_khr),
            counted_usd=format_usd_for(closed.counted_usd_cents),
            counted_khr=format_khr_for(closed.counted_khr),
            difference_usd=format_usd_for(closed.difference_usd_cents),
            difference_khr=format_khr_for(closed.difference_khr),
        )
    )
    if closed.code:
        typer.echo(_("Z code {code}").format(code=closed.code))
    if closed.report_path is not None:
        typer.echo(str(closed.report_path))
    else:
        typer.echo(
            _(
                "The day is closed, but the Z report was not written: {reason} Write it "
                "again with `counter z-report --date {day}`."
            ).format(reason=closed.report_error, day=closed.business_date.isoformat()),
            err=True,
        )


@app.command("restock", help=_("Record airtime stock bought from an operator."))
def restock_command(
    operator: Annotated[str, typer.Argument(help=_("Operator id, e.g. smart."))],
    amount: Annotated[str, typer.Argument(help=_("Airtime bought, in USD, e.g. 500."))],
    by: Annotated[
        str, typer.Option("--by", help=_("Supervisor or admin (PIN from COUNTER_PIN or a prompt)."))
    ],
    ref: Annotated[
        str | None, typer.Option("--ref", help=_("The dealer's invoice or transfer reference."))
    ] = None,
) -> None:
    """Record airtime stock bought from an operator."""
    from counter.services.floats import restock

    cents = _money(amount, Currency.USD, "AMOUNT")
    with ledger() as opened:
        balance = restock(opened, operator, cents, ref=ref, by=approval(by))
    typer.echo(
        _("Restocked {operator} with {amount}; balance {balance}.").format(
            operator=operator.lower(), amount=format_usd_for(cents), balance=format_usd_for(balance)
        )
    )


@app.command(
    "float",
    help=_("Airtime balance per operator (restocks + corrections - sales + voided sales)."),
)
def float_command(
    correct: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--correct", help=_("OPERATOR DELTA: correct a balance, e.g. --correct smart -2.50.")
        ),
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help=_("Why the balance is corrected (required)."))
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help=_("Supervisor or admin for a correction."))
    ] = None,
) -> None:
    """Airtime balance per operator (restocks + corrections - sales + voided sales)."""
    from counter.services.floats import correct_float
    from counter.services.queries import operator_balances

    if correct is not None and (not reason or not by):
        raise typer.BadParameter(_("a correction needs --reason and --by."), param_hint="--correct")
    with ledger() as opened:
        if correct is not None:
            assert reason is not None and by is not None
            operator, delta = correct
            cents = _signed_cents(delta, "--correct")
            correct_float(opened, operator, cents, reason=reason, by=approval(by))
        rows = operator_balances(opened)
    for operator_id, balance in rows:
        flag = "  " + _("LOW") if opened.policy.is_low_float(balance) else ""
        typer.echo(f"{operator_id:<12} {format_usd_for(balance):>14}{flag}")
