"""Counters racing on one PostgreSQL ledger, started at one shared moment (issue 11).

Each counter is its own process (`tests.ledger.racer`), held at a barrier until all are
ready, so the first writes (rows that may not exist yet) and the checks across counters
(the duplicate window, the daily cap) really meet. Every outcome is a sale or a refusal
in words; never a driver's message.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from counter.services import doctor
from counter.services.sales import business_date
from tests.ledger.conftest import CLERK_PIN, SUPERVISOR_PIN, Shop, reopen
from tests.ledger.racer import COUNTERS, assert_sentences, race, spec, three_counters
from tests.support.ledger import execute, rows, scalar

ROUNDS = 4


@pytest.fixture
def counters(backend: str) -> Iterator[Shop]:
    """Counters A, B and C on one ledger: a SQLite file (the counters are processes on
    one machine) or a fresh PostgreSQL database."""
    shop = three_counters()
    yield shop
    shop.ledger.close()


@pytest.fixture
def pg_shop(counter_home: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Shop]:
    """Counters A, B and C on a fresh PostgreSQL database."""
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    monkeypatch.setenv("COUNTER_DATABASE_URL", pg_url)
    shop = three_counters()
    yield shop
    shop.ledger.close()


def test_the_float_rows_exist_from_the_set_up(shop: Shop) -> None:
    """Every operator's balance row is made with the ledger, not by its first sale, and
    again at start for one the ledger lacks (an operator new in the rules file)."""
    query = "SELECT operator_id FROM operator_floats"
    assert {row.operator_id for row in rows(shop.ledger, query)} == {
        op.id for op in shop.ledger.rules
    }
    execute(shop.ledger, "DELETE FROM operator_floats WHERE operator_id = 'smart'")
    reopen().close()
    assert "smart" in {row.operator_id for row in rows(shop.ledger, query)}


def test_first_sales_of_an_operator_at_three_counters_at_once(pg_shop: Shop) -> None:
    """Rows that do not exist yet: each counter's first sale of each operator, all at once
    (the balance rows deleted first, as when an operator is new in the rules file)."""
    rounds = [("smart", "010345"), ("cellcard", "012345"), ("metfone", "0883456")]
    execute(pg_shop.ledger, "DELETE FROM operator_floats")
    specs = [
        spec(
            code,
            [
                {"do": "sell", "number": f"{start}{n}{r}{n}", "amount": "2"}
                for r, (_op, start) in enumerate(rounds)
            ],
        )
        for n, code in enumerate(COUNTERS)
    ]
    outcomes = race(specs)
    assert_sentences(outcomes)
    assert all(outcome[0] == "sale" for per in outcomes for outcome in per), outcomes
    assert scalar(pg_shop.ledger, "SELECT count(*) FROM sales") == len(COUNTERS) * len(rounds)
    balances = dict(rows(pg_shop.ledger, "SELECT operator_id, balance_cents FROM operator_floats"))
    for op, _prefix in rounds:
        assert balances[op] == -len(COUNTERS) * 200
    assert doctor(pg_shop.ledger) == []


def test_one_number_and_amount_at_three_counters_gives_one_sale(counters: Shop) -> None:
    """The duplicate window holds across counters: 3 counters sell the same number and
    amount at one moment, round after round; one sale and two refusals each round
    (PostgreSQL: the number's advisory lock; SQLite: BEGIN IMMEDIATE before the check)."""
    actions = [{"do": "sell", "number": f"0123456{r:02d}", "amount": "5"} for r in range(ROUNDS)]
    outcomes = race([spec(code, actions) for code in COUNTERS])
    assert_sentences(outcomes)
    for r in range(ROUNDS):
        kinds = Counter(per[r][0] for per in outcomes)
        assert kinds == {"sale": 1, "refused": 2}, (r, outcomes)
        refusals = [per[r] for per in outcomes if per[r][0] == "refused"]
        assert {kind for _, kind, _ in refusals} == {"DuplicateSale"}
        assert all("already" in message for _, _, message in refusals), refusals
    assert scalar(counters.ledger, "SELECT count(*) FROM sales") == ROUNDS


def test_the_daily_cap_holds_across_counters(counters: Shop) -> None:
    """A $10 cap per number and day: 3 counters sell $6, $7 and $8 to one number at
    one moment; one sale stands, the other two are refused with the cap in words."""
    amounts = ("6", "7", "8")
    specs = [
        spec(
            code,
            [
                {"do": "sell", "number": f"0129876{r:02d}", "amount": amounts[n]}
                for r in range(ROUNDS)
            ],
            cap_cents=1000,
        )
        for n, code in enumerate(COUNTERS)
    ]
    outcomes = race(specs)
    assert_sentences(outcomes)
    for r in range(ROUNDS):
        kinds = Counter(per[r][0] for per in outcomes)
        assert kinds == {"sale": 1, "refused": 2}, (r, outcomes)
        refusals = [per[r] for per in outcomes if per[r][0] == "refused"]
        assert {kind for _, kind, _ in refusals} == {"DailyCapReached"}, refusals
    for number, total in rows(
        counters.ledger, "SELECT msisdn, sum(amount_cents) FROM sales GROUP BY msisdn"
    ):
        assert total <= 1000, number


def test_first_day_closes_at_two_counters_at_once(pg_shop: Shop) -> None:
    """Each counter closes its day at the same moment as the other, for several days:
    every close is recorded, on its own counter, and the chains stay whole."""
    today = business_date(pg_shop.ledger, pg_shop.ledger.now())
    days = [(today - timedelta(days=ROUNDS - r)).isoformat() for r in range(ROUNDS)]
    actions = [
        {"do": "close_day", "day": day, "supervisor": "Vanna", "pin": SUPERVISOR_PIN}
        for day in days
    ]
    outcomes = race([spec(code, actions) for code in COUNTERS[:2]])
    assert_sentences(outcomes)
    assert outcomes == [[["closed", day] for day in days]] * 2
    closes = rows(pg_shop.ledger, "SELECT counter_code, business_date FROM day_closes")
    assert len(closes) == 2 * ROUNDS
    assert doctor(pg_shop.ledger) == []


def test_eight_counters_logging_in_per_sale_on_sqlite_meet_no_busy_timeout(
    counter_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """8 processes on one SQLite file, each logging in (Argon2 at the shop's cost) before
    every sale, all at one moment, round after round: the PIN is verified outside the
    write lock, so no one waits out the busy timeout. (Times: scripts/bench_login_sale.py.)"""
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "default")
    monkeypatch.setenv("COUNTER_BUSY_TIMEOUT_MS", "2000")
    three_counters().ledger.close()
    rounds, processes = 5, 8
    specs = [
        spec(
            COUNTERS[n % 3],
            [
                {"do": "sell", "number": f"0124{n}{r:02d}78", "amount": "1", "login": CLERK_PIN}
                for r in range(rounds)
            ],
        )
        for n in range(processes)
    ]
    outcomes = race(specs)
    assert_sentences(outcomes)
    refused = [o for per in outcomes for o in per if o[0] != "sale"]
    assert refused == []
