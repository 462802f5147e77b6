"""The day-end rules that `sell` and `void_sale` check inside their transaction.

Kept apart from `dayend` (which imports `sales`) so `sales` can use them without a cycle.

Closed day: a sale whose business day is closed at its counter is REFUSED, never moved to
the next day. The Z report has counted the drawer; a sale recorded into that day afterwards
would be cash the count never saw, and a sale moved to tomorrow would carry a business date
that does not match its own time (and tomorrow's opening float would count its cash
twice). So a day is closed when the counter stops selling, and the next sale waits for the
next business day (midnight in the shop's zone).

Operator float: `float_policy` "off" (default) keeps the balances but neither warns nor
refuses; "warn" warns below `low_float_cents`; "refuse" also refuses a sale larger than
the operator's balance.
"""

from __future__ import annotations

from datetime import date, timedelta

from counter.config import Settings
from counter.i18n import _, format_usd_for
from counter.services.uow import UnitOfWork


def closed_day_sentence(counter_code: str, day: date) -> str:
    return _(
        "The day {day} at counter {counter} is closed (its Z report is done): "
        "no more sales are recorded for it. Sales start again at midnight, on {next_day}."
    ).format(
        day=day.isoformat(), counter=counter_code, next_day=(day + timedelta(days=1)).isoformat()
    )


def closed_day_refusal(uow: UnitOfWork, counter_code: str, day: date) -> str | None:
    if uow.counters.is_day_closed(counter_code, day):
        return closed_day_sentence(counter_code, day)
    return None


def float_refusal(
    settings: Settings, uow: UnitOfWork, operator_id: str, name: str, cents: int
) -> str | None:
    """Under the "refuse" policy, a sentence when `cents` is more than the operator's balance.

    Locks the operator's balance row, so two counters cannot both spend the last dollars.
    """
    if settings.float_policy != "refuse":
        return None
    balance = uow.floats.lock(operator_id)
    if cents <= balance:
        return None
    left = format_usd_for(balance) if balance > 0 else _("nothing")
    return _(
        "{operator} airtime stock has {left} left, less than {amount}: "
        "record a restock (`counter restock {operator_id} AMOUNT`) or sell a smaller amount."
    ).format(operator=name, left=left, amount=format_usd_for(cents), operator_id=operator_id)


def float_warning_text(settings: Settings, name: str, balance_cents: int) -> str | None:
    if settings.float_policy == "off" or balance_cents >= settings.low_float_cents:
        return None
    return _(
        "{operator} airtime stock is low: {left} left (warning below {limit}). Restock soon."
    ).format(
        operator=name,
        left=format_usd_for(balance_cents),
        limit=format_usd_for(settings.low_float_cents),
    )
