"""The customer's display as the sale screen drives it (docs/customer-display.md).

One per app, made by the till when `customer_display` is set (off by default): the
number as typed with its operator, the amount and the validity; at KHQR the code and the
amount; after the sale "Thank you" and the receipt number (the server goes idle by itself
a few seconds later); the shop's name otherwise. Nothing else of any sale is shown.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from counter.domain.display import DisplayState, Stage, parse_display_address
from counter.domain.errors import CounterError
from counter.domain.money import Money

if TYPE_CHECKING:
    from counter.domain.operators import Operator
    from counter.web.display import CustomerDisplay

log = logging.getLogger(__name__)


class DisplayDriver:
    """Keeps the sale's last state and shows each change; cheap, from any thread."""

    def __init__(
        self, address: str, shop_name: str, clock: Callable[[], datetime] | None = None
    ) -> None:
        self.address = parse_display_address(address)
        self.clock = clock  # the till's: a code's countdown and expiry on the same time
        self.shop_name = shop_name
        self._state = DisplayState.idle(shop_name)
        self._display: CustomerDisplay | None = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        display = self._display
        return (display.address if display else self.address).url

    def start(self) -> None:
        """Listen (in a worker: the server library loads); a failure is logged in words."""
        from counter.web.display import CustomerDisplay

        extra = {"clock": self.clock} if self.clock else {}
        display = CustomerDisplay(self.address, self._state, **extra)  # type: ignore[arg-type]
        try:
            display.start()
        except CounterError as exc:
            log.warning("customer display not started: %s", exc.message)
            return
        with self._lock:
            self._display = display
            display.show(self._state)

    def _show(self, state: DisplayState) -> None:
        with self._lock:
            self._state = state
            display = self._display
        if display is not None:
            display.show(state)

    def typing(
        self,
        national: str,
        operator: Operator | None,
        amount: Money | None,
        validity_days: int | None,
    ) -> None:
        """The form as typed; an empty form is the idle display, except just after a sale
        (the form clears while "Thank you" is shown: the server ends it by itself)."""
        if not national and amount is None:
            if self._state.stage is not Stage.THANKS:
                self._show(DisplayState.idle(self.shop_name))
            return
        try:
            state = DisplayState.typing(
                self.shop_name,
                national=national,
                operator=operator,
                amount=amount if amount is None or amount.minor > 0 else None,
                validity_days=validity_days,
            )
        except ValueError:  # something the display does not show (a foreign number)
            state = DisplayState.idle(self.shop_name)
        self._show(state)

    def khqr(self, payload: str, amount: Money, expires_at: datetime) -> None:
        state = self._state
        if state.stage in (Stage.TYPING, Stage.KHQR):
            self._show(state.paying_by_khqr(payload, amount, expires_at))

    def back_to_sale(self) -> None:
        """The KHQR code is gone (cancelled, expired): the sale as typed again."""
        state = self._state
        if state.stage is Stage.KHQR:
            self._show(
                DisplayState(
                    self.shop_name,
                    Stage.TYPING,
                    number=state.number,
                    operator=state.operator,
                    amount=state.amount,
                    validity_days=state.validity_days,
                )
            )

    def thanks(self, receipt_no: str) -> None:
        self._show(DisplayState.thanks(self.shop_name, receipt_no))

    def idle(self) -> None:
        self._show(DisplayState.idle(self.shop_name))

    def stop(self) -> None:
        with self._lock:
            display, self._display = self._display, None
        if display is not None:
            display.stop()
