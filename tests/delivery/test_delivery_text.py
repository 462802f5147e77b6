"""GSM 7-bit packing, coding schemes, AT line parsing and the dealer's answer patterns."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter.delivery.at import (
    Reply,
    fields,
    parse_cmgl_indexes,
    parse_cmgr,
    parse_cmti,
    parse_cusd,
    parse_scts,
)
from counter.delivery.dealer import (
    OperatorCodes,
    Patterns,
    build_code,
    confirms,
    in_time,
    is_trusted_sender,
    read_answer,
)
from counter.delivery.gsm import (
    Alphabet,
    decode_text,
    encode_ussd_hex,
    gsm7_decode,
    gsm7_encode,
    pack_septets,
    sms_alphabet,
    unpack_septets,
    ussd_alphabet,
)
from counter.domain.delivery import ChannelError
from counter.domain.money import Money
from tests.delivery.conftest import SMART_CODES, request_for


def test_packing_matches_the_3gpp_example() -> None:
    # TS 23.038 / the classic example: "hellohello" packs to E8329BFD4697D9EC37.
    assert pack_septets(gsm7_encode("hellohello")).hex().upper() == "E8329BFD4697D9EC37"
    assert gsm7_decode(unpack_septets(bytes.fromhex("E8329BFD4697D9EC37"))) == "hellohello"


def test_a_ussd_code_as_packed_hex() -> None:
    assert encode_ussd_hex("*100#") == "AA180C3602"  # what Huawei modems expect for *100#


@given(st.binary(max_size=200).map(lambda b: bytes(x & 0x7F for x in b)))
def test_pack_then_unpack_gives_the_septets_back(septets: bytes) -> None:
    unpacked = unpack_septets(pack_septets(septets))
    if len(septets) % 8 == 7 or (len(septets) % 8 == 0 and septets and septets[-1] in (0x0D, 0)):
        assert unpacked.rstrip(b"\r\x00") == septets.rstrip(b"\r\x00")  # CR padding, §6.1.2.3.1
    else:
        assert unpacked == septets


def test_the_extension_table_and_unknown_codes() -> None:
    assert gsm7_decode(bytes([0x1B, 0x65, 0x02])) == "€$"
    with pytest.raises(ValueError, match="not in the GSM 7-bit alphabet"):
        gsm7_encode("ស")


@pytest.mark.parametrize(
    ("dcs", "ussd", "sms"),
    [
        (0x0F, Alphabet.GSM7, Alphabet.GSM7),  # for an SMS, bits 3-2 = 11 is reserved
        (0x00, Alphabet.GSM7, Alphabet.GSM7),
        (0x08, Alphabet.GSM7, Alphabet.UCS2),
        (0x11, Alphabet.UCS2, Alphabet.GSM7),
        (0x44, Alphabet.EIGHT_BIT, Alphabet.EIGHT_BIT),
        (0x48, Alphabet.UCS2, Alphabet.UCS2),
        (0xF4, Alphabet.EIGHT_BIT, Alphabet.EIGHT_BIT),
        (None, Alphabet.GSM7, Alphabet.GSM7),
    ],
)
def test_data_coding_schemes(dcs: int | None, ussd: Alphabet, sms: Alphabet) -> None:
    assert ussd_alphabet(dcs) is ussd
    assert sms_alphabet(dcs) is sms


def test_answers_decode_from_whatever_form_the_modem_chose() -> None:
    khmer = "សមតុល្យ $5.00"
    assert decode_text(khmer.encode("utf-16-be").hex(), Alphabet.UCS2) == khmer
    assert decode_text("Balance $5.00", Alphabet.GSM7) == "Balance $5.00"
    packed = pack_septets(gsm7_encode("Balance 5")).hex()
    assert decode_text(packed, Alphabet.GSM7) == "Balance 5"
    assert (
        decode_text(gsm7_encode("Balance 5").hex(), Alphabet.GSM7, hex_septets="unpacked")
        == "Balance 5"
    )


@given(st.text(max_size=80))
def test_reading_any_line_either_parses_or_says_value_error(line: str) -> None:
    with contextlib.suppress(ValueError):
        parse_cusd("+CUSD: " + line)
    assert parse_cmti("+CMTI: " + line) is None or line.strip().startswith('"')
    fields(line)


def test_at_lines() -> None:
    assert parse_cusd('+CUSD: 0,"Hi, there",15').text == "Hi, there"
    assert parse_cusd("+CUSD: 4").status == 4
    assert parse_cusd('+CUSD: 2,"two\nlines",72').dcs == 72
    with pytest.raises(ValueError):
        parse_cusd('+CUSD: 0,"never closed')
    assert parse_cmti('+CMTI: "SM",12') == ("SM", 12)
    assert fields('"REC READ","+85510000000",,"26/11/25,14:03:12+28",145') == [
        "REC READ",
        "+85510000000",
        "",
        "26/11/25,14:03:12+28",
        "145",
    ]
    assert parse_scts("26/11/25,14:03:12+28") == datetime(2026, 11, 25, 7, 3, 12, tzinfo=UTC)
    assert parse_scts("26/11/25,00:30:00-16") == datetime(2026, 11, 25, 4, 30, tzinfo=UTC)
    assert parse_scts("garbage") is None and parse_scts("26/13/45,99:00:00+00") is None
    head = '+CMGR: "REC UNREAD","Smart",,"26/11/25,14:03:12+28",145,4,0,8,"+85512000000",145,12'
    sms = parse_cmgr(3, Reply(True, (head, "00480069"), "OK"))
    assert sms is not None and (sms.sender, sms.dcs, sms.body) == ("Smart", 8, "00480069")
    assert parse_cmgr(3, Reply(False, (), "+CMS ERROR: 321")) is None
    listed = Reply(
        True, ('+CMGL: 1,"REC READ","Smart",,"26/11/25,14:03:12+28"', "text", "+CMGL: 4,x"), "OK"
    )
    assert parse_cmgl_indexes(listed) == [1, 4]


@pytest.mark.parametrize(
    ("number_format", "amount_format", "cents", "code"),
    [
        ("national", "dollars", 500, "*100*012345678*5*4321#"),
        ("national", "cents", 250, "*100*012345678*250*4321#"),
        ("nsn", "dollars", 500, "*100*12345678*5*4321#"),
        ("international", "cents", 500, "*100*85512345678*500*4321#"),
        ("e164", "dollars", 1000, "*100*+85512345678*10*4321#"),
    ],
)
def test_the_ussd_code_from_the_template(
    number_format: str, amount_format: str, cents: int, code: str
) -> None:
    codes = OperatorCodes(SMART_CODES.ussd_template, number_format, amount_format)
    assert build_code(codes, request_for(cents=cents), "4321") == code


def test_a_template_with_a_pin_needs_one() -> None:
    with pytest.raises(ChannelError, match="needs the dealer PIN"):
        build_code(SMART_CODES, request_for(), None)


def test_cents_cannot_go_into_a_whole_dollar_code() -> None:
    with pytest.raises(ChannelError, match="whole dollars"):
        build_code(SMART_CODES, request_for(cents=250), "4321")


def test_answer_patterns() -> None:
    patterns = Patterns.of(SMART_CODES)
    done = read_answer(
        "Transfer of $5.00 to 012345678 successful. Ref 88. Balance: $9.50", patterns
    )
    assert done is not None and done.ref == "88" and done.balance == Money.usd(950)
    assert confirms(done, request_for()) and not confirms(done, request_for(cents=400))
    assert not confirms(done, request_for(msisdn="+85512345679"))
    low = read_answer("Transfer refused: insufficient balance", patterns)
    assert low is not None and low.kind == "low_balance"
    assert read_answer("Welcome to Smart!", patterns) is None
    assert is_trusted_sender("smart", patterns) and not is_trusted_sender("+85577000000", patterns)
    assert not is_trusted_sender("Smart", Patterns.of(OperatorCodes("*1*{number}*{amount}#")))
    assert in_time(None, request_for()) and not in_time(
        datetime(2026, 11, 24, tzinfo=UTC), request_for()
    )
    with pytest.raises(ChannelError, match="pattern cannot be used"):
        Patterns.of(OperatorCodes("*1*{number}*{amount}#", success=("(unclosed",)))
