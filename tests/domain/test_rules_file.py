"""The operator rules file: the shipped one loads; a broken one is refused naming file and field."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from counter.domain.errors import RulesError
from counter.rules import load_rules, parse_rules, shipped_rules_path
from tests.support.cli import counter

SHIPPED = shipped_rules_path().read_text(encoding="utf-8")


def edited(old: str, new: str, count: int = 1) -> str:
    assert old in SHIPPED, f"the shipped file no longer contains {old!r}"
    return SHIPPED.replace(old, new, count)


def refusal(tmp_path: Path, text: str | bytes) -> tuple[Path, str]:
    path = tmp_path / "shop rules.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as info:
        load_rules(path)
    return path, info.value.message


# --- the shipped file ---------------------------------------------------------------------


def test_shipped_file_loads_with_six_operators() -> None:
    rules = load_rules()
    assert [op.id for op in rules] == ["smart", "cellcard", "metfone", "seatel", "cootel", "qb"]
    assert rules.source == str(shipped_rules_path())
    for op in rules:
        assert op.prefixes, op.id
        assert op.name
        assert op.colour.startswith("#")
        assert 0 < op.min_cents <= op.max_cents
        assert op.step_cents > 0
        assert op.balance_code


def test_only_qb_ships_disabled() -> None:
    rules = load_rules()
    assert {op.id for op in rules.enabled} == {"smart", "cellcard", "metfone", "seatel", "cootel"}
    assert rules["qb"].enabled is False
    assert sorted(rules["qb"].prefixes) == ["013", "080", "083", "084"]


def test_shipped_values_from_the_reference() -> None:
    rules = load_rules()
    assert rules["smart"].balance_code == "*888#"
    assert rules["cellcard"].balance_code == "#124#"
    assert rules["metfone"].denominations == (200, 500, 1000, 2000, 5000, 10000)
    smart = rules["smart"]
    assert {c: smart.validity_days(c) for c in (100, 200, 500, 1000, 2000, 5000)} == {
        100: 8,
        200: 15,
        500: 40,
        1000: 70,
        2000: 100,
        5000: 200,
    }


def test_load_rules_is_the_default_file() -> None:
    assert load_rules(None).source == load_rules(shipped_rules_path()).source


def test_shipped_file_says_where_values_come_from() -> None:
    assert "OUR DEFAULT" in SHIPPED
    assert "2026-11" in SHIPPED


# --- broken files ------------------------------------------------------------------------


def test_truncated_toml(tmp_path: Path) -> None:
    path, message = refusal(tmp_path, SHIPPED[: SHIPPED.index('min = "1.00"') + 9])
    assert str(path) in message
    assert "not valid TOML" in message


def test_truncated_toml_in_a_table_header(tmp_path: Path) -> None:
    path, message = refusal(tmp_path, SHIPPED[: SHIPPED.index("[operators.cellcard]") + 12])
    assert str(path) in message
    assert "not valid TOML" in message
    assert "table" in message


@pytest.mark.parametrize(
    ("old", "new", "field", "says"),
    [
        ('min = "1.00"', "min = 5", "operators.smart.min", "quoted"),
        ('min = "1.00"', 'min = "-1.00"', "operators.smart.min", "negative"),
        ('max = "100.00"', 'max = "-5"', "operators.smart.max", "negative"),
        ('min = "1.00"', 'min = "1.001"', "operators.smart.min", "2 decimals"),
        ('min = "1.00"', 'min = "one"', "operators.smart.min", "not an amount"),
        (
            "enabled = true",
            'enabled = true\nminimum = "1.00"',
            "operators.smart.minimum",
            "unknown key",
        ),
        ("schema = 1", "schema = 1\nversion = 2", "version", "unknown key"),
        ('"010", ', '"10", ', "operators.smart.numbers[0].prefixes", "'10'"),
        ('"010", ', '"0100", ', "operators.smart.numbers[0].prefixes", "'0100'"),
        ('"010", ', '"abc", ', "operators.smart.numbers[0].prefixes", "'abc'"),
        ('min = "2.00"', 'min = "200.00"', "operators.metfone", "'min' is above 'max'"),
        ('step = "0.01"', 'step = "0"', "operators.smart", "'step'"),
        ('"#5BB946"', '"green"', "operators.smart.colour", "'green'"),
        ("schema = 1", "schema = 2", "schema", "not supported"),
        ('name = "Smart"\n', "", "operators.smart.name", "required"),
        (
            'denominations = ["2.00"',
            'denominations = ["1.00"',
            "operators.metfone",
            "denomination 1.00",
        ),
        (
            'commission_percent = "3.0"',
            "commission_percent = 3",
            "operators.smart.commission_percent",
            "quoted",
        ),
        (
            '{ from = "1.00", to = "1.99", days = 8 }',
            '{ from = "1.99", to = "1.00", days = 8 }',
            "operators.smart.validity.bands[0]",
            "'from' is above 'to'",
        ),
        (
            '{ from = "1.00", to = "1.99", days = 8 }',
            '{ from = "1.00", to = "1.99", days = -8 }',
            "operators.smart.validity.bands[0].days",
            "",
        ),
        ("digits = [8]", "digits = [3]", "operators.smart.numbers[0].digits[0]", ""),
    ],
)
def test_broken_field_is_named(tmp_path: Path, old: str, new: str, field: str, says: str) -> None:
    path, message = refusal(tmp_path, edited(old, new))
    assert message.startswith(f"{path}: ")
    assert field + ":" in message
    assert says in message


def test_prefix_claimed_by_two_operators_names_both(tmp_path: Path) -> None:
    path, message = refusal(tmp_path, edited('prefixes = ["018"]', 'prefixes = ["018", "012"]'))
    assert str(path) in message
    assert "012" in message
    assert "operators.seatel" in message
    assert "operators.cellcard" in message


def test_non_utf8_bytes(tmp_path: Path) -> None:
    raw = SHIPPED.encode("utf-8")
    path, message = refusal(tmp_path, raw[:200] + b"\xff\xfe" + raw[200:])
    assert str(path) in message
    assert "UTF-8" in message


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "operators.toml"
    with pytest.raises(RulesError) as info:
        load_rules(path)
    assert str(path) in info.value.message
    assert "does not exist" in info.value.message


def test_empty_file(tmp_path: Path) -> None:
    path, message = refusal(tmp_path, "")
    assert str(path) in message
    assert "schema" in message


def test_every_problem_is_listed(tmp_path: Path) -> None:
    text = edited('min = "1.00"', "min = 5").replace('"#F7941D"', '"orange"')
    _path, message = refusal(tmp_path, text)
    assert "operators.smart.min" in message
    assert "operators.cellcard.colour" in message


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("enabled = true", 'enabled = "yes"', "operators.smart.enabled"),
        ("enabled = false", 'enabled = "no"', "operators.qb.enabled"),
        (
            'prefixes = ["096"]          # [NO] [WP] 2026-11\ndigits = [9]',
            'prefixes = ["096"]\ndigits = ["9"]',
            "operators.smart.numbers[1].digits[0]",
        ),
    ],
    ids=["enabled-yes", "enabled-no", "digits-string"],
)
def test_wrong_type_is_refused(tmp_path: Path, old: str, new: str, field: str) -> None:
    path, message = refusal(tmp_path, edited(old, new))
    assert str(path) in message
    assert field in message


def test_parse_rules_names_the_source() -> None:
    with pytest.raises(RulesError, match=r"^my-shop\.toml: "):
        parse_rules("schema = 1\n", "my-shop.toml")


def test_edited_file_is_reread(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(SHIPPED, encoding="utf-8")
    assert load_rules(path)["cellcard"].max_cents == 5000
    path.write_text(edited('max = "50.00"', 'max = "20.00"'), encoding="utf-8")
    os.utime(path, ns=(1, 1_000_000_000))  # a different mtime whatever the clock's resolution
    assert load_rules(path)["cellcard"].max_cents == 2000


# --- a shop's own file through settings, used by `counter check` ---------------------------


def test_counter_check_uses_the_shops_rules_file(
    counter_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = counter_home / "my rules.toml"
    # The shop sells qb, and caps Cellcard at $20.
    shop.write_text(
        edited("enabled = false", "enabled = true").replace('max = "50.00"', 'max = "20.00"', 1),
        encoding="utf-8",
    )

    shipped = counter("check", "--json", "013 456 789", "5")
    assert shipped.returncode == 1
    assert json.loads(shipped.stdout)["ok"] is False
    assert counter("check", "--json", "012 345 678", "30").returncode == 0

    monkeypatch.setenv("COUNTER_RULES_FILE", str(shop))
    qb = counter("check", "--json", "013 456 789", "5")
    assert qb.returncode == 0, qb.stdout + qb.stderr
    assert json.loads(qb.stdout)["operator"] == "qb"
    capped = counter("check", "--json", "012 345 678", "30")
    assert capped.returncode == 1
    assert "$30.00 is above Cellcard's maximum of $20.00." in json.loads(capped.stdout)["errors"]
    listing = counter("operators")
    assert listing.returncode == 0
    assert str(shop) in listing.stdout


def test_rules_file_in_the_settings_file(counter_home: Path) -> None:
    shop = counter_home / "rules.toml"
    shop.write_text(edited("enabled = false", "enabled = true"), encoding="utf-8")
    (counter_home / "counter.toml").write_text(
        f"rules_file = {json.dumps(str(shop))}\n", encoding="utf-8"
    )
    result = counter("check", "--json", "013 456 789", "5")
    assert result.returncode == 0, result.stdout + result.stderr


def test_broken_shop_rules_file_stops_counter_check(
    counter_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = counter_home / "broken.toml"
    shop.write_text(edited('min = "1.00"', 'min = "-1.00"'), encoding="utf-8")
    monkeypatch.setenv("COUNTER_RULES_FILE", str(shop))
    result = counter("check", "012345678", "5")
    assert result.returncode == 1
    assert str(shop) in result.stderr
    assert "operators.smart.min" in result.stderr
    assert "Traceback" not in result.stderr
