"""Faults: full disk, read-only file, locked database, server down, older ledger, not set up."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import event, text

from counter.bootstrap import is_initialised, open_ledger
from counter.cli.advice import explain
from counter.config import load_settings
from counter.domain.errors import CounterError
from counter.services import NotInitialised, StorageError, backup, doctor, sell
from counter.storage import migrate
from tests.ledger.conftest import Shop, reopen
from tests.support.ledger import engine_of, scalar, sql_uow


def sale_count(shop: Shop) -> int:
    return int(scalar(shop.ledger, "SELECT count(*) FROM sales"))


def test_no_ledger_says_so_and_the_cli_says_how_to_set_up(
    sqlite_only: str, counter_home: Path
) -> None:
    settings = load_settings()
    assert not is_initialised(settings)
    with pytest.raises(NotInitialised) as exc:
        open_ledger(settings)
    assert str(exc.value) == (
        f"No ledger at {counter_home / 'ledger.sqlite3'}: the shop is not set up yet."
    )
    assert explain(exc.value) == (
        f"No ledger at {counter_home / 'ledger.sqlite3'}: the shop is not set up yet. "
        "Run `counter init ...` or open the counter screen to set up the shop."
    )
    assert not (counter_home / "ledger.sqlite3").exists()


def test_ledger_files_are_private(sqlite_shop: Shop, counter_home: Path) -> None:
    sell(sqlite_shop.ledger, sqlite_shop.clerk, "012 345 678", "5")
    for name in ("ledger.sqlite3", "ledger.sqlite3-wal", "ledger.sqlite3-shm", "pepper.key"):
        assert (counter_home / name).stat().st_mode & 0o777 == 0o600, name
    with sql_uow(sqlite_shop.ledger) as uow:
        pragma = {
            k: uow.connection.execute(text(f"PRAGMA {k}")).scalar_one()
            for k in ("journal_mode", "synchronous", "foreign_keys")
        }
    assert pragma == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1}


def test_disk_full_refuses_the_sale_and_records_nothing(sqlite_shop: Shop) -> None:
    led = sqlite_shop.ledger
    sell(led, sqlite_shop.clerk, "012 345 600", "5")
    engine = engine_of(led)
    engine.dispose()

    @event.listens_for(engine, "connect")
    def _full(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    refused = None
    for i in range(200):
        try:
            sell(led, sqlite_shop.clerk, f"012 {i:06d}", "5", operator_ref="x" * 60)
        except StorageError as exc:
            refused = exc
            break
    assert refused is not None
    assert str(refused).startswith("The disk is full: the disk holding the ledger file")
    assert str(refused).endswith("Nothing was recorded.")
    recorded = sale_count(sqlite_shop)
    event.remove(engine, "connect", _full)
    engine.dispose()
    assert doctor(led) == []  # no half sale, no gap
    nxt = sell(led, sqlite_shop.clerk, "015 999 999", "5")
    assert nxt.receipt_no == f"A-{recorded + 1:06d}"


def test_read_only_ledger_refuses_the_sale(
    sqlite_shop: Shop, counter_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, where chmod 0400 does not stop writes; opening the file read-only
    # (what a non-root user of a 0400 file or a read-only mount gets) is the honest stand-in.
    file = counter_home / "ledger.sqlite3"
    monkeypatch.setenv("COUNTER_DATABASE_URL", f"sqlite:///file:{file}?mode=ro&uri=true")
    clerk = sqlite_shop.clerk
    with (
        reopen() as read_only,
        pytest.raises(
            StorageError,
            match=r"The ledger is read-only: .* cannot be written.*Nothing was recorded\.",
        ),
    ):
        sell(read_only, clerk, "012 345 678", "5")
    assert sale_count(sqlite_shop) == 0


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root writes through chmod 0400; see the mode=ro test"
)
def test_chmod_read_only_file(sqlite_shop: Shop, counter_home: Path) -> None:
    sqlite_shop.ledger.close()
    for name in ("ledger.sqlite3", "ledger.sqlite3-wal", "ledger.sqlite3-shm"):
        (counter_home / name).chmod(0o400)
    with pytest.raises(StorageError, match="read-only"), reopen() as led:
        sell(led, sqlite_shop.clerk, "012 345 678", "5")


def test_locked_past_the_timeout(
    sqlite_shop: Shop, counter_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNTER_BUSY_TIMEOUT_MS", "200")
    blocker = sqlite3.connect(counter_home / "ledger.sqlite3", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with (
            reopen() as led,
            pytest.raises(
                StorageError,
                match=r"The ledger is busy: another counter held it for more than 0.2 seconds",
            ),
        ):
            sell(led, sqlite_shop.clerk, "012 345 678", "5")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert sale_count(sqlite_shop) == 0


def test_postgres_down_gives_a_sentence(sqlite_only: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNTER_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:9/counter")
    with pytest.raises(StorageError) as exc:
        open_ledger(load_settings())
    assert str(exc.value) == (
        "Cannot reach the PostgreSQL server at 127.0.0.1:9 (database counter): check that the "
        "server is running and the network is up, then try again."
    )


def test_older_ledger_is_backed_up_then_upgraded(sqlite_shop: Shop, counter_home: Path) -> None:
    led = sqlite_shop.ledger
    sell(led, sqlite_shop.clerk, "012 345 678", "5")
    engine = engine_of(led)
    config = migrate.alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    led.close()
    assert migrate.current_revision(engine) == "0001"
    with open_ledger(load_settings()) as upgraded:
        assert upgraded.upgraded
        assert migrate.current_revision(engine_of(upgraded)) == migrate.head_revision()
    copies = list((counter_home / "backups").glob("*before-upgrade-0001.sqlite3"))
    assert len(copies) == 1
    with sqlite3.connect(copies[0]) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert copy.execute("SELECT receipt_no FROM sales").fetchall() == [("A-000001",)]


def test_backup_while_selling_is_consistent(sqlite_shop: Shop, counter_home: Path) -> None:
    led = sqlite_shop.ledger
    stop = threading.Event()

    def keep_selling() -> None:
        i = 0
        while not stop.is_set():
            sell(led, sqlite_shop.clerk, f"012 {i:06d}", "1")
            i += 1

    seller = threading.Thread(target=keep_selling)
    seller.start()
    try:
        copies = [backup(led) for _ in range(3)]
    finally:
        stop.set()
        seller.join()
    for copy in copies:
        assert copy.stat().st_mode & 0o777 == 0o600
        with sqlite3.connect(copy) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            n, top = db.execute(
                "SELECT count(*), coalesce(max(receipt_seq), 0) FROM sales"
            ).fetchone()
            assert n == top  # gapless in the copy too


def test_backup_of_postgres_is_refused_and_the_cli_points_to_pg_dump(
    shop: Shop, backend: str
) -> None:
    if backend != "pg":
        pytest.skip("PostgreSQL only")
    with pytest.raises(CounterError, match="server's own tools") as refused:
        backup(shop.ledger)
    assert "pg_dump --format=custom" in explain(refused.value)


def test_a_ledger_from_a_newer_counter_is_refused_with_no_copy(
    sqlite_shop: Shop, counter_home: Path
) -> None:
    sqlite_shop.ledger.close()
    with sqlite3.connect(counter_home / "ledger.sqlite3") as db:
        db.execute("UPDATE alembic_version SET version_num = '0099'")
    with pytest.raises(CounterError) as exc:
        open_ledger(load_settings())
    assert str(exc.value) == (
        f"The ledger file {counter_home / 'ledger.sqlite3'} was made by a newer Counter "
        "(ledger schema 0099); this Counter knows schemas up to 0009. Install the newer "
        "Counter: nothing was changed or copied."
    )
    assert not list(counter_home.glob("backups/*"))


def test_an_upgrade_keeps_one_copy_per_revision(sqlite_shop: Shop, counter_home: Path) -> None:
    led = sqlite_shop.ledger
    engine = engine_of(led)
    config = migrate.alembic_config(engine)
    for _ in range(2):
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0005")
        with open_ledger(load_settings()) as upgraded:
            assert upgraded.upgraded
    led.close()
    assert len(list((counter_home / "backups").glob("*before-upgrade-0005.sqlite3"))) == 1
