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
