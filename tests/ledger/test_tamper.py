"""The tamper suite: a real ledger built through the CLI, then edited with `sqlite3` case by case.

Each case is an attacker's edit; `counter doctor` must say a sentence and exit 1. Some
cases cannot be seen from the ledger alone (a rollback to an older copy of itself; a
rewrite by someone holding the witness key): doctor then says what it cannot rule out,
and the witness log or a receipt's code catches them. `CASES` is what docs/reliability.md
counts ("N of M caught").
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from counter.storage.anchors import Sealer, receipt_label_code
from counter.storage.chain import sale_hash
from counter.storage.models import GENESIS_HASH
from tests.support.cli import Ran, counter

Edit = Callable[[Path], None]


@pytest.fixture
def home(counter_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Shop A with an admin and a clerk, the drawer counted, and three sales."""
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    steps = [
        (("init", "--shop-name", "Dara Phone", "--counter", "A", "--admin", "Sok"), {}),
        (("users", "add", "Dara", "--role", "clerk", "--by", "Sok"), {"new_pin": "5678"}),
        (("opening-cash", "--usd", "0", "--khr", "0", "--clerk", "Dara"), {"pin": "5678"}),
    ]
    for args, pins in steps:
        extra = ("--admin-pin", "1234") if args[0] == "init" else ()
        done = counter(*args, *extra, **({"pin": "1234"} | pins))
        assert done.returncode == 0, done.stderr
    for i in range(3):
        sold(i)
    return counter_home


def sold(i: int) -> None:
    done = counter("sell", f"012 345 67{i}", "5", "--clerk", "Dara", pin="5678")
    assert done.returncode == 0, done.stderr


def doctor(*args: str) -> Ran:
    return counter("doctor", *args)


def sql(home: Path, *statements: str) -> None:
    with sqlite3.connect(home / "ledger.sqlite3") as db:
        for statement in statements:
            db.execute(statement)


def key(home: Path) -> bytes:
    return (home / "witness.key").read_text().strip().encode()


def rechain_sales(home: Path, *, with_key: bool) -> None:
    """Recompute every sale's hash and the counter's head from public data (the code's
    own rule), as an attacker with a copy of the file would; with the key, the seal too."""
    from sqlalchemy import create_engine, select

    from counter.storage.repositories.common import PAYMENTS, SALES

    engine = create_engine(f"sqlite:///{home / 'ledger.sqlite3'}")
    with engine.connect() as conn:
        rows = conn.execute(select(SALES).order_by(SALES.c.receipt_seq)).all()
        lines = conn.execute(select(PAYMENTS)).all()
    engine.dispose()
    prev = GENESIS_HASH
    updates = []
    for row in rows:
        # A version-2 sale's hash also covers its payment lines.
        mine = [line for line in lines if line.sale_id == row.id]
        new = sale_hash(SimpleNamespace(**row._mapping), prev, mine)
        updates.append((prev, new, row.id))
        prev = new
    with sqlite3.connect(home / "ledger.sqlite3") as db:
        db.executemany("UPDATE sales SET prev_hash = ?, row_hash = ? WHERE id = ?", updates)
        db.execute("UPDATE counters SET last_sale_hash = ? WHERE code = 'A'", (prev,))
        if with_key:
            seq, closed = db.execute(
                "SELECT next_receipt, last_closed_day FROM counters WHERE code = 'A'"
            ).fetchone()
            closed_day = date.fromisoformat(closed) if closed else None  # a closed day's text
            seal = Sealer(key(home)).counter("A", int(seq), prev, closed_day)
            db.execute("UPDATE counters SET seal = ? WHERE code = 'A'", (seal,))


def receipt_code(home: Path, seq: int) -> str:
    with sqlite3.connect(home / "ledger.sqlite3") as db:
        (row_hash,) = db.execute(
            "SELECT row_hash FROM sales WHERE receipt_seq = ?", (seq,)
        ).fetchone()
    code = Sealer(key(home)).receipt_code("A", seq, row_hash)
    assert code is not None
    return receipt_label_code(f"A-{seq:06d}", code)


def test_an_untouched_ledger_is_ok_and_checked_against_its_witness_log(home: Path) -> None:
    ran = doctor()
    assert ran.returncode == 0, ran.stderr
    assert "Checked against the witness log (" in ran.stdout
    assert "Ledger OK" in ran.stdout
    log = (home / "witness" / "witness-A.log").read_text().splitlines()
    assert len(log) >= 5 and all('"mac":' in line for line in log)
    assert (home / "witness.key").stat().st_mode & 0o777 == 0o600
    code = receipt_code(home, 2)
    assert doctor("--code", code).returncode == 0
    assert "Checked against the code of receipt A-000002." in doctor("--code", code).stdout


def _plain_edit(home: Path) -> None:
    sql(home, "UPDATE sales SET amount_cents = 100 WHERE receipt_seq = 2")


def _rehashed_without_key(home: Path) -> None:
    sql(home, "UPDATE sales SET msisdn = '012999999' WHERE receipt_seq = 2")
    rechain_sales(home, with_key=False)


def _user_made_admin(home: Path) -> None:
    sql(home, "UPDATE users SET role = 'admin' WHERE name = 'Dara'")


def _rate_changed(home: Path) -> None:
    sql(home, "UPDATE ledger_settings SET value = '4500' WHERE key = 'riel_per_usd'")


def _head_deleted(home: Path) -> None:
    sql(home, "DELETE FROM chain_heads WHERE name = 'audit'")


def _table_dropped(home: Path) -> None:
    sql(home, "DROP TABLE float_moves")


def _last_sale_removed(home: Path) -> None:
    sql(
        home,
        "DELETE FROM print_marks WHERE sale_id = (SELECT id FROM sales WHERE receipt_seq = 3)",
        "DELETE FROM print_queue WHERE sale_id = (SELECT id FROM sales WHERE receipt_seq = 3)",
        "DELETE FROM sales WHERE receipt_seq = 3",
        "UPDATE counters SET next_receipt = 3",
    )


def _opening_cash_changed(home: Path) -> None:
    """Since 0007 the day's opening cash is its first shift's opening count."""
    sql(home, "UPDATE shifts SET opening_usd_cents = 5000")


def _print_mark_removed(home: Path) -> None:
    """The last `printed` mark removed, so the receipt would print as an ORIGINAL again."""
    sql(home, "DELETE FROM print_marks WHERE id = (SELECT max(id) FROM print_marks)")


# Caught by the ledger alone: (case, the words doctor must say).
LEDGER_CASES: dict[str, tuple[Edit, str]] = {
    "plain edit of a sale": (
        _plain_edit,
        "Sale A-000002: changed after it was recorded (its hash does not match).",
    ),
    "sales rehashed from public data": (
        _rehashed_without_key,
        "Counter A: its numbering does not carry this shop's seal: its next number, last "
        "sale or last closed day was changed outside the app.",
    ),
    "clerk made admin by SQL": (
        _user_made_admin,
        "User Dara (id 2): the name, role, state or PIN is not what the users chain last "
        "recorded (changed outside the app).",
    ),
    "rate changed by SQL": (
        _rate_changed,
        "The ledger setting riel_per_usd is 4500, but the settings chain last recorded 4000 "
        "(changed outside the app).",
    ),
    "a chain head deleted": (
        _head_deleted,
        "The audit chain has lost its head record (deleted outside the app): rows removed at "
        "its end could not be seen, and nothing more is recorded in it.",
    ),
    "a table dropped": (
        _table_dropped,
        "The table float_moves is missing from the ledger (dropped outside the app): what it "
        "holds cannot be read or checked.",
    ),
    "last sale removed, numbering set back": (
        _last_sale_removed,
        "Counter A: the last sale's hash does not match the counter (the last sale was "
        "changed or removed).",
    ),
    "opening cash changed": (
        _opening_cash_changed,
        "Shift 1: changed after it was recorded (its hash does not match).",
    ),
    "print mark removed": (
        _print_mark_removed,
        "Sale id 3: the print queue says its original was printed, but the print marks do "
        "not record it (the queue was changed outside the app).",
    ),
}


@pytest.mark.parametrize("case", sorted(LEDGER_CASES))
def test_doctor_catches_an_edit_with_a_sentence(home: Path, case: str) -> None:
    edit, words = LEDGER_CASES[case]
    edit(home)
    shutil.rmtree(home / "witness")  # the ledger alone, no witness
    ran = doctor()
    assert ran.returncode == 1
    assert f"Problem: {words}" in ran.stderr.splitlines(), ran.stderr  # the whole sentence
    assert "Traceback" not in ran.stderr + ran.stdout


def test_a_payment_line_changed_breaks_its_sale(home: Path) -> None:
    """A version-2 sale's hash covers its payment lines (0007): an edited line is that
    sale's change, named as such, even when the sale's own row is untouched."""
    sql(home, "UPDATE sale_payments SET minor = 100 WHERE sale_id = 2")
    ran = doctor()
    assert ran.returncode == 1
    assert "Sale A-000002: changed after it was recorded" in ran.stderr, ran.stderr
    assert "A-000001" not in ran.stderr and "A-000003" not in ran.stderr


def _rolled_back(home: Path) -> None:
    """The ledger replaced by its own older copy (taken after sale 2)."""
    shutil.copy(home / "older.sqlite3", home / "ledger.sqlite3")


def _rewritten_with_key(home: Path) -> None:
    """Someone with the machine's shell: edits sale 2, recomputes every hash and the seal."""
    sql(home, "UPDATE sales SET msisdn = '012999999' WHERE receipt_seq = 2")
    rechain_sales(home, with_key=True)


WITNESS_CASES: dict[str, tuple[Edit, str, str]] = {
    # case: (edit, what the witness log says, what the receipt code says)
    "rollback to an older copy": (
        _rolled_back,
        "the ledger was rolled back",
        "the ledger was rolled back",
    ),
    "rewrite with the witness key": (
        _rewritten_with_key,
        "that sale or one before it was rewritten",
        "that sale or one before it was rewritten",
    ),
}


@pytest.mark.parametrize("case", sorted(WITNESS_CASES))
def test_what_only_a_witness_catches(home: Path, tmp_path: Path, case: str) -> None:
    edit, by_log, by_code = WITNESS_CASES[case]
    # The older copy: the ledger as it is now, after three sales (no process has it open).
    shutil.copy(home / "ledger.sqlite3", home / "older.sqlite3")
    sold(3)
    code = receipt_code(home, 4 if case.startswith("rollback") else 3)
    stick = tmp_path / "stick"
    shutil.copytree(home / "witness", stick)  # the witness lines already on the stick
    shutil.rmtree(home / "witness")
    edit(home)
    alone = doctor()  # the ledger alone cannot see these: it says so
    assert alone.returncode == 0, alone.stderr
    assert "Cannot rule out without a witness:" in alone.stdout
    with_log = doctor("--witness", str(stick))
    assert with_log.returncode == 1 and by_log in with_log.stderr, with_log.stderr
    with_code = doctor("--code", code)
    assert with_code.returncode == 1 and by_code in with_code.stderr, with_code.stderr


def test_a_forged_witness_line_is_refused(home: Path) -> None:
    log = home / "witness" / "witness-A.log"
    lines = log.read_text().splitlines()
    lines[-1] = lines[-1].replace('"commit"', '"forged"')
    log.write_text("\n".join(lines) + "\n")
    ran = doctor()
    assert ran.returncode == 1
    assert (
        f"Problem: Line {len(lines)} of the witness log {log} is not signed with this shop's "
        "witness key: it was edited or forged, or comes from another shop."
    ) in ran.stderr.splitlines()


def test_a_code_that_matches_nothing_says_so(home: Path) -> None:
    ran = doctor("--code", "A-000002/00000-00000")
    assert ran.returncode == 1
    assert (
        "Problem: The code A-000002/00000-00000 does not match receipt A-000002 in this "
        "ledger: that sale or one before it was rewritten after the receipt was printed (or "
        "the code was mistyped)."
    ) in ran.stderr.splitlines()
    ran = doctor("--code", "A-000009/00000-00000")
    assert (
        "Problem: Receipt A-000009 was printed, but the ledger's sales of counter A end "
        "before it: the ledger was rolled back (replaced by an older copy, or sales removed)."
    ) in ran.stderr.splitlines()


def test_a_deleted_close_never_reopens_the_day(home: Path) -> None:
    done = counter(
        "close-day", "--counted-usd", "15", "--counted-khr", "0", "--supervisor", "Sok", pin="1234"
    )
    assert done.returncode == 0, done.stderr
    sql(home, "DELETE FROM day_closes")
    refused = counter("sell", "012 345 699", "5", "--clerk", "Dara", pin="5678")
    assert refused.returncode == 1
    ran = doctor()
    assert ran.returncode == 1
    assert (
        "Problem: The day_closes chain has 0 rows but its head records 1 (rows were removed "
        "at its end, or added outside the app)."
    ) in ran.stderr.splitlines()


def test_tamper_figures() -> None:
    """What docs/reliability.md reports: every case is caught with a witness."""
    assert len(LEDGER_CASES) + len(WITNESS_CASES) == 11


def test_the_receipt_carries_its_check_code_in_words_and_in_its_qr(home: Path) -> None:
    from counter.bootstrap import open_ledger
    from counter.config import load_settings
    from counter.printing.receipt import lines, qr_text
    from counter.services import get_sale
    from counter.services.receipts import receipt_for

    with open_ledger(load_settings()) as led:
        sale = get_sale(led, "A-000002")
        assert sale is not None
        receipt = receipt_for(led, sale)
    printed = receipt_code(home, 2).split("/")[1]  # A-000002/7KQ4M-2XDP9 as doctor takes it
    assert receipt.check_code == printed and len(printed) == 11
    assert ("Check code", printed) in [(line.label, line.value) for line in lines(receipt)]
    assert qr_text(receipt).endswith(f"|5.00|{printed}")
    ran = doctor("--code", f"A-000002/{printed}")
    assert ran.returncode == 0 and "the code of receipt A-000002" in ran.stdout
    assert doctor("--code", printed.lower()).returncode == 0  # typed alone, any case
