"""The till: the open ledger, the clerk at the counter and the printer.

Screens call these methods and nothing else of the back end. Each one is a single
service call with its own unit of work, so it is safe in a thread worker; no rule
of the shop lives here, only which service to ask. The services are imported on
first use, so the login screen is up before SQLAlchemy and ReportLab are loaded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from counter.config import Settings
from counter.domain.money import Money
from counter.domain.operators import RuleBook
from counter.domain.records import OperatorTotal, Sale, ShopInfo, User, Void
from counter.i18n import _

if TYPE_CHECKING:
    from pathlib import Path

    from counter.printing.printers import Printer, PrintResult
    from counter.reporting.summary import DaySummary
    from counter.services.dayend import DayClose, XReport
    from counter.services.ledger import Ledger

Clock = Callable[[], datetime]


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
    """What the screens ask of the ledger and the printer, one service call per method."""

    def __init__(
        self, settings: Settings, *, clock: Clock | None = None, printer: Printer | None = None
    ) -> None:
        self.settings = settings
        self.clock: Clock = clock or (lambda: datetime.now(settings.zone))
        self.clerk: User | None = None
        self.opening_float_due = False  # set at each login: the day's first asks the drawer
        self._ledger: Ledger | None = None
        self._printer: Printer | None = printer
        self._lock = threading.Lock()
        self._rules: RuleBook | None = None
        self._shop: ShopInfo | None = None

    # -- the shop -----------------------------------------------------------------------

    def today(self) -> date:
        return self.clock().date()

    @property
    def rules(self) -> RuleBook:
        if self._ledger is not None:
            return self._ledger.rules
        if self._rules is None:
            from counter.rules import load_rules  # pydantic models: not needed to show login

            self._rules = load_rules(self.settings.rules_file)
        return self._rules

    def surely_new(self) -> bool:
        """No ledger file at all: first run, known without loading the database layer.

        Anything else (a file, a server) is checked by opening the ledger in a worker.
        """
        return self.settings.database_url is None and not self.settings.ledger_path.exists()

    def set_up(self, setup: ShopSetup) -> None:
        from counter.services import init_shop

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
            self._ledger = ledger

    @property
    def ledger(self) -> Ledger:
        """The ledger, opened on first use (from any thread, once)."""
        with self._lock:
            if self._ledger is None:
                from counter.services import open_ledger

                self._ledger = open_ledger(self.settings)
            return self._ledger

    @property
    def is_open(self) -> bool:
        return self._ledger is not None

    def shop(self, *, fresh: bool = False) -> ShopInfo:
        """The shop as this counter sees it; read again after each login (the rate may change)."""
        if fresh or self._shop is None:
            self._shop = self.ledger.shop()
        return self._shop

    # -- people -------------------------------------------------------------------------

    def login(self, name: str, pin: str) -> User:
        from counter.services import authenticate

        clerk = authenticate(self.ledger, name, pin)
        self.shop(fresh=True)
        self.opening_float_due = self.opening_float_needed()
        return clerk

    def set_language(self, language: str) -> User:
        """The clerk's own language on screen, kept for their next login."""
        from counter.services.users import set_user_language

        clerk = self._clerk()
        return set_user_language(self.ledger, clerk.name, language, by=clerk)

    def set_theme(self, theme: str) -> User:
        """The clerk's own theme (`default`, `light`, `contrast`), kept for their next login."""
        from counter.services.users import set_user_theme

        clerk = self._clerk()
        return set_user_theme(self.ledger, clerk.name, theme, by=clerk)

    def _clerk(self) -> User:
        if self.clerk is None:
            from counter.services import AuthError

            raise AuthError(_("Nobody is logged in at this counter: log in again."))
        return self.clerk

    # -- sales --------------------------------------------------------------------------

    def sell(
        self,
        number: str,
        amount: Money,
        *,
        paid: Money | None,
        key: str,
        allow_duplicate: bool = False,
    ) -> Sale:
        from counter.services import sell

        return sell(
            self.ledger,
            self._clerk(),
            number,
            amount,
            paid=paid,
            idempotency_key=key,
            allow_duplicate=allow_duplicate,
            now=self.clock(),
        )

    def void(self, receipt_no: str, *, reason: str, supervisor: str, pin: str) -> Void:
        from counter.services import void_sale

        return void_sale(
            self.ledger,
            receipt_no,
            reason=reason,
            requested_by=self._clerk(),
            supervisor_name=supervisor,
            supervisor_pin=pin,
            now=self.clock(),
        )

    def sales_for_day(self, day: date, *, limit: int, offset: int = 0) -> list[Sale]:
        from counter.services import sales_for_day

        code = self.ledger.counter_code
        return sales_for_day(self.ledger, day, code, limit=limit, offset=offset)

    def search(
        self, text: str, *, day: date | None, operator: str | None, limit: int, offset: int
    ) -> list[Sale]:
        from counter.services import search_sales

        return search_sales(
            self.ledger, text, day=day, operator=operator, limit=limit, offset=offset
        )

    def number_history(self, msisdn: str) -> list[Sale]:
        from counter.services import number_history

        return number_history(self.ledger, msisdn, limit=5)

    def day_totals(self, day: date) -> list[OperatorTotal]:
        from counter.services import day_totals

        return day_totals(self.ledger, day, self.ledger.counter_code)

    def last_sale(self) -> Sale | None:
        from counter.services import last_sale

        return last_sale(self.ledger)

    # -- receipts -----------------------------------------------------------------------

    @property
    def printer(self) -> Printer:
        with self._lock:
            if self._printer is None:
                from counter.printing.printers import make_printer

                self._printer = make_printer(self.settings)
            return self._printer

    def print_receipt(self, sale: Sale, *, copy: bool = False) -> PrintResult:
        from counter.services.receipts import print_sale

        return print_sale(
            self.ledger,
            self.printer,
            sale,
            copy=copy,
            now=self.clock() if copy else None,
            by=self.clerk,
        )

    def pending_receipts(self) -> list[Sale]:
        from counter.services.receipts import pending_receipts

        return pending_receipts(self.ledger)

    def retry_printing(self) -> list[PrintResult]:
        from counter.services.receipts import retry_pending

        return retry_pending(self.ledger, self.printer)

    # -- day end ------------------------------------------------------------------------

    @property
    def counter_code(self) -> str:
        return self.ledger.counter_code

    def opening_float_needed(self) -> bool:
        from counter.services import opening_float_needed

        return opening_float_needed(self.ledger, self.today(), self.counter_code)

    def record_opening_float(self, usd_cents: int, khr: int) -> None:
        from counter.services import record_opening_float

        record_opening_float(
            self.ledger,
            self.today(),
            self.counter_code,
            usd_cents,
            khr,
            by=self._clerk(),
            now=self.clock(),
        )
        self.opening_float_due = False

    def x_report(self, day: date) -> XReport:
        """The figures of `day` at this counter so far, with the cash expected."""
        from counter.services import x_report

        return x_report(
            self.ledger, day, self.counter_code, printed_by=self._clerk(), now=self.clock()
        )

    def day_report(self, day: date, *, all_counters: bool) -> DaySummary:
        from counter.services import day_report

        counter = None if all_counters else self.counter_code
        return day_report(self.ledger, day, counter, printed_by=self._clerk(), now=self.clock())

    def write_x_report(self, day: date) -> Path:
        from counter.services import write_x_report

        return write_x_report(
            self.ledger, day, self.counter_code, printed_by=self._clerk(), now=self.clock()
        )[1]

    def write_report(self, day: date, fmt: str, *, all_counters: bool) -> list[Path]:
        from counter.services import write_report

        counter = None if all_counters else self.counter_code
        return write_report(
            self.ledger, day, counter, fmt, printed_by=self._clerk(), now=self.clock()
        )

    def close_day(
        self, day: date, *, counted_usd_cents: int, counted_khr: int, supervisor: str, pin: str
    ) -> DayClose:
        from counter.services import close_day

        return close_day(
            self.ledger,
            day,
            self.counter_code,
            counted_usd_cents=counted_usd_cents,
            counted_khr=counted_khr,
            supervisor_name=supervisor,
            supervisor_pin=pin,
            by=self._clerk(),
            now=self.clock(),
        )

    def restock(self, operator_id: str, cents: int, *, ref: str, supervisor: str, pin: str) -> int:
        """A restock confirmed by a supervisor's (or admin's) name and PIN; the new balance."""
        from counter.services import authenticate, restock

        approver = authenticate(self.ledger, supervisor, pin)
        return restock(self.ledger, operator_id, cents, ref=ref, by=approver, now=self.clock())

    def operator_balances(self) -> list[tuple[str, int]]:
        from counter.services import operator_balances

        return operator_balances(self.ledger)

    def float_warning(self, operator_id: str) -> str | None:
        from counter.services import float_warning

        return float_warning(self.ledger, operator_id)
