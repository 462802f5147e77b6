"""A clerk's CSV or XLSX report on the Reports screen (F10): a supervisor's name and PIN in
a modal (PIN masked), then the file written through the same use case as `counter report
--format csv --by NAME`, 0600, audited with the supervisor's name. Driven with Pilot."""

from __future__ import annotations

import stat
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from counter.services.access import wrong_name_or_pin
from tests.ui.helpers import (
    CLERK,
    SUPERVISOR,
    SUPERVISOR_PIN,
    Shop,
    audited,
    log_in,
    make_app,
    screen_text,
    seed_sales,
    type_text,
    wait_for_screen,
    wait_until,
)


async def open_reports(pilot: Pilot[None]) -> None:
    await pilot.press("f10")
    await wait_for_screen(pilot, "ReportsScreen")
    await wait_until(
        pilot, lambda: "Expected cash" in screen_text(pilot, "#report-figures"), "figures"
    )


async def test_a_clerks_csv_is_written_after_a_supervisors_pin_and_audited(
    shop: Shop, screen_home: Path
) -> None:
    seed_sales(shop)
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)  # Dara, a clerk
        await open_reports(pilot)
        await pilot.press("c")
        await wait_for_screen(pilot, "ReportPinScreen")
        assert "lists every customer's number" in " ".join(
            str(s.render()) for s in pilot.app.screen.query(".form-intro")
        )
        await type_text(pilot, SUPERVISOR)
        await pilot.press("enter")
        await type_text(pilot, SUPERVISOR_PIN)
        pin = pilot.app.screen.query_one("#report-pin", Input)
        assert pin.password, "the PIN is masked"
        await pilot.press("enter")
        await wait_for_screen(pilot, "ReportsScreen")
        await wait_until(
            pilot, lambda: "(CSV) written" in screen_text(pilot, "#report-message"), "the CSV"
        )
        message = screen_text(pilot, "#report-message")
    paths = [Path(p) for p in message.split("written: ")[1].split(" and ")]
    assert len(paths) == 2
    for path in paths:
        assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "+85512345678" in paths[0].read_text() + paths[1].read_text()
    ((actor, detail),) = audited(shop, "report_exported")
    assert actor == SUPERVISOR and "csv" in detail
    assert CLERK not in actor


async def test_a_wrong_pin_gets_the_logins_sentence_and_writes_nothing(
    shop: Shop, screen_home: Path
) -> None:
    seed_sales(shop)
    async with make_app().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await open_reports(pilot)
        await pilot.press("s")
        await wait_for_screen(pilot, "ReportPinScreen")
        await type_text(pilot, SUPERVISOR)
        await pilot.press("enter")
        await type_text(pilot, "0000")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: wrong_name_or_pin() in screen_text(pilot, "#form-problem"),
            "the refusal",
        )
        assert pilot.app.screen.query_one("#report-pin", Input).value == "", "PIN cleared"
        await pilot.press("escape")
        await wait_for_screen(pilot, "ReportsScreen")
        assert screen_text(pilot, "#report-message") == "No report written."
    assert audited(shop, "report_exported") == []
    assert not list((screen_home / "reports").glob("*.xlsx"))
