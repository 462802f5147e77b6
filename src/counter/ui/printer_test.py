"""The printer test on the screen (Reports `t`, the palette): the same body as `counter
printers test` (`counter.printer_check`), on the till's printer, in a thread worker, then
one sentence that says whether the slip printed."""

from __future__ import annotations

from collections.abc import Callable

from textual.dom import DOMNode

from counter.i18n import _, current_voice, speak_with
from counter.ui.till import Till

Said = Callable[[str, bool], object]  # the sentence, and whether the slip printed


def printer_test_words(printed: bool, printing_off: bool, message: str, printer: str) -> str:
    """`The test slip printed. Receipt TEST saved to ... Printer: pdf, 80 mm paper, ...`"""
    if printed:
        headline = _("The test slip printed.")
    elif printing_off:
        headline = _("Printing is off (printer = none): nothing was printed.")
    else:
        headline = _("The test slip did not print.")
    return f"{headline} {message} {printer}"


def run_printer_test(node: DOMNode, till: Till, said: Said) -> None:
    """Print the test slip off the screen's thread; `said` gets the sentence on it."""
    voice = current_voice()

    def work() -> None:
        from counter.printer_check import print_test_slip

        with speak_with(voice):
            tried = print_test_slip(till.settings, printer=till.printer, now=till.now())
            text = printer_test_words(
                tried.printed, tried.printing_off, tried.result.message, tried.printer
            )
        node.app.call_from_thread(tell, text, tried.printed)

    def tell(text: str, printed: bool) -> None:
        """`said`, in the screen's voice: the app's task it runs in has none of its own (its
        notification's title came out in English on a Chinese screen)."""
        with speak_with(voice):
            said(text, printed)

    node.run_worker(work, group="printer-test", exclusive=True, exit_on_error=False, thread=True)
