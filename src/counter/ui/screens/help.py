"""Help (F1): what each screen is for, and every key."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# Counter: help

**Sell a top-up**: type the customer's number and press **Enter**; type the amount and
press **Enter**; check the confirmation and press **Enter** again. The receipt prints by itself.

## Sale screen
| Key | What it does |
|---|---|
| Enter | next field; on the amount, opens the confirmation |
| F2 … F7 | put one of the operator's usual amounts in the amount field |
| Esc | clear the form |
| F8 | History: find a sale, reprint it, void it |
| F9 | reprint the last receipt (marked COPY) |
| F10 | Reports: X report, daily report, close the day, restock |
| F12 | Retry printing: print the receipts waiting in the print queue |
| Ctrl+L | lock: back to login; the sale being typed is kept |
| Ctrl+P | all commands |
| F1 | this help · Ctrl+Q quits |

As you type the number, its operator shows in its colour and the number is grouped
(`012 345 678`). A problem is said in words under the field. Beside the form: today's sales
at this counter, the totals per operator, and the number's last top-ups.

**Amounts in riel**: add `r` (or `៛`) after the amount: `5000r`. Without it, the amount is
US dollars.

**Receipts waiting to print**: when the printer fails, the sale is recorded and its
receipt waits; a line says how many wait. F12 prints them (each once), and Counter
tries again by itself every 30 seconds while any wait.

**Low airtime stock**: when the detected operator's airtime balance is low, a warning
line shows under the form. Restock from Reports (F10, then r).

## Confirmation
| Key | What it does |
|---|---|
| Enter or y | sell |
| Esc | go back and change the number or amount |

**Cash received**: leave it empty when the customer pays the exact amount. Type dollars
(`10`) or riel with an `r` (`20000r`): the change in dollars and riel shows at once.
Large amounts ask for the last 4 digits of the number again. The same number and amount
sold a few minutes ago asks before selling again: `y` sells, `n`, Enter or Esc does not.

## History (F8)
| Key | What it does |
|---|---|
| ↑ ↓ | choose a sale; its detail shows below |
| F2 / F3 / F4 | day before / day after / today |
| Tab | move to the day or search box |
| F5 | reprint the chosen sale (marked COPY) |
| F6 | void the chosen sale: a reason and a supervisor's name and PIN |
| PgUp / PgDn | previous / next page |
| Esc | back to the sale screen |

Search finds a part of a number (`5678`), a receipt number (`A-000042`) or an operator
(`Smart`). Empty the day box to search every day.

## Reports (F10)
| Key | What it does |
|---|---|
| F2 / F3 / F4 | day before / day after / today (or type a date, `2026-11-25`, Enter) |
| a | this counter / all counters |
| x | X report (PDF): the figures so far; the day stays open |
| p / c / s | write the daily report as PDF / CSV / XLSX (the paths show) |
| z | close the day (Z report): counted USD and riel, a supervisor's name and PIN |
| r | restock an operator's airtime: operator, amount, reference, a supervisor's PIN |
| Esc | back to the sale screen |

The screen shows the totals per operator (sales, amount, commission), the voids, the cash
expected in the drawer in dollars and riel, and each operator's airtime balance.

**Closing the day**: count the drawer; the difference from what is expected shows in
each currency as you type. After the close, no more sales are recorded for that day at
this counter: sales start again at midnight.

## Opening float
At the first login of the day, Counter asks for the cash in the drawer (dollars and riel)
before the sale screen; it counts in the expected cash. A clerk cannot skip it (type 0
when empty); a supervisor or admin can press Esc to skip, and expected cash then starts
at zero (the float can still be entered at the next login).

## Login and lock
Type your name, **Enter**, your PIN, **Enter**. After a few wrong PINs the account locks
for a while; a supervisor can unlock it. With no key pressed for a while, the screen goes
back to login by itself; the sale being typed stays in the form.
"""


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="help-close"),
        Binding("f1", "close", "Close", id="help-close-f1", show=False),
        Binding("q", "close", "Close", id="help-close-q", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Help · Esc closes"
            yield Markdown(HELP)

    def action_close(self) -> None:
        self.dismiss(None)
