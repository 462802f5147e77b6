"""`counter khqr AMOUNT`: the KHQR code the shop's settings give, to test with a bank app.

Nothing is recorded and Bakong is not asked: the owner scans the code with a bank app
before the first customer and checks the name, city and amount the app shows. The
command imports no database code.
"""

from __future__ import annotations

import json
import shutil
import sys
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

import typer

from counter.cli.app import app, fail
from counter.cli.options import currency_option
from counter.config import KhqrSettings, Settings, load_settings, settings_file
from counter.domain.money import Currency, Money, format_money_text, parse_amount, plain_decimal
from counter.i18n import _, format_datetime_for
from counter.payments.errors import BakongError, KhqrError, QrTooLarge
from counter.payments.khqr import KhqrCode, Merchant, build_khqr

if TYPE_CHECKING:
    from counter.payments.display import ShownCode

_REQUIRED = ("account_id", "merchant_name", "merchant_city")
# Merchant fields -> their [khqr] setting (the rest are the command's own arguments).
_SETTING = {
    "account_id": "account_id",
    "merchant_name": "merchant_name",
    "merchant_city": "merchant_city",
    "merchant_id": "merchant_id",
    "acquiring_bank": "acquiring_bank",
    "mcc": "mcc",
    "store_label": "store_label",
    "terminal_label": "terminal_label",
    "mobile_number": "mobile_number",
}


@app.command(
    "khqr",
    help=_(
        "Print the KHQR code the [khqr] settings give for AMOUNT (payload, MD5 and the code), "
        "to test with a bank app. Nothing is recorded."
    ),
)
def khqr(
    amount: Annotated[str, typer.Argument(help=_("The amount, e.g. 5 or 2.50 (riel: 20000)."))],
    currency: Annotated[
        str, typer.Option("--currency", help=_("Currency of AMOUNT: USD or KHR."))
    ] = "USD",
    bill: Annotated[
        str | None, typer.Option("--bill", help=_("The bill number the code carries."))
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print one JSON object."))] = False,
) -> None:
    """Print the KHQR code for AMOUNT from the [khqr] settings."""
    cur = currency_option(currency)
    settings = load_settings()
    merchant = _merchant(settings)
    money = parse_amount(amount, cur)
    now = datetime.now(UTC)
    expires = now + timedelta(minutes=settings.khqr.expiry_minutes)
    try:
        if as_json:
            code = build_khqr(merchant, money, created_at=now, expires_at=expires, bill_number=bill)
            typer.echo(json.dumps(_as_json(code, merchant, settings), ensure_ascii=False))
            return
        shown = _fitted(merchant, money, now, expires, bill)
    except KhqrError as exc:
        raise fail(_explained(exc)) from None
    _print_text(shown, merchant, money, settings)


def _merchant(settings: Settings) -> Merchant:
    k = settings.khqr
    for name in _REQUIRED:
        if not (getattr(k, name) or "").strip():
            raise fail(
                _(
                    "The KHQR setting {name} is missing: add it to the [khqr] table of {path}."
                ).format(name=name, path=settings_file())
            )
    return Merchant(
        account_id=k.account_id or "",
        name=k.merchant_name or "",
        city=k.merchant_city or "",
        merchant_id=k.merchant_id,
        acquiring_bank=k.acquiring_bank,
        mcc=k.mcc,
        store_label=k.store_label,
        terminal_label=k.terminal_label or settings.counter_code,
        mobile_number=k.mobile_number,
    )


def _explained(exc: KhqrError) -> str:
    if exc.field in _SETTING:
        return _("{message} (the [khqr] setting {name} in {path})").format(
            message=exc, name=_SETTING[exc.field], path=settings_file()
        )
    if exc.field == "bill_number":
        return _("{message} (the --bill option)").format(message=exc)
    return str(exc)


def _fitted(
    merchant: Merchant, money: Money, now: datetime, expires: datetime, bill: str | None
) -> ShownCode | KhqrCode:
    """The code fitted to this terminal, or the bare code when no terminal is big enough."""
    from counter.payments.display import code_for_screen

    size = shutil.get_terminal_size((80, 24))
    try:
        return code_for_screen(
            merchant,
            money,
            created_at=now,
            expires_at=expires,
            bill_number=bill,
            max_rows=max(size.lines - 1, 1),
            max_cols=size.columns,
        )
    except QrTooLarge:
        return build_khqr(merchant, money, created_at=now, expires_at=expires, bill_number=bill)


def _print_text(
    shown: ShownCode | KhqrCode, merchant: Merchant, money: Money, settings: Settings
) -> None:
    code = shown if isinstance(shown, KhqrCode) else shown.code
    typer.echo(_("Payload: {payload}").format(payload=code.payload))
    typer.echo(_("MD5:     {md5}").format(md5=code.md5))
    typer.echo(
        _("Pays {amount} to {account} ({name}, {city}).").format(
            amount=format_money_text(money),
            account=merchant.account_id,
            name=merchant.name,
            city=merchant.city,
        )
    )
    typer.echo(
        _("Valid until {when}.").format(
            when=format_datetime_for(code.expires_at.astimezone(settings.zone))
        )
    )
    if isinstance(shown, KhqrCode):
        typer.echo(_("This terminal is too small to show the code; the payload is above."))
    else:
        _print_code(shown)
    for note in _token_notes(settings.khqr, settings):
        typer.echo(note)


def _print_code(shown: ShownCode) -> None:
    picture = shown.picture
    colour = sys.stdout.isatty()
    for line in picture.lines:
        # Dark on light whatever the terminal's colours: a light-on-dark code scans badly.
        typer.echo(typer.style(line, fg="black", bg="bright_white") if colour else line)
    typer.echo(
        _("QR version {version}, error correction {level}, quiet zone {zone} modules.").format(
            version=picture.version, level=picture.error_level, zone=picture.quiet_zone
        )
    )
    if shown.left_out:
        typer.echo(
            _("Left out to fit this terminal: {fields}.").format(fields=", ".join(shown.left_out))
        )


def _token_notes(k: KhqrSettings, settings: Settings) -> list[str]:
    """What the owner should know about the Bakong token (nothing is sent to Bakong)."""
    from counter.payments.token import expiry_notice, load_token

    try:
        token = load_token(env_name=k.token_env, file=k.token_file)
    except BakongError as exc:
        return [
            _("{reason} Codes can be shown, but Bakong cannot confirm payments.").format(reason=exc)
        ]
    notice = expiry_notice(token, datetime.now(UTC), zone=settings.zone)
    if notice:
        return [notice]
    if token.expires_at is None:
        return [_("Bakong token from {source}.").format(source=token.source)]
    return [
        _("Bakong token from {source}, valid until {when}.").format(
            source=token.source,
            when=format_datetime_for(token.expires_at.astimezone(settings.zone)),
        )
    ]


def _as_json(code: KhqrCode, merchant: Merchant, settings: Settings) -> dict[str, Any]:
    return {
        "payload": code.payload,
        "md5": code.md5,
        "amount": _plain(code.amount),
        "currency": code.amount.currency.value,
        "minor_units": code.amount.minor,
        "bill_number": code.bill_number,
        "account_id": merchant.account_id,
        "merchant_name": merchant.name,
        "merchant_city": merchant.city,
        "created_at": code.created_at.isoformat(),
        "expires_at": code.expires_at.isoformat(),
    }


def _plain(amount: Money) -> str:
    """`5.00` or `20000`: the JSON contract's amounts, without a currency sign."""
    if amount.currency is Currency.USD:
        return plain_decimal(amount.minor)
    return str(amount.minor)
