"""The sale screen: number, amount, confirm, sold. What the clerk sees all day.

Key contract (tests rely on it): `<number> Enter <amount> Enter Enter` sells with the
exact amount paid, unless the duplicate or large-amount check asks first. The keys may
come as one burst: the App hands them on in order (`counter.ui.key_path`), and while the
sale is being recorded the screen holds them, so the keys typed meanwhile go to the next
sale's form.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import Worker, WorkerState

from counter.domain.errors import AmountError
from counter.domain.money import Currency, Money
from counter.domain.records import OperatorTotal, Sale
from counter.domain.topup import check_topup
from counter.i18n import _, ngettext
from counter.i18n import format_khr_for as format_khr
from counter.i18n import format_usd_for as format_usd
from counter.printing.printers import PrintResult
from counter.services.errors import DuplicateSale, SaleRefused
from counter.ui.draft import Payment, SaleDraft
from counter.ui.errors import WorkerErrorsToApp
from counter.ui.key_path import hold_keys, release_keys
from counter.ui.keys import key_for
from counter.ui.lang import N_, localize_bindings
from counter.ui.modals.confirm_sale import ConfirmSaleScreen
from counter.ui.modals.duplicate import DuplicateScreen
from counter.ui.modals.retype_last4 import RetypeLast4Screen
from counter.ui.money_text import read_money
from counter.ui.show import day_text, sold_line
from counter.ui.till import Till
from counter.ui.widgets.amount_field import QUICK_KEYS, AmountField
from counter.ui.widgets.number_field import NumberField
from counter.ui.widgets.number_history import NumberHistory
from counter.ui.widgets.operator_totals import OperatorTotals
from counter.ui.widgets.today_sales import TodaySales

TODAY_ROWS = 50
SELLING = "sale"  # what holds the keys while a sale is being recorded
AUTO_RETRY_SECONDS = 30.0


class SaleScreen(Screen[None], WorkerErrorsToApp):
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
        Binding("escape", "clear_form", N_("Clear"), id="clear-form"),
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

    @dataclass
    class QueueLoaded(Message):
        waiting: int

    @dataclass
    class Retried(Message):
        results: list[PrintResult]
        asked: bool  # the retry key, not the automatic retry

    @dataclass
    class FloatWarning(Message):
        operator_id: str
        text: str | None

    def __init__(self, till: Till) -> None:
        super().__init__()
        self.till = till
        self.shop = till.shop()
        self._selling = False
        self._reviewing = False  # a confirmation is open: a second Enter must not open another
        self._status_receipt: str | None = None
        self._last_sale: Sale | None = None
        self._waiting = 0  # receipts waiting in the print queue
        self._float_operator: str | None = None  # whose airtime balance the warning is about

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        rules, zone = self.till.rules, self.till.settings.zone
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
        yield Static("", id="float-warning", classes="notice")
        yield Static("", id="print-queue", classes="notice")
        yield Static(self._ready_text(help_key=True), id="status", classes="status")
        yield Footer()

    def on_mount(self) -> None:
        self._show_shop_bar()
        self.number_field.input.focus()
        self.refresh_today()
        self.refresh_print_queue()
        self.set_interval(AUTO_RETRY_SECONDS, self._auto_retry)

    def _key(self, binding_id: str) -> str:
        """The key in force for one of this screen's (or the app's) actions."""
        from counter.ui.app import CounterApp

        node = CounterApp if binding_id in ("help", "lock", "quit") else SaleScreen
        return key_for(binding_id, self.app._keymap, node)

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
        localize_bindings(self)
        await self.recompose()
        self.number_field.input.value = number
        self.amount_field.input.value = amount
        self._show_shop_bar()
        self.refresh_today()
        self.refresh_print_queue()
        if self._float_operator is not None:
            self._load_float_warning(self._float_operator)
        target = self.amount_field.input if focused == "amount" else self.number_field.input
        target.focus()

    @property
    def number_field(self) -> NumberField:
        return self.query_one(NumberField)

    @property
    def amount_field(self) -> AmountField:
        return self.query_one(AmountField)

    def clerk_changed(self) -> None:
        """Called after a login on top of this screen (idle lock): the form stays as it was."""
        self._show_shop_bar()
        self.refresh_today()

    def _show_shop_bar(self) -> None:
        clerk = self.till.clerk
        where = _(" · counter {counter}").format(counter=self.shop.counter_code)
        who = _(" · clerk {name}").format(name=clerk.name) if clerk is not None else ""
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

    def action_clear_form(self) -> None:
        self.number_field.clear()
        self.amount_field.clear()
        self.number_field.input.focus()

    # -- check, confirm, record ---------------------------------------------------------

    def action_review(self) -> None:
        """Check the whole sale; show every problem, or open the confirmation."""
        if self._selling or self._reviewing:
            return
        number_text, amount_text = self.number_field.value, self.amount_field.value
        amount: Money | str = amount_text
        with suppress(AmountError):  # else check_topup says what is wrong, in words
            amount = read_money(amount_text)
        verdict = check_topup(
            number_text, amount, self.till.rules, riel_per_usd=self.shop.riel_per_usd
        )
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
            ConfirmSaleScreen(
                draft,
                riel_per_usd=self.shop.riel_per_usd,
                khr_step=self.till.settings.khr_rounding_step,
            ),
            lambda payment: self._confirmed(draft, payment),
        )

    def _confirmed(self, draft: SaleDraft, payment: Payment | None) -> None:
        self._reviewing = False
        if payment is None:
            self.amount_field.input.focus()
            return
        if draft.cents >= self.till.settings.large_amount_cents:
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

    @work(thread=True, exit_on_error=False, group="sell")
    def _record(self, draft: SaleDraft, payment: Payment, allow_duplicate: bool) -> None:
        try:
            sale = self.till.sell(
                draft.number.e164,
                draft.amount,
                paid=payment.paid,
                key=draft.key,
                allow_duplicate=allow_duplicate,
            )
        except DuplicateSale as dup:
            self.post_message(self.Duplicate(draft, payment, dup.message, dup.seconds_ago))
            return
        except SaleRefused as refused:
            self.post_message(self.Refused(refused.errors))
            return
        self.post_message(self.Recorded(sale, payment))

    def on_sale_screen_recorded(self, message: Recorded) -> None:
        self._selling = False
        sale = message.sale
        self._last_sale = sale
        self._status_receipt = sale.receipt_no
        self._status_sale(sale, _("printing receipt…"), kind="-ok")
        self.action_clear_form()
        self.refresh_today()
        self._print(sale, copy=False)
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

    @work(thread=True, exit_on_error=False, group="print")
    def _print(self, sale: Sale, copy: bool) -> None:
        result = self.till.print_receipt(sale, copy=copy)
        self.post_message(self.Printed(sale, result, copy))

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

    # -- print queue ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="print-queue")
    def refresh_print_queue(self) -> None:
        self.post_message(self.QueueLoaded(len(self.till.pending_receipts())))

    def on_sale_screen_queue_loaded(self, message: QueueLoaded) -> None:
        self._waiting = message.waiting
        line = self.query_one("#print-queue", Static)
        n = message.waiting
        line.update(
            ngettext(
                "{n} receipt waiting to print · {key} retries (and every {seconds} s by itself)",
                "{n} receipts waiting to print · {key} retries (and every {seconds} s by itself)",
                n,
            ).format(n=n, key=self._key("retry-printing"), seconds=f"{AUTO_RETRY_SECONDS:.0f}")
            if n
            else ""
        )
        line.set_class(bool(n), "-shown")

    def action_retry_printing(self) -> None:
        if not self._retrying():
            self._status(_("Printing the waiting receipts…"), kind="")
            self._retry(asked=True)

    def _auto_retry(self) -> None:
        """Every AUTO_RETRY_SECONDS: retry the waiting receipts, unless a retry runs already."""
        if self._waiting and not self._retrying():
            self._retry(asked=False)

    def _retrying(self) -> bool:
        return any(worker.group == "retry" and worker.is_running for worker in self.workers)

    @work(thread=True, exit_on_error=False, group="retry")
    def _retry(self, asked: bool) -> None:
        self.post_message(self.Retried(self.till.retry_printing(), asked))

    def on_sale_screen_retried(self, message: Retried) -> None:
        if message.asked and not message.results:
            self.notify(_("No receipt is waiting to print."), title=_("Retry printing"))
        for result in message.results:
            if result.ok or message.asked:
                self.notify(
                    result.message,
                    title=_("Receipt printed") if result.ok else _("Still not printed"),
                    severity="information" if result.ok else "warning",
                    timeout=10,
                )
        if message.asked:
            self._status(self._ready_text(), kind="")
        self.refresh_print_queue()

    # -- operator float -------------------------------------------------------------------

    def _check_float(self, operator_id: str | None) -> None:
        self._float_operator = operator_id
        if operator_id is None:
            self._show_float_warning(None)
        elif self.till.settings.float_policy != "off":
            self._load_float_warning(operator_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="float")
    def _load_float_warning(self, operator_id: str) -> None:
        self.post_message(self.FloatWarning(operator_id, self.till.float_warning(operator_id)))

    def on_sale_screen_float_warning(self, message: FloatWarning) -> None:
        operator = self.amount_field.operator
        if operator is not None and operator.id == message.operator_id:
            self._show_float_warning(message.text)
        elif operator is None:
            self._show_float_warning(None)

    def _show_float_warning(self, text: str | None) -> None:
        line = self.query_one("#float-warning", Static)
        line.update(text or "")
        line.set_class(bool(text), "-shown")

    def action_reprint_last(self) -> None:
        self._reprint_last()

    @work(thread=True, exit_on_error=False, group="print")
    def _reprint_last(self) -> None:
        sale = self._last_sale or self.till.last_sale()
        if sale is None:
            self.app.call_from_thread(self.notify, _("No sale to reprint yet."))
            return
        result = self.till.print_receipt(sale, copy=True)
        self.post_message(self.Printed(sale, result, True))

    # -- side panels --------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="today")
    def refresh_today(self) -> None:
        day = self.till.today()
        sales = self.till.sales_for_day(day, limit=TODAY_ROWS)
        totals = self.till.day_totals(day)
        self.post_message(self.TodayLoaded(sales, totals))

    def on_sale_screen_today_loaded(self, message: TodayLoaded) -> None:
        self.query_one(TodaySales).show(message.sales)
        self.query_one(OperatorTotals).show(message.totals)

    @work(thread=True, exclusive=True, exit_on_error=False, group="number-history")
    def _load_number_history(self, msisdn: str) -> None:
        self.post_message(self.NumberHistoryLoaded(msisdn, self.till.number_history(msisdn)))

    def on_sale_screen_number_history_loaded(self, message: NumberHistoryLoaded) -> None:
        check = self.number_field.check
        if check.number is not None and check.number.e164 == message.msisdn:
            self.query_one(NumberHistory).show(message.sales)

    # -- other screens ------------------------------------------------------------------

    def action_history(self) -> None:
        from counter.ui.screens.history import HistoryScreen

        def back(_: None) -> None:
            self.refresh_today()

        self.app.push_screen(HistoryScreen(self.till), back)

    def action_reports(self) -> None:
        from counter.ui.screens.reports import ReportsScreen

        def back(_: None) -> None:
            self.refresh_today()

        self.app.push_screen(ReportsScreen(self.till), back)

    # -- status line --------------------------------------------------------------------

    def _status_sale(self, sale: Sale, tail: str, *, kind: str) -> None:
        parts = [sold_line(sale, self.till.rules)]
        change = _change_words(sale)
        if change:
            parts.append(change)
        parts.append(tail)
        self._status(" · ".join(parts), kind=kind)

    def _status(self, text: str, *, kind: str) -> None:
        status = self.query_one("#status", Static)
        status.update(text)
        status.set_class(kind == "-ok", "-ok")
        status.set_class(kind == "-problem", "-problem")


def _change_words(sale: Sale) -> str:
    """`change $5.00 + 2,000៛`, or nothing when the exact amount was paid."""
    if not sale.change_usd_cents and not sale.change_khr:
        return ""
    if sale.paid_currency is Currency.KHR or not sale.change_usd_cents:
        return _("change {amount}").format(amount=format_khr(sale.change_khr))
    if not sale.change_khr:
        return _("change {amount}").format(amount=format_usd(sale.change_usd_cents))
    return _("change {usd} + {khr}").format(
        usd=format_usd(sale.change_usd_cents), khr=format_khr(sale.change_khr)
    )
