"""What the customer may see, and where the display listens: the pure records.

The display must show the sale in progress and nothing else, grouped as the sale screen
groups numbers, and must listen only where the owner says, refusing anything else in words.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter.domain.display import (
    DisplayAddress,
    DisplayState,
    KhqrShown,
    OperatorShown,
    Stage,
    parse_display_address,
    shown_text,
)
from counter.domain.errors import DisplayError
from counter.domain.money import Money
from counter.domain.phone import group_national
from counter.i18n import use_language
from counter.rules import load_rules

NOW = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)
SHOP = "Sok Dara Phone Shop"


@pytest.fixture(scope="module")
def smart():  # type: ignore[no-untyped-def]
    return load_rules()["smart"]


# -- the states ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("", ""),
        ("0", "0"),
        ("012", "012"),
        ("0123", "012 3"),
        ("012345", "012 345"),
        ("0123456", "012 345 6"),
        ("012345678", "012 345 678"),
        ("0971234567", "097 123 4567"),
    ],
)
def test_the_number_is_grouped_as_the_sale_screen_groups_it(typed: str, shown: str) -> None:
    state = DisplayState.typing(SHOP, national=typed)
    assert state.number == shown
    assert state.stage is Stage.TYPING


@given(st.text(alphabet="0123456789", max_size=15))
def test_any_digits_typed_so_far_show_as_the_screen_shows_them(digits: str) -> None:
    assert DisplayState.typing(SHOP, national=digits).number == group_national(digits)


def test_typing_carries_operator_amount_and_validity(smart) -> None:  # type: ignore[no-untyped-def]
    state = DisplayState.typing(
        SHOP, national="010234567", operator=smart, amount=Money.usd(500), validity_days=30
    )
    assert state.operator == OperatorShown("Smart", "#5BB946")
    assert state.amount == Money.usd(500)
    assert state.validity_days == 30


def test_a_state_carries_no_more_than_the_customer_may_see() -> None:
    fields = set(DisplayState.__dataclass_fields__)
    assert fields == {
        "shop_name",
        "stage",
        "number",
        "operator",
        "amount",
        "validity_days",
        "khqr",
        "receipt_no",
    }
    assert set(KhqrShown.__dataclass_fields__) == {"payload", "amount", "expires_at"}


def test_the_customers_number_stays_out_of_logs_of_a_state() -> None:
    state = DisplayState.typing(SHOP, national="012345678")
    assert "345" not in repr(state)


def test_after_the_sale_only_the_receipt_number_is_shown() -> None:
    state = DisplayState.thanks(SHOP, "A-000042")
    assert (state.stage, state.receipt_no, state.number, state.amount) == (
        Stage.THANKS,
        "A-000042",
        "",
        None,
    )
    with pytest.raises(ValueError, match="receipt number only"):
        DisplayState(SHOP, Stage.THANKS, number="012 345 678", receipt_no="A-000042")


def test_idle_is_the_shop_name_and_nothing_else() -> None:
    assert DisplayState.thanks(SHOP, "A-000042").cleared() == DisplayState(SHOP)
    with pytest.raises(ValueError, match="shop's name only"):
        DisplayState(SHOP, Stage.IDLE, validity_days=0)
    with pytest.raises(ValueError, match="shop's name only"):
        DisplayState(SHOP, Stage.IDLE, receipt_no="A-000042")


def test_khqr_keeps_the_sale_and_adds_the_code(smart) -> None:  # type: ignore[no-untyped-def]
    typing = DisplayState.typing(SHOP, national="010234567", operator=smart, amount=Money.usd(500))
    paying = typing.paying_by_khqr("00020101021229", Money.khr(20_000), NOW + timedelta(minutes=5))
    assert paying.stage is Stage.KHQR
    assert (paying.number, paying.operator, paying.amount) == (
        typing.number,
        typing.operator,
        typing.amount,
    )
    assert paying.khqr == KhqrShown("00020101021229", Money.khr(20_000), NOW + timedelta(minutes=5))
    with pytest.raises(ValueError, match="sale being typed"):
        DisplayState.idle(SHOP).paying_by_khqr("000201", Money.usd(500), NOW)


@pytest.mark.parametrize(
    ("later", "left"),
    [(timedelta(0), 300), (timedelta(seconds=0.2), 300), (timedelta(seconds=299.5), 1)],
)
def test_the_code_counts_down_in_whole_seconds(later: timedelta, left: int) -> None:
    khqr = KhqrShown("000201", Money.usd(500), NOW + timedelta(minutes=5))
    assert khqr.seconds_left(NOW + later) == left
    assert khqr.seconds_left(NOW + timedelta(hours=1)) == 0


@pytest.mark.parametrize(
    ("build", "complaint"),
    [
        (lambda: OperatorShown("Smart", "green; background:url(x)"), "#RRGGBB"),
        (lambda: DisplayState(SHOP, Stage.TYPING, number="012345678"), "grouped"),
        (lambda: DisplayState(SHOP, Stage.TYPING, number="012 34x"), "grouped"),
        (lambda: DisplayState.typing(SHOP, national="+85512"), "digits only"),
        (lambda: DisplayState.typing(SHOP, amount=Money.usd(0)), "more than zero"),
        (lambda: DisplayState.typing(SHOP, validity_days=-1), "0 to"),
        (lambda: DisplayState.thanks(SHOP, "A-42"), "like A-000042"),
        (lambda: DisplayState.thanks(SHOP, "<b>A-000042</b>"), "like A-000042"),
        (lambda: KhqrShown("", Money.usd(500), NOW), "1 to 512"),
        (lambda: KhqrShown("0002\n01", Money.usd(500), NOW), "no control"),
        (lambda: KhqrShown("0002\u202e01", Money.usd(500), NOW), "no control"),
        (lambda: KhqrShown("000201", Money.usd(500), datetime(2026, 11, 25, 7)), "UTC"),
        (
            lambda: KhqrShown(
                "000201",
                Money.usd(500),
                datetime(2026, 11, 25, 14, tzinfo=timezone(timedelta(hours=7))),
            ),
            "UTC",
        ),
    ],
)
def test_a_state_that_cannot_be_shown_as_it_says_is_refused(build, complaint: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=complaint):
        build()


def test_names_are_shown_without_controls_or_direction_overrides() -> None:
    state = DisplayState.idle("Sok\u202e Dara\n\tPhone\x00Shop\u2066")
    assert state.shop_name == "Sok Dara Phone Shop"
    assert OperatorShown("Sm\u200fart", "#5BB946").name == "Smart"


def test_khmer_and_chinese_names_keep_their_letters() -> None:
    # U+200B (zero-width space) separates Khmer words: it is kept.
    name = "ហាង\u200bទូរស័ព្ទ 手机店"
    assert shown_text(name) == name


@given(st.text(max_size=200))
def test_no_shown_name_carries_a_control_or_override(text: str) -> None:
    shown = shown_text(text)
    assert len(shown) <= 60
    assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in shown)
    assert not set(shown) & set(
        "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
    )
    assert shown == shown.strip()


# -- the address --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("127.0.0.1:8765", DisplayAddress("127.0.0.1", 8765)),
        ("  192.168.1.20:8765 ", DisplayAddress("192.168.1.20", 8765)),
        ("10.0.0.5:80", DisplayAddress("10.0.0.5", 80)),
        ("localhost:8765", DisplayAddress("127.0.0.1", 8765)),
        ("[::1]:8765", DisplayAddress("::1", 8765)),
        ("[fd00::20]:9000", DisplayAddress("fd00::20", 9000)),
    ],
)
def test_the_owners_address_is_taken_as_written(text: str, address: DisplayAddress) -> None:
    assert parse_display_address(text) == address


def test_an_address_reads_back_as_it_is_typed_into_a_browser() -> None:
    assert str(DisplayAddress("::1", 8765)) == "[::1]:8765"
    assert DisplayAddress("192.168.1.20", 8765).url == "http://192.168.1.20:8765/"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "needs an address and a port, for example 127.0.0.1:8765."),
        ("127.0.0.1", "has no port: write the address and the port"),
        (":8765", "has no port"),
        ("127.0.0.1:http", "is not a port: use a number from 1 to 65535"),
        ("127.0.0.1:0", "is not a port"),
        ("127.0.0.1:65536", "is not a port"),
        ("127.0.0.1:８７６５", "is not a port"),
        ("counter.local:8765", "is not an IP address: write this machine's address"),
        ("::1:8765", "write an IPv6 address in brackets"),
        ("0.0.0.0:8765", "would listen on every network this machine is on"),
        ("[::]:8765", "would listen on every network"),
        ("224.0.0.1:8765", "is not an address this machine can listen on."),
        ("255.255.255.255:8765", "is not an address this machine can listen on."),
        ("8.8.8.8:8765", "is a public internet address"),
    ],
)
def test_a_bad_address_is_refused_in_words(text: str, words: str) -> None:
    with pytest.raises(DisplayError) as refused:
        parse_display_address(text)
    assert words in refused.value.message
    assert refused.value.message.endswith(".")


def test_port_zero_only_when_asked_for() -> None:
    assert parse_display_address("127.0.0.1:0", any_port=True).port == 0


def test_a_refusal_speaks_chinese_for_a_chinese_shop() -> None:
    with use_language("zh"), pytest.raises(DisplayError) as refused:
        parse_display_address("0.0.0.0:8765")
    assert "0.0.0.0" in refused.value.message
    assert "every network" not in refused.value.message


@given(st.text(max_size=40))
def test_any_text_is_an_address_or_a_sentence(text: str) -> None:
    try:
        address = parse_display_address(text)
    except DisplayError as refused:
        assert refused.message.endswith(".")
    else:
        assert parse_display_address(str(address)) == address
        assert 1 <= address.port <= 65535


# -- the setting --------------------------------------------------------------------------


def test_the_display_is_off_unless_the_owner_gives_an_address(counter_home, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from counter.config import load_settings

    assert load_settings().customer_display is None
    assert load_settings(customer_display="off").customer_display is None
    monkeypatch.setenv("COUNTER_CUSTOMER_DISPLAY", "localhost:8765")
    assert load_settings().customer_display == "127.0.0.1:8765"


def test_the_setting_refuses_a_bad_address_naming_the_field(counter_home) -> None:  # type: ignore[no-untyped-def]
    from counter.config import SettingsError, load_settings

    (counter_home / "counter.toml").write_text('customer_display = "0.0.0.0:8765"\n')
    with pytest.raises(SettingsError) as refused:
        load_settings()
    assert "customer_display (COUNTER_CUSTOMER_DISPLAY): 0.0.0.0 would listen on every" in str(
        refused.value
    )
