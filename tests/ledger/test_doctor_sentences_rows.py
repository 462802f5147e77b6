"""Each sentence `counter doctor` says about plain rows bound to their chains, codes from
paper, deliveries and KHQR payments, for the one outside change that produces it.

As tests/ledger/test_doctor_sentences.py: a real ledger (tests/ledger/doctor_shop.py),
one edit with `sqlite3`, then `counter doctor`: the exact sentence and exit 1.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ledger.doctor_shop import doctor, make_doctor_shop, problems, receipt_code, sql, z_code
from tests.support.made_shop import copy_into


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_doctor_shop(tmp_path_factory.mktemp("doctor-shop-rows"))


@pytest.fixture
def home(made: Path, counter_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return copy_into(made, counter_home, monkeypatch)


def test_a_user_added_by_sql_has_no_record(home: Path) -> None:
    sql(
        home,
        "INSERT INTO users (name, role, pin_hash, active, failed_attempts, created, name_key) "
        "SELECT 'Mony', 'admin', pin_hash, 1, 0, created, 'mony' FROM users WHERE id = 2",
    )
    assert problems(doctor()) == [
        "User Mony (id 4) has no record in the users chain: the account was added outside the app."
    ]


def test_a_counter_whose_closed_day_was_cleared(home: Path) -> None:
    sql(home, "UPDATE counters SET last_closed_day = NULL")
    assert (
        "Counter A: its last closed day is none, but the day of 2026-11-24 was closed (the "
        "counter was changed outside the app)."
    ) in problems(doctor())


def test_an_operator_balance_set_by_sql(home: Path) -> None:
    sql(home, "UPDATE operator_floats SET balance_cents = 700 WHERE operator_id = 'smart'")
    assert problems(doctor()) == [
        "Operator smart: the kept airtime balance is 7.00 but the recorded restocks, "
        "corrections, sales and voids give 0.00."
    ]


def test_a_setting_added_or_removed_by_sql(home: Path) -> None:
    sql(
        home,
        "INSERT INTO ledger_settings (key, value) VALUES ('receipt_footer', 'Hi')",
        "DELETE FROM ledger_settings WHERE key = 'lockout_attempts'",
    )
    assert problems(doctor()) == [
        "The ledger setting lockout_attempts is none, but the settings chain last recorded 5 "
        "(changed outside the app).",
        "The ledger setting receipt_footer is Hi, but the settings chain last recorded none "
        "(changed outside the app).",
    ]


def test_a_printed_receipt_s_sale_removed_in_the_middle(home: Path) -> None:
    code = receipt_code(home, 2)
    sql(home, "DELETE FROM sales WHERE receipt_seq = 2")
    assert (
        "Receipt A-000002 was printed, but the ledger has no such sale: it was removed."
        in problems(doctor("--code", code))
    )


def test_a_bare_code_that_matches_nothing(home: Path) -> None:
    assert problems(doctor("--code", "00000-00000")) == [
        "No receipt or close in this ledger has the code 00000-00000: the ledger was "
        "rewritten or rolled back before it was printed (or the code was mistyped; type the "
        "receipt number with it, as printed: A-000042/7KQ4M-2XDP9)."
    ]


def test_z_report_codes_that_match_and_that_do_not(home: Path) -> None:
    code = z_code(home, 1)
    ran = doctor("--code", code)
    assert ran.returncode == 0, ran.stderr
    assert "Checked against the code of checkpoint 1 (day_close A 2026-11-24)." in (
        ran.stdout.splitlines()
    )
    bare = doctor("--code", code.split("-", 2)[2])
    assert "Checked against the code of checkpoint 1." in bare.stdout.splitlines()
    receipt = doctor("--code", receipt_code(home, 2).split("/")[1])
    assert "Checked against the code of receipt A-000002." in receipt.stdout.splitlines()
    assert problems(doctor("--code", "Z-1-0000-0000-0000-0000")) == [
        "The Z report code Z-1-0000-0000-0000-0000 does not match checkpoint 1 in this "
        "ledger: the ledger was rewritten after that close (or the code was mistyped)."
    ]
    assert problems(doctor("--code", "Z-9-0000-0000-0000-0000")) == [
        "The Z report code Z-9-0000-0000-0000-0000 names checkpoint 9, which the ledger "
        "does not have: the ledger was rolled back to before that close, or rows were removed."
    ]


def test_a_delivery_that_does_not_start_pending(home: Path) -> None:
    sql(home, "UPDATE delivery_changes SET state = 'delivered' WHERE id = 2")
    assert "Delivery of A-000002: it does not start pending." in problems(doctor())


def test_a_sale_whose_delivery_was_removed(home: Path) -> None:
    sql(home, "DELETE FROM deliveries WHERE id = 3")
    assert "Sale A-000003 has no delivery record." in problems(doctor())


def test_a_delivery_set_failed_by_sql(home: Path) -> None:
    sql(home, "UPDATE deliveries SET state = 'failed' WHERE id = 2")
    assert problems(doctor()) == [
        "Delivery of A-000002: its state says failed but its last change says pending.",
        "Delivery of A-000002 is failed but no refund was recorded.",
    ]


def test_a_refunded_delivery_removed(home: Path) -> None:
    sql(home, "DELETE FROM deliveries WHERE id = 1")
    said = problems(doctor())
    assert "Sale A-000001 has no delivery record." in said
    assert "Refund 1 belongs to no delivery." in said


def test_a_refund_that_does_not_match_its_delivery(home: Path) -> None:
    sql(home, "UPDATE refunds SET state = 'failed'")
    assert "Refund 1 of A-000001 does not match a failed or reversed delivery." in problems(
        doctor()
    )


def test_a_delivery_whose_changes_were_removed(home: Path) -> None:
    sql(home, "DELETE FROM delivery_changes WHERE delivery_id = 3")
    assert "Delivery of A-000003: it has no recorded change." in problems(doctor())


def test_a_delivery_change_renumbered(home: Path) -> None:
    sql(home, "UPDATE delivery_changes SET seq = 4 WHERE id = 6")
    assert "Delivery of A-000001: change 2 does not follow the one before it." in problems(doctor())


def test_a_delivery_made_to_skip_a_state(home: Path) -> None:
    sql(
        home,
        "UPDATE delivery_changes SET state = 'reversed' WHERE id = 6",
        "UPDATE delivery_changes SET previous = 'reversed' WHERE id = 7",
    )
    assert "Delivery of A-000001: pending cannot become reversed." in problems(doctor())


def test_a_khqr_payment_whose_sale_was_unlinked(home: Path) -> None:
    sql(home, "UPDATE khqr_changes SET sale_id = NULL WHERE id = 2")
    said = problems(doctor())
    assert "KHQR payment A-Q000001 was sold but names no recorded sale." in said
    assert "Sale A-000005 has a KHQR payment line that no confirmed KHQR payment gave." in said
