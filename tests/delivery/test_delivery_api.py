"""The `api` channel (DT One) against a stand-in serving DT One's documented answers."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from counter.delivery.dtone import DtOneChannel
from counter.delivery.polling import Schedule, deliver, follow
from counter.domain.delivery import (
    Answer,
    CallbackRefused,
    ChannelError,
    DeliveryState,
    Reason,
    steps_after,
)
from counter.domain.money import Money
from tests.delivery.conftest import NOW, private_file, request_for
from tests.support.dtone import KEY, SECRET, FakeDtOne

Make = Callable[..., DtOneChannel]
OK = "+85512345100"  # the sandbox's suffix 100: completed


class Pauses:
    """A sleep that only writes down how long it was asked to wait."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


def _follow_to_the_end(channel: DtOneChannel, request, first=None, pauses=None):  # type: ignore[no-untyped-def]
    sleep = pauses or Pauses()
    if first is None:
        return deliver(channel, request, Schedule(), sleep=sleep, clock=lambda: NOW)
    return follow(channel, request, first, Schedule(), sends=1, sleep=sleep, clock=lambda: NOW)


def test_a_top_up_goes_once_with_our_reference_and_is_followed_to_completed(
    dtone: FakeDtOne, make_api: Make
) -> None:
    pauses = Pauses()
    followed = _follow_to_the_end(make_api(), request_for(msisdn=OK), pauses=pauses)
    assert followed.outcome.answer is Answer.DELIVERED and not followed.overdue
    tx = dtone.transactions["A-000042"]
    assert followed.outcome.provider_ref == f"SMT{tx.id}"
    assert (
        followed.outcome.message
        == f"The aggregator delivered $5.00 to 012 345 100, reference SMT{tx.id}."
    )
    assert dtone.posts() == [
        {
            "external_id": "A-000042",
            "product_id": 105,  # the fixed $5.00 product, found on the second page
            "auto_confirm": True,
            "credit_party_identifier": {"mobile_number": OK},
        }
    ]
    assert pauses.seconds == [2, 5]  # CONFIRMED -> SUBMITTED -> COMPLETED, polled with back-off
    paths = [p for _, p, _ in dtone.requests]
    assert paths.count("/v1/lookup/mobile-number") == 1
    assert "/v1/transactions?external_id=A-000042" in paths


def test_a_ranged_amount_is_sent_as_its_exact_decimal(dtone: FakeDtOne, make_api: Make) -> None:
    outcome = make_api().send(request_for(msisdn=OK, cents=350))
    assert outcome.answer is Answer.PENDING and outcome.reason is Reason.PROCESSING
    body = next(b for m, p, b in dtone.requests if p == "/v1/async/transactions")
    assert '"amount":3.50' in body  # written from Decimal, never through a float
    sent = json.loads(body, parse_float=Decimal)
    assert sent["product_id"] == 200 and sent["calculation_mode"] == "DESTINATION_AMOUNT"
    assert sent["destination"] == {
        "unit_type": "CURRENCY",
        "unit": "USD",
        "amount": Decimal("3.50"),
    }


@pytest.mark.parametrize(
    ("msisdn", "reason", "words"),
    [
        ("+85512345102", Reason.INVALID_NUMBER, "The operator refused the number 012 345 102"),
        ("+85512345104", Reason.OPERATOR_UNAVAILABLE, "not taking top-ups right now"),
        ("+85512345105", Reason.DUPLICATE_AT_OPERATOR, "repeat of a recent top-up"),
        ("+85512345106", Reason.DECLINED, "declined the top-up of $5.00"),
    ],
)
def test_declined_transactions_are_failed_with_the_reason_in_words(
    dtone: FakeDtOne, make_api: Make, msisdn: str, reason: Reason, words: str
) -> None:
    followed = _follow_to_the_end(make_api(), request_for(msisdn=msisdn))
    assert followed.outcome.answer is Answer.FAILED and followed.outcome.reason is reason
    assert words in followed.outcome.message and "nothing was charged" in followed.outcome.message
    assert len(dtone.posts()) == 1


def test_a_timeout_after_the_provider_accepted_is_looked_up_not_resent(
    dtone: FakeDtOne, make_api: Make
) -> None:
    dtone.faults = ["timeout_after_accept"]
    channel = make_api(request_timeout_seconds=0.3)
    request = request_for(msisdn=OK)
    first = channel.send(request)
    assert first.answer is Answer.UNKNOWN and first.reason is Reason.NO_ANSWER
    assert "never sent twice" in first.message
    followed = _follow_to_the_end(channel, request, first)
    assert followed.outcome.answer is Answer.DELIVERED and followed.sends == 1
    assert [p["external_id"] for p in dtone.posts()] == ["A-000042"]


def test_a_500_after_accepting_is_looked_up_not_resent(dtone: FakeDtOne, make_api: Make) -> None:
    dtone.faults = ["500_after_accept"]
    followed = _follow_to_the_end(make_api(), request_for(msisdn=OK))
    assert followed.outcome.answer is Answer.DELIVERED
    assert len(dtone.posts()) == 1 and len(dtone.transactions) == 1


def test_a_503_that_made_nothing_goes_again_under_the_same_reference(
    dtone: FakeDtOne, make_api: Make
) -> None:
    dtone.faults = ["503_before"]
    followed = _follow_to_the_end(make_api(), request_for(msisdn=OK))
    assert followed.outcome.answer is Answer.DELIVERED and followed.sends == 2
    # The look-up proved it never arrived (404); the one resend kept our reference.
    assert [p["external_id"] for p in dtone.posts()] == ["A-000042", "A-000042"]
    assert list(dtone.transactions) == ["A-000042"]


def test_a_duplicate_reference_is_looked_up(dtone: FakeDtOne, make_api: Make) -> None:
    earlier = dtone.add("A-000042", OK, status="COMPLETED")
    outcome = make_api().send(request_for(msisdn=OK))
    assert outcome.answer is Answer.DELIVERED and outcome.provider_ref == f"SMT{earlier.id}"
    assert len(dtone.posts()) == 1 and len(dtone.transactions) == 1


def test_our_reference_on_another_number_goes_to_a_person(dtone: FakeDtOne, make_api: Make) -> None:
    dtone.add("A-000042", "+85599999100")
    outcome = make_api().send(request_for(msisdn=OK))
    assert outcome.answer is Answer.UNKNOWN and outcome.reason is Reason.REFERENCE_CLASH
    assert "a person must check it" in outcome.message


def test_a_reversal_after_completion_gives_the_money_back(dtone: FakeDtOne, make_api: Make) -> None:
    dtone.reverse.add("A-000042")
    channel = make_api()
    request = request_for(msisdn=OK)
    delivered = _follow_to_the_end(channel, request).outcome
    assert delivered.answer is Answer.DELIVERED
    reversed_ = channel.look_up(request)
    assert reversed_.answer is Answer.REVERSED and "goes back to the customer" in reversed_.message
    assert steps_after(DeliveryState.DELIVERED, reversed_) == (DeliveryState.REVERSED,)
    assert steps_after(DeliveryState.PENDING, reversed_) == (
        DeliveryState.DELIVERED,
        DeliveryState.REVERSED,
    )
    assert len(dtone.posts()) == 1


def test_too_many_requests_waits_as_told_and_keeps_the_reference(
    dtone: FakeDtOne, make_api: Make
) -> None:
    dtone.faults = ["429"]
    pauses = Pauses()
    channel = make_api()
    request = request_for(msisdn=OK)
    first = channel.send(request)
    assert first.answer is Answer.NOT_SENT and first.retry_after == timedelta(seconds=7)
    followed = _follow_to_the_end(channel, request, first, pauses)
    assert followed.outcome.answer is Answer.DELIVERED
    assert pauses.seconds[0] == 7
    assert [p["external_id"] for p in dtone.posts()] == ["A-000042", "A-000042"]


def test_insufficient_account_balance_is_failed(dtone: FakeDtOne, make_api: Make) -> None:
    dtone.balance_usd = Decimal("0.40")
    outcome = make_api().send(request_for(msisdn=OK))
    assert outcome.answer is Answer.FAILED and outcome.reason is Reason.BALANCE_TOO_LOW
    assert dtone.transactions == {}


def test_no_product_for_the_amount_sends_nothing(dtone: FakeDtOne, make_api: Make) -> None:
    outcome = make_api().send(request_for(msisdn=OK, cents=100_000))
    assert outcome.answer is Answer.FAILED and outcome.reason is Reason.NO_PRODUCT
    assert dtone.posts() == []


def test_wrong_credentials_send_nothing(
    dtone: FakeDtOne, make_api: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNTER_DTONE_SECRET", "wrong")
    outcome = make_api().send(request_for(msisdn=OK))
    assert outcome.answer is Answer.NOT_SENT and outcome.reason is Reason.CREDENTIALS
    assert dtone.transactions == {} and "wrong" not in outcome.raw


def test_credentials_from_a_private_file(
    dtone: FakeDtOne, make_api: Make, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("COUNTER_DTONE_KEY")
    monkeypatch.delenv("COUNTER_DTONE_SECRET")
    loose = private_file(tmp_path / "dtone", f"{KEY}\n{SECRET}\n", mode=0o640)
    with pytest.raises(ChannelError, match="can be read by other users"):
        make_api(credentials_file=loose).send(request_for(msisdn=OK))
    loose.chmod(0o600)
    assert make_api(credentials_file=loose).send(request_for(msisdn=OK)).answer is Answer.PENDING


def test_an_unreachable_aggregator_sends_nothing(make_api: Make) -> None:
    channel = make_api(base_url="http://127.0.0.1:9/v1")  # discard port: nothing listens
    outcome = channel.send(request_for(msisdn=OK))
    assert outcome.answer is Answer.NOT_SENT and outcome.reason is Reason.NETWORK


def test_the_account_balance(dtone: FakeDtOne, make_api: Make) -> None:
    balance = make_api().balance()
    assert balance is not None and balance.money == Money.usd(100050)


def test_a_callback_is_only_a_hint_read_back_from_the_api(
    dtone: FakeDtOne, make_api: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNTER_DTONE_CALLBACK_TOKEN", "s3cret-token")
    channel = make_api(
        callback_url="https://shop.example/dtone", callback_token_env="COUNTER_DTONE_CALLBACK_TOKEN"
    )
    request = request_for(msisdn="+85512345102")  # will be declined
    first = channel.send(request)
    assert dtone.posts()[0]["callback_url"] == "https://shop.example/dtone?token=s3cret-token"
    assert "s3cret-token" not in first.raw
    assert _follow_to_the_end(channel, request, first).outcome.answer is Answer.FAILED
    tx = dtone.transactions["A-000042"]
    forged = json.dumps(
        {
            "id": tx.id,
            "external_id": "A-000042",
            "status": {"class": {"id": 7, "message": "COMPLETED"}},
        }
    )
    with pytest.raises(CallbackRefused, match="without the shop's token"):
        channel.parse_callback(forged.encode(), given_token="guess")
    notice = channel.parse_callback(forged.encode(), given_token="s3cret-token")
    assert notice.claimed_class == "COMPLETED"
    told = channel.confirm_callback(notice, request)
    assert told.answer is Answer.FAILED  # the API says declined, and wins over the callback
    with pytest.raises(CallbackRefused):
        channel.parse_callback(b"<html>not json</html>", given_token="s3cret-token")
