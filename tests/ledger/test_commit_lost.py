"""A connection lost during a sale's COMMIT on a real PostgreSQL server.

A proxy between the app and the server (`tests/support/pgproxy.py`) cuts the connection
at the sale's COMMIT: before the server gets it (the sale is rolled back) or after (the
server kept it, its answer never came). The clerk reads that it may or may not have been
recorded; after reconnecting, the same idempotency key finds the sale or records it: one
sale, never two, and doctor is clean.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, text

from counter.domain.errors import StorageError
from counter.services import doctor, sell
from tests.ledger.conftest import Shop, set_up_shop
from tests.support.pgproxy import CommitCutter, commit_cutter

pytestmark = pytest.mark.pg
SENTENCE = (
    "The connection to the ledger was lost while it was being written: this may or may not "
    "have been recorded. Look at the last receipt before trying again."
)


@dataclass
class Cut:
    shop: Shop
    cutter: CommitCutter
    direct_url: str


@pytest.fixture
def cut(pg_url: str, counter_home: object, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cut]:
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    with commit_cutter(pg_url) as (cutter, proxied):
        monkeypatch.setenv("COUNTER_DATABASE_URL", proxied)
        shop = set_up_shop()
        yield Cut(shop, cutter, pg_url)
        shop.ledger.close()


def _sales_with_key(url: str, key: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as db:
            found = db.execute(
                text("SELECT receipt_no FROM sales WHERE idempotency_key = :k"), {"k": key}
            )
            return list(found.scalars())
    finally:
        engine.dispose()


@pytest.mark.parametrize(("mode", "kept"), [("before", False), ("after", True)])
def test_a_commit_lost_says_so_and_the_key_finds_the_sale_once(
    cut: Cut, mode: str, kept: bool
) -> None:
    cut.cutter.arm(mode)
    with pytest.raises(StorageError) as lost:
        sell(cut.shop.ledger, cut.shop.clerk, "012 345 678", "5", idempotency_key="till-7")
    assert cut.cutter.fired.is_set()
    assert str(lost.value) == SENTENCE
    assert _sales_with_key(cut.direct_url, "till-7") == (["A-000001"] if kept else [])

    # The clerk looks, then tries again with the same key, through the same proxy.
    again = sell(cut.shop.ledger, cut.shop.clerk, "012 345 678", "5", idempotency_key="till-7")
    assert again.receipt_no == "A-000001"
    assert _sales_with_key(cut.direct_url, "till-7") == ["A-000001"]
    assert doctor(cut.shop.ledger) == []
