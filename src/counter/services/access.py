"""Who is acting, checked inside the transaction of what they do.

`authenticate_in` checks a name and PIN in the caller's unit of work, so a supervisor's
PIN is checked in the same transaction as the void, the day close or the restock it
approves: nothing can change between the approval and the act. A refused PIN is
recorded (failed attempts, lockout, audit) and committed before the refusal is raised,
before the use case has written anything else.

After `lockout_attempts` wrong PINs in a row an account locks for a minute, and each
further wrong PIN doubles the wait (up to a day) until a supervisor unlocks it
(`Policy.lock_delay`). The threshold is a ledger setting and the lock is judged by the
ledger's clock (the database server's on PostgreSQL), never by the caller's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import NoReturn

from counter.domain.errors import AuthError, NotAllowed
from counter.domain.policy import DEFAULT_LOCKOUT_ATTEMPTS, Policy
from counter.domain.records import Approval, Role, User
from counter.i18n import _
from counter.services.ports import Ledger, UnitOfWork


def _local_time(ledger: Ledger, moment: datetime) -> str:
    return moment.astimezone(ledger.zone).strftime("%H:%M")


@dataclass(frozen=True)
class PinCheck:
    """A PIN verified before the write transaction (Argon2 takes tens of milliseconds and
    must not hold the write lock): against which hash, with what result."""

    pin_hash: str | None  # None: no user of that name when it was looked up
    ok: bool


def check_pin(ledger: Ledger, name: str, pin: str) -> PinCheck:
    """Look the account up and verify the PIN in a read transaction (no write lock held);
    an unknown name spends a hash's time too, so it answers as slowly as a wrong PIN."""
    with ledger.uow(write=False) as look:
        account = look.users.account(name)
    if account is None:
        ledger.pins.burn()
        return PinCheck(None, False)
    return PinCheck(account.pin_hash, ledger.pins.verify(account.pin_hash, pin))


def lockout_rules(ledger: Ledger, uow: UnitOfWork, now: datetime) -> tuple[Policy, datetime]:
    """The shop's policy with the lockout threshold the ledger keeps (never the caller's
    settings), and the clock a lock is judged by: the database server's on PostgreSQL,
    so a counter with its clock set forward does not unlock an account."""
    attempts = uow.shop.lockout_attempts() or DEFAULT_LOCKOUT_ATTEMPTS
    return replace(ledger.policy, lockout_attempts=attempts), uow.shop.database_now() or now


def authenticate_in(
    ledger: Ledger,
    uow: UnitOfWork,
    name: str,
    pin: str,
    now: datetime,
    *,
    checked: PinCheck | None = None,
) -> User:
    """The active user with this name and PIN, or AuthError saying what happened.

    `checked`: the PIN already verified outside the write lock; without it, it is verified
    here first, in a read transaction of its own, so when this is the first thing the
    caller's unit of work does (a void's or a close's approval) Argon2 runs before the
    write lock is taken. It is verified again only if the PIN hash changed since."""
    if checked is None:
        checked = check_pin(ledger, name, pin)
    account = uow.users.account(name, lock=True)
    if account is None:
        uow.audit.append(now, name.strip()[:40] or "?", "login_failed", reason="unknown user")
        uow.commit()
        raise AuthError(wrong_name_or_pin())
    policy, clock = lockout_rules(ledger, uow, now)
    user = account.user
    if not user.active:
        uow.audit.append(now, user.name, "login_failed", reason="disabled")
        uow.commit()
        raise AuthError(
            _("{name} is disabled: ask an admin to enable the account.").format(name=user.name)
        )
    if user.locked_until is not None and user.locked_until > clock:
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
    if checked is not None and checked.pin_hash == account.pin_hash:
        right = checked.ok
    else:
        right = ledger.pins.verify(account.pin_hash, pin)
    if right:
        if user.failed_attempts or user.locked_until:
            user = replace(user, failed_attempts=0, locked_until=None)
            uow.users.update(user)
        return user
    _refuse_pin(ledger, uow, user, (now, clock), policy)


def _refuse_pin(
    ledger: Ledger,
    uow: UnitOfWork,
    user: User,
    times: tuple[datetime, datetime],
    policy: Policy,
) -> NoReturn:
    now, clock = times  # the use case's time (audit), the ledger's clock (the lock)
    failed = user.failed_attempts + 1
    delay = policy.lock_delay(failed)
    until = clock + delay if delay else None
    uow.users.update(replace(user, failed_attempts=failed, locked_until=until))
    uow.audit.append(now, user.name, "login_failed", reason="wrong PIN", attempts=failed)
    uow.commit()
    if until is not None:
        if failed == policy.lockout_attempts:
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
            message.format(name=user.name, attempts=failed, time=_local_time(ledger, until))
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
            name=user.name, role=user.role.word, allowed=allowed[role], action=action
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
