"""The dealer balance: read from the modem (the operator's balance code) or the API (DT
One's balances), and kept as its own appended record, so the X and Z reports can set it
beside the float the ledger had at that moment.

A reading goes into the audit chain (action `dealer_balance_read`: operator, channel,
currency, amount, and the ledger's float for that operator in the same transaction; who
read it and when): appended and hash-chained like every audit entry, with no new table.
It is recorded when a person asks (`counter deliveries balance`), whenever a channel's
answer to a top-up told the balance, and on the schedule of `[delivery]
balance_every_minutes` by the delivery worker (`read_due`). A scheduled reading that
fails is kept too (`dealer_balance_unread`, with the sentence), so the schedule waits its
interval instead of asking a silent modem on every sweep, and a supervisor sees it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from counter.domain.delivery import Channel
from counter.domain.delivery_report import BALANCE_READ, BalanceReading
from counter.domain.errors import CounterError
from counter.domain.money import Money
from counter.domain.records import utc
from counter.i18n import _
from counter.services.ports import Ledger, UnitOfWork
from counter.services.ports_delivery import Courier

READ_BY = (Channel.MODEM, Channel.API)
BALANCE_UNREAD = "dealer_balance_unread"  # a scheduled reading that got no balance
SCHEDULED_BY = "worker:balance"


def note_reading(
    uow: UnitOfWork, operator_id: str, channel: Channel, money: Money, at: datetime, by: str
) -> BalanceReading:
    """Append one reading in the caller's transaction, with the ledger's float beside it."""
    float_cents = uow.floats.balance(operator_id)
    uow.audit.append(
        at,
        by,
        BALANCE_READ,
        operator=operator_id,
        channel=channel.value,
        currency=money.currency.value,
        minor=money.minor,
        float_cents=float_cents,
    )
    return BalanceReading(
        operator_id, channel, money.currency.value, money.minor, at, by[:40], float_cents
    )


@dataclass(frozen=True)
class ReadResult:
    """One operator's reading, or the words saying why there is none."""

    operator_id: str
    reading: BalanceReading | None = None
    problem: str = ""


def read_balances(
    ledger: Ledger,
    courier: Courier,
    *,
    by: str,
    operator_id: str | None = None,
    keep_problems: bool = False,
) -> list[ReadResult]:
    """Ask each modem or API operator's channel for the dealer balance, and record what it
    answered (one transaction per reading). A channel that cannot answer is said in words
    (and kept as its own record with `keep_problems`, as the schedule does)."""
    results: list[ReadResult] = []
    for op in ledger.rules.operators:
        channel = ledger.delivery.channel_for(op.id)
        if channel not in READ_BY or operator_id not in (None, op.id):
            continue
        result = _read_one(ledger, courier, op.id, channel, by)
        if result.reading is None and keep_problems:
            with ledger.uow() as uow:
                uow.audit.append(
                    ledger.clock(),
                    by,
                    BALANCE_UNREAD,
                    operator=op.id,
                    channel=channel.value,
                    problem=result.problem,
                )
                uow.commit()
        results.append(result)
    return results


def _read_one(
    ledger: Ledger, courier: Courier, operator_id: str, channel: Channel, by: str
) -> ReadResult:
    try:
        money = courier.balance(channel, operator_id)
    except CounterError as exc:
        return ReadResult(operator_id, problem=str(exc))
    if money is None:
        return ReadResult(operator_id, problem=_("The channel did not tell the balance."))
    with ledger.uow() as uow:
        reading = note_reading(uow, operator_id, channel, money, ledger.clock(), by)
        uow.commit()
    return ReadResult(operator_id, reading)


def last_tries(uow: UnitOfWork) -> dict[str, datetime]:
    """When each operator's balance was last read or tried (UTC), from the ledger."""
    latest: dict[str, datetime] = {}
    for action in (BALANCE_READ, BALANCE_UNREAD):
        for entry in uow.audit.entries(action=action, limit=500):  # newest first
            try:
                operator = str(json.loads(entry.detail)["operator"])
            except (ValueError, KeyError, TypeError):
                continue
            at = utc(entry.at)
            if operator not in latest or at > latest[operator]:
                latest[operator] = at
    return latest


def balances_due(ledger: Ledger) -> list[str]:
    """The modem and API operators whose balance was not read or tried for
    `[delivery] balance_every_minutes`, in the rules' order; none when the schedule is off.
    Kept in the ledger, so every process and every new worker agrees on it."""
    every = ledger.delivery.balance_every
    if every is None:
        return []
    wanted = [
        op.id for op in ledger.rules.operators if ledger.delivery.channel_for(op.id) in READ_BY
    ]
    if not wanted:
        return []
    now = ledger.now()
    with ledger.uow(write=False) as uow:
        tried = last_tries(uow)
    return [op for op in wanted if op not in tried or now - tried[op] >= every]


def read_due(ledger: Ledger, courier: Courier) -> list[ReadResult]:
    """The scheduled readings that are due, each recorded (or its failure kept)."""
    results: list[ReadResult] = []
    for operator_id in balances_due(ledger):
        results += read_balances(
            ledger, courier, by=SCHEDULED_BY, operator_id=operator_id, keep_problems=True
        )
    return results
