"""The print queue on screen: a failed receipt waits, the line says so, F12 (or the
automatic retry) prints it once the printer is back, and never twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from counter.services.receipts import pending_receipts
from counter.ui.widgets import print_queue
from tests.ui.helpers import (
    Shop,
    log_in,
    make_app,
    screen_text,
    status,
    type_text,
    wait_for_screen,
    wait_until,
)


async def sell_one(pilot: Pilot[None]) -> None:
    await type_text(pilot, "012345678")
    await pilot.press("enter")
    await type_text(pilot, "5")
    await pilot.press("enter")
    await wait_for_screen(pilot, "ConfirmSaleScreen")
    await pilot.press("enter")


def notes(pilot: Pilot[None]) -> str:
    return " | ".join(str(n.message) for n in pilot.app._notifications)


def blocked_receipts(home: Path) -> tuple[Path, Path]:
    """A receipts folder under a regular file: the pdf printer cannot write there."""
    blocker = home / "blocker"
    blocker.write_text("not a folder")
    return blocker, blocker / "receipts"


async def test_failed_receipt_waits_then_the_retry_key_prints_it_once(
    shop: Shop, screen_home: Path
) -> None:
    blocker, folder = blocked_receipts(screen_home)
    async with make_app(receipts_dir=folder).run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        assert screen_text(pilot, "#print-queue") == ""
        await sell_one(pilot)
        await wait_until(
            pilot,
            lambda: "1 receipt waiting" in screen_text(pilot, "#print-queue"),
            "the queue line",
        )
        assert status(pilot).startswith("Sold A-000001")
        assert [s.receipt_no for s in pending_receipts(shop.ledger)] == ["A-000001"]

        await pilot.press("f12")  # printer still broken: said in words, still waiting
        await wait_until(
            pilot, lambda: "Still" in notes(pilot) or "not printed" in notes(pilot), "failure"
        )
        assert "1 receipt waiting" in screen_text(pilot, "#print-queue")

        blocker.unlink()  # the printer is back
        await pilot.press("f12")
        await wait_until(
            pilot, lambda: screen_text(pilot, "#print-queue") == "", "the queue emptied"
        )
        assert list(folder.glob("*.pdf")) == [folder / "A-000001.pdf"]
        assert pending_receipts(shop.ledger) == []

        await pilot.press("f12")  # nothing waits: nothing prints twice
        await wait_until(pilot, lambda: "No receipt is waiting" in notes(pilot), "nothing to print")
        assert len(list(folder.glob("*.pdf"))) == 1


async def test_automatic_retry_prints_the_waiting_receipt(
    shop: Shop, screen_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(print_queue, "AUTO_RETRY_SECONDS", 0.3)
    blocker, folder = blocked_receipts(screen_home)
    async with make_app(receipts_dir=folder).run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await sell_one(pilot)
        await wait_until(
            pilot, lambda: "1 receipt waiting" in screen_text(pilot, "#print-queue"), "queue"
        )
        blocker.unlink()
        await wait_until(
            pilot, lambda: screen_text(pilot, "#print-queue") == "", "the automatic retry"
        )
        assert list(folder.glob("*.pdf")) == [folder / "A-000001.pdf"]
        assert "Receipt" in notes(pilot)
