"""Who is acting, checked inside the transaction of what they do.

`authenticate_in` checks a name and PIN in the caller's unit of work, so a supervisor's
PIN is checked in the same transaction as the void, the day close or the restock it
approves: nothing can change between the approval and the act. A refused PIN is
recorded (failed attempts, lockout, audit) and committed before the refusal is raised,
before the use case has written anything else.

After `lockout_attempts` wrong PINs in a row an account locks for a minute, and each
further wrong PIN doubles the wait (up to a day) until a supervisor unlocks it
(`Policy.lock_delay`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import NoReturn

from counter.domain.errors import AuthError, NotAllowed
from counter.domain.records import Approval, Role, User
from counter.i18n import _
from counter.services.ports import Ledger, UnitOfWork


def _local_time(ledger: Ledger, moment: datetime) -> str:
    return moment.astimezone(ledger.zone).strftime("%H:%M")


def authenticate_in(ledger: Ledger, uow: UnitOfWork, name: str, pin: str, now: datetime) -> User:
    """The active user with this name and PIN, or AuthError saying what happened."""
    account = uow.users.account(name, lock=True)
    if account is None:
        ledger.pins.burn()
        uow.audit.append(now, name.strip()[:40] or "?", "login_failed", reason="unknown user")
        uow.commit()
        raise AuthError(wrong_name_or_pin())
    user = account.user
    if not user.active:
        uow.audit.append(now, user.name, "login_failed", reason="disabled")
        uow.commit()
        raise AuthError(
            _("{name} is disabled: ask an admin to enable the account.").format(name=user.name)
        )
    if user.locked_until is not None and user.locked_until > now:
        uow.audit.append(now, user.name, "login_failed", reason="locked")
        uow.commit()
        raise AuthError(
            _(
                "{name} is locked after {attempts} wrong PINs: ask a supervisor to "
                "unlock it, or try again after {time}."
            ).format(
                name=user.name,
                attempts=user.failed_attempts,
                time=_local_time(ledger, user.locked_until),
            )
        )
    if ledger.pins.verify(account.pin_hash, pin):
        if user.failed_attempts or user.locked_until:
            user = replace(user, failed_attempts=0, locked_until=None)
            uow.users.update(user)
        return user
    _refuse_pin(ledger, uow, user, now)


def _refuse_pin(ledger: Ledger, uow: UnitOfWork, user: User, now: datetime) -> NoReturn:
    failed = user.failed_attempts + 1
    delay = ledger.policy.lock_delay(failed)
    uow.users.update(
        replace(user, failed_attempts=failed, locked_until=now + delay if delay else None)
    )
    uow.audit.append(now, user.name, "login_failed", reason="wrong PIN", attempts=failed)
    uow.commit()
    if delay:
        if failed == ledger.policy.lockout_attempts:
            message = _(
                "{name} is now locked after {attempts} wrong PINs: ask a supervisor to "
                "unlock it, or try again after {time}."
            )
        else:
            message = _(
                "Wrong PIN again: {name} stays locked: ask a supervisor to unlock it, "
                "or try again after {time}."
            )
        raise AuthError(
            message.format(name=user.name, attempts=failed, time=_local_time(ledger, now + delay))
        )
    raise AuthError(wrong_name_or_pin())


def wrong_name_or_pin() -> str:
    """The one answer to a wrong name and to a wrong PIN, so a name cannot be found out by
    trying it (the ledger's audit log still says which it was)."""
    return _("That name and PIN do not match: check both and try again.")


def not_allowed(user: User, role: Role, action: str) -> NotAllowed:
    """`Dara is a clerk: only a supervisor or admin can approve a void.`"""
    allowed = {
        Role.CLERK: _("a user"),
        Role.SUPERVISOR: _("a supervisor or admin"),
        Role.ADMIN: _("an admin"),
    }
    return NotAllowed(
        _("{name} is a {role}: only {allowed} can {action}.").format(
            name=user.name, role=user.role.value, allowed=allowed[role], action=action
        )
    )


def require_role(uow: UnitOfWork, user: User, role: Role, action: str) -> User:
    """The acting user as the ledger has them now, if still active and at least `role`."""
    current = uow.users.get(user.id)
    if current is None or not current.active:
        raise AuthError(
            _("{name} is no longer an active user: log in again.").format(name=user.name)
        )
    if not current.role.at_least(role):
        raise not_allowed(current, role, action)
    return current


def approve(
    ledger: Ledger,
    uow: UnitOfWork,
    approval: Approval,
    now: datetime,
    refused: Callable[[User], Exception],
) -> User:
    """The supervisor (or admin) who approves, PIN checked in this transaction; for
    anyone below a supervisor, `refused(user)` is raised."""
    user = authenticate_in(ledger, uow, approval.name, approval.pin, now)
    if not user.role.at_least(Role.SUPERVISOR):
        raise refused(user)
    return user
