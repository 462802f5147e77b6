"""Following a request to its final answer: send once, then look up with back-off.

The rules (../shared/reference/topup-delivery.md): never send under a new reference; after
a timeout or a 5xx, look up by our reference first; respect the provider's waits; poll at
2, 5, 15, 60 s ... to a deadline; past it, a person decides (`needs_review`). The worker of
the ledger step calls `deliver` for a new delivery and `resume` after a restart.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from counter.delivery.base import DeliveryChannel
from counter.domain.delivery import DeliveryRequest, Outcome


@dataclass(frozen=True)
class Schedule:
    """How often to look up, and until when (counted from the request's creation)."""

    steps_seconds: tuple[float, ...] = (2, 5, 15, 60)
    deadline: timedelta = timedelta(minutes=15)
    max_sends: int = 3  # sends of one request in all, each under its one reference

    def delays(self) -> Iterator[float]:
        """2, 5, 15, 60, 60, 60, ... for ever; the deadline ends the loop."""
        yield from self.steps_seconds
        while True:
            yield self.steps_seconds[-1]


@dataclass(frozen=True)
class Followed:
    """The last answer, and whether the deadline passed without a final one."""

    outcome: Outcome
    sends: int
    overdue: bool


def deliver(
    channel: DeliveryChannel,
    request: DeliveryRequest,
    schedule: Schedule = Schedule(),
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Followed:
    """Send `request` once, then follow it; see `follow`."""
    return follow(
        channel, request, channel.send(request), schedule, sends=1, sleep=sleep, clock=clock
    )


def resume(
    channel: DeliveryChannel,
    request: DeliveryRequest,
    schedule: Schedule = Schedule(),
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Followed:
    """After a restart: look the request up first, and send only if it never arrived."""
    first = channel.look_up(request)
    sends = 0
    if first.may_send:
        first, sends = channel.send(request), 1
    return follow(channel, request, first, schedule, sends=sends, sleep=sleep, clock=clock)


def follow(
    channel: DeliveryChannel,
    request: DeliveryRequest,
    first: Outcome,
    schedule: Schedule,
    *,
    sends: int,
    sleep: Callable[[float], None],
    clock: Callable[[], datetime],
) -> Followed:
    """Look up until a final answer or the deadline. A look-up that proves the request never
    arrived (answer `not_sent`) lets it go again under the SAME reference, `max_sends` in all."""
    outcome = first
    for delay in schedule.delays():
        if outcome.is_final:
            return Followed(outcome, sends, overdue=False)
        waited = clock() - request.created_at
        if waited >= schedule.deadline:
            return Followed(outcome, sends, overdue=True)
        pause = max(delay, outcome.retry_after.total_seconds() if outcome.retry_after else 0.0)
        sleep(min(pause, (schedule.deadline - waited).total_seconds()))
        if outcome.may_send and sends < schedule.max_sends:
            outcome, sends = channel.send(request), sends + 1
        else:
            outcome = channel.look_up(request)
    raise AssertionError("unreachable: delays() never ends")  # pragma: no cover
