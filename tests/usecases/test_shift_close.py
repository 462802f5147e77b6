"""Shifts on the in-memory unit of work: a shift closed on its own with a blind count, two
shifts a day, a shift past midnight, the day close as their roll-up, a day reopened and
closed again, the Z codes of each close and the Z reports written again. Figures are
worked out by hand in the comments."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from counter.domain.cash_count import CashCount as DrawerCount
from counter.domain.errors import NotAllowed, ShiftRefused
from counter.domain.money import Money
from counter.domain.records import Approval, Role
from counter.domain.shifts import ShiftOrigin
from counter.services import close_day, record_opening_cash, sell, x_report
from counter.services.shifts import open_shift, reopen_day, shift_status
from counter.services.zreports import close_shift, z_report
from tests.fakes import book_of
from tests.usecases.shop import SUPERVISOR_PIN, FakeShop, fake_shop

VANNA = Approval("Vanna", SUPERVISOR_PIN)


class Writer:
    """The report writer: what each report was asked with."""

    def __init__(self) -> None:
        self.written: list[dict[str, Any]] = []

    def write(self, fmt: str, summary: Any, sales: Any, voids: Any, **kw: Any) -> list[Any]:
        self.written.append({"summary": summary, "sales": sales, "voids": voids, **kw})
        return [f"/reports/{kw['stem']}.{fmt}"]


@pytest.fixture
def unopened() -> FakeShop:
    return fake_shop(opening_cash=False)


def _with_writer(shop: FakeShop) -> tuple[FakeShop, Writer]:
    writer = Writer()
    return replace(shop, ledger=replace(shop.ledger, reports=writer)), writer


def _close_day(shop: FakeShop, usd: int | None = None, khr: int | None = None) -> Any:
    return close_day(
        shop.ledger,
        shop.day,
        "A",
        counted_usd_cents=usd,
        counted_khr=khr,
        supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN,
        by=shop.clerk,
    )


def test_two_shifts_each_closed_blind_then_the_day_adds_them_up(unopened: FakeShop) -> None:
    shop, writer = _with_writer(unopened)
    led, day = shop.ledger, shop.day
    record_opening_cash(led, day, "A", 2000, 40_000, by=shop.clerk)  # $20 + 40,000៛
    sell(led, shop.clerk, "012 345 678", "5", paid=Money.khr(20_000))  # +20,000៛
    sell(led, shop.clerk, "010 222 333", "2.50", paid=Money.usd(1000))  # +$10 -$7 -2,000៛
    shop.clock.advance(hours=4)
    # Shift 1 expected: $20 + $10 - $7 = $23; 40,000 + 20,000 - 2,000 = 58,000៛.
    first = close_shift(led, "A", DrawerCount(2300, 57_500), counted_by=shop.clerk)
    assert first.shift.number == 1 and first.shift.close is not None
    assert (first.cash.expected_usd_cents, first.cash.expected_khr) == (2300, 58_000)
    assert (first.cash.difference_usd_cents, first.cash.difference_khr) == (0, -500)
    assert first.code == "Z-1-FAKE" and first.cash.code == "Z-1-FAKE"
    assert first.cash.state == "Shift 1 is closed; the day stays open."
    assert first.report_path == "/reports/2026-11-25-A-shift-1-z-report.pdf"
    (report,) = writer.written
    assert report["title"] == "Z report (shift close)" and len(report["sales"]) == 2
    # The afternoon: Sok opens shift 2 with $10 and sells a $1 top-up paid $1.
    open_shift(led, day, "A", DrawerCount(1000, 0), by=shop.admin)
    sell(led, shop.clerk, "012 888 999", "1", paid=Money.usd(100))
    shop.clock.advance(hours=4)
    second = close_shift(led, "A", DrawerCount(1100, 0), counted_by=shop.clerk, supervisor=VANNA)
    assert second.shift.number == 2 and second.shift.close is not None
    assert (second.shift.close.counted_by, second.shift.close.approved_by) == ("Dara", "Vanna")
    assert (second.cash.difference_usd_cents, second.cash.difference_khr) == (0, 0)
    # The day close rolls both shifts up and takes no count of its own: shift 1's opening,
    # then what each shift counted and expected above its own opening.
    closed = _close_day(shop)
    assert (closed.counted_usd_cents, closed.counted_khr) == (2000 + 300 + 100, 57_500)
    assert (closed.expected_usd_cents, closed.expected_khr) == (2000 + 300 + 100, 58_000)
    assert closed.code == "Z-3-FAKE"
    assert [c.reason for c in book_of(led).checkpoints] == [
        "shift_close",
        "shift_close",
        "day_close",
    ]
    assert book_of(led).checkpoints[0].ref == "A 2026-11-25 #1"
    day_z = writer.written[-1]
    assert day_z["cash"].code == "Z-3-FAKE"
    assert day_z["cash"].state == "Shift 2 and the day are closed."


def test_a_shift_close_needs_an_open_shift_and_a_supervisor_to_approve(
    unopened: FakeShop,
) -> None:
    with pytest.raises(ShiftRefused, match="No shift is open at counter A"):
        close_shift(unopened.ledger, "A", DrawerCount(0, 0), counted_by=unopened.clerk)
    record_opening_cash(unopened.ledger, unopened.day, "A", 0, 0, by=unopened.clerk)
    clerk_as_approver = Approval("Dara", "5678")
    with pytest.raises(NotAllowed, match="only a supervisor or admin can approve a count"):
        close_shift(
            unopened.ledger,
            "A",
            DrawerCount(0, 0),
            counted_by=unopened.clerk,
            supervisor=clerk_as_approver,
        )
    assert book_of(unopened.ledger).shifts[1].close is None


def test_the_day_close_takes_a_count_only_when_a_drawer_is_open(unopened: FakeShop) -> None:
    record_opening_cash(unopened.ledger, unopened.day, "A", 0, 0, by=unopened.clerk)
    with pytest.raises(ShiftRefused, match="Shift 1 is open at counter A: give the counted"):
        _close_day(unopened)
    close_shift(unopened.ledger, "A", DrawerCount(0, 0), counted_by=unopened.clerk)
    with pytest.raises(ShiftRefused, match="closed and counted: the day close adds up"):
        _close_day(unopened, 0, 0)
    assert _close_day(unopened).counted_usd_cents == 0


def test_a_shift_past_midnight_stays_in_its_day(unopened: FakeShop) -> None:
    led = unopened.ledger
    unopened.clock.advance(hours=12)  # 22:00 in Phnom Penh on the 25th
    day = unopened.day
    record_opening_cash(led, day, "A", 1000, 0, by=unopened.clerk)
    unopened.clock.advance(hours=2, minutes=30)  # 00:30 on the 26th
    assert unopened.day != day
    sale = sell(led, unopened.clerk, "012 345 678", "5", paid=Money.usd(500))
    assert sale.business_date == day
    closed = close_shift(led, "A", DrawerCount(1500, 0), counted_by=unopened.clerk)
    assert closed.shift.business_date == day
    assert (closed.cash.expected_usd_cents, closed.cash.difference_usd_cents) == (1500, 0)


def test_a_reopened_day_opens_a_shift_and_closes_again(unopened: FakeShop) -> None:
    shop, writer = _with_writer(unopened)
    led, day = shop.ledger, shop.day
    record_opening_cash(led, day, "A", 1000, 0, by=shop.clerk)
    sell(led, shop.clerk, "012 345 678", "5", paid=Money.usd(500))
    shop.clock.advance(hours=8)
    first = _close_day(shop, 1500, 0)
    with pytest.raises(NotAllowed, match="only a supervisor or admin can reopen a day"):
        reopen_day(led, day, "A", reason="forgot a sale", by=Approval("Dara", "5678"))
    with pytest.raises(ShiftRefused, match="needs a reason"):
        reopen_day(led, day, "A", reason="  ", by=VANNA)
    shop.clock.advance(minutes=5)
    shift = reopen_day(led, day, "A", reason="forgot a sale", by=VANNA)
    assert (shift.number, shift.origin, shift.opened_by) == (2, ShiftOrigin.REOPENED, "Vanna")
    assert (shift.opening.usd_cents, shift.opening.khr) == (1500, 0)  # as last counted
    (reopen,) = book_of(led).reopens
    assert (reopen.reason, reopen.reopened_by, reopen.shift_id) == ("forgot a sale", "Vanna", 2)
    assert book_of(led).audit[-1].action == "day_reopened"
    assert x_report(led, day, "A", printed_by="Vanna").state == (
        "Shift 2 is open; the day stays open."
    )
    late = sell(led, shop.clerk, "010 222 333", "2", paid=Money.usd(200))
    assert late.business_date == day and late.shift_id == shift.id
    with pytest.raises(ShiftRefused, match="is not closed: there is nothing to reopen"):
        reopen_day(led, day, "A", reason="again", by=VANNA)  # it is open already
    second = _close_day(shop, 1700, 0)
    assert second.close_no == 2 and first.close_no == 1
    # The second close: shift 2 opened with shift 1's $15 and took $2; that $15 counts once.
    assert (second.expected_usd_cents, second.counted_usd_cents) == (1700, 1700)
    assert book_of(led).checkpoints[-1].ref == "A 2026-11-25 2"
    assert x_report(led, day, "A", printed_by="Vanna").closed
    assert writer.written[-1]["cash"].state == "Shift 2 and the day are closed."


def test_only_a_closed_day_is_reopened(unopened: FakeShop) -> None:
    with pytest.raises(ShiftRefused, match="is not closed: there is nothing to reopen"):
        reopen_day(unopened.ledger, unopened.day, "A", reason="why not", by=VANNA)


def test_the_z_reports_are_written_again_as_copies(unopened: FakeShop) -> None:
    shop, writer = _with_writer(unopened)
    led, day = shop.ledger, shop.day
    record_opening_cash(led, day, "A", 1000, 0, by=shop.clerk)
    sell(led, shop.clerk, "012 345 678", "5", paid=Money.usd(500))
    close_shift(led, "A", DrawerCount(1400, 0), counted_by=shop.clerk)
    with pytest.raises(ShiftRefused, match="is not closed: it has no Z report yet"):
        z_report(led, day, "A", printed_by="owner")
    closed = _close_day(shop)
    path = z_report(led, day, "A", printed_by="owner")
    assert path == "/reports/2026-11-25-A-z-report-copy.pdf"
    copy = writer.written[-1]
    assert copy["title"] == "Z report (day close), copy"
    assert copy["cash"].code == closed.code == "Z-2-FAKE"
    assert (copy["cash"].counted_usd_cents, copy["cash"].difference_usd_cents) == (1400, -100)
    shift_path = z_report(led, day, "A", shift_number=1, printed_by="owner")
    assert shift_path == "/reports/2026-11-25-A-shift-1-z-report-copy.pdf"
    shift_copy = writer.written[-1]
    assert shift_copy["title"] == "Z report (shift close), copy"
    assert shift_copy["cash"].code == "Z-1-FAKE"
    assert shift_copy["cash"].state == "Shift 1 and the day are closed."
    with pytest.raises(ShiftRefused, match="Shift 2 of 2026-11-25 at counter A is not closed"):
        z_report(led, day, "A", shift_number=2, printed_by="owner")


def test_a_clerk_sees_the_expected_cash_only_after_counting(shop: FakeShop) -> None:
    sell(shop.ledger, shop.clerk, "012 345 678", "5", paid=Money.usd(1000))
    blind = shift_status(shop.ledger, "A", shop.day, role=Role.CLERK)
    assert blind.open is not None and blind.expected is None
    seen = shift_status(shop.ledger, "A", shop.day, role=Role.SUPERVISOR)
    assert seen.expected is not None and seen.expected.expected_usd_cents == 500
    everyone = replace(shop.ledger, policy=replace(shop.ledger.policy, blind_count="everyone"))
    assert shift_status(everyone, "A", shop.day, role=Role.SUPERVISOR).expected is None
    closed = close_shift(shop.ledger, "A", DrawerCount(600, 0), counted_by=shop.clerk)
    assert (closed.cash.difference_usd_cents, closed.cash.difference_khr) == (100, 0)
    shop.clock.advance(minutes=1)
    after = shift_status(shop.ledger, "A", shop.day + timedelta(days=0), role=Role.CLERK)
    assert after.open is None and after.shifts[-1].close is not None
