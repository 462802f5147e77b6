"""`counter check` and `counter operators`: the rules in force, with no ledger needed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from counter.cli.app import app
from counter.cli.options import currency_option
from counter.domain.money import format_usd
from counter.domain.topup import DEFAULT_RIEL_PER_USD, check_topup
from counter.i18n import _, format_usd_for, ngettext

if TYPE_CHECKING:
    from counter.config import Settings
    from counter.domain.operators import Operator, RuleBook


def current_rules(settings: Settings | None = None) -> RuleBook:
    from counter.config import load_settings
    from counter.rules import load_rules

    return load_rules((settings or load_settings()).rules_file)


def shop_rate(settings: Settings) -> int:
    """The rate in force in this machine's SQLite ledger, else the default one.

    Read with the standard library (`storage.quick_rate`), so `counter check` stays quick;
    a PostgreSQL ledger is not opened for it (pass `--rate`)."""
    from counter.storage.quick_rate import read_rate

    found = read_rate(settings.ledger_path) if settings.database_url is None else None
    return found if found is not None else DEFAULT_RIEL_PER_USD


@app.command(
    "check",
    help=_("Check a top-up against the operator rules. Exit 0 allowed, 1 refused, 2 usage error."),
)
def check(
    number: Annotated[str, typer.Argument(help=_("The customer's phone number, as given."))],
    amount: Annotated[
        str, typer.Argument(help=_("The top-up amount, e.g. 5, 2.50 or riel 20000r."))
    ],
    currency: Annotated[
        str, typer.Option("--currency", help=_("Currency of AMOUNT: USD or KHR."))
    ] = "USD",
    as_json: Annotated[bool, typer.Option("--json", help=_("Print one JSON object."))] = False,
    rate: Annotated[
        int | None,
        typer.Option(
            "--rate",
            min=1,
            help=_("Riel per USD for riel amounts (default: the shop's rate, else 4000)."),
        ),
    ] = None,
) -> None:
    """Check a top-up against the operator rules. Exit 0 allowed, 1 refused, 2 usage error."""
    from counter.config import load_settings

    cur = currency_option(currency)
    settings = load_settings()
    riel_per_usd = rate if rate is not None else shop_rate(settings)
    rules = current_rules(settings)
    verdict = check_topup(number, amount, rules, currency=cur, riel_per_usd=riel_per_usd)
    if as_json:
        typer.echo(json.dumps(verdict.as_json(), ensure_ascii=False))
    else:
        if verdict.operator and verdict.number:
            typer.echo(_("Operator: {operator}").format(operator=verdict.operator.name))
            typer.echo(
                _("Number:   {number} ({msisdn})").format(
                    number=verdict.display, msisdn=verdict.msisdn
                )
            )
        if verdict.amount_cents is not None:
            typer.echo(_("Amount:   {amount}").format(amount=format_usd_for(verdict.amount_cents)))
        if verdict.validity_days is not None:
            typer.echo(
                ngettext(
                    "Validity: +{days} day", "Validity: +{days} days", verdict.validity_days
                ).format(days=verdict.validity_days)
            )
        if verdict.ok:
            typer.echo(_("OK: this top-up is allowed."))
        for error in verdict.errors:
            typer.echo(_("Refused: {reason}").format(reason=error), err=True)
    if not verdict.ok:
        raise typer.Exit(1)


def _limits(op: Operator) -> str:
    if op.denominations:
        return _("only {amounts}").format(
            amounts=", ".join(format_usd_for(d) for d in op.denominations)
        )
    return _("{low}-{high} in steps of {step}").format(
        low=format_usd_for(op.min_cents),
        high=format_usd_for(op.max_cents),
        step=format_usd_for(op.step_cents),
    )


def _validity(op: Operator) -> str:
    parts = [f"{format_usd(c)}:{d}d" for c, d in sorted(op.validity_exact.items())]
    parts += [
        f"{format_usd(b.low_cents)}-{format_usd(b.high_cents)}:{b.days}d" for b in op.validity_bands
    ]
    return ", ".join(parts) or "-"


@app.command(
    "operators",
    help=_("Print the operator rules in force: prefixes, limits, validity, codes."),
)
def operators() -> None:
    """Print the operator rules in force: prefixes, limits, validity, codes."""
    rules = current_rules()
    typer.echo(_("Rules: {source}").format(source=rules.source))
    for op in rules.operators:
        state = _("enabled") if op.enabled else _("DISABLED")
        typer.echo("")
        typer.echo(f"{op.name} ({op.id}, {state})")
        by_len: dict[str, list[str]] = {}
        for prefix, lengths in sorted(op.prefixes.items()):
            key = "/".join(str(n + 1) for n in sorted(lengths))
            by_len.setdefault(key, []).append(prefix)
        for key, prefixes in by_len.items():
            typer.echo(
                "  "
                + _("prefixes   {prefixes}  ({lengths} digits with the 0)").format(
                    prefixes=" ".join(prefixes), lengths=key
                )
            )
        typer.echo("  " + _("amounts    {amounts}").format(amounts=_limits(op)))
        typer.echo("  " + _("validity   {validity}").format(validity=_validity(op)))
        typer.echo(
            "  "
            + _("balance    {code}   commission {percent:.2f}%").format(
                code=op.balance_code, percent=op.commission_bp / 100
            )
        )
