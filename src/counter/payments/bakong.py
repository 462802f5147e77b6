"""The Bakong Open API client: was the code with this MD5 paid?

The National Bank of Cambodia's API (Bakong Open API document 1.0.2; the shapes below are
also what fidele007/bakong-khqr-php and bsthen/bakong-khqr send and read):

    POST {api}/v1/check_transaction_by_md5       {"md5": "..."}
    POST {api}/v1/check_transaction_by_md5_list  ["...", "..."]   (50 at most)
    Authorization: Bearer <token>

    paid       200 {"responseCode": 0, "errorCode": null, "data": {"hash", "fromAccountId",
                    "toAccountId", "currency", "amount", "description", "createdDateMs",
                    "acknowledgedDateMs", "externalRef", "instructionRef", ...}}
    not found  200 {"responseCode": 1, "errorCode": 1, "responseMessage": "...", "data": null}
    failed     200 {"responseCode": 1, "errorCode": 3, ...}
    token      401 (or any status) {"responseCode": 1, "errorCode": 6, ...}
    list       200 {"responseCode": 0, "data": [{"md5", "status": "SUCCESS" | "NOT_FOUND"
                    | ..., "message", "data": {...} | null}]}

Bakong answers only from Cambodian IP addresses (403 elsewhere). Every outcome is a typed
result (`Paid`, `NotFound`) or a `BakongError` with a sentence; the token is sent in the
header only and never logged, shown or kept in an error.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from counter.domain.money import Currency, Money
from counter.i18n import _
from counter.payments.address import DEFAULT_API_URL, check_api_url
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

__all__ = [
    "DEFAULT_API_URL",
    "LIST_LIMIT",
    "BakongClient",
    "BakongTransaction",
    "CheckResult",
    "NotFound",
    "Paid",
    "Unchecked",
]

LIST_LIMIT = 50
_NOT_FOUND, _FAILED, _TOKEN = 1, 3, 6
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class BakongTransaction:
    """What Bakong says about a payment; `hash` is the bank's transaction reference."""

    md5: str
    hash: str
    amount: Money
    from_account: str
    to_account: str
    description: str
    created_at: datetime | None
    acknowledged_at: datetime | None
    external_ref: str | None
    instruction_ref: str | None

    @property
    def short_hash(self) -> str:
        """The first 8 characters: the short reference bank apps show."""
        return self.hash[:8]


@dataclass(frozen=True)
class Paid:
    transaction: BakongTransaction


@dataclass(frozen=True)
class NotFound:
    """No payment of this code yet (`failed`: a payment was tried and failed)."""

    md5: str
    failed: bool = False


@dataclass(frozen=True)
class Unchecked:
    """A code in a list check that Bakong did not answer for; `reason` is a sentence."""

    md5: str
    reason: str


CheckResult = Paid | NotFound


class BakongClient:
    """Checks payments with one token; use as a context manager or call `close()`."""

    def __init__(
        self,
        token: str,
        *,
        api_url: str = DEFAULT_API_URL,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.__token = token
        self._http = httpx.Client(
            base_url=check_api_url(api_url),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            transport=transport,
            follow_redirects=False,
            headers={"Accept": "application/json"},
        )

    def __repr__(self) -> str:
        return f"BakongClient({self._http.base_url!s})"

    def __enter__(self) -> BakongClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def check_transaction_by_md5(self, md5: str) -> CheckResult:
        """Paid or NotFound, or a BakongError saying why there is no answer."""
        body = self._post("/v1/check_transaction_by_md5", {"md5": md5})
        code, error = body.get("responseCode"), body.get("errorCode")
        if code == 0 and isinstance(body.get("data"), dict):
            return Paid(_transaction(md5, body["data"]))
        if code == 1 and error in (_NOT_FOUND, _FAILED):
            return NotFound(md5, failed=error == _FAILED)
        raise _refusal(body)

    def check_transactions_by_md5_list(
        self, md5s: Sequence[str]
    ) -> dict[str, Paid | NotFound | Unchecked]:
        """The state of each code, asked 50 at a time."""
        results: dict[str, Paid | NotFound | Unchecked] = {}
        for start in range(0, len(md5s), LIST_LIMIT):
            chunk = list(md5s[start : start + LIST_LIMIT])
            body = self._post("/v1/check_transaction_by_md5_list", chunk)
            items = body.get("data")
            if body.get("responseCode") != 0 or not isinstance(items, list):
                raise _refusal(body)
            results.update(_list_results(chunk, items))
        return results

    def _post(self, path: str, payload: object) -> dict[str, Any]:
        try:
            response = self._http.post(
                path, json=payload, headers={"Authorization": f"Bearer {self.__token}"}
            )
        except httpx.TimeoutException:
            raise BakongTimeout(_("Bakong did not answer in time.")) from None
        except httpx.TransportError:
            raise BakongOffline(
                _("Bakong cannot be reached: this machine has no network or no route to it.")
            ) from None
        return _answer(response)


def _answer(response: httpx.Response) -> dict[str, Any]:
    """The JSON body of a 200 answer; every other answer becomes the matching error."""
    try:
        body = json.loads(response.content, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        body = None
    if (isinstance(body, dict) and body.get("errorCode") == _TOKEN) or response.status_code == 401:
        raise BakongTokenRejected(
            _("Bakong refused the token: it has expired, been renewed elsewhere, or is wrong.")
        )
    status = response.status_code
    if status == 403:
        raise BakongForbidden(
            _("Bakong refused this machine: it answers only from Cambodian internet addresses.")
        )
    if status == 429 or status >= 500:
        raise BakongUnavailable(
            _("Bakong's server is failing or busy (HTTP {status}).").format(status=status), status
        )
    if status != 200:
        raise BakongRefused(
            _("Bakong refused the request (HTTP {status}).").format(status=status),
            None,
            retry=False,
        )
    if not isinstance(body, dict):
        raise BakongAnswerInvalid(_("Bakong's answer is not the JSON it documents."))
    return body


def _refusal(body: dict[str, Any]) -> BakongError:
    code = body.get("errorCode")
    return BakongRefused(
        _("Bakong refused the check (error {code}): {message}").format(
            code=code, message=_outside_text(body.get("responseMessage"))
        ),
        code if isinstance(code, int) else None,
    )


def _list_results(
    chunk: Sequence[str], items: Iterable[object]
) -> dict[str, Paid | NotFound | Unchecked]:
    asked = set(chunk)
    found: dict[str, Paid | NotFound | Unchecked] = {}
    for item in items:
        if not isinstance(item, dict) or item.get("md5") not in asked:
            continue
        md5, status = item["md5"], item.get("status")
        if status == "SUCCESS" and isinstance(item.get("data"), dict):
            found[md5] = Paid(_transaction(md5, item["data"]))
        elif status == "NOT_FOUND":
            found[md5] = NotFound(md5)
        else:
            found[md5] = Unchecked(
                md5,
                _("Bakong could not check this code ({status}): {message}").format(
                    status=_outside_text(status), message=_outside_text(item.get("message"))
                ),
            )
    for md5 in chunk:
        found.setdefault(md5, Unchecked(md5, _("Bakong's answer left this code out.")))
    return found


def _transaction(md5: str, data: dict[str, Any]) -> BakongTransaction:
    try:
        currency = Currency(str(data["currency"]).upper())
        if isinstance(data["amount"], bool):
            raise ValueError("amount")
        amount = Decimal(data["amount"]) * (100 if currency is Currency.USD else 1)
        if amount != amount.to_integral_value() or amount <= 0:
            raise ValueError(amount)
        return BakongTransaction(
            md5=md5,
            hash=_required_text(data["hash"]),
            amount=Money(int(amount), currency),
            from_account=_outside_text(data.get("fromAccountId")),
            to_account=_outside_text(data.get("toAccountId")),
            description=_outside_text(data.get("description")),
            created_at=_time(data.get("createdDateMs")),
            acknowledged_at=_time(data.get("acknowledgedDateMs")),
            external_ref=_outside_text(data.get("externalRef")) or None,
            instruction_ref=_outside_text(data.get("instructionRef")) or None,
        )
    except (KeyError, TypeError, ValueError, InvalidOperation, OverflowError):
        raise BakongAnswerInvalid(
            _("Bakong says the code was paid, but its answer cannot be read.")
        ) from None


def _time(value: object) -> datetime | None:
    if value is None or isinstance(value, bool):
        return None
    millis = int(Decimal(str(value)))
    return _EPOCH + timedelta(milliseconds=millis)


def _required_text(value: object) -> str:
    text = _outside_text(value)
    if not text:
        raise ValueError("empty")
    return text


def _outside_text(value: object, limit: int = 120) -> str:
    """Text from Bakong, safe to show: no control or direction characters, cut short."""
    if value is None:
        return ""
    text = "".join(
        ch for ch in str(value) if unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp"}
    ).strip()
    return text[:limit] + "…" if len(text) > limit else text
