"""The delivery worker: sends what the sales wrote, off the screen's thread; crash-safe.

For each open delivery of its counter (modem and api; `manual` ones wait for a person and
go to review at their deadline) it claims the delivery (a compare-and-set, so two
processes never work one), then:

- a delivery never sent (`sends == 0`) is sent; every send is COUNTED AND COMMITTED FIRST,
  so a crash between "sent" and "answer" leaves `sends > 0` behind;
- a delivery with `sends > 0` is looked up by our reference first, and sent again only
  when the look-up proves it never arrived, under the same reference;
- each answer is recorded (`record_outcome`); past the deadline, `needs_review`.

Deliveries go side by side in lanes (`Courier.lane`): one per modem port, one request at a
time on it; the API up to `[delivery.api] max_in_flight` at once. The claim of each
delivery is still what keeps two workers (two processes) from sending the same one.

A claim is renewed between look-ups; one whose owner died (same machine, process gone) or
whose lease ran out may be taken over, so a restart picks up every pending delivery.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from datetime import timedelta
from queue import Empty, Queue

from counter.domain.deliveries import Delivery
from counter.domain.delivery import Answer, Channel, DeliveryState, Outcome, review_due
from counter.domain.errors import CounterError
from counter.domain.receipt import PrintResult
from counter.i18n import _
from counter.services.dealer_balance import ReadResult
from counter.services.deliveries import Recorded, record_outcome
from counter.services.ports import Ledger, Printer
from counter.services.ports_delivery import Courier

SENT_BY_WORKER = (Channel.MODEM, Channel.API)
LEASE = timedelta(minutes=2)


def owner_name() -> str:
    """`host:pid:random`: who holds a claim, and whether that process still lives."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def owner_gone(owner: str | None) -> bool:
    """True when the claim's owner is a process of this machine that no longer runs."""
    if not owner:
        return False
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname()[:40] or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class DeliveryWorker:
    """Works one counter's deliveries; `run_once` for a sweep, `run` in a thread."""

    def __init__(
        self,
        ledger: Ledger,
        courier: Courier,
        *,
        owner: str | None = None,
        lease: timedelta = LEASE,
        on_change: Callable[[Recorded], None] | None = None,
        printer: Printer | None = None,
    ) -> None:
        self.ledger = ledger
        self.courier = courier
        self.printer = printer  # prints the slips of settled deliveries after each pass
        self.printed: list[PrintResult] = []
        self.readings: list[ReadResult] = []  # the scheduled balance readings of the last pass
        self.owner = owner or owner_name()
        self.lease = lease
        self.on_change = on_change or (lambda _recorded: None)

    def waiting(self) -> list[Delivery]:
        """This counter's open deliveries, oldest first."""
        with self.ledger.uow(write=False) as uow:
            return uow.deliveries.listed(
                states=(DeliveryState.PENDING,), counter_code=self.ledger.counter_code
            )

    def run_once(self) -> list[Recorded]:
        """One pass: overdue manual ones to review, then each claimable one sent or followed
        (at once across modem ports and the API, see `lanes`), in the order they were sold."""
        found: dict[int, Recorded] = {}
        sent: list[tuple[int, Delivery]] = []
        for order, delivery in enumerate(self.waiting()):
            if delivery.channel in SENT_BY_WORKER:
                sent.append((order, delivery))
            elif delivery.channel is Channel.MANUAL:
                recorded = self._review_if_due(delivery)
                if recorded is not None:
                    found[order] = recorded
                    self.on_change(recorded)
        found.update(self._work_all(sent))
        done = [found[order] for order in sorted(found)]
        self._read_balances()
        if self.printer is not None:
            from counter.services.slips import print_slips

            self.printed = print_slips(self.ledger, self.printer)
        return done

    def _work_all(self, sent: list[tuple[int, Delivery]]) -> dict[int, Recorded]:
        """Each lane's deliveries one after another, the lanes side by side: a modem port
        takes one at a time, the API up to its `max_in_flight`. One lane of one: no thread."""
        lanes: dict[str, tuple[int, Queue[tuple[int, Delivery]]]] = {}
        for order, delivery in sent:
            key, width = self.courier.lane(delivery.channel, delivery.operator_id)
            lanes.setdefault(key, (max(1, width), Queue()))[1].put((order, delivery))
        found: dict[int, Recorded] = {}

        def drain(queue: Queue[tuple[int, Delivery]]) -> None:
            while True:
                try:
                    order, delivery = queue.get_nowait()
                except Empty:
                    return
                recorded = self.work(delivery)
                if recorded is not None:
                    found[order] = recorded
                    self.on_change(recorded)

        slots = [q for width, q in lanes.values() for _ in range(min(width, q.qsize()))]
        if len(slots) <= 1:
            for queue in slots:
                drain(queue)
            return found
        with ThreadPoolExecutor(len(slots), thread_name_prefix="delivery") as pool:
            for future in [pool.submit(drain, queue) for queue in slots]:
                future.result()  # a ledger that failed fails the pass, as one at a time did
        return found

    def _read_balances(self) -> None:
        """The dealer balances that `[delivery] balance_every_minutes` says are due, read
        after this pass's deliveries: never while this worker sends on the same modem (the
        modem's port lock and its exclusive open keep every other sender off it too)."""
        from counter.services.dealer_balance import read_due

        try:
            self.readings = read_due(self.ledger, self.courier)
        except CounterError:
            self.readings = []  # a busy ledger: the next pass tries again

    def run(self, stop: threading.Event, every_seconds: float = 2.0) -> None:
        """Sweep until `stop` is set; a failure is reported and the next sweep tries again."""
        while not stop.is_set():
            # A busy or unreachable ledger recorded nothing: the next sweep tries again.
            with suppress(CounterError):
                self.run_once()
            stop.wait(every_seconds)

    def _review_if_due(self, delivery: Delivery) -> Recorded | None:
        now = self.ledger.clock()
        deadline = self.ledger.delivery.deadline(Channel.MANUAL)
        if not review_due(delivery.created_at, now, deadline):
            return None
        return record_outcome(
            self.ledger,
            delivery.id,
            Outcome(Answer.UNKNOWN, delivery.reference, raw="manual: not confirmed in time"),
            overdue=True,
            now=now,
        )

    def claim(self, delivery: Delivery) -> Delivery | None:
        now = self.ledger.clock()
        stale = now - self.lease
        held = delivery.claimed_by not in (None, self.owner)
        fresh = delivery.claimed_at is not None and delivery.claimed_at >= stale
        if held and fresh and not owner_gone(delivery.claimed_by):
            return None
        with self.ledger.uow() as uow:
            claimed = uow.deliveries.claim(delivery, self.owner, now, stale)
            uow.commit()
        return claimed

    def work(self, delivery: Delivery) -> Recorded | None:
        """Send or look up one delivery and record what its channel answered."""
        claimed = self.claim(delivery)
        if claimed is None:
            return None
        try:
            followed = self.courier.follow(
                claimed.channel,
                claimed.request(),
                sent_before=claimed.sends > 0,
                before_send=lambda: self._note_send(claimed.id),
                keep_alive=lambda: self._renew(claimed.id),
            )
            recorded = record_outcome(
                self.ledger, claimed.id, followed.outcome, overdue=followed.overdue
            )
            if recorded.delivery.state is not DeliveryState.PENDING:
                self.courier.settle(claimed.channel, claimed.request())
            return recorded
        finally:
            self._release(claimed.id)

    def _note_send(self, delivery_id: int) -> None:
        with self.ledger.uow() as uow:
            if not uow.deliveries.note_send(delivery_id, self.owner, self.ledger.clock()):
                raise LostClaim(delivery_id)
            uow.commit()

    def _renew(self, delivery_id: int) -> None:
        with self.ledger.uow() as uow:
            uow.deliveries.renew(delivery_id, self.owner, self.ledger.clock())
            uow.commit()

    def _release(self, delivery_id: int) -> None:
        try:
            with self.ledger.uow() as uow:
                uow.deliveries.release(delivery_id, self.owner)
                uow.commit()
        except CounterError:
            pass  # the lease runs out on its own


class LostClaim(CounterError):
    """Another worker took this delivery over: this one must not send it."""

    def __init__(self, delivery_id: int) -> None:
        super().__init__(
            _("Another counter's worker took this delivery over; this one sends nothing.")
        )
        self.delivery_id = delivery_id


def check(ledger: Ledger, courier: Courier, receipt_no: str) -> Recorded:
    """Look a delivery up by our reference and record what its channel says: never sends.

    For an open one, the answer may settle it; for a delivered one, a later reversal shows.
    A `manual` or `assumed` delivery has no one to ask: it is returned as it is."""
    from counter.services.deliveries import delivery_of

    delivery = delivery_of(ledger, receipt_no)
    if delivery.channel not in SENT_BY_WORKER or delivery.state not in (
        DeliveryState.PENDING,
        DeliveryState.NEEDS_REVIEW,
        DeliveryState.DELIVERED,
    ):
        return Recorded(delivery)
    outcome = courier.look_up(delivery.channel, delivery.request())
    recorded = record_outcome(ledger, delivery.id, outcome)
    if recorded.delivery.state is not delivery.state and not recorded.delivery.is_open:
        courier.settle(delivery.channel, delivery.request())
    return recorded
