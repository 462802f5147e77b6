"""The shop's exchange rate: the rate in force, its history, and a supervisor's change.

The rate lives in the ledger's settings (chained) and is read in each sale's own
transaction, so a change is in force from the next sale; every recorded sale keeps the
rate it used. Each change is an audit entry with who, when, the old and the new rate:
the history is read back from those entries (and the set-up's, for the first rate).
"""

from __future__ import annotations

import json
from datetime import datetime

from counter.domain.errors import NotAllowed, RateError
from counter.domain.rate import RateBook, RateChange, read_rate
from counter.domain.records import Approval, AuditEntry, User
from counter.i18n import _
from counter.services.access import approve
from counter.services.ports import Ledger

RATE_CHANGED = "rate_changed"
HISTORY_LIMIT = 50


def riel_per_usd(ledger: Ledger) -> int:
    """The rate in force for new sales."""
    with ledger.uow(write=False) as uow:
        rate = uow.shop.rate()
    return rate if rate is not None else ledger.policy.default_riel_per_usd


def rate_book(ledger: Ledger, *, limit: int = HISTORY_LIMIT) -> RateBook:
    """The rate in force and its history (newest first, the set-up's rate last)."""
    with ledger.uow(write=False) as uow:
        rate = uow.shop.rate()
        changes = uow.audit.entries(action=RATE_CHANGED, limit=limit)
        created = uow.audit.entries(action="shop_created", limit=1)
    history = [_change(entry) for entry in changes]
    if len(changes) < limit:
        history += [_change(entry) for entry in created]
    in_force = rate if rate is not None else ledger.policy.default_riel_per_usd
    return RateBook(in_force, tuple(h for h in history if h is not None))


def _change(entry: AuditEntry) -> RateChange | None:
    detail = json.loads(entry.detail or "{}")
    if entry.action == RATE_CHANGED:
        return RateChange(entry.at, entry.actor, int(detail["old"]), int(detail["new"]))
    if "riel_per_usd" in detail:
        return RateChange(entry.at, entry.actor, None, int(detail["riel_per_usd"]))
    return None


def set_exchange_rate(
    ledger: Ledger, rate: int | str, *, approval: Approval, now: datetime | None = None
) -> RateChange:
    """Set the rate for the next sales, approved by a supervisor's (or admin's) PIN.

    A rate outside the shop's bounds is refused in words before the PIN is asked; the
    same rate again changes nothing and says so. Recorded sales keep their rate.
    """
    bounds = ledger.policy.rate_bounds
    new = read_rate(rate, bounds) if isinstance(rate, str) else bounds.check(rate)
    when = ledger.now(now)
    with ledger.uow() as uow:
        supervisor = approve(ledger, uow, approval, when, _not_a_supervisor)
        old = uow.shop.rate() or ledger.policy.default_riel_per_usd
        if old == new:
            raise RateError(
                _("The rate is already {rate} riel per dollar: nothing changed.").format(
                    rate=f"{new:,}"
                ),
                rate=new,
            )
        uow.shop.set_rate(new)
        uow.audit.append(when, supervisor.name, RATE_CHANGED, old=old, new=new)
        uow.commit()
    return RateChange(when, supervisor.name, old, new)


def _not_a_supervisor(user: User) -> NotAllowed:
    return NotAllowed(
        _("{name} is a {role}: only a supervisor or admin can change the exchange rate.").format(
            name=user.name, role=user.role.word
        )
    )
