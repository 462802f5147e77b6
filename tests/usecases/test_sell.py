"""Selling and voiding on the in-memory unit of work: the shop's rules, in milliseconds.

The same use cases run on SQLite and PostgreSQL in tests/ledger; here each rule is tried
on its own, with a clock the test moves.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from counter.domain.errors import (
    AuthError,
    DailyCapReached,
    DayClosed,
    DuplicateSale,
    FloatTooLow,
    KeyTaken,
    NoOpenShift,
    PaymentError,
    SaleRefused,
    VoidRefused,
)
from counter.domain.money import Money
from counter.domain.operators import RuleBook
from counter.services import (
    business_date,
    close_day,
    disable_user,
    record_opening_cash,
    restock,
    sell,
    void_sale,
)
from tests.fakes import FakeUnitOfWork, book_of
from tests.usecases.shop import ADMIN_PIN, CLERK_PIN, SUPERVISOR_PIN, FakeShop


def test_a_sale_is_numbered_recorded_and_queued_for_printing(shop: FakeShop) -> None:
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "5", paid=Money.khr(30_000))
    assert (sale.receipt_no, sale.clerk_name, sale.operator_id) == ("A-000001", "Dara", "cellcard")
    assert (sale.amount_cents, sale.change_khr, sale.riel_per_usd) == (500, 10_000, 4000)
    assert sale.created_at == shop.clock.now and sale.business_date == shop.day
    book = book_of(shop.ledger)
    assert list(book.sales) == [sale.id]
    assert [(j.sale_id, j.status, j.copy) for j in book.jobs] == [(sale.id, "pending", False)]
    assert book.floats == {"cellcard": -500}  # the operator's running balance
    assert [e.action for e in book.audit if e.action.startswith("sale")] == []


def test_a_refused_sale_records_nothing(shop: FakeShop) -> None:
    before = book_of(shop.ledger).commits
    with pytest.raises(SaleRefused) as refused:
        sell(shop.ledger, shop.clerk, "023 123 456", "abc")
    assert len(refused.value.errors) == 2
    with pytest.raises(PaymentError, match="short"):
        sell(shop.ledger, shop.clerk, "012 345 678", "5", paid=Money.usd(400))
    assert book_of(shop.ledger).sales == {} and book_of(shop.ledger).commits == before


def test_nobody_sells_outside_an_open_shift_and_a_shift_keeps_its_day(
    unopened: FakeShop,
) -> None:
    shop = unopened
    for who in (shop.clerk, shop.supervisor):
        with pytest.raises(NoOpenShift) as missing:
            sell(shop.ledger, who, "012 345 678", "5")
        assert (missing.value.counter_code, missing.value.day) == ("A", shop.day)
        assert "a sale is recorded only in an open shift" in str(missing.value)
    assert book_of(shop.ledger).sales == {}
    record_opening_cash(shop.ledger, shop.day, "A", 2000, 0, by=shop.clerk)
    opened_day = shop.day
    first = sell(shop.ledger, shop.clerk, "012 345 679", "5")
    assert (first.receipt_no, first.shift_id) == ("A-000001", 1)
    # Past midnight the shift is still open and its sales stay in the day it opened in.
    shop.clock.now = shop.clock.now.replace(hour=17, minute=30)  # 00:30 in Phnom Penh
    assert shop.day > opened_day
    late = sell(shop.ledger, shop.clerk, "012 345 670", "5")
    assert (late.business_date, late.shift_id) == (opened_day, 1)


def test_same_key_twice_gives_the_first_sale(shop: FakeShop) -> None:
    first = sell(shop.ledger, shop.clerk, "012 345 678", "5", idempotency_key="enter-twice")
    again = sell(shop.ledger, shop.clerk, "012 345 678", "5", idempotency_key="enter-twice")
    assert again == first and len(book_of(shop.ledger).sales) == 1


def test_a_key_taken_by_another_counter_meanwhile_answers_with_its_sale(shop: FakeShop) -> None:
    """The unique key catches the race the in-transaction check cannot see: the unit of work
    raises KeyTaken, and the use case answers with the sale that won."""
    winner = sell(shop.ledger, shop.clerk, "012 345 678", "5", idempotency_key="race")
    book = book_of(shop.ledger)

    class Blind(FakeUnitOfWork):
        """Sees the ledger as it was before the other counter's commit."""

        def __enter__(self) -> Blind:
            super().__enter__()
            self.sales.context = self._blind(self.sales.context)  # type: ignore[method-assign]
            return self

        @staticmethod
        def _blind(context):  # type: ignore[no-untyped-def]
            return lambda *a, **k: replace(context(*a, **k), key_taken=False, duplicate_id=None)

    racing = replace(shop.ledger, uow=lambda write=True: Blind(book, write=write))
    assert sell(racing, shop.clerk, "012 345 678", "5", idempotency_key="race") == winner
    assert len(book.sales) == 1


def test_another_unique_clash_is_not_swallowed(shop: FakeShop) -> None:
    book = book_of(shop.ledger)

    class Clash(FakeUnitOfWork):
        def commit(self) -> None:
            raise KeyTaken("receipt")

    clashing = replace(shop.ledger, uow=lambda write=True: Clash(book, write=write))
    with pytest.raises(KeyTaken):
        sell(clashing, shop.clerk, "012 345 678", "5")
    assert book.sales == {}


def test_duplicates_within_the_window_need_an_override(shop: FakeShop) -> None:
    first = sell(shop.ledger, shop.clerk, "012 345 678", "5")
    shop.clock.advance(seconds=120)
    with pytest.raises(DuplicateSale) as dup:
        sell(shop.ledger, shop.clerk, "012345678", "5.00")
    assert (dup.value.previous, dup.value.seconds_ago) == (first, 120)
    again = sell(shop.ledger, shop.clerk, "012 345 678", "5", allow_duplicate=True)
    assert [e.action for e in book_of(shop.ledger).audit][-1] == "sale_duplicate_override"
    shop.clock.advance(seconds=181)
    assert sell(shop.ledger, shop.clerk, "012 345 678", "5").receipt_seq == again.receipt_seq + 1


def test_the_daily_cap_counts_the_numbers_standing_sales(shop: FakeShop) -> None:
    ops = [
        replace(op, daily_cap_cents=1000) if op.id == "cellcard" else op for op in shop.ledger.rules
    ]
    ledger = replace(shop.ledger, rules=RuleBook(ops))
    sale = sell(ledger, shop.clerk, "012 345 678", "6")
    with pytest.raises(DailyCapReached) as cap:
        sell(ledger, shop.clerk, "012 345 678", "5", allow_duplicate=True)
    assert (cap.value.sold_cents, cap.value.cap_cents) == (600, 1000)
    void_sale(
        ledger,
        sale.receipt_no,
        reason="wrong",
        requested_by=shop.clerk,
        supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN,
    )
    assert sell(ledger, shop.clerk, "012 345 678", "10").amount_cents == 1000


def test_a_closed_day_refuses_sales_until_midnight(shop: FakeShop) -> None:
    sell(shop.ledger, shop.clerk, "012 345 678", "5")
    close_day(
        shop.ledger,
        shop.day,
        "A",
        counted_usd_cents=2500,
        counted_khr=0,
        supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN,
        by=shop.clerk,
    )
    with pytest.raises(DayClosed) as closed:
        sell(shop.ledger, shop.clerk, "012 345 679", "5")
    closed_day = shop.day
    assert closed.value.day == closed_day
    shop.clock.now = shop.clock.now.replace(hour=17, minute=1)  # 00:01 in Phnom Penh
    record_opening_cash(
        shop.ledger, business_date(shop.ledger, shop.clock()), "A", 0, 0, by=shop.clerk
    )
    assert sell(shop.ledger, shop.clerk, "012 345 679", "5").business_date > closed_day


def test_the_refuse_policy_refuses_a_sale_larger_than_the_operators_stock(shop: FakeShop) -> None:
    ledger = replace(shop.ledger, policy=replace(shop.ledger.policy, float_policy="refuse"))
    restock(ledger, "cellcard", 500, by=shop.supervisor)
    with pytest.raises(FloatTooLow) as short:
        sell(ledger, shop.clerk, "012 345 678", "10")
    assert (short.value.operator_id, short.value.balance_cents, short.value.amount_cents) == (
        "cellcard",
        500,
        1000,
    )
    assert "`counter" not in str(short.value)  # what to do is the front end's to say
    assert sell(ledger, shop.clerk, "012 345 678", "5").amount_cents == 500


def test_a_disabled_clerk_cannot_sell(shop: FakeShop) -> None:
    disable_user(shop.ledger, "Dara", by=shop.admin)
    with pytest.raises(AuthError, match="not an active user"):
        sell(shop.ledger, shop.clerk, "012 345 678", "5")


def test_a_naive_time_is_refused(shop: FakeShop) -> None:
    from counter.domain.errors import NotAUtcTime

    with pytest.raises(NotAUtcTime):
        sell(shop.ledger, shop.clerk, "012 345 678", "5", now=shop.clock.now.replace(tzinfo=None))


# --- voids: the supervisor's PIN is checked in the void's own transaction ---------------


def test_a_void_needs_a_supervisors_pin_and_changes_nothing_else(shop: FakeShop) -> None:
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "5")
    book = book_of(shop.ledger)
    with pytest.raises(VoidRefused, match="Dara is a clerk: only a supervisor or admin"):
        void_sale(
            shop.ledger,
            sale.receipt_no,
            reason="x",
            requested_by=shop.clerk,
            supervisor_name="Dara",
            supervisor_pin=CLERK_PIN,
        )
    with pytest.raises(AuthError, match="That name and PIN do not match"):
        void_sale(
            shop.ledger,
            sale.receipt_no,
            reason="x",
            requested_by=shop.clerk,
            supervisor_name="Vanna",
            supervisor_pin="0000",
        )
    # The wrong PIN is on record (it counts towards the lockout); the void is not.
    assert book.voids == {}
    assert book.users[shop.supervisor.id].user.failed_attempts == 1
    assert [e.action for e in book.audit][-1] == "login_failed"
    void = void_sale(
        shop.ledger,
        "a-1",
        reason=" wrong   number ",
        requested_by=shop.clerk,
        supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN,
    )
    assert (void.receipt_no, void.reason, void.approved_by) == ("A-000001", "wrong number", "Vanna")
    assert book.users[shop.supervisor.id].user.failed_attempts == 0  # a right PIN clears it
    assert book.floats == {"cellcard": 0}
    with pytest.raises(VoidRefused, match="already voided"):
        void_sale(
            shop.ledger,
            "A-000001",
            reason="again",
            requested_by=shop.clerk,
            supervisor_name="Sok",
            supervisor_pin=ADMIN_PIN,
        )


def test_a_wrong_pin_for_an_unknown_name_takes_as_long_as_a_known_one(shop: FakeShop) -> None:
    pins = shop.ledger.pins
    with pytest.raises(AuthError, match="That name and PIN do not match"):
        void_sale(
            shop.ledger,
            "A-1",
            reason="x",
            requested_by=shop.clerk,
            supervisor_name="Nobody",
            supervisor_pin="1234",
        )
    assert pins.burned == 1  # type: ignore[attr-defined]


def test_each_use_case_is_one_unit_of_work(shop: FakeShop) -> None:
    """A sale, a void and a day close each commit once: all of it, or nothing."""
    book = book_of(shop.ledger)
    before = book.commits
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "5")
    assert book.commits == before + 1
    void_sale(
        shop.ledger,
        sale.receipt_no,
        reason="x",
        requested_by=shop.clerk,
        supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN,
    )
    assert book.commits == before + 2
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
    assert book.commits == before + 3
