"""`counter shift open|close|status`, `reopen-day` and `z-report`: the drawer by shifts.

    counter shift open --usd X --khr Y --clerk NAME          (also: opening-float, opening-cash)
    counter shift close --counted-usd X --counted-khr Y --clerk NAME [--supervisor NAME]
    counter shift status [--by NAME] [--json]
    counter reopen-day --reason TEXT --by NAME [--date D]
    counter z-report --date D [--shift N] [--output PATH]

A PIN comes from COUNTER_PIN or a prompt: the clerk's, or with `--supervisor` the
supervisor's (who then approves the clerk's count). The count is blind: the expected cash
and the difference are printed only after the count is recorded.
"""

from __future__ import annotations

import getpass
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from counter.cli.app import app
from counter.cli.common import approval, ledger, log_in
from counter.cli.dayend import DateOpt, _day, _money
from counter.cli.output import ForceOpt, MkdirOpt, guarded_reports
from counter.domain.money import Currency
from counter.i18n import _, format_khr_for, format_usd_for

if TYPE_CHECKING:
    from counter.domain.shifts import Shift, ShiftStatus

shift_app = typer.Typer(help=_("The counter's shifts: open, close, status."))
app.add_typer(shift_app, name="shift")


def _cash(usd_cents: int, khr: int) -> str:
    return _("{usd} and {khr}").format(usd=format_usd_for(usd_cents), khr=format_khr_for(khr))


def _open(usd: str, khr: str, clerk: str, day: str | None) -> None:
    from counter.domain.cash_count import CashCount as DrawerCount
    from counter.services.shifts import open_shift

    usd_cents = _money(usd, Currency.USD, "--usd")
    riel = _money(khr, Currency.KHR, "--khr")
    with ledger() as opened:
        user = log_in(opened, clerk)
        when = _day(opened, day)
        shift = open_shift(opened, when, opened.counter_code, DrawerCount(usd_cents, riel), by=user)
    typer.echo(
        _("Opened shift {number} of {day} at counter {counter} with {cash}.").format(
            number=shift.number,
            day=shift.business_date.isoformat(),
            counter=shift.counter_code,
            cash=_cash(usd_cents, riel),
        )
    )


UsdOpt = Annotated[str, typer.Option("--usd", help=_("Dollars in the drawer at the opening."))]
KhrOpt = Annotated[str, typer.Option("--khr", help=_("Riel in the drawer at the opening."))]
ClerkOpt = Annotated[
    str, typer.Option("--clerk", help=_("Who counted (PIN from COUNTER_PIN or a prompt)."))
]


@shift_app.command("open", help=_("Open a shift with the drawer as counted (USD and riel)."))
def shift_open_command(usd: UsdOpt, khr: KhrOpt, clerk: ClerkOpt, day: DateOpt = None) -> None:
    """Open a shift with the drawer as counted (USD and riel)."""
    _open(usd, khr, clerk, day)


@app.command("opening-cash", help=_("Open a shift with the drawer as counted (shift open)."))
@app.command(
    "opening-float",
    hidden=True,  # its first name: kept working for scripts, for one release
    help=_("Open a shift with the drawer as counted (shift open)."),
)
def opening_cash_command(usd: UsdOpt, khr: KhrOpt, clerk: ClerkOpt, day: DateOpt = None) -> None:
    """Open a shift with the drawer as counted: `counter shift open` under its old names."""
    _open(usd, khr, clerk, day)


@shift_app.command("close", help=_("Close the open shift with the drawer as counted (blind)."))
def shift_close_command(
    counted_usd: Annotated[str, typer.Option("--counted-usd", help=_("Dollars counted."))],
    counted_khr: Annotated[str, typer.Option("--counted-khr", help=_("Riel counted."))],
    clerk: Annotated[str, typer.Option("--clerk", help=_("Who counted the drawer."))],
    supervisor: Annotated[
        str | None,
        typer.Option(
            "--supervisor", help=_("Who approves the count (their PIN, not the clerk's).")
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", help=_("File or folder for the Z report."))
    ] = None,
    accept_open: Annotated[
        bool,
        typer.Option(
            "--accept-open-deliveries",
            help=_("Close even with deliveries still open: they stay open items."),
        ),
    ] = False,
) -> None:
    """Close the open shift with the drawer as counted (blind)."""
    from counter.domain.cash_count import CashCount as DrawerCount
    from counter.services.users import find_user
    from counter.services.zreports import close_shift

    count = DrawerCount(
        _money(counted_usd, Currency.USD, "--counted-usd"),
        _money(counted_khr, Currency.KHR, "--counted-khr"),
    )
    with ledger() as opened:
        if supervisor is not None:
            who, approved = find_user(opened, clerk), approval(supervisor)
        else:
            who, approved = log_in(opened, clerk), None
        closed = close_shift(
            opened,
            opened.counter_code,
            count,
            counted_by=who,
            supervisor=approved,
            output=output,
            accept_open_deliveries=accept_open,
        )
    _say_closed(closed.shift, closed.cash, closed.code)
    print_z_on_roll(closed.shift.business_date, closed.shift.number)
    if closed.report_path is not None:
        typer.echo(str(closed.report_path))
    else:
        typer.echo(
            _("The shift is closed, but its Z report was not written: {reason}").format(
                reason=closed.report_error
            ),
            err=True,
        )


def print_z_on_roll(day: date, shift_number: int | None = None, *, copy: bool = False) -> None:
    """The Z report of a close just made on the receipt roll, when the printer is one; what
    the printer said goes to stderr (the close stands whatever it says)."""
    from counter.bootstrap import make_roll_printer
    from counter.config import load_settings
    from counter.services.zreports import print_z

    roll = make_roll_printer(load_settings())
    if roll is None:
        return
    with ledger() as opened:
        printed = print_z(
            opened,
            roll,
            day,
            opened.counter_code,
            shift_number=shift_number,
            printed_by=getpass.getuser(),
            copy=copy,
        )
    typer.echo(printed.message, err=True)


def _say_closed(shift: Shift, cash: Any, code: str) -> None:
    from counter.domain.shifts import difference_words

    typer.echo(
        _(
            "Closed shift {number} of {day} at counter {counter}: counted {counted}, "
            "expected {expected}: {difference}."
        ).format(
            number=shift.number,
            day=shift.business_date.isoformat(),
            counter=shift.counter_code,
            counted=_cash(cash.counted_usd_cents, cash.counted_khr),
            expected=_cash(cash.expected_usd_cents, cash.expected_khr),
            difference=difference_words(cash.difference_usd_cents, cash.difference_khr),
        )
    )
    if code:
        typer.echo(_("Z code {code}").format(code=code))


def _shift_json(shift: Shift) -> dict[str, object]:
    close = shift.close
    out: dict[str, object] = {
        "number": shift.number,
        "business_date": shift.business_date.isoformat(),
        "opened_at": shift.opened_at.isoformat(),
        "opened_by": shift.opened_by,
        "origin": shift.origin.value,
        "opening_usd_cents": shift.opening.usd_cents,
        "opening_khr": shift.opening.khr,
        "open": close is None,
    }
    if close is not None:
        out |= {
            "closed_at": close.closed_at.isoformat(),
            "counted_by": close.counted_by,
            "approved_by": close.approved_by,
            "counted_usd_cents": close.counted.usd_cents,
            "counted_khr": close.counted.khr,
            "expected_usd_cents": close.expected_usd_cents,
            "expected_khr": close.expected_khr,
        }
    return out


def _status_json(status: ShiftStatus) -> dict[str, object]:
    expected = status.expected
    return {
        "ok": True,
        "counter": status.counter_code,
        "business_date": status.day.isoformat(),
        "day_closed": status.day_closed,
        "open_shift": status.open.number if status.open else None,
        "shifts": [_shift_json(s) for s in status.shifts],
        "expected": None
        if expected is None
        else {"usd_cents": expected.expected_usd_cents, "khr": expected.expected_khr},
    }


def _status_lines(status: ShiftStatus) -> list[str]:
    from counter.domain.shifts import day_state

    lines = [
        day_state(status.open or (status.shifts[-1] if status.shifts else None), status.day_closed)
    ]
    for shift in status.shifts:
        if shift.close is None:
            lines.append(
                _("Shift {number}: open since {at} by {name}, opened with {cash}.").format(
                    number=shift.number,
                    at=shift.opened_at.isoformat(timespec="minutes"),
                    name=shift.opened_by,
                    cash=_cash(shift.opening.usd_cents, shift.opening.khr),
                )
            )
        else:
            lines.append(
                _("Shift {number}: closed, counted {cash} by {name}.").format(
                    number=shift.number,
                    cash=_cash(shift.close.counted.usd_cents, shift.close.counted.khr),
                    name=shift.close.counted_by,
                )
            )
    if status.open is not None and status.expected is None:
        lines.append(_("The expected cash is shown after the count (blind count)."))
    elif status.expected is not None:
        lines.append(
            _("Expected in the drawer now: {cash}.").format(
                cash=_cash(status.expected.expected_usd_cents, status.expected.expected_khr)
            )
        )
    return lines


@shift_app.command("status", help=_("The counter's shifts of the day, and the one open."))
def shift_status_command(
    by: Annotated[
        str | None,
        typer.Option("--by", help=_("A supervisor, to see the expected cash (their PIN).")),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("One JSON object."))] = False,
    day: DateOpt = None,
) -> None:
    """The counter's shifts of the day, and the one open."""
    from counter.services.shifts import shift_status

    with ledger() as opened:
        role = log_in(opened, by).role if by else None
        status = shift_status(opened, opened.counter_code, _day(opened, day), role=role)
    if as_json:
        typer.echo(json.dumps(_status_json(status), ensure_ascii=False))
        return
    for line in _status_lines(status):
        typer.echo(line)


@app.command("reopen-day", help=_("Reopen a closed day (supervisor, with a reason): a new shift."))
def reopen_day_command(
    reason: Annotated[str, typer.Option("--reason", help=_("Why the day is reopened."))],
    by: Annotated[str, typer.Option("--by", help=_("Supervisor or admin (their PIN)."))],
    day: DateOpt = None,
) -> None:
    """Reopen a closed day (supervisor, with a reason): a new shift."""
    from counter.services.shifts import reopen_day

    with ledger() as opened:
        when = _day(opened, day)
        shift = reopen_day(opened, when, opened.counter_code, reason=reason, by=approval(by))
    typer.echo(
        _(
            "Reopened {day} at counter {counter}: shift {number} is open with the drawer as "
            "last counted, {cash}. Close the day again when it is done."
        ).format(
            day=shift.business_date.isoformat(),
            counter=shift.counter_code,
            number=shift.number,
            cash=_cash(shift.opening.usd_cents, shift.opening.khr),
        )
    )


@app.command("z-report", help=_("Write the Z report of a closed day or shift again (a copy)."))
def z_report_command(
    day: DateOpt = None,
    shift: Annotated[
        int | None, typer.Option("--shift", help=_("A shift's number (default: the day's)."))
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", help=_("File or folder (default: reports)."))
    ] = None,
    force: ForceOpt = False,
    mkdir: MkdirOpt = False,
) -> None:
    """Write the Z report of a closed day or shift again (a copy)."""
    from counter.config import load_settings
    from counter.services.zreports import z_report

    with ledger() as shop:
        opened, output = guarded_reports(shop, load_settings(), output, force=force, mkdir=mkdir)
        when = _day(opened, day)
        path = z_report(
            opened,
            when,
            opened.counter_code,
            shift_number=shift,
            printed_by=getpass.getuser(),
            output=output,
        )
    typer.echo(str(path))
    print_z_on_roll(when, shift, copy=True)
