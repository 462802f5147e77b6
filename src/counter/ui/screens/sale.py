"""The sale screen: number, amount, confirm, sold. What the clerk sees all day.

Key contract (tests rely on it): `<number> Enter <amount> Enter Enter` sells with the exact amount
paid, unless the duplicate or large-amount check asks first. The keys may come as one burst: the App
hands them on in order (`counter.ui.key_path`), and while the sale is being recorded the screen
holds them, so the keys typed meanwhile go to the next sale's form.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from counter import services
from counter.domain.dayend import OperatorTotal
from counter.domain.errors import AmountError, DuplicateSale, RateChanged, SaleRefused
from counter.domain.money import Money
from counter.domain.receipt import PrintResult
from counter.domain.records import Sale
from counter.domain.topup import check_topup
from counter.i18n import _
from counter.ui.advice import advice
from counter.ui.draft import Payment, SaleDraft
from counter.ui.errors import WorkerErrorsToApp
from counter.ui.key_path import hold_keys, release_keys
from counter.ui.keys import key_for, keymap_of
from counter.ui.lang import N_
from counter.ui.modals.confirm_sale import ConfirmSaleScreen
from counter.ui.modals.duplicate import DuplicateScreen
from counter.ui.modals.retype_last4 import RetypeLast4Screen
from counter.ui.money_text import read_money
from counter.ui.screens.sale_clear import ClearWithUndo
from counter.ui.screens.sale_deliveries import SaleDeliveries
from counter.ui.screens.sale_khqr import SaleDisplay, SaleKhqr
from counter.ui.show import change_words, day_text, role_and_name, sold_line
from counter.ui.till import Till
from counter.ui.widgets.amount_field import QUICK_KEYS, AmountField
from counter.ui.widgets.deliveries_line import DeliveriesLine
from counter.ui.widgets.float_warning import FloatWarningLine
from counter.ui.widgets.footer import CounterFooter
from counter.ui.widgets.number_field import NumberField
from counter.ui.widgets.number_history import NumberHistory
from counter.ui.widgets.operator_totals import OperatorTotals
from counter.ui.widgets.print_queue import PrintQueueLine
from counter.ui.widgets.shift_banner import ShiftBanner
from counter.ui.widgets.status_line import StatusLine
from counter.ui.widgets.today_sales import TodaySales
from counter.ui.work import in_thread

TODAY_ROWS = 50
SELLING = "sale"  # what holds the keys while a sale is being recorded


class SaleScreen(
    SaleKhqr, SaleDisplay, ClearWithUndo, SaleDeliveries, Screen[None], WorkerErrorsToApp
):
    CSS_PATH = "sale.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(
                key,
                f"quick({index})",
                N_("Quick amount"),
                id=f"quick-amount-{index + 1}",
                show=False,
            )
            for index, key in enumerate(QUICK_KEYS)
        ),
        Binding("f8", "history", N_("History"), id="history"),
        Binding("f9", "reprint_last", N_("Reprint last"), id="reprint-last"),
        Binding("f10", "reports", N_("Reports"), id="reports"),
        Binding("f12", "retry_printing", N_("Retry printing"), id="retry-printing", show=False),
        Binding("ctrl+o", "deliveries", N_("Deliveries"), id="deliveries", show=False),
        Binding("escape", "clear_form", N_("Clear"), id="clear-form"),
        Binding("ctrl+z", "undo_clear", N_("Undo clear"), id="undo-clear"),
    ]

    @dataclass
    class Recorded(Message):
        sale: Sale
        payment: Payment

    @dataclass
    class Duplicate(Message):
        draft: SaleDraft
        payment: Payment
        message: str
        seconds_ago: int

    @dataclass
    class Refused(Message):
        errors: tuple[str, ...]

    @dataclass
    class TodayLoaded(Message):
        sales: list[Sale]
        totals: Sequence[OperatorTotal]

    @dataclass
    class NumberHistoryLoaded(Message):
        msisdn: str
        sales: list[Sale]

    @dataclass
    class Printed(Message):
        sale: Sale
        result: PrintResult
        copy: bool

    def __init__(self, till: Till) -> None:
        super().__init__()
        self.till = till
        self.shop = till.shop()
        self._selling = False
        self._reviewing = False  # a confirmation is open: a second Enter must not open another
        self._status_receipt: str | None = None
        self._last_sale: Sale | None = None

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        rules, zone = self.till.rules, self.till.zone
        yield Static("", id="shop-bar", classes="shop-bar")
        with Horizontal(id="sale-body"):
            with Vertical(id="sale-left"):
                with Vertical(id="sale-form", classes="panel") as form:
                    form.border_title = _("New top-up")
                    yield NumberField(rules, id="number-field")
                    yield AmountField(
                        self.shop.riel_per_usd, on_enter=self.action_review, id="amount-field"
                    )
                yield NumberHistory(zone, id="number-history")
            with Vertical(id="sale-side"):
                yield TodaySales(rules, zone, id="today-sales")
                yield OperatorTotals(rules, id="operator-totals")
        yield ShiftBanner(self.till, id="shift-banner")  # no open shift: said before typing
        yield FloatWarningLine(self.till, self._restock_keys, id="float-warning")
        yield PrintQueueLine(self.till, lambda: self._key("retry-printing"), id="print-queue")
        yield DeliveriesLine(self.till, lambda: self._key("deliveries"), id="deliveries-line")
        yield self.khqr_line()  # late KHQR payments; the KHQR worker's pass meanwhile
        yield StatusLine(self._ready_text(help_key=True), id="status", classes="status")
        yield CounterFooter()

    def on_mount(self) -> None:
        self._show_shop_bar()
        self.number_field.input.focus()
        self.refresh_today()

    def _key(self, binding_id: str) -> str:
        """The key in force for one of this screen's (or the app's) actions."""
        from counter.ui.app import CounterApp

        node = CounterApp if binding_id in ("help", "lock", "quit") else SaleScreen
        return key_for(binding_id, keymap_of(self.app), node)

    def _ready_text(self, *, help_key: bool = False) -> str:
        if help_key:
            return _("Type the number, Enter, the amount, Enter. {key} shows every key.").format(
                key=self._key("help")
            )
        return _("Type the number, Enter, the amount, Enter.")

    async def language_changed(self) -> None:
        """The clerk chose another language: the same screen rebuilt, the form kept."""
        number, amount = self.number_field.value, self.amount_field.value
        focused = self.focused.id if self.focused is not None else None
        operator = self._float_operator
        await self.recompose()
        self.number_field.input.value = number
        self.amount_field.input.value = amount
        self._show_shop_bar()
        self.refresh_today()
        self._check_float(operator)
        target = self.amount_field.input if focused == "amount" else self.number_field.input
        target.focus()

    @property
    def number_field(self) -> NumberField:
        return self.query_one(NumberField)

    @property
    def amount_field(self) -> AmountField:
        return self.query_one(AmountField)

    def clerk_changed(self, *, same_clerk: bool = True) -> None:
        """After a login over this screen (the lock): the form stays for the clerk who left
        it; another clerk gets an empty form."""
        if not same_clerk:
            self.empty_form()
        self._show_shop_bar()
        self.refresh_today()

    def _show_shop_bar(self) -> None:
        clerk = self.till.clerk
        where = _(" · counter {counter}").format(counter=self.shop.counter_code)
        who = role_and_name(clerk) if clerk is not None else ""
        day = day_text(self.till.today())
        self.query_one("#shop-bar", Static).update(
            Text.assemble((self.shop.name, "bold"), f"{where}{who} · {day}")
        )

    # -- typing -------------------------------------------------------------------------

    def on_number_field_changed(self, event: NumberField.Changed) -> None:
        self.amount_field.set_operator(event.operator)
        operator_id = event.operator.id if event.operator is not None else None
        if operator_id != self._float_operator:
            self._check_float(operator_id)
        check = event.check
        history = self.query_one(NumberHistory)
        if check.number is not None and not check.errors:
            self._load_number_history(check.number.e164)
        else:
            history.clear()

    @on(Input.Submitted, "#number")
    def _number_entered(self, event: Input.Submitted) -> None:
        event.stop()
        field = self.number_field
        if field.ok:
            self.amount_field.input.focus()
        else:
            field.insist()
            self.app.bell()

    @on(Input.Submitted, "#amount")
    def _amount_entered(self, event: Input.Submitted) -> None:
        event.stop()  # the amount's FieldInput opened the review already, on the Enter key

    def action_quick(self, index: int) -> None:
        if self.amount_field.use_quick(index):
            self.amount_field.input.focus()

    @property
    def sale_in_progress(self) -> bool:
        """Something typed for a sale not yet being recorded: quitting would lose it."""
        typed = self.number_field.value.strip() or self.amount_field.value.strip()
        return bool(typed) and not self._selling

    # -- check, confirm, record ---------------------------------------------------------

    def action_review(self) -> None:
        """Check the whole sale; show every problem, or open the confirmation."""
        if self._selling or self._reviewing:
            return
        number_text, amount_text = self.number_field.value, self.amount_field.value
        amount: Money | str = amount_text
        with suppress(AmountError):  # else check_topup says what is wrong, in words
            amount = read_money(amount_text)
        self.shop = self.till.shop()  # read again after a rate change (rate form, refusal)
        rate = self.amount_field.riel_per_usd = self.shop.riel_per_usd
        verdict = check_topup(number_text, amount, self.till.rules, riel_per_usd=rate)
        self.amount_field.show_problems(verdict.amount_errors)
        if verdict.number_errors:
            self.number_field.show_problem(verdict.number_errors[0])
            self.number_field.input.focus()
        elif verdict.amount_errors:
            self.amount_field.input.focus()
        if not verdict.ok or not isinstance(amount, Money):
            self.app.bell()
            return
        draft = SaleDraft.from_verdict(number_text, amount, verdict)
        self._reviewing = True
        self.app.push_screen(
            ConfirmSaleScreen(draft, riel_per_usd=rate, policy=self.till.policy),
            lambda payment: self.khqr_or(draft, payment, self._confirmed),
        )

    def _confirmed(self, draft: SaleDraft, payment: Payment | None) -> None:
        self._reviewing = False
        if payment is None:
            self.amount_field.input.focus()
            return
        if self.till.policy.is_large(draft.cents):
            self.app.push_screen(
                RetypeLast4Screen(draft),
                lambda same: self._start_sale(draft, payment) if same else self._back_to_number(),
            )
            return
        self._start_sale(draft, payment)

    def _back_to_number(self) -> None:
        self.number_field.input.focus()

    def _start_sale(
        self, draft: SaleDraft, payment: Payment, *, allow_duplicate: bool = False
    ) -> None:
        self._selling = True
        hold_keys(self, SELLING)  # the keys typed now are for the next sale's form
        self._status(_("Recording the sale…"), kind="")
        self._record(draft, payment, allow_duplicate)

    @in_thread(group="sell")
    def _record(self, draft: SaleDraft, payment: Payment, allow_duplicate: bool) -> None:
        try:
            sale = services.sell(
                self.till.ledger,
                self.till.clerk_now(),
                draft.number.e164,
                draft.amount,
                paid=payment.paid,
                idempotency_key=draft.key,
                allow_duplicate=allow_duplicate,
                confirm_paid=payment.confirmed,
                rate_seen=payment.riel_per_usd,
            )
        except DuplicateSale as dup:
            self.post_message(self.Duplicate(draft, payment, dup.message, dup.seconds_ago))
            return
        except SaleRefused as refused:
            if isinstance(refused, RateChanged):  # the next confirmation: the rate in force
                self.till.shop(fresh=True)
            tip = advice(refused, self.app)
            self.post_message(self.Refused((*refused.errors, tip) if tip else refused.errors))
            return
        self.post_message(self.Recorded(sale, payment))

    def on_sale_screen_recorded(self, message: Recorded) -> None:
        self._selling = False
        sale = message.sale
        self._last_sale = sale
        self._status_receipt = sale.receipt_no
        self._status_sale(sale, _("printing receipt…"), kind="-ok")
        self.empty_form()
        self.refresh_today()
        self._print(sale, copy=False)
        self.delivery_started(sale)  # the manual instruction; the delivery worker at once
        self._check_float(sale.operator_id)
        release_keys(self, SELLING)  # the form is empty and the number focused: type on

    def on_sale_screen_duplicate(self, message: Duplicate) -> None:
        self._selling = False
        self._status(_("Same number and amount sold moments ago: sell again?"), kind="-problem")

        def answer(again: bool | None) -> None:
            if again:
                self._start_sale(message.draft, message.payment, allow_duplicate=True)
            else:
                self._status(_("Not sold: the same top-up was sold moments ago."), kind="-problem")
                self.amount_field.input.focus()

        self.app.push_screen(DuplicateScreen(message.message, message.seconds_ago), answer)
        release_keys(self, SELLING)  # the keys typed meanwhile answer the question first

    def on_sale_screen_refused(self, message: Refused) -> None:
        self._selling = False
        release_keys(self, SELLING)
        self._status(
            _("Not sold: {problems}").format(problems=" ".join(message.errors)), kind="-problem"
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # The app says what failed; here the form is made usable again.
        if event.worker.group == "sell" and event.state in (
            WorkerState.ERROR,
            WorkerState.CANCELLED,
        ):
            self._selling = False
            release_keys(self, SELLING)
            self._status(
                _("Not sold: the sale could not be recorded (see the message)."), kind="-problem"
            )

    # -- receipts -----------------------------------------------------------------------

    def _print_receipt(self, sale: Sale, *, copy: bool) -> PrintResult:
        till = self.till
        return services.print_sale(till.ledger, till.printer, sale, copy=copy, by=till.clerk)

    @in_thread(group="print")
    def _print(self, sale: Sale, copy: bool) -> None:
        self.post_message(self.Printed(sale, self._print_receipt(sale, copy=copy), copy))

    def on_sale_screen_printed(self, message: Printed) -> None:
        result, sale = message.result, message.sale
        if message.copy:
            self.notify(
                result.message,
                title=_("Reprint of {receipt}").format(receipt=sale.receipt_no),
                severity="information" if result.ok else "error",
            )
            return
        if self._status_receipt == sale.receipt_no:
            self._status_sale(
                sale,
                _("receipt printed") if result.ok else result.message,
                kind="-ok" if result.ok else "-problem",
            )
        if not result.ok:
            self.notify(
                result.message,
                title=_("Receipt {receipt}").format(receipt=sale.receipt_no),
                severity="warning",
                timeout=12,
            )
        self.refresh_print_queue()

    # -- print queue and float warning -----------------------------------------------------

    def refresh_print_queue(self) -> None:
        self.query_one(PrintQueueLine).refresh_count()

    def action_retry_printing(self) -> None:
        line = self.query_one(PrintQueueLine)
        if not line.retrying():
            self._status(_("Printing the waiting receipts…"), kind="")
            line.retry(asked=True)

    def on_print_queue_line_done(self, message: PrintQueueLine.Done) -> None:
        if message.asked:
            self._status(self._ready_text(), kind="")

    @property
    def _float_operator(self) -> str | None:
        return self.query_one(FloatWarningLine).operator_id

    def _check_float(self, operator_id: str | None) -> None:
        self.query_one(FloatWarningLine).check(operator_id)

    def _restock_keys(self) -> tuple[str, str]:
        from counter.ui.screens.reports import ReportsScreen

        restock = key_for("reports-restock", keymap_of(self.app), ReportsScreen)
        return self._key("reports"), restock

    def action_reprint_last(self) -> None:
        self._reprint_last()

    @in_thread(group="print")
    def _reprint_last(self) -> None:
        sale = self._last_sale or services.last_sale(self.till.ledger)
        if sale is None:
            self.app.call_from_thread(self.notify, _("No sale to reprint yet."))
            return
        self.post_message(self.Printed(sale, self._print_receipt(sale, copy=True), True))

    # -- side panels --------------------------------------------------------------------

    @in_thread(group="today", exclusive=True)
    def refresh_today(self) -> None:
        till = self.till
        day, code = till.today(), till.counter_code
        sales = services.sales_for_day(till.ledger, day, code, limit=TODAY_ROWS)
        totals = services.day_totals(till.ledger, day, code)
        self.post_message(self.TodayLoaded(sales, totals))

    def on_sale_screen_today_loaded(self, message: TodayLoaded) -> None:
        self.query_one(TodaySales).show(message.sales)
        self.query_one(OperatorTotals).show(message.totals)

    @in_thread(group="number-history", exclusive=True)
    def _load_number_history(self, msisdn: str) -> None:
        history = services.number_history(self.till.ledger, msisdn, limit=5)
        self.post_message(self.NumberHistoryLoaded(msisdn, history))

    def on_sale_screen_number_history_loaded(self, message: NumberHistoryLoaded) -> None:
        check = self.number_field.check
        if check.number is not None and check.number.e164 == message.msisdn:
            self.query_one(NumberHistory).show(message.sales)

    # -- other screens ------------------------------------------------------------------

    def action_history(self) -> None:
        from counter.ui.screens.history import HistoryScreen

        self._open(HistoryScreen(self.till))

    def action_reports(self) -> None:
        from counter.ui.screens.reports import ReportsScreen

        self._open(ReportsScreen(self.till))

    def _open(self, screen: Screen[None]) -> None:
        """Another screen over this one; today's panels are read again when it closes."""
        self.app.push_screen(screen, lambda _: self.refresh_today())

    # -- status line --------------------------------------------------------------------

    def _status_sale(self, sale: Sale, tail: str, *, kind: str) -> None:
        parts = [sold_line(sale, self.till.rules)]
        change = change_words(sale)
        if change:
            parts.append(change)
        parts.append(tail)
        self._status(" · ".join(parts), kind=kind)

    def _status(self, text: str, *, kind: str) -> None:
        self.query_one(StatusLine).say(text, kind=kind)
