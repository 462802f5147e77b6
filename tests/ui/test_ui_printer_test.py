"""The printer test on the screen (Reports `t`, the palette "Printer test"): the same body
as `counter printers test` (`counter.printer_check`), then words that say whether the
slip printed. The PDF printer and python-escpos on a file, as in tests/printing."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from counter.bootstrap import make_printer
from counter.config import load_settings
from counter.printing.printers import EscposPrinter
from counter.printing.receipt import printer_test_slip
from tests.printing.helpers import PdfReader
from tests.support.system import require_tool
from tests.ui.helpers import (
    NOW,
    Shop,
    log_in,
    make_app,
    run_command,
    screen_text,
    wait_for_screen,
    wait_until,
)


def notes(pilot: Pilot[None]) -> str:
    return " | ".join(str(n.message) for n in pilot.app._notifications)


async def press_t_on_reports(pilot: Pilot[None]) -> str:
    await pilot.press("f10")
    await wait_for_screen(pilot, "ReportsScreen")
    await pilot.press("t")
    await wait_until(
        pilot,
        lambda: screen_text(pilot, "#report-message").startswith("The test slip"),
        "the test's words",
    )
    return screen_text(pilot, "#report-message")


async def test_t_on_reports_prints_the_test_slip_on_the_pdf_printer(
    shop: Shop, screen_home: Path
) -> None:
    pdf_reader = PdfReader(require_tool("pdftotext"), require_tool("pdfinfo"))
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)  # a clerk may test the printer, as with `counter printers test`
        said = await press_t_on_reports(pilot)
    slip = screen_home / "receipts" / "TEST.pdf"
    assert said == (
        f"The test slip printed. Receipt TEST saved to {slip}. "
        "Printer: pdf, 80 mm paper, second languages: none."
    )
    words = pdf_reader.text(slip)
    assert "Printer test: this is not a sale and not a receipt." in " ".join(words.split())


async def test_the_escpos_printer_gets_the_clis_test_slip_bytes(
    shop: Shop, screen_home: Path
) -> None:
    device = screen_home / "lp0"
    device.write_bytes(b"")
    changes = {"printer": "escpos", "escpos_connection": f"file:{device}"}
    async with make_app(**changes).run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        said = await press_t_on_reports(pilot)
    assert said.startswith(f"The test slip printed. Receipt TEST printed on {device}.")
    settings = load_settings(**changes)
    printer = make_printer(settings)
    assert isinstance(printer, EscposPrinter)
    slip = printer_test_slip(
        NOW, shop_name="Counter printer test", shop_address=settings.shop_address, tz=settings.zone
    )
    assert device.read_bytes() == printer.render(slip)  # the slip the CLI prints, byte for byte
    assert b"Printer test" in device.read_bytes()


async def test_a_dead_printer_is_said_from_the_palette(shop: Shop) -> None:
    changes = {"printer": "escpos", "escpos_connection": "file:/nonexistent/usb/lp0"}
    async with make_app(**changes).run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await run_command(pilot, "Printer test")
        await wait_until(pilot, lambda: "test slip" in notes(pilot), "the notification")
        said = notes(pilot)
    assert "The test slip did not print. Receipt not printed: cannot open the printer" in said
    assert "/nonexistent/usb/lp0" in said
