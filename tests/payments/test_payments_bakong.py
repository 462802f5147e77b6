"""The Bakong client against the stand-in: each documented answer becomes a typed result
or one of our errors with a sentence, and the token never leaks."""

from __future__ import annotations

import logging
import socket
from datetime import UTC, datetime

import pytest

from counter.domain.money import Money
from counter.payments.address import check_api_url
from counter.payments.bakong import BakongClient, NotFound, Paid, Unchecked
from counter.payments.errors import (
    BakongAnswerInvalid,
    BakongError,
    BakongForbidden,
    BakongOffline,
    BakongRefused,
    BakongTimeout,
    BakongTokenRejected,
    BakongUnavailable,
)
from tests.payments.conftest import TOKEN
from tests.payments.standin import BakongStandIn

MD5 = "d60f3db96913029a2af979a1662c1e72"


def test_a_paid_code_comes_back_with_the_banks_reference(
    bakong: BakongStandIn, client: BakongClient
) -> None:
    bakong.pay(MD5, 5.0)
    result = client.check_transaction_by_md5(MD5)
    assert isinstance(result, Paid)
    tx = result.transaction
    assert tx.md5 == MD5
    assert tx.amount == Money.usd(500)
    assert tx.hash.startswith("8465d722") and tx.short_hash == "8465d722"
    assert (tx.from_account, tx.to_account) == ("abaakhppxxx@abaa", "lucky_phone@aclb")
    assert tx.external_ref == "100FT36774348398"
    assert tx.instruction_ref is None
    assert tx.acknowledged_at == datetime(2025, 12, 1, 3, 35, 1, tzinfo=UTC)
    seen = bakong.requests[-1]
    assert seen.path == "/v1/check_transaction_by_md5"
    assert seen.body == {"md5": MD5}
    assert seen.authorization == f"Bearer {TOKEN}"


def test_riel_amounts_are_whole_riel(bakong: BakongStandIn, client: BakongClient) -> None:
    bakong.pay(MD5, 20000, "KHR")
    result = client.check_transaction_by_md5(MD5)
    assert isinstance(result, Paid) and result.transaction.amount == Money.khr(20000)


def test_an_unpaid_code_is_not_found(bakong: BakongStandIn, client: BakongClient) -> None:
    assert client.check_transaction_by_md5(MD5) == NotFound(MD5, failed=False)


def test_a_failed_payment_is_not_found_and_says_it_failed(
    bakong: BakongStandIn, client: BakongClient
) -> None:
    bakong.failed.add(MD5)
    assert client.check_transaction_by_md5(MD5) == NotFound(MD5, failed=True)


def test_an_expired_token_is_refused_in_words(bakong: BakongStandIn, client: BakongClient) -> None:
    bakong.token_expired = True
    with pytest.raises(BakongTokenRejected, match="refused the token") as caught:
        client.check_transaction_by_md5(MD5)
    assert caught.value.retry is False
    assert TOKEN not in str(caught.value)


def test_a_wrong_token_is_refused_too(bakong: BakongStandIn) -> None:
    with (
        BakongClient("eyJ.wrong.token", api_url=bakong.url) as other,
        pytest.raises(BakongTokenRejected),
    ):
        other.check_transaction_by_md5(MD5)


def test_error_code_6_with_http_200_is_the_token_too(
    bakong: BakongStandIn, client: BakongClient
) -> None:
    bakong.fail_next("json", {"responseCode": 1, "errorCode": 6, "responseMessage": "Unauthorized"})
    with pytest.raises(BakongTokenRejected):
        client.check_transaction_by_md5(MD5)


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_a_failing_server_can_be_tried_again(
    bakong: BakongStandIn, client: BakongClient, status: int
) -> None:
    bakong.fail_next("status", status)
    with pytest.raises(BakongUnavailable, match=f"HTTP {status}") as caught:
        client.check_transaction_by_md5(MD5)
    assert caught.value.retry is True and caught.value.status == status
    assert isinstance(client.check_transaction_by_md5(MD5), NotFound)  # and the next one works


def test_a_machine_outside_cambodia_is_told_so(bakong: BakongStandIn, client: BakongClient) -> None:
    bakong.fail_next("status", 403)
    with pytest.raises(BakongForbidden, match="Cambodian internet addresses") as caught:
        client.check_transaction_by_md5(MD5)
    assert caught.value.retry is False


def test_a_wrong_address_is_not_retried(bakong: BakongStandIn, client: BakongClient) -> None:
    bakong.fail_next("status", 404)
    with pytest.raises(BakongRefused, match="HTTP 404") as caught:
        client.check_transaction_by_md5(MD5)
    assert caught.value.retry is False


def test_another_bakong_error_is_said_with_its_code_and_clean_message(
    bakong: BakongStandIn, client: BakongClient
) -> None:
    bakong.fail_next(
        "json",
        {
            "responseCode": 1,
            "errorCode": 4,
            "responseMessage": "Internal\x1b[31m error\u202e",
            "data": None,
        },
    )
    with pytest.raises(BakongRefused) as caught:
        client.check_transaction_by_md5(MD5)
    assert str(caught.value) == "Bakong refused the check (error 4): Internal[31m error"
    assert caught.value.code == 4


def test_a_slow_answer_is_a_timeout(bakong: BakongStandIn) -> None:
    bakong.fail_next("slow", 1.0)
    with (
        BakongClient(TOKEN, api_url=bakong.url, timeout=0.2) as impatient,
        pytest.raises(BakongTimeout, match="did not answer in time") as caught,
    ):
        impatient.check_transaction_by_md5(MD5)
    assert caught.value.retry is True


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("url", ["http://127.0.0.1:{port}", "https://bakong.invalid"])
def test_no_network_is_said_in_words(url: str) -> None:
    with (
        BakongClient(TOKEN, api_url=url.format(port=_closed_port()), timeout=2.0) as offline,
        pytest.raises(BakongOffline, match="cannot be reached") as caught,
    ):
        offline.check_transaction_by_md5(MD5)
    assert caught.value.retry is True


def test_a_maintenance_page_is_an_invalid_answer(
    bakong: BakongStandIn, client: BakongClient
) -> None:
    bakong.fail_next("body", "<html>Under maintenance</html>")
    with pytest.raises(BakongAnswerInvalid, match="not the JSON"):
        client.check_transaction_by_md5(MD5)


@pytest.mark.parametrize(
    "data",
    [
        {"currency": "USD", "amount": "five", "hash": "abc"},
        {"currency": "EUR", "amount": 5, "hash": "abc"},
        {"currency": "USD", "amount": 5.005, "hash": "abc"},
        {"currency": "USD", "amount": 5},
        {"currency": "KHR", "amount": True, "hash": "abc"},
    ],
)
def test_a_paid_answer_that_cannot_be_read_is_invalid(
    bakong: BakongStandIn, client: BakongClient, data: dict[str, object]
) -> None:
    bakong.fail_next("json", {"responseCode": 0, "errorCode": None, "data": data})
    with pytest.raises(BakongAnswerInvalid, match="cannot be read"):
        client.check_transaction_by_md5(MD5)


def test_the_list_check_asks_fifty_at_a_time(bakong: BakongStandIn, client: BakongClient) -> None:
    md5s = [f"{i:032x}" for i in range(120)]
    bakong.pay(md5s[7], 2.5)
    bakong.pay(md5s[99], 20000, "KHR")
    results = client.check_transactions_by_md5_list(md5s)
    assert [len(r.body) for r in bakong.requests] == [50, 50, 20]
    assert {r.path for r in bakong.requests} == {"/v1/check_transaction_by_md5_list"}
    paid = {md5: r.transaction.amount for md5, r in results.items() if isinstance(r, Paid)}
    assert paid == {md5s[7]: Money.usd(250), md5s[99]: Money.khr(20000)}
    assert sum(isinstance(r, NotFound) for r in results.values()) == 118


def test_the_list_check_keeps_what_bakong_could_not_check(
    bakong: BakongStandIn, client: BakongClient
) -> None:
    bakong.fail_next(
        "json",
        {
            "responseCode": 0,
            "errorCode": None,
            "data": [
                {"md5": MD5, "status": "SERVICE_FAILED", "message": "Try later", "data": None}
            ],
        },
    )
    other = "0" * 32
    results = client.check_transactions_by_md5_list([MD5, other])
    assert results[MD5] == Unchecked(
        MD5, "Bakong could not check this code (SERVICE_FAILED): Try later"
    )
    assert isinstance(results[other], Unchecked) and "left this code out" in results[other].reason


def test_the_list_check_with_an_expired_token(bakong: BakongStandIn, client: BakongClient) -> None:
    bakong.token_expired = True
    with pytest.raises(BakongTokenRejected):
        client.check_transactions_by_md5_list([MD5])


def test_the_token_is_never_logged_or_shown(
    bakong: BakongStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    bakong.pay(MD5, 5.0)
    bakong.fail_next("status", 500)
    errors: list[BakongError] = []
    with BakongClient(TOKEN, api_url=bakong.url) as client:
        for _ in range(2):
            try:
                client.check_transaction_by_md5(MD5)
            except BakongError as exc:
                errors.append(exc)
        client.check_transactions_by_md5_list([MD5])
        shown = repr(client)
    assert caplog.records  # httpx and httpcore did log at DEBUG
    assert TOKEN not in caplog.text
    assert TOKEN not in shown and not any(TOKEN in str(e) for e in errors)


@pytest.mark.parametrize(
    "url", ["http://api-bakong.nbc.gov.kh", "ftp://127.0.0.1", "api-bakong.nbc.gov.kh"]
)
def test_the_token_never_travels_in_clear(url: str) -> None:
    with pytest.raises(ValueError, match="not an https address"):
        check_api_url(url)
    with pytest.raises(ValueError):
        BakongClient(TOKEN, api_url=url)


def test_https_and_this_machine_are_accepted() -> None:
    assert check_api_url("https://api-bakong.nbc.gov.kh/") == "https://api-bakong.nbc.gov.kh"
    assert check_api_url("http://127.0.0.1:8080") == "http://127.0.0.1:8080"
