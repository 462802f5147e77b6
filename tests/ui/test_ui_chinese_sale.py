"""The sale screen walked in Chinese as the clerk Mei: the form empty, typed and refused,
the quick amounts, the confirmation (cash in dollars, riel, both; the implausible payment),
the duplicate, last-4 and quit questions, Esc and its undo, the status, print-queue, delivery
and float lines after sales, and the KHQR code; no English word on screen, at 100x30 and 60x20
(the KHQR code at 80x24, its smallest)."""

from __future__ import annotations

import errno
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from textual.pilot import Pilot

from counter.domain.khqr import KhqrState
from counter.services import restock
from counter.services.khqr import KhqrFinish
from tests.payments.standin import BakongStandIn
from tests.ui.helpers import (
    MEI,
    MEI_PIN,
    Shop,
    add_chinese_clerk,
    assert_all_chinese,
    log_in,
    make_app,
    screen_lines,
    screen_text,
    set_up_shop,
    status,
    type_text,
    wait_for_screen,
    wait_until,
    zh,
)
from tests.ui.test_ui_khqr import bakong, khqr_settings

__all__ = ["bakong"]  # the Bakong stand-in's fixture, shared with test_ui_khqr

SIZES = [(100, 30), (60, 20)]


# Latin on these screens that is right there: the amount's `e` as the clerk typed it, quoted
# in the refusal; the merchant's name on the KHQR code (the shop's bank account, as Bakong
# shows it); `Cellc`, the operator's badge (Cellcard) cut at the edge of a dialog over it.
TYPED_E, MERCHANT, CUT_BADGE = frozenset({"e'"}), frozenset({"Lucky"}), frozenset({"Cellc"})


async def number_and_amount(pilot: Pilot[None], number: str, amount: str) -> None:
    await type_text(pilot, number)
    await pilot.press("enter")
    await type_text(pilot, amount)
    await pilot.press("enter")


@pytest.mark.parametrize("size", SIZES)
async def test_the_sale_form_in_chinese(shop: Shop, size: tuple[int, int]) -> None:
    add_chinese_clerk(shop)
    app = make_app(large_amount_cents=2000)
    async with app.run_test(size=size, notifications=True) as pilot:
        await log_in(pilot, MEI, MEI_PIN)
        await pilot.pause(0.3)
        assert_all_chinese(pilot, "sale screen, empty")
        await type_text(pilot, "012345678")
        await pilot.pause(0.2)
        assert_all_chinese(pilot, "sale screen, a number typed")
        await pilot.press(*["backspace"] * 9)
        await type_text(pilot, "0")
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert_all_chinese(pilot, "sale screen, 0 too short")
        await pilot.press("backspace")
        await type_text(pilot, "+14155550123")
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert_all_chinese(pilot, "sale screen, a foreign number")
        await pilot.press(*["backspace"] * 12)
        await type_text(pilot, "012345678")
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert_all_chinese(pilot, "sale screen, the amount field (quick amounts)")
        for bad in ("-5", "1e3"):
            await type_text(pilot, bad)
            await pilot.press("enter")
            await pilot.pause(0.2)
            assert_all_chinese(pilot, f"sale screen, {bad} refused", TYPED_E)
            await pilot.press(*["backspace"] * len(bad))
        await pilot.press("f2")  # a quick amount in the field
        await wait_until(pilot, lambda: screen_text(pilot, "#amount") != "", "the amount")
        assert_all_chinese(pilot, "sale screen, a quick amount")
        await pilot.press("enter")
        await wait_for_screen(pilot, "ConfirmSaleScreen")
        assert_all_chinese(pilot, "the confirmation of a quick amount")
        await pilot.press("escape")
        await wait_for_screen(pilot, "SaleScreen")
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert "Ctrl+Z" in "".join(screen_lines(pilot))
        assert_all_chinese(pilot, "sale screen after Esc (the undo notice)")
        await pilot.press("ctrl+z")
        await pilot.pause(0.2)
        assert_all_chinese(pilot, "sale screen after the undo")
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, "QuitSaleScreen")
        assert_all_chinese(pilot, "the quit question")
        await pilot.press("x")
        await pilot.pause(0.1)
        assert_all_chinese(pilot, "the quit question, x refused")
        await pilot.press("n")
        await wait_for_screen(pilot, "SaleScreen")


@pytest.mark.parametrize("size", SIZES)
async def test_the_confirmation_and_its_questions_in_chinese(
    shop: Shop, size: tuple[int, int]
) -> None:
    add_chinese_clerk(shop)
    restock(shop.ledger, "smart", 1000, ref="slip 7", by=shop.supervisor)
    app = make_app(large_amount_cents=2000, float_policy="warn")
    async with app.run_test(size=size, notifications=True) as pilot:
        await log_in(pilot, MEI, MEI_PIN)
        await type_text(pilot, "010222333")
        await wait_until(pilot, lambda: screen_text(pilot, "#float-warning") != "", "warning")
        assert_all_chinese(pilot, "sale screen, the float warning")
        await pilot.press("enter")
        await type_text(pilot, "4.25")
        await pilot.press("enter")
        await wait_for_screen(pilot, "ConfirmSaleScreen")
        assert_all_chinese(pilot, "the confirmation, empty")
        await type_text(pilot, "5")
        assert_all_chinese(pilot, "the confirmation, cash in dollars")
        await pilot.press("backspace")
        await type_text(pilot, "20000r")
        assert_all_chinese(pilot, "the confirmation, cash in riel")
        await pilot.press(*["backspace"] * 6)
        await type_text(pilot, "5 + 2000r")
        assert_all_chinese(pilot, "the confirmation, split")
        await pilot.press(*["backspace"] * 9)
        await type_text(pilot, "20000")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "20,000៛" in screen_text(pilot, "#change"), "asked")
        assert_all_chinese(pilot, "the confirmation, the implausible payment")
        await pilot.press("y")
        await wait_until(pilot, lambda: "A-000001" in status(pilot), "the sale")
        await pilot.pause(0.5)
        assert_all_chinese(pilot, "sale screen after a sale")

        await number_and_amount(pilot, "010222333", "4.25")
        await wait_for_screen(pilot, "ConfirmSaleScreen")
        await pilot.press("enter")
        await wait_for_screen(pilot, "DuplicateScreen")
        assert_all_chinese(pilot, "the duplicate prompt")
        await pilot.press("x")
        await pilot.pause(0.1)
        assert_all_chinese(pilot, "the duplicate prompt, x refused")
        await pilot.press("enter")
        await wait_for_screen(pilot, "SaleScreen")
        await pilot.pause(0.2)
        assert_all_chinese(pilot, "sale screen, not sold again")
        await pilot.press("escape")

        await number_and_amount(pilot, "0887654321", "20")
        await wait_for_screen(pilot, "ConfirmSaleScreen")
        await pilot.press("enter")
        await wait_for_screen(pilot, "RetypeLast4Screen")
        assert_all_chinese(pilot, "the last-4 retype")
        await type_text(pilot, "1111")
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert_all_chinese(pilot, "the last-4 retype, wrong")
        await type_text(pilot, "4321")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "A-000002" in status(pilot), "the second sale")
        await pilot.pause(0.5)
        assert_all_chinese(pilot, "sale screen after two sales")


def path_words(path: Path) -> frozenset[str]:
    """The Latin in a folder's path, which the printer's refusal names (a name, not a word
    to translate), with the pieces a word is cut into where the line wraps."""
    words = re.findall(r"[A-Za-z][A-Za-z'’]+", str(path))
    cut = {w[:i] for w in words for i in range(2, len(w))} | {
        w[i:] for w in words for i in range(len(w) - 1)
    }
    return frozenset(words) | cut


async def sell_one(pilot: Pilot[None], number: str = "012345678", amount: str = "5") -> None:
    await number_and_amount(pilot, number, amount)
    await wait_for_screen(pilot, "ConfirmSaleScreen")
    await pilot.press("enter")


@pytest.mark.parametrize("size", SIZES)
async def test_after_a_printed_sale_in_chinese(shop: Shop, size: tuple[int, int]) -> None:
    add_chinese_clerk(shop)
    app = make_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        await log_in(pilot, MEI, MEI_PIN)
        await pilot.press("f9")  # nothing to reprint yet
        await wait_until(pilot, lambda: bool(app._notifications), "said")
        assert_all_chinese(pilot, "sale screen, F9 with no sale yet")
        await sell_one(pilot)
        await wait_until(pilot, lambda: "A-000001" in status(pilot), "the sale")
        await pilot.pause(1.0)
        assert_all_chinese(pilot, "after a printed sale")
        said = len(app._notifications)
        await pilot.press("f9")  # the copy
        await wait_until(pilot, lambda: len(app._notifications) > said, "the reprint said")
        await pilot.pause(0.3)
        copy = re.search(r"/[^\s。]+\.pdf", list(app._notifications)[-1].message)
        assert copy is not None  # where the copy is (the pdf printer): a file's name
        assert_all_chinese(pilot, "after a reprint", path_words(Path(copy.group())))


@pytest.mark.parametrize("size", SIZES)
async def test_a_print_failure_in_chinese(
    shop: Shop, screen_home: Path, size: tuple[int, int]
) -> None:
    add_chinese_clerk(shop)
    blocker = screen_home / "blocker"
    blocker.write_text("not a folder")
    app = make_app(receipts_dir=blocker / "receipts")
    async with app.run_test(size=size, notifications=True) as pilot:
        await log_in(pilot, MEI, MEI_PIN)
        await sell_one(pilot)
        await wait_until(pilot, lambda: screen_text(pilot, "#print-queue") != "", "the queue")
        await pilot.pause(0.5)
        assert_all_chinese(pilot, "after a print failure", path_words(blocker / "receipts"))
        await pilot.press("f12")
        await pilot.pause(0.5)
        assert_all_chinese(pilot, "after a retry", path_words(blocker / "receipts"))


@pytest.mark.parametrize("size", SIZES)
async def test_the_delivery_line_in_chinese(
    screen_home: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    monkeypatch.setenv("COUNTER_DELIVERY", json.dumps({"cellcard": "manual"}))
    shop = set_up_shop()
    try:
        add_chinese_clerk(shop)
        app = make_app()
        async with app.run_test(size=size, notifications=True) as pilot:
            await log_in(pilot, MEI, MEI_PIN)
            await sell_one(pilot)
            await wait_until(
                pilot, lambda: screen_text(pilot, "#deliveries-line") != "", "the line"
            )
            await pilot.pause(0.5)
            assert_all_chinese(pilot, "the delivery line")
    finally:
        shop.ledger.close()


async def open_khqr(pilot: Pilot[None], number: str, amount: str) -> None:
    """A new form (Esc), number, amount, `q` at the confirmation, until the code shows."""
    await pilot.press("escape")
    await number_and_amount(pilot, number, amount)
    await wait_for_screen(pilot, "ConfirmSaleScreen")
    await pilot.press("q")
    await wait_for_screen(pilot, "KhqrPayScreen")
    await wait_until(pilot, lambda: pilot.app.screen.shown is not None, "the code")


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
async def test_the_khqr_code_in_chinese(
    shop: Shop, bakong: BakongStandIn, size: tuple[int, int]
) -> None:
    add_chinese_clerk(shop)
    app = make_app(khqr=khqr_settings(bakong.url))
    async with app.run_test(size=size, notifications=True) as pilot:
        await log_in(pilot, MEI, MEI_PIN)
        await pilot.pause(0.5)
        assert_all_chinese(pilot, "sale screen with KHQR on")
        await number_and_amount(pilot, "012345678", "5")
        await wait_for_screen(pilot, "ConfirmSaleScreen")
        assert_all_chinese(pilot, "the confirmation with KHQR on", CUT_BADGE)
        await pilot.press("escape")
        await wait_for_screen(pilot, "SaleScreen")
        await open_khqr(pilot, "012345678", "5")
        assert_all_chinese(pilot, "the KHQR code, waiting", MERCHANT)
        await pilot.press("7")
        assert_all_chinese(pilot, "the KHQR code, a stray key", MERCHANT)
        await pilot.press("r")
        await wait_until(pilot, lambda: "៛" in screen_text(pilot, "#khqr-amount"), "the riel code")
        await pilot.pause(0.3)
        assert_all_chinese(pilot, "the KHQR code in riel", MERCHANT)
        await pilot.press("c")
        await pilot.pause(0.5)
        assert_all_chinese(pilot, "the KHQR code, checked", MERCHANT)
        await pilot.press("m")
        await pilot.pause(0.2)
        assert_all_chinese(pilot, "the KHQR code, the bank reference", MERCHANT)
        await pilot.press("escape")
        await wait_for_screen(pilot, "SaleScreen")
        await pilot.pause(0.3)
        assert_all_chinese(pilot, "after a cancelled code")

        await open_khqr(pilot, "012345678", "5")
        await pilot.press("r")
        await wait_until(pilot, lambda: "៛" in screen_text(pilot, "#khqr-amount"), "riel")
        bakong.pay(str(pilot.app.screen.shown.request.md5), 20000, "KHR")
        await pilot.press("c")
        await wait_until(pilot, lambda: "A-000001" in status(pilot), "sold")
        await pilot.pause(0.5)
        assert_all_chinese(pilot, "after a KHQR sale")

        await open_khqr(pilot, "010222333", "2")
        box = pilot.app.screen
        expired = replace(box.shown.request, state=KhqrState.EXPIRED)
        box.post_message(box.Ended(KhqrFinish(expired)))  # what the watcher says at 10:00
        await pilot.pause(0.3)
        assert_all_chinese(pilot, "the KHQR code, expired", MERCHANT)
        await pilot.press("escape")
        await wait_for_screen(pilot, "SaleScreen")
        await pilot.pause(0.3)
        assert_all_chinese(pilot, "after an expired code")


async def test_a_khqr_code_too_big_for_60x20_is_said_in_chinese(
    shop: Shop, bakong: BakongStandIn
) -> None:
    add_chinese_clerk(shop)
    app = make_app(khqr=khqr_settings(bakong.url))
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        await log_in(pilot, MEI, MEI_PIN)
        await number_and_amount(pilot, "012345678", "5")
        await wait_for_screen(pilot, "ConfirmSaleScreen")
        await pilot.press("q")
        await wait_for_screen(pilot, "KhqrPayScreen")
        await wait_until(pilot, lambda: "29" in screen_text(pilot, "#khqr-status"), "said")
        assert_all_chinese(pilot, "the KHQR code that does not fit", MERCHANT)
        await pilot.press("escape")
        await wait_for_screen(pilot, "SaleScreen")


async def test_a_khqr_code_cancelled_in_chinese(shop: Shop, bakong: BakongStandIn) -> None:
    add_chinese_clerk(shop)
    app = make_app(khqr=khqr_settings("http://127.0.0.1:9"))  # nothing listens there
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await log_in(pilot, MEI, MEI_PIN)
        await number_and_amount(pilot, "012345678", "5")
        await wait_for_screen(pilot, "ConfirmSaleScreen")
        await pilot.press("q")
        await wait_for_screen(pilot, "KhqrPayScreen")
        await wait_until(
            pilot, lambda: "Bakong" in screen_text(pilot, "#khqr-status"), "no network said"
        )
        assert_all_chinese(pilot, "the KHQR code, Bakong not reached", MERCHANT)
        await pilot.press("escape")
        await wait_for_screen(pilot, "SaleScreen")
        await pilot.pause(0.3)
        assert_all_chinese(pilot, "after a cancelled code")


@pytest.mark.parametrize(
    ("failure", "code"),
    [
        (RuntimeError("disk on fire"), frozenset({"RuntimeError"})),
        (NotADirectoryError(errno.ENOTDIR, "Not a directory", "/srv/收据"), frozenset({"srv"})),
    ],
)
async def test_a_failing_worker_is_said_in_chinese(
    shop: Shop, monkeypatch: pytest.MonkeyPatch, failure: Exception, code: frozenset[str]
) -> None:
    """A failure nobody expected: the sentence is Chinese; the error's name (a code the
    owner passes on) or the file's path is what stays Latin."""
    add_chinese_clerk(shop)

    def broken_sell(*_: object, **__: object) -> None:
        raise failure

    app = make_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await log_in(pilot, MEI, MEI_PIN)
        monkeypatch.setattr("counter.services.sell", broken_sell)
        await sell_one(pilot, "010222333", "5")
        await wait_until(pilot, lambda: bool(app._notifications), "the notification")
        await pilot.pause(0.3)
        assert_all_chinese(pilot, f"sale screen, a worker's {type(failure).__name__}", code)


@pytest.mark.parametrize("size", SIZES)
async def test_a_sale_refused_for_low_airtime_in_chinese(shop: Shop, size: tuple[int, int]) -> None:
    add_chinese_clerk(shop)
    app = make_app(float_policy="refuse")
    async with app.run_test(size=size, notifications=True) as pilot:
        await log_in(pilot, MEI, MEI_PIN)
        hint = status(pilot)
        await sell_one(pilot, "010222333", "5")  # Smart has no airtime stock recorded
        await wait_until(pilot, lambda: status(pilot) != hint, "the refusal")
        await pilot.pause(0.5)
        assert status(pilot).startswith(zh("Not sold: {problems}").split("{")[0])
        assert_all_chinese(pilot, "sale screen, refused for low airtime stock")
