"""Reading an amount typed at the counter, in US dollars or in riel.

Dollars are the default. Riel are typed with a trailing `r`, `៛` or `KHR`
(`20000r`, `20,000៛`); the domain's `parse_amount` does the strict reading.
"""

from __future__ import annotations

from counter.domain.money import Currency, Money, parse_amount

_RIEL_SUFFIXES = ("៛", "khr", "riel", "r")


def read_money(text: str) -> Money:
    """The amount typed, in the currency its suffix names; AmountError says what is wrong."""
    raw = text.strip()
    lowered = raw.lower()
    for suffix in _RIEL_SUFFIXES:
        if lowered.endswith(suffix):
            return parse_amount(raw[: -len(suffix)].strip(), Currency.KHR)
    return parse_amount(raw, Currency.USD)


def is_blank(text: str) -> bool:
    return not text.strip()
