"""Help (F1): what each screen is for, and every key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

from counter.i18n import _
from counter.ui.keys import key_for, key_label, keymap_of, normalize_keymap
from counter.ui.lang import N_
from counter.ui.screens.help_render import HelpView, help_renderable

if TYPE_CHECKING:
    from textual.dom import DOMNode

# Each section: a title, its key table (rows of keys in force and what they do), and its
# prose, one translatable block each. The key tables are built from the bindings in force
# (the shop's `keys` setting over the defaults), so they always name the keys that work.
# A row's keys: binding ids (resolved) or fixed keys in quotes (Enter, arrows).

INTRO = N_(
    "**Sell a top-up**: type the customer's number and press **Enter**; type the amount and "
    "press **Enter**; check the confirmation and press **Enter** again. The receipt prints "
    "by itself."
)

TYPE_AHEAD_PROSE = N_(
    "**Typing ahead**: keys are used in the order they were typed, however fast they come: a "
    "barcode scanner, a paste or a fast typist does what the same keys typed slowly do. Keys "
    "typed while a sale is being recorded or a PIN checked wait, and go to the form that "
    "follows. In a paste, each line break is an Enter."
)

SALE_PROSE = N_(
    "As you type the number, its operator shows in its colour and the number is grouped "
    "(`012 345 678`). A problem is said in words under the field. Beside the form: today's "
    "sales at this counter, the totals per operator, and the number's last top-ups.\n\n"
    "**Amounts in riel**: add `r` (or `៛`) after the amount: `5000r`. Without it, the amount "
    "is US dollars. A riel amount buys the nearest top-up the operator sells at or below it "
    "at the shop's rate; the rest is change, and the confirmation shows both.\n\n"
    "**Receipts waiting to print**: when the printer fails, the sale is recorded and its "
    "receipt waits; a line says how many wait. {retry} prints them (each once), and Counter "
    "tries again by itself every 30 seconds while any wait.\n\n"
    "**Low airtime stock**: when the detected operator's airtime balance is low, a warning "
    "line shows under the form. Restock from Reports ({reports}, then {restock})."
)

CONFIRM_PROSE = N_(
    "**Cash received**: leave it empty when the customer pays the exact amount. Type dollars "
    "(`10`), riel with an `r` (`20000r`), or both joined by `+` (`5 + 2000r`): the change in "
    "dollars and riel shows at once, rounded to the shop's smallest riel note. Cash far above "
    "the amount due is asked again with both readings ($20,000 or 20,000៛?): only {sell} then "
    "sells it as typed. "
    "Large amounts ask for the last 4 digits of the number again. The same number and amount "
    "sold a few minutes ago asks before selling again: {yes} sells, {no}, Enter or Esc does not."
)

HISTORY_PROSE = N_(
    "Search finds a part of a number (`5678`), a receipt number (`A-000042`) or an operator "
    "(`Smart`). Empty the day box to search every day."
)

REPORTS_PROSE = N_(
    "The screen shows the totals per operator (sales, amount, commission), the voids, the "
    "cash expected in the drawer in dollars and riel, and each operator's airtime balance."
    "\n\n**Closing the day**: count the drawer; the difference from what is expected shows "
    "in each currency as you type. After the close, no more sales are recorded for that day "
    "at this counter: sales start again at midnight."
)

USERS_PROSE = N_(
    "Each change asks your PIN, as `counter users ... --by` does, and is in the audit log. "
    "A supervisor may unlock; adding, disabling and another user's PIN are an admin's. A PIN "
    "never shows on screen. A clerk is not offered this screen."
)

OPENING_CASH_PROSE = N_(
    "At the first login of the day, Counter asks for the cash in the drawer (dollars and "
    "riel) before the sale screen; it counts in the expected cash. A clerk cannot skip it "
    "(type 0 when empty), and a clerk's sales wait for it; a supervisor or admin can press "
    "Esc to skip, and expected cash then starts at zero (the opening cash can still be "
    "entered at the next login)."
)

LOGIN_PROSE = N_(
    "Type your name, **Enter**, your PIN, **Enter**. Enter on the name always moves to the "
    "PIN, which is masked: a PIN never shows on screen. After a few wrong PINs the account locks "
    "for a while; a supervisor can unlock it. With no key pressed for a while "
    "(`idle_lock_seconds`), the screen locks by itself and asks the same clerk's PIN: that "
    "clerk finds the sale being typed as it was; another clerk (Esc, then their name) starts "
    "with an empty form.\n\n"
    "**Language and colours**: {palette} opens all commands: *Language: English / 中文* and "
    "*Theme: ...* change them for you only."
)

Row = tuple[tuple[str, ...], str]  # (keys: binding ids or "'fixed'"), what it does


def _sale_rows() -> list[Row]:
    quick = tuple(f"quick-amount-{n}" for n in range(1, 7))
    return [
        (("'Enter'",), N_("next field; on the amount, opens the confirmation")),
        (quick, N_("put one of the operator's usual amounts in the amount field")),
        (("clear-form",), N_("clear the form (it can be brought back)")),
        (("undo-clear",), N_("bring back the form Esc cleared, until something is typed")),
        (("history",), N_("History: find a sale, reprint it, void it")),
        (("reprint-last",), N_("reprint the last receipt (marked COPY)")),
        (("reports",), N_("Reports: X report, daily report, close the day, restock")),
        (("retry-printing",), N_("Retry printing: print the receipts waiting in the print queue")),
        (("lock",), N_("lock: back to login; the sale being typed is kept")),
        (("'ctrl+p'",), N_("all commands (language, theme, …)")),
        (("help",), N_("this help")),
        (("quit",), N_("quit Counter (asks first when a sale is half typed)")),
    ]


def _confirm_rows() -> list[Row]:
    return [
        (("confirm-enter", "confirm-yes"), N_("sell")),
        (("confirm-back",), N_("go back and change the number or amount")),
        (
            ("confirm-khqr",),
            N_(
                "pay by KHQR: a code for this sale, paid when Bakong confirms it (or the bank's "
                "reference, if the shop allows it); a customer's screenshot is never a confirmation"
            ),
        ),
    ]


def _khqr_rows() -> list[Row]:
    return [
        (("khqr-check-now",), N_("ask Bakong now whether the code is paid")),
        (
            ("khqr-by-hand",),
            N_(
                "confirm by hand with the bank's reference from the shop's bank app (a "
                "supervisor, or a clerk if the shop allows it)"
            ),
        ),
        (
            ("khqr-currency",),
            N_(
                "the same sale's code in riel at the shop's rate, or back in dollars (the code "
                "shown is cancelled)"
            ),
        ),
        (("khqr-cancel",), N_("cancel the code: the customer pays cash")),
    ]


def _history_rows() -> list[Row]:
    return [
        (("'up'", "'down'"), N_("choose a sale; its detail shows below")),
        (
            ("history-day-before", "history-day-after", "history-today"),
            N_("day before / day after / today"),
        ),
        (("'tab'",), N_("move to the day or search box")),
        (("history-reprint",), N_("reprint the chosen sale (marked COPY)")),
        (("history-void",), N_("void the chosen sale: a reason and a supervisor's name and PIN")),
        (("history-previous-page", "history-next-page"), N_("previous / next page")),
        (("history-back",), N_("back to the sale screen")),
    ]


def _reports_rows() -> list[Row]:
    return [
        (
            ("reports-day-before", "reports-day-after", "reports-today"),
            N_("day before / day after / today (or type a date, `2026-11-25`, Enter)"),
        ),
        (("reports-counters",), N_("this counter / all counters")),
        (("reports-x",), N_("X report (PDF): the figures so far; the day stays open")),
        (
            ("reports-pdf", "reports-csv", "reports-xlsx"),
            N_(
                "write the daily report as PDF / CSV / XLSX (the paths show); CSV and XLSX list "
                "customers' numbers: a clerk is asked for a supervisor's name and PIN"
            ),
        ),
        (
            ("reports-close-shift",),
            N_("close this shift (its Z report): the counted USD and riel; the day stays open"),
        ),
        (
            ("reports-close-day",),
            N_("close the day (Z report): counted USD and riel, a supervisor's name and PIN"),
        ),
        (
            ("reports-restock",),
            N_("restock an operator's airtime: operator, amount, reference, a supervisor's PIN"),
        ),
        (
            ("reports-rate",),
            N_("the exchange rate: the rate in force and a new one, a supervisor's PIN"),
        ),
        (
            ("reports-printer-test",),
            N_("printer test: a test slip (no sale) on this counter's printer; says if it printed"),
        ),
        (
            ("reports-users",),
            N_("Users (a supervisor or admin): add, a new PIN, unlock, disable"),
        ),
        (
            ("reports-khqr",),
            N_(
                "late KHQR payments: sell the top-up after all or record the refund outside "
                "the app, a supervisor's name and PIN"
            ),
        ),
        (("reports-back",), N_("back to the sale screen")),
    ]


def _users_rows() -> list[Row]:
    return [
        (("'up'", "'down'"), N_("choose a user")),
        (("users-add",), N_("add a clerk or supervisor: name, role, their PIN twice, your PIN")),
        (("users-pin",), N_("a new PIN for the chosen user (twice), then your PIN")),
        (("users-unlock",), N_("unlock the chosen user after wrong PINs; your PIN")),
        (("users-disable",), N_("disable the chosen user (asks first); your PIN")),
        (("users-back",), N_("back to Reports")),
    ]


def _binding_classes() -> list[type[DOMNode]]:
    from counter.ui.app import CounterApp
    from counter.ui.modals.confirm_sale import ConfirmSaleScreen
    from counter.ui.modals.duplicate import DuplicateScreen
    from counter.ui.modals.khqr_pay import KhqrPayScreen
    from counter.ui.screens.history import HistoryScreen
    from counter.ui.screens.reports import ReportsScreen
    from counter.ui.screens.sale import SaleScreen
    from counter.ui.screens.users import UsersScreen

    return [
        CounterApp,
        SaleScreen,
        ConfirmSaleScreen,
        DuplicateScreen,
        KhqrPayScreen,
        HistoryScreen,
        ReportsScreen,
        UsersScreen,
    ]


Table = list[tuple[str, str]]  # (the keys as shown, what they do), translated
Block = tuple[str, "str | Table"]  # ("title" | "heading" | "prose", text) or ("table", rows)


def help_blocks(keymap: Mapping[str, str]) -> list[Block]:
    """The help in the language in force, with the keys in force under `keymap` (binding
    id -> key): titles, prose (with `**bold**`, `*italic*` and `` `code` ``) and key tables."""
    keymap = normalize_keymap(keymap)
    classes = _binding_classes()

    def key(item: str) -> str:
        if item.startswith("'"):
            fixed = item.strip("'")
            return {"up": "↑", "down": "↓"}.get(fixed, key_label(fixed))
        for node_class in classes:
            shown = key_for(item, keymap, node_class)
            if shown != item:
                return shown
        return item

    def table(rows: list[Row]) -> Block:
        shown_rows: Table = []
        for items, what in rows:
            shown = [key(item) for item in items]
            joined = " … ".join((shown[0], shown[-1])) if len(shown) > 3 else " / ".join(shown)
            shown_rows.append((joined, _(what)))
        return ("table", shown_rows)

    return [
        ("title", _("Counter: help")),
        ("prose", _(INTRO)),
        ("prose", _(TYPE_AHEAD_PROSE)),
        ("heading", _("Sale screen")),
        table(_sale_rows()),
        (
            "prose",
            _(SALE_PROSE).format(
                retry=key("retry-printing"), reports=key("reports"), restock=key("reports-restock")
            ),
        ),
        ("heading", _("Confirmation")),
        table(_confirm_rows()),
        (
            "prose",
            _(CONFIRM_PROSE).format(
                yes=key("duplicate-yes"), no=key("duplicate-no"), sell=key("confirm-yes")
            ),
        ),
        ("heading", _("KHQR code")),
        table(_khqr_rows()),
        ("heading", _("History ({key})").format(key=key("history"))),
        table(_history_rows()),
        ("prose", _(HISTORY_PROSE)),
        ("heading", _("Reports ({key})").format(key=key("reports"))),
        table(_reports_rows()),
        ("prose", _(REPORTS_PROSE)),
        ("heading", _("Users (Reports, {key})").format(key=key("reports-users"))),
        table(_users_rows()),
        ("prose", _(USERS_PROSE)),
        ("heading", _("Opening cash")),
        ("prose", _(OPENING_CASH_PROSE)),
        ("heading", _("Login and lock")),
        ("prose", _(LOGIN_PROSE).format(palette=key_label("ctrl+p"))),
    ]


def help_markdown(keymap: Mapping[str, str]) -> str:
    """The help as Markdown text (what the screen shows, for reading and for tests)."""
    key_title, what_title = _("Key"), _("What it does")
    parts: list[str] = []
    for kind, content in help_blocks(keymap):
        if isinstance(content, list):
            lines = [f"| {key_title} | {what_title} |", "|---|---|"]
            lines += [f"| {keys.replace('|', '/')} | {what} |" for keys, what in content]
            parts.append("\n".join(lines))
        else:
            parts.append({"title": "# ", "heading": "## "}.get(kind, "") + content)
    return "\n\n".join(parts)


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close"), id="help-close"),
        Binding("f1", "close", N_("Close"), id="help-close-f1", show=False),
        Binding("q", "close", N_("Close"), id="help-close-q", show=False),
    ]

    def compose(self) -> ComposeResult:
        keymap = keymap_of(self.app)
        view = HelpView(help_renderable(help_blocks(keymap)), help_markdown(keymap), id="help-box")
        view.border_title = _("Help · {key} closes").format(
            key=key_for("help-close", keymap, HelpScreen)
        )
        yield view

    def action_close(self) -> None:
        self.dismiss(None)
