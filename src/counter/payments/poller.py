"""Waiting for a KHQR payment: check Bakong every few seconds until paid, expired or cancelled.

Pure logic: the clock, the waiting and the check itself are given, so tests drive it with
a fake clock against a Bakong stand-in, and the screen runs it in a worker thread.

- Checks come every 3 s for the first minute, then every 5 s, then every 10 s after five
  minutes; after a failed check (no network, timeout, 5xx) the wait doubles from 5 s up to
  a minute, and the clerk sees the problem in words.
- "Check now" (`check_now()`) cuts the wait short; `cancel()` ends it.
- The last check comes a little after the expiry (`grace`), for a payment made in the
  last seconds. A token Bakong refuses, or a machine it refuses, ends the wait at once:
  checking again cannot help, and the clerk can fall back to cash.
- A payment that arrives after cancel or expiry is found later by `find_late_payments`
  (one list request for every code closed without payment), as a `LatePayment` record for
  a supervisor to decide on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from counter.domain.money import Money
from counter.payments.bakong import BakongTransaction, CheckResult, NotFound, Paid, Unchecked
from counter.payments.errors import BakongError
from counter.payments.khqr import KhqrCode

__all__ = [
    "Backoff",
    "Cancelled",
    "ClosedCode",
    "Confirmed",
    "EventWaiter",
    "Expired",
    "LateCheck",
    "LatePayment",
    "PaymentWatch",
    "PollOutcome",
    "PollStatus",
    "Stopped",
    "Waiter",
    "WrongAmount",
    "find_late_payments",
]


class Waiter(Protocol):
    """Waits up to `seconds`; `wake()` (from another thread) ends the wait early."""

    def wait(self, seconds: float) -> None: ...

    def wake(self) -> None: ...


class EventWaiter:
    """The real waiter: a threading.Event."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def wait(self, seconds: float) -> None:
        self._event.wait(max(seconds, 0.0))
        self._event.clear()

    def wake(self) -> None:
        self._event.set()


@dataclass(frozen=True)
class Backoff:
    """How long to wait before the next check, in seconds."""

    first: float = 3.0
    first_for: float = 60.0
    steady: float = 5.0
    slow_after: float = 300.0
    slow: float = 10.0
    failure: float = 5.0
    failure_cap: float = 60.0
    grace: float = 15.0  # the last check comes this long after the expiry

    def delay(self, elapsed: float, failures: int) -> float:
        if failures:
            return min(self.failure * 2 ** (failures - 1), self.failure_cap)
        if elapsed < self.first_for:
            return self.first
        return self.steady if elapsed < self.slow_after else self.slow


@dataclass(frozen=True)
class PollStatus:
    """What the screen shows while waiting."""

    checks: int
    last_checked_at: datetime
    next_check_at: datetime
    problem: str | None  # the last check's failure, in words


@dataclass(frozen=True)
class Confirmed:
    transaction: BakongTransaction
    checks: int


@dataclass(frozen=True)
class WrongAmount:
    """Paid, but not the amount the code asked: a supervisor decides."""

    transaction: BakongTransaction
    expected: Money
    checks: int


@dataclass(frozen=True)
class Expired:
    checks: int
    problem: str | None  # why the last check failed, if it did


@dataclass(frozen=True)
class Cancelled:
    checks: int


@dataclass(frozen=True)
class Stopped:
    """Checking cannot go on (token or machine refused); `error` says why."""

    error: BakongError
    checks: int


PollOutcome = Confirmed | WrongAmount | Expired | Cancelled | Stopped


class PaymentWatch:
    """One code's wait for payment. `run()` blocks; `check_now()` and `cancel()` may be
    called from another thread."""

    def __init__(
        self,
        code: KhqrCode,
        check: Callable[[str], CheckResult],
        *,
        clock: Callable[[], datetime],
        waiter: Waiter | None = None,
        backoff: Backoff | None = None,
        on_status: Callable[[PollStatus], None] | None = None,
    ) -> None:
        self.code = code
        self._check = check
        self._clock = clock
        self._waiter = waiter or EventWaiter()
        self._backoff = backoff or Backoff()
        self._on_status = on_status
        self._cancelled = threading.Event()

    def check_now(self) -> None:
        self._waiter.wake()

    def cancel(self) -> None:
        self._cancelled.set()
        self._waiter.wake()

    def run(self) -> PollOutcome:
        checks, failures, problem = 0, 0, None
        last_check = self.code.expires_at + timedelta(seconds=self._backoff.grace)
        while not self._cancelled.is_set():
            now = self._clock()
            try:
                result = self._check(self.code.md5)
            except BakongError as exc:
                if not exc.retry:
                    return Stopped(exc, checks + 1)
                failures, problem = failures + 1, str(exc)
            else:
                failures, problem = 0, None
                if isinstance(result, Paid):
                    return self._paid(result.transaction, checks + 1)
            checks += 1
            if now >= last_check:
                return Expired(checks, problem)
            elapsed = (now - self.code.created_at).total_seconds()
            wait = min(self._backoff.delay(elapsed, failures), (last_check - now).total_seconds())
            if self._on_status is not None:
                self._on_status(PollStatus(checks, now, now + timedelta(seconds=wait), problem))
            self._waiter.wait(wait)
        return Cancelled(checks)

    def _paid(self, transaction: BakongTransaction, checks: int) -> Confirmed | WrongAmount:
        if transaction.amount != self.code.amount:
            return WrongAmount(transaction, self.code.amount, checks)
        return Confirmed(transaction, checks)


@dataclass(frozen=True)
class ClosedCode:
    """A code that ended without payment, as the ledger keeps it."""

    md5: str
    amount: Money
    closed_as: Literal["cancelled", "expired"]


@dataclass(frozen=True)
class LatePayment:
    """A payment found after its code was cancelled or expired."""

    code: ClosedCode
    transaction: BakongTransaction

    @property
    def wrong_amount(self) -> bool:
        return self.transaction.amount != self.code.amount


@dataclass(frozen=True)
class LateCheck:
    payments: tuple[LatePayment, ...]
    unchecked: tuple[Unchecked, ...]  # codes to ask about again next time


def find_late_payments(
    check_list: Callable[[Sequence[str]], Mapping[str, Paid | NotFound | Unchecked]],
    closed: Sequence[ClosedCode],
) -> LateCheck:
    """Which closed codes were paid after all. A BakongError propagates: try again later."""
    if not closed:
        return LateCheck((), ())
    results = check_list([c.md5 for c in closed])
    payments, unchecked = [], []
    for code in closed:
        result = results.get(code.md5)
        if isinstance(result, Paid):
            payments.append(LatePayment(code, result.transaction))
        elif isinstance(result, Unchecked):
            unchecked.append(result)
    return LateCheck(tuple(payments), tuple(unchecked))
