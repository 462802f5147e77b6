"""Selling and voiding top-ups.

A sale is checked by the domain first, then recorded in ONE transaction: what it must know
from the ledger is read in one statement under the counter's lock (`SaleRecords.context`),
the shop's rules are asked (`domain.policy`), then the sale (with its chain hash and its
receipt number), its print-queue row and the operator's running balance are written. The
sale row is its own audit record (hash-chained per counter); only a duplicate sold on
purpose adds an audit entry. A sale is never changed afterwards; a void is its own record.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from counter.domain.amounts import read_amount
from counter.domain.cash import Payment, Settlement, settle
from counter.domain.errors import (
    AmountError,
    AuthError,
    CashDoubted,
    DailyCapReached,
    DayClosed,
    DuplicateSale,
    Fault,
    FloatTooLow,
    KeyTaken,
    NoOpenShift,
    RateChanged,
    SaleRefused,
    StorageError,
    VoidRefused,
)
from counter.domain.money import Currency, Money, plain_decimal
from counter.domain.operators import Operator
from counter.domain.plausible import doubt_cash
from counter.domain.records import (
    Approval,
    NewSale,
    Numbering,
    Sale,
    SaleContext,
    User,
    Void,
    receipt_label,
    utc,
)
from counter.domain.text import check_text
from counter.domain.topup import Verdict, check_topup
from counter.i18n import _
from counter.services.access import approve
from counter.services.deliveries import refuse_void_while_delivering, start_delivery
from counter.services.ports import Ledger, UnitOfWork

CONFLICT_ATTEMPTS = 3  # a sale stopped by the server for another counter's, tried again
_RECEIPT = re.compile(r"^\s*([A-Za-z][A-Za-z0-9]{0,7})-0*(\d{1,12})\s*$")
MAX_REASON = 200


def business_date(ledger: Ledger, moment: datetime) -> date:
    """The shop's calendar day of a moment (Asia/Phnom_Penh unless set otherwise)."""
    return utc(moment).astimezone(ledger.zone).date()


def normalise_receipt(text: str) -> str | None:
    """`a-42`, `A-000042` -> `A-000042`; None when it does not look like a receipt number."""
    match = _RECEIPT.match(text)
    if not match:
        return None
    return receipt_label(match.group(1).upper(), int(match.group(2)))


def check_payment(
    ledger: Ledger, amount_cents: int, paid: Money | Payment, riel_per_usd: int
) -> Settlement:
    """The change for `paid` (dollars, riel or both), rounded the shop's way, or
    PaymentError now if the cash is short."""
    payment = paid if isinstance(paid, Payment) else Payment.cash(paid)
    return settle(amount_cents, payment, riel_per_usd, ledger.policy.change)


@dataclass(frozen=True)
class _Order:
    """One sale as asked for, checked before the ledger is opened."""

    clerk: User
    number: str
    money: Money | str
    paid: Money | Payment | None
    operator_ref: str | None
    key: str
    callers_key: bool
    allow_duplicate: bool
    now: datetime
    day: date
    confirm_paid: bool = False
    rate_seen: int | None = None
    also: Callable[[UnitOfWork, Sale], None] | None = None


def sell(
    ledger: Ledger,
    clerk: User,
    number: str,
    amount: str | Money | int,
    *,
    paid: Money | Payment | None = None,
    operator_ref: str | None = None,
    idempotency_key: str | None = None,
    allow_duplicate: bool = False,
    confirm_paid: bool = False,
    rate_seen: int | None = None,
    now: datetime | None = None,
    also: Callable[[UnitOfWork, Sale], None] | None = None,
) -> Sale:
    """Record one top-up and return it; a repeated idempotency key returns the first sale.

    Refusals (SaleRefused, PaymentError, CashDoubted, DuplicateSale, AuthError, StorageError)
    record nothing. `paid=None`: the exact amount (the riel asked for `5000r`); cash far above
    the amount due needs `confirm_paid`; `rate_seen`: the rate the confirmation showed.
    `also(uow, sale)` writes what goes in the sale's transaction (a KHQR `paid` change).
    """
    key = _key(idempotency_key)
    when = ledger.now(now)
    order = _Order(
        clerk,
        number,
        Money.usd(amount) if isinstance(amount, int) else amount,
        paid,
        _reference(operator_ref),
        key,
        idempotency_key is not None,
        allow_duplicate,
        when,
        business_date(ledger, when),
        confirm_paid,
        rate_seen,
        also,
    )
    # A dollar amount is checked before the ledger is even opened (a refusal costs nothing);
    # riel are checked at the rate in force, read in the sale's own transaction.
    rate = ledger.policy.default_riel_per_usd
    checked = None if _in_riel(order.money) else _verdict(ledger, order, rate)
    for attempt in range(1, CONFLICT_ATTEMPTS + 1):
        try:
            return _sell_once(ledger, order, checked)
        except StorageError as failed:
            # The server stopped this transaction for another counter's (a deadlock, a
            # serialization failure): nothing of it was kept, so it runs again, same key.
            retry = failed.fault is Fault.CONFLICT and not isinstance(failed, KeyTaken)
            if not retry or attempt == CONFLICT_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _sell_once(ledger: Ledger, order: _Order, checked: Verdict | None) -> Sale:
    """One attempt at the sale, in one transaction."""
    key, clerk, allow_duplicate, when = order.key, order.clerk, order.allow_duplicate, order.now
    with ledger.uow() as uow:
        verdict = checked or _verdict(
            ledger, order, uow.sales.rate() or ledger.policy.default_riel_per_usd
        )
        assert verdict.operator and verdict.msisdn and verdict.amount_cents is not None
        context = uow.sales.context(
            ledger.counter_code,
            clerk_id=clerk.id,
            msisdn=verdict.msisdn,
            amount_cents=verdict.amount_cents,
            day=order.day,
            duplicate_since=None if allow_duplicate else ledger.policy.duplicate_since(when),
            key=key if order.callers_key else None,
            want_cap=verdict.operator.daily_cap_cents is not None,
        )
        if context.key_taken:  # a double submit: the first sale is the answer
            existing = uow.sales.by_key(key)
            if existing is not None:
                return existing
        return _record(ledger, uow, order, verdict, context)


def _in_riel(amount: Money | str) -> bool:
    """Whether the amount asked for is in riel (`5000r`): it is worth what the rate in
    force says, read in the sale's own transaction. An amount that cannot be read is
    refused by `check_topup` in words, at whatever rate."""
    if isinstance(amount, str):
        try:
            amount = read_amount(amount)
        except AmountError:
            return False
    return amount.currency is Currency.KHR


def _key(given: str | None) -> str:
    """The caller's key, or a new one when none is given. An empty key is refused, never
    replaced: a retry with the same empty key would be a second sale, not the first."""
    if given is not None:  # a control character first: Python's strip() eats \x1c-\x1f
        check_text(given, _("The idempotency key"))
    if given is not None and not given.strip():
        raise SaleRefused(
            [
                _(
                    "The idempotency key is empty: give the same 1 to 64 characters with "
                    "each try of one sale, or no key at all."
                )
            ]
        )
    key = (given or str(uuid.uuid4())).strip()
    if not key or len(key) > 64:
        raise SaleRefused([_("The idempotency key must be 1 to 64 characters.")])
    return key


def _reference(given: str | None) -> str | None:
    if given is not None:  # before strip(), which takes \x1c-\x1f for spaces
        check_text(given, _("The operator reference"))
    reference = given.strip() or None if given is not None else None
    if reference and len(reference) > 64:
        raise SaleRefused([_("The operator reference is longer than 64 characters.")])
    return reference


def _verdict(ledger: Ledger, order: _Order, rate: int) -> Verdict:
    verdict = check_topup(order.number, order.money, ledger.rules, riel_per_usd=rate)
    if not verdict.ok:
        raise SaleRefused(verdict.errors)
    return verdict


def _record(
    ledger: Ledger, uow: UnitOfWork, order: _Order, verdict: Verdict, context: SaleContext
) -> Sale:
    operator, msisdn, cents = verdict.operator, verdict.msisdn, verdict.amount_cents
    assert operator is not None and msisdn is not None and cents is not None
    rate = context.riel_per_usd or ledger.policy.default_riel_per_usd
    if order.rate_seen is not None and order.rate_seen != rate:
        raise RateChanged(order.rate_seen, rate)
    settled = check_payment(ledger, cents, order.paid or _exact(verdict, cents), rate)
    _check_plausible(ledger, order, settled)
    numbering = _check_context(ledger, uow, order, verdict, context)
    if ledger.policy.float_policy == "refuse":
        # Locks the operator's balance row, so two counters cannot both spend the last dollars.
        balance = uow.floats.lock(operator.id)
        if ledger.policy.refuses_for_float(balance, cents):
            raise FloatTooLow(operator.id, operator.name, balance, cents)
    new = NewSale(
        clerk_id=order.clerk.id,
        created_at=order.now,
        business_date=context.shift_day or order.day,
        operator_id=operator.id,
        msisdn=msisdn,
        amount_cents=cents,
        validity_days=verdict.validity_days,
        payment=settled.payment,
        riel_per_usd=rate,
        change_usd_cents=settled.change_usd_cents,
        change_khr=settled.change_khr,
        rounding_khr=settled.rounding_khr,
        operator_ref=order.operator_ref,
        idempotency_key=order.key,
        shift_id=context.open_shift_id,
    )
    receipt_no = receipt_label(numbering.code, numbering.next_receipt)
    try:
        sale = uow.sales.add(numbering, new, receipt_no, context.clerk_name or order.clerk.name)
        start_delivery(ledger, uow, sale)  # pending with our reference; moves an assumed float
        if order.also is not None:
            order.also(uow, sale)
        if order.allow_duplicate:
            uow.audit.append(
                order.now,
                order.clerk.name,
                "sale_duplicate_override",
                receipt=receipt_no,
                msisdn=msisdn,
                amount=plain_decimal(cents),
            )
        uow.commit()
    except KeyTaken as taken:
        # Another counter recorded this key between our check and our insert (the UNIQUE
        # constraint caught it): that sale is the answer.
        if taken.key != "sale":
            raise
        uow.rollback()
        found = uow.sales.by_key(order.key)
        if found is None:
            raise
        return found
    return sale


def _exact(verdict: Verdict, cents: int) -> Money:
    """The cash of a sale paid exactly: the riel asked for a riel top-up, else dollars."""
    if verdict.riel_topup is not None:
        return Money.khr(verdict.riel_topup.asked_khr)
    return Money.usd(cents)


def _check_plausible(ledger: Ledger, order: _Order, settled: Settlement) -> None:
    """Cash far above the amount due is a slip until the clerk confirms it (CashDoubted)."""
    if order.confirm_paid:
        return
    doubt = doubt_cash(
        settled.due_cents, settled.payment, settled.riel_per_usd, ledger.policy.cash_limits
    )
    if doubt is not None:
        raise CashDoubted(doubt, doubt.message)


def _check_context(
    ledger: Ledger, uow: UnitOfWork, order: _Order, verdict: Verdict, context: SaleContext
) -> Numbering:
    """Every rule that needs the ledger, in the order a clerk would fix them."""
    if context.clerk_name is None:
        raise AuthError(
            _("{name} is not an active user: log in again.").format(name=order.clerk.name)
        )
    if context.next_receipt is None:
        raise SaleRefused(
            [_("Counter {code} is not in the ledger.").format(code=ledger.counter_code)]
        )
    if context.open_shift_id is None and context.day_closed:
        raise DayClosed(ledger.counter_code, order.day)
    if context.open_shift_id is None and ledger.policy.shift_required:
        raise NoOpenShift(ledger.counter_code, order.day)
    if context.duplicate_id is not None:
        previous = uow.sales.by_id(context.duplicate_id)
        if previous is not None:
            ago = max(0, int((order.now - previous.created_at).total_seconds()))
            raise DuplicateSale(previous, ago)
    _check_cap(verdict.operator, verdict, context)
    return Numbering(
        ledger.counter_code,
        context.next_receipt,
        context.last_sale_hash,
        context.last_closed_day,
        context.numbering_sealed,
    )


def _check_cap(operator: Operator | None, verdict: Verdict, context: SaleContext) -> None:
    cap = operator.daily_cap_cents if operator else None
    cents = verdict.amount_cents or 0
    if operator is None or cap is None or context.number_sold_cents + cents <= cap:
        return
    raise DailyCapReached(
        verdict.display or "", operator.name, context.number_sold_cents, cents, cap
    )


# --- voids -----------------------------------------------------------------------------------


def void_sale(
    ledger: Ledger,
    receipt_no: str,
    *,
    reason: str,
    requested_by: User,
    supervisor_name: str,
    supervisor_pin: str,
    now: datetime | None = None,
) -> Void:
    """Void a sale with a supervisor's PIN and a reason. The sale row itself never changes.

    The PIN is checked in the void's own transaction: nothing changes between the
    supervisor's approval and the void it approves.
    """
    reason, label = _void_request(reason, receipt_no)
    when = ledger.now(now)
    with ledger.uow() as uow:
        supervisor = approve(
            ledger, uow, Approval(supervisor_name, supervisor_pin), when, _void_refused
        )
        requester = uow.users.get(requested_by.id)
        if requester is None:
            raise VoidRefused(
                _("{name} is not a user of this ledger.").format(name=requested_by.name)
            )
        sale = _voidable(uow, label)
        try:
            void = uow.voids.add(sale, requester, supervisor, reason, when)
            uow.floats.apply(sale.operator_id, sale.amount_cents)
            uow.audit.append(
                when,
                supervisor.name,
                "void",
                receipt=label,
                reason=reason,
                requested_by=requester.name,
                amount=plain_decimal(sale.amount_cents),
            )
            uow.commit()
        except KeyTaken:
            raise VoidRefused(_already_voided(label), label) from None
        return void


def _void_request(reason: str, receipt_no: str) -> tuple[str, str]:
    """The reason (spaces tidied) and the receipt number, or VoidRefused saying why not."""
    reason = " ".join(check_text(reason or "", _("The reason for the void")).split())
    if not reason:
        raise VoidRefused(
            _("A void needs a reason (for example: wrong number, customer cancelled).")
        )
    if len(reason) > MAX_REASON:
        raise VoidRefused(
            _("The reason is longer than {limit} characters: shorten it.").format(limit=MAX_REASON)
        )
    label = normalise_receipt(receipt_no)
    if label is None:
        raise VoidRefused(
            _("{text!r} is not a receipt number like A-000042.").format(text=receipt_no.strip())
        )
    return reason, label


def _voidable(uow: UnitOfWork, label: str) -> Sale:
    """The sale of `label`, if it exists, stands, and its day is still open."""
    sale = uow.sales.by_receipt(label)
    if sale is None:
        raise VoidRefused(
            _("No sale with receipt number {receipt}: check the number on the receipt.").format(
                receipt=label
            ),
            label,
        )
    if sale.voided:
        raise VoidRefused(_already_voided(label), label)
    refuse_void_while_delivering(uow, sale)  # an open or refunded delivery is not voided
    if uow.counters.is_day_closed(sale.counter_code, sale.business_date):
        raise VoidRefused(
            _(
                "{receipt} belongs to {day}, which is closed: a closed day's sales cannot be voided."
            ).format(receipt=label, day=sale.business_date.isoformat()),
            label,
        )
    return sale


def _void_refused(user: User) -> VoidRefused:
    return VoidRefused(
        _("{name} is a {role}: only a supervisor or admin can approve a void.").format(
            name=user.name, role=user.role.word
        )
    )


def _already_voided(label: str) -> str:
    return _("{receipt} is already voided: a sale is voided only once.").format(receipt=label)
