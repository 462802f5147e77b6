"""History: today's sales by default, any day, search, a sale's detail, reprint, void.

The ledger is read a page at a time (limit/offset), so it stays quick with a million
sales in it; one row more than a page is asked for to know whether a next page exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Label, Static

from counter import services
from counter.domain.money import Currency
from counter.domain.receipt import PrintResult
from counter.domain.records import Sale, Void
from counter.i18n import _
from counter.i18n import format_khr_for as format_khr
from counter.i18n import format_usd_for as format_usd
from counter.ui.errors import WorkerErrorsToApp
from counter.ui.lang import N_
from counter.ui.modals.void import VoidScreen
from counter.ui.show import national, operator_label, operator_title, sale_moment, sale_time
from counter.ui.till import Till
from counter.ui.widgets.footer import CounterFooter
from counter.ui.work import in_thread

PAGE = 15


@dataclass(frozen=True)
class Query:
    day: date | None
    text: str
    operator: str | None
    offset: int


class HistoryScreen(Screen[None], WorkerErrorsToApp):
    CSS_PATH = "history.tcss"
    AUTO_FOCUS = "#history-table"  # not the day box: its first Changed must not reload
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back to sale"), id="history-back"),
        Binding("f2", "day(-1)", N_("Day before"), id="history-day-before", show=False),
        Binding("f3", "day(1)", N_("Day after"), id="history-day-after", show=False),
        Binding("f4", "today", N_("Today"), id="history-today"),
        Binding("f5", "reprint", N_("Reprint COPY"), id="history-reprint"),
        Binding("f6", "void", N_("Void"), id="history-void"),
        Binding(
            "pagedown",
            "page(1)",
            N_("Next page"),
            id="history-next-page",
            priority=True,
            show=False,
        ),
        Binding(
            "pageup",
            "page(-1)",
            N_("Previous page"),
            id="history-previous-page",
            priority=True,
            show=False,
        ),
        Binding("ctrl+f", "search", N_("Search"), id="history-search", show=False),
    ]

    @dataclass
    class Loaded(Message):
        query: Query
        sales: list[Sale]

    @dataclass
    class Printed(Message):
        sale: Sale
        result: PrintResult

    def __init__(self, till: Till) -> None:
        super().__init__()
        self.till = till
        self.query_state = Query(till.today(), "", None, 0)
        self.sales: dict[str, Sale] = {}
        self.has_more = False
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(_("History"), style="bold"), id="history-bar", classes="shop-bar")
        with Horizontal(id="history-filters"):
            yield Label(_("Day"), classes="filter-label")
            yield Input(
                self.query_state.day.isoformat() if self.query_state.day else "",
                placeholder=_("all days"),
                max_length=10,
                id="history-day",
                compact=True,
            )
            yield Label(_("Search"), classes="filter-label")
            yield Input(
                placeholder=_("number part, receipt no, operator"),
                max_length=40,
                id="history-text",
                compact=True,
            )
        table: DataTable[str | Text] = DataTable(
            cursor_type="row", zebra_stripes=True, id="history-table"
        )
        table.add_column(_("Receipt"), key="receipt")
        table.add_column(_("Time"), key="time")
        table.add_column(_("Operator"), key="operator")
        table.add_column(_("Number"), key="number")
        table.add_column(Text(_("Amount"), justify="right"), key="amount")
        table.add_column(_("Clerk"), key="clerk")
        table.add_column("", key="status")
        yield table
        yield Static("", id="history-detail", classes="panel")
        yield Static("", id="history-page", classes="status")
        yield CounterFooter()

    def on_mount(self) -> None:
        self.query_one("#history-table", DataTable).focus()
        self._reload(offset=0)

    async def language_changed(self) -> None:
        """Rebuilt in the clerk's new language, on the same day, search and page."""
        text = self.query_one("#history-text", Input).value
        await self.recompose()
        self.query_one("#history-text", Input).value = text
        self.query_one("#history-table", DataTable).focus()
        self._reload(offset=self.query_state.offset)

    # -- query ----------------------------------------------------------------------------

    @on(Input.Changed)
    def _filters_changed(self, event: Input.Changed) -> None:
        if not event.input.has_focus:
            return  # set by a key (F2, F4) that reloads by itself
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(0.3, lambda: self._reload(offset=0))

    @on(Input.Submitted)
    def _filters_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._reload(offset=0)
        self.query_one("#history-table", DataTable).focus()

    def _read_filters(self, offset: int) -> Query | None:
        day_text = self.query_one("#history-day", Input).value.strip()
        text = self.query_one("#history-text", Input).value.strip()
        day: date | None = None
        if day_text:
            try:
                day = date.fromisoformat(day_text)
            except ValueError:
                self._page_line(
                    Text(
                        _(
                            "{day!r}: type the day as 2026-11-25, or leave it empty for all days."
                        ).format(day=day_text),
                        style="red",
                    )
                )
                return None
        elif not text:
            day = self.till.today()
        operator = None
        for op in self.till.rules:
            if text.casefold() in (op.id.casefold(), op.name.casefold()):
                operator, text = op.id, ""
        return Query(day, text, operator, max(0, offset))

    def _reload(self, *, offset: int) -> None:
        query = self._read_filters(offset)
        if query is not None:
            self.query_state = query
            self._load(query)

    @in_thread(group="history", exclusive=True)
    def _load(self, query: Query) -> None:
        ledger = self.till.ledger
        if query.text or query.operator or query.day is None:
            sales = services.search_sales(
                ledger,
                query.text,
                day=query.day,
                operator=query.operator,
                limit=PAGE + 1,
                offset=query.offset,
            )
        else:
            sales = services.sales_for_day(
                ledger, query.day, ledger.counter_code, limit=PAGE + 1, offset=query.offset
            )
        self.post_message(self.Loaded(query, sales))

    def on_history_screen_loaded(self, message: Loaded) -> None:
        if message.query != self.query_state:
            return  # an older answer, overtaken by a newer query
        rules, zone = self.till.rules, self.till.zone
        self.has_more = len(message.sales) > PAGE
        rows = message.sales[:PAGE]
        self.sales = {sale.receipt_no: sale for sale in rows}
        table = self.query_one("#history-table", DataTable)
        keep = self.selected.receipt_no if self.selected else None
        table.clear()
        for sale in rows:
            when = sale_time(sale, zone) if message.query.day else sale_moment(sale, zone)
            table.add_row(
                sale.receipt_no,
                when,
                operator_label(sale.operator_id, rules),
                national(sale.msisdn),
                Text(
                    format_usd(sale.amount_cents),
                    justify="right",
                    style="strike dim" if sale.voided else "",
                ),
                sale.clerk_name,
                Text(_("VOID"), style="bold red") if sale.voided else "",
                key=sale.receipt_no,
            )
        if keep in self.sales:  # a reload (after a void) stays on the same sale
            table.move_cursor(row=table.get_row_index(keep))
        self._show_page(message.query, len(rows))
        self._show_detail(self.selected)

    def _show_page(self, query: Query, count: int) -> None:
        where = query.day.isoformat() if query.day else _("all days")
        what = _(" · search {text!r}").format(text=query.text) if query.text else ""
        what += f" · {operator_title(query.operator, self.till.rules)}" if query.operator else ""
        first = query.offset + 1 if count else 0
        line = Text(
            where
            + what
            + _(" · sales {first}-{last}").format(first=first, last=query.offset + count)
        )
        if self.has_more:
            line.append(_(" · PgDn: next page"), style="dim")
        if query.offset:
            line.append(_(" · PgUp: previous page"), style="dim")
        if not count:
            line = Text(where + what + _(" · no sales found"), style="dim")
        self._page_line(line)

    def _page_line(self, text: Text) -> None:
        self.query_one("#history-page", Static).update(text)

    # -- detail ---------------------------------------------------------------------------

    @property
    def selected(self) -> Sale | None:
        table = self.query_one("#history-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.sales.get(key or "")

    @on(DataTable.RowHighlighted, "#history-table")
    def _highlighted(self, _: DataTable.RowHighlighted) -> None:
        self._show_detail(self.selected)

    def _show_detail(self, sale: Sale | None) -> None:
        detail = self.query_one("#history-detail", Static)
        detail.border_title = sale.receipt_no if sale else _("Detail")
        if sale is None:
            detail.update(Text(_("Choose a sale with the arrow keys."), style="dim"))
            return
        detail.update(describe(sale, self.till))

    # -- actions --------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss(None)

    def action_day(self, step: int) -> None:
        day = self.query_state.day or self.till.today()
        self.query_one("#history-day", Input).value = (day + timedelta(days=step)).isoformat()
        self._reload(offset=0)

    def action_today(self) -> None:
        self.query_one("#history-day", Input).value = self.till.today().isoformat()
        self.query_one("#history-text", Input).value = ""
        self._reload(offset=0)

    def action_page(self, step: int) -> None:
        if step > 0 and not self.has_more:
            return
        if step < 0 and not self.query_state.offset:
            return
        self._reload(offset=self.query_state.offset + step * PAGE)

    def action_search(self) -> None:
        self.query_one("#history-text", Input).focus()

    def action_reprint(self) -> None:
        sale = self.selected
        if sale is None:
            self.notify(_("Choose a sale to reprint first."))
            return
        self._reprint(sale)

    @in_thread(group="reprint")
    def _reprint(self, sale: Sale) -> None:
        till = self.till
        result = services.print_sale(till.ledger, till.printer, sale, copy=True, by=till.clerk)
        self.post_message(self.Printed(sale, result))

    def on_history_screen_printed(self, message: Printed) -> None:
        result = message.result
        if result.ok:
            self.notify(
                result.message,
                title=_("Reprint of {receipt}").format(receipt=message.sale.receipt_no),
            )
        else:
            self.notify(result.message, title=_("Reprint"), severity="error", timeout=12)

    def action_void(self) -> None:
        sale = self.selected
        if sale is None:
            self.notify(_("Choose a sale to void first."))
            return
        if sale.voided:
            self.notify(_("{receipt} is already void.").format(receipt=sale.receipt_no))
            return

        def submit(reason: str, supervisor: str, pin: str) -> Void:
            return services.void_sale(
                self.till.ledger,
                sale.receipt_no,
                reason=reason,
                requested_by=self.till.clerk_now(),
                supervisor_name=supervisor,
                supervisor_pin=pin,
            )

        def done(void: Void | None) -> None:
            if void is not None:
                self.notify(
                    _("{receipt} is void.").format(receipt=sale.receipt_no), title=_("Void")
                )
                self._reload(offset=self.query_state.offset)

        summary = Text.assemble(
            operator_label(sale.operator_id, self.till.rules),
            _(" {number} · {amount} · {moment} · clerk {clerk}").format(
                number=national(sale.msisdn),
                amount=format_usd(sale.amount_cents),
                moment=sale_moment(sale, self.till.zone),
                clerk=sale.clerk_name,
            ),
        )
        title = _("Void {receipt}").format(receipt=sale.receipt_no)
        self.app.push_screen(VoidScreen(title, summary, submit), done)


def describe(sale: Sale, till: Till) -> Text:
    """A sale's detail in three short lines."""
    rules, zone = till.rules, till.zone
    text = Text()
    text.append(
        _("{moment} · counter {counter} · clerk {clerk}").format(
            moment=sale_moment(sale, zone), counter=sale.counter_code, clerk=sale.clerk_name
        )
        + "\n"
    )
    text.append_text(operator_label(sale.operator_id, rules))
    text.append(f" {national(sale.msisdn)} · ")
    text.append(format_usd(sale.amount_cents), style="bold")
    if sale.validity_days is not None:
        text.append(_(" · +{days} days").format(days=sale.validity_days))
    if sale.operator_ref:
        text.append(_(" · ref {ref}").format(ref=sale.operator_ref))
    paid = " + ".join(
        format_usd(line.minor) if line.currency is Currency.USD else format_khr(line.minor)
        for line in sale.payment.lines
    )
    text.append(
        "\n"
        + _("paid {paid} · change {usd} + {khr}").format(
            paid=paid, usd=format_usd(sale.change_usd_cents), khr=format_khr(sale.change_khr)
        )
    )
    if sale.voided:
        text.append("  " + _("VOID"), style="bold red")
    return text
