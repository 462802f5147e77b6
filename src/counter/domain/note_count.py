"""A drawer count as typed: a total (`64`, `12,000`) or notes (`20x3 1x4`, `10000x5 500x3`).

At the keyboard a count by note is quickest as one line per currency: each note's face,
`x`, and how many (`20x3` is three $20 notes); notes are separated by spaces or `+`; a
plain amount among them is cash that is not a note in use (a torn note kept apart).
The totals are computed as typed; a plain total is accepted as before.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from counter.domain.amounts import read_amount, read_count
from counter.domain.cash_count import CashCount, count_by_note, plain_count
from counter.domain.errors import AmountError
from counter.domain.money import Currency
from counter.domain.text import to_ascii_digits
from counter.i18n import _

_TIMES = re.compile(r"\s*[x×X*]\s*")
_PART = re.compile(r"[\s+]+")


def _parts(text: str) -> list[str]:
    joined = _TIMES.sub("x", to_ascii_digits(text).strip())
    return [part for part in _PART.split(joined) if part]


def read_notes(text: str, currency: Currency) -> tuple[int, dict[int, int], int]:
    """(total, {face: count}, other) of one currency's field; empty is zero.

    AmountError in words for a part that is neither a note count nor an amount.
    """
    notes: dict[int, int] = {}
    other = 0
    for part in _parts(text):
        if "x" in part:
            face_text, _x, count_text = part.partition("x")
            if not face_text or not count_text:
                raise AmountError(
                    _(
                        "{part!r} is not a count by note: type the note, x, and how many, like {example}."
                    ).format(part=part, example="20x3" if currency is Currency.USD else "1000x12")
                )
            face = read_amount(face_text, currency)
            if face.currency is not currency:
                raise AmountError(
                    _("{part!r}: this line counts {currency} notes.").format(
                        part=part, currency=currency.value
                    )
                )
            notes[face.minor] = notes.get(face.minor, 0) + read_count(count_text)
        else:
            money = read_amount(part, currency)
            if money.currency is not currency:
                raise AmountError(
                    _("{part!r}: this line counts {currency} notes.").format(
                        part=part, currency=currency.value
                    )
                )
            other += money.minor
    total = other + sum(face * count for face, count in notes.items())
    return total, notes, other


def read_drawer(usd_text: str, khr_text: str) -> CashCount:
    """The drawer count typed in the dollar and the riel lines (each a total or notes)."""
    usd_total, usd_notes, usd_other = read_notes(usd_text, Currency.USD)
    khr_total, khr_notes, khr_other = read_notes(khr_text, Currency.KHR)
    if not usd_notes and not khr_notes:
        return plain_count(usd_total, khr_total)
    return count_by_note(usd_notes, khr_notes, other_usd_cents=usd_other, other_khr=khr_other)


def notes_text(count: CashCount, currency: Currency) -> str:
    """The notes of one currency as typed back (`20x3 1x4`), or "" for a plain count."""
    faces: Mapping[int, int] = {
        n.face: n.count for n in count.notes if n.currency is currency and n.count
    }
    if currency is Currency.USD:
        return " ".join(f"{face // 100}x{n}" for face, n in faces.items())
    return " ".join(f"{face}x{n}" for face, n in faces.items())
