"""The till: what every screen shares. The ledger (opened on first use), the printer, the
shop's policy, who is logged in, and the clock.

Screens call the use cases (`counter.services`) with `till.ledger` themselves, in thread
workers; nothing here is a rule of the shop. The ledger and the printer are built by
`counter.bootstrap` on first use, so the login screen is up before SQLAlchemy and
ReportLab are loaded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from counter.domain.errors import AuthError
from counter.i18n import _
from counter.settings_source import ScreenStart

# Types only: the login screen is drawn before the domain's records and rules load.
if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from counter.config import Settings
    from counter.domain.operators import RuleBook
    from counter.domain.policy import Policy
    from counter.domain.records import ShopInfo, User
    from counter.services.ports import Ledger, Printer
    from counter.services.ports_delivery import Courier
    from counter.services.ports_khqr import BankLink, CodeMaker

Clock = Callable[[], datetime]  # an aware "now"; the screen shows it in the shop's zone


def utc_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ShopSetup:
    """What the first-run screen asks for."""

    shop_name: str
    counter_code: str
    admin_name: str
    admin_pin: str
    riel_per_usd: int
    address: str = ""


class Till:
    """The screens' shared state: one per app, safe to read from thread workers.

    Made with the validated `Settings`, or with only the screen's first settings
    (`ScreenStart`) while `Settings` are validated in a worker (`provide` hands them over;
    until then `settings` waits for them)."""

    def __init__(
        self,
        settings: Settings | None,
        *,
        start: ScreenStart | None = None,
        clock: Clock | None = None,
        printer: Printer | None = None,
    ) -> None:
        if start is None:
            assert settings is not None, "a Till needs the settings or the screen's first ones"
            start = settings.screen_start()
        self.start = start
        self._settings = settings
        self._settings_ready = threading.Event()
        self._settings_error: BaseException | None = None
        if settings is not None:
            self._settings_ready.set()
        self.clock: Clock = clock or utc_clock
        self.clerk: User | None = None
        self.opening_cash_due = False  # set at each login: the day's first asks the drawer
        self._ledger: Ledger | None = None
        self._printer = printer
        self._courier: Courier | None = None
        self._khqr: Any = None  # counter.khqr_link.KhqrLink, made on first use
        self._display: Any = None  # ui.customer_display.DisplayDriver, when it is on
        self._lock = threading.Lock()
        self._rules: RuleBook | None = None
        self._policy: Policy | None = None
        self._shop: ShopInfo | None = None

    def provide(self, settings: Settings | None, error: BaseException | None = None) -> None:
        """The validated settings (or why they could not be): `settings` stops waiting."""
        self._settings, self._settings_error = settings, error
        self._settings_ready.set()

    @property
    def has_settings(self) -> bool:
        return self._settings_ready.is_set()

    @property
    def settings(self) -> Settings:
        """The validated settings; in a worker, waits until they are read."""
        self._settings_ready.wait(timeout=30)
        if self._settings is None:
            raise self._settings_error or RuntimeError("settings not read")
        return self._settings

    @property
    def zone(self) -> ZoneInfo:
        return self.settings.zone

    def now(self) -> datetime:
        """Now, in UTC (what the ledger records)."""
        return self.clock().astimezone(UTC)

    def today(self) -> date:
        """The shop's business day now."""
        return self.clock().astimezone(self.zone).date()

    @property
    def rules(self) -> RuleBook:
        if self._ledger is not None:
            return self._ledger.rules
        if self._rules is None:
            from counter.bootstrap import rules_of  # pydantic models: not needed to show login

            self._rules = rules_of(self.settings)
        return self._rules

    @property
    def policy(self) -> Policy:
        if self._policy is None:
            from counter.bootstrap import policy_of

            self._policy = policy_of(self.settings)
        return self._policy

    def surely_new(self) -> bool:
        """No ledger file at all: first run, known without loading the database layer.

        Anything else (a file, a server) is checked by opening the ledger in a worker.
        """
        return self.start.surely_new

    def set_up(self, setup: ShopSetup) -> None:
        from counter.bootstrap import init_shop

        ledger = init_shop(
            self.settings,
            shop_name=setup.shop_name,
            counter_code=setup.counter_code,
            admin_name=setup.admin_name,
            admin_pin=setup.admin_pin,
            riel_per_usd=setup.riel_per_usd,
            address=setup.address,
        )
        with self._lock:
            self._ledger = replace(ledger, clock=self.now)

    @property
    def ledger(self) -> Ledger:
        """The ledger, opened on first use (from any thread, once), on the till's clock."""
        with self._lock:
            if self._ledger is None:
                from counter.bootstrap import open_ledger

                self._ledger = replace(open_ledger(self.settings), clock=self.now)
            return self._ledger

    @property
    def counter_code(self) -> str:
        return self.ledger.counter_code

    def shop(self, *, fresh: bool = False) -> ShopInfo:
        """The shop as this counter sees it; read again after each login (the rate may change)."""
        if fresh or self._shop is None:
            from counter.services.setup import shop

            self._shop = shop(self.ledger)
        return self._shop

    @property
    def printer(self) -> Printer:
        with self._lock:
            if self._printer is None:
                from counter.bootstrap import make_printer

                self._printer = make_printer(self.settings)
            return self._printer

    @property
    def courier(self) -> Courier:
        """The delivery channels of `[delivery]`, opened on first use (the worker's)."""
        with self._lock:
            if self._courier is None:
                from counter.couriers import ChannelCourier

                self._courier = ChannelCourier(self.settings.delivery)
            return self._courier

    @property
    def khqr(self) -> BankLink:
        """Bakong for `[khqr]` (codes checked by MD5), opened on first use."""
        return self._khqr_link()

    @property
    def make_code(self) -> CodeMaker:
        """The shop's dynamic KHQR maker, fitted to the screen."""
        return self._khqr_link().make_code

    def _khqr_link(self) -> Any:
        code = self.counter_code  # opens the ledger (under the same lock) first
        with self._lock:
            if self._khqr is None:
                from counter.khqr_link import KhqrLink

                self._khqr = KhqrLink(self.settings.khqr, code, clock=self.now)
            return self._khqr

    @property
    def display(self) -> Any:
        """The customer's display (`customer_display`), or None when it is off."""
        address = self.settings.customer_display
        if address is None:
            return None
        if self._display is None:
            from counter.ui.customer_display import DisplayDriver

            self._display = DisplayDriver(address, self.shop().name, self.now)
        return self._display

    def clerk_now(self) -> User:
        """Who is logged in, or AuthError when nobody is (the screen locked meanwhile)."""
        if self.clerk is None:
            raise AuthError(_("Nobody is logged in at this counter: log in again."))
        return self.clerk

    def login(self, name: str, pin: str) -> User:
        """Log in; the shop is read again and whether the drawer must be counted first."""
        from counter.services.queries import opening_cash_needed
        from counter.services.users import authenticate

        clerk = authenticate(self.ledger, name, pin)
        self.shop(fresh=True)
        self.opening_cash_due = opening_cash_needed(self.ledger, self.today(), self.counter_code)
        return clerk

    def close(self) -> None:
        if self._display is not None:
            self._display.stop()
        if self._ledger is not None:
            self._ledger.close()
