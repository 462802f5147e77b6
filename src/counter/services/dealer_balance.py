"""The dealer balance: read from the modem (the operator's balance code) or the API (DT
One's balances), and kept as its own appended record, so the X and Z reports can set it
beside the float the ledger expects.

A reading goes into the audit chain (action `dealer_balance_read`: operator, channel,
currency, amount; who read it and when): appended and hash-chained like every audit
entry, with no new table. It is recorded when a person asks (`counter deliveries balance`)
and whenever a channel's answer to a top-up told the balance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from counter.domain.delivery import Channel
from counter.domain.delivery_report import BALANCE_READ, BalanceReading
from counter.domain.errors import CounterError
from counter.domain.money import Money
from counter.i18n import _
from counter.services.ports import Ledger, UnitOfWork
from counter.services.ports_delivery import Courier

READ_BY = (Channel.MODEM, Channel.API)


def note_reading(
    uow: UnitOfWork, operator_id: str, channel: Channel, money: Money, at: datetime, by: str
) -> BalanceReading:
    """Append one reading in the caller's transaction."""
    uow.audit.append(
        at,
        by,
        BALANCE_READ,
        operator=operator_id,
        channel=channel.value,
        currency=money.currency.value,
        minor=money.minor,
    )
    return BalanceReading(operator_id, channel, money.currency.value, money.minor, at, by[:40])


@dataclass(frozen=True)
class ReadResult:
    """One operator's reading, or the words saying why there is none."""

    operator_id: str
    reading: BalanceReading | None = None
    problem: str = ""


def read_balances(
    ledger: Ledger, courier: Courier, *, by: str, operator_id: str | None = None
) -> list[ReadResult]:
    """Ask each modem or API operator's channel for the dealer balance, and record what it
    answered (one transaction per reading). A channel that cannot answer is said in words."""
    results: list[ReadResult] = []
    for op in ledger.rules.operators:
        channel = ledger.delivery.channel_for(op.id)
        if channel not in READ_BY or operator_id not in (None, op.id):
            continue
        try:
            money = courier.balance(channel, op.id)
        except CounterError as exc:
            results.append(ReadResult(op.id, problem=str(exc)))
            continue
        if money is None:
            results.append(ReadResult(op.id, problem=_("The channel did not tell the balance.")))
            continue
        with ledger.uow() as uow:
            reading = note_reading(uow, op.id, channel, money, ledger.clock(), by)
            uow.commit()
        results.append(ReadResult(op.id, reading))
    return results
