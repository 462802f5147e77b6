"""A sale as typed and checked, on its way through confirmation to the ledger."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from counter.domain.cash import Payment as CashPayment
from counter.domain.money import Money
from counter.domain.operators import Operator
from counter.domain.phone import PhoneNumber
from counter.domain.topup import Verdict


@dataclass(frozen=True)
class SaleDraft:
    """Everything the confirmation shows; `key` makes a retried confirm sell only once."""

    number_text: str
    number: PhoneNumber
    operator: Operator
    amount: Money  # as typed: USD, or riel when typed with `r`
    cents: int
    validity_days: int | None
    key: str = field(default_factory=lambda: uuid.uuid4().hex)

    @classmethod
    def from_verdict(cls, number_text: str, amount: Money, verdict: Verdict) -> SaleDraft:
        assert verdict.ok and verdict.number and verdict.operator and verdict.amount_cents
        return cls(
            number_text=number_text,
            number=verdict.number,
            operator=verdict.operator,
            amount=amount,
            cents=verdict.amount_cents,
            validity_days=verdict.validity_days,
        )


@dataclass(frozen=True)
class Payment:
    """Cash received; `paid` None means the exact amount. `confirmed`: the clerk pressed
    the second key for cash far above the amount due; `riel_per_usd`: the rate the
    confirmation worked the change out at (the sale is refused if it changed since);
    `khqr`: paid by KHQR instead."""

    paid: Money | CashPayment | None
    confirmed: bool = False
    riel_per_usd: int | None = None
    khqr: bool = False
