"""The modem channel against a modem stand-in on a pseudo-terminal, through real pyserial."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from counter.delivery.gsm import encode_ussd_hex, pack_septets
from counter.delivery.modem import ModemChannel
from counter.domain.delivery import Answer, ChannelError, DeliveryState, Reason, steps_after
from counter.domain.money import Money
from tests.delivery.conftest import PIN, private_file, request_for
from tests.support.modem import FakeModem, Sms, cusd

Make = Callable[..., ModemChannel]
OK_TEXT = "Transfer of $5.00 to 012345678 successful. Ref 8841234. Balance: $95.00"


def answers(*lines: bytes, delay: float = 0.05) -> Callable[[str], list[tuple[float, bytes]]]:
    return lambda code: [(delay * (i + 1), line) for i, line in enumerate(lines)]


def test_a_confirmed_ussd_answer_is_delivered_with_the_operators_reference(
    modem: FakeModem, make_channel: Make
) -> None:
    modem.on_ussd = answers(cusd(OK_TEXT))
    outcome = make_channel().send(request_for())
    assert outcome.answer is Answer.DELIVERED
    assert outcome.provider_ref == "8841234"
    assert outcome.balance == Money.usd(9500)
    assert outcome.message == "The operator confirmed $5.00 to 012 345 678, reference 8841234."
    # The modem was set up as the brief says, then got exactly one USSD code, PIN filled in.
    assert modem.commands[:3] == ["AT", "ATE0", "AT+CMGF=1"]
    assert "AT+CNMI=2,1,0,0,0" in modem.commands
    assert modem.ussd_codes() == [f'AT+CUSD=1,"*100*012345678*5*{PIN}#",15']


def test_the_pin_never_appears_in_the_evidence_or_the_message(
    modem: FakeModem, make_channel: Make
) -> None:
    modem.on_ussd = answers(cusd(f"Code *100*012345678*5*{PIN}# received. {OK_TEXT}"))
    outcome = make_channel().send(request_for())
    assert outcome.answer is Answer.DELIVERED
    assert PIN not in outcome.raw and PIN not in outcome.message and PIN not in repr(outcome)
    assert "****" in outcome.raw


def test_a_failure_answer_is_failed_and_says_so(modem: FakeModem, make_channel: Make) -> None:
    modem.on_ussd = answers(cusd("Transfer of $5.00 to 012345678 failed. Try later."))
    outcome = make_channel().send(request_for())
    assert outcome.answer is Answer.FAILED and outcome.reason is Reason.DECLINED
    assert outcome.message == "The operator refused the top-up of $5.00 to 012 345 678."
    assert steps_after(DeliveryState.PENDING, outcome) == (DeliveryState.FAILED,)


def test_balance_too_low_is_failed_with_its_own_reason(
    modem: FakeModem, make_channel: Make
) -> None:
    modem.on_ussd = answers(cusd("Sorry, insufficient dealer balance. Balance: $2.10"))
    outcome = make_channel().send(request_for())
    assert outcome.answer is Answer.FAILED and outcome.reason is Reason.BALANCE_TOO_LOW
    assert outcome.balance == Money.usd(210)
    assert "dealer balance is too low for $5.00" in outcome.message


def test_no_answer_is_unknown_and_a_late_sms_is_found_by_the_look_up(
    modem: FakeModem, make_channel: Make
) -> None:
    modem.on_ussd = answers()  # OK, then silence: no +CUSD, no SMS within the wait
    channel = make_channel()
    request = request_for()
    first = channel.send(request)
    assert first.answer is Answer.UNKNOWN and first.reason is Reason.NO_ANSWER
    assert "never sent twice" in first.message
    assert channel.look_up(request).answer is Answer.UNKNOWN  # nothing yet, nothing sent
    modem.deliver_sms(3, Sms("Smart", OK_TEXT))
    found = _until_final(channel, request)
    assert found.answer is Answer.DELIVERED and found.provider_ref == "8841234"
    assert len(modem.ussd_codes()) == 1  # the look-ups read the SMS store, never resent


def test_a_garbled_line_is_read_in_words_and_the_sms_settles_it(
    modem: FakeModem, make_channel: Make
) -> None:
    modem.on_ussd = lambda code: [
        (0.05, b"\x00\xff\xfe\x13line noise"),
        (0.1, b'+CUSD: 0,"Tr\xff\xfensf'),  # cut off: the quote never closes
    ]
    modem.deliver_sms(1, Sms("Smart", OK_TEXT), after=0.3)
    outcome = make_channel(ussd_timeout_seconds=0.3).send(request_for())
    assert outcome.answer is Answer.DELIVERED and outcome.provider_ref == "8841234"
    assert "SMS 1 from Smart" in outcome.raw


def test_a_garbled_answer_without_sms_stays_unknown(modem: FakeModem, make_channel: Make) -> None:
    modem.on_ussd = answers(b'+CUSD: 0,"\xc3\x28 broken",15')
    outcome = make_channel().send(request_for())
    assert outcome.answer is Answer.UNKNOWN and outcome.reason is Reason.GARBLED
    assert outcome.message.startswith("The operator's answer could not be read")


def test_an_sms_that_arrives_after_the_wait_is_matched_by_number_and_amount(
    modem: FakeModem, make_channel: Make
) -> None:
    modem.on_ussd = answers(cusd("Your request is being processed."))
    channel = make_channel()
    request = request_for()
    first = channel.send(request)
    assert first.answer is Answer.PENDING and first.reason is Reason.PROCESSING
    # Other SMS arrive first: another number, another amount, a stranger's fake, an old one.
    modem.store_sms(1, Sms("Smart", "Transfer of $5.00 to 012999999 successful. Ref 1111"))
    modem.store_sms(2, Sms("Smart", "Transfer of $2.00 to 012345678 successful. Ref 2222"))
    modem.store_sms(3, Sms("+85577000000", "Transfer of $5.00 to 012345678 successful. Ref FAKE"))
    modem.store_sms(
        4,
        Sms(
            "Smart",
            "Transfer of $5.00 to 012345678 successful. Ref OLD1",
            scts="25/11/24,09:00:00+28",
        ),
    )
    modem.store_sms(5, Sms("Smart", OK_TEXT))
    found = channel.look_up(request)
    assert found.answer is Answer.DELIVERED and found.provider_ref == "8841234"
    channel.settle(request)  # the ledger recorded it: the confirmation SMS is deleted
    assert "AT+CMGD=5" in modem.commands and 5 not in modem.sms
    assert sorted(modem.sms) == [1, 2, 3, 4]  # the rest is not ours to delete
    assert len(modem.ussd_codes()) == 1


def test_one_sms_confirms_one_of_two_equal_top_ups(modem: FakeModem, make_channel: Make) -> None:
    modem.on_ussd = answers(cusd("Your request is being processed."))
    channel = make_channel()
    first, second = request_for("A-000050"), request_for("A-000051")
    channel.send(first)
    channel.send(second)
    modem.store_sms(7, Sms("Smart", OK_TEXT))
    assert channel.look_up(first).answer is Answer.DELIVERED
    assert channel.look_up(second).answer is Answer.UNKNOWN  # waits for its own SMS
    modem.store_sms(8, Sms("Smart", OK_TEXT.replace("8841234", "8841299")))
    assert channel.look_up(second).provider_ref == "8841299"


def test_a_khmer_sms_in_ucs2_confirms_the_top_up(modem: FakeModem, make_channel: Make) -> None:
    modem.on_ussd = answers(cusd("Your request is being processed."))
    channel = make_channel()
    request = request_for()
    channel.send(request)
    text = "ផ្ទេរ 5.00 ដុល្លារ ទៅ 012345678 ជោគជ័យ លេខយោង 77K12"
    modem.store_sms(2, Sms("Smart", text.encode("utf-16-be").hex().upper(), dcs=8))
    found = channel.look_up(request)
    assert found.answer is Answer.DELIVERED and found.provider_ref == "77K12"
    assert text in found.raw


def test_an_answer_in_packed_gsm_hex_is_decoded(modem: FakeModem, make_channel: Make) -> None:
    packed = pack_septets(OK_TEXT.replace("$", "\x02").encode("ascii")).hex().upper()
    modem.on_ussd = answers(cusd(packed))
    outcome = make_channel(ussd_send="packed_hex").send(request_for())
    assert outcome.answer is Answer.DELIVERED and outcome.provider_ref == "8841234"
    code = f"*100*012345678*5*{PIN}#"
    assert modem.ussd_codes() == [f'AT+CUSD=1,"{encode_ussd_hex(code)}",15']


def test_cents_the_dealer_code_cannot_take_fail_before_anything_is_sent(
    modem: FakeModem, make_channel: Make
) -> None:
    outcome = make_channel().send(request_for(cents=250))
    assert outcome.answer is Answer.FAILED and outcome.reason is Reason.NO_PRODUCT
    assert "cannot send $2.50" in outcome.message
    assert modem.commands == []


def test_a_modem_that_does_not_answer_sends_nothing(modem: FakeModem, make_channel: Make) -> None:
    modem.silent = True
    outcome = make_channel(command_timeout_seconds=0.2).send(request_for())
    assert outcome.answer is Answer.NOT_SENT and outcome.reason is Reason.NO_ANSWER
    assert outcome.message == f"The modem on {modem.path} does not answer; nothing was sent."
    assert modem.ussd_codes() == []


def test_a_missing_port_is_refused_in_words(make_channel: Make, tmp_path: Path) -> None:
    with pytest.raises(ChannelError, match="cannot be opened"):
        make_channel(port=str(tmp_path / "ttyUSB9")).send(request_for())


def test_one_modem_per_port(modem: FakeModem, make_channel: Make) -> None:
    """The port is opened exclusively: a second channel on it is refused, not interleaved."""
    modem.on_ussd = answers(cusd(OK_TEXT))
    first, second = make_channel(), make_channel()
    assert first.send(request_for("A-000060")).answer is Answer.DELIVERED
    with pytest.raises(ChannelError, match="another program"):
        second.send(request_for("A-000061"))
    assert len(modem.ussd_codes()) == 1


def test_one_request_at_a_time_on_a_port(modem: FakeModem, make_channel: Make) -> None:
    modem.on_ussd = answers(cusd(OK_TEXT), delay=0.5)
    channel = make_channel(busy_timeout_seconds=0.1)
    results: list[Answer] = []
    worker = threading.Thread(
        target=lambda: results.append(channel.send(request_for("A-1")).answer)
    )
    worker.start()
    _wait_for(lambda: len(modem.ussd_codes()) == 1)
    busy = channel.send(request_for("A-2"))
    worker.join()
    assert busy.answer is Answer.NOT_SENT and busy.reason is Reason.BUSY
    assert results == [Answer.DELIVERED] and len(modem.ussd_codes()) == 1


def test_two_counters_with_a_modem_each_work_side_by_side(make_channel: Make) -> None:
    modems = [FakeModem(), FakeModem()]
    try:
        for fake in modems:
            fake.on_ussd = answers(cusd(OK_TEXT), delay=0.3)
        channels = [make_channel(port=fake.path) for fake in modems]
        results: dict[str, Answer] = {}
        threads = [
            threading.Thread(
                target=lambda c=c, r=r: results.update({r: c.send(request_for(r)).answer})
            )
            for c, r in zip(channels, ("A-000070", "B-000070"), strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results == {"A-000070": Answer.DELIVERED, "B-000070": Answer.DELIVERED}
        assert [len(fake.ussd_codes()) for fake in modems] == [1, 1]
    finally:
        for fake in modems:
            fake.close()


def test_the_dealer_balance_is_read_with_the_balance_code(
    modem: FakeModem, make_channel: Make
) -> None:
    modem.on_ussd = lambda code: (
        [(0.05, cusd("Balance: $1,234.50 valid to 31/12/2026"))] if code.startswith("*101*") else []
    )
    balance = make_channel().balance("smart")
    assert balance is not None and balance.money == Money.usd(123450)
    assert modem.ussd_codes() == [f'AT+CUSD=1,"*101*{PIN}#",15']
    assert PIN not in balance.raw


def test_the_pin_comes_from_a_private_file_only(
    modem: FakeModem, make_channel: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COUNTER_DEALER_PIN")
    modem.on_ussd = answers(cusd(OK_TEXT))
    shared = private_file(tmp_path / "pin", "9999\n", mode=0o644)
    with pytest.raises(ChannelError, match="can be read by other users"):
        make_channel(pin_file=shared).send(request_for())
    assert modem.ussd_codes() == []
    shared.chmod(0o600)
    assert make_channel(pin_file=shared).send(request_for()).answer is Answer.DELIVERED
    assert modem.ussd_codes() == ['AT+CUSD=1,"*100*012345678*5*9999#",15']


def test_a_pin_that_could_break_the_at_command_is_refused(
    modem: FakeModem, make_channel: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNTER_DEALER_PIN", '1",1\rAT+CMGD=1,4\r"')
    channel = make_channel()
    with pytest.raises(ChannelError, match="cannot hold"):
        channel.send(request_for())
    with pytest.raises(ChannelError, match="cannot hold"):
        channel.balance("smart")
    assert modem.ussd_codes() == [] and "AT+CMGD=1,4" not in modem.commands


def _until_final(channel: ModemChannel, request):  # type: ignore[no-untyped-def]
    for _ in range(20):
        outcome = channel.look_up(request)
        if outcome.is_final:
            return outcome
        _sleep(0.05)
    return outcome


def _wait_for(condition: Callable[[], bool]) -> None:
    for _ in range(100):
        if condition():
            return
        _sleep(0.02)
    raise AssertionError("the stand-in never got there")


def _sleep(seconds: float) -> None:
    import time

    time.sleep(seconds)
