"""Issue 14: the screen's day close prints its Z report on the receipt roll, through the
same code as `counter close-day` (`make_roll_printer`, then `zreports.print_z`), and says
in words whether it printed; a printer that cannot be reached keeps the close."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from counter.services import day_close
from tests.printing.helpers import printed_lines, split_escpos
from tests.ui.helpers import (
    NOW,
    SUPERVISOR,
    SUPERVISOR_PIN,
    Shop,
    log_in,
    make_app,
    screen_text,
    seed_sales,
    type_text,
    wait_for_screen,
    wait_until,
)
from tests.ui.test_ui_dayend import open_reports

DAY = NOW.date()


async def _close_the_day(pilot: Pilot[None]) -> str:
    await log_in(pilot)
    await open_reports(pilot)
    await pilot.press("z")
    await wait_for_screen(pilot, "CloseDayScreen")
    for text in ("20", "4000", SUPERVISOR, SUPERVISOR_PIN):
        await type_text(pilot, text)
        await pilot.press("enter")
    await wait_for_screen(pilot, "ReportsScreen")
    await wait_until(pilot, lambda: "CLOSED" in screen_text(pilot, "#report-figures"), "closed")
    return " ".join(screen_text(pilot, "#report-message").split())


async def test_the_day_close_prints_its_z_report_on_the_thermal_roll(
    shop: Shop, tmp_path: Path
) -> None:
    seed_sales(shop)  # $5 + $2 + $10 + $5 + $2, paid exactly
    device = tmp_path / "lp0"
    device.touch()
    app = make_app(printer="escpos", escpos_connection=f"file:{device}", escpos_profile="TM-T20II")
    async with app.run_test(size=(100, 30)) as pilot:
        message = await _close_the_day(pilot)
    assert f"Report printed on {device}." in message
    assert "Z report:" in message  # the A4 PDF stays
    close = day_close(shop.ledger, DAY, "A")
    assert close is not None
    lines = printed_lines(split_escpos(device.read_bytes()))
    words = " ".join(" ".join(lines).split())
    assert "Z report (day close)" in words and DAY.isoformat() in words
    columns = 48  # 80 mm, font A
    # Hand count: $24.00 sold and received, nothing opened: $24.00 expected, $20 counted.
    assert f"{'Expected (USD)':<{columns - 6}}{'$24.00':>6}" in lines
    assert f"{'Counted (USD)':<{columns - 6}}{'$20.00':>6}" in lines
    assert f"{'Difference (USD)':<{columns - 6}}{'-$4.00':>6}" in lines
    assert f"{'Smart':<{columns - 8}}{'1 $10.00':>8}" in lines
    assert f"{'TOTAL':<{columns - 8}}{'5 $24.00':>8}" in lines
    assert "Shift 1 and the day are closed." in lines
    assert any(line.startswith("Z code") and " Z-" in line for line in lines)


async def test_a_roll_printer_that_cannot_be_reached_keeps_the_close_and_says_so(
    shop: Shop, tmp_path: Path
) -> None:
    seed_sales(shop)
    gone = tmp_path / "no-such-folder" / "lp0"
    app = make_app(printer="escpos", escpos_connection=f"file:{gone}", escpos_profile="TM-T20II")
    async with app.run_test(size=(100, 30)) as pilot:
        message = await _close_the_day(pilot)
    assert "Report not printed:" in message and "Z report:" in message
    assert "Traceback" not in message
    close = day_close(shop.ledger, DAY, "A")
    assert close is not None and close.closed_by == SUPERVISOR
    assert not gone.exists()
