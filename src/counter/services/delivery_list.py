"""The deliveries listed for a person: customers' numbers masked, or whole with a
supervisor's PIN (audited like an export).

A clerk matches a customer by `012 *** 678`; the whole number leaves the ledger only
for a supervisor or admin, recorded as `deliveries_listed`. (The screen's manual
delivery shows the whole number: dialling it is the clerk's task there.)
"""

from __future__ import annotations

from dataclasses import replace

from counter.domain.deliveries import Delivery
from counter.domain.delivery import DeliveryState
from counter.domain.phone import masked
from counter.domain.records import Approval, User
from counter.services.deliveries import deliveries
from counter.services.disclosure import allow_numbers
from counter.services.ports import Ledger

NUMBERS_LISTED = "deliveries_listed"


def listed_deliveries(
    ledger: Ledger,
    *,
    states: tuple[DeliveryState, ...] | None = None,
    by: User | Approval | None = None,
) -> list[Delivery]:
    """Deliveries oldest first (every counter): numbers masked unless `by` is a supervisor
    or admin (PIN checked, the listing audited); a clerk named is refused in words."""
    if by is None:
        return [hide_number(d) for d in deliveries(ledger, states=states)]
    allow_numbers(ledger, by, NUMBERS_LISTED, states=[s.value for s in states] if states else "all")
    return deliveries(ledger, states=states)


def hide_number(delivery: Delivery) -> Delivery:
    """The delivery with its customer's number masked, for a line anyone may see."""
    return replace(delivery, msisdn=masked(delivery.msisdn))
