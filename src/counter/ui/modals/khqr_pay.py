"""Paying by KHQR: the code for this sale, large enough to scan, with the amount, the
merchant name and a countdown, until Bakong says it is paid, it expires or the clerk
cancels it (to take cash).

The request is recorded before the code is shown; a thread worker waits for Bakong (with
back-off) and records how it ended. Keys: `c` checks now, `m` confirms by hand with the
bank's reference (when the shop allows it), `r` shows the code in riel instead (or back
in dollars: the code shown is cancelled, a new one recorded), Esc cancels the code. While
the code is made
and while a payment is being recorded the keys are held (`ui.key_path`); any other key is
refused in words, never lost silently. A customer's screenshot is never a confirmation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from counter.domain.errors import CounterError
from counter.domain.khqr import KhqrState, WatchStatus
from counter.domain.money import Currency, format_money_text
from counter.domain.records import Sale
from counter.i18n import _, ngettext
from counter.services import khqr as pay
from counter.ui.draft import SaleDraft
from counter.ui.errors import WorkerErrorsToApp
from counter.ui.key_path import hold_keys, release_keys
from counter.ui.lang import N_
from counter.ui.till import Till
from counter.ui.work import in_thread

MAKING = "khqr"  # what holds the keys while the code is made and recorded
SIDE = 31  # columns kept beside the code for the words


class KhqrPayScreen(ModalScreen[Sale | None], WorkerErrorsToApp):
    """Dismisses with the sale once paid and recorded, or None (cancelled, expired)."""

    CSS_PATH = "khqr_pay.tcss"
    AUTO_FOCUS = ""  # the hidden reference field must not take the keys (c, m, r)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel the code"), id="khqr-cancel"),
        Binding("c", "check_now", N_("Check now"), id="khqr-check-now"),
        Binding("m", "by_hand", N_("Bank reference"), id="khqr-by-hand"),
        Binding("r", "switch_currency", N_("Riel / dollars"), id="khqr-currency"),
    ]

    @dataclass
    class Shown(Message):
        shown: pay.KhqrShown

    @dataclass
    class Ended(Message):
        finish: pay.KhqrFinish | None
        problem: str | None = None

    @dataclass
    class Status(Message):
        status: WatchStatus
        request_id: int = 0

    def __init__(self, till: Till, draft: SaleDraft, currency: Currency = Currency.USD) -> None:
        super().__init__()
        self.till = till
        self.draft = draft
        self.currency = currency
        self.shown: pay.KhqrShown | None = None
        self.watch: Any = None
        self.ended = False
        self.leaving = False  # unmounted without an end (the app closes): record nothing
        self.gone = False  # dismissed already
        self.replaced: set[int] = set()  # codes cancelled for one in the other currency
        self.fit = (24, 49)  # rows and columns the code may take

    def compose(self) -> ComposeResult:
        with Horizontal(id="khqr-box"):
            yield Static("", id="khqr-code")
            with Vertical(id="khqr-side"):
                yield Static(self.till.ledger.khqr.merchant_name, id="khqr-merchant")
                yield Static("", id="khqr-amount")
                yield Static(self.draft.number.display, id="khqr-number")
                yield Static("", id="khqr-countdown")
                yield Static(_("Making the code…"), id="khqr-status")
                yield Input(placeholder=_("bank reference"), id="khqr-ref", max_length=64)
                yield Static(self._keys_text(), id="khqr-keys")

    def _keys_text(self) -> str:
        if self.currency is Currency.KHR:
            other = _("r shows it in dollars")
        else:
            other = _("r shows it in riel")
        return _(
            "c checks now · m types the bank's reference · {other} · Esc cancels the code "
            "(take cash). A screenshot is never a confirmation."
        ).format(other=other)

    def on_mount(self) -> None:
        self.query_one("#khqr-ref", Input).display = False
        hold_keys(self, MAKING)
        size = self.app.size
        self.fit = (max(size.height, 1), max(size.width - SIDE, 21))
        self._start(self.currency)
        self.set_interval(1.0, self._tick)

    @in_thread(group="khqr-start")
    def _start(self, currency: Currency) -> None:
        self._make(currency)

    def _make(self, currency: Currency) -> None:
        """Record the request and make its code (in a worker)."""
        rows, cols = self.fit
        try:
            shown = pay.start_khqr(
                self.till.ledger,
                self.till.clerk_now(),
                self.draft.number.e164,
                self.draft.amount,
                currency=currency,
                make_code=self.till.make_code,
                rows=rows,
                cols=cols,
            )
        except CounterError as exc:
            self.post_message(self.Ended(None, exc.message))
            return
        self.post_message(self.Shown(shown))

    def on_khqr_pay_screen_shown(self, message: Shown) -> None:
        self.shown = shown = message.shown
        self.currency = shown.request.charge.currency
        self.query_one("#khqr-keys", Static).update(self._keys_text())
        code = self.query_one("#khqr-code", Static)
        code.update(Text("\n".join(shown.code.lines), style=shown.code.style, no_wrap=True))
        amount = Text(format_money_text(shown.request.charge), style="bold")
        self.query_one("#khqr-amount", Static).update(amount)
        self._say(_("Waiting for the payment: the customer scans the code."))
        if self.till.display is not None:
            request = shown.request
            self.till.display.khqr(request.payload, request.charge, request.expires_at)
        self._tick()
        release_keys(self, MAKING)
        self._wait(shown)

    @in_thread(group="khqr-wait")
    def _wait(self, shown: pay.KhqrShown) -> None:
        def status(s: WatchStatus) -> None:
            self.post_message(self.Status(s, shown.request.id))

        self.watch = self.till.khqr.watcher(shown.request, status)
        if self.leaving or shown.request.id in self.replaced:
            return
        result = self.watch.run()
        if self.leaving:  # the app is closing: the request stays waiting, the worker ends it
            return
        self.post_message(self.Ended(pay.finish_khqr(self.till.ledger, shown.request.id, result)))

    def on_unmount(self) -> None:
        self.leaving = not self.ended
        if self.watch is not None:
            self.watch.cancel()

    def on_khqr_pay_screen_status(self, message: Status) -> None:
        if self.ended or message.request_id in self.replaced:
            return
        problem = message.status.problem
        if problem:
            self._say(
                _("{problem} The customer can pay cash instead: Esc cancels the code.").format(
                    problem=problem
                ),
                problem=True,
            )
        else:
            count = message.status.checks
            self._say(
                ngettext(
                    "Waiting for the payment: checked {count} time.",
                    "Waiting for the payment: checked {count} times.",
                    count,
                ).format(count=count)
            )

    def on_khqr_pay_screen_ended(self, message: Ended) -> None:
        finish = message.finish
        if finish is not None and finish.request.state is KhqrState.PAID and finish.sale:
            self.ended = True
            self._leave(finish.sale)
            return
        if finish is not None and finish.request.id in self.replaced:
            return  # the code cancelled for one in the other currency
        if finish is None or finish.request.state is KhqrState.WAITING:
            problem = message.problem or (finish.message if finish else None)
            self._say(
                _("{problem} Esc cancels the code; the customer can pay cash.").format(
                    problem=problem or _("Bakong cannot be asked.")
                ),
                problem=True,
            )
            if finish is None:
                release_keys(self, MAKING)
                self.ended = True
            return
        self.ended = True
        self._say(self._end_words(finish), problem=True)

    def _end_words(self, finish: pay.KhqrFinish) -> str:
        state = finish.request.state
        if state is KhqrState.EXPIRED:
            return _("The code expired unpaid. Esc closes; sell again or take cash.")
        if state is KhqrState.CANCELLED:
            return _("The code was cancelled. Esc closes; take cash.")
        return finish.message or _("The payment needs a supervisor. Esc closes.")

    def _tick(self) -> None:
        if self.shown is None or self.ended:
            return
        left = int((self.shown.request.expires_at - self.till.now()).total_seconds())
        minutes, seconds = divmod(max(left, 0), 60)
        self.query_one("#khqr-countdown", Static).update(
            _("Pay within {time}").format(time=f"{minutes}:{seconds:02d}")
        )

    def _say(self, text: str, *, problem: bool = False) -> None:
        status = self.query_one("#khqr-status", Static)
        status.update(text)
        status.set_class(problem, "-problem")

    # -- keys ---------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        if self.query_one("#khqr-ref", Input).has_focus:
            return
        if event.is_printable and event.character not in ("c", "m", "r"):
            event.stop()
            self.app.bell()
            self._say(_("Waiting for the KHQR payment: c checks now, Esc cancels the code."))

    def action_check_now(self) -> None:
        if self.watch is not None:
            self.watch.check_now()
            self._say(_("Checking with Bakong now…"))

    def action_by_hand(self) -> None:
        if self.shown is None or self.ended:
            return
        ref = self.query_one("#khqr-ref", Input)
        ref.display = True
        ref.focus()
        self._say(_("Type the bank's reference from the shop's bank app, then Enter."))

    @on(Input.Submitted, "#khqr-ref")
    def _ref_typed(self, event: Input.Submitted) -> None:
        event.stop()
        if self.shown is not None:
            hold_keys(self, MAKING)
            self._confirm(self.shown.request.id, event.value)

    @in_thread(group="khqr-confirm")
    def _confirm(self, request_id: int, ref: str) -> None:
        try:
            finish = pay.confirm_khqr_by_hand(
                self.till.ledger, request_id, ref, self.till.clerk_now()
            )
        except CounterError as exc:
            self.post_message(self.Ended(None, exc.message))
            return
        if self.watch is not None:
            self.watch.cancel()  # its end is recorded as nothing more: the request is paid
        self.post_message(self.Ended(finish))

    def action_switch_currency(self) -> None:
        """The same sale's code in the other currency: this code is cancelled (a payment
        that still comes for it is found by the late check), a new one recorded."""
        if self.shown is None or self.ended:
            self.app.bell()
            return
        old = self.shown.request
        other = Currency.USD if old.charge.currency is Currency.KHR else Currency.KHR
        self.replaced.add(old.id)
        self.shown = None
        hold_keys(self, MAKING)
        self._say(
            _("Making the code in riel…")
            if other is Currency.KHR
            else _("Making the code in dollars…")
        )
        if self.watch is not None:
            self.watch.cancel()
        self._switch(old.id, other)

    @in_thread(group="khqr-start")
    def _switch(self, old_id: int, currency: Currency) -> None:
        finish = pay.cancel_khqr(self.till.ledger, old_id, self.till.clerk_now())
        if finish.request.state is KhqrState.PAID and finish.sale is not None:
            self.post_message(self.Ended(finish))  # paid just before: it is sold
            return
        self._make(currency)

    def action_cancel(self) -> None:
        if self.ended or self.shown is None:
            self._close()
            return
        self.ended = True
        self._say(_("Cancelling the code…"))
        if self.watch is not None:
            self.watch.cancel()  # the wait ends; finish_khqr records `cancelled`
        self._cancel(self.shown.request.id)

    @in_thread(group="khqr-cancel")
    def _cancel(self, request_id: int) -> None:
        finish = pay.cancel_khqr(self.till.ledger, request_id, self.till.clerk_now())
        self.app.call_from_thread(self._cancelled, finish)

    def _cancelled(self, finish: pay.KhqrFinish) -> None:
        if finish.request.state is KhqrState.PAID and finish.sale is not None:
            self._leave(finish.sale)  # paid just before the cancel: it is sold
            return
        self._close()

    def _close(self) -> None:
        self._leave(None)

    def _leave(self, sale: Sale | None) -> None:
        """Dismiss once (a paid code can be seen by the wait and by a cancel both)."""
        if not self.gone:
            self.gone = True
            self.dismiss(sale)
        release_keys(self, MAKING)
