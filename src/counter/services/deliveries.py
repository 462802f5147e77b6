"""A sale's delivery: written in the sale, moved by its channel's answers or by a person.

`start_delivery` runs inside `sell`'s transaction: the delivery is written `pending` with our
reference (the outbox), and an `assumed` one is delivered at once (its float moves with the
sale, as Counter always did). `record_outcome` records what a channel answered, through
`steps_after`; `resolve` is a person's confirm or fail. Every change is appended; the float
moves on `delivered` (back on `reversed`); `failed` and `reversed` append a refund of the
sale's cash. One unit of work per use case.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from counter.domain.dayend import CashCount
from counter.domain.deliveries import (
    FINAL_STATES,
    Delivery,
    DeliveryChange,
    NewRefund,
    Refund,
    delivery_reference,
    moves_float_at_sale,
    refund_cash,
)
from counter.domain.delivery import (
    REFUNDING,
    Channel,
    DeliveryState,
    Outcome,
    check_transition,
    state_label,
    steps_after,
)
from counter.domain.errors import (
    DeliveryRefused,
    KeyTaken,
    OpenDeliveries,
    SaleRefused,
    VoidRefused,
)
from counter.domain.money import Money, format_money_text
from counter.domain.records import Approval, Role, Sale, User, utc
from counter.domain.shifts import Shift
from counter.domain.text import check_text
from counter.i18n import _, ngettext
from counter.services.access import authenticate_in, require_role
from counter.services.ports import Ledger, UnitOfWork

MAX_REASON = 200
OPEN_ITEMS_ACCEPTED = "open_deliveries_accepted"  # the audit action of a close's open items


def worker_actor(channel: Channel) -> str:
    return f"worker:{channel.value}"


# --- in the sale's transaction ------------------------------------------------------------


def start_delivery(ledger: Ledger, uow: UnitOfWork, sale: Sale) -> Delivery:
    """The sale's delivery, `pending` with our reference; `assumed`: delivered at once."""
    plan = ledger.delivery
    channel = plan.channel_for(sale.operator_id)
    if sale.operator_id in plan.whole_dollars and sale.amount_cents % 100:
        raise SaleRefused(
            [
                _(
                    "{operator} top-ups go by the dealer code in whole dollars: {amount} has cents."
                ).format(
                    operator=sale.operator_id,
                    amount=format_money_text(Money.usd(sale.amount_cents)),
                )
            ]
        )
    reference = delivery_reference(uow.deliveries.prefix(), sale.receipt_no)
    first = DeliveryChange(0, DeliveryState.PENDING, None, sale.created_at, sale.clerk_name)
    if not moves_float_at_sale(channel):
        return uow.deliveries.add(sale, channel, reference, first)
    uow.floats.apply(sale.operator_id, -sale.amount_cents)
    delivered = DeliveryChange(
        0,
        DeliveryState.DELIVERED,
        DeliveryState.PENDING,
        sale.created_at,
        worker_actor(channel),
        reason="assumed",
        evidence="assumed: delivered when sold",
    )
    delivery = uow.deliveries.add(sale, channel, reference, first, delivered)
    return delivery


def refuse_void_while_delivering(uow: UnitOfWork, sale: Sale) -> None:
    """A void gives the float back, and a refund gives the cash back: a sale whose delivery
    is still open, failed or reversed cannot also be voided."""
    delivery = uow.deliveries.by_sale(sale.id)
    if delivery is None or delivery.state is DeliveryState.DELIVERED:
        return
    if delivery.is_open:
        message = _(
            "{receipt} is still being delivered ({state}): record the delivery as failed "
            "instead of voiding it."
        )
    else:
        message = _("{receipt} was {state} and its cash refunded: it cannot be voided too.")
    raise VoidRefused(
        message.format(receipt=sale.receipt_no, state=state_label(delivery.state)), sale.receipt_no
    )


# --- changes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    """A delivery after a change, and the refund that change paid out (if any)."""

    delivery: Delivery
    refund: Refund | None = None


def _change(
    ledger: Ledger,
    uow: UnitOfWork,
    delivery: Delivery,
    state: DeliveryState,
    *,
    actor: str,
    now: datetime,
    provider_ref: str | None = None,
    reason: str | None = None,
    evidence: str = "",
) -> Recorded:
    """Append one change and what follows from it (the float, a refund)."""
    check_transition(delivery.state, state)
    change = DeliveryChange(
        delivery.id, state, delivery.state, now, actor, provider_ref, reason, evidence
    )
    moved_before = delivery.state is DeliveryState.DELIVERED
    updated = uow.deliveries.append(delivery, change)
    if state in FINAL_STATES and delivery.channel is not Channel.ASSUMED:
        from counter.services.slips import queue_slip  # the outbox of paper, as for a sale

        queue_slip(uow, delivery.sale_id, state, now)
    if state is DeliveryState.DELIVERED and not moves_float_at_sale(delivery.channel):
        uow.floats.apply(delivery.operator_id, -delivery.amount_cents)
    if state is DeliveryState.REVERSED and moved_before:
        uow.floats.apply(delivery.operator_id, delivery.amount_cents)
    refund = None
    if state in REFUNDING:
        sale = uow.sales.by_id(delivery.sale_id)
        assert sale is not None
        usd, khr = refund_cash(sale)
        refund = uow.refunds.add(
            NewRefund(
                sale_id=sale.id,
                delivery_id=delivery.id,
                business_date=utc(now).astimezone(ledger.zone).date(),
                created_at=now,
                usd_cents=usd,
                khr=khr,
                amount_cents=sale.amount_cents,
                state=state,
                reason=reason or state.value,
                by=actor,
            )
        )
    return Recorded(updated, refund)


def record_outcome(
    ledger: Ledger,
    delivery_id: int,
    outcome: Outcome,
    *,
    overdue: bool = False,
    actor: str | None = None,
    now: datetime | None = None,
) -> Recorded:
    """Record a channel's answer: the steps `steps_after` gives, or `needs_review` when the
    deadline passed without a final one. An answer naming a provider reference another
    delivery already has is not believed: the delivery goes to a person."""
    when = utc(now) if now is not None else ledger.clock()
    with ledger.uow() as uow:
        delivery = _locked(uow, delivery_id)
        who = actor or worker_actor(delivery.channel)
        try:
            recorded = _apply_outcome(ledger, uow, delivery, outcome, overdue, who, when)
            if outcome.balance is not None:  # the answer told the dealer balance: keep it
                from counter.services.dealer_balance import note_reading

                note_reading(
                    uow, delivery.operator_id, delivery.channel, outcome.balance, when, who
                )
            uow.commit()
            return recorded
        except KeyTaken as taken:
            if taken.key != "delivery_ref":
                raise
            uow.rollback()
        delivery = _locked(uow, delivery_id)
        recorded = Recorded(delivery)
        if delivery.state is DeliveryState.PENDING:
            reason = _("The reference {ref} already confirmed another top-up.").format(
                ref=outcome.provider_ref
            )
            recorded = _change(
                ledger,
                uow,
                delivery,
                DeliveryState.NEEDS_REVIEW,
                actor=who,
                now=when,
                reason=reason,
                evidence=outcome.raw,
            )
        uow.commit()
        return recorded


def _apply_outcome(
    ledger: Ledger,
    uow: UnitOfWork,
    delivery: Delivery,
    outcome: Outcome,
    overdue: bool,
    actor: str,
    now: datetime,
) -> Recorded:
    steps = steps_after(delivery.state, outcome)
    if not steps and overdue and delivery.state is DeliveryState.PENDING:
        steps = (DeliveryState.NEEDS_REVIEW,)
    recorded = Recorded(delivery)
    for state in steps:
        step = _change(
            ledger,
            uow,
            recorded.delivery,
            state,
            actor=actor,
            now=now,
            provider_ref=outcome.provider_ref if state is DeliveryState.DELIVERED else None,
            reason=outcome.reason.value if outcome.reason else None,
            evidence=outcome.raw,
        )
        recorded = Recorded(step.delivery, step.refund or recorded.refund)
    return recorded


def _locked(uow: UnitOfWork, delivery_id: int) -> Delivery:
    delivery = uow.deliveries.get(delivery_id, lock=True)
    if delivery is None:
        raise DeliveryRefused(_("No delivery number {id} in the ledger.").format(id=delivery_id))
    return delivery


# --- a person decides ------------------------------------------------------------------------


def resolve(
    ledger: Ledger,
    receipt_no: str,
    *,
    delivered: bool,
    by: User | Approval,
    ref: str | None = None,
    reason: str | None = None,
    now: datetime | None = None,
) -> Recorded:
    """A person confirms (`delivered`, optionally with the operator's reference) or fails
    (with a reason; the refund is recorded) a delivery. A clerk may settle a pending
    `manual` delivery; one that needs review takes a supervisor."""
    when = utc(now) if now is not None else ledger.clock()
    ref = _checked(ref, _("The reference")) if ref else None
    if not delivered:
        reason = _checked(reason or "", _("The reason"))
        if not reason:
            raise DeliveryRefused(_("A failed delivery needs a reason (for example: no SMS)."))
    with ledger.uow() as uow:
        user = (
            authenticate_in(ledger, uow, by.name, by.pin, when)
            if isinstance(by, Approval)
            else require_role(uow, by, Role.CLERK, _("record a delivery"))
        )
        delivery = _of_receipt(uow, receipt_no)
        if needs_supervisor(delivery):
            require_role(uow, user, Role.SUPERVISOR, _("resolve a delivery that needs review"))
        if not delivery.is_open:
            raise DeliveryRefused(
                _("The delivery of {receipt} is already {state}.").format(
                    receipt=delivery.receipt_no, state=state_label(delivery.state)
                ),
                delivery.receipt_no,
            )
        target = DeliveryState.DELIVERED if delivered else DeliveryState.FAILED
        recorded = _change(
            ledger,
            uow,
            delivery,
            target,
            actor=user.name,
            now=when,
            provider_ref=ref,
            reason=reason if not delivered else "confirmed",
            evidence=_("Recorded by {name}.").format(name=user.name),
        )
        uow.commit()
        return recorded


def needs_supervisor(delivery: Delivery) -> bool:
    """A clerk settles a pending `manual` delivery; anything else a person decides (one that
    needs review, another channel's) takes a supervisor."""
    return delivery.state is DeliveryState.NEEDS_REVIEW or delivery.channel is not Channel.MANUAL


def _checked(text: str, what: str) -> str:
    """Typed text as one tidy line; control and bidi-override characters refused in words
    (`check_text`, as every other field: the screen's field is one line)."""
    check_text(text, what)
    tidy = " ".join(text.split())
    if len(tidy) > MAX_REASON:
        raise DeliveryRefused(
            _("{what} is longer than {limit} characters: shorten it.").format(
                what=what, limit=MAX_REASON
            )
        )
    return tidy


def _of_receipt(uow: UnitOfWork, receipt_no: str) -> Delivery:
    from counter.services.sales import normalise_receipt

    label = normalise_receipt(receipt_no)
    sale = uow.sales.by_receipt(label) if label else None
    delivery = uow.deliveries.by_sale(sale.id) if sale else None
    if sale is None or delivery is None:
        raise DeliveryRefused(
            _("No delivery for receipt {receipt}: check the number on the receipt.").format(
                receipt=label or receipt_no.strip()
            ),
            label,
        )
    return uow.deliveries.get(delivery.id, lock=True) or delivery


# --- the drawer and the day's close ---------------------------------------------------------


def less_refunds(cash: CashCount, refunds: list[Refund]) -> CashCount:
    """The drawer's expected cash after the refunds paid out of it."""
    return replace(
        cash,
        expected_usd_cents=cash.expected_usd_cents - sum(r.usd_cents for r in refunds),
        expected_khr=cash.expected_khr - sum(r.khr for r in refunds),
    )


def refuse_open_deliveries(
    uow: UnitOfWork, day: date, counter: str, *, accepted: bool
) -> list[Delivery]:
    """A day does not close with its deliveries still open, unless the supervisor closing
    it accepts them as open items (they stay open, and are listed on the Z report); the
    ones accepted."""
    waiting = [d for d in uow.deliveries.of_day(day, [counter]) if d.is_open]
    if waiting and not accepted:
        raise OpenDeliveries(
            ngettext(
                "{count} delivery of {day} at counter {counter} is still open ({receipts}): "
                "settle it, or accept it as an open item to close the day.",
                "{count} deliveries of {day} at counter {counter} are still open ({receipts}): "
                "settle them, or accept them as open items to close the day.",
                len(waiting),
            ).format(
                count=len(waiting),
                day=day.isoformat(),
                counter=counter,
                receipts=", ".join(d.receipt_no for d in waiting[:5]),
            )
        )
    return waiting


def refuse_open_in_shift(
    uow: UnitOfWork, shift: Shift, *, accepted: bool, supervisor: User | None
) -> list[Delivery]:
    """A shift does not close with deliveries of its sales still open, unless a supervisor
    approving the close accepts them as open items; the ones accepted."""
    sale_ids = {s.id for s in uow.shifts.sales(shift)}
    found = uow.deliveries.of_day(shift.business_date, [shift.counter_code])
    waiting = [d for d in found if d.sale_id in sale_ids and d.is_open]
    if waiting and not accepted:
        raise OpenDeliveries(
            ngettext(
                "{count} delivery of shift {shift} is still open ({receipts}): settle it, or "
                "have a supervisor accept it as an open item to close the shift.",
                "{count} deliveries of shift {shift} are still open ({receipts}): settle them, "
                "or have a supervisor accept them as open items to close the shift.",
                len(waiting),
            ).format(
                count=len(waiting),
                shift=shift.number,
                receipts=", ".join(d.receipt_no for d in waiting[:5]),
            )
        )
    if waiting and supervisor is None:
        raise OpenDeliveries(
            _(
                "Open deliveries are accepted by a supervisor: give a supervisor's name and PIN "
                "to close the shift with them."
            )
        )
    return waiting


def note_accepted(
    uow: UnitOfWork, waiting: list[Delivery], day: date, counter: str, by: str, now: datetime
) -> None:
    """The open items a close accepted, as an appended audit record (no table): every later
    X and Z report lists them again, with that day, until they are final."""
    if waiting:
        uow.audit.append(
            now,
            by,
            OPEN_ITEMS_ACCEPTED,
            counter=counter,
            day=day.isoformat(),
            deliveries=[d.id for d in waiting],
            receipts=[d.receipt_no for d in waiting],
        )


# --- questions -------------------------------------------------------------------------------


def deliveries(
    ledger: Ledger, *, states: tuple[DeliveryState, ...] | None = None, counter: str | None = None
) -> list[Delivery]:
    """Deliveries oldest first (every counter unless one is named)."""
    with ledger.uow(write=False) as uow:
        return uow.deliveries.listed(states=states, counter_code=counter)


def delivery_of(ledger: Ledger, receipt_no: str) -> Delivery:
    with ledger.uow(write=False) as uow:
        return _of_receipt(uow, receipt_no)


def delivery_history(ledger: Ledger, delivery_id: int) -> list[DeliveryChange]:
    with ledger.uow(write=False) as uow:
        return uow.deliveries.changes(delivery_id)


def open_counts(ledger: Ledger, counter: str | None = None) -> tuple[int, int]:
    """(pending, needing review) deliveries: the screen's line."""
    found = deliveries(
        ledger, states=(DeliveryState.PENDING, DeliveryState.NEEDS_REVIEW), counter=counter
    )
    pending = sum(1 for d in found if d.state is DeliveryState.PENDING)
    return pending, len(found) - pending
