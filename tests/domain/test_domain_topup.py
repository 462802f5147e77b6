"""check_topup: every problem at once, the operators' amount rules, validity, and the JSON shape."""

from __future__ import annotations

import json

import pytest

from counter.domain.money import Currency, Money
from counter.domain.operators import Operator, RuleBook, ValidityBand
from counter.domain.topup import DEFAULT_RIEL_PER_USD, Verdict, check_topup
from counter.rules import load_rules

JSON_KEYS = {"ok", "operator", "msisdn", "display", "amount_cents", "validity_days", "errors"}

SMART = "010 345 678"
CELLCARD = "012 345 678"
METFONE = "097 123 4567"
SEATEL = "018 123 4567"
COOTEL = "038 123 4567"


@pytest.fixture(scope="module")
def rules() -> RuleBook:
    return load_rules()


def test_default_rate_is_4000() -> None:
    assert DEFAULT_RIEL_PER_USD == 4000


def test_allowed_topup(rules: RuleBook) -> None:
    verdict = check_topup(CELLCARD, "5", rules)
    assert verdict.ok
    assert verdict.errors == ()
    assert verdict.operator is not None and verdict.operator.id == "cellcard"
    assert verdict.msisdn == "+85512345678"
    assert verdict.display == "012 345 678"
    assert verdict.amount_cents == 500
    assert verdict.validity_days == 40


@pytest.mark.parametrize(
    ("number", "op_id"),
    [
        (SMART, "smart"),
        (CELLCARD, "cellcard"),
        (METFONE, "metfone"),
        (SEATEL, "seatel"),
        (COOTEL, "cootel"),
    ],
)
def test_five_dollars_is_allowed_for_every_enabled_operator(
    rules: RuleBook, number: str, op_id: str
) -> None:
    verdict = check_topup(number, "5.00", rules)
    assert verdict.ok, verdict.errors
    assert verdict.operator is not None and verdict.operator.id == op_id


# --- all problems together ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "amount"),
    [
        ("023 123 456", "-5"),
        ("019 123 456", "abc"),
        ("012 34", "NaN"),
        ("+1 212 555 1234", "5.123"),
        ("", ""),
        ("012a45678", "1e3"),
    ],
)
def test_bad_number_and_bad_amount_are_both_reported(
    rules: RuleBook, number: str, amount: str
) -> None:
    verdict = check_topup(number, amount, rules)
    assert not verdict.ok
    assert len(verdict.number_errors) == 1
    assert len(verdict.amount_errors) == 1
    assert verdict.errors == verdict.number_errors + verdict.amount_errors
    assert verdict.number is None
    assert verdict.amount_cents is None
    assert verdict.validity_days is None


def test_landline_and_negative_amount_messages(rules: RuleBook) -> None:
    verdict = check_topup("023 123 456", "-5", rules)
    assert len(verdict.errors) == 2
    assert "landline" in verdict.errors[0]
    assert "negative" in verdict.errors[1]


def test_qb_not_enabled_and_amount_off_step_together(rules: RuleBook) -> None:
    verdict = check_topup("013 456 789", "1.50", rules)
    assert not verdict.ok
    assert any("not enabled" in e for e in verdict.errors)
    assert any("steps of $1.00" in e for e in verdict.errors)


def test_several_amount_problems_at_once(rules: RuleBook) -> None:
    # Metfone: $1.50 is below the minimum and not a denomination.
    verdict = check_topup(METFONE, "1.50", rules)
    assert verdict.number_errors == ()
    assert len(verdict.amount_errors) == 2
    assert "below Metfone's minimum of $2.00" in verdict.amount_errors[0]
    assert "Metfone sells only" in verdict.amount_errors[1]
    assert verdict.amount_cents == 150


def test_wrong_length_still_checks_the_amount_against_the_prefix_operator(rules: RuleBook) -> None:
    verdict = check_topup("096 123 456", "1.50", rules)  # Smart 096 is 9 digits after the 0
    assert verdict.number is None
    assert "wrong length" in verdict.errors[0]
    assert verdict.amount_errors == ()  # Smart sells $1.50


@pytest.mark.parametrize("amount", ["0", "0.00", "$0", ".0"])
def test_zero_is_refused(rules: RuleBook, amount: str) -> None:
    verdict = check_topup(CELLCARD, amount, rules)
    assert not verdict.ok
    assert verdict.amount_cents is None
    assert verdict.errors == ("The amount must be more than zero.",)


# --- min, max, step, denominations ---------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "amount", "message"),
    [
        (SMART, "0.99", "$0.99 is below Smart's minimum of $1.00."),
        (SMART, "100.01", "$100.01 is above Smart's maximum of $100.00."),
        (CELLCARD, "0.50", "$0.50 is below Cellcard's minimum of $1.00."),
        (CELLCARD, "51", "$51.00 is above Cellcard's maximum of $50.00."),
        (CELLCARD, "1.50", "Cellcard sells in steps of $1.00; $1.50 is not one."),
        (SEATEL, "2.25", "Seatel sells in steps of $1.00; $2.25 is not one."),
        (COOTEL, "60", "$60.00 is above CooTel's maximum of $50.00."),
        (
            METFONE,
            "3",
            "Metfone sells only $2.00, $5.00, $10.00, $20.00, $50.00, $100.00; $3.00 is not one.",
        ),
    ],
)
def test_amount_rule_messages(rules: RuleBook, number: str, amount: str, message: str) -> None:
    verdict = check_topup(number, amount, rules)
    assert not verdict.ok
    assert message in verdict.errors


@pytest.mark.parametrize(
    ("number", "amount"),
    [
        (SMART, "1"),
        (SMART, "1.37"),
        (SMART, "100"),
        (CELLCARD, "1"),
        (CELLCARD, "50"),
        (METFONE, "2"),
        (METFONE, "100"),
        (SEATEL, "1"),
        (COOTEL, "50"),
    ],
)
def test_amounts_at_the_limits_are_allowed(rules: RuleBook, number: str, amount: str) -> None:
    assert check_topup(number, amount, rules).ok


def test_amount_problems_on_a_made_up_operator() -> None:
    op = Operator(
        id="x",
        name="X",
        colour="#000000",
        enabled=True,
        prefixes={"019": frozenset({8})},
        min_cents=500,
        max_cents=1000,
        step_cents=50,
    )
    assert op.amount_problems(750) == []
    assert op.amount_problems(0) == ["The amount must be more than zero."]
    assert op.amount_problems(-100) == ["The amount must be more than zero."]
    assert op.amount_problems(1025) == [
        "$10.25 is above X's maximum of $10.00.",
        "X sells in steps of $0.50; $10.25 is not one.",
    ]


# --- validity ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "days"),
    [
        ("1", 8),
        ("2", 15),
        ("5", 40),
        ("10", 70),
        ("20", 100),
        ("50", 200),
        ("1.25", 8),
        ("2.50", 16),  # riel cards 5,000 and 10,000 KHR
        ("1.50", 8),
        ("1.99", 8),
        ("2.49", 15),
        ("3", 16),
        ("4.99", 16),
        ("7", 40),
        ("15", 70),
        ("49.99", 100),
        ("75", 200),
        ("100", 200),
    ],
)
def test_smart_validity(rules: RuleBook, amount: str, days: int) -> None:
    verdict = check_topup(SMART, amount, rules)
    assert verdict.ok
    assert verdict.validity_days == days


def test_exact_validity_wins_over_a_band() -> None:
    op = Operator(
        id="x",
        name="X",
        colour="#000000",
        enabled=True,
        prefixes={},
        min_cents=100,
        max_cents=10000,
        step_cents=1,
        validity_exact={250: 16},
        validity_bands=(ValidityBand(200, 499, 15),),
    )
    assert op.validity_days(250) == 16
    assert op.validity_days(251) == 15
    assert op.validity_days(500) is None
    assert op.validity_days(199) is None


def test_metfone_validity_only_for_its_denominations(rules: RuleBook) -> None:
    assert check_topup(METFONE, "100", rules).validity_days == 365
    assert rules["metfone"].validity_days(300) is None


# --- riel amounts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("riel", "rate", "cents", "days"),
    [
        ("5000", 4000, 125, 8),
        ("10,000", 4000, 250, 16),
        ("20000", 4000, 500, 40),
        ("4100", 4100, 100, 8),
        ("8200", 4100, 200, 15),
    ],
)
def test_khr_amount_is_converted_at_the_rate(
    rules: RuleBook, riel: str, rate: int, cents: int, days: int
) -> None:
    verdict = check_topup(SMART, riel, rules, currency=Currency.KHR, riel_per_usd=rate)
    assert verdict.ok, verdict.errors
    assert verdict.amount_cents == cents
    assert verdict.validity_days == days


def test_khr_amount_at_4100_is_fitted_to_the_operators_amounts(rules: RuleBook) -> None:
    """Issue 13: 5000r at 4,100 was refused ("not a whole number of cents"); it is now the
    largest amount Smart sells at or below its worth ($1.21), the rest back in riel."""
    verdict = check_topup(SMART, "5000", rules, currency=Currency.KHR, riel_per_usd=4100)
    assert verdict.ok, verdict.errors
    assert verdict.riel_topup is not None
    assert verdict.amount_cents == verdict.riel_topup.amount_cents
    assert verdict.amount_cents * 4100 <= 5000 * 100
    assert verdict.riel_topup.summary.startswith("5,000")


def test_khr_with_decimals_is_refused(rules: RuleBook) -> None:
    verdict = check_topup(SMART, "5000.5", rules, currency=Currency.KHR)
    assert not verdict.ok
    assert "whole numbers" in verdict.errors[0]


def test_money_object_is_accepted(rules: RuleBook) -> None:
    assert check_topup(SMART, Money.usd(500), rules).amount_cents == 500
    assert check_topup(SMART, Money.khr(20_000), rules).amount_cents == 500


def test_khr_default_rate_is_4000(rules: RuleBook) -> None:
    assert check_topup(SMART, "20000", rules, currency=Currency.KHR).amount_cents == 500


# --- the JSON contract ---------------------------------------------------------------------


def test_as_json_allowed(rules: RuleBook) -> None:
    data = check_topup("097 123 4567", "5", rules).as_json()
    assert data == {
        "ok": True,
        "operator": "metfone",
        "msisdn": "+855971234567",
        "display": "097 123 4567",
        "amount_cents": 500,
        "validity_days": 40,
        "errors": [],
    }
    assert json.loads(json.dumps(data)) == data


def test_as_json_refused(rules: RuleBook) -> None:
    data = check_topup("023 123 456", "-5", rules).as_json()
    assert set(data) == JSON_KEYS
    assert data["ok"] is False
    assert data["operator"] is None
    assert data["msisdn"] is None
    assert data["display"] is None
    assert data["amount_cents"] is None
    assert data["validity_days"] is None
    assert isinstance(data["errors"], list) and len(data["errors"]) == 2
    assert all(isinstance(e, str) and e for e in data["errors"])


def test_as_json_types(rules: RuleBook) -> None:
    data = check_topup(SMART, "3", rules).as_json()
    assert set(data) == JSON_KEYS
    assert type(data["ok"]) is bool
    assert type(data["amount_cents"]) is int
    assert type(data["validity_days"]) is int
    assert type(data["errors"]) is list


def test_verdict_ok_follows_errors() -> None:
    assert Verdict(None, None, None, None, ()).ok
    assert not Verdict(None, None, None, None, ("x",)).ok
