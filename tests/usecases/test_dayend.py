"""Day end on the in-memory unit of work: the report from records, the close in one
transaction with its supervisor's PIN, restocks approved where they are recorded."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from counter.domain.dayend import commission_cents
from counter.domain.errors import AuthError, DayEndRefused, NotAllowed
from counter.domain.money import Money
from counter.domain.records import Approval
from counter.services import (
    close_day,
    correct_float,
    day_report,
    day_totals,
    doctor,
    operator_balances,
    record_opening_cash,
    restock,
    sell,
    void_sale,
    x_report,
)
from tests.fakes import FakeUnitOfWork, book_of
from tests.usecases.shop import CLERK_PIN, SUPERVISOR_PIN, FakeShop


def _morning(shop: FakeShop) -> list[Any]:
    sales = []
    for number, amount, paid in [
        ("012 345 678", "5", Money.khr(20_000)),
        ("010 222 333", "2.50", Money.usd(1000)),
        ("097 123 4567", "10", None),
    ]:
        sales.append(sell(shop.ledger, shop.clerk, number, amount, paid=paid))
        shop.clock.advance(minutes=20)
    return sales


def test_the_report_and_the_screens_totals_use_one_commission_rule(shop: FakeShop) -> None:
    _morning(shop)
    summary = day_report(shop.ledger, shop.day, "A", printed_by="Sok")
    screen = {t.operator_id: t for t in day_totals(shop.ledger, shop.day, "A")}
    for line in summary.operators:
        if line.count:
            assert screen[line.operator_id] == line
            assert line.commission_cents == commission_cents(line.amount_cents, line.commission_bp)
    assert summary.total.amount_cents == 1750


def test_expected_cash_is_opening_cash_plus_received_minus_change_voids_left_out(
    unopened: FakeShop,
) -> None:
    shop = unopened
    record_opening_cash(shop.ledger, shop.day, "A", 5000, 40_000, by=shop.clerk)
    sales = _morning(shop)
    void_sale(
        shop.ledger,
        sales[0].receipt_no,
        reason="x",
        requested_by=shop.clerk,
        supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN,
    )
    report = x_report(shop.ledger, shop.day, "A", printed_by=shop.supervisor)
    # $2.50 paid with $10 ($7 and 2,000 riel back), $10 exact; the riel sale was voided.
    assert (report.cash.expected_usd_cents, report.cash.expected_khr) == (
        5000 + 1000 - 700 + 1000,
        40_000 - 2000,
    )
    assert report.summary.payments.net_usd_cents == 1000 - 700 + 1000
    assert not report.closed


def test_the_close_checks_the_supervisors_pin_in_its_own_transaction(shop: FakeShop) -> None:
    _morning(shop)
    book = book_of(shop.ledger)
    with pytest.raises(NotAllowed, match="only a supervisor or admin can close the day"):
        close_day(
            shop.ledger,
            shop.day,
            "A",
            counted_usd_cents=0,
            counted_khr=0,
            supervisor_name="Dara",
            supervisor_pin=CLERK_PIN,
            by=shop.clerk,
        )
    with pytest.raises(AuthError):
        close_day(
            shop.ledger,
            shop.day,
            "A",
            counted_usd_cents=0,
            counted_khr=0,
            supervisor_name="Vanna",
            supervisor_pin="9999",
            by=shop.clerk,
        )
    assert book.closes == {}
    closed = close_day(
        shop.ledger,
        shop.day,
        "A",
        counted_usd_cents=2550,
        counted_khr=-0,
        supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN,
        by=shop.clerk,
    )
    assert (closed.closed_by, closed.counted_by, closed.sales_count) == ("Vanna", "Dara", 3)
    assert closed.report_error == "This counter has no place to write reports."  # said, not raised
    assert list(book.closes) == [("A", shop.day)]
    with pytest.raises(DayEndRefused, match="already closed"):
        close_day(
            shop.ledger,
            shop.day,
            "A",
            counted_usd_cents=0,
            counted_khr=0,
            supervisor_name="Vanna",
            supervisor_pin=SUPERVISOR_PIN,
            by=shop.clerk,
        )


def test_the_z_report_is_written_from_the_figures_the_close_recorded(shop: FakeShop) -> None:
    _morning(shop)
    written: list[dict[str, Any]] = []

    class Writer:
        def write(self, fmt: str, summary: Any, sales: Any, voids: Any, **kw: Any) -> list[Any]:
            written.append({"summary": summary, "sales": sales, **kw})
            return [f"/reports/{kw['stem']}.{fmt}"]

    ledger = replace(shop.ledger, reports=Writer())
    closed = close_day(
        ledger,
        shop.day,
        "A",
        counted_usd_cents=2600,
        counted_khr=18_000,
        supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN,
        by=shop.clerk,
    )
    (z,) = written
    assert closed.report_path == "/reports/2026-11-25-A-z-report.pdf"
    assert z["title"] == "Z report (day close)" and len(z["sales"]) == closed.sales_count
    assert z["summary"].total.amount_cents == closed.sales_cents
    assert (z["cash"].counted_usd_cents, z["cash"].expected_usd_cents) == (
        2600,
        closed.expected_usd_cents,
    )


def test_a_report_reads_the_ledger_once(shop: FakeShop) -> None:
    _morning(shop)
    opened: list[bool] = []
    book = book_of(shop.ledger)

    def uow(write: bool = True) -> FakeUnitOfWork:
        opened.append(write)
        return FakeUnitOfWork(book, write=write)

    counting = replace(shop.ledger, uow=uow)
    x_report(counting, shop.day, "A", printed_by="Sok")
    day_report(counting, shop.day, None, printed_by="Sok")
    assert opened == [False, False]  # one read-only transaction each: lines and totals agree


def test_restocks_and_corrections_are_approved_where_they_are_recorded(shop: FakeShop) -> None:
    with pytest.raises(NotAllowed, match="only a supervisor or admin can record a restock"):
        restock(shop.ledger, "smart", 1000, by=Approval("Dara", CLERK_PIN))
    with pytest.raises(NotAllowed):
        restock(shop.ledger, "smart", 1000, by=shop.clerk)
    assert restock(shop.ledger, "smart", 1000, by=Approval("Vanna", SUPERVISOR_PIN)) == 1000
    assert correct_float(shop.ledger, "Smart", -250, reason="statement", by=shop.supervisor) == 750
    assert dict(operator_balances(shop.ledger))["smart"] == 750
    assert doctor(shop.ledger) == []


def test_one_shift_is_open_at_a_time_and_none_opens_after_the_close(unopened: FakeShop) -> None:
    shop = unopened
    record_opening_cash(shop.ledger, shop.day, "A", 1000, 0, by=shop.clerk)
    with pytest.raises(DayEndRefused, match=r"Shift 1 of .* is open \(opened by Dara"):
        record_opening_cash(shop.ledger, shop.day, "A", 1, 1, by=shop.supervisor)
    with pytest.raises(DayEndRefused, match="cannot be negative"):
        record_opening_cash(shop.ledger, shop.day, "B", -1, 0, by=shop.clerk)


def test_the_float_list_shows_the_operators_in_use(shop: FakeShop) -> None:
    listed = [op for op, _ in operator_balances(shop.ledger)]
    assert "qb" not in listed, "disabled in the rules, and holding nothing"
    assert listed[:2] == ["smart", "cellcard"]
    restock(shop.ledger, "qb", 500, by=shop.supervisor)  # stock bought before it was disabled
    assert dict(operator_balances(shop.ledger))["qb"] == 500
