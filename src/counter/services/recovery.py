"""The way back when the only admin's PIN is gone: the holder of the pepper sets a new one.

Whoever can read `pepper.key` on the machine can already make any PIN hash the ledger
accepts, so the pepper is the proof: `counter admin-reset NAME --by-pepper PATH` reads the
file given, and only when it is this shop's pepper sets the admin's new PIN, clears a
lockout and enables the account. The recovery is audited in the ledger (`admin_recovered`,
by `recovery (<system user>)`), so the owner sees it in the audit log like any change.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from counter.domain.errors import AuthError, NoSuchUser, NotAllowed
from counter.domain.records import Role, User
from counter.i18n import _
from counter.services.ports import Ledger
from counter.services.users import check_pin_rules


def recover_admin(
    ledger: Ledger,
    name: str,
    new_pin: str,
    *,
    pepper: str,
    system_user: str,
    now: datetime | None = None,
) -> User:
    """The admin `name` with `new_pin`, active and unlocked; refused unless `pepper` is the
    shop's pepper. Audited as a recovery."""
    if not ledger.pins.is_pepper(pepper):
        raise AuthError(
            _(
                "That file is not this shop's pepper: the recovery needs the pepper.key the "
                "PINs are made with. Nothing was changed."
            )
        )
    check_pin_rules(new_pin)
    pin_hash = ledger.pins.hash(new_pin)
    when = ledger.now(now)
    with ledger.uow() as uow:
        user = uow.users.by_name(name, lock=True)
        if user is None:
            raise NoSuchUser(name)
        if user.role is not Role.ADMIN:
            raise NotAllowed(
                _(
                    "{name} is a {role}: the recovery sets an admin's PIN only; that admin "
                    "can then set the others."
                ).format(name=user.name, role=user.role.word)
            )
        user = replace(user, active=True, failed_attempts=0, locked_until=None)
        uow.users.update(user)
        uow.users.set_pin_hash(user.id, pin_hash)
        uow.audit.append(
            when,
            f"recovery ({system_user})"[:40],
            "admin_recovered",
            user=user.name,
            proof="pepper.key",
        )
        uow.commit()
    return user
