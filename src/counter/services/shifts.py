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
from counter.domain.dayend import CashCount, check_drawer
from counter.domain.deliveries import Refund
from counter.domain.errors import NotAllowed, ShiftRefused, closed_day_sentence
from counter.domain.records import Approval, Role, User, utc
from counter.domain.shifts import (
    MAX_REASON,
    NewShift,
    NewShiftClose,
    Shift,
    ShiftOrigin,
    ShiftStatus,
    check_reason,
    closing_figures,
    count_words,
    in_shift,
    shift_cash,
)
from counter.i18n import _
from counter.services.access import approve, require_role
from counter.services.days import check_day
from counter.services.deliveries import less_refunds, note_accepted, refuse_open_in_shift
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
        check_day(ledger, uow, day, when)  # never a day before the shop or in the future
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
    cash = less_refunds(cash, shift_refunds(uow, shift, now))
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


def shift_refunds(uow: UnitOfWork, shift: Shift, until: datetime | None = None) -> list[Refund]:
    """The refunds paid out of the drawer while the shift was open (its day, its counter)."""
    found = uow.refunds.of_day(shift.business_date, [shift.counter_code])
    return [r for r in found if in_shift(shift, r.created_at, until)]


def drawer_of(uow: UnitOfWork, shift: Shift, until: datetime | None = None) -> CashCount:
    """The shift's drawer: opening, what its sales left, less its refunds; and its count
    once closed (who counted, who approved)."""
    cash = shift_cash(shift, uow.shifts.sales(shift))
    return less_refunds(cash, shift_refunds(uow, shift, until))


def close_shift_in(
    ledger: Ledger,
    uow: UnitOfWork,
    counter_code: str,
    count: DrawerCount,
    *,
    counted_by: User,
    supervisor: Approval | None,
    now: datetime,
    accept_open_deliveries: bool = False,
) -> tuple[Shift, CashCount]:
    """Close the counter's open shift in the caller's transaction: the count recorded
    (blind: the expected cash is worked out only now), the drawer compared with it; its
    deliveries still open only if the approving supervisor accepts them as open items."""
    approver = approve(ledger, uow, supervisor, now, _approve_refused) if supervisor else None
    user = require_role(uow, counted_by, Role.CLERK, _("close a shift"))
    lock_counter(uow, counter_code)
    shift = uow.shifts.open_shift(counter_code)
    if shift is None:
        raise ShiftRefused(
            _("No shift is open at counter {counter}: there is no shift to close.").format(
                counter=counter_code
            )
        )
    waiting = refuse_open_in_shift(uow, shift, accepted=accept_open_deliveries, supervisor=approver)
    if approver is not None:
        note_accepted(uow, waiting, shift.business_date, counter_code, approver.name, now)
    closed = close_in(uow, shift, count, counted_by=user, approved_by=approver, now=now)
    return closed, drawer_of(uow, closed, now)


def _approve_refused(user: User) -> NotAllowed:
    return NotAllowed(
        _("{name} is a {role}: only a supervisor or admin can approve a count.").format(
            name=user.name, role=user.role.word
        )
    )


def shift_status(
    ledger: Ledger, counter_code: str, day: date, *, role: Role | None = None
) -> ShiftStatus:
    """The counter's shifts now. The expected cash of the open shift is left out for
    whoever counts blind (`Policy.counts_blind`; no role given: a clerk)."""
    with ledger.uow(write=False) as uow:
        current = uow.shifts.open_shift(counter_code)
        shown_day = current.business_date if current is not None else day
        shifts = tuple(uow.shifts.of_day(counter_code, shown_day))
        closed = uow.counters.is_day_closed(counter_code, shown_day)
        blind = ledger.policy.counts_blind(role or Role.CLERK)
        expected = None
        if current is not None and not blind:
            expected = drawer_of(uow, current, ledger.clock())
    return ShiftStatus(counter_code, shown_day, current, shifts, closed, expected)


def reopen_day(
    ledger: Ledger,
    day: date,
    counter_code: str,
    *,
    reason: str,
    by: Approval,
    now: datetime | None = None,
) -> Shift:
    """Reopen a closed day with a supervisor's PIN and a reason: a new shift opens with
    the drawer as last counted. Nothing is edited: the close stays, the reopening and the
    shift are their own records, and the day is closed again with a second close."""
    tidy = check_reason(reason)
    if not tidy:
        raise ShiftRefused(_("A reopening needs a reason (for example: a sale was forgotten)."))
    if len(tidy) > MAX_REASON:
        raise ShiftRefused(
            _("The reason is longer than {limit} characters: shorten it.").format(limit=MAX_REASON)
        )
    when = ledger.now(now)
    with ledger.uow() as uow:
        supervisor = approve(ledger, uow, by, when, _reopen_refused)
        lock_counter(uow, counter_code)
        last = uow.dayend.close(counter_code, day)
        if last is None or not uow.counters.is_day_closed(counter_code, day):
            raise ShiftRefused(
                _(
                    "The day {day} at counter {counter} is not closed: there is nothing to reopen."
                ).format(day=day.isoformat(), counter=counter_code)
            )
        refuse_if_open(uow, counter_code)
        if uow.shifts.later_days(counter_code, day):
            raise ShiftRefused(
                _(
                    "A later day has started at counter {counter}: only the last closed day "
                    "can be reopened, not {day}."
                ).format(counter=counter_code, day=day.isoformat())
            )
        # The drawer as the last shift left it (the day's figures add up every shift).
        closes = [s.close for s in uow.shifts.of_day(counter_code, day) if s.close is not None]
        if closes:
            opening = DrawerCount(closes[-1].counted.usd_cents, closes[-1].counted.khr)
        else:  # a day closed before shifts (ledger 0006): its one count
            opening = DrawerCount(last.counted_usd_cents, last.counted_khr)
        shift = uow.shifts.add(
            NewShift(counter_code, day, when, supervisor.id, opening, ShiftOrigin.REOPENED)
        )
        uow.shifts.add_reopen(counter_code, day, when, supervisor.id, tidy, shift.id)
        uow.dayend.reopen(counter_code, day)
        uow.audit.append(
            when,
            supervisor.name,
            "day_reopened",
            counter=counter_code,
            day=day.isoformat(),
            reason=tidy,
            shift=shift.number,
        )
        uow.commit()
    return shift


def _reopen_refused(user: User) -> NotAllowed:
    return NotAllowed(
        _("{name} is a {role}: only a supervisor or admin can reopen a day.").format(
            name=user.name, role=user.role.word
        )
    )
