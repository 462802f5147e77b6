"""The lockout threshold in force, its history, and an admin's change of it.

The threshold is a ledger setting (its every value appended to the settings chain) and
`services.access` reads it at each log-in, so a change is in force from the next log-in.
Each change is an audit entry with who, when, the old and the new value: the history is
read back from those entries (and the set-up's, for the first value).
"""

from __future__ import annotations

import json
from datetime import datetime

from counter.domain.errors import NotAllowed, UserError
from counter.domain.lockout import LockoutBook, LockoutChange, read_attempts
from counter.domain.policy import DEFAULT_LOCKOUT_ATTEMPTS
from counter.domain.records import Approval, AuditEntry, Role, User
from counter.i18n import _
from counter.services.access import approve
from counter.services.ports import Ledger

LOCKOUT_CHANGED = "lockout_changed"
HISTORY_LIMIT = 50


def lockout_book(ledger: Ledger, *, limit: int = HISTORY_LIMIT) -> LockoutBook:
    """The threshold in force and its history (newest first, the set-up's value last)."""
    with ledger.uow(write=False) as uow:
        attempts = uow.shop.lockout_attempts()
        changes = uow.audit.entries(action=LOCKOUT_CHANGED, limit=limit)
        created = uow.audit.entries(action="shop_created", limit=1)
    history = [_change(entry) for entry in changes]
    if len(changes) < limit:
        history += [_change(entry) for entry in created]
    in_force = attempts if attempts is not None else DEFAULT_LOCKOUT_ATTEMPTS
    return LockoutBook(in_force, tuple(h for h in history if h is not None))


def _change(entry: AuditEntry) -> LockoutChange | None:
    detail = json.loads(entry.detail or "{}")
    if entry.action == LOCKOUT_CHANGED:
        return LockoutChange(entry.at, entry.actor, int(detail["old"]), int(detail["new"]))
    if "lockout_attempts" in detail:  # set-up (ledgers set up before this kept no value)
        return LockoutChange(entry.at, entry.actor, None, int(detail["lockout_attempts"]))
    return None


def set_lockout(
    ledger: Ledger, attempts: int | str, *, approval: Approval, now: datetime | None = None
) -> LockoutChange:
    """Set the threshold for the next log-ins, approved by an admin's PIN.

    A value outside 3..20 is refused in words before the PIN is asked; the same value
    again changes nothing and says so.
    """
    new = read_attempts(attempts)
    when = ledger.now(now)
    with ledger.uow() as uow:
        admin = approve(ledger, uow, approval, when, _not_an_admin)
        if admin.role is not Role.ADMIN:
            raise _not_an_admin(admin)
        old = uow.shop.lockout_attempts() or DEFAULT_LOCKOUT_ATTEMPTS
        if old == new:
            raise UserError(
                _("An account already locks after {attempts} wrong PINs: nothing changed.").format(
                    attempts=new
                )
            )
        uow.shop.set_lockout_attempts(new)
        uow.audit.append(when, admin.name, LOCKOUT_CHANGED, old=old, new=new)
        uow.commit()
    return LockoutChange(when, admin.name, old, new)


def _not_an_admin(user: User) -> NotAllowed:
    return NotAllowed(
        _("{name} is a {role}: only an admin can change the lockout threshold.").format(
            name=user.name, role=user.role.word
        )
    )
