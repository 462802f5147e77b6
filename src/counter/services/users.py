"""Clerks, supervisors and admins: PIN log-in with lockout, and user changes (all audited).

After `lockout_attempts` wrong PINs in a row an account locks for a minute, and each
further wrong PIN doubles the wait (up to a day) until a supervisor unlocks it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine

from counter.config import Settings
from counter.domain.records import Role, User
from counter.i18n import _, available_languages, ngettext, normalize_language
from counter.services.errors import AuthError, NotAllowed, UserError
from counter.services.ledger import Ledger, check_user_name, utc_now
from counter.services.pins import burn_time, hash_pin, verify_pin
from counter.services.uow import UnitOfWork
from counter.storage.chain import as_utc
from counter.storage.models import UserRow
from counter.storage.repositories import to_user

FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(days=1)


def lock_delay(failed_attempts: int, lockout_attempts: int) -> timedelta | None:
    """How long an account stays locked after this many wrong PINs in a row."""
    over = failed_attempts - lockout_attempts
    if over < 0:
        return None
    return min(FIRST_LOCK * (2 ** min(over, 20)), LONGEST_LOCK)


def _local_time(settings: Settings, moment: datetime) -> str:
    return moment.astimezone(settings.zone).strftime("%H:%M")


def authenticate(ledger: Ledger, name: str, pin: str) -> User:
    """The active user with this name and PIN, or AuthError saying what to do."""
    return authenticate_on(ledger.engine, ledger.settings, name, pin)


def authenticate_on(
    engine: Engine, settings: Settings, name: str, pin: str, now: datetime | None = None
) -> User:
    now = now or utc_now()
    with UnitOfWork(engine, settings) as uow:
        row = uow.users.by_name(name, lock=True)
        if row is None:
            burn_time(settings)
            uow.audit.append(now, name.strip()[:40] or "?", "login_failed", reason="unknown user")
            uow.commit()
            raise AuthError(
                _(
                    "No user named {name!r}: check the spelling, or ask an admin to add them."
                ).format(name=name.strip())
            )
        if not row.active:
            uow.audit.append(now, row.name, "login_failed", reason="disabled")
            uow.commit()
            raise AuthError(
                _("{name} is disabled: ask an admin to enable the account.").format(name=row.name)
            )
        if row.locked_until is not None and as_utc(row.locked_until) > now:
            until = as_utc(row.locked_until)
            uow.audit.append(now, row.name, "login_failed", reason="locked")
            uow.commit()
            raise AuthError(
                _(
                    "{name} is locked after {attempts} wrong PINs: ask a supervisor to "
                    "unlock it, or try again after {time}."
                ).format(
                    name=row.name, attempts=row.failed_attempts, time=_local_time(settings, until)
                )
            )
        if verify_pin(settings, row.pin_hash, pin):
            if row.failed_attempts or row.locked_until:
                row.failed_attempts = 0
                row.locked_until = None
                uow.commit()
            return to_user(row)
        row.failed_attempts += 1
        delay = lock_delay(row.failed_attempts, settings.lockout_attempts)
        row.locked_until = now + delay if delay else None
        uow.audit.append(
            now, row.name, "login_failed", reason="wrong PIN", attempts=row.failed_attempts
        )
        uow.commit()
        if delay:
            if row.failed_attempts == settings.lockout_attempts:
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
                message.format(
                    name=row.name,
                    attempts=row.failed_attempts,
                    time=_local_time(settings, now + delay),
                )
            )
        left = settings.lockout_attempts - row.failed_attempts
        raise AuthError(
            ngettext(
                "Wrong PIN for {name}: {left} try left before the account locks.",
                "Wrong PIN for {name}: {left} tries left before the account locks.",
                left,
            ).format(name=row.name, left=left)
        )


def require_role(uow: UnitOfWork, user: User, role: Role, action: str) -> UserRow:
    """The acting user's current row, if still active and at least `role`."""
    row = uow.users.get(user.id)
    if row is None or not row.active:
        raise AuthError(
            _("{name} is no longer an active user: log in again.").format(name=user.name)
        )
    if not Role(row.role).at_least(role):
        allowed = {
            Role.CLERK: _("a user"),
            Role.SUPERVISOR: _("a supervisor or admin"),
            Role.ADMIN: _("an admin"),
        }
        raise NotAllowed(
            _("{name} is a {role}: only {allowed} can {action}.").format(
                name=row.name, role=row.role, allowed=allowed[role], action=action
            )
        )
    return row


def _target(uow: UnitOfWork, name: str) -> UserRow:
    row = uow.users.by_name(name, lock=True)
    if row is None:
        raise UserError(
            _("No user named {name!r}: `counter users list` shows who there is.").format(
                name=name.strip()
            )
        )
    return row


def find_user(ledger: Ledger, name: str) -> User:
    with ledger.uow(write=False) as uow:
        row = uow.users.by_name(name)
        if row is None:
            raise UserError(
                _("No user named {name!r}: `counter users list` shows who there is.").format(
                    name=name.strip()
                )
            )
        return to_user(row)


def _language(language: str) -> str:
    try:
        return normalize_language(language)
    except ValueError:
        raise UserError(
            _("{language!r} is not a language of this app: use {languages}.").format(
                language=language, languages=_(" or ").join(available_languages())
            )
        ) from None


def add_user(
    ledger: Ledger,
    name: str,
    role: Role | str,
    pin: str,
    *,
    by: User,
    language: str | None = None,
) -> User:
    """Add a clerk, supervisor or admin (admin only); `language` None: the shop's default."""
    name = name.strip()
    check_user_name(name)
    language = _language(language) if language is not None else None
    try:
        role = Role(role)
    except ValueError:
        raise UserError(
            _("{role!r} is not a role: use clerk, supervisor or admin.").format(role=role)
        ) from None
    pin_hash = hash_pin(ledger.settings, pin)
    now = utc_now()
    with ledger.uow() as uow:
        require_role(uow, by, Role.ADMIN, _("add users"))
        if uow.users.by_name(name) is not None:
            raise UserError(
                _("There is already a user named {name!r}: choose another name.").format(name=name)
            )
        row = uow.users.add(name, role, pin_hash, now)
        row.language = language
        if language is None:
            uow.audit.append(now, by.name, "user_added", user=name, role=role.value)
        else:
            uow.audit.append(
                now, by.name, "user_added", user=name, role=role.value, language=language
            )
        uow.commit()
        return to_user(row)


def list_users(ledger: Ledger) -> list[User]:
    with ledger.uow(write=False) as uow:
        return uow.users.all()


def disable_user(ledger: Ledger, name: str, *, by: User) -> User:
    """Disable an account (admin only); its sales stay, it can no longer log in."""
    now = utc_now()
    with ledger.uow() as uow:
        require_role(uow, by, Role.ADMIN, _("disable users"))
        row = _target(uow, name)
        if not row.active:
            raise UserError(_("{name} is already disabled.").format(name=row.name))
        if row.role == Role.ADMIN.value and uow.users.count_active_admins() <= 1:
            raise UserError(
                _("{name} is the last active admin: add another admin first.").format(name=row.name)
            )
        row.active = False
        uow.audit.append(now, by.name, "user_disabled", user=row.name)
        uow.commit()
        return to_user(row)


def unlock_user(ledger: Ledger, name: str, *, by: User) -> User:
    """Clear a lockout (supervisor or admin)."""
    now = utc_now()
    with ledger.uow() as uow:
        require_role(uow, by, Role.SUPERVISOR, _("unlock accounts"))
        row = _target(uow, name)
        row.failed_attempts = 0
        row.locked_until = None
        uow.audit.append(now, by.name, "user_unlocked", user=row.name)
        uow.commit()
        return to_user(row)


def set_pin(ledger: Ledger, name: str, new_pin: str, *, by: User) -> User:
    """Set a user's PIN: their own, or anyone's for an admin. Also clears a lockout."""
    pin_hash = hash_pin(ledger.settings, new_pin)
    now = utc_now()
    with ledger.uow() as uow:
        row = _target(uow, name)
        if row.id != by.id:
            require_role(uow, by, Role.ADMIN, _("set another user's PIN"))
        else:
            require_role(uow, by, Role.CLERK, _("set a PIN"))
        row.pin_hash = pin_hash
        row.failed_attempts = 0
        row.locked_until = None
        uow.audit.append(now, by.name, "pin_set", user=row.name)
        uow.commit()
        return to_user(row)


def set_user_language(ledger: Ledger, name: str, language: str, *, by: User) -> User:
    """Set the language a user sees on screen: their own, or anyone's for an admin (audited)."""
    return _set_preference(
        ledger,
        name,
        by,
        "language",
        _language(language),
        _("set another user's language"),
        _("choose a language"),
    )


USER_THEMES = ("default", "light", "contrast")


def set_user_theme(ledger: Ledger, name: str, theme: str, *, by: User) -> User:
    """Set a user's screen theme (`default`, `light`, `contrast`): their own, or anyone's for
    an admin (audited)."""
    if theme not in USER_THEMES:
        raise UserError(
            _("{theme!r} is not a theme of this app: use {themes}.").format(
                theme=theme, themes=", ".join(USER_THEMES)
            )
        )
    return _set_preference(
        ledger, name, by, "theme", theme, _("set another user's theme"), _("choose a theme")
    )


def _set_preference(
    ledger: Ledger, name: str, by: User, field: str, value: str, for_others: str, for_self: str
) -> User:
    """One user preference (`language`, `theme`): anyone for themself, an admin for others."""
    now = utc_now()
    with ledger.uow() as uow:
        row = _target(uow, name)
        if row.id != by.id:
            require_role(uow, by, Role.ADMIN, for_others)
        else:
            require_role(uow, by, Role.CLERK, for_self)
        previous = getattr(row, field)
        setattr(row, field, value)
        uow.audit.append(
            now, by.name, f"user_{field}_set", user=row.name, previous=previous, **{field: value}
        )
        uow.commit()
        return to_user(row)
