"""The lockout threshold: how many wrong PINs in a row lock an account, and its changes.

The threshold is a ledger setting (chained), written at set-up and changed by an admin
(`services.lockout`); a log-in reads it from the ledger, never from a counter's settings.
Below 3 a slip of the finger locks a clerk out; above 20 a guesser has too many tries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from counter.domain.errors import UserError
from counter.i18n import _

LOWEST_LOCKOUT = 3
HIGHEST_LOCKOUT = 20


def read_attempts(text: str | int) -> int:
    """The wrong PINs in a row that lock an account, typed or given, inside 3..20; a slip
    is refused in words."""
    raw = str(text).strip()
    if not raw.isascii() or not raw.isdigit():
        shown = raw[:20] + "…" if len(raw) > 20 else raw
        raise UserError(
            _(
                "{text!r} is not a number of wrong PINs: type a whole number from {low} to {high}."
            ).format(text=shown, low=LOWEST_LOCKOUT, high=HIGHEST_LOCKOUT)
        )
    attempts = int(raw)
    if not LOWEST_LOCKOUT <= attempts <= HIGHEST_LOCKOUT:
        raise UserError(
            _(
                "{attempts} wrong PINs is outside what a shop may set: choose from {low} "
                "(a slip of the finger should not lock a clerk out) to {high} (a guesser "
                "should not get more tries)."
            ).format(attempts=attempts, low=LOWEST_LOCKOUT, high=HIGHEST_LOCKOUT)
        )
    return attempts


@dataclass(frozen=True)
class LockoutChange:
    """One threshold set: when (UTC), by whom, before (None at set-up) and after."""

    at: datetime
    by: str
    old: int | None
    new: int

    @property
    def sentence(self) -> str:
        """What the CLI says once the change is recorded."""
        return _(
            "An account now locks after {new} wrong PINs in a row (was {old}), from the next "
            "log-in; set by {name}."
        ).format(new=self.new, old=self.old if self.old is not None else "?", name=self.by)


@dataclass(frozen=True)
class LockoutBook:
    """The threshold in force for the next log-in, and its changes, newest first."""

    attempts: int
    history: tuple[LockoutChange, ...]
