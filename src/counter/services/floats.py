"""The operators' airtime float: restocks and corrections, approved by a supervisor.

The balances are running rows kept in each sale's, void's, restock's and correction's own
transaction; `counter doctor` recomputes them from scratch. A restock or correction is
approved either by a supervisor who is logged in (`by=User`) or by a supervisor's name and
PIN typed for it (`by=Approval`), checked in the restock's own transaction.
"""

from __future__ import annotations

from datetime import datetime

from counter.domain.dayend import MAX_FLOAT_CENTS
from counter.domain.errors import DayEndRefused
from counter.domain.operators import Operator
from counter.domain.records import Approval, FloatMove, Role, User
from counter.domain.text import check_text
from counter.i18n import _, format_usd_for
from counter.services.access import approve, not_allowed, require_role
from counter.services.ports import Ledger, UnitOfWork

MAX_REASON = 200


def _operator(ledger: Ledger, operator_id: str) -> Operator:
    op = ledger.rules.get(operator_id.strip().lower())
    if op is None:
        known = ", ".join(o.id for o in ledger.rules)
        raise DayEndRefused(
            _("{operator!r} is not an operator in the rules ({known}).").format(
                operator=operator_id, known=known
            )
        )
    return op


def _approver(
    ledger: Ledger, uow: UnitOfWork, by: User | Approval, action: str, now: datetime
) -> User:
    """The supervisor or admin who approves, checked in this transaction."""
    if isinstance(by, Approval):
        user = approve(
            ledger, uow, by, now, lambda user: not_allowed(user, Role.SUPERVISOR, action)
        )
    else:
        user = require_role(uow, by, Role.SUPERVISOR, action)
    if not ledger.policy.may_restock(user.role):
        raise not_allowed(user, Role.SUPERVISOR, action)
    return user


def restock(
    ledger: Ledger,
    operator_id: str,
    amount_cents: int,
    *,
    ref: str | None = None,
    by: User | Approval,
    now: datetime | None = None,
) -> int:
    """Record airtime stock bought from an operator (supervisor or admin); the new balance."""
    op = _operator(ledger, operator_id)
    if amount_cents <= 0:
        raise DayEndRefused(_("A restock is a positive amount, for example 100.00."))
    if amount_cents > MAX_FLOAT_CENTS:
        raise DayEndRefused(
            _("{amount} is not a believable restock: check the amount.").format(
                amount=format_usd_for(amount_cents)
            )
        )
    ref = check_text(ref or "", _("The restock reference")).strip() or None
    if ref is not None and len(ref) > 64:
        raise DayEndRefused(_("The restock reference is longer than 64 characters."))
    when = ledger.now(now)
    with ledger.uow() as uow:
        user = _approver(
            ledger, uow, by, _("record a restock of {operator}").format(operator=op.name), when
        )
        balance = uow.floats.add_move(
            FloatMove(op.id, "restock", amount_cents, ref, None, user.id, when)
        )
        uow.audit.append(
            when,
            user.name,
            "restock",
            operator=op.id,
            amount_cents=amount_cents,
            ref=ref,
            balance_cents=balance,
        )
        uow.commit()
    return balance


def correct_float(
    ledger: Ledger,
    operator_id: str,
    delta_cents: int,
    *,
    reason: str,
    by: User | Approval,
    now: datetime | None = None,
) -> int:
    """A correction of an operator's balance, its own record with a reason; the new balance."""
    op = _operator(ledger, operator_id)
    reason = " ".join(check_text(reason or "", _("The reason for the correction")).split())
    if not reason:
        raise DayEndRefused(
            _("A float correction needs a reason (for example: dealer statement of 25 Nov).")
        )
    if len(reason) > MAX_REASON:
        raise DayEndRefused(
            _("The reason is longer than {limit} characters: shorten it.").format(limit=MAX_REASON)
        )
    if delta_cents == 0 or abs(delta_cents) > MAX_FLOAT_CENTS:
        raise DayEndRefused(_("A correction is a non-zero amount, for example -2.50 or 10.00."))
    when = ledger.now(now)
    with ledger.uow() as uow:
        user = _approver(
            ledger, uow, by, _("correct the {operator} balance").format(operator=op.name), when
        )
        balance = uow.floats.add_move(
            FloatMove(op.id, "correction", delta_cents, None, reason, user.id, when)
        )
        uow.audit.append(
            when,
            user.name,
            "float_correction",
            operator=op.id,
            delta_cents=delta_cents,
            reason=reason,
            balance_cents=balance,
        )
        uow.commit()
    return balance
