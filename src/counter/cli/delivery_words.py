"""What `counter sell` says of the sale's delivery (kept apart from `counter deliveries`,
so `counter sell` does not register that command group)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from counter.domain.text import shown
from counter.i18n import _

if TYPE_CHECKING:
    from counter.domain.records import Sale
    from counter.services.ports import Ledger


def delivery_state(opened: Ledger, sale: Sale) -> dict[str, str | None]:
    """`{"state": "pending", "ref": None, "reference": "K7Q2X9-A-000042", "channel": ...}`."""
    from counter.services.deliveries import delivery_of

    delivery = delivery_of(opened, sale.receipt_no)
    return {
        "state": delivery.state.value,
        "ref": shown(delivery.provider_ref) if delivery.provider_ref else None,
        "reference": delivery.reference,
        "channel": delivery.channel.value,
    }


def delivery_sentence(delivery: dict[str, str | None]) -> str:
    if delivery["state"] == "delivered":
        return _("Delivery: delivered ({channel}).").format(channel=delivery["channel"])
    return _(
        "Delivery: {state} by {channel}; `counter deliveries send` sends it, "
        "`counter deliveries confirm` or `fail` records it."
    ).format(state=delivery["state"], channel=delivery["channel"])
