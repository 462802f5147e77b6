"""Counting the drawer: by note, with the totals computed, or as a plain total.

The notes a Cambodian drawer holds (as of 2026):
- US dollars: $1, $2, $5, $10, $20, $50, $100 (US coins are not used in Cambodia).
- Riel: 100, 200, 500, 1,000, 2,000, 5,000, 10,000, 15,000, 20,000, 30,000, 50,000,
  100,000 and 200,000. The 15,000 (2019), 30,000 (2021) and 200,000 (2024) notes are
  commemorative issues of the National Bank of Cambodia and legal tender; the 50 riel
  note exists but is of little use. Cash that is not a note in these lists (a 50 riel
  note, a torn note kept apart) is counted as `other`, a plain amount.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from counter.domain.errors import AmountError
from counter.domain.money import MAX_MINOR, Currency, Money, format_money_text
from counter.i18n import _

USD_NOTES_CENTS = (100, 200, 500, 1_000, 2_000, 5_000, 10_000)
KHR_NOTES = (
    100,
    200,
    500,
    1_000,
    2_000,
    5_000,
    10_000,
    15_000,
    20_000,
    30_000,
    50_000,
    100_000,
    200_000,
)
NOTES: Mapping[Currency, tuple[int, ...]] = {
    Currency.USD: USD_NOTES_CENTS,
    Currency.KHR: KHR_NOTES,
}
# More notes of one kind than any drawer holds: a slip (a total typed as a count).
MAX_NOTES = 10_000


@dataclass(frozen=True)
class NoteCount:
    """`count` notes of `face` (minor units) in `currency`."""

    currency: Currency
    face: int
    count: int

    @property
    def total(self) -> int:
        return self.face * self.count


@dataclass(frozen=True)
class CashCount:
    """A drawer count: the totals in each currency and, if counted by note, the notes."""

    usd_cents: int
    khr: int
    notes: tuple[NoteCount, ...] = ()
    other_usd_cents: int = 0
    other_khr: int = 0

    def __post_init__(self) -> None:
        for name in ("usd_cents", "khr", "other_usd_cents", "other_khr"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} is a whole amount, not below zero")
        for currency, total, other in (
            (Currency.USD, self.usd_cents, self.other_usd_cents),
            (Currency.KHR, self.khr, self.other_khr),
        ):
            if self.notes and total != other + sum(
                n.total for n in self.notes if n.currency is currency
            ):
                raise ValueError("a count by note adds up to its totals")

    @property
    def by_note(self) -> bool:
        return bool(self.notes)

    def count_of(self, currency: Currency, face: int) -> int:
        return sum(n.count for n in self.notes if n.currency is currency and n.face == face)


def plain_count(usd_cents: int, khr: int) -> CashCount:
    """A count given as two totals, as before counting by note existed."""
    for currency, minor in ((Currency.USD, usd_cents), (Currency.KHR, khr)):
        _check_total(Money(minor, currency))
    return CashCount(usd_cents, khr)


def count_by_note(
    usd: Mapping[int, int] | None = None,
    khr: Mapping[int, int] | None = None,
    *,
    other_usd_cents: int = 0,
    other_khr: int = 0,
) -> CashCount:
    """A count by note (face in minor units -> number of notes); totals computed.

    `count_by_note(usd={2000: 3, 100: 4}, khr={1000: 12})` is $64.00 and 12,000៛.
    A face that is not a note in use, or a count below zero, is refused in words.
    """
    notes: list[NoteCount] = []
    totals = {Currency.USD: other_usd_cents, Currency.KHR: other_khr}
    for currency, given in ((Currency.USD, usd or {}), (Currency.KHR, khr or {})):
        for face, count in sorted(given.items(), reverse=True):
            note = _note(currency, face, count)
            if note.count:
                notes.append(note)
                totals[currency] += note.total
    for currency, total in totals.items():
        _check_total(Money(total, currency))
    return CashCount(
        usd_cents=totals[Currency.USD],
        khr=totals[Currency.KHR],
        notes=tuple(notes),
        other_usd_cents=other_usd_cents,
        other_khr=other_khr,
    )


def _note(currency: Currency, face: int, count: int) -> NoteCount:
    if face not in NOTES[currency]:
        listed = _(", ").join(format_money_text(Money(f, currency)) for f in NOTES[currency])
        raise AmountError(
            _("{note} is not a note in use; the notes counted are {notes}.").format(
                note=format_money_text(Money(face, currency)) if isinstance(face, int) else face,
                notes=listed,
            )
        )
    if not isinstance(count, int) or isinstance(count, bool):
        raise TypeError("a number of notes is an int")
    if count < 0:
        raise AmountError(
            _("{count} notes of {note}: a count cannot be below zero.").format(
                count=count, note=format_money_text(Money(face, currency))
            )
        )
    if count > MAX_NOTES:
        raise AmountError(
            _(
                "{count} notes of {note} is more than a drawer holds: type the number of notes."
            ).format(count=f"{count:,}", note=format_money_text(Money(face, currency)))
        )
    return NoteCount(currency, face, count)


def _check_total(money: Money) -> None:
    if money.minor < 0:
        raise AmountError(_("A cash count cannot be below zero."))
    if money.minor > MAX_MINOR[money.currency]:
        raise AmountError(
            _("{amount} is more than a counter's drawer holds.").format(
                amount=format_money_text(money)
            )
        )
