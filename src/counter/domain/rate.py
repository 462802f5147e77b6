"""The shop's exchange rate: whole riel per US dollar, inside bounds that catch a slip.

A rate is set by a supervisor and kept on every sale; a typing slip (410 or 41000 for
4100) would price every riel payment wrongly, so a rate outside the shop's bounds
(3,000..5,000 riel per dollar unless the shop says otherwise) is refused in words.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from counter.domain.errors import RateError
from counter.domain.text import to_ascii_digits
from counter.i18n import _

DEFAULT_LOWEST_RATE = 3000
DEFAULT_HIGHEST_RATE = 5000

_RATE_RE = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d{1,9})$", re.ASCII)
_RATE_MARKS = ("riel", "khr", "៛", "r")


@dataclass(frozen=True)
class RateBounds:
    """The lowest and highest rate this shop accepts, both included, in riel per dollar."""

    lowest: int = DEFAULT_LOWEST_RATE
    highest: int = DEFAULT_HIGHEST_RATE

    def __post_init__(self) -> None:
        for value in (self.lowest, self.highest):
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError("rate bounds are whole riel per dollar (int)")
        if not 0 < self.lowest <= self.highest:
            raise ValueError(
                f"rate bounds must satisfy 0 < lowest <= highest, not {self.lowest}..{self.highest}"
            )

    def check(self, riel_per_usd: int) -> int:
        """`riel_per_usd` if it lies within the bounds; RateError in words if not."""
        if not isinstance(riel_per_usd, int) or isinstance(riel_per_usd, bool):
            raise RateError(_("The rate must be a whole number of riel per dollar, like 4100."))
        if riel_per_usd < self.lowest:
            raise RateError(
                _(
                    "{rate} riel per dollar is below this shop's lowest rate of {lowest}: "
                    "check it for a typing slip."
                ).format(rate=f"{riel_per_usd:,}", lowest=f"{self.lowest:,}"),
                rate=riel_per_usd,
            )
        if riel_per_usd > self.highest:
            raise RateError(
                _(
                    "{rate} riel per dollar is above this shop's highest rate of {highest}: "
                    "check it for a typing slip."
                ).format(rate=f"{riel_per_usd:,}", highest=f"{self.highest:,}"),
                rate=riel_per_usd,
            )
        return riel_per_usd


def read_rate(text: str, bounds: RateBounds | None = None) -> int:
    """A rate as typed (`4100`, `4,100`, `4100r`, Khmer digits), checked against `bounds`."""
    bounds = bounds or RateBounds()
    if not isinstance(text, str):
        raise RateError(_("The rate must be a whole number of riel per dollar, like 4100."))
    raw = to_ascii_digits(text).strip()
    for mark in _RATE_MARKS:
        tail = raw[-len(mark) :]
        if len(raw) >= len(mark) and (tail == mark or (tail.isascii() and tail.lower() == mark)):
            raw = raw[: -len(mark)].strip()
            break
    if not raw:
        raise RateError(_("Enter the rate in riel per dollar, like 4100."))
    if _RATE_RE.match(raw) is None:
        shown = text.strip()
        shown = shown[:20] + "…" if len(shown) > 20 else shown
        raise RateError(
            _(
                "{text!r} is not a rate: type whole riel per dollar, like 4100, "
                "without a sign or decimals."
            ).format(text=shown)
        )
    return bounds.check(int(raw.replace(",", "")))


def riel_value(cents: int, riel_per_usd: int) -> int:
    """What `cents` are worth in whole riel at the rate, to the nearest riel (halves up)."""
    return math.floor(Fraction(cents * riel_per_usd, 100) + Fraction(1, 2))


@dataclass(frozen=True)
class RateChange:
    """One rate set: when (UTC), by whom, the rate before (None at set-up) and after."""

    at: datetime
    by: str
    old: int | None
    new: int

    @property
    def sentence(self) -> str:
        """What the CLI and the rate form say once the change is recorded."""
        return _(
            "The rate is now {new} riel per dollar (was {old}), from the next sale; set by {name}."
        ).format(new=f"{self.new:,}", old=f"{self.old or 0:,}", name=self.by)


@dataclass(frozen=True)
class RateBook:
    """The rate in force for the next sale, and the changes that led to it, newest first."""

    riel_per_usd: int
    history: tuple[RateChange, ...]
