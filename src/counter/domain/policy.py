"""The shop's rules that every front end shares, as plain values and small questions.

`Policy` is built once from the settings (by `counter.bootstrap`); the use cases ask it,
and the screen asks the same questions before it asks the clerk anything, so `counter
sell` and the sale screen can never disagree about what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from counter.domain.cash import ChangePolicy, Rounding
from counter.domain.plausible import DEFAULT_MAX_MULTIPLE, DEFAULT_MAX_RECEIVED_CENTS, CashLimits
from counter.domain.rate import DEFAULT_HIGHEST_RATE, DEFAULT_LOWEST_RATE, RateBounds
from counter.domain.records import Role
from counter.i18n import _, format_usd_for

FloatPolicy = Literal["warn", "refuse", "off"]
BlindCount = Literal["clerks", "everyone", "nobody"]

FIRST_LOCK = timedelta(minutes=1)
DEFAULT_LOCKOUT_ATTEMPTS = 5  # a ledger that keeps no threshold of its own
LONGEST_LOCK = timedelta(days=1)


@dataclass(frozen=True)
class Policy:
    """The shop's rules in force. Money in USD cents, times in seconds."""

    khr_rounding_step: int = 100
    duplicate_window_seconds: int = 180
    large_amount_cents: int = 2000
    low_float_cents: int = 2000
    float_policy: FloatPolicy = "off"
    lockout_attempts: int = DEFAULT_LOCKOUT_ATTEMPTS
    default_riel_per_usd: int = 4000
    # Every sale is recorded in an open shift. Always on in a shop; tests about other
    # rules switch it off (a sale then belongs to shift 1 of its day, as before shifts).
    shift_required: bool = True
    khr_rounding: Rounding = Rounding.NEAREST
    change_dollar_notes: bool = True
    rate_lowest: int = DEFAULT_LOWEST_RATE
    rate_highest: int = DEFAULT_HIGHEST_RATE
    cash_max_multiple: int = DEFAULT_MAX_MULTIPLE
    cash_max_received_cents: int = DEFAULT_MAX_RECEIVED_CENTS
    blind_count: BlindCount = "clerks"

    # -- money at the counter -----------------------------------------------------------

    @property
    def change(self) -> ChangePolicy:
        """How change is given: riel to the shop's step, its rounding, dollar notes back."""
        return ChangePolicy(self.khr_rounding_step, self.khr_rounding, self.change_dollar_notes)

    @property
    def cash_limits(self) -> CashLimits:
        """Above these, the cash received is asked again with both readings."""
        return CashLimits(self.cash_max_multiple, self.cash_max_received_cents)

    @property
    def rate_bounds(self) -> RateBounds:
        return RateBounds(self.rate_lowest, self.rate_highest)

    # -- the drawer -----------------------------------------------------------------------

    @staticmethod
    def may_skip_opening_cash(role: Role) -> bool:
        """A supervisor or admin may log in without opening a shift; a clerk counts first."""
        return role.at_least(Role.SUPERVISOR)

    def counts_blind(self, role: Role) -> bool:
        """Whether someone of `role` counts the drawer without seeing the expected cash
        (`blind_count`: `clerks`, the default; `everyone`; `nobody`)."""
        if self.blind_count == "everyone":
            return True
        if self.blind_count == "nobody":
            return False
        return not role.at_least(Role.SUPERVISOR)

    @staticmethod
    def may_set_rate(role: Role) -> bool:
        return role.at_least(Role.SUPERVISOR)

    # -- the operators' airtime stock ---------------------------------------------------

    def watches_float(self) -> bool:
        return self.float_policy != "off"

    def is_low_float(self, balance_cents: int) -> bool:
        """Below `low_float_cents` under `warn` or `refuse`: the screen warns, lists flag it."""
        return self.watches_float() and balance_cents < self.low_float_cents

    def refuses_for_float(self, balance_cents: int, amount_cents: int) -> bool:
        """Under `refuse`, a sale larger than the operator's balance is refused."""
        return self.float_policy == "refuse" and amount_cents > balance_cents

    def float_warning(self, operator_name: str, balance_cents: int) -> str | None:
        """The sentence the sale screen shows under a low balance, or None."""
        if not self.is_low_float(balance_cents):
            return None
        return _("{operator} airtime stock is low: {left} left (warning below {limit}).").format(
            operator=operator_name,
            left=format_usd_for(balance_cents),
            limit=format_usd_for(self.low_float_cents),
        )

    @staticmethod
    def may_restock(role: Role) -> bool:
        """Restocks and balance corrections are approved by a supervisor or admin."""
        return role.at_least(Role.SUPERVISOR)

    # -- the sale -----------------------------------------------------------------------

    def is_large(self, amount_cents: int) -> bool:
        """At or above `large_amount_cents` the clerk types the number's last 4 digits again."""
        return amount_cents >= self.large_amount_cents

    def duplicate_since(self, now: datetime) -> datetime | None:
        """The start of the duplicate window before `now`, or None when the guard is off."""
        if self.duplicate_window_seconds <= 0:
            return None
        return now - timedelta(seconds=self.duplicate_window_seconds)

    # -- log-in ---------------------------------------------------------------------------

    def lock_delay(self, failed_attempts: int) -> timedelta | None:
        """How long an account stays locked after this many wrong PINs in a row: a minute
        at `lockout_attempts`, doubling with each further wrong PIN, up to a day."""
        over = failed_attempts - self.lockout_attempts
        if over < 0:
            return None
        delay: timedelta = FIRST_LOCK * (2 ** min(over, 20))
        return min(delay, LONGEST_LOCK)
