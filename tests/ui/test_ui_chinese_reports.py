"""Reports (F10) in Chinese and what it opens: the figures (blind for a clerk, with the
expected cash for a supervisor), the X report, the CSV/XLSX with a supervisor's PIN, the
printer test, restock, the rate, the shift close and the day close, each with its
refusals and notifications. No English word on screen, at 100x30 and at 60x20."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from counter.services import set_user_language
from tests.ui.helpers import (
    MEI,
    MEI_PIN,
    SUPERVISOR,
    SUPERVISOR_PIN,
    Shop,
    add_chinese_clerk,
    assert_all_chinese,
    fill_first_run,
    log_in,
    make_app,
    screen_lines,
    screen_text,
    seed_sales,
    type_text,
    wait_for_screen,
    wait_until,
)

SIZES = [(100, 30), (60, 20)]


def path_words(home: Path) -> frozenset[str]:
    """A file's path is shown as the disk has it (the test's home, `reports`, the file's
    name and suffix), and a long one wraps anywhere: the Latin words of the paths under
    `home`, and their pieces, are the file system's, not sentences."""
    names = [str(home), *(str(path.relative_to(home)) for path in home.rglob("*"))]
    words = {word for name in names for word in re.findall(r"[A-Za-z]+", name)}
    return frozenset(
        word[start:end]
        for word in words
        for start in range(len(word))
        for end in range(start + 2, len(word) + 1)
    )


def message(pilot: Pilot[None]) -> str:
    return screen_text(pilot, "#report-message")


def noted(pilot: Pilot[None]) -> str:
    return " | ".join(f"{n.title} {n.message}" for n in pilot.app._notifications)


async def open_reports(pilot: Pilot[None], name: str = MEI, pin: str = MEI_PIN) -> None:
    await log_in(pilot, name, pin)
    await pilot.press("f10")
    await wait_for_screen(pilot, "ReportsScreen")
    await wait_until(pilot, lambda: "2026-11-25" in screen_text(pilot, "#report-figures"), "")
    await pilot.pause(0.1)


async def press_and_wait(pilot: Pilot[None], key: str, what: str) -> None:
    """`key`, then the message line settles (no `…` of a job still running)."""
    before = message(pilot)
    await pilot.press(key)
    await wait_until(
        pilot, lambda: message(pilot) != before and not message(pilot).endswith("…"), what
    )
    await pilot.pause(0.1)


async def fill(pilot: Pilot[None], *lines: str) -> None:
    for line in lines:
        await type_text(pilot, line)
        await pilot.press("enter")


def problem(pilot: Pilot[None]) -> str:
    return screen_text(pilot, "#form-problem")


async def refused(pilot: Pilot[None], what: str) -> None:
    await wait_until(pilot, lambda: bool(problem(pilot)) and not problem(pilot).endswith("…"), what)


async def answer(pilot: Pilot[None], *lines: str, what: str) -> None:
    """Fill `lines` from the focused field on, then wait for the form's new answer."""
    pilot.app.screen.query_one("#form-problem", Static).update("")
    await fill(pilot, *lines)
    await refused(pilot, what)


@pytest.mark.parametrize("size", SIZES)
async def test_a_clerks_reports_are_chinese(
    shop: Shop, screen_home: Path, size: tuple[int, int]
) -> None:
    add_chinese_clerk(shop)
    seed_sales(shop)
    async with make_app().run_test(size=size, notifications=True) as pilot:
        await open_reports(pilot)
        assert_all_chinese(pilot, "reports of a day with sales (blind)")
        await pilot.press("f2")  # the day before: no sales
        await wait_until(pilot, lambda: "2026-11-24" in screen_text(pilot, "#report-figures"), "")
        assert_all_chinese(pilot, "reports of a day without sales")
        await pilot.press("f4", "a")  # today, all counters
        await wait_until(pilot, lambda: "2026-11-25" in screen_text(pilot, "#report-figures"), "")
        await pilot.pause(0.2)
        assert_all_chinese(pilot, "reports, all counters")
        await pilot.press("a")
        field = pilot.app.screen.query_one("#report-day")
        field.value = "2026-13-01"  # type: ignore[attr-defined]
        await press_and_wait(pilot, "enter", "a day refused")
        assert_all_chinese(pilot, "reports, a day refused")
        await pilot.press("f4")
        await wait_until(pilot, lambda: "2026-11-25" in screen_text(pilot, "#report-figures"), "")
        await press_and_wait(pilot, "x", "the X report")
        assert_all_chinese(pilot, "reports, the X report written", also=path_words(screen_home))
        await press_and_wait(pilot, "p", "the PDF")
        assert_all_chinese(pilot, "reports, the PDF written", also=path_words(screen_home))

        await pilot.press("c")  # a CSV lists customers' numbers: a supervisor's PIN
        await wait_for_screen(pilot, "ReportPinScreen")
        assert_all_chinese(pilot, "the report PIN form", also=path_words(screen_home))
        await pilot.press("enter", "enter")
        await refused(pilot, "nothing typed")
        assert_all_chinese(
            pilot, "the report PIN form, nothing typed", also=path_words(screen_home)
        )
        pilot.app.screen.query_one("#report-supervisor").focus()
        await answer(pilot, SUPERVISOR, "0000", what="a wrong PIN")
        assert_all_chinese(pilot, "the report PIN form, a wrong PIN", also=path_words(screen_home))
        await pilot.press("escape")
        await wait_for_screen(pilot, "ReportsScreen")
        assert_all_chinese(pilot, "reports, no report written", also=path_words(screen_home))
        await pilot.press("s")
        await wait_for_screen(pilot, "ReportPinScreen")
        await fill(pilot, SUPERVISOR, SUPERVISOR_PIN)
        await wait_for_screen(pilot, "ReportsScreen")
        await wait_until(pilot, lambda: "XLSX" in message(pilot), "the XLSX written")
        assert_all_chinese(pilot, "reports, the XLSX written", also=path_words(screen_home))

        await press_and_wait(pilot, "t", "the printer test")
        assert_all_chinese(pilot, "reports, the printer test", also=path_words(screen_home))


@pytest.mark.parametrize("size", SIZES)
async def test_restock_and_rate_and_their_refusals_are_chinese(
    shop: Shop, size: tuple[int, int]
) -> None:
    add_chinese_clerk(shop)
    async with make_app().run_test(size=size, notifications=True) as pilot:
        await open_reports(pilot)
        await pilot.press("r")
        await wait_for_screen(pilot, "RestockScreen")
        # the operators' codes, as the clerk types them (smart, cellcard…)
        codes = frozenset(op.id for op in pilot.app.till.rules)  # type: ignore[attr-defined]
        assert_all_chinese(pilot, "the restock form", also=codes)
        await pilot.press(*["enter"] * 5)
        await refused(pilot, "nothing typed")
        assert_all_chinese(pilot, "the restock form, nothing typed", also=codes)
        pilot.app.screen.query_one("#restock-operator").focus()
        await fill(pilot, "nokia", "100", "7788", SUPERVISOR, SUPERVISOR_PIN)
        await refused(pilot, "an unknown operator")
        assert_all_chinese(
            pilot, "the restock form, no such operator", also=codes | {"nokia", "nokia'"}
        )
        pilot.app.screen.query_one("#restock-operator").value = "smart"  # type: ignore[attr-defined]
        supervisor = pilot.app.screen.query_one("#restock-supervisor")
        supervisor.value = ""  # type: ignore[attr-defined]
        supervisor.focus()
        await answer(pilot, MEI, MEI_PIN, what="a clerk refused")
        assert_all_chinese(pilot, "the restock form, a clerk's PIN", also=codes)
        supervisor.value = ""  # type: ignore[attr-defined]
        supervisor.focus()
        await fill(pilot, SUPERVISOR, SUPERVISOR_PIN)
        await wait_for_screen(pilot, "ReportsScreen")
        await pilot.pause(0.2)
        assert_all_chinese(pilot, "reports after a restock")

        await pilot.press("e")
        await wait_for_screen(pilot, "RateScreen")
        assert_all_chinese(pilot, "the rate form")
        await pilot.press("enter", "enter", "enter")
        await refused(pilot, "nothing typed")
        assert_all_chinese(pilot, "the rate form, nothing typed")
        pilot.app.screen.query_one("#rate-new").focus()
        await answer(pilot, "99", SUPERVISOR, SUPERVISOR_PIN, what="a rate out of range")
        assert_all_chinese(pilot, "the rate form, a rate out of range")
        pilot.app.screen.query_one("#rate-new").value = "4100"  # type: ignore[attr-defined]
        pilot.app.screen.query_one("#rate-pin").focus()
        await fill(pilot, SUPERVISOR_PIN)
        await wait_for_screen(pilot, "ReportsScreen")
        await pilot.pause(0.2)
        assert_all_chinese(pilot, "reports after a new rate")


@pytest.mark.parametrize("size", SIZES)
async def test_a_supervisors_reports_show_the_expected_cash_in_chinese(
    shop: Shop, screen_home: Path, size: tuple[int, int]
) -> None:
    set_user_language(shop.ledger, SUPERVISOR, "zh", by=shop.admin)
    seed_sales(shop)
    async with make_app().run_test(size=size, notifications=True) as pilot:
        await open_reports(pilot, SUPERVISOR, SUPERVISOR_PIN)
        assert_all_chinese(pilot, "a supervisor's reports")
        await press_and_wait(pilot, "c", "the CSV, no PIN asked")
        assert_all_chinese(pilot, "a supervisor's CSV written", also=path_words(screen_home))


@pytest.mark.parametrize("size", SIZES)
async def test_the_shift_close_and_the_day_close_are_chinese(
    shop: Shop, screen_home: Path, size: tuple[int, int]
) -> None:
    add_chinese_clerk(shop)
    seed_sales(shop)
    async with make_app().run_test(size=size, notifications=True) as pilot:
        await open_reports(pilot)
        await pilot.press("k")
        await wait_for_screen(pilot, "CloseShiftScreen")
        assert_all_chinese(pilot, "the shift close, blind", also=path_words(screen_home))
        await pilot.press(*["enter"] * 4)
        await refused(pilot, "nothing typed")
        assert_all_chinese(pilot, "the shift close, nothing typed")
        pilot.app.screen.query_one("#shift-usd").focus()
        await answer(pilot, "20x1 1x4", "4000", SUPERVISOR, "", what="a name without a PIN")
        assert_all_chinese(pilot, "the shift close, a name without a PIN")
        await answer(pilot, "0000", what="a wrong PIN")
        assert_all_chinese(pilot, "the shift close, a wrong PIN")
        await fill(pilot, SUPERVISOR_PIN)
        await wait_for_screen(pilot, "ReportsScreen")
        await wait_until(pilot, lambda: not message(pilot).endswith("…"), "closed")
        await pilot.pause(0.2)
        assert_all_chinese(pilot, "reports after the shift close", also=path_words(screen_home))

        await pilot.press("z")
        await wait_for_screen(pilot, "CloseDayScreen")
        assert_all_chinese(pilot, "the day close", also=path_words(screen_home))
        await pilot.press(*["enter"] * 4)
        await refused(pilot, "nothing typed")
        assert_all_chinese(pilot, "the day close, nothing typed", also=path_words(screen_home))
        await pilot.press("escape")
        await wait_for_screen(pilot, "ReportsScreen")
        await wait_until(pilot, lambda: bool(message(pilot)), "not closed")
        assert_all_chinese(pilot, "reports, the day not closed", also=path_words(screen_home))
        await pilot.press("z")
        await wait_for_screen(pilot, "CloseDayScreen")
        await pilot.pause(0.1)
        await pilot.press(*["enter"] * 2)
        await answer(pilot, MEI, MEI_PIN, what="a clerk's PIN")
        assert_all_chinese(pilot, "the day close, a clerk's PIN", also=path_words(screen_home))
        for name in ("#day-supervisor", "#close-supervisor"):
            for field in pilot.app.screen.query(name):
                field.value = ""  # type: ignore[attr-defined]
                field.focus()
        await fill(pilot, SUPERVISOR, SUPERVISOR_PIN)
        await wait_for_screen(pilot, "ReportsScreen")
        await wait_until(pilot, lambda: any(n.timeout == 15 for n in pilot.app._notifications), "")
        await pilot.pause(0.2)
        assert_all_chinese(pilot, "reports after the day close", also=path_words(screen_home))
        await press_and_wait(pilot, "z", "a second close refused")
        assert_all_chinese(
            pilot, "reports, a second day close refused", also=path_words(screen_home)
        )
        assert screen_lines(pilot)


async def _first_run_refused(pilot: Pilot[None], what: str) -> None:
    said = pilot.app.screen.query_one("#first-run-message", Static)
    said.update("")
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: bool(screen_text(pilot, "#first-run-message")), what)
    await pilot.pause(0.1)


@pytest.mark.parametrize("size", SIZES)
async def test_the_first_run_form_is_chinese(screen_home: Path, size: tuple[int, int]) -> None:
    """A shop set up in Chinese (COUNTER_LANG=zh, or `language = "zh"`): the set-up form."""
    async with make_app(language="zh").run_test(size=size, notifications=True) as pilot:
        await wait_for_screen(pilot, "FirstRunScreen")
        assert_all_chinese(pilot, "the first-run form")
        await _first_run_refused(pilot, "nothing typed")
        assert_all_chinese(pilot, "the first-run form, nothing typed")
        await fill_first_run(pilot, counter_code="1A")
        await _first_run_refused(pilot, "a counter code refused")
        # the code as typed, quoted: `'1A'` (its letter and the quote read as a word)
        assert_all_chinese(
            pilot, "the first-run form, a counter code refused", also=frozenset({"A'"})
        )
        await fill_first_run(pilot, admin_pin_again="4321")
        await _first_run_refused(pilot, "two PINs")
        assert_all_chinese(pilot, "the first-run form, two PINs differ")
        await fill_first_run(pilot, admin_pin="12", admin_pin_again="12")
        await _first_run_refused(pilot, "a PIN too short")
        assert_all_chinese(pilot, "the first-run form, a PIN too short")
        await fill_first_run(pilot, riel_per_usd="40")
        await _first_run_refused(pilot, "a rate out of range")
        assert_all_chinese(pilot, "the first-run form, a rate out of range")
        await fill_first_run(pilot, riel_per_usd="四千")
        await _first_run_refused(pilot, "a rate not a number")
        assert_all_chinese(pilot, "the first-run form, a rate not a number")
        await fill_first_run(pilot)
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, "LoginScreen")
        await pilot.pause(0.2)
        assert_all_chinese(pilot, "the login after the first run")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("who", ["clerk", "supervisor"])
async def test_a_day_close_with_its_own_count_is_chinese(
    shop: Shop, screen_home: Path, size: tuple[int, int], who: str
) -> None:
    """The day closed without a shift close first: the count on the day's own form, blind
    for a clerk, with the expected cash and the difference for a supervisor."""
    add_chinese_clerk(shop)
    set_user_language(shop.ledger, SUPERVISOR, "zh", by=shop.admin)
    seed_sales(shop)
    name, pin = (MEI, MEI_PIN) if who == "clerk" else (SUPERVISOR, SUPERVISOR_PIN)
    async with make_app().run_test(size=size, notifications=True) as pilot:
        await open_reports(pilot, name, pin)
        await pilot.press("z")
        await wait_for_screen(pilot, "CloseDayScreen")
        await pilot.pause(0.1)
        assert_all_chinese(pilot, f"the day close, its own count ({who})")
        await answer(pilot, "20x1 1x3", "2000", "", "", what="nothing but the count")
        assert_all_chinese(pilot, f"the day close, counted ({who}), no supervisor")
        await fill(pilot, SUPERVISOR, SUPERVISOR_PIN)
        await wait_for_screen(pilot, "ReportsScreen")
        await wait_until(pilot, lambda: bool(pilot.app._notifications), "the day closed said")
        await pilot.pause(0.2)
        also = path_words(screen_home)
        assert_all_chinese(pilot, f"reports after the day close ({who})", also=also)
