"""Clerks, supervisors and admins: log-in, and user changes (all audited).

Each use case is one unit of work. A change is recorded by asking the repository to store
the changed `User` record (`uow.users.update`); nothing here touches a database row.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from counter.domain.errors import NoSuchUser, UserError
from counter.domain.records import Role, User
from counter.domain.text import check_text, tidy_name
from counter.i18n import _, available_languages, normalize_language
from counter.services.access import PinCheck, authenticate_in, require_role
from counter.services.ports import Ledger, UnitOfWork

USER_THEMES = ("default", "light", "contrast")
_PIN = re.compile(r"^[0-9]{4,8}$")


def check_pin_rules(pin: str) -> None:
    """4 to 8 digits, or UserError saying so (the PIN itself is never repeated back)."""
    if not isinstance(pin, str) or not _PIN.match(pin):
        raise UserError(_("A PIN is 4 to 8 digits (0-9), nothing else."))


def check_user_name(name: str) -> None:
    """1 to 40 characters once tidied, none of them one the ledger refuses (`check_text`)."""
    check_text(name, _("The user name"))
    if not 1 <= len(tidy_name(name)) <= 40:
        raise UserError(_("A user name is 1 to 40 characters, without control characters."))


def _when(ledger: Ledger, now: datetime | None) -> datetime:
    return ledger.now(now)


def authenticate(ledger: Ledger, name: str, pin: str, *, now: datetime | None = None) -> User:
    """Log in: the active user with this name and PIN, or AuthError saying what happened.

    The PIN hash is looked up and verified (Argon2) before any write transaction, so a
    log-in never holds the ledger's write lock while it hashes; a right PIN of an account
    with nothing to clear writes nothing at all. Anything to record (a wrong PIN, a lock,
    clearing past failures) is done in a write transaction with the account locked."""
    when = _when(ledger, now)
    with ledger.uow(write=False) as look:
        account = look.users.account(name)
    if account is None:
        ledger.pins.burn()
        checked = PinCheck(None, False)
    else:
        checked = PinCheck(account.pin_hash, ledger.pins.verify(account.pin_hash, pin))
        user = account.user
        if checked.ok and user.active and not user.failed_attempts and not user.locked_until:
            return user  # nothing to record
    with ledger.uow() as uow:
        user = authenticate_in(ledger, uow, name, pin, when, checked=checked)
        uow.commit()
        return user


def _target(uow: UnitOfWork, name: str) -> User:
    user = uow.users.by_name(name, lock=True)
    if user is None:
        raise NoSuchUser(name)
    return user


def find_user(ledger: Ledger, name: str) -> User:
    with ledger.uow(write=False) as uow:
        user = uow.users.by_name(name)
    if user is None:
        raise NoSuchUser(name)
    return user


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
    now: datetime | None = None,
) -> User:
    """Add a clerk, supervisor or admin (admin only); `language` None: the shop's default."""
    check_user_name(name)  # before strip(), which takes \x1c-\x1f for spaces
    name = name.strip()
    language = _language(language) if language is not None else None
    try:
        role = Role(role)
    except ValueError:
        raise UserError(
            _("{role!r} is not a role: use clerk, supervisor or admin.").format(role=role)
        ) from None
    check_pin_rules(pin)
    pin_hash = ledger.pins.hash(pin)
    when = _when(ledger, now)
    with ledger.uow() as uow:
        require_role(uow, by, Role.ADMIN, _("add users"))
        _refuse_taken(uow.users.by_name(name), name)
        user = uow.users.add(name, role, pin_hash, when, language)
        detail: dict[str, object] = {"user": name, "role": role.value}
        if language is not None:
            detail["language"] = language
        uow.audit.append(when, by.name, "user_added", **detail)
        uow.commit()
        return user


def _refuse_taken(existing: User | None, name: str) -> None:
    """A name already taken, or one that reads the same (`Ｏｗｎｅｒ`, `OWNER` beside
    `Owner`: names are compared NFKC- and case-folded, as at log-in), refused in words."""
    if existing is None:
        return
    if tidy_name(name) == name.strip():  # the same letters, perhaps in other capitals
        raise UserError(
            _("There is already a user named {name!r}: choose another name.").format(name=name)
        )
    raise UserError(
        _(
            "{name!r} is the same name as the user {existing!r} once full-width letters and "
            "capitals are read as plain ones: choose another name."
        ).format(name=name, existing=existing.name)
    )


def list_users(ledger: Ledger, *, by: User | None = None) -> list[User]:
    """Everyone who may use the counter; with `by` (the screen's Users list), only for a
    supervisor or admin."""
    with ledger.uow(write=False) as uow:
        if by is not None:
            require_role(uow, by, Role.SUPERVISOR, _("see the users"))
        return uow.users.all()


def user_state(user: User, now: datetime) -> str:
    """`active`, `locked` or `disabled`, as the users list says it."""
    if not user.active:
        return _("disabled")
    if user.locked_until and user.locked_until > now:
        return _("locked")
    return _("active")


def disable_user(ledger: Ledger, name: str, *, by: User, now: datetime | None = None) -> User:
    """Disable an account (admin only); its sales stay, it can no longer log in."""
    when = _when(ledger, now)
    with ledger.uow() as uow:
        require_role(uow, by, Role.ADMIN, _("disable users"))
        user = _target(uow, name)
        if not user.active:
            raise UserError(_("{name} is already disabled.").format(name=user.name))
        if user.role is Role.ADMIN and uow.users.count_active_admins() <= 1:
            raise UserError(
                _("{name} is the last active admin: add another admin first.").format(
                    name=user.name
                )
            )
        user = replace(user, active=False)
        uow.users.update(user)
        uow.audit.append(when, by.name, "user_disabled", user=user.name)
        uow.commit()
        return user


def unlock_user(ledger: Ledger, name: str, *, by: User, now: datetime | None = None) -> User:
    """Clear a lockout (supervisor or admin)."""
    when = _when(ledger, now)
    with ledger.uow() as uow:
        require_role(uow, by, Role.SUPERVISOR, _("unlock accounts"))
        user = replace(_target(uow, name), failed_attempts=0, locked_until=None)
        uow.users.update(user)
        uow.audit.append(when, by.name, "user_unlocked", user=user.name)
        uow.commit()
        return user


def set_pin(
    ledger: Ledger, name: str, new_pin: str, *, by: User, now: datetime | None = None
) -> User:
    """Set a user's PIN: their own, or anyone's for an admin. Also clears a lockout."""
    check_pin_rules(new_pin)
    pin_hash = ledger.pins.hash(new_pin)
    when = _when(ledger, now)
    with ledger.uow() as uow:
        user = _target(uow, name)
        if user.id != by.id:
            require_role(uow, by, Role.ADMIN, _("set another user's PIN"))
        else:
            require_role(uow, by, Role.CLERK, _("set a PIN"))
        user = replace(user, failed_attempts=0, locked_until=None)
        uow.users.update(user)
        uow.users.set_pin_hash(user.id, pin_hash)
        uow.audit.append(when, by.name, "pin_set", user=user.name)
        uow.commit()
        return user


def set_user_language(ledger: Ledger, name: str, language: str, *, by: User) -> User:
    """Set the language a user sees on screen: their own, or anyone's for an admin (audited)."""
    language = _language(language)
    return _set_preference(
        ledger,
        name,
        by,
        "language",
        language,
        _("set another user's language"),
        _("choose a language"),
    )


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
    when = ledger.now()
    with ledger.uow() as uow:
        user = _target(uow, name)
        if user.id != by.id:
            require_role(uow, by, Role.ADMIN, for_others)
        else:
            require_role(uow, by, Role.CLERK, for_self)
        if field == "language":
            previous, user = user.language, replace(user, language=value)
        else:
            previous, user = user.theme, replace(user, theme=value)
        uow.users.update(user)
        uow.audit.append(
            when, by.name, f"user_{field}_set", user=user.name, previous=previous, **{field: value}
        )
        uow.commit()
        return user
