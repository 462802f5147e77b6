"""Issue 15: the print-queue line counts the slips that wait (a delivery slip, a refund
slip), not only the receipts, and the retry key prints them after the receipts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest

from counter.domain.money import Money
from counter.services import sell
from counter.services.deliveries import resolve
from counter.services.queries import waiting_paper
from counter.ui.widgets.print_queue import waiting_words
from tests.ui.helpers import NOW, Shop, log_in, make_app, screen_text, set_up_shop, wait_until
from tests.ui.test_ui_print_queue import blocked_receipts, notes


@pytest.fixture
def manual_shop(screen_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Shop]:
    monkeypatch.setenv("COUNTER_DELIVERY", json.dumps({"cellcard": "manual"}))
    opened = set_up_shop()
    yield opened
    opened.ledger.close()


def test_the_words_name_each_kind_of_paper_that_waits() -> None:
    from counter.services.queries import WaitingPaper

    assert waiting_words(WaitingPaper(1, 0, 0)) == "1 receipt"
    assert waiting_words(WaitingPaper(0, 0, 1)) == "1 refund slip"
    assert waiting_words(WaitingPaper(2, 0, 1)) == "2 receipts and 1 refund slip"
    assert waiting_words(WaitingPaper(1, 2, 3)) == (
        "1 receipt, 2 delivery slips and 3 refund slips"
    )


async def test_a_refund_slip_and_a_delivery_slip_that_wait_are_counted_then_printed(
    manual_shop: Shop, screen_home: Path
) -> None:
    led, clerk = manual_shop.ledger, manual_shop.clerk
    at = NOW.astimezone(UTC)
    for last in "12":  # cellcard, delivered by hand on the dealer phone
        sell(led, clerk, f"012 345 67{last}", "5", paid=Money.usd(500), now=at)
    resolve(led, "A-1", delivered=True, by=clerk, ref="SMS1", now=at)  # a delivery slip
    resolve(led, "A-2", delivered=False, by=clerk, reason="no SMS", now=at)  # a refund slip
    paper = waiting_paper(led)
    assert (paper.delivery_slips, paper.refund_slips) == (1, 1)
    blocker, folder = blocked_receipts(screen_home)  # the printer cannot print yet
    async with make_app(receipts_dir=folder).run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await wait_until(
            pilot, lambda: "slip" in screen_text(pilot, "#print-queue"), "the queue line"
        )
        line = " ".join(screen_text(pilot, "#print-queue").split())
        assert paper.receipts == 2  # the two originals wait too (sold with no printer run)
        assert line == (
            "2 receipts, 1 delivery slip and 1 refund slip waiting to print · F12 retries "
            "(and every 30 s by itself)"
        )
        blocker.unlink()  # the printer is back
        await pilot.press("f12")
        await wait_until(
            pilot, lambda: screen_text(pilot, "#print-queue") == "", "the queue emptied"
        )
        assert "Receipt A-000002 saved" in notes(pilot)
    assert waiting_paper(led).total == 0
    assert len(list(folder.glob("*.pdf"))) == 4, sorted(p.name for p in folder.glob("*"))
