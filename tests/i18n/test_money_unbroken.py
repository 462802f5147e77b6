"""Money is never broken across two lines of a Chinese screen.

Textual wraps a line at its spaces and folds a word longer than the line at any character.
Chinese is written without spaces, so a whole sentence is one "word" to it: an amount glued
to the Chinese around it (`已收US$20.00，找零...`) is folded wherever the line ends, even
between `US$1,2` and `34.56`. The catalog keeps every amount a word of its own (a space on
each side where Chinese touches it), and this test wraps every Chinese sentence that carries
an amount, filled with the longest amounts a shop sees, at every width a screen has.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from textual.content import Content

import counter

PO = Path(counter.__file__).parent / "locale" / "zh_Hans_CN" / "LC_MESSAGES" / "counter.po"

# The placeholders the code fills with an amount of money (format_money_text, format_usd_for,
# format_khr_for): found with `grep -rhoE "\b[a-z_]+=format_(money|usd|khr)" src/counter`.
MONEY = frozenset(
    {
        "amount", "usd", "khr", "paid", "due", "asked", "worth", "step", "short", "maximum",
        "minimum", "limit", "sold", "smallest", "smallest_khr", "maximum_khr", "opening_usd",
        "opening_khr", "low", "high", "left", "expected", "expected_usd", "expected_khr",
        "difference", "difference_usd", "difference_khr", "counted", "counted_usd",
        "counted_khr", "cap", "balance", "back", "change", "cash", "total", "note",
        "reading", "other", "received",
    }
)  # fmt: skip
# ... and the ones it fills with a list of amounts, joined by the catalog's `, `.
LISTS = frozenset({"amounts", "notes"})
DOLLARS, RIEL = "US$12,345.67", "-1,234,000៛"  # the widest amounts: a sign, thousands
OTHER = "某某"  # any other value (a name, a receipt): Chinese, so it glues like the words


def _strings(message: Message) -> list[str]:
    """A message's translations (one, or a plural's forms), as strings."""
    raw = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return [text for text in raw if isinstance(text, str)]


def _read_catalog() -> Catalog:
    with PO.open("rb") as fh:
        return read_po(fh, locale="zh_Hans_CN")


CATALOG = _read_catalog()  # read once: each test walks all of it


def _catalog_says(msgid: str) -> str:
    message = CATALOG[msgid]
    assert message is not None and isinstance(message.string, str)
    return message.string


def _money_sentences() -> list[tuple[str, str]]:
    """(msgid, msgstr) of every Chinese sentence with an amount in it."""
    found: list[tuple[str, str]] = []
    for message in CATALOG:
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        for text in _strings(message):
            fields = {name for _, name, _, _ in string.Formatter().parse(text) if name}
            if fields & (MONEY | LISTS):
                found.append((str(ids[0]), text))
    return found


def _filled(template: str, amount: str) -> str:
    listed = LIST_JOIN.join([amount, amount, amount])
    parts = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        parts.append(literal)
        if name is None:
            continue
        value = amount if name in MONEY else listed if name in LISTS else "3" if spec else OTHER
        parts.append(repr(value) if conversion == "r" else value)
    return "".join(parts)


SENTENCES = _money_sentences()
LIST_JOIN = _catalog_says(", ")


def test_the_catalog_has_sentences_with_amounts() -> None:
    assert len(SENTENCES) > 50  # the walk below reads the real catalog, not an empty one


@pytest.mark.parametrize("amount", [DOLLARS, RIEL])
def test_no_amount_is_broken_at_any_width(amount: str) -> None:
    broken: list[str] = []
    for msgid, template in SENTENCES:
        text = _filled(template, amount)
        for width in range(24, 101):
            lines = [line.plain for line in Content(text).wrap(width)]
            if sum(line.count(amount) for line in lines) != text.count(amount):
                broken.append(f"{template!r} (for {msgid!r}) at {width} columns")
                break
    assert not broken, f"{len(broken)} Chinese sentences break an amount:\n" + "\n".join(broken)


def test_the_check_sees_an_amount_glued_to_chinese() -> None:
    """The check itself: a sentence written without the spaces breaks its amount."""
    glued = _filled("顾客已经付了{paid}所以这一笔销售的找零一共是{change}请把找零交给顾客", DOLLARS)
    widths = range(24, 101)
    assert any(
        sum(line.plain.count(DOLLARS) for line in Content(glued).wrap(w)) < 2 for w in widths
    )


def test_a_dollar_in_chinese_is_written_us_dollar() -> None:
    """`$` alone reads as the yuan's sign to a Chinese reader: every dollar is `US$`."""
    bare = []
    for message in CATALOG:
        bare += [text for text in _strings(message) if re.search(r"(?<!US)\$", text)]
    assert not bare, "a bare $ in Chinese:\n" + "\n".join(bare)


def test_an_empty_airtime_stock_is_said_in_its_own_chinese_sentence() -> None:
    """Not "剩余 零" (the word "nothing" put in the sentence for an amount left)."""
    from counter.domain.errors import FloatTooLow
    from counter.i18n import use_language

    with use_language("zh"):
        empty = FloatTooLow("smart", "Smart", 0, 500)
        some = FloatTooLow("smart", "Smart", 100, 500)
    assert empty.errors[0] == "Smart 话费库存已用完，不够 US$5.00。"
    assert some.errors[0] == "Smart 话费库存剩余 US$1.00，少于 US$5.00。"
