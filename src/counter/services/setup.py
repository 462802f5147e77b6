"""The shop and this machine's counter (the rate in force: `services.rate`).

`counter.bootstrap.init_shop` prepares a new database (or opens a shared one) and then
calls `create_shop` or `add_counter` here, so setting up is audited like any other change.
"""

from __future__ import annotations

import re

from counter.domain.errors import LedgerExists, NotAllowed, NotInitialised, UserError
from counter.domain.rate import RateBounds
from counter.domain.records import Approval, Role, ShopInfo, User
from counter.domain.text import check_text
from counter.i18n import _
from counter.services.access import approve
from counter.services.ports import Ledger
from counter.services.users import check_pin_rules, check_user_name

_COUNTER_CODE = re.compile(r"^[A-Z][A-Z0-9]{0,7}$")


def shop(ledger: Ledger) -> ShopInfo:
    """The shop as this counter sees it, with the rate in force."""
    with ledger.uow(write=False) as uow:
        info = uow.shop.info(ledger.counter_code, ledger.policy.default_riel_per_usd)
    if info is None:
        raise NotInitialised(_("The ledger has no shop set up yet."))
    return info


def check_rate(riel_per_usd: int, bounds: RateBounds | None = None) -> None:
    """The rate inside the shop's bounds (3,000..5,000 unless set), or RateError in words."""
    (bounds or RateBounds()).check(riel_per_usd)


def check_setup(
    shop_name: str, counter_code: str, admin_name: str, admin_pin: str, address: str = ""
) -> None:
    """Refuse a set-up before anything is created: every value is checked first."""
    check_text(shop_name, _("The shop name"))
    check_text(address, _("The shop's address"))
    if not shop_name.strip():
        raise UserError(_("The shop needs a name (it is printed on every receipt)."))
    if not _COUNTER_CODE.match(counter_code):
        raise UserError(
            _(
                "{code!r} is not a counter code: use a capital letter, then up to 7 capital "
                "letters or digits (for example A or B2)."
            ).format(code=counter_code)
        )
    check_user_name(admin_name)
    check_pin_rules(admin_pin)


def create_shop(
    ledger: Ledger,
    *,
    shop_name: str,
    address: str,
    admin_name: str,
    admin_pin: str,
    riel_per_usd: int,
) -> User:
    """A new ledger's shop, its first counter (`ledger.counter_code`) and first admin."""
    check_rate(riel_per_usd, ledger.policy.rate_bounds)
    pin_hash = ledger.pins.hash(admin_pin)
    now = ledger.now()
    with ledger.uow() as uow:
        uow.shop.add(shop_name, address, now)
        uow.shop.set_rate(riel_per_usd)
        # From here on the ledger's threshold counts, not a counter's settings.
        uow.shop.set_lockout_attempts(ledger.policy.lockout_attempts)
        uow.counters.add(ledger.counter_code, now)
        admin = uow.users.add(admin_name, Role.ADMIN, pin_hash, now)
        uow.audit.append(
            now,
            admin_name,
            "shop_created",
            shop=shop_name,
            counter=ledger.counter_code,
            riel_per_usd=riel_per_usd,
            lockout_attempts=ledger.policy.lockout_attempts,
        )
        uow.audit.append(now, admin_name, "user_added", user=admin.name, role=Role.ADMIN.value)
        uow.commit()
        return admin


def add_counter(ledger: Ledger, code: str, admin: Approval) -> None:
    """Join this machine to a shared ledger as counter `code`, approved by an admin's PIN."""
    now = ledger.now()
    with ledger.uow() as uow:
        codes = uow.counters.codes()
        if code in codes:
            raise LedgerExists(
                _(
                    "Counter {code} already exists in this ledger (counters: {codes}): "
                    "pick a new code for this machine; a code is never reused."
                ).format(code=code, codes=", ".join(codes))
            )
        user = approve(ledger, uow, admin, now, _no_admin)
        if user.role is not Role.ADMIN:
            raise _no_admin(user)
        uow.counters.add(code, now)
        uow.audit.append(now, user.name, "counter_added", counter=code)
        uow.commit()


def _no_admin(user: User) -> NotAllowed:
    return NotAllowed(
        _("{name} is a {role}: only an admin can add a counter.").format(
            name=user.name, role=user.role.word
        )
    )
