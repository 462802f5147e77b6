"""Which business days a person may name: from the shop's first day to today.

A day typed at the screen or given with `--date` (a report, an X report, an opening
count, a day close) before the shop existed, or after today, is a typing mistake
(`1900-01-01`, `2062-11-25`): it is refused in words, never recorded or reported as an
empty day. The shop's first day is the earlier of the day it was set up and its first
sale's day (a ledger filled with older sales, as `scripts/seed_ledger.py` does).
"""

from __future__ import annotations

from datetime import date, datetime

from counter.domain.errors import DayEndRefused
from counter.i18n import _
from counter.services.ports import Ledger, UnitOfWork
from counter.services.sales import business_date


def check_day(ledger: Ledger, uow: UnitOfWork, day: date, now: datetime) -> date:
    """`day`, or DayEndRefused saying it is in the future or before the shop's first day."""
    today = business_date(ledger, now)
    if day > today:
        raise DayEndRefused(
            _("{day} is in the future: today is {today}. Give a day up to today.").format(
                day=day.isoformat(), today=today.isoformat()
            )
        )
    first = first_day(ledger, uow)
    if first is not None:  # a set-up "after" today is a clock that was wrong: never lock out
        first = min(first, today)
    if first is not None and day < first:
        raise DayEndRefused(
            _(
                "{day} is before the shop's first day, {first}: the ledger has nothing for it. "
                "Give a day from {first} to today."
            ).format(day=day.isoformat(), first=first.isoformat())
        )
    return day


def first_day(ledger: Ledger, uow: UnitOfWork) -> date | None:
    """The shop's first business day (set-up or first sale, the earlier); None before set-up."""
    info = uow.shop.info(ledger.counter_code, ledger.policy.default_riel_per_usd)
    days = [business_date(ledger, info.created)] if info is not None else []
    first_sale = uow.sales.first_day()
    if first_sale is not None:
        days.append(first_sale)
    return min(days, default=None)


def checked_day(ledger: Ledger, day: date, now: datetime | None = None) -> date:
    """`check_day` in its own read transaction, for a use case that opens its own later."""
    with ledger.uow(write=False) as uow:
        return check_day(ledger, uow, day, ledger.now(now))
