"""Property tests: the parsers never fail with anything but the project's own errors,
and a number read once reads the same however it is written back."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from counter.domain.errors import AmountError, CounterError, NumberError
from counter.domain.money import Currency, Money, parse_amount
from counter.domain.operators import RuleBook
from counter.domain.phone import PhoneNumber, parse_number
from counter.domain.topup import check_number, check_topup
from counter.rules import load_rules

RULES = load_rules()

KHMER_DIGITS = "០១២៣៤៥៦៧៨៩"
FULL_WIDTH = "０１２３４５６７８９＋．，－（）　"
OTHER_DIGITS = "٠١٢٣٤٥٦٧٨٩५𝟓²"
SEPARATORS = " -./()\t\u00a0\u200b,_+$៛"

tricky_alphabet = st.sampled_from(
    list("0123456789")
    + list(KHMER_DIGITS)
    + list(FULL_WIDTH)
    + list(OTHER_DIGITS)
    + list(SEPARATORS)
    + [
        "855",
        "+855",
        "00855",
        "(0)",
        "e",
        "E",
        "NaN",
        "Infinity",
        "-",
        "−",
        "USD",
        "KHR",
        "riel",
        "US$",
    ]
)
tricky_text = st.lists(tricky_alphabet, max_size=20).map("".join)
any_text = st.one_of(st.text(), st.text(max_size=40), tricky_text)

FAST = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- no unexpected exceptions ---------------------------------------------------------------


@FAST
@given(any_text)
@example("+855 (0)")
@example("00")
@example("+")
@example("\u00a0")
@example("0" * 50)
def test_parse_number_returns_a_number_or_a_number_error(text: str) -> None:
    try:
        number = parse_number(text)
    except NumberError as exc:
        assert exc.message.strip()
        return
    assert isinstance(number, PhoneNumber)
    assert number.nsn.isascii() and number.nsn.isdigit()
    assert len(number.nsn) in (8, 9)
    assert not number.nsn.startswith("0")


@FAST
@given(any_text, st.sampled_from(list(Currency)))
@example("NaN", Currency.USD)
@example("-Infinity", Currency.USD)
@example("1e3", Currency.KHR)
@example("1_000", Currency.USD)
@example("$", Currency.USD)
@example("៛", Currency.KHR)
def test_parse_amount_returns_money_or_an_amount_error(text: str, currency: Currency) -> None:
    try:
        money = parse_amount(text, currency)
    except AmountError as exc:
        assert exc.message.strip()
        return
    assert isinstance(money, Money)
    assert money.currency is currency
    assert type(money.minor) is int
    assert money.minor >= 0


@FAST
@given(any_text, any_text, st.sampled_from(list(Currency)))
def test_check_topup_never_raises(number: str, amount: str, currency: Currency) -> None:
    verdict = check_topup(number, amount, RULES, currency=currency)
    assert verdict.ok == (verdict.errors == ())
    if verdict.ok:
        assert verdict.number is not None and verdict.operator is not None
        assert verdict.amount_cents is not None and verdict.amount_cents > 0


def test_the_errors_are_counter_errors() -> None:
    assert issubclass(NumberError, CounterError)
    assert issubclass(AmountError, CounterError)


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=4301, max_value=6000), st.sampled_from(list(Currency)))
def test_parse_amount_with_thousands_of_digits_raises_only_amount_error(
    n: int, currency: Currency
) -> None:
    with contextlib.suppress(AmountError):
        parse_amount("9" * n, currency)


# --- valid numbers, written every way ----------------------------------------------------


@st.composite
def valid_numbers(draw: st.DrawFn, rules: RuleBook = RULES) -> tuple[str, str, str]:
    """(operator id, prefix, nsn) for an enabled operator, from the rule book itself."""
    op = draw(st.sampled_from(rules.enabled))
    prefix = draw(st.sampled_from(sorted(op.prefixes)))
    digits = draw(st.sampled_from(sorted(op.prefixes[prefix])))
    subscriber = draw(st.text(alphabet="0123456789", min_size=digits - 2, max_size=digits - 2))
    return op.id, prefix, prefix[1:] + subscriber


def written(nsn: str, style: int) -> str:
    national = "0" + nsn
    khmer = national.translate({ord(str(i)): KHMER_DIGITS[i] for i in range(10)})
    grouped = f"{national[:3]} {national[3:6]} {national[6:]}"
    return [
        national,
        grouped,
        grouped.replace(" ", "-"),
        grouped.replace(" ", "."),
        f"+855 {nsn[:2]} {nsn[2:5]} {nsn[5:]}",
        "855" + nsn,
        f"+855 (0){nsn[:2]} {nsn[2:5]} {nsn[5:]}",
        "00855" + nsn,
        f" \u00a0{national}\u00a0 ",
        khmer,
        national.translate({ord(str(i)): "０１２３４５６７８９"[i] for i in range(10)}),
        f"({national[:3]}) {national[3:]}",
    ][style]


@FAST
@given(valid_numbers(), st.integers(min_value=0, max_value=11))
def test_generated_valid_numbers_pass_check_number(case: tuple[str, str, str], style: int) -> None:
    op_id, prefix, nsn = case
    checked = check_number(written(nsn, style), RULES)
    assert checked.errors == ()
    assert checked.operator is not None and checked.operator.id == op_id
    assert checked.number == PhoneNumber(nsn)
    assert checked.number.prefix == prefix


@FAST
@given(valid_numbers())
def test_normalising_a_normalised_number_changes_nothing(case: tuple[str, str, str]) -> None:
    _, _, nsn = case
    number = parse_number("0" + nsn)
    assert parse_number(number.e164) == number
    assert parse_number(number.national) == number
    assert parse_number(number.display) == number
    assert parse_number(parse_number(number.display).e164) == number


numberish_text = st.text(alphabet="0123456789០១២៨៥ -.()+\u00a0", min_size=8, max_size=18)


@FAST
@given(st.one_of(numberish_text, tricky_text))
@example("855 (0) 85 512 345")
@example("85585512345")
def test_whatever_parses_is_stable_under_its_own_forms(text: str) -> None:
    try:
        number = parse_number(text)
    except NumberError:
        return
    assert parse_number(number.e164) == number
    assert parse_number(number.national) == number
    assert parse_number(number.display) == number
    assert parse_number(number.display).e164 == number.e164


@FAST
@given(st.text(alphabet="0123456789", min_size=8, max_size=9).filter(lambda s: s[0] != "0"))
def test_display_form_parses_back_to_the_same_e164(nsn: str) -> None:
    number = PhoneNumber(nsn)
    assert parse_number(number.display).e164 == number.e164 == "+855" + nsn
    assert " " in number.display
    assert number.display.replace(" ", "") == number.national


@FAST
@given(st.integers(min_value=0, max_value=100_000_000))
def test_amount_written_plainly_parses_to_itself(cents: int) -> None:
    dollars, rest = divmod(cents, 100)
    assert parse_amount(f"{dollars}.{rest:02d}").minor == cents
    assert parse_amount(f"${dollars:,}.{rest:02d}").minor == cents
    if rest == 0:
        assert parse_amount(str(dollars)).minor == cents
