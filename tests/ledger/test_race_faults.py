"""What a clerk reads when PostgreSQL stops a sale: a sentence, never the driver's words.

Real failures from a real server, met by the real sale path: a deadlock (retried, and
said when it keeps happening), a serialization failure (retried), a connection cut while
the sale waits, another counter holding the number past the busy timeout.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from counter.domain.errors import Fault, StorageError
from counter.services import sales as sales_module
from counter.services import sell
from tests.ledger.conftest import Shop, set_up_shop
from tests.ledger.racer import COUNTERS, DRIVER_WORDS, assert_sentences, race, spec, three_counters
from tests.support.ledger import engine_of, scalar, sql_uow

NUMBER, MSISDN = "012 345 678", "+85512345678"
HOLD = "SELECT pg_advisory_xact_lock(hashtextextended(:n, 0))"


@pytest.fixture
def pg(counter_home: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Shop]:
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    monkeypatch.setenv("COUNTER_DATABASE_URL", pg_url)
    monkeypatch.setenv("COUNTER_BUSY_TIMEOUT_MS", "3000")
    shop = set_up_shop()
    yield shop
    shop.ledger.close()


def _watcher(url: str) -> psycopg.Connection[Any]:
    parsed = make_url(url)
    return psycopg.connect(
        host=parsed.host,
        port=parsed.port,
        user=parsed.username,
        dbname=parsed.database,
        autocommit=True,
    )


def _waiting(url: str, event: str, timeout_s: float = 20) -> int:
    """The pid of the backend that waits on a lock of this kind (`advisory`, `tuple`, ...)."""
    with _watcher(url) as watch:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            row = watch.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND wait_event = %s",
                (event,),
            ).fetchone()
            if row:
                return int(row[0])
            time.sleep(0.02)
    raise AssertionError(f"no backend waited on a {event} lock")


def _in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["sale"] = work()
        except Exception as exc:  # what the clerk would be shown
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _is_sentence(message: str) -> None:
    assert not any(word in message for word in DRIVER_WORDS), message
    assert message[:1].isupper() and message.endswith("."), message


def _deadlock(shop: Shop, pg_url: str) -> dict[str, Any]:
    """Another connection holds counter A's row, the sale takes the number's lock and
    waits for the row, then the other asks for the number: a cycle. The other session
    never looks for deadlocks first, so the server stops the sale."""
    engine = engine_of(shop.ledger)
    with engine.connect() as other:
        other.execute(text("SET deadlock_timeout = '60s'"))
        other.execute(text("SELECT code FROM counters WHERE code = 'A' FOR UPDATE"))
        thread, outcome = _in_thread(lambda: sell(shop.ledger, shop.clerk, NUMBER, "5"))
        _waiting(pg_url, "transactionid")
        other.execute(text(HOLD), {"n": MSISDN})  # returns once the sale was stopped
        time.sleep(0.2)
        other.rollback()
    thread.join(timeout=30)
    return outcome


def test_a_deadlock_is_retried(pg: Shop, pg_url: str) -> None:
    outcome = _deadlock(pg, pg_url)
    assert outcome["sale"].receipt_no == "A-000001", outcome
    assert scalar(pg.ledger, "SELECT count(*) FROM sales") == 1


def test_a_deadlock_that_keeps_happening_is_said(
    pg: Shop, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sales_module, "CONFLICT_ATTEMPTS", 1)
    error = _deadlock(pg, pg_url)["error"]
    assert isinstance(error, StorageError) and error.fault is Fault.CONFLICT
    assert str(error) == (
        "Two counters waited for each other and the ledger stopped one of them. Try again. "
        "Nothing was recorded."
    )
    assert scalar(pg.ledger, "SELECT count(*) FROM sales") == 0


def test_a_connection_cut_while_the_sale_waits_is_said(pg: Shop, pg_url: str) -> None:
    engine = engine_of(pg.ledger)
    with engine.connect() as other, _watcher(pg_url) as admin:
        other.execute(text(HOLD), {"n": MSISDN})
        thread, outcome = _in_thread(lambda: sell(pg.ledger, pg.clerk, NUMBER, "5"))
        admin.execute("SELECT pg_terminate_backend(%s)", (_waiting(pg_url, "advisory"),))
        thread.join(timeout=30)
        other.rollback()
    error = outcome["error"]
    assert isinstance(error, StorageError) and error.fault is Fault.UNREACHABLE
    _is_sentence(str(error))
    assert str(error).startswith("Cannot reach the PostgreSQL server at 127.0.0.1:")
    assert str(error).endswith("Nothing was recorded.")
    # The next sale gets a fresh connection and the first number.
    assert sell(pg.ledger, pg.clerk, NUMBER, "5").receipt_no == "A-000001"


def test_a_number_held_past_the_busy_timeout_is_said(pg: Shop, pg_url: str) -> None:
    engine = engine_of(pg.ledger)
    with engine.connect() as other:
        other.execute(text(HOLD), {"n": MSISDN})
        with pytest.raises(StorageError) as refused:
            sell(pg.ledger, pg.clerk, NUMBER, "5")
        other.rollback()
    assert refused.value.fault is Fault.BUSY
    assert str(refused.value) == (
        "The ledger is busy: another counter held it for more than 3 seconds. "
        "Try again in a moment. Nothing was recorded."
    )


def test_serialization_failures_are_retried(
    counter_home: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server set to SERIALIZABLE: 3 counters sell one operator at one moment, so
    their balance updates meet; each loser runs again and every sale is recorded."""
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    monkeypatch.setenv("COUNTER_DATABASE_URL", pg_url)
    shop = three_counters()
    with engine_of(shop.ledger).connect() as conn:
        name = conn.execute(text("SELECT current_database()")).scalar_one()
        conn.execute(
            text(f'ALTER DATABASE "{name}" SET default_transaction_isolation = serializable')
        )
        conn.commit()
    shop.ledger.close()
    rounds = 4
    specs = [
        spec(
            code, [{"do": "sell", "number": f"0123{n}{r}567", "amount": "2"} for r in range(rounds)]
        )
        for n, code in enumerate(COUNTERS)
    ]
    outcomes = race(specs)
    assert_sentences(outcomes)
    assert all(o[0] == "sale" for per in outcomes for o in per), outcomes


def test_any_other_database_error_is_a_sentence_with_its_code(shop: Shop) -> None:
    """An error the app has no words for names the database's code, never its message
    (which can hold SQL and customers' numbers)."""
    with pytest.raises(StorageError) as refused, sql_uow(shop.ledger) as uow:
        uow.connection.execute(text("SELECT no_such_function(msisdn) FROM sales"))
    message = str(refused.value)
    _is_sentence(message)
    assert "msisdn" not in message and "no_such_function" not in message
    code = "42883" if uow.connection.dialect.name == "postgresql" else "SQLITE_ERROR"
    assert message == f"The ledger refused the operation (database error {code})."
