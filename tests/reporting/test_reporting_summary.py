"""The day summary: totals checked against sums worked out here, from the sales themselves."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter.domain.dayend import commission_cents, receipt_statement, summarise
from counter.domain.errors import ReportDataError
from counter.domain.records import Sale
from tests.reporting.sample import (
    COMMISSION_BP,
    DAY,
    ZONE,
    rules,
    sale_row,
    sample_rows,
    sample_voids,
    summary_of,
    void_of,
)

CENT = Decimal("0.01")


def cents(amount: Decimal) -> int:
    return int(amount * 100)


def sold(rows: list[Sale]) -> list[Sale]:
    return [r for r in rows if not r.voided]


def test_grand_total_equals_the_sold_lines() -> None:
    rows = sample_rows()
    summary = summary_of(rows, sample_voids())
    lines = sold(rows)
    assert summary.total.count == len(lines) == 11
    assert summary.total.amount_cents == sum(r.amount_cents for r in lines) == 5125


def test_commission_is_on_each_operators_total_rounded_once() -> None:
    """Issue 14: Smart $66.19 at 3% is $1.99 (3% of the total, rounded half up once), not
    the sum of each sale's rounded commission."""
    ops = [replace(op, commission_bp=300) if op.id == "smart" else op for op in rules()]
    from counter.domain.operators import RuleBook

    amounts = ["22.07", "22.06", "22.06"]  # $66.19: each sale's 3% rounds to $0.66
    sales = [sale_row(f"A-{n:06d}", "09:00", "smart", a) for n, a in enumerate(amounts, 1)]
    summary = summarise(
        sales,
        [],
        shop_name="S",
        day=DAY,
        counters=("A",),
        printed_by="X",
        printed_at=datetime(2026, 11, 25, 14, 0, tzinfo=ZONE),
        rules=RuleBook(ops),
        zone=ZONE,
    )
    smart = {o.operator_id: o for o in summary.operators}["smart"]
    assert smart.amount_cents == 6619
    assert smart.commission_cents == 199 == commission_cents(6619, 300)
    assert 3 * commission_cents(2206, 300) == 198  # what rounding per sale would have given


def test_operator_totals_and_commission_equal_independent_sums() -> None:
    rows = sample_rows()
    summary = summary_of(rows, sample_voids())
    count: Counter[str] = Counter()
    amount: defaultdict[str, Decimal] = defaultdict(Decimal)
    for r in sold(rows):
        count[r.operator_id] += 1
        amount[r.operator_id] += Decimal(r.amount_cents) / 100
    by_id = {op.operator_id: op for op in summary.operators}
    expected_total = Decimal(0)
    for op_id, n in count.items():
        rate = Decimal(COMMISSION_BP[op_id]) / 10000
        commission = (amount[op_id] * rate).quantize(CENT, ROUND_HALF_UP)
        expected_total += commission
        assert by_id[op_id].count == n
        assert by_id[op_id].amount_cents == cents(amount[op_id])
        assert by_id[op_id].commission_cents == cents(commission)
    assert summary.total.commission_cents == cents(expected_total)
    assert sum(o.commission_cents for o in summary.operators) == summary.total.commission_cents


def test_clerk_and_hour_totals_add_up_to_the_grand_total() -> None:
    rows = sample_rows()
    summary = summary_of(rows, sample_voids())
    per_clerk = Counter(r.clerk_name for r in sold(rows))
    assert {c.clerk: c.count for c in summary.clerks} == dict(per_clerk)
    assert sum(c.amount_cents for c in summary.clerks) == summary.total.amount_cents
    assert sum(h.count for h in summary.hours) == summary.total.count
    assert sum(h.amount_cents for h in summary.hours) == summary.total.amount_cents


def test_hours_are_local_and_continuous() -> None:
    summary = summary_of(sample_rows(), sample_voids())
    labels = [h.label for h in summary.hours]
    assert labels[0] == "07:00" and labels[-1] == "18:00" and len(labels) == 12
    by_label = {h.label: h for h in summary.hours}
    assert by_label["07:00"].count == 3  # A-000001, A-000002, B-000001 (Phnom Penh time)
    assert by_label["14:00"].count == 0


def test_payments_exclude_voided_sales() -> None:
    rows = sample_rows()
    summary = summary_of(rows, sample_voids())
    usd = [r for r in sold(rows) if r.paid_usd_cents]
    khr = [r for r in sold(rows) if r.paid_khr]
    pay = summary.payments
    assert pay.received_usd_cents == sum(r.paid_usd_cents for r in usd)
    assert pay.received_khr == sum(r.paid_khr for r in khr) == 67000
    assert pay.change_usd_cents == sum(r.change_usd_cents for r in sold(rows))
    assert pay.change_khr == sum(r.change_khr for r in sold(rows))
    assert (pay.paid_in_usd, pay.paid_in_khr) == (len(usd), len(khr))


def test_a_void_leaves_the_totals_and_shows_in_its_section() -> None:
    rows = sample_rows()
    voided = summary_of(rows, sample_voids())
    unvoided_rows = [replace(r, voided=False) for r in rows]
    unvoided = summary_of(unvoided_rows, [])
    assert unvoided.total.count - voided.total.count == 1
    assert unvoided.total.amount_cents - voided.total.amount_cents == 1000
    smart = {o.operator_id: o for o in voided.operators}["smart"]
    assert smart.amount_cents == 1350  # 5.00 + 2.50 + 1.00 + 5.00, without the voided 10.00
    assert unvoided.voids == ()
    assert [v.receipt_no for v in voided.voids] == ["A-000004"]
    line = voided.voids[0]
    assert (line.amount_cents, line.requested_by, line.approved_by, line.reason) == (
        1000,
        "Sokha",
        "Chenda",
        "wrong number",
    )
    assert (voided.void_count, voided.void_total_cents) == (1, 1000)


def test_a_voided_row_without_a_void_record_still_shows() -> None:
    summary = summary_of(sample_rows(), [])
    assert [(v.receipt_no, v.reason, v.approved_by) for v in summary.voids] == [
        ("A-000004", "", "")
    ]


def test_the_gap_is_reported_per_counter() -> None:
    summary = summary_of(sample_rows(), sample_voids())
    a, b = summary.receipt_ranges
    assert (a.first_no, a.last_no, a.missing) == ("A-000001", "A-000010", ("A-000007",))
    assert (b.first_no, b.last_no, b.has_gaps) == ("B-000001", "B-000003", False)
    assert receipt_statement(b) == "Receipts B-000001 to B-000003: no gaps."
    assert receipt_statement(a) == "Receipts A-000001 to A-000010: 1 number missing: A-000007."


def test_long_gaps_are_shown_as_runs() -> None:
    rows = [sale_row(f"A-{n:06d}", "09:00", "smart", "1.00") for n in (1, 3, 4, 9, 12, 14)]
    rng = summary_of(rows, [], counters=("A",)).receipt_ranges[0]
    assert rng.missing == (
        "A-000002",
        "A-000005",
        "A-000006",
        "A-000007",
        "A-000008",
        "A-000010",
        "A-000011",
        "A-000013",
    )
    assert receipt_statement(rng) == (
        "Receipts A-000001 to A-000014: 8 numbers missing: "
        "A-000002, A-000005 to A-000008, A-000010, A-000011, A-000013."
    )
    assert receipt_statement(rng, max_runs=1) == (
        "Receipts A-000001 to A-000014: 8 numbers missing: A-000002 and 7 more."
    )


def test_an_empty_day_is_empty_and_all_zero() -> None:
    summary = summary_of([], [], counters=("A",))
    assert summary.is_empty
    assert summary.total.count == summary.total.amount_cents == 0
    assert summary.hours == summary.clerks == summary.voids == summary.receipt_ranges == ()
    assert all(o.count == 0 for o in summary.operators)
    assert not summary_of(sample_rows(), sample_voids()).is_empty


def test_the_same_rows_give_the_same_summary() -> None:
    assert summary_of(sample_rows(), sample_voids()) == summary_of(sample_rows(), sample_voids())


def test_times_in_any_zone_give_the_same_summary() -> None:
    rows = sample_rows()
    local = [replace(r, created_at=r.created_at.astimezone(ZONE)) for r in rows]
    assert summary_of(local, sample_voids()) == summary_of(rows, sample_voids())


def test_a_sale_after_midnight_keeps_its_business_day() -> None:
    rows = [
        sale_row("A-000001", "23:10", "smart", "1.00"),
        sale_row("A-000002", "09:00", "smart", "1.00"),
    ]
    rows[1] = replace(  # 00:30 on the 26th in Phnom Penh
        rows[1], created_at=datetime.fromisoformat("2026-11-25T17:30:00+00:00")
    )
    labels = [h.label for h in summary_of(rows, [], counters=("A",)).hours]
    assert labels == ["23:00", "00:00 +1"]


def test_an_operator_without_a_rate_is_flagged() -> None:
    rows = [sale_row("A-000001", "09:00", "newtel", "2.00")]
    summary = summary_of(rows, [], counters=("A",))
    assert summary.operators[-1].operator_id == "newtel"
    assert summary.operators[-1].commission_cents == 0
    assert "newtel" in summary.warnings[0]


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"business_date": DAY - timedelta(days=1)}, "belongs to 2026-11-24"),
        ({"receipt_no": "B-000001", "counter_code": "B"}, "from counter B"),
    ],
)
def test_sales_of_another_day_or_counter_are_refused(
    change: dict[str, object], fragment: str
) -> None:
    sale = replace(sale_row("A-000001", "09:00", "smart", "5.00", paid="10.00"), **change)
    with pytest.raises(ReportDataError, match=fragment):
        summary_of([sale], [], counters=("A",))


def test_rows_of_another_counter_or_twice_are_refused() -> None:
    row = sale_row("B-000001", "09:00", "smart", "5.00")
    with pytest.raises(ReportDataError, match="from counter B"):
        summary_of([row], [], counters=("A",))
    with pytest.raises(ReportDataError, match="appears twice"):
        summary_of([row, row], [], counters=("B",))


def test_a_void_record_must_match_its_sale() -> None:
    rows = sample_rows()
    with pytest.raises(ReportDataError, match="the sale stands"):
        summary_of(rows, [void_of(rows[0])])
    with pytest.raises(ReportDataError, match="voided twice"):
        summary_of(rows, [*sample_voids(), *sample_voids()])


# --- property ----------------------------------------------------------------------------

OPERATORS = sorted(COMMISSION_BP)


@st.composite
def random_rows(draw: st.DrawFn) -> list[Sale]:
    n = draw(st.integers(min_value=0, max_value=40))
    numbers = sorted(draw(st.sets(st.integers(1, 200), min_size=n, max_size=n)))
    rows = []
    for number in numbers:
        amount = draw(st.integers(min_value=1, max_value=20_000))
        row = sale_row(
            f"A-{number:06d}",
            f"{draw(st.integers(6, 22)):02d}:{draw(st.integers(0, 59)):02d}",
            draw(st.sampled_from([*OPERATORS, "other"])),
            f"{amount // 100}.{amount % 100:02d}",
            clerk=draw(st.sampled_from(["Dara", "Sokha", "Vanna"])),
            status=draw(st.sampled_from(["sold", "sold", "sold", "voided"])),
        )
        rows.append(row)
    return rows


@settings(max_examples=150, deadline=None)
@given(random_rows())
def test_grand_total_is_the_sum_of_operators_and_of_sold_amounts(rows: list[Sale]) -> None:
    summary = summary_of(rows, [], counters=("A",))
    sold_amount = sum(r.amount_cents for r in rows if not r.voided)
    assert (
        summary.total.amount_cents == sum(o.amount_cents for o in summary.operators) == sold_amount
    )
    assert summary.total.count == sum(o.count for o in summary.operators)
    assert summary.total.commission_cents == sum(o.commission_cents for o in summary.operators)
    assert sum(c.amount_cents for c in summary.clerks) == sold_amount
    assert sum(h.amount_cents for h in summary.hours) == sold_amount
    assert summary.void_total_cents == sum(r.amount_cents for r in rows if r.voided)
    if rows:
        numbers = {r.receipt_seq for r in rows}
        rng = summary.receipt_ranges[0]
        assert rng.missing_count == rng.last - rng.first + 1 - len(numbers)


def test_a_naive_printed_at_is_refused() -> None:
    with pytest.raises(ReportDataError, match="printing time has no time zone"):
        summarise(
            [],
            [],
            shop_name="S",
            day=DAY,
            counters=("A",),
            printed_by="X",
            printed_at=datetime(2026, 11, 25, 21, 0),
            rules=rules(),
            zone=ZONE,
        )
