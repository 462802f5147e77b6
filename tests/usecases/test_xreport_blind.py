"""The X report for whoever counts blind, on the in-memory unit of work: while the shift's
count is not recorded a clerk's X report carries no expected cash (nor a difference); a
supervisor's does; after the count the difference is there for everyone. The policy
(`blind_count`) moves the line. Figures by hand in the comments."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from counter.domain.cash_count import CashCount as DrawerCount
from counter.domain.money import Money
from counter.domain.receipt import PrintResult
from counter.services import record_opening_cash, sell, x_report
from counter.services.xreports import print_x_report, write_x_report
from counter.services.zreports import close_shift
from tests.usecases.shop import FakeShop, fake_shop, with_policy


class Writer:
    """The report writer: the cash each X report was written with."""

    def __init__(self) -> None:
        self.cash: list[Any] = []

    def write(self, fmt: str, summary: Any, sales: Any, voids: Any, **kw: Any) -> list[Any]:
        self.cash.append(kw["cash"])
        return [f"/reports/{kw['stem']}.{fmt}"]


class Roll:
    """The receipt roll: the cash each report was printed with."""

    def __init__(self) -> None:
        self.cash: list[Any] = []

    def print_report(self, title: str, summary: Any, cash: Any) -> PrintResult:
        self.cash.append(cash)
        return PrintResult(True, "printed")


def _selling(**policy: object) -> FakeShop:
    """Shift 1 opened with $20 and 40,000៛; a $5 sale paid with $10 ($5 back), one paid
    20,000៛ for $5 at 4,000 (nothing back): expected $25.00 and 60,000៛."""
    shop = fake_shop(opening_cash=False, **policy)
    record_opening_cash(shop.ledger, shop.day, "A", 2000, 40_000, by=shop.clerk)
    sell(shop.ledger, shop.clerk, "012 345 678", "5", paid=Money.usd(1000))
    sell(shop.ledger, shop.clerk, "010 222 333", "5", paid=Money.khr(20_000))
    return shop


def test_a_clerks_x_report_withholds_the_expected_cash_while_the_shift_is_open() -> None:
    shop = _selling()
    for reader in (shop.clerk, "dara"):  # a plain name (no PIN) reads as a clerk
        report = x_report(shop.ledger, shop.day, "A", printed_by=reader)
        cash = report.cash
        assert cash.blind and (cash.expected_usd_cents, cash.expected_khr) == (0, 0)
        assert cash.difference_usd_cents is None and cash.difference_khr is None
        assert (cash.opening_usd_cents, cash.opening_khr) == (2000, 40_000)
        assert cash.state == "Shift 1 is open; the day stays open."
        # What was taken by tender stays: $10 in, $5 back; 20,000៛ in.
        pay = report.summary.payments
        assert (pay.net_usd_cents, pay.net_khr) == (500, 20_000)
    seen = x_report(shop.ledger, shop.day, "A", printed_by=shop.supervisor).cash
    assert not seen.blind and (seen.expected_usd_cents, seen.expected_khr) == (2500, 60_000)
    admin = x_report(shop.ledger, shop.day, "A", printed_by=shop.admin).cash
    assert not admin.blind and admin.expected_usd_cents == 2500


def test_the_pdf_and_the_roll_get_the_same_withheld_cash() -> None:
    shop = _selling()
    writer, roll = Writer(), Roll()
    ledger = replace(shop.ledger, reports=writer)
    write_x_report(ledger, shop.day, "A", printed_by=shop.clerk)
    print_x_report(ledger, roll, shop.day, "A", printed_by=shop.clerk)
    write_x_report(ledger, shop.day, "A", printed_by=shop.supervisor)
    print_x_report(ledger, roll, shop.day, "A", printed_by=shop.supervisor)
    assert [c.blind for c in writer.cash] == [True, False]
    assert [c.blind for c in roll.cash] == [True, False]
    assert [c.expected_usd_cents for c in writer.cash + roll.cash] == [0, 2500, 0, 2500]


def test_after_the_count_the_clerk_sees_the_expected_cash_and_the_difference() -> None:
    shop = _selling()
    close_shift(shop.ledger, "A", DrawerCount(2400, 60_000), counted_by=shop.clerk)
    cash = x_report(shop.ledger, shop.day, "A", printed_by=shop.clerk).cash
    assert not cash.blind and (cash.expected_usd_cents, cash.expected_khr) == (2500, 60_000)
    assert (cash.difference_usd_cents, cash.difference_khr) == (-100, 0)  # $1.00 short
    assert cash.state == "Shift 1 is closed; the day stays open."
    # The next shift opens: blind again for the clerk until its own count.
    record_opening_cash(shop.ledger, shop.day, "A", 2400, 60_000, by=shop.clerk)
    again = x_report(shop.ledger, shop.day, "A", printed_by=shop.clerk).cash
    assert again.blind and again.difference_usd_cents is None


def test_the_blind_count_policy_moves_who_sees_it() -> None:
    everyone = _selling(blind_count="everyone")
    cash = x_report(everyone.ledger, everyone.day, "A", printed_by=everyone.supervisor).cash
    assert cash.blind and cash.expected_usd_cents == 0
    nobody = with_policy(_selling(), blind_count="nobody")
    cash = x_report(nobody.ledger, nobody.day, "A", printed_by=nobody.clerk).cash
    assert not cash.blind and (cash.expected_usd_cents, cash.expected_khr) == (2500, 60_000)
