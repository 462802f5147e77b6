"""Delivery channels: how a sold top-up reaches the customer's phone.

Each channel implements `DeliveryChannel` (`send`, `look_up`, `balance`, `settle`) and
speaks only domain records (`counter.domain.delivery`): `assumed` and `manual` send
nothing, `modem` drives a GSM modem holding the dealer SIM, `api` is DT One's DVS API.
This package imports `counter.domain`, `counter.i18n`, pyserial and httpx, never the
settings, the ledger or a front end: the composition root hands it plain options.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from counter.delivery.base import AssumedChannel, DealerBalance, DeliveryChannel, ManualChannel
from counter.domain.delivery import Channel, ChannelError
from counter.i18n import _

if TYPE_CHECKING:
    from counter.delivery.dtone import DtOneOptions
    from counter.delivery.modem import ModemOptions


def open_channel(
    kind: Channel | str,
    *,
    modem: ModemOptions | None = None,
    api: DtOneOptions | None = None,
) -> DeliveryChannel:
    """The channel of `kind`, built from plain options (the modem's and the API's)."""
    kind = Channel(kind)
    if kind is Channel.ASSUMED:
        return AssumedChannel()
    if kind is Channel.MANUAL:
        return ManualChannel()
    if kind is Channel.MODEM:
        if modem is None:
            raise ChannelError(_("The modem channel is chosen, but the modem is not set up."))
        from counter.delivery.modem import ModemChannel

        return ModemChannel(modem)
    if api is None:
        raise ChannelError(_("The api channel is chosen, but the aggregator is not set up."))
    from counter.delivery.dtone import DtOneChannel

    return DtOneChannel(api)


__all__ = [
    "AssumedChannel",
    "DealerBalance",
    "DeliveryChannel",
    "ManualChannel",
    "open_channel",
]
