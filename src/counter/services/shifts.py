"""Shifts: opening a counter's drawer with a count, and closing it with a blind count.

A shift opens with the drawer counted (dollars and riel, optionally by note) and belongs
to the business day it opened in; sales are recorded only in an open shift (see
`services.sales`). At most one shift is open at a counter; the counter's row is locked
first, as a sale does, so opening, closing and selling never interleave. Every shift and
every close is its own hash-chained record; nothing is edited.
"""

from __future__ import annotations

from datetime import date, datetime

from counter.domain.cash_count import CashCount as DrawerCount
from counter.domain.dayend import check_drawer
from counter.domain.errors import ShiftRefused, closed_day_sentence
from counter.domain.records import Role, User, utc
from counter.domain.shifts import NewShift, NewShiftClose, Shift, closing_figures, count_words
from counter.i18n import _
from counter.services.access import require_role
from counter.services.ports import Ledger, UnitOfWork


def open_shift(
    ledger: Ledger,
    day: date,
    counter_code: str,
    opening: DrawerCount,
    *,
    by: User,
    now: datetime | None = None,
) -> Shift:
    """Open a shift at the counter with the drawer as counted; audited.

    Refused in words while another shift is open there or while the day is closed.
    """
    check_drawer(opening.usd_cents, opening.khr, _("opening cash"))
    when = utc(now) if now is not None else ledger.clock()
    with ledger.uow() as uow:
        user = require_role(uow, by, Role.CLERK, _("open a shift"))
        lock_counter(uow, counter_code)
        if uow.counters.is_day_closed(counter_code, day):
            raise ShiftRefused(closed_day_sentence(counter_code, day))
        refuse_if_open(uow, counter_code)
        shift = uow.shifts.add(NewShift(counter_code, day, when, user.id, opening))
        uow.audit.append(
            when,
            user.name,
            "shift_opened",
            counter=counter_code,
            day=day.isoformat(),
            shift=shift.number,
            usd_cents=opening.usd_cents,
            khr=opening.khr,
        )
        uow.commit()
    return shift


def lock_counter(uow: UnitOfWork, counter_code: str) -> None:
    """Lock the counter's row (as a sale does), or ShiftRefused for an unknown counter."""
    if not uow.counters.lock(counter_code):
        raise ShiftRefused(
            _("There is no counter {code} in this ledger (counters: {codes}).").format(
                code=counter_code, codes=", ".join(uow.counters.codes()) or _("none")
            )
        )


def refuse_if_open(uow: UnitOfWork, counter_code: str) -> None:
    """ShiftRefused while a shift is open at the counter: one drawer, one shift."""
    shift = uow.shifts.open_shift(counter_code)
    if shift is None:
        return
    raise ShiftRefused(
        _(
            "Shift {number} of {day} at counter {counter} is open (opened by {name} with "
            "{cash}): close it before opening another."
        ).format(
            number=shift.number,
            day=shift.business_date.isoformat(),
            counter=counter_code,
            name=shift.opened_by,
            cash=count_words(shift.opening),
        )
    )


def close_in(
    uow: UnitOfWork,
    shift: Shift,
    count: DrawerCount,
    *,
    counted_by: User,
    approved_by: User | None,
    now: datetime,
) -> Shift:
    """Close `shift` with the drawer as counted, in the caller's transaction (counter
    locked), with the expected cash worked out from that shift's own sales; audited."""
    check_drawer(count.usd_cents, count.khr, _("counted cash"))
    cash, sales_count, sales_cents = closing_figures(shift, uow.shifts.sales(shift))
    closed = uow.shifts.close(
        NewShiftClose(
            shift_id=shift.id,
            closed_at=now,
            counted_by=counted_by.id,
            approved_by=approved_by.id if approved_by else None,
            counted=count,
            expected_usd_cents=cash.expected_usd_cents,
            expected_khr=cash.expected_khr,
            sales_count=sales_count,
            sales_cents=sales_cents,
        )
    )
    uow.audit.append(
        now,
        counted_by.name,
        "shift_closed",
        counter=shift.counter_code,
        day=shift.business_date.isoformat(),
        shift=shift.number,
        approved_by=approved_by.name if approved_by else "",
        expected_usd_cents=cash.expected_usd_cents,
        expected_khr=cash.expected_khr,
        counted_usd_cents=count.usd_cents,
        counted_khr=count.khr,
    )
    return closed
