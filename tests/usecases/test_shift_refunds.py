"""Issue 15: a shift close's own record keeps its expected cash AFTER the refunds paid out
of the drawer while the shift was open, so the shift's Z report, the record, the copy and
the day's roll-up agree. Figures are worked out by hand in the comments."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from counter.domain.cash_count import CashCount as DrawerCount
from counter.domain.delivery import Channel
from counter.domain.money import Money
from counter.domain.records import Approval
from counter.services import close_day, record_opening_cash, sell
from counter.services.deliveries import resolve
from counter.services.shifts import open_shift
from counter.services.zreports import close_shift, print_z
from tests.fakes import book_of
from tests.usecases.shop import SUPERVISOR_PIN, FakeShop, fake_shop
from tests.usecases.test_deliveries import planned
from tests.usecases.test_shift_close import Writer


class Roll:
    """The receipt roll: what each report printed on it was given."""

    def __init__(self) -> None:
        self.printed: list[tuple[str, Any, Any]] = []

    def print_report(self, title: str, summary: Any, cash: Any) -> Any:
        from counter.domain.receipt import PrintResult

        self.printed.append((title, summary, cash))
        return PrintResult(True, "printed")


def test_each_shift_expects_its_cash_after_its_refunds_and_the_day_adds_them_up() -> None:
    shop: FakeShop = planned(fake_shop(opening_cash=False), Channel.MANUAL)  # cellcard by hand
    writer = Writer()
    shop = replace(shop, ledger=replace(shop.ledger, reports=writer))
    led, day = shop.ledger, shop.day
    record_opening_cash(led, day, "A", 1000, 0, by=shop.clerk)  # shift 1 opens with $10
    sell(led, shop.clerk, "012 345 671", "5", paid=Money.usd(500))  # A-1, cellcard
    sell(led, shop.clerk, "012 345 672", "5", paid=Money.usd(500))  # A-2, cellcard
    resolve(led, "A-1", delivered=False, by=shop.clerk, reason="no SMS")  # $5 back in shift 1
    shop.clock.advance(hours=4)
    # Shift 1 expected: $10 + $5 + $5 - $5 refunded = $15.
    first = close_shift(  # A-2 is still open: the supervisor accepts it as an open item
        led,
        "A",
        DrawerCount(1500, 0),
        counted_by=shop.clerk,
        supervisor=Approval("Vanna", SUPERVISOR_PIN),
        accept_open_deliveries=True,
    )
    record = book_of(led).shifts[first.shift.id].close
    assert record is not None and record.expected_usd_cents == 1500
    assert first.cash.expected_usd_cents == 1500 and first.cash.difference_usd_cents == 0
    assert writer.written[-1]["cash"].expected_usd_cents == 1500  # the shift's Z report
    # Shift 2 opens with the $15, sells $2 (smart, delivered when sold), and A-2 of shift 1
    # fails while shift 2 is open: its $5 leaves shift 2's drawer.
    open_shift(led, day, "A", DrawerCount(1500, 0), by=shop.clerk)
    shop.clock.advance(minutes=5)  # the fake clock stands still: a refund after the change
    sell(led, shop.clerk, "010 222 333", "2", paid=Money.usd(200))
    resolve(led, "A-2", delivered=False, by=shop.clerk, reason="wrong number")
    shop.clock.advance(hours=4)
    # Shift 2 expected: $15 + $2 - $5 = $12; closed by the day close with $12 counted.
    closed = close_day(
        led,
        day,
        "A",
        counted_usd_cents=1200,
        counted_khr=0,
        supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN,
        by=shop.clerk,
    )
    second = book_of(led).shifts[first.shift.id + 1].close
    assert second is not None and second.expected_usd_cents == 1200
    # The day: $10 opening + ($15 - $10) + ($12 - $15) = $12 expected, $12 counted.
    assert (closed.opening_usd_cents, closed.expected_usd_cents) == (1000, 1200)
    assert closed.difference_usd_cents == 0
    assert writer.written[-1]["cash"].expected_usd_cents == 1200  # the day's Z report
    # The roll's Z of each shift and of the day, from what the closes recorded.
    roll = Roll()
    for number in (1, 2, None):
        print_z(led, roll, day, "A", shift_number=number, printed_by="Vanna")
    assert [cash.expected_usd_cents for _t, _s, cash in roll.printed] == [1500, 1200, 1200]
    opened = (1000, 1500)  # each shift's opening count
    shifts = [cash for _t, _s, cash in roll.printed[:2]]
    rolled = 1000 + sum(c.expected_usd_cents - o for c, o in zip(shifts, opened, strict=True))
    assert rolled == roll.printed[2][2].expected_usd_cents == closed.expected_usd_cents
    # Each Z's deliveries section: the refunds paid while that shift was open; the day's all.
    refunded = [
        [r.receipt_no for r in summary.deliveries.refunds] for _t, summary, _c in roll.printed
    ]
    assert refunded == [["A-000001"], ["A-000002"], ["A-000001", "A-000002"]]
