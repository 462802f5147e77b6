"""The composition of deliveries: `[delivery]` settings -> the plan and the channels.

`delivery_plan` gives the use cases plain values (which channel per operator, deadlines,
which operators' dealer codes take whole dollars) and refuses at start an operator id the
rules file does not know. `ChannelCourier` opens each channel on first use and follows a
request with `counter.delivery.polling` on the `Schedule` the settings give, counting
every send through the worker's `before_send` first.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from counter.domain.deliveries import DeliveryPlan
from counter.domain.delivery import Channel, DeliveryRequest, Outcome
from counter.domain.errors import SettingsError
from counter.domain.money import Money
from counter.i18n import _
from counter.services.ports_delivery import Followed

if TYPE_CHECKING:
    from counter.config_delivery import DeliverySettings
    from counter.delivery.base import DealerBalance, DeliveryChannel
    from counter.delivery.polling import Schedule
    from counter.domain.operators import RuleBook


def delivery_plan(settings: DeliverySettings, rules: RuleBook) -> DeliveryPlan:
    """The plan the use cases follow; an operator the rules do not know is refused."""
    unknown = sorted(op for op in settings.channels if rules.get(op) is None)
    if unknown:
        raise SettingsError(
            _(
                "[delivery] names {operators}, which the rules file does not know: "
                "use the operator ids of the rules file."
            ).format(operators=", ".join(unknown))
        )
    deadlines: dict[Channel, timedelta] = {}
    whole: set[str] = set()
    if settings.modem is not None:
        deadlines[Channel.MODEM] = timedelta(minutes=settings.modem.deadline_minutes)
        whole = {
            op for op, codes in settings.modem.operators.items() if codes.amount_format == "dollars"
        }
    if settings.api is not None:
        deadlines[Channel.API] = timedelta(minutes=settings.api.deadline_minutes)
    return DeliveryPlan(
        default=Channel(settings.default),
        channels={op: Channel(ch) for op, ch in settings.channels.items()},
        manual_review=timedelta(minutes=settings.manual_review_minutes),
        deadlines=deadlines,
        whole_dollars=frozenset(
            op for op in whole if settings.channel_for(op) == Channel.MODEM.value
        ),
        balance_every=(
            timedelta(minutes=settings.balance_every_minutes)
            if settings.balance_every_minutes
            else None
        ),
    )


def schedule_of(settings: DeliverySettings, channel: Channel) -> Schedule:
    from counter.delivery.polling import Schedule

    if channel is Channel.API and settings.api is not None:
        return Schedule(
            steps_seconds=tuple(float(s) for s in settings.api.poll_schedule_seconds),
            deadline=timedelta(minutes=settings.api.deadline_minutes),
        )
    if channel is Channel.MODEM and settings.modem is not None:
        return Schedule(deadline=timedelta(minutes=settings.modem.deadline_minutes))
    return Schedule()


class _Counted:
    """A channel whose every send is first recorded by the worker (`before_send`)."""

    def __init__(self, inner: DeliveryChannel, before_send: Callable[[], None]) -> None:
        self.inner = inner
        self.name = inner.name
        self.before_send = before_send

    def send(self, request: DeliveryRequest) -> Outcome:
        self.before_send()
        return self.inner.send(request)

    def look_up(self, request: DeliveryRequest) -> Outcome:
        return self.inner.look_up(request)

    def balance(self, operator_id: str | None = None) -> DealerBalance | None:
        return self.inner.balance(operator_id)

    def settle(self, request: DeliveryRequest) -> None:
        self.inner.settle(request)


class ChannelCourier:
    """The channels of `[delivery]`, opened on first use (one per kind, one modem port)."""

    def __init__(
        self,
        settings: DeliverySettings,
        *,
        channels: dict[Channel, DeliveryChannel] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        schedules: dict[Channel, Schedule] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.settings = settings
        self.clock = clock  # a request's deadline counts on it (the ledger's, in a test)
        self.channels: dict[Channel, DeliveryChannel] = dict(channels or {})
        self.sleep = sleep
        self.schedules = dict(schedules or {})
        self._lock = threading.Lock()

    def channel(self, kind: Channel) -> DeliveryChannel:
        with self._lock:
            if kind not in self.channels:
                self.channels[kind] = self._open(kind)
            return self.channels[kind]

    def _open(self, kind: Channel) -> DeliveryChannel:
        from counter.delivery import open_channel
        from counter.delivery.dtone import DtOneOptions
        from counter.delivery.modem import ModemOptions

        modem, api = self.settings.modem, self.settings.api
        return open_channel(
            kind,
            modem=ModemOptions.from_mapping(modem.model_dump()) if modem else None,
            api=DtOneOptions.from_mapping(api.model_dump()) if api else None,
        )

    def follow(
        self,
        channel: Channel,
        request: DeliveryRequest,
        *,
        sent_before: bool,
        before_send: Callable[[], None],
        keep_alive: Callable[[], None],
    ) -> Followed:
        from counter.delivery.polling import deliver, resume

        counted = _Counted(self.channel(channel), before_send)
        schedule = self.schedules.get(channel) or schedule_of(self.settings, channel)

        def pause(seconds: float) -> None:
            keep_alive()
            self.sleep(seconds)

        follow = resume if sent_before else deliver
        followed = follow(counted, request, schedule, sleep=pause, clock=self.clock)
        return Followed(followed.outcome, followed.overdue)

    def look_up(self, channel: Channel, request: DeliveryRequest) -> Outcome:
        return self.channel(channel).look_up(request)

    def lane(self, channel: Channel, operator_id: str) -> tuple[str, int]:
        """`modem:<port>` one at a time; `api` up to `[delivery.api] max_in_flight`."""
        modem, api = self.settings.modem, self.settings.api
        if channel is Channel.MODEM and modem is not None:
            codes = modem.operators.get(operator_id)
            return f"modem:{(codes.port if codes else None) or modem.port}", 1
        if channel is Channel.API and api is not None:
            return "api", api.max_in_flight
        return channel.value, 1

    def settle(self, channel: Channel, request: DeliveryRequest) -> None:
        self.channel(channel).settle(request)

    def balance(self, channel: Channel, operator_id: str) -> Money | None:
        found = self.channel(channel).balance(operator_id)
        return found.money if found is not None else None

    def close(self) -> None:
        for channel in self.channels.values():
            close = getattr(channel, "close", None)
            if close is not None:
                close()
