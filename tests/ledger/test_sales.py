"""Selling, numbering, idempotency, duplicate guard, daily cap, voids, queries, export."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from counter.domain.cash import Payment
from counter.domain.errors import CashDoubted, NotAllowed, PaymentError, RateError
from counter.domain.money import Money
from counter.domain.operators import RuleBook
from counter.domain.records import Approval
from counter.reporting.export import EXPORT_COLUMNS, export_row
from counter.services import (
    AuthError,
    DuplicateSale,
    SaleRefused,
    VoidRefused,
    day_totals,
    disable_user,
    doctor,
    export_sales,
    get_sale,
    last_sale,
    number_history,
    rate_book,
    sales_for_day,
    search_sales,
    sell,
    set_exchange_rate,
    void_sale,
)
from counter.services import (
    shop as shop_info,
)
from tests.ledger.conftest import ADMIN_PIN, CLERK_PIN, SUPERVISOR_PIN, Shop
from tests.support.ledger import execute, scalar

NOON_PP = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)  # 12:00 in Phnom Penh


def audit_actions(shop: Shop) -> list[str]:
    with shop.ledger.uow(write=False) as uow:
        return [e.action for e in reversed(uow.audit.entries(limit=1000))]


def count(shop: Shop, table: str) -> int:
    assert table in ("sales", "voids", "audit_log", "print_queue")
    return int(scalar(shop.ledger, f"SELECT count(*) FROM {table}"))


def test_sale_records_every_field(shop: Shop) -> None:
    late = datetime(2026, 11, 25, 18, 30, tzinfo=UTC)  # 01:30 on the 26th in Phnom Penh
    sale = sell(
        shop.ledger,
        shop.clerk,
        "012 345 678",
        "5",
        paid=Money.khr(30_000),
        operator_ref="TX-1",
        idempotency_key="key-1",
        now=late,
    )
    again = get_sale(shop.ledger, sale.receipt_no)
    assert again == sale
    assert sale.receipt_no == "A-000001"
    assert sale.counter_code == "A"
    assert sale.clerk_id == shop.clerk.id and sale.clerk_name == "Dara"
    assert sale.created_at == late
    assert sale.business_date == date(2026, 11, 26)
    assert (sale.operator_id, sale.msisdn) == ("cellcard", "+85512345678")
    assert (sale.amount_cents, sale.validity_days) == (500, 40)
    assert (sale.paid_khr, sale.paid_usd_cents, sale.riel_per_usd) == (30_000, 0, 4000)
    assert [(x.tender.value, x.currency.value, x.minor) for x in sale.payment.lines] == [
        ("cash", "KHR", 30_000)
    ]
    assert (sale.change_usd_cents, sale.change_khr, sale.rounding_khr) == (0, 10_000, 0)
    assert (sale.operator_ref, sale.idempotency_key, sale.status) == ("TX-1", "key-1", "sold")
    assert count(shop, "print_queue") == 1
    # The sale row is its own audit record (hash-chained per counter): no audit row for it.
    assert "sale" not in audit_actions(shop)


def test_change_in_usd_and_riel_with_rounding(shop: Shop) -> None:
    sale = sell(shop.ledger, shop.clerk, "010 123 456", "2.37", paid=Money.usd(1000))
    # $7.63 back: $7 in notes, 63 cents = 2,520 riel, rounded to 2,500.
    assert (sale.change_usd_cents, sale.change_khr, sale.rounding_khr) == (700, 2500, 20)


def test_short_payment_is_refused_and_nothing_recorded(shop: Shop) -> None:
    with pytest.raises(PaymentError, match="short"):
        sell(shop.ledger, shop.clerk, "012 345 678", "5", paid=Money.usd(400))
    assert count(shop, "sales") == 0


def test_receipt_numbers_are_gapless_even_after_refusals(shop: Shop) -> None:
    numbers = []
    for i in range(6):
        numbers.append(sell(shop.ledger, shop.clerk, f"012 345 67{i}", "1").receipt_no)
        with pytest.raises(SaleRefused):
            sell(shop.ledger, shop.clerk, "012 345 678", "0.50")
    assert numbers == [f"A-{n:06d}" for n in range(1, 7)]
    assert last_sale(shop.ledger).receipt_no == "A-000006"
    assert doctor(shop.ledger) == []


def test_same_idempotency_key_records_one_sale(shop: Shop) -> None:
    first = sell(shop.ledger, shop.clerk, "012 345 678", "5", idempotency_key="enter-twice")
    second = sell(shop.ledger, shop.clerk, "012 345 678", "5", idempotency_key="enter-twice")
    assert first == second
    assert count(shop, "sales") == 1
    assert count(shop, "print_queue") == 1


def test_refusal_lists_every_problem(shop: Shop) -> None:
    with pytest.raises(SaleRefused) as refused:
        sell(shop.ledger, shop.clerk, "023 123 456", "abc")
    assert len(refused.value.errors) == 2
    assert "landline" in str(refused.value)
    assert count(shop, "sales") == 0


def test_duplicate_guard_needs_an_override(shop: Shop) -> None:
    first = sell(shop.ledger, shop.clerk, "012 345 678", "5", now=NOON_PP)
    with pytest.raises(DuplicateSale) as dup:
        sell(shop.ledger, shop.clerk, "012345678", "5.00", now=NOON_PP + timedelta(seconds=120))
    assert dup.value.previous == first
    assert dup.value.seconds_ago == 120
    assert str(dup.value) == (
        "012 345 678 was already topped up with $5.00 2 minutes ago (receipt A-000001). "
        "Sell again only if the customer wants a second top-up."
    )
    # Another amount, or after the window, or with the override: sold.
    sell(shop.ledger, shop.clerk, "012 345 678", "6", now=NOON_PP + timedelta(seconds=130))
    sell(shop.ledger, shop.clerk, "012 345 678", "5", now=NOON_PP + timedelta(seconds=181))
    again = sell(
        shop.ledger,
        shop.clerk,
        "012 345 678",
        "5",
        now=NOON_PP + timedelta(seconds=182),
        allow_duplicate=True,
    )
    assert count(shop, "sales") == 4
    assert audit_actions(shop)[-1] == "sale_duplicate_override"  # selling again is on record
    assert again.receipt_no == "A-000004"


def test_daily_cap_per_number(shop: Shop) -> None:
    ops = [
        dataclasses.replace(op, daily_cap_cents=1000) if op.id == "cellcard" else op
        for op in shop.ledger.rules
    ]
    shop.ledger = dataclasses.replace(shop.ledger, rules=RuleBook(ops))
    sell(shop.ledger, shop.clerk, "012 345 678", "6", now=NOON_PP)
    with pytest.raises(SaleRefused, match=r"already had \$6.00 today.*daily cap of \$10.00"):
        sell(shop.ledger, shop.clerk, "012 345 678", "5", now=NOON_PP + timedelta(hours=1))
    sell(shop.ledger, shop.clerk, "012 345 678", "4", now=NOON_PP + timedelta(hours=1))
    # The next business day starts afresh.
    sell(shop.ledger, shop.clerk, "012 345 678", "10", now=NOON_PP + timedelta(days=1))


def test_disabled_clerk_cannot_sell(shop: Shop) -> None:
    disable_user(shop.ledger, "Dara", by=shop.admin)
    with pytest.raises(AuthError, match="not an active user"):
        sell(shop.ledger, shop.clerk, "012 345 678", "5")


def test_void_needs_a_supervisor_and_a_reason(shop: Shop) -> None:
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "5")
    led, clerk = shop.ledger, shop.clerk
    with pytest.raises(VoidRefused, match="needs a reason"):
        void_sale(
            led,
            sale.receipt_no,
            reason="  ",
            requested_by=clerk,
            supervisor_name="Vanna",
            supervisor_pin=SUPERVISOR_PIN,
        )
    with pytest.raises(VoidRefused, match="Dara is a clerk: only a supervisor or admin"):
        void_sale(
            led,
            sale.receipt_no,
            reason="wrong number",
            requested_by=clerk,
            supervisor_name="Dara",
            supervisor_pin=CLERK_PIN,
        )
    with pytest.raises(AuthError, match="That name and PIN do not match"):
        void_sale(
            led,
            sale.receipt_no,
            reason="wrong number",
            requested_by=clerk,
            supervisor_name="Vanna",
            supervisor_pin="0000",
        )
    with pytest.raises(VoidRefused, match="No sale with receipt number A-000099"):
        void_sale(
            led,
            "a-99",
            reason="wrong number",
            requested_by=clerk,
            supervisor_name="Vanna",
            supervisor_pin=SUPERVISOR_PIN,
        )
    void = void_sale(
        led,
        "A-1",
        reason="wrong number",
        requested_by=clerk,
        supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN,
    )
    assert (void.receipt_no, void.requested_by, void.approved_by, void.reason) == (
        "A-000001",
        "Dara",
        "Vanna",
        "wrong number",
    )
    with pytest.raises(VoidRefused, match="already voided"):
        void_sale(
            led,
            sale.receipt_no,
            reason="again",
            requested_by=clerk,
            supervisor_name="Sok",
            supervisor_pin=ADMIN_PIN,
        )
    voided = get_sale(led, sale.receipt_no)
    assert voided is not None and voided.status == "voided"
    assert dataclasses.replace(voided, voided=False) == sale  # the sale row itself is unchanged
    assert count(shop, "voids") == 1
    assert "void" in audit_actions(shop)


def test_void_of_a_closed_day_is_refused(shop: Shop) -> None:
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "5", now=NOON_PP)
    execute(  # a close written by hand; the close itself is tested in tests/dayend
        shop.ledger,
        "INSERT INTO day_closes (counter_code, business_date, closed_at, closed_by) "
        "VALUES ('A', :day, :at, :by)",
        {"day": sale.business_date, "at": NOON_PP, "by": shop.supervisor.id},
    )
    with pytest.raises(VoidRefused, match="2026-11-25, which is closed"):
        void_sale(
            shop.ledger,
            sale.receipt_no,
            reason="late",
            requested_by=shop.clerk,
            supervisor_name="Vanna",
            supervisor_pin=SUPERVISOR_PIN,
        )


def test_queries(shop: Shop) -> None:
    led, clerk = shop.ledger, shop.clerk
    a = sell(led, clerk, "012 345 678", "5", now=NOON_PP)
    b = sell(led, clerk, "097 123 4567", "2", now=NOON_PP + timedelta(minutes=1))
    c = sell(led, clerk, "010 995 678", "3", now=NOON_PP + timedelta(minutes=2))
    void_sale(
        led,
        b.receipt_no,
        reason="test",
        requested_by=clerk,
        supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN,
    )
    day = a.business_date
    assert [s.receipt_no for s in sales_for_day(led, day, "A")] == [
        c.receipt_no,
        b.receipt_no,
        a.receipt_no,
    ]
    assert sales_for_day(led, day, "A", limit=1, offset=1)[0].receipt_no == b.receipt_no
    assert sales_for_day(led, day + timedelta(days=1), None) == []
    assert {s.receipt_no for s in search_sales(led, "5678")} == {a.receipt_no, c.receipt_no}
    assert [s.receipt_no for s in search_sales(led, "012345678")] == [a.receipt_no]
    assert [s.receipt_no for s in search_sales(led, "a-000002")] == [b.receipt_no]
    assert [s.receipt_no for s in search_sales(led, "995", day=day)] == [c.receipt_no]
    assert [s.receipt_no for s in search_sales(led, "678", operator="smart")] == [c.receipt_no]
    assert [s.receipt_no for s in search_sales(led, "Smart")] == [c.receipt_no]
    assert [s.receipt_no for s in search_sales(led, "metfone", day=day)] == [b.receipt_no]
    assert search_sales(led, "Smart", day=day + timedelta(days=1)) == []
    assert search_sales(led, "Nokia") == []
    assert [s.receipt_no for s in search_sales(led, "", operator="cellcard")] == [a.receipt_no]
    assert search_sales(led, "") == []
    assert [s.receipt_no for s in number_history(led, "+855 12 345 678")] == [a.receipt_no]
    totals = {t.operator_id: (t.count, t.amount_cents) for t in day_totals(led, day, "A")}
    assert totals == {"cellcard": (1, 500), "smart": (1, 300)}  # the voided Metfone sale is out


def test_exchange_rate_change_is_audited_and_used(shop: Shop) -> None:
    with pytest.raises(
        NotAllowed, match="Dara is a clerk: only a supervisor or admin can change the exchange rate"
    ):
        set_exchange_rate(shop.ledger, 4100, approval=Approval("Dara", CLERK_PIN))
    with pytest.raises(RateError, match="41,000 riel per dollar is above this shop's highest"):
        set_exchange_rate(shop.ledger, 41_000, approval=Approval("Vanna", SUPERVISOR_PIN))
    change = set_exchange_rate(shop.ledger, "4,100", approval=Approval("Vanna", SUPERVISOR_PIN))
    assert (change.by, change.old, change.new) == ("Vanna", 4000, 4100)
    assert shop_info(shop.ledger).riel_per_usd == 4100
    sale = sell(shop.ledger, shop.clerk, "012 345 678", "5", paid=Money.khr(30_000))
    assert (sale.riel_per_usd, sale.change_khr) == (4100, 9500)
    assert "rate_changed" in audit_actions(shop)
    book = rate_book(shop.ledger)
    assert book.riel_per_usd == 4100
    assert [(h.by, h.old, h.new) for h in book.history] == [
        ("Vanna", 4000, 4100),
        ("Sok", None, 4000),
    ]


def test_export_columns_and_format(shop: Shop) -> None:
    led, clerk = shop.ledger, shop.clerk
    a = sell(led, clerk, "012 345 678", "5", paid=Money.khr(30_000), operator_ref="R9", now=NOON_PP)
    sell(led, clerk, "097 123 4567", "2", paid=Money.usd(1000), now=NOON_PP + timedelta(days=1))
    void_sale(
        led,
        a.receipt_no,
        reason="wrong number",
        requested_by=clerk,
        supervisor_name="Vanna",
        supervisor_pin=SUPERVISOR_PIN,
    )
    rows = [
        dict(zip(EXPORT_COLUMNS, export_row(sale, reason), strict=True))
        for sale, reason in export_sales(
            led, date(2026, 11, 25), date(2026, 11, 25), by=shop.supervisor
        )
    ]
    assert rows == [
        {
            "receipt_no": "A-000001",
            "created_at": "2026-11-25T05:00:00+00:00",
            "business_date": "2026-11-25",
            "counter": "A",
            "clerk": "Dara",
            "operator": "cellcard",
            "msisdn": "+85512345678",
            "amount_usd": "5.00",
            "paid_currency": "KHR",
            "paid_amount": "30000",
            "change_usd": "0.00",
            "change_khr": "10000",
            "operator_ref": "R9",
            "status": "voided",
            "void_reason": "wrong number",
            "paid_usd": "0.00",
            "paid_khr": "30000",
            "riel_per_usd": "4000",
            "amount_khr": "20000",
        }
    ]
    everything = [
        dict(zip(EXPORT_COLUMNS, export_row(sale, reason), strict=True))
        for sale, reason in export_sales(led, by=shop.admin)
    ]
    assert [tuple(r) for r in everything] == [EXPORT_COLUMNS] * 2
    assert everything[1]["paid_amount"] == "10.00" and everything[1]["change_usd"] == "8.00"


def test_doctor_finds_edits_made_behind_the_apps_back(shop: Shop) -> None:
    led, clerk = shop.ledger, shop.clerk
    for i in range(3):
        sell(led, clerk, f"012 345 67{i}", "5")
    assert doctor(led) == []

    def raw(sql: str) -> None:
        execute(led, sql)

    raw("UPDATE sales SET amount_cents = 100 WHERE receipt_no = 'A-000002'")
    assert doctor(led) == [
        "Sale A-000002: changed after it was recorded (its hash does not match).",
        # The running airtime balance (kept by sell) no longer matches the edited amount.
        "Operator cellcard: the kept airtime balance is -15.00 but the recorded restocks, "
        "corrections, sales and voids give -11.00.",
    ]
    raw("UPDATE sales SET amount_cents = 500 WHERE receipt_no = 'A-000002'")
    assert doctor(led) == []
    raw("UPDATE audit_log SET detail = '{}' WHERE id = 3")
    assert doctor(led) == ["Audit row 3: changed after it was recorded (its hash does not match)."]
    raw(
        "DELETE FROM print_queue WHERE sale_id = (SELECT id FROM sales WHERE receipt_no = 'A-000003')"
    )
    raw(
        "DELETE FROM sale_payments WHERE sale_id = "
        "(SELECT id FROM sales WHERE receipt_no = 'A-000003')"
    )
    raw(  # the sale's delivery goes too (its foreign key would stop the delete)
        "DELETE FROM delivery_changes WHERE delivery_id = (SELECT d.id FROM deliveries d"
        " JOIN sales s ON s.id = d.sale_id WHERE s.receipt_no = 'A-000003')"
    )
    raw(
        "DELETE FROM deliveries WHERE sale_id = (SELECT id FROM sales WHERE receipt_no = 'A-000003')"
    )
    raw("DELETE FROM sales WHERE receipt_no = 'A-000003'")
    problems = doctor(led)
    assert (
        "Counter A: the last recorded sale is A-000002, but the counter would give A-000004 "
        "next, skipping the numbers between: sales were removed at the end, or the counter "
        "was edited."
    ) in problems


def test_riel_top_up_split_cash_and_a_doubted_payment_in_the_ledger(shop: Shop) -> None:
    set_exchange_rate(shop.ledger, 4037, approval=Approval("Vanna", SUPERVISOR_PIN))
    fitted = sell(shop.ledger, shop.clerk, "012 345 678", "5000r")
    # Cellcard whole dollars: $1.00 at 4,037 = 4,037៛; 963៛ over, 1,000៛ back (37៛ more).
    assert (fitted.amount_cents, fitted.change_khr, fitted.rounding_khr) == (100, 1000, -37)
    paid = Payment.cash(Money.usd(500), Money.khr(2000))
    split = sell(shop.ledger, shop.clerk, "010 222 333", "3.37", paid=paid)
    assert get_sale(shop.ledger, split.receipt_no) == split
    assert split.payment == paid
    with pytest.raises(CashDoubted):
        sell(shop.ledger, shop.clerk, "012 345 679", "5", paid=Money.usd(2_000_000))
    assert [s.receipt_no for s in sales_for_day(shop.ledger, split.business_date, "A")] == [
        split.receipt_no,
        fitted.receipt_no,
    ]
