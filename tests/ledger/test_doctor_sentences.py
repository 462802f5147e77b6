"""Each sentence `counter doctor` says about the chains, the numbering, the schema and the
witnesses, for the one outside change that produces it.

A real ledger (tests/ledger/doctor_shop.py), one edit with the `sqlite3` module as an
outsider would make it, then `counter doctor`: the exact sentence, with its values, and
exit 1. tests/ledger/test_doctor_sentences_guard.py holds the table of every sentence
and the test that produces it.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from counter.storage.chain import VOID_CHAIN
from tests.ledger.doctor_shop import (
    doctor,
    make_doctor_shop,
    one,
    problems,
    receipt_code,
    rechain,
    sealer,
    sql,
    when,
    witness_lines,
)
from tests.ledger.test_tamper import rechain_sales
from tests.support.cli import counter
from tests.support.made_shop import copy_into

CLOSED = "2026-11-24 02:11 UTC"  # the day close's checkpoint 1


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_doctor_shop(tmp_path_factory.mktemp("doctor-shop"))


@pytest.fixture
def home(made: Path, counter_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return copy_into(made, counter_home, monkeypatch)


def test_every_sale_removed_leaves_a_counter_ahead_of_none(home: Path) -> None:
    sql(home, "DELETE FROM sales")
    assert (
        "Counter A: the last recorded sale is none, but the counter would give A-000006 "
        "next, skipping the numbers between: sales were removed at the end, or the counter "
        "was edited."
    ) in problems(doctor())


def test_a_sale_removed_between_two_is_a_gap_and_a_broken_link(home: Path) -> None:
    sql(home, "DELETE FROM sales WHERE receipt_seq = 2")
    said = problems(doctor())
    assert "Counter A: receipt numbers missing before A-000003: A-000002." in said
    assert "Sale A-000003: the chain is broken before it (a sale was removed or inserted)." in said


def test_two_sales_removed_are_named_as_a_range(home: Path) -> None:
    sql(home, "DELETE FROM sales WHERE receipt_seq IN (2, 3)")
    said = problems(doctor())
    assert "Counter A: receipt numbers missing before A-000004: A-000002 to A-000003." in said


def test_without_the_witness_key_no_seal_and_no_code_can_be_checked(home: Path) -> None:
    code = receipt_code(home, 2)
    (home / "witness.key").unlink()
    said = problems(doctor("--code", code))
    assert "There is no witness key on this machine, so the chains' seals cannot be checked." in (
        said
    )
    assert f"The code {code} cannot be checked: there is no witness key on this machine." in said


def test_a_dropped_table_of_the_sales_stops_their_walk_with_no_false_rollback(
    home: Path,
) -> None:
    sql(home, "DROP TABLE sale_payments")
    ran = doctor()  # the witness log is read: its sales points are not "rolled back"
    said = problems(ran)
    assert (
        "The table sale_payments is missing from the ledger (dropped outside the app): what "
        "it holds cannot be read or checked." in said
    )
    assert "The sales were not checked: the table sale_payments is missing or incomplete." in (said)
    assert "rolled back" not in ran.stderr
    assert "Checked against the witness log" in ran.stdout


def test_a_dropped_column_is_named_and_doctor_still_speaks(home: Path) -> None:
    """It once said only "The ledger refused the operation (database error SQLITE_ERROR)."."""
    sql(home, "ALTER TABLE sales DROP COLUMN validity_days")
    said = problems(doctor())
    assert said == [
        "The column validity_days of table sales is missing from the ledger.",
        "The sales were not checked: the table sales is missing or incomplete.",
    ]


def test_a_dropped_index_is_named(home: Path) -> None:
    sql(home, "DROP INDEX ix_audit_log_at")
    assert problems(doctor()) == [
        "The index ix_audit_log_at of table audit_log is missing from the ledger."
    ]


def test_a_table_made_again_without_its_unique_key_is_named(home: Path) -> None:
    (create,) = one(home, "SELECT sql FROM sqlite_master WHERE name = 'voids'")
    plain = re.sub(r",\s*CONSTRAINT uq_voids_sale_id UNIQUE \(sale_id\)", "", create)
    assert plain != create
    sql(
        home,
        plain.replace("CREATE TABLE voids", "CREATE TABLE voids_plain"),
        "INSERT INTO voids_plain SELECT * FROM voids",
        "DROP TABLE voids",
        "ALTER TABLE voids_plain RENAME TO voids",
    )
    assert problems(doctor()) == [
        "The unique key uq_voids_sale_id of table voids is missing from the ledger."
    ]


def test_sqlite_s_own_check_is_said_as_it_reports(home: Path) -> None:
    """An index whose declaration was rewritten under it (writable_schema): SQLite's
    integrity check finds rows missing from it."""
    sql(home, "CREATE INDEX ix_outsider ON sales (msisdn)")
    with sqlite3.connect(home / "ledger.sqlite3") as db:
        db.execute("PRAGMA writable_schema = ON")
        db.execute(
            "UPDATE sqlite_master SET sql = 'CREATE INDEX ix_outsider ON sales (receipt_no)' "
            "WHERE name = 'ix_outsider'"
        )
    with sqlite3.connect(home / "ledger.sqlite3") as db:
        result = [r[0] for r in db.execute("PRAGMA integrity_check")]
    assert result != ["ok"]
    assert f"SQLite integrity check: {'; '.join(result[:5])}" in problems(doctor())


def test_the_witness_log_read_and_what_cannot_be_ruled_out_without_it(home: Path) -> None:
    lines = witness_lines(home)
    ran = doctor()
    assert ran.returncode == 0, ran.stderr
    log = home / "witness" / "witness-A.log"
    last = when(max(line["at"] for line in lines))
    assert (
        f"Checked against the witness log ({len(lines)} lines in {log}, the last on {last})."
        in ran.stdout.splitlines()
    )
    shutil.rmtree(home / "witness")
    alone = doctor()
    assert alone.returncode == 0, alone.stderr
    assert alone.stdout.splitlines()[:2] == [
        "Cannot rule out without a witness: a ledger replaced by an older copy of itself (a "
        "rollback), when no sale was made after it.",
        "Cannot rule out without a witness: a rewrite by someone who can read this machine's "
        "witness key (its shell or its files), with every hash, seal and checkpoint made again.",
    ]


def test_a_witness_log_that_is_not_there(home: Path, tmp_path: Path) -> None:
    absent = tmp_path / "stick"
    assert problems(doctor("--witness", str(absent))) == [
        f"No witness log at {absent}: nothing there to check against."
    ]


def test_a_cut_witness_line(home: Path) -> None:
    log = home / "witness" / "witness-A.log"
    count = len(log.read_text().splitlines())
    with log.open("a") as out:
        out.write('{"at": "2026-11-24T0\n')
    assert problems(doctor()) == [
        f"Line {count + 1} of the witness log {log} is not a witness line (it was cut or edited)."
    ]


def test_a_witness_log_that_cannot_be_read(home: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:  # root reads any file: a file the kernel refuses to read
        unreadable = Path("/proc/self/mem")
        if not unreadable.is_file():
            pytest.skip("no /proc here, and root reads every file")
        reason = "Input/output error"
    else:
        unreadable = tmp_path / "witness-A.log"
        shutil.copy(home / "witness" / "witness-A.log", unreadable)
        unreadable.chmod(0)
        reason = "Permission denied"
    assert problems(doctor("--witness", str(unreadable))) == [
        f"Cannot read the witness log {unreadable}: {reason}."
    ]


def test_an_audit_row_removed_at_the_end_and_in_the_middle(home: Path) -> None:
    (last,) = one(home, "SELECT max(id) FROM audit_log")  # however many the shop wrote
    sql(home, f"DELETE FROM audit_log WHERE id = {last}")
    assert (
        f"The audit chain has {last - 1} rows but its head records {last} (rows were removed "
        "at its end, or added outside the app)."
    ) in problems(doctor())
    sql(home, "DELETE FROM audit_log WHERE id = 3")
    assert "Audit row 4: the chain is broken before it (a row was removed or inserted)." in (
        problems(doctor())
    )


def test_a_void_changed_and_a_head_without_its_seal(home: Path) -> None:
    sql(home, "UPDATE voids SET reason = 'typo'")
    assert "Void 1: changed after it was recorded (its hash does not match)." in problems(doctor())
    rechain(home, VOID_CHAIN, with_key=False)  # hashes made again, the seal cannot be
    assert (
        "The voids chain's head does not carry this shop's seal: the chain was changed and "
        "its hashes made again outside the app."
    ) in problems(doctor())


def test_a_checkpoint_whose_heads_cannot_be_read(home: Path) -> None:
    sql(home, "UPDATE checkpoints SET heads = 'none' WHERE id = 1")
    assert "Checkpoint 1: its recorded heads cannot be read (changed outside the app)." in (
        problems(doctor())
    )


def test_a_void_rewritten_with_the_key_differs_from_the_day_close(home: Path) -> None:
    shutil.rmtree(home / "witness")  # the close's checkpoint is the witness left
    sql(home, "UPDATE voids SET reason = 'typo'")
    rechain(home, VOID_CHAIN, with_key=True)
    assert problems(doctor()) == [
        f"The voids chain: row 1 is not what checkpoint 1 saw on {CLOSED} (1 witnessed "
        "points differ): that row or one before it was rewritten."
    ]


def test_sales_rewritten_with_the_key_differ_from_the_day_close(home: Path) -> None:
    shutil.rmtree(home / "witness")
    sql(home, "UPDATE sales SET msisdn = '+85512999999' WHERE receipt_seq = 1")
    rechain_sales(home, with_key=True)
    assert (
        f"Counter A: receipt A-000005 is not what checkpoint 1 saw on {CLOSED} (1 witnessed "
        "points differ): that sale or one before it was rewritten."
    ) in problems(doctor())


def test_rows_removed_at_the_end_with_the_key_are_a_rollback_to_the_witnesses(
    home: Path,
) -> None:
    (last,) = one(home, "SELECT max(id) FROM audit_log")
    (last_hash,) = one(home, f"SELECT row_hash FROM audit_log WHERE id = {last - 1}")
    seal = sealer(home).head("audit", last - 1, last_hash)
    sql(
        home,
        f"DELETE FROM audit_log WHERE id = {last}",
        f"UPDATE chain_heads SET length = {last - 1}, last_hash = '{last_hash}', "
        f"seal = '{seal}' WHERE name = 'audit'",
    )
    log = home / "witness" / "witness-A.log"
    number = next(
        n
        for n, line in enumerate(witness_lines(home), 1)
        if line["heads"].get("audit", [0])[0] == last
    )
    seen = when(witness_lines(home)[number - 1]["at"])
    assert (
        f"The audit chain has {last - 1} rows, but line {number} of {log} saw {last} on "
        f"{seen}: the ledger was rolled back (replaced by an older copy, or rows were removed)."
    ) in problems(doctor())


def test_the_last_sale_removed_with_the_key_is_a_rollback_to_the_day_close(home: Path) -> None:
    from datetime import date

    shutil.rmtree(home / "witness")
    (last_hash,) = one(home, "SELECT row_hash FROM sales WHERE receipt_seq = 4")
    seal = sealer(home).counter("A", 5, last_hash, date(2026, 11, 24))
    sql(
        home,
        "DELETE FROM sales WHERE receipt_seq = 5",
        f"UPDATE counters SET next_receipt = 5, last_sale_hash = '{last_hash}', seal = '{seal}'",
    )
    assert (
        f"Counter A: the ledger's sales end at A-000004, but checkpoint 1 saw A-000005 on "
        f"{CLOSED}: the ledger was rolled back (replaced by an older copy, or sales were "
        "removed)."
    ) in problems(doctor())


def test_what_a_restore_lost_is_a_note_and_a_lost_receipt_s_code_says_so(home: Path) -> None:
    backup = home / "kept.tar"
    assert counter("backup", "--to", str(backup)).returncode == 0
    steps = [
        (("opening-cash", "--usd", "0", "--khr", "0", "--clerk", "Dara"), "5678"),
        (("sell", "012 345 688", "5", "--clerk", "Dara", "--no-receipt"), "5678"),
    ]
    for args, pin in steps:
        done = counter(*args, pin=pin)
        assert done.returncode == 0, done.stderr
    code = receipt_code(home, 6)
    restored = counter("restore", str(backup), "--by", "Sok", pin="1234")
    assert restored.returncode == 0, restored.stderr
    ran = doctor()
    assert ran.returncode == 0, ran.stderr
    assert (
        "Note: Counter A's sales: 1 witnessed points up to 6 were lost in a restore recorded "
        "in the ledger." in ran.stdout.splitlines()
    )
    assert problems(doctor("--code", code)) == [
        "Receipt A-000006 was lost in a restore recorded in the ledger: the customer holds "
        "it, the ledger does not."
    ]
