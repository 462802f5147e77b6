"""The KHQR builder: the NBC SDK's payloads byte for byte, every tag read back by the
independent decoder, and inputs refused in words."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter.domain.money import Currency, Money
from counter.payments.emv import crc16, field, with_crc
from counter.payments.errors import KhqrError
from counter.payments.khqr import Merchant, build_khqr, khqr_amount, md5_of
from tests.payments.tlv import Invalid, crc16_ccitt_false, decode_khqr
from tests.payments.vectors import INVALID, OLDER, PUBLISHED, SDK_RUNS

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
FIVE = Money.usd(500)
SHOP = Merchant(account_id="lucky_phone@aclb", name="Lucky Phone", city="Phnom Penh")


def at_ms(ms: int) -> datetime:
    return EPOCH + timedelta(milliseconds=ms)


def build(vector: dict[str, Any]):  # type: ignore[no-untyped-def]
    return build_khqr(
        Merchant(**vector["merchant"]),
        Money(vector["minor"], Currency(vector["currency"])),
        created_at=at_ms(vector["created_ms"]),
        expires_at=at_ms(vector["expires_ms"]),
        bill_number=vector["bill_number"],
        purpose=vector["purpose"],
    )


def code(amount: Money = FIVE, merchant: Merchant = SHOP, **kw: Any):  # type: ignore[no-untyped-def]
    kw.setdefault("created_at", NOW)
    kw.setdefault("expires_at", NOW + timedelta(minutes=10))
    return build_khqr(merchant, amount, **kw)


# --- the specification's examples -------------------------------------------------------


@pytest.mark.parametrize("vector", PUBLISHED + SDK_RUNS, ids=lambda v: v["name"])
def test_the_nbc_sdks_payloads_are_reproduced_byte_for_byte(vector: dict[str, Any]) -> None:
    made = build(vector)
    assert made.payload == vector["payload"]
    assert made.md5 == hashlib.md5(vector["payload"].encode()).hexdigest()
    if "md5" in vector:  # the SDK's own MD5
        assert made.md5 == vector["md5"]


@pytest.mark.parametrize("payload", [v["payload"] for v in PUBLISHED + SDK_RUNS] + OLDER)
def test_the_decoder_reads_every_published_payload(payload: str) -> None:
    decoded = decode_khqr(payload)
    assert decoded.values["58"] == "KH"


@pytest.mark.parametrize(("payload", "why"), INVALID, ids=[why for _, why in INVALID])
def test_the_decoder_refuses_what_the_sdk_calls_invalid(payload: str, why: str) -> None:
    with pytest.raises(Invalid):
        decode_khqr(payload)


def test_the_decoder_notices_a_changed_character() -> None:
    payload = PUBLISHED[0]["payload"].replace("Vandoeurn", "Vandoeurm")
    with pytest.raises(Invalid, match="CRC"):
        decode_khqr(payload)


def test_crc_is_ccitt_false_over_the_payload_including_6304() -> None:
    assert crc16(b"123456789") == 0x29B1 == crc16_ccitt_false(b"123456789")
    payload = with_crc("000201")
    assert payload.startswith("0002016304")
    assert int(payload[-4:], 16) == crc16_ccitt_false(b"0002016304")
    assert payload[-4:] == payload[-4:].upper()


# --- what a counter's code carries --------------------------------------------------------


def test_a_counter_code_carries_every_field_it_was_given() -> None:
    shop = Merchant(
        account_id="lucky_phone@aclb",
        name="Lucky Phone",
        city="Phnom Penh",
        store_label="Riverside",
        terminal_label="A",
        mobile_number="85512345678",
        mcc="4814",
    )
    made = code(Money.usd(250), shop, bill_number="A-000042")
    k = decode_khqr(made.payload, strict=True)
    assert k.tags == ["00", "01", "29", "52", "53", "54", "58", "59", "60", "62", "99", "63"]
    assert k.values["01"] == "12"
    assert k.account == {"00": "lucky_phone@aclb"}
    assert (k.values["52"], k.values["53"], k.values["54"]) == ("4814", "840", "2.50")
    assert (k.values["59"], k.values["60"]) == ("Lucky Phone", "Phnom Penh")
    assert k.additional == {"01": "A-000042", "02": "85512345678", "03": "Riverside", "07": "A"}
    created, expires = (int(k.sub["99"][t]) for t in ("00", "01"))
    assert at_ms(created) == NOW
    assert at_ms(expires) == NOW + timedelta(minutes=10)
    assert made.md5 == md5_of(made.payload)
    assert (made.amount, made.bill_number, made.expires_at) == (
        Money.usd(250),
        "A-000042",
        NOW + timedelta(minutes=10),
    )


def test_a_merchant_account_goes_in_tag_30_with_id_and_bank() -> None:
    shop = Merchant("shop@abaa", "Dara Shop", "Kampot", merchant_id="0123", acquiring_bank="ABA")
    k = decode_khqr(code(Money.khr(20000), shop).payload, strict=True)
    assert "29" not in k.values
    assert k.sub["30"] == {"00": "shop@abaa", "01": "0123", "02": "ABA"}
    assert (k.values["53"], k.values["54"]) == ("116", "20000")


def test_no_empty_template_is_written() -> None:
    k = decode_khqr(code().payload, strict=True)
    assert "62" not in k.values and "64" not in k.values


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Money.usd(500), "5"),
        (Money.usd(550), "5.50"),
        (Money.usd(1), "0.01"),
        (Money.usd(123456), "1234.56"),
        (Money.khr(100), "100"),
        (Money.khr(20000), "20000"),
    ],
)
def test_amounts_are_written_as_the_nbc_sdk_writes_them(amount: Money, text: str) -> None:
    assert khqr_amount(amount) == text
    assert decode_khqr(code(amount).payload, strict=True).values["54"] == text


@given(
    minor=st.integers(min_value=1, max_value=10**11),
    currency=st.sampled_from(Currency),
    name=st.text(
        st.characters(codec="ascii", categories=["L", "N", "P", "Zs"]), min_size=1, max_size=25
    ),
    bill=st.none() | st.from_regex(r"[A-Z]-[0-9]{6,12}", fullmatch=True),
    minutes=st.integers(min_value=1, max_value=1440),
)
@settings(max_examples=200, deadline=None)
def test_any_valid_input_decodes_to_what_went_in(
    minor: int, currency: Currency, name: str, bill: str | None, minutes: int
) -> None:
    if not name.strip():
        name = "Shop"
    amount = Money(minor, currency)
    made = code(
        amount,
        Merchant("a@b", name, "Phnom Penh"),
        bill_number=bill,
        expires_at=NOW + timedelta(minutes=minutes),
    )
    k = decode_khqr(made.payload, strict=True)
    assert k.values["59"] == name.strip()
    assert k.values["54"] == khqr_amount(amount)
    assert k.additional.get("01") == bill
    assert int(k.sub["99"]["01"]) - int(k.sub["99"]["00"]) == minutes * 60_000


# --- refusals, in words -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("merchant", "field_name", "words"),
    [
        (Merchant("", "Shop", "PP"), "account_id", "Bakong account id is empty"),
        (Merchant("lucky_phone", "Shop", "PP"), "account_id", "looks like name@bank"),
        (Merchant("a@b@c", "Shop", "PP"), "account_id", "looks like name@bank"),
        (Merchant("x" * 31 + "@b", "Shop", "PP"), "account_id", "33 characters long"),
        (Merchant("a@b", " ", "PP"), "merchant_name", "merchant name is empty"),
        (Merchant("a@b", "L" * 26, "PP"), "merchant_name", "26 characters long; KHQR allows 25"),
        (Merchant("a@b", "Shop", "Preah Sihanoukville"), "merchant_city", "allows 15"),
        (Merchant("a@b", "Shop\u202eevil", "PP"), "merchant_name", "U+202E"),
        (Merchant("a@b", "Shop\x07", "PP"), "merchant_name", "control or text-direction"),
        (Merchant("a@b", "Shop", "PP\u200b"), "merchant_city", "U+200B"),
        (
            Merchant("a@b", "Shop 😀", "PP"),
            "merchant_name",
            "(U+1F600), which a KHQR code cannot carry",
        ),
        (Merchant("a@b", "Shop", "PP", mcc="59a9"), "mcc", "must be 4 digits"),
        (Merchant("a@b", "Shop", "PP", mobile_number="+855 12"), "mobile_number", "digits only"),
        (Merchant("a@b", "Shop", "PP", merchant_id="7"), "acquiring_bank", "acquiring bank"),
        (Merchant("a@b", "Shop", "PP", store_label="S" * 26), "store_label", "allows 25"),
    ],
)
def test_a_bad_merchant_value_is_refused_naming_the_field(
    merchant: Merchant, field_name: str, words: str
) -> None:
    with pytest.raises(KhqrError, match=re.escape(words)) as caught:
        code(merchant=merchant)
    assert caught.value.field == field_name


@pytest.mark.parametrize("amount", [Money.usd(0), Money.khr(0), Money.usd(-500)])
def test_an_amount_must_be_more_than_zero(amount: Money) -> None:
    with pytest.raises(KhqrError, match="more than zero") as caught:
        code(amount)
    assert caught.value.field == "amount"


def test_an_amount_too_long_for_tag_54_is_refused() -> None:
    with pytest.raises(KhqrError, match="too large"):
        code(Money.khr(10**13))


def test_a_bill_number_longer_than_25_is_refused() -> None:
    with pytest.raises(KhqrError, match="bill number") as caught:
        code(bill_number="A-" + "0" * 24)
    assert caught.value.field == "bill_number"


def test_an_expiry_before_the_creation_is_refused() -> None:
    with pytest.raises(KhqrError, match="expire"):
        code(expires_at=NOW)


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 12, 1, 9, 30),
        datetime(2026, 12, 1, 16, 30, tzinfo=timezone(timedelta(hours=7))),
    ],
)
def test_times_must_be_utc(moment: datetime) -> None:
    with pytest.raises(ValueError, match="UTC"):
        code(created_at=moment)


def test_field_refuses_an_impossible_length() -> None:
    with pytest.raises(ValueError):
        field("62", "x" * 100)
    with pytest.raises(ValueError):
        field("6", "x")
