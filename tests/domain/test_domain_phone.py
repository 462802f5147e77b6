"""Cambodian numbers as customers give them: parsing, formatting, and the prefix table.

The expected values come from ../shared/reference/cambodia-topup.md, not from the code.
"""

from __future__ import annotations

import phonenumbers
import pytest

from counter.domain.errors import CounterError, NumberError
from counter.domain.operators import Operator, RuleBook
from counter.domain.phone import PhoneNumber, group_national, parse_number
from counter.domain.topup import check_number
from counter.rules import load_rules

# The reference's prefix table: prefix -> (operator id, digit counts after the 0).
REFERENCE_PREFIXES: dict[str, tuple[str, tuple[int, ...]]] = {
    **{
        p: ("smart", (8,))
        for p in ["010", "015", "016", "069", "070", "081", "086", "087", "093", "098"]
    },
    "096": ("smart", (9,)),
    **{
        p: ("cellcard", (8,))
        for p in [
            "011",
            "014",
            "017",
            "061",
            "077",
            "078",
            "079",
            "085",
            "089",
            "092",
            "095",
            "099",
        ]
    },
    "012": ("cellcard", (8, 9)),
    "076": ("cellcard", (9,)),
    **{p: ("metfone", (8,)) for p in ["060", "066", "067", "068", "090"]},
    **{p: ("metfone", (9,)) for p in ["031", "071", "088", "097"]},
    "018": ("seatel", (9,)),
    "038": ("cootel", (9,)),
    **{p: ("qb", (8,)) for p in ["013", "080", "083", "084"]},
}
ENABLED_CASES = [
    (prefix, op_id, digits)
    for prefix, (op_id, lengths) in sorted(REFERENCE_PREFIXES.items())
    for digits in lengths
    if op_id != "qb"
]
WRONG_LENGTH_CASES = [
    (prefix, op_id, digits)
    for prefix, (op_id, lengths) in sorted(REFERENCE_PREFIXES.items())
    for digits in (8, 9)
    if digits not in lengths
]


def national(prefix: str, digits: int, subscriber: str = "3456789") -> str:
    """A national number `prefix` + subscriber digits, `digits` digits after the 0."""
    return prefix + subscriber[: digits - 2]


@pytest.fixture(scope="module")
def rules() -> RuleBook:
    return load_rules()


def test_reference_table_is_complete() -> None:
    assert len(REFERENCE_PREFIXES) == 40
    assert len(ENABLED_CASES) == 37  # 36 enabled prefixes, 012 twice


# --- formats --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "012345678",
        "012 345 678",
        "012-345-678",
        "012.345.678",
        "(012) 345 678",
        "+855 12 345 678",
        "+85512345678",
        "85512345678",
        "855 12 345 678",
        "+855 (0)12 345 678",
        "+855(0)12345678",
        "855 (0) 12 345 678",
        "+855 012 345 678",
        "0085512345678",
        "00855 12 345 678",
        "  012345678  ",
        "\t012 345 678\n",
        "\u00a0012345678\u00a0",
        "\u00a0 +855 12 345 678 \u00a0",
        "០១២៣៤៥៦៧៨",
        "០១២ ៣៤៥ ៦៧៨",
        "+៨៥៥ ១២ ៣៤៥ ៦៧៨",
        "０１２３４５６７８",
        "＋８５５　１２　３４５　６７８",
        "12 345 678",
    ],
)
def test_every_customer_format_reads_as_the_same_number(typed: str) -> None:
    number = parse_number(typed)
    assert number == PhoneNumber("12345678")
    assert number.e164 == "+85512345678"
    assert number.national == "012345678"
    assert number.display == "012 345 678"
    assert number.prefix == "012"


@pytest.mark.parametrize(
    ("typed", "e164", "display"),
    [
        ("0971234567", "+855971234567", "097 123 4567"),
        ("+855 97 123 4567", "+855971234567", "097 123 4567"),
        ("855971234567", "+855971234567", "097 123 4567"),
        ("+855 (0)97 123 4567", "+855971234567", "097 123 4567"),
        ("០៩៧ ១២៣ ៤៥៦៧", "+855971234567", "097 123 4567"),
        ("012 345 6789", "+855123456789", "012 345 6789"),
        ("010 888 999", "+85510888999", "010 888 999"),
    ],
)
def test_e164_and_grouped_display(typed: str, e164: str, display: str) -> None:
    number = parse_number(typed)
    assert number.e164 == e164
    assert number.display == display


def test_group_national_shapes() -> None:
    assert group_national("012345678") == "012 345 678"
    assert group_national("0971234567") == "097 123 4567"


@pytest.mark.parametrize("typed", ["01234567", "0123", "+855 12 345 6", "+855 12 345 67", "1234"])
def test_too_short_is_refused_as_too_short(typed: str) -> None:
    with pytest.raises(NumberError, match="too short") as info:
        parse_number(typed)
    assert "9 or 10 digits" in info.value.message


@pytest.mark.parametrize("typed", ["01234567890", "+855 12 345 678 90", "0085512345678901"])
def test_too_long_is_refused_as_too_long(typed: str) -> None:
    with pytest.raises(NumberError, match="too long") as info:
        parse_number(typed)
    assert "9 or 10 digits" in info.value.message


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("012a45678", "'a'"),
        ("012 345 67x", "'x'"),
        ("012#345678", "'#'"),
        ("012*345678", "'*'"),
        ("012_345_678", "'_'"),
        ("0١٢٣٤٥٦٧٨", "'١'"),  # Arabic-Indic digits are not read as digits
        ("012\u200b345678", "U+200B"),  # a zero-width space pasted from a chat app
    ],
)
def test_non_digit_characters_are_named(typed: str, shown: str) -> None:
    with pytest.raises(NumberError) as info:
        parse_number(typed)
    assert shown in info.value.message
    assert "not a digit" in info.value.message


@pytest.mark.parametrize("typed", ["", "   ", "\u00a0", "\t\n"])
def test_blank_is_refused(typed: str) -> None:
    with pytest.raises(NumberError, match="phone number"):
        parse_number(typed)


@pytest.mark.parametrize("typed", ["+", "-", "( )", "+855", "00855", "+855 (0)"])
def test_no_subscriber_digits_is_refused(typed: str) -> None:
    with pytest.raises(NumberError):
        parse_number(typed)


@pytest.mark.parametrize(
    "typed",
    ["+1 212 555 1234", "+66 81 234 5678", "+84 912 345 678", "0066812345678", "001 212 555 1234"],
)
def test_foreign_country_code_is_refused(typed: str) -> None:
    with pytest.raises(NumberError) as info:
        parse_number(typed)
    assert "855" in info.value.message
    assert "Cambodian" in info.value.message


def test_number_error_is_a_counter_error() -> None:
    assert issubclass(NumberError, CounterError)
    with pytest.raises(CounterError):
        parse_number("hello")


def test_non_text_is_refused_with_number_error() -> None:
    with pytest.raises(NumberError):
        parse_number(12345678)  # type: ignore[arg-type]


# --- operators by prefix ----------------------------------------------------------------


def test_rule_book_has_exactly_the_reference_prefixes(rules: RuleBook) -> None:
    shipped = {
        prefix: (op.id, tuple(sorted(lengths)))
        for op in rules
        for prefix, lengths in op.prefixes.items()
    }
    assert shipped == REFERENCE_PREFIXES


@pytest.mark.parametrize(("prefix", "op_id", "digits"), ENABLED_CASES)
@pytest.mark.parametrize("subscriber", ["3456789", "0000000", "9999999"])
def test_every_reference_prefix_finds_its_operator(
    rules: RuleBook, prefix: str, op_id: str, digits: int, subscriber: str
) -> None:
    typed = national(prefix, digits, subscriber)
    checked = check_number(typed, rules)
    assert checked.errors == ()
    assert checked.operator is not None
    assert checked.operator.id == op_id
    assert checked.number is not None
    assert checked.number.national == typed
    assert checked.number.e164 == "+855" + typed[1:]
    # The same number given the international way finds the same operator.
    again = check_number(f"+855 {typed[1:3]} {typed[3:]}", rules)
    assert again.operator is not None and again.operator.id == op_id
    assert again.number == checked.number


@pytest.mark.parametrize(("prefix", "op_id", "digits"), ENABLED_CASES)
def test_our_e164_matches_phonenumbers(
    rules: RuleBook, prefix: str, op_id: str, digits: int
) -> None:
    typed = national(prefix, digits)
    checked = check_number(typed, rules)
    assert checked.number is not None
    theirs = phonenumbers.parse(typed, "KH")
    assert (
        phonenumbers.format_number(theirs, phonenumbers.PhoneNumberFormat.E164)
        == checked.number.e164
    )
    spaced = phonenumbers.parse(checked.number.display, "KH")
    assert (
        phonenumbers.format_number(spaced, phonenumbers.PhoneNumberFormat.E164)
        == checked.number.e164
    )


@pytest.mark.parametrize(("prefix", "op_id", "digits"), WRONG_LENGTH_CASES)
def test_wrong_length_for_the_prefix_is_refused(
    rules: RuleBook, prefix: str, op_id: str, digits: int
) -> None:
    typed = national(prefix, digits)
    checked = check_number(typed, rules)
    assert checked.number is None
    assert len(checked.errors) == 1
    message = checked.errors[0]
    assert "wrong length" in message
    assert prefix in message
    _, allowed = REFERENCE_PREFIXES[prefix]
    # Lengths are told with the leading 0, as the clerk counts them.
    for n in allowed:
        assert str(n + 1) in message
    assert f"this one has {digits + 1}" in message


@pytest.mark.parametrize(
    ("typed", "op_id"),
    [
        ("012345678", "cellcard"),
        ("0123456789", "cellcard"),
        ("0961234567", "smart"),
        ("0971234567", "metfone"),
        ("0181234567", "seatel"),
        ("0381234567", "cootel"),
        ("0761234567", "cellcard"),
    ],
)
def test_specific_lengths(rules: RuleBook, typed: str, op_id: str) -> None:
    checked = check_number(typed, rules)
    assert checked.errors == ()
    assert checked.operator is not None and checked.operator.id == op_id


@pytest.mark.parametrize(
    ("typed", "allowed"),
    [
        ("096123456", "10"),  # 096 is 9 digits only
        ("097123456", "10"),  # phonenumbers accepts 8-digit 097; our table does not
        ("018123456", "10"),  # phonenumbers accepts 8-digit 018; our table does not
        ("038123456", "10"),
        ("0101234567", "9"),  # Smart 010 is 8 digits only
    ],
)
def test_eight_or_nine_digit_only_prefixes(rules: RuleBook, typed: str, allowed: str) -> None:
    checked = check_number(typed, rules)
    assert checked.number is None
    assert len(checked.errors) == 1
    assert f"have {allowed} digits with the leading 0" in checked.errors[0]


def test_wrong_length_message_lists_every_allowed_length() -> None:
    shop = RuleBook(
        [
            Operator(
                id="shop",
                name="Shop",
                colour="#000000",
                enabled=True,
                prefixes={"019": frozenset({9, 10})},
                min_cents=100,
                max_cents=5000,
                step_cents=100,
            )
        ]
    )
    checked = check_number("019 345 678", shop)
    assert checked.number is None
    assert checked.errors == (
        "019 345 678 has the wrong length for Shop 019: 019 numbers have 10 or 11 digits "
        "with the leading 0, this one has 9.",
    )


@pytest.mark.parametrize(
    "typed", ["023 123 456", "023 456 789", "+855 23 123 456", "024 123 456", "0721234567"]
)
def test_landline_is_refused_as_a_landline(rules: RuleBook, typed: str) -> None:
    checked = check_number(typed, rules)
    assert checked.number is None
    assert checked.operator is None
    assert len(checked.errors) == 1
    assert "landline" in checked.errors[0]


@pytest.mark.parametrize("prefix", ["019", "091", "094", "082"])
@pytest.mark.parametrize("digits", [8, 9])
def test_unknown_prefix_is_refused(rules: RuleBook, prefix: str, digits: int) -> None:
    checked = check_number(national(prefix, digits), rules)
    assert checked.number is None
    assert checked.operator is None
    assert len(checked.errors) == 1
    assert checked.errors[0].startswith(f"Unknown prefix {prefix}")
    assert "landline" not in checked.errors[0]


@pytest.mark.parametrize("typed", ["013 456 789", "080 456 789", "083 456 789", "084 456 789"])
def test_qb_is_refused_as_not_enabled(rules: RuleBook, typed: str) -> None:
    checked = check_number(typed, rules)
    assert checked.operator is not None and checked.operator.id == "qb"
    assert len(checked.errors) == 1
    assert "not enabled" in checked.errors[0]
    assert "qb" in checked.errors[0]


def test_bad_text_gives_the_parser_message(rules: RuleBook) -> None:
    checked = check_number("012-ABC-678", rules)
    assert checked.number is None and checked.operator is None
    assert checked.errors == ("'A' is not a digit: type the number with digits 0-9.",)


def test_phonenumbers_disagreement_is_not_a_refusal(rules: RuleBook) -> None:
    # phonenumbers names no carrier for 087/079/038; our table is the authority.
    for typed in ("087 345 678", "079 345 678", "038 123 4567"):
        assert check_number(typed, rules).errors == ()
