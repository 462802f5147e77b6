"""Reading an amount typed at the counter, in US dollars or in riel.

Dollars are the default; riel are typed with a mark (`5000r`, `5,000៛`, `5000 KHR`).
The reading is the domain's one strict parser (`counter.domain.amounts.read_amount`), the
one `counter check` and `counter sell` use: nothing typed is dropped on the way (`-5` is
refused as negative, `1e3` names the `e`).
"""

from __future__ import annotations

from counter.domain.amounts import read_amount
from counter.domain.money import Currency, Money


def read_money(text: str) -> Money:
    """The amount typed, in the currency its mark names; AmountError says what is wrong."""
    return read_amount(text, Currency.USD)


def is_blank(text: str) -> bool:
    return not text.strip()
