"""The one amount parser of the screen, the CLI and `counter check`: read whole or refused
in words, never read after dropping what it could not read."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from counter.domain.amounts import read_amount, read_cash, read_count
from counter.domain.errors import AmountError
from counter.domain.money import Currency, Money, format_khr, format_usd, plain_decimal
from counter.domain.topup import check_topup
from counter.i18n import use_language
from counter.rules import load_rules

USD = Currency.USD
KHR = Currency.KHR
RULES = load_rules()
FAST = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize(
    ("typed", "money"),
    [
        ("5", Money.usd(500)),
        ("2.50", Money.usd(250)),
        ("$5", Money.usd(500)),
        ("$ 5", Money.usd(500)),
        ("5$", Money.usd(500)),
        ("US$5", Money.usd(500)),
        ("us$5", Money.usd(500)),
        ("5 USD", Money.usd(500)),
        ("5usd", Money.usd(500)),
        ("USD 5", Money.usd(500)),
        ("１,０００.００", Money.usd(100_000)),
        ("＄5", Money.usd(500)),
        ("5000r", Money.khr(5000)),
        ("5000R", Money.khr(5000)),
        ("5000 r", Money.khr(5000)),
        ("5,000r", Money.khr(5000)),
        ("5,000៛", Money.khr(5000)),
        ("5000 ៛", Money.khr(5000)),
        ("5000 KHR", Money.khr(5000)),
        ("5000khr", Money.khr(5000)),
        ("5000 riel", Money.khr(5000)),
        ("5000 Riels", Money.khr(5000)),
        ("៥០០០r", Money.khr(5000)),
        ("៥,០០០៛", Money.khr(5000)),
        ("5000ｒ", Money.khr(5000)),
        ("  20000r ", Money.khr(20000)),
        ("0", Money.usd(0)),
        ("0r", Money.khr(0)),
    ],
)
def test_amounts_read(typed: str, money: Money) -> None:
    assert read_amount(typed) == money


def test_an_amount_with_no_mark_is_in_the_default_currency() -> None:
    assert read_amount("20000", KHR) == Money.khr(20000)
    assert read_amount("$5", KHR) == Money.usd(500)
    assert read_amount("5000r", USD) == Money.khr(5000)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("-5", "'-5' is negative"),
        ("−5", "negative"),
        ("-5000r", "negative"),
        ("$-5", "negative"),
        ("-$5", "negative"),
        ("-Infinity", "negative"),
        ("+5", "without a sign"),
        ("1e3", "'e' cannot be part of one"),
        ("1E3", "'E' cannot be part of one"),
        ("1e3r", "'e' cannot be part of one"),
        ("1_000", "'_' cannot be part of one"),
        ("NaN", "'N' cannot be part of one"),
        ("nan", "'n' cannot be part of one"),
        ("Infinity", "'I' cannot be part of one"),
        ("inf", "'i' cannot be part of one"),
        ("0x10", "'x' cannot be part of one"),
        ("٥", "'٥' cannot be part of one"),  # Arabic-Indic five
        ("५", "'५' cannot be part of one"),  # Devanagari five
        ("𝟓", "'𝟓' cannot be part of one"),  # mathematical bold five
        ("5²", "'²' cannot be part of one"),
        ("5 5", "a space cannot be part of one"),
        ("1 000r", "a space cannot be part of one"),
        ("5\u200b", "U+200B ZERO WIDTH SPACE cannot be part of one"),
        ("5\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE cannot be part of one"),
        ("5-3", "'-' cannot be part of one"),
        ("5 + 2000r", "more than one amount"),
        ("5.123", "more than 2 decimals"),
        ("5000.5r", "riel are whole numbers"),
        ("5000.r", "riel are whole numbers"),
        ("1,00", "not an amount: type digits"),
        ("20,00r", "not an amount: type whole riel"),
        ("5..0", "not an amount"),
        ("$", "not an amount"),
        ("r", "not an amount"),
        ("$5000r", "more than one currency mark"),
        ("5$r", "more than one currency mark"),
        ("5000r៛", "more than one currency mark"),
        ("$5$", "more than one currency mark"),
        ("", "Enter an amount"),
        ("   ", "Enter an amount"),
        ("1000000.01", "too large"),
        ("10000000001r", "too large"),
        ("9" * 40, "too large"),
    ],
)
def test_refused_in_words(typed: str, says: str) -> None:
    with pytest.raises(AmountError) as info:
        read_amount(typed)
    assert says in info.value.message


def test_a_refusal_is_translated() -> None:
    with use_language("zh"), pytest.raises(AmountError) as info:
        read_amount("1e3")
    assert "'e'" in info.value.message
    assert "cannot" not in info.value.message


def test_non_text_is_refused() -> None:
    with pytest.raises(AmountError):
        read_amount(5)  # type: ignore[arg-type]
    with pytest.raises(AmountError):
        read_cash(None)  # type: ignore[arg-type]


@given(st.integers(min_value=0, max_value=100_000_000))
def test_formatted_dollars_read_back(cents: int) -> None:
    assert read_amount(format_usd(cents)) == Money.usd(cents)
    assert read_amount(plain_decimal(cents)) == Money.usd(cents)


@given(st.integers(min_value=0, max_value=10_000_000_000))
def test_formatted_riel_read_back(riel: int) -> None:
    assert read_amount(format_khr(riel)) == Money.khr(riel)
    assert read_amount(f"{riel}r") == Money.khr(riel)


# --- cash received: dollars and riel in one field ----------------------------------------


@pytest.mark.parametrize(
    ("typed", "amounts"),
    [
        ("5", (Money.usd(500),)),
        ("20000r", (Money.khr(20000),)),
        ("5 + 2000r", (Money.usd(500), Money.khr(2000))),
        ("5+2000r", (Money.usd(500), Money.khr(2000))),
        ("2000r + 5", (Money.khr(2000), Money.usd(500))),
        ("$5 + 2,000៛", (Money.usd(500), Money.khr(2000))),
        ("20 + 5", (Money.usd(2500),)),
        ("10000r + 5000r + 1", (Money.khr(15000), Money.usd(100))),
        ("５＋２０００ｒ", (Money.usd(500), Money.khr(2000))),
    ],
)
def test_cash_received_read(typed: str, amounts: tuple[Money, ...]) -> None:
    assert read_cash(typed) == amounts


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Enter the cash received"),
        ("+5", "without a sign"),
        ("5 +", "a + with no amount after it"),
        ("5 ++ 2000r", "a + with no amount after it"),
        ("5 + 0r", "'0r' is zero"),
        ("0", "'0' is zero"),
        ("5 + -2000r", "'-2000r' is negative"),
        ("5 + 1e3r", "'e' cannot be part of one"),
        ("1+1+1+1+1+1+1", "more than 6 amounts"),
        ("600000 + 600000", "too large"),
        ("5" + " + 5" * 40, "too long"),
    ],
)
def test_cash_received_refused_in_words(typed: str, says: str) -> None:
    with pytest.raises(AmountError) as info:
        read_cash(typed)
    assert says in info.value.message


# --- note counts ------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "count"), [("12", 12), ("1,200", 1200), ("១២", 12), ("", 0)])
def test_note_counts_read(typed: str, count: int) -> None:
    assert read_count(typed) == count


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("-1", "negative"),
        ("1.5", "whole number"),
        ("1e2", "'e'"),
        ("12x", "'x'"),
        ("1,00", "whole number"),
    ],
)
def test_note_counts_refused(typed: str, says: str) -> None:
    with pytest.raises(AmountError, match=says):
        read_count(typed)


# --- counter check reads the same way -----------------------------------------------------


def test_check_topup_reads_riel_typed_with_r() -> None:
    verdict = check_topup("010 345 678", "5000r", RULES)
    assert verdict.ok, verdict.errors
    assert verdict.amount_cents == 125


def test_check_topup_refuses_1e3_instead_of_reading_13() -> None:
    verdict = check_topup("010 345 678", "1e3", RULES)
    assert verdict.amount_cents is None
    assert any("'e' cannot be part of one" in e for e in verdict.errors)


# --- properties ---------------------------------------------------------------------------

TRICKY = st.sampled_from(
    [
        *"0123456789០១២៥,.$៛rR+-−_eE ＄ｒ\u00a0\u200b\u202e٥𝟓²",
        *("USD", "usd", "US$", "KHR", "riel", "riels", "NaN", "Infinity", "İ", "ß", "ﬀ"),
    ]
)
tricky_text = st.lists(TRICKY, max_size=16).map("".join)
any_text = st.one_of(st.text(), st.text(max_size=12), tricky_text)


@FAST
@given(any_text, st.sampled_from(list(Currency)))
@example("İ5r", USD)
@example("0\r", USD)  # a carriage return is refused, never trimmed
@example("5ﬀ", USD)
@example("\u0130" * 20 + "r", KHR)
def test_read_amount_gives_money_or_our_error_on_any_unicode(text: str, default: Currency) -> None:
    try:
        money = read_amount(text, default)
    except AmountError as exc:
        assert exc.message.strip()
        return
    assert type(money.minor) is int and money.minor >= 0
    # Nothing was dropped: what was read is made of digits, separators and one mark.
    leftover = text
    for kept in "0123456789០១២៣៤៥៦៧៨៩０１２３４５６７８９,.，．$＄៛ \u00a0\u3000":
        leftover = leftover.replace(kept, "")
    assert leftover.lower() in ("", "r", "ｒ", "usd", "us", "khr", "riel", "riels"), leftover


@FAST
@given(st.lists(any_text, min_size=1, max_size=4).map("+".join))
def test_read_cash_gives_amounts_or_our_error_on_any_unicode(text: str) -> None:
    try:
        amounts = read_cash(text)
    except AmountError as exc:
        assert exc.message.strip()
        return
    assert amounts
    assert len({m.currency for m in amounts}) == len(amounts)
    assert all(m.minor > 0 for m in amounts)


@FAST
@given(any_text)
def test_read_count_gives_a_count_or_our_error_on_any_unicode(text: str) -> None:
    try:
        count = read_count(text)
    except AmountError:
        return
    assert type(count) is int and count >= 0


@FAST
@given(
    st.integers(min_value=0, max_value=10**6),
    st.sampled_from(["-", "−", "+", "e", "E", "_", "x", "٥", "\u200b", "5 5"]),
    st.integers(min_value=0, max_value=3),
)
def test_a_refused_character_is_never_dropped(number: int, char: str, where: int) -> None:
    text = str(number)
    position = min(where, len(text))
    with pytest.raises(AmountError):
        read_amount(text[:position] + char + text[position:])


@FAST
@given(st.integers(min_value=1, max_value=1_000_000), st.integers(min_value=1, max_value=10**7))
def test_dollars_and_riel_read_together_as_typed(cents: int, riel: int) -> None:
    typed = f"{plain_decimal(cents)} + {format_khr(riel)}"
    assert read_cash(typed) == (Money.usd(cents), Money.khr(riel))
