"""Driving the counter screen in tests: a set-up shop, a fixed clock, and waiting for text."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Static

from counter.bootstrap import init_shop
from counter.config import Settings, load_settings
from counter.domain.money import Money
from counter.services import (
    Ledger,
    User,
    add_user,
    authenticate,
    record_opening_cash,
    sell,
)
from counter.ui.app import CounterApp
from tests.support.ledger import date_set_up_back

PHNOM_PENH = ZoneInfo("Asia/Phnom_Penh")
# Wednesday 25 November 2026, 10:30 at the shop: every screen test sees this "now".
NOW = datetime(2026, 11, 25, 10, 30, tzinfo=PHNOM_PENH)

SHOP_NAME = "Sokha Phone Shop"
ADMIN, ADMIN_PIN = "Sok", "1234"
CLERK, CLERK_PIN = "Dara", "5678"
SUPERVISOR, SUPERVISOR_PIN = "Vanna", "2468"


@dataclass
class Shop:
    ledger: Ledger
    admin: User
    clerk: User
    supervisor: User


def set_up_shop(settings: Settings | None = None, *, opening_cash: bool = True) -> Shop:
    """The shop with an admin, a clerk and a supervisor; with `opening_cash`, today's
    (NOW's) opening cash is entered already, so a login goes straight to the sale screen."""
    ledger = init_shop(
        settings or load_settings(),
        shop_name=SHOP_NAME,
        counter_code="A",
        admin_name=ADMIN,
        admin_pin=ADMIN_PIN,
        riel_per_usd=4000,
        address="St 271, Phnom Penh",
    )
    date_set_up_back(ledger, datetime(2026, 1, 1, tzinfo=UTC))  # NOW is a fixed past day
    admin = authenticate(ledger, ADMIN, ADMIN_PIN)
    clerk = add_user(ledger, CLERK, "clerk", CLERK_PIN, by=admin)
    supervisor = add_user(ledger, SUPERVISOR, "supervisor", SUPERVISOR_PIN, by=admin)
    if opening_cash:
        record_opening_cash(ledger, NOW.date(), "A", 0, 0, by=admin, now=NOW.astimezone(UTC))
    return Shop(ledger, admin, clerk, supervisor)


def seed_sales(shop: Shop) -> None:
    """A morning's sales at fixed times, so snapshots never change."""
    plan = [
        ("012 345 678", 500, (8, 5)),
        ("097 123 4567", 200, (8, 40)),
        ("010 222 333", 1000, (9, 12)),
        ("088 765 4321", 500, (9, 58)),
        ("012 345 678", 200, (10, 21)),
    ]
    for number, cents, (hour, minute) in plan:
        at = NOW.replace(hour=hour, minute=minute).astimezone(UTC)
        sell(
            shop.ledger,
            shop.clerk,
            number,
            Money.usd(cents),
            now=at,
            idempotency_key=f"seed-{hour}{minute}",
        )


def fixed_clock() -> datetime:
    return NOW


def make_app(**changes: object) -> CounterApp:
    settings = load_settings(**changes) if changes else load_settings()
    return CounterApp(settings, clock=fixed_clock)


# -- driving --------------------------------------------------------------------------


async def wait_until(
    pilot: Pilot[None], check: Callable[[], bool], what: str, timeout: float = 10
) -> None:
    """Let the app run until `check()` holds; fail naming `what` otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.02)
        try:
            if check():
                return
        except Exception:  # the screen is being built: ask again
            pass
    raise AssertionError(
        f"timed out waiting for {what}; screen is {type(pilot.app.screen).__name__}"
    )


async def wait_for_screen(pilot: Pilot[None], name: str) -> None:
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == name, f"the {name}")


def burst(pilot: Pilot[None], data: str) -> None:
    """`data` as ONE terminal read: Textual's own parser turns it into events (`\r` is
    Enter), and every event is in the App's queue before the App handles the first one,
    as the terminal driver puts a burst there (a scanner, a paste, tmux send-keys)."""
    from textual._xterm_parser import XTermParser

    app = pilot.app
    for event in XTermParser().feed(data):
        event.set_sender(app)
        app.post_message(event)


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*[_key(char) for char in text])


def _key(char: str) -> str:
    named = {" ": "space", "-": "minus", ".": "full_stop", ",": "comma", "+": "plus"}
    return named.get(char, char)


async def log_in(
    pilot: Pilot[None], name: str = CLERK, pin: str = CLERK_PIN, *, drawer: bool = True
) -> None:
    """Log in; the day's first login enters an empty drawer as the opening cash
    (`drawer=False` stops at the opening cash instead)."""
    await wait_for_screen(pilot, "LoginScreen")
    await type_text(pilot, name)
    await pilot.press("enter")
    await type_text(pilot, pin)
    await pilot.press("enter")
    screens = ("SaleScreen", "OpeningCashScreen")
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ in screens, "the sale screen")
    if type(pilot.app.screen).__name__ == "OpeningCashScreen" and drawer:
        await pilot.press("0", "enter", "0", "enter")
    if drawer:
        await wait_for_screen(pilot, "SaleScreen")


def text_of(widget: Widget) -> str:
    """What a Static shows, as plain text."""
    if isinstance(widget, Input):
        return widget.value
    assert isinstance(widget, Static)
    return str(widget.render())


def screen_text(pilot: Pilot[None], selector: str) -> str:
    return text_of(pilot.app.screen.query_one(selector))


def footer_keys(pilot: Pilot[None]) -> dict[str, str]:
    """What the footer shows: each key and the words beside it (in the clerk's language)."""
    from counter.ui.widgets.footer import CounterFooter

    shown: dict[str, str] = {}
    for widget in pilot.app.screen.query_one(CounterFooter).query("*"):
        key, words = getattr(widget, "key", None), getattr(widget, "description", None)
        if isinstance(key, str) and isinstance(words, str):
            shown[key] = words
    return shown


def status(pilot: Pilot[None]) -> str:
    """The sale screen's status line, whichever screen is on top."""
    sale = pilot.app.sale_screen  # type: ignore[attr-defined]
    return text_of(sale.query_one("#status")) if sale is not None else ""


# -- languages, keys and themes -------------------------------------------------------

MEI, MEI_PIN = "Mei", "1357"  # the Chinese-speaking owner's clerk account


def add_chinese_clerk(shop: Shop, *, theme: str | None = None) -> User:
    """A clerk who reads Chinese (and, with `theme`, chose her own colours)."""
    from counter.services import set_user_theme

    mei = add_user(shop.ledger, MEI, "clerk", MEI_PIN, by=shop.admin, language="zh")
    if theme is not None:
        mei = set_user_theme(shop.ledger, MEI, theme, by=mei)
    return mei


def zh(message: str) -> str:
    """`message` as the Chinese catalog has it (failing if it has none)."""
    from counter.i18n import translations

    translated = translations("zh").gettext(message)
    assert translated != message, f"no Chinese for {message!r}"
    return translated


async def run_command(pilot: Pilot[None], search: str) -> None:
    """Open the command palette (Ctrl+P), type `search`, run the first match."""
    from textual.command import CommandPalette

    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), "the palette")
    await pilot.pause(0.1)
    for char in search:
        await pilot.press(_key(char) if char != ":" else "colon")
    await pilot.pause(0.4)  # the palette searches in the background
    await pilot.press("enter")
    await wait_until(
        pilot, lambda: not isinstance(pilot.app.screen, CommandPalette), "the palette to close"
    )


def screen_lines(pilot: Pilot[None]) -> list[str]:
    """The top screen as the terminal shows it, one string a row (what a person reads)."""
    return [strip.text for strip in pilot.app.screen._compositor.render_strips()]


def steady_cursor(pilot: Pilot[None]) -> None:
    """No blinking cursor on the top screen: a snapshot then shows the same cells every time
    (a blink caught half way made the amount field differ between runs)."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False


def audited(shop: Shop, action: str) -> list[tuple[str, str]]:
    """The audit log's rows of `action`: who, and the detail."""
    with shop.ledger.uow(write=False) as uow:
        return [(e.actor, e.detail) for e in uow.audit.entries(action=action)]


# -- Chinese screens ---------------------------------------------------------------------

# Latin words a Chinese screen may show: the dollar's sign, the payment scheme, the PIN, the
# operators' and people's names, file formats, report letters and the names of keys.
CHINESE_SCREEN_ALLOWS = frozenset(
    {
        "US", "KHQR", "PIN", "Bakong", "Smart", "Cellcard", "Metfone", "Seatel", "CooTel",
        "CSV", "XLSX", "PDF", "ESC/POS", "CUPS", "Z", "X", "USD", "KHR",
        "Enter", "Esc", "Escape", "Tab", "Ctrl", "Shift", "Alt", "Space", "Backspace",
        "Up", "Down", "Left", "Right", "PgUp", "PgDn", "Home", "End", "Del", "Delete",
        "Ins", "Insert", "ctrl", "shift", "enter", "esc", "tab", "space", "up", "down",
        "left", "right", "home", "end", "delete", "backspace", "pageup", "pagedown",
        SHOP_NAME.split()[0], "Phone", "Shop", "St", "Phnom", "Penh", "Counter",
        ADMIN, CLERK, SUPERVISOR, MEI,
    }
)  # fmt: skip
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")


def english_words(lines: list[str], allowed: frozenset[str] = CHINESE_SCREEN_ALLOWS) -> list[str]:
    """The Latin words of two letters or more on `lines` that a Chinese screen should not
    show (a key's one letter, `k`, is a key; `F1`-`F12` and numbers are not words)."""
    found: list[str] = []
    for line in lines:
        for word in _LATIN_WORD.findall(line):
            if word not in allowed and not re.fullmatch(r"F\d{1,2}", word) and word not in found:
                found.append(word)
    return found


def assert_all_chinese(pilot: Pilot[None], where: str, also: frozenset[str] = frozenset()) -> None:
    """Fail, naming the words and the rows they are on, when the top screen shows English
    (or a bare `$`, which reads as the yuan's sign in Chinese: a dollar is `US$`)."""
    lines = screen_lines(pilot)
    words = english_words(lines, CHINESE_SCREEN_ALLOWS | also)
    rows = [line for line in lines if any(word in line for word in words)]
    assert not words, f"English on the Chinese {where}: {words}\n" + "\n".join(rows)
    bare = [line for line in lines if re.search(r"(?<!US)\$", line)]
    assert not bare, f"A dollar without US on the Chinese {where}:\n" + "\n".join(bare)


async def fill_first_run(pilot: Pilot[None], **values: str) -> None:
    """Fill the first-run form with a good shop, `values` (`admin_pin="12"`) replacing
    what they name."""
    fields = {
        "shop-name": SHOP_NAME,
        "counter-code": "A",
        "admin-name": ADMIN,
        "admin-pin": ADMIN_PIN,
        "admin-pin-again": ADMIN_PIN,
        "riel-per-usd": "4000",
    }
    fields.update({key.replace("_", "-"): value for key, value in values.items()})
    for field_id, value in fields.items():
        pilot.app.screen.query_one(f"#{field_id}", Input).value = value
    await pilot.pause(0.1)
