"""Taking a KHQR payment for a sale, from the code shown to the sale recorded.

The request is recorded when its code is shown (`waiting`): it is the outbox record of
the Bakong check, and it carries what the sale needs, so a worker can finish it after a
crash (`resume_khqr`). When the payment is seen (Bakong, or the clerk with the bank's
reference if the shop allows it), the `paid` change and the sale with its KHQR payment
line are written in ONE transaction (the sale's own, through `sell`), and the delivery
starts as for any sale; no cash figure is touched. A sale is keyed by the code's MD5, so
the screen and the worker cannot both record it. A code that ends unpaid is `expired` or
`cancelled`; a payment found after that, or for another amount, or whose sale was
refused, is `needs_review`, for a supervisor (`resolve_khqr_review`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from counter.domain.cash import Payment, PaymentLine, Tender
from counter.domain.errors import (
    AuthError,
    CounterError,
    DuplicateSale,
    NotAllowed,
    PaymentError,
    SaleRefused,
)
from counter.domain.khqr import (
    CLOSED_UNPAID,
    GRACE,
    BankPayment,
    IssuedCode,
    KhqrChange,
    KhqrRequest,
    KhqrState,
    NewKhqrRequest,
    WatchEnd,
    WatchResult,
    bill_number,
    charge_for,
    clean_bank_ref,
    line_reference,
)
from counter.domain.money import Currency, Money, format_money_text
from counter.domain.payment_errors import BakongError, KhqrRefused
from counter.domain.records import Approval, Role, Sale, User
from counter.domain.topup import check_topup
from counter.i18n import _
from counter.services.access import approve
from counter.services.ports import Ledger, UnitOfWork
from counter.services.ports_khqr import BankLink, CodeMaker
from counter.services.sales import sell

SYSTEM = "bakong"  # the actor of a change Bakong's answer made


@dataclass(frozen=True)
class KhqrShown:
    """A request recorded and the code to show for it."""

    request: KhqrRequest
    code: IssuedCode


@dataclass(frozen=True)
class KhqrFinish:
    """How a request stands after a step: its state, the sale if one was recorded, and
    what to tell the clerk."""

    request: KhqrRequest
    sale: Sale | None = None
    message: str | None = None


class _NotWaiting(Exception):
    """Raised inside the sale's transaction when the request was finished meanwhile."""


def start_khqr(
    ledger: Ledger,
    clerk: User,
    number: str,
    amount: str | Money,
    *,
    currency: Currency,
    make_code: CodeMaker,
    rows: int,
    cols: int,
    now: datetime | None = None,
) -> KhqrShown:
    """Make the code for this sale and record the request (`waiting`) before it is shown."""
    plan = ledger.khqr
    if not plan.enabled:
        raise KhqrRefused(
            _("KHQR is not set up at this shop: take cash, or set the [khqr] account first.")
        )
    when = ledger.now(now)
    with ledger.uow(write=False) as uow:
        rate = uow.sales.rate() or ledger.policy.default_riel_per_usd
        seq = uow.khqr.next_seq(ledger.counter_code)
    verdict = check_topup(number, amount, ledger.rules, riel_per_usd=rate)
    if not verdict.ok:
        raise SaleRefused(verdict.errors)
    assert verdict.msisdn is not None and verdict.amount_cents is not None
    charge = charge_for(verdict.amount_cents, currency, rate)
    bill = bill_number(ledger.counter_code, seq)
    code = make_code(
        charge,
        bill_number=bill,
        created_at=when,
        expires_at=when + plan.expiry,
        rows=rows,
        cols=cols,
    )
    new = NewKhqrRequest(
        counter_code=ledger.counter_code,
        seq=seq,
        bill_number=bill,
        md5=code.md5,
        payload=code.payload,
        charge=charge,
        msisdn=verdict.msisdn,
        amount_cents=verdict.amount_cents,
        riel_per_usd=rate,
        created_at=code.created_at,
        expires_at=code.expires_at,
        clerk_id=clerk.id,
        clerk_name=clerk.name,
    )
    with ledger.uow() as uow:
        request = uow.khqr.add(new, KhqrChange(KhqrState.WAITING, when, clerk.name))
        uow.commit()
    return KhqrShown(request, code)


def finish_khqr(
    ledger: Ledger, request_id: int, result: WatchResult, *, now: datetime | None = None
) -> KhqrFinish:
    """Record how a wait for payment ended (a stopped wait records nothing: still waiting)."""
    when = ledger.now(now)
    request = _request(ledger, request_id)
    if result.end is WatchEnd.PAID and result.payment is not None:
        return _sell_paid(ledger, request, result.payment, SYSTEM, None, when)
    if result.end is WatchEnd.WRONG_AMOUNT and result.payment is not None:
        reason = _("Paid {paid} instead of {asked}.").format(
            paid=format_money_text(result.payment.amount), asked=format_money_text(request.charge)
        )
        return _review(ledger, request, result.payment, reason, when)
    if result.end is WatchEnd.EXPIRED:
        return _close(ledger, request, KhqrState.EXPIRED, SYSTEM, result.problem, when)
    if result.end is WatchEnd.CANCELLED:
        return _close(ledger, request, KhqrState.CANCELLED, request.clerk_name, None, when)
    return KhqrFinish(request, None, result.problem)


def cancel_khqr(
    ledger: Ledger, request_id: int, by: User, *, now: datetime | None = None
) -> KhqrFinish:
    """The clerk takes cash instead, or the customer left: the code is `cancelled`."""
    request = _request(ledger, request_id)
    return _close(ledger, request, KhqrState.CANCELLED, by.name, None, ledger.now(now))


def confirm_khqr_by_hand(
    ledger: Ledger, request_id: int, bank_ref: str, by: User, *, now: datetime | None = None
) -> KhqrFinish:
    """The payment seen in the shop's bank app, confirmed with the bank's reference: for a
    supervisor, or a clerk when the shop allows it (`allow_manual_confirm`)."""
    if not by.role.at_least(Role.SUPERVISOR) and not ledger.khqr.allow_manual_confirm:
        raise NotAllowed(
            _(
                "This shop does not let a clerk confirm a KHQR payment by hand: wait for "
                "Bakong's answer, or ask a supervisor."
            )
        )
    ref = clean_bank_ref(bank_ref)
    if ref is None:
        raise KhqrRefused(
            _(
                "Type the bank's transaction reference from the shop's bank app (at least "
                "its last 6 letters or digits)."
            )
        )
    request = _request(ledger, request_id)
    payment = BankPayment(request.md5, ref, request.charge)
    reason = _("Confirmed by hand from the shop's bank app.")
    return _sell_paid(ledger, request, payment, by.name, reason, ledger.now(now))


def _request(ledger: Ledger, request_id: int) -> KhqrRequest:
    with ledger.uow(write=False) as uow:
        request = uow.khqr.get(request_id)
    if request is None:
        raise KhqrRefused(_("That KHQR payment is not in the ledger."))
    return request


def _close(
    ledger: Ledger,
    request: KhqrRequest,
    state: KhqrState,
    actor: str,
    reason: str | None,
    when: datetime,
) -> KhqrFinish:
    with ledger.uow() as uow:
        current = uow.khqr.get(request.id)
        assert current is not None
        if current.state is not KhqrState.WAITING:
            return KhqrFinish(current, _sale(uow, current))
        done = uow.khqr.append(current, KhqrChange(state, when, actor, reason=reason))
        uow.commit()
    return KhqrFinish(done)


def _review(
    ledger: Ledger, request: KhqrRequest, payment: BankPayment, reason: str, when: datetime
) -> KhqrFinish:
    """Paid, but it cannot simply be sold: a supervisor decides."""
    with ledger.uow() as uow:
        current = uow.khqr.get(request.id)
        assert current is not None
        if current.state not in (KhqrState.WAITING, *CLOSED_UNPAID):
            return KhqrFinish(current, _sale(uow, current))
        change = KhqrChange(
            KhqrState.NEEDS_REVIEW, when, SYSTEM, bank_ref=payment.reference, reason=reason
        )
        done = uow.khqr.append(current, change)
        uow.commit()
    message = _(
        "The KHQR payment {bill} needs a supervisor: {reason} The top-up was not sold."
    ).format(bill=request.bill_number, reason=reason)
    return KhqrFinish(done, None, message)


def _sale(uow: UnitOfWork, request: KhqrRequest) -> Sale | None:
    return None if request.sale_id is None else uow.sales.by_id(request.sale_id)


def _sell_paid(
    ledger: Ledger,
    request: KhqrRequest,
    payment: BankPayment,
    actor: str,
    reason: str | None,
    when: datetime,
    *,
    state: KhqrState = KhqrState.PAID,
) -> KhqrFinish:
    """The sale with its KHQR line and the `paid` change, in the sale's one transaction."""
    before = (KhqrState.NEEDS_REVIEW,) if state is KhqrState.REVIEW_SOLD else (KhqrState.WAITING,)

    def also(uow: UnitOfWork, sale: Sale) -> None:
        current = uow.khqr.get(request.id)
        if current is None or current.state not in before:
            raise _NotWaiting
        change = KhqrChange(state, when, actor, payment.reference, sale.id, reason)
        uow.khqr.append(current, change)

    line = PaymentLine(
        Tender.KHQR,
        request.charge.currency,
        request.charge.minor,
        line_reference(request.md5, payment.reference),
    )
    try:
        sale = _sell(ledger, request, Payment((line,)), when, also)
    except _NotWaiting:
        done = _request(ledger, request.id)
        with ledger.uow(write=False) as uow:
            return KhqrFinish(done, _sale(uow, done))
    except (SaleRefused, PaymentError, AuthError) as exc:
        if state is KhqrState.REVIEW_SOLD:
            raise
        return _review(ledger, request, payment, str(exc), when)
    return KhqrFinish(_request(ledger, request.id), sale)


def _sell(
    ledger: Ledger, request: KhqrRequest, paid: Payment, when: datetime, also: object
) -> Sale:
    with ledger.uow(write=False) as uow:
        clerk = uow.users.get(request.clerk_id)
    if clerk is None:
        raise AuthError(_("{name} is no longer a user.").format(name=request.clerk_name))
    args = {
        "paid": paid,
        "idempotency_key": f"khqr-{request.md5}",
        "now": when,
        "also": also,
    }
    amount = Money.usd(request.amount_cents)
    try:
        return sell(ledger, clerk, request.msisdn, amount, **args)  # type: ignore[arg-type]
    except DuplicateSale:  # the customer has paid: the top-up is owed, the override audited
        return sell(ledger, clerk, request.msisdn, amount, allow_duplicate=True, **args)  # type: ignore[arg-type]


# --- the worker, late payments, the supervisor ------------------------------------------------


@dataclass(frozen=True)
class KhqrPass:
    """One pass of the KHQR worker: what it finished, and why it stopped early if it did."""

    finished: tuple[KhqrFinish, ...]
    problem: str | None = None


def resume_khqr(ledger: Ledger, bank: BankLink, *, now: datetime | None = None) -> KhqrPass:
    """The outbox worker's pass: every request of this counter still `waiting` (after a
    crash, or while no screen watches it) is asked of Bakong once; paid ones are sold, and
    those past their expiry (and its grace) expire."""
    when = ledger.now(now)
    with ledger.uow(write=False) as uow:
        waiting = uow.khqr.listed(states=[KhqrState.WAITING], counter_code=ledger.counter_code)
    finished: list[KhqrFinish] = []
    for request in waiting:
        try:
            payment = bank.check(request.md5)
        except BakongError as exc:
            return KhqrPass(tuple(finished), str(exc))
        if payment is not None:
            end = WatchEnd.PAID if payment.amount == request.charge else WatchEnd.WRONG_AMOUNT
            finished.append(finish_khqr(ledger, request.id, WatchResult(end, payment), now=when))
        elif when > request.expires_at + GRACE:
            finished.append(
                finish_khqr(ledger, request.id, WatchResult(WatchEnd.EXPIRED), now=when)
            )
    return KhqrPass(tuple(finished))


# A payment made after its code was cancelled or expired arrives within minutes (a customer
# who paid a stale code on the phone); the late check asks about the codes closed in the last
# days, newest first, so a busy counter's old codes never crowd out today's.
LATE_WINDOW = timedelta(days=3)


def find_late_khqr(ledger: Ledger, bank: BankLink, *, now: datetime | None = None) -> KhqrPass:
    """Codes that ended unpaid, asked again in one bulk request: a payment found now is put
    before a supervisor (`needs_review`)."""
    when = ledger.now(now)
    with ledger.uow(write=False) as uow:
        closed = uow.khqr.listed(
            states=sorted(CLOSED_UNPAID),
            counter_code=ledger.counter_code,
            since=when - LATE_WINDOW,
            newest_first=True,
        )
    try:
        found = bank.check_many([r.md5 for r in closed])
    except BakongError as exc:
        return KhqrPass((), str(exc))
    finished = []
    for request in closed:
        payment = found.get(request.md5)
        if payment is not None:
            reason = _("Paid after the code was {state}.").format(state=_state_words(request.state))
            finished.append(_review(ledger, request, payment, reason, when))
    return KhqrPass(tuple(finished))


def needing_review(ledger: Ledger) -> list[KhqrRequest]:
    with ledger.uow(write=False) as uow:
        return uow.khqr.listed(states=[KhqrState.NEEDS_REVIEW])


def resolve_khqr_review(
    ledger: Ledger,
    bill: str,
    *,
    sell_it: bool,
    approval: Approval,
    reason: str,
    now: datetime | None = None,
) -> KhqrFinish:
    """A supervisor's decision on a payment that needs review: sell the top-up after all,
    or record that the money went back to the customer outside the app."""
    when = ledger.now(now)
    reason = " ".join(reason.split())[:200]
    if not reason:
        raise KhqrRefused(_("Say why (for example: customer still here, refunded by ABA)."))
    with ledger.uow() as uow:
        supervisor = approve(ledger, uow, approval, when, _not_supervisor)
        request = uow.khqr.by_bill(bill.strip().upper())
        if request is None or request.state is not KhqrState.NEEDS_REVIEW:
            raise KhqrRefused(
                _("{bill} is not a KHQR payment waiting for a supervisor.").format(bill=bill)
            )
        if not sell_it:
            change = KhqrChange(
                KhqrState.REVIEW_REFUNDED, when, supervisor.name, request.bank_ref, reason=reason
            )
            done = uow.khqr.append(request, change)
            uow.commit()
            return KhqrFinish(done)
        uow.commit()  # the approval's own records (a failed attempt, a reset count)
    payment = BankPayment(request.md5, request.bank_ref or "", request.charge)
    return _sell_paid(
        ledger, request, payment, supervisor.name, reason, when, state=KhqrState.REVIEW_SOLD
    )


def _not_supervisor(user: User) -> CounterError:
    return NotAllowed(
        _("{name} is a {role}: only a supervisor decides on a late KHQR payment.").format(
            name=user.name, role=user.role.word
        )
    )


def _state_words(state: KhqrState) -> str:
    return _("cancelled") if state is KhqrState.CANCELLED else _("expired")


# --- day end ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KhqrReconciliation:
    """Every KHQR payment of a day checked again against Bakong in one bulk request."""

    checked: int
    confirmed: int
    missing: tuple[str, ...]  # receipt numbers Bakong does not confirm
    unanswered: int
    problem: str | None = None  # no network, token refused, ...


def reconcile_khqr(ledger: Ledger, bank: BankLink, day: date) -> KhqrReconciliation:
    with ledger.uow(write=False) as uow:
        sales = [s for s in uow.sales.of_day(day, [ledger.counter_code]) if not s.voided]
    lines = [
        (sale, line)
        for sale in sales
        for line in sale.payment.lines
        if line.tender is Tender.KHQR and line.reference
    ]
    md5s = [str(line.reference)[:32] for _sale, line in lines]
    try:
        found = bank.check_many(md5s)
    except BakongError as exc:
        return KhqrReconciliation(len(lines), 0, (), len(lines), str(exc))
    confirmed, missing, unanswered = 0, [], 0
    for (sale, line), md5 in zip(lines, md5s, strict=True):
        if md5 not in found:
            unanswered += 1
        elif (paid := found[md5]) is not None and paid.amount == line.money:
            confirmed += 1
        else:
            missing.append(sale.receipt_no)
    return KhqrReconciliation(len(lines), confirmed, tuple(missing), unanswered)


def khqr_sales(sales: Sequence[Sale]) -> list[Sale]:
    return [s for s in sales if any(line.tender is Tender.KHQR for line in s.payment.lines)]
