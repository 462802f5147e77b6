"""The day's drawer from its shifts: cash handed from one shift to the next counts once."""

from __future__ import annotations

from counter.domain.drawer import CashCount, added


def test_two_shifts_sharing_one_drawer_give_the_drawer_at_the_end() -> None:
    # Shift 1 opens with $20, takes $100 cash, counts $118 ($2 short).
    first = CashCount(2000, 40000, 12000, 40000, 11800, 40000)
    # Shift 2 opens with what shift 1 left ($118), takes $50, counts $168 (right).
    second = CashCount(11800, 40000, 16800, 60000, 16800, 59000)
    day = added([first, second])
    assert (day.opening_usd_cents, day.opening_khr) == (2000, 40000)
    assert (day.expected_usd_cents, day.expected_khr) == (2000 + 10000 + 5000, 40000 + 20000)
    assert (day.counted_usd_cents, day.counted_khr) == (2000 + 9800 + 5000, 40000 + 19000)
    # the day's difference is the shifts' differences added up: -$2.00 and -1,000 riel
    assert day.counted_usd_cents - day.expected_usd_cents == -200
    assert day.counted_khr - day.expected_khr == -1000


def test_a_shift_not_yet_counted_leaves_the_day_uncounted() -> None:
    day = added([CashCount(0, 0, 500, 0, 500, 0), CashCount(500, 0, 900, 0, None, None)])
    assert (day.expected_usd_cents, day.counted_usd_cents, day.counted_khr) == (900, None, None)


def test_one_shift_is_its_own_day() -> None:
    only = CashCount(2000, 0, 7000, 8000, 6900, 8000)
    assert added([only]) == only
