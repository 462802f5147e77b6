"""Option values several commands read the same way."""

from __future__ import annotations

import typer

from counter.domain.money import Currency
from counter.i18n import _


def currency_option(value: str) -> Currency:
    """`--currency USD|KHR`, or a usage error naming the option (exit 2)."""
    try:
        return Currency.parse(value)
    except Exception:
        raise typer.BadParameter(
            _("{value!r}: use USD or KHR.").format(value=value), param_hint="--currency"
        ) from None


def language_option(value: str, option: str) -> str:
    """A language of this app (`en`, `zh`, `zh_CN`...), or a usage error naming `option`."""
    from counter.i18n import available_languages, normalize_language

    try:
        return normalize_language(value)
    except ValueError:
        raise typer.BadParameter(
            _("{value!r}: use {languages}.").format(
                value=value, languages=_(" or ").join(available_languages())
            ),
            param_hint=option,
        ) from None
