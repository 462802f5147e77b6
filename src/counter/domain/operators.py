"""Operator rules: which prefixes an operator owns, what it sells, what validity it adds.

These are plain values loaded from the rules file by `counter.rules`; the domain
only asks them questions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from counter.i18n import _, format_usd_for

# F2..F7 on the sale screen when the operator sells any amount in its range.
DEFAULT_QUICK_AMOUNTS = (100, 200, 500, 1000, 2000, 5000)


@dataclass(frozen=True)
class ValidityBand:
    """Amounts from `low` to `high` cents (both included) add `days` of validity."""

    low_cents: int
    high_cents: int
    days: int

    def covers(self, cents: int) -> bool:
        return self.low_cents <= cents <= self.high_cents


@dataclass(frozen=True)
class Operator:
    id: str
    name: str
    colour: str
    enabled: bool
    prefixes: Mapping[str, frozenset[int]]  # "012" -> allowed digit counts after the 0
    min_cents: int
    max_cents: int
    step_cents: int
    denominations: tuple[int, ...] = ()
    validity_exact: Mapping[int, int] = field(default_factory=dict)
    validity_bands: tuple[ValidityBand, ...] = ()
    balance_code: str = "*1201#"
    commission_bp: int = 0  # basis points: 350 = 3.50 % of the amount sold
    daily_cap_cents: int | None = None  # per-number daily cap; None = off

    def validity_days(self, cents: int) -> int | None:
        """Days of validity `cents` adds: an exact amount first, then a band, else None."""
        if cents in self.validity_exact:
            return self.validity_exact[cents]
        for band in self.validity_bands:
            if band.covers(cents):
                return band.days
        return None

    def quick_amounts(self) -> tuple[int, ...]:
        """The amounts offered on F2..F7: the denominations, or common amounts in range."""
        if self.denominations:
            return self.denominations[:6]
        return tuple(
            a
            for a in DEFAULT_QUICK_AMOUNTS
            if self.min_cents <= a <= self.max_cents and a % self.step_cents == 0
        )

    def amount_problems(self, cents: int) -> list[str]:
        """Every reason this operator would refuse `cents`, in the order a clerk fixes them."""
        problems: list[str] = []
        if cents <= 0:
            return [_("The amount must be more than zero.")]
        if cents < self.min_cents:
            problems.append(
                _("{amount} is below {operator}'s minimum of {minimum}.").format(
                    amount=format_usd_for(cents),
                    operator=self.name,
                    minimum=format_usd_for(self.min_cents),
                )
            )
        if cents > self.max_cents:
            problems.append(
                _("{amount} is above {operator}'s maximum of {maximum}.").format(
                    amount=format_usd_for(cents),
                    operator=self.name,
                    maximum=format_usd_for(self.max_cents),
                )
            )
        if self.denominations:
            if cents not in self.denominations:
                listed = _(", ").join(format_usd_for(d) for d in self.denominations)
                problems.append(
                    _("{operator} sells only {amounts}; {amount} is not one.").format(
                        operator=self.name, amounts=listed, amount=format_usd_for(cents)
                    )
                )
        elif cents % self.step_cents:
            problems.append(
                _("{operator} sells in steps of {step}; {amount} is not one.").format(
                    operator=self.name,
                    step=format_usd_for(self.step_cents),
                    amount=format_usd_for(cents),
                )
            )
        return problems


@dataclass(frozen=True)
class PrefixMatch:
    operator: Operator
    prefix: str
    lengths: frozenset[int]


class RuleBook:
    """The operators in force, indexed by prefix. Built once; asked on every keystroke."""

    def __init__(self, operators: Iterable[Operator], source: str = "rules") -> None:
        self.operators: tuple[Operator, ...] = tuple(operators)
        self.source = source
        self._by_id = {op.id: op for op in self.operators}
        self._by_prefix: dict[str, PrefixMatch] = {}
        for op in self.operators:
            for prefix, lengths in op.prefixes.items():
                other = self._by_prefix.get(prefix)
                if other is not None:
                    raise ValueError(
                        f"prefix {prefix} is claimed by both {other.operator.id} and {op.id}"
                    )
                self._by_prefix[prefix] = PrefixMatch(op, prefix, lengths)

    def __iter__(self) -> Iterator[Operator]:
        return iter(self.operators)

    def get(self, operator_id: str) -> Operator | None:
        return self._by_id.get(operator_id)

    def __getitem__(self, operator_id: str) -> Operator:
        return self._by_id[operator_id]

    def match_prefix(self, prefix: str) -> PrefixMatch | None:
        return self._by_prefix.get(prefix)

    @property
    def enabled(self) -> tuple[Operator, ...]:
        return tuple(op for op in self.operators if op.enabled)
