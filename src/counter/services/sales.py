"""Selling and voiding top-ups, and the questions asked of recorded sales.

A sale is checked by the domain first (nothing touches the database for a refusal),
then recorded in ONE transaction: the counter row locked for the next receipt number,
the sale with its chain hash, an audit row and a print-queue row. A sale is never
changed afterwards; a void is its own record.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError

from counter.domain.money import Money, compute_change, plain_decimal
from counter.domain.phone import parse_number
from counter.domain.records import OperatorTotal, Role, Sale, User, Void, receipt_label
from counter.domain.topup import check_topup
from counter.i18n import _, format_usd_for
from counter.services.dayrules import closed_day_refusal, float_refusal
from counter.services.errors import AuthError, DuplicateSale, SaleRefused, VoidRefused
from counter.services.ledger import Ledger, utc_now
from counter.services.uow import UnitOfWork
from counter.services.users import authenticate, require_role
from counter.storage.chain import as_utc
from counter.storage.repositories import NewSale

_RECEIPT = re.compile(r"^\s*([A-Za-z][A-Za-z0-9]{0,7})-0*(\d{1,12})\s*$")
MAX_REASON = 200


def business_date(ledger: Ledger, moment: datetime) -> date:
    """The shop's calendar day of a UTC moment (Asia/Phnom_Penh unless set otherwise)."""
    return as_utc(moment).astimezone(ledger.settings.zone).date()


def sell(
    ledger: Ledger,
    clerk: User,
    number: str,
    amount: str | Money | int,
    *,
    paid: Money | None = None,
    operator_ref: str | None = None,
    idempotency_key: str | None = None,
    allow_duplicate: bool = False,
    now: datetime | None = None,
) -> Sale:
    """Record one top-up and return it; a repeated idempotency key returns the first sale.

    Refusals (SaleRefused, PaymentError, DuplicateSale, AuthError, StorageError) record
    nothing. `paid=None` means the customer paid the exact amount in USD.
    """
    key = (idempotency_key or str(uuid.uuid4())).strip()
    if not key or len(key) > 64:
        raise SaleRefused([_("The idempotency key must be 1 to 64 characters.")])
    if operator_ref is not None:
        operator_ref = operator_ref.strip() or None
        if operator_ref and len(operator_ref) > 64:
            raise SaleRefused([_("The operator reference is longer than 64 characters.")])
    if idempotency_key is not None:
        existing = get_sale_by_key(ledger, key)
        if existing is not None:
            return existing
    now = as_utc(now) if now else utc_now()
    with ledger.uow() as uow:
        # The rate is read inside the write transaction: the one in force when recorded.
        rate = ledger.riel_per_usd(uow)
        money = Money.usd(amount) if isinstance(amount, int) else amount
        verdict = check_topup(number, money, ledger.rules, riel_per_usd=rate)
        if not verdict.ok:
            raise SaleRefused(verdict.errors)
        assert verdict.operator and verdict.msisdn and verdict.amount_cents is not None
        cents = verdict.amount_cents
        change = compute_change(
            cents, paid or Money.usd(cents), rate, ledger.settings.khr_rounding_step
        )
        clerk_name = uow.users.active_name(clerk.id)
        if clerk_name is None:
            raise AuthError(
                _("{name} is not an active user: log in again.").format(name=clerk.name)
            )
        counter = uow.counters.lock_numbering(ledger.counter_code)
        if counter is None:
            raise SaleRefused(
                [_("Counter {code} is not in the ledger.").format(code=ledger.counter_code)]
            )
        # Checked again under the lock: a double submit that raced the first one. A key
        # made here (uuid4) is known to no one else, so only a caller's key is looked up.
        if idempotency_key is not None and uow.sales.key_taken(key):
            existing = uow.sales.by_key(key)
            if existing is not None:
                return existing
        day = business_date(ledger, now)
        closed = closed_day_refusal(uow, counter.code, day)
        if closed:
            raise SaleRefused([closed])
        _check_duplicate(ledger, uow, verdict.msisdn, cents, now, allow_duplicate)
        cap = verdict.operator.daily_cap_cents
        if cap is not None:
            sold = uow.sales.number_total_on(verdict.msisdn, day)
            if sold + cents > cap:
                raise SaleRefused(
                    [
                        _(
                            "{number} already had {sold} today; {amount} more would pass "
                            "{operator}'s daily cap of {cap} per number."
                        ).format(
                            number=verdict.display,
                            sold=format_usd_for(sold),
                            amount=format_usd_for(cents),
                            operator=verdict.operator.name,
                            cap=format_usd_for(cap),
                        )
                    ]
                )
        short = float_refusal(
            ledger.settings, uow, verdict.operator.id, verdict.operator.name, cents
        )
        if short:
            raise SaleRefused([short])
        paid_money = paid or Money.usd(cents)
        new = NewSale(
            clerk_id=clerk.id,
            created_at=now,
            business_date=day,
            operator_id=verdict.operator.id,
            msisdn=verdict.msisdn,
            amount_cents=cents,
            validity_days=verdict.validity_days,
            paid_currency=paid_money.currency.value,
            paid_minor=paid_money.minor,
            riel_per_usd=rate,
            change_usd_cents=change.usd_cents,
            change_khr=change.khr,
            rounding_khr=change.rounding_khr,
            operator_ref=operator_ref,
            idempotency_key=key,
        )
        receipt_no = receipt_label(counter.code, counter.next_receipt)
        try:
            sale = uow.sales.add(counter, new, receipt_no, clerk_name)
            uow.floats.spend(new.operator_id, cents)
            uow.audit.append(
                now,
                clerk.name,
                "sale",
                receipt=receipt_no,
                msisdn=new.msisdn,
                amount=plain_decimal(cents),
                operator=new.operator_id,
                **({"duplicate_override": True} if allow_duplicate else {}),
            )
            uow.commit()
        except Exception as exc:
            # Another process recorded this key between our check and our insert
            # (the UNIQUE constraint caught it): that sale is the answer.
            if isinstance(exc, IntegrityError) or isinstance(exc.__cause__, IntegrityError):
                uow.rollback()
                found = get_sale_by_key(ledger, key)
                if found is not None:
                    return found
            raise
        return sale


def _check_duplicate(
    ledger: Ledger, uow: UnitOfWork, msisdn: str, cents: int, now: datetime, allow: bool
) -> None:
    window = ledger.settings.duplicate_window_seconds
    if allow or window <= 0:
        return
    previous = uow.sales.latest_same(msisdn, cents, now - timedelta(seconds=window))
    if previous is not None:
        ago = max(0, int((now - previous.created_at).total_seconds()))
        raise DuplicateSale(previous, ago)


def check_payment(ledger: Ledger, amount_cents: int, paid: Money) -> None:
    """PaymentError now if the cash is short (for the screen, before it asks to confirm)."""
    compute_change(
        amount_cents, paid, ledger.shop().riel_per_usd, ledger.settings.khr_rounding_step
    )


def normalise_receipt(text: str) -> str | None:
    """`a-42`, `A-000042` -> `A-000042`; None when it does not look like a receipt number."""
    match = _RECEIPT.match(text)
    if not match:
        return None
    return receipt_label(match.group(1).upper(), int(match.group(2)))


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
    """Void a sale with a supervisor's PIN and a reason. The sale row itself never changes."""
    reason = " ".join((reason or "").split())
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
    supervisor = authenticate(ledger, supervisor_name, supervisor_pin)
    if not supervisor.role.at_least(Role.SUPERVISOR):
        raise VoidRefused(
            _("{name} is a {role}: only a supervisor or admin can approve a void.").format(
                name=supervisor.name, role=supervisor.role.value
            )
        )
    now = as_utc(now) if now else utc_now()
    with ledger.uow() as uow:
        require_role(uow, supervisor, Role.SUPERVISOR, _("approve a void"))
        requester = uow.users.get(requested_by.id)
        if requester is None:
            raise VoidRefused(
                _("{name} is not a user of this ledger.").format(name=requested_by.name)
            )
        sale = uow.voids.sale_row(label)
        if sale is None:
            raise VoidRefused(
                _("No sale with receipt number {receipt}: check the number on the receipt.").format(
                    receipt=label
                )
            )
        if uow.voids.for_sale(sale.id) is not None:
            raise VoidRefused(_already_voided(label))
        if uow.counters.is_day_closed(sale.counter_code, sale.business_date):
            raise VoidRefused(
                _(
                    "{receipt} belongs to {day}, which is closed: "
                    "a closed day's sales cannot be voided."
                ).format(receipt=label, day=sale.business_date.isoformat())
            )
        try:
            void = uow.voids.add(sale, requested_by, supervisor, reason, now)
            uow.floats.apply(sale.operator_id, sale.amount_cents)
            uow.audit.append(
                now,
                supervisor.name,
                "void",
                receipt=label,
                reason=reason,
                requested_by=requested_by.name,
                amount=plain_decimal(sale.amount_cents),
            )
            uow.commit()
        except IntegrityError:
            raise VoidRefused(_already_voided(label)) from None
        return void


def _already_voided(label: str) -> str:
    return _("{receipt} is already voided: a sale is voided only once.").format(receipt=label)


# --- questions asked of the ledger ----------------------------------------------------


def get_sale(ledger: Ledger, receipt_no: str) -> Sale | None:
    label = normalise_receipt(receipt_no)
    if label is None:
        return None
    with ledger.uow(write=False) as uow:
        return uow.sales.by_receipt(label)


def get_sale_by_key(ledger: Ledger, key: str) -> Sale | None:
    with ledger.uow(write=False) as uow:
        return uow.sales.by_key(key)


def sales_for_day(
    ledger: Ledger, day: date, counter_code: str | None, *, limit: int = 100, offset: int = 0
) -> list[Sale]:
    """A day's sales, most recent first (all counters when `counter_code` is None)."""
    with ledger.uow(write=False) as uow:
        return uow.sales.for_day(day, counter_code, limit, offset)


def search_sales(
    ledger: Ledger,
    text: str,
    *,
    day: date | None = None,
    operator: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Sale]:
    """Find sales by receipt number, full phone number, the last digits of a number, or
    an operator's name (`Smart`).

    The last digits are searched through the indexed reversed number, so "5678" stays
    fast with a million sales. Digits from the middle of a number are only searched
    within one day (`day`), where the date index keeps the scan small.
    """
    text = text.strip()
    receipt = normalise_receipt(text)
    msisdn = suffix = contains = None
    if receipt is None:
        digits = "".join(c for c in text if c.isdigit())
        if not digits:
            if text:
                named = _operator_named(ledger, text)
                if named is None or (operator is not None and operator != named):
                    return []
                operator = named
            elif operator is None and day is None:
                return []  # nothing to search by: never list the whole ledger
        else:
            try:
                msisdn = parse_number(text).e164 if len(digits) >= 8 else None
            except Exception:
                msisdn = None
            if msisdn is None:
                if day is not None:
                    contains = digits
                else:
                    suffix = digits
    with ledger.uow(write=False) as uow:
        return uow.sales.search(
            receipt_no=receipt,
            msisdn=msisdn,
            suffix=suffix,
            contains=contains,
            day=day,
            operator_id=operator,
            limit=limit,
            offset=offset,
        )


def _operator_named(ledger: Ledger, text: str) -> str | None:
    """The id of the operator whose id or name is `text` (any case), e.g. "smart", "Smart"."""
    wanted = text.strip().casefold()
    for op in ledger.rules.operators:
        if wanted and wanted in (op.id.casefold(), op.name.casefold()):
            return op.id
    return None


def number_history(ledger: Ledger, msisdn: str, limit: int = 5) -> list[Sale]:
    """The latest top-ups of one number, newest first (for "same as last time")."""
    try:
        e164 = parse_number(msisdn).e164
    except Exception:
        return []
    with ledger.uow(write=False) as uow:
        return uow.sales.history(e164, limit)


def day_totals(ledger: Ledger, day: date, counter_code: str | None) -> list[OperatorTotal]:
    """Count and amount per operator for a day, voided sales left out."""
    with ledger.uow(write=False) as uow:
        return uow.sales.totals(day, counter_code)


def last_sale(ledger: Ledger, counter_code: str | None = None) -> Sale | None:
    """The counter's latest sale: after a crash the screen offers to reprint it."""
    with ledger.uow(write=False) as uow:
        return uow.sales.last(counter_code or ledger.counter_code)
