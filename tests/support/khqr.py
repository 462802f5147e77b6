"""KHQR test helpers: a code maker and a bank that live in memory, for use-case and
ledger tests (the real builder and Bakong client run against the stand-in elsewhere)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from counter.domain.khqr import (
    BankPayment,
    IssuedCode,
    KhqrPlan,
    KhqrRequest,
    WatchResult,
    WatchStatus,
)
from counter.domain.money import Money
from counter.domain.payment_errors import BakongOffline
from counter.services.ports import Ledger

PLAN = KhqrPlan(enabled=True, expiry_minutes=10, merchant_name="Lucky Phone")


def with_khqr(ledger: Ledger, **changes: object) -> Ledger:
    return replace(ledger, khqr=replace(PLAN, **changes))  # type: ignore[arg-type]


def fake_code(
    amount: Money,
    *,
    bill_number: str,
    created_at: datetime,
    expires_at: datetime,
    rows: int,
    cols: int,
) -> IssuedCode:
    payload = f"KHQR|{bill_number}|{amount.currency.value}|{amount.minor}|{created_at.isoformat()}"
    md5 = hashlib.md5(payload.encode(), usedforsecurity=False).hexdigest()
    return IssuedCode(payload, md5, amount, created_at, expires_at, ("██", "██"))


@dataclass
class FakeBank:
    """Bakong in memory: `pay(md5)` makes a code paid; `offline` makes every call fail."""

    paid: dict[str, BankPayment] = field(default_factory=dict)
    offline: bool = False
    calls: list[tuple[str, int]] = field(default_factory=list)  # (kind, how many codes)

    def pay(
        self, request: KhqrRequest, ref: str = "8465d722d7d5065f", amount: Money | None = None
    ) -> None:
        self.paid[request.md5] = BankPayment(request.md5, ref, amount or request.charge)

    def check(self, md5: str) -> BankPayment | None:
        self.calls.append(("one", 1))
        if self.offline:
            raise BakongOffline("Bakong could not be reached: check the network.")
        return self.paid.get(md5)

    def check_many(self, md5s: Sequence[str]) -> Mapping[str, BankPayment | None]:
        self.calls.append(("list", len(md5s)))
        if self.offline:
            raise BakongOffline("Bakong could not be reached: check the network.")
        return {md5: self.paid.get(md5) for md5 in md5s}

    def watcher(
        self, request: KhqrRequest, on_status: Callable[[WatchStatus], None] | None = None
    ) -> object:
        raise NotImplementedError("the use-case tests call finish_khqr with a WatchResult")


def result_paid(bank: FakeBank, request: KhqrRequest) -> WatchResult:
    from counter.domain.khqr import WatchEnd

    return WatchResult(WatchEnd.PAID, bank.paid[request.md5], None, 2)
