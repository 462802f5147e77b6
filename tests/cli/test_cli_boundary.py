"""Text at the boundary through the command line and the files a shop writes: refused in
one sentence naming the field; rows recorded before the check (an old ledger) come out
escaped in exports, XLSX and on the terminal, never raw."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from counter.config import load_settings
from counter.domain.errors import RulesError, SettingsError
from counter.domain.text import unsafe_character
from counter.rules import parse_rules, shipped_rules_path
from tests.cli.shop import ADMIN, ADMIN_PIN, CLERK, CLERK_PIN, set_up_cli_shop
from tests.support.cli import counter

KHMER_FORMAT = "\u200b\u200c\u200d"
refused = st.characters(categories=["Cc", "Cf", "Zl", "Zp"]).filter(
    lambda c: c not in KHMER_FORMAT and c != "\x00"  # NUL cannot be in an argv or a setting
)


@pytest.fixture
def home(counter_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    set_up_cli_shop()
    return counter_home


def test_sell_ref_with_an_escape_sequence_is_refused_and_nothing_is_sold(home: Path) -> None:
    done = counter(
        "sell", "012 345 678", "5", "--clerk", CLERK, "--ref", "TX\x1b[2J", pin=CLERK_PIN
    )
    assert done.returncode == 1
    assert "The operator reference contains U+001B" in done.stderr
    assert "\x1b" not in done.stderr
    again = counter("sell", "012 345 678", "5", "--clerk", CLERK, pin=CLERK_PIN)
    assert again.stdout.strip() == "A-000001"  # the refused sale took no number


def test_a_user_name_with_a_bidi_override_is_refused_in_words(home: Path) -> None:
    done = counter(
        "users",
        "add",
        "Bo\u202epha",
        "--role",
        "clerk",
        "--by",
        ADMIN,
        pin=ADMIN_PIN,
        new_pin="4321",
    )
    assert done.returncode == 1
    assert "The user name contains U+202E (RIGHT-TO-LEFT OVERRIDE)" in done.stderr


def test_init_refuses_a_shop_name_with_an_isolate(counter_home: Path) -> None:
    done = counter(
        "init",
        "--shop-name",
        "Dara\u2067Phone",
        "--counter",
        "A",
        "--admin",
        "Sok",
        "--admin-pin",
        "1234",
    )
    assert done.returncode == 1
    assert "The shop name contains U+2067 (RIGHT-TO-LEFT ISOLATE)" in done.stderr
    assert not (counter_home / "ledger.sqlite3").exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    field=st.sampled_from(["shop_address", "receipt_footer", "cups_queue", "timezone"]),
    char=refused,
)
def test_every_text_setting_refuses_an_unsafe_character_naming_the_setting(
    field: str, char: str
) -> None:
    with pytest.raises(SettingsError) as refusal:
        load_settings(**{field: f"Asia/Phnom{char}_Penh"})
    sentence = refusal.value.message
    assert f"{field} (COUNTER_{field.upper()}): The setting {field} contains U+" in sentence


def test_the_khqr_merchant_name_in_counter_toml_is_refused(
    counter_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (counter_home / "counter.toml").write_text(
        '[khqr]\nmerchant_name = "Dara\\u202ePhone"\n', encoding="utf-8"
    )
    with pytest.raises(SettingsError, match=r"khqr\.merchant_name contains U\+202E"):
        load_settings()


def test_an_operator_name_in_the_rules_file_is_refused() -> None:
    text = shipped_rules_path().read_text(encoding="utf-8")
    bad = text.replace('name = "Cellcard"', 'name = "Cell\\u001bcard"', 1)
    assert bad != text
    with pytest.raises(RulesError, match=r"contains U\+001B"):
        parse_rules(bad, "operators.toml")


def test_an_old_ledgers_escape_sequences_come_out_escaped(home: Path) -> None:
    sold = counter("sell", "012 345 678", "5", "--clerk", CLERK, "--ref", "TX1", pin=CLERK_PIN)
    assert sold.returncode == 0, sold.stderr
    # A ledger written before the boundary check: the reference holds an escape sequence
    # and a bidi override, and a user's name a C1 control.
    with sqlite3.connect(home / "ledger.sqlite3") as db:
        db.execute("UPDATE sales SET operator_ref = ? WHERE id = 1", ("TX\x1b[2J\u202e1",))
        db.execute("UPDATE users SET name = ? WHERE name = ?", ("Da\x9bra", CLERK))
    exported = counter("export", "--by", ADMIN, pin=ADMIN_PIN)
    assert exported.returncode == 0, exported.stderr
    assert unsafe_character(exported.stdout.replace("\n", "")) is None
    assert "TX\\x1b[2J\\u202e1" in exported.stdout
    assert "Da\\x9bra" in exported.stdout
    listed = counter("users", "list")
    assert "Da\\x9bra" in listed.stdout and "\x9b" not in listed.stdout
    written = counter("report", "--format", "xlsx", "--by", ADMIN, pin=ADMIN_PIN)
    assert written.returncode == 0, written.stderr
    book = load_workbook(written.stdout.strip().splitlines()[-1])
    cells = [str(c.value) for row in book["Sales"].iter_rows() for c in row if c.value]
    assert "TX\\x1b[2J\\u202e1" in cells
    assert all(unsafe_character(cell) is None for cell in cells)


def test_a_full_width_user_name_is_refused_and_logs_in_as_the_plain_one(home: Path) -> None:
    added = counter(
        "users", "add", "Ｓｏｋ", "--role", "admin", "--by", ADMIN, pin=ADMIN_PIN, new_pin="4321"
    )
    assert added.returncode == 1
    assert "'Ｓｏｋ' is the same name as the user 'Sok'" in added.stderr
    sold = counter("sell", "012 345 678", "5", "--clerk", "Ｄａｒａ", pin=CLERK_PIN)
    assert sold.returncode == 0, sold.stderr
    assert sold.stdout.strip() == "A-000001"
    exported = counter("export", "--by", ADMIN, pin=ADMIN_PIN)
    assert f",{CLERK}," in exported.stdout  # recorded under the user's own name


def test_float_correct_with_two_minus_signs_is_refused_in_words(home: Path) -> None:
    added = counter(
        "users",
        "add",
        "Vanna",
        "--role",
        "supervisor",
        "--by",
        ADMIN,
        pin=ADMIN_PIN,
        new_pin="2468",
    )
    assert added.returncode == 0, added.stderr
    args = ("float", "--correct", "smart", "--5", "--reason", "statement", "--by", "Vanna")
    done = counter(*args, pin="2468")
    assert done.returncode == 2
    assert "'--5' has more than one sign: type one, like -2.50 or 10.00." in done.stderr
    balances = counter("float")
    assert "smart" in balances.stdout and "$0.00" in balances.stdout.split("smart")[1]
    corrected = counter(*args[:3], "-5", *args[4:], pin="2468")
    assert corrected.returncode == 0, corrected.stderr
    assert "-$5.00" in counter("float").stdout.split("smart")[1].splitlines()[0]


def test_date_options_before_the_shop_or_in_the_future_are_refused(home: Path) -> None:
    opened = counter(
        "opening-cash",
        "--usd",
        "0",
        "--khr",
        "0",
        "--clerk",
        CLERK,
        "--date",
        "1900-01-01",
        pin=CLERK_PIN,
    )
    assert opened.returncode == 1
    assert "1900-01-01 is before the shop's first day" in opened.stderr
    report = counter("report", "--date", "2999-01-01")
    assert report.returncode == 1
    assert "2999-01-01 is in the future: today is" in report.stderr


def test_sell_with_an_empty_idempotency_key_is_refused(home: Path) -> None:
    done = counter(
        "sell", "012 345 678", "5", "--clerk", CLERK, "--idempotency-key", "", pin=CLERK_PIN
    )
    assert done.returncode == 1
    assert "The idempotency key is empty" in done.stderr
    assert (
        counter("export", "--by", ADMIN, pin=ADMIN_PIN).stdout.count("\n") == 1
    )  # the header, no sale
