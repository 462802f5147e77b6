"""The `api` channel: DT One's Digital Value Services API (see `dtone_map` for the facts).

A top-up is one `POST /async/transactions` with OUR reference as `external_id` and
`auto_confirm`, after a number look-up and a product choice (fixed or ranged amount).
Its state is read back by that same reference (`GET /transactions?external_id=...`,
which DT One documents for "when the supposed API response was not received"). DT One
refuses a second transaction with the same `external_id` (error 1007001), so a request
that might have arrived is looked up, and sent again, if ever, only under the same one.

Answers: a timeout or a 5xx after the request left = unknown, look it up; a duplicate
reference = look it up; a connection that never opened = not sent. Callbacks are not
signed by DT One, so a callback only names a transaction that is then read from the API.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from counter.delivery.base import DealerBalance
from counter.delivery.dtone_map import (
    ANSWER_BY_CLASS,
    ERROR_ANSWERS,
    EXTERNAL_ID_USED,
    Product,
    cents_of,
    choose,
    dumps,
    error_codes,
    loads,
    product_of,
    reason_of,
    status_class,
    status_message,
)
from counter.delivery.dtone_words import sentence
from counter.delivery.secrets import Secret, read_private_lines, read_secret
from counter.domain.delivery import (
    REFERENCE_RE,
    Answer,
    CallbackRefused,
    ChannelError,
    DeliveryRequest,
    Outcome,
    Reason,
)
from counter.domain.money import Money
from counter.i18n import _

PRODUCTION_URL = "https://dvs-api.dtone.com/v1"
SANDBOX_URL = "https://preprod-dvs-api.dtone.com/v1"
MOBILE_SERVICE, AIRTIME_SUBSERVICE = 1, 11  # DT One's service ids ("Mobile", "Airtime")
_RAW_LIMIT = 4000


@dataclass(frozen=True)
class DtOneOptions:
    """The `[delivery.api]` settings as plain values (times in seconds)."""

    base_url: str | None = None
    sandbox: bool = False
    key_env: str = "COUNTER_DTONE_KEY"
    secret_env: str = "COUNTER_DTONE_SECRET"
    credentials_file: Path | None = None
    request_timeout_seconds: float = 30.0
    connect_timeout_seconds: float = 10.0
    currency: str = "USD"
    callback_url: str | None = None
    callback_token_env: str | None = None
    product_cache_seconds: float = 3600.0
    operators: Mapping[str, int] = field(default_factory=dict)  # ours -> DT One operator id

    @property
    def url(self) -> str:
        return (self.base_url or (SANDBOX_URL if self.sandbox else PRODUCTION_URL)).rstrip("/")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> DtOneOptions:
        known = {f: data[f] for f in cls.__dataclass_fields__ if f in data}
        return cls(**known)


@dataclass(frozen=True)
class CallbackNotice:
    """What a callback claims; never trusted until the transaction is read from the API."""

    transaction_id: int
    external_id: str
    claimed_class: str | None


class _NotReached(Exception):
    """The connection never opened: the request did not leave."""


class _Lost(Exception):
    """The request may have arrived; its answer did not come back."""


@dataclass(frozen=True)
class _Response:
    status: int
    body: Any
    text: str
    headers: Mapping[str, str]


class DtOneChannel:
    """Top-ups through DT One; see the module docstring."""

    name = "api"

    def __init__(
        self,
        options: DtOneOptions,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        transport: Any = None,
    ) -> None:
        self.options = options
        self.clock = clock
        self._transport = transport
        self._client_lock = threading.Lock()
        self._client: Any = None
        self._token: Secret | None = None
        self._products: dict[int, tuple[float, list[Product]]] = {}

    # -- the interface ----------------------------------------------------------------------

    def send(self, request: DeliveryRequest) -> Outcome:
        product = self._product_for(request)
        if isinstance(product, Outcome):
            return product
        body = self._transaction_body(request, product)
        try:
            response = self._request("POST", "/async/transactions", body=body)
        except _NotReached:
            return self._outcome(request, Answer.NOT_SENT, Reason.NETWORK, "POST: no connection")
        except _Lost as lost:
            return self._outcome(request, Answer.UNKNOWN, Reason.NO_ANSWER, f"POST: {lost}")
        raw = self._raw("POST /async/transactions", response)
        if response.status in (200, 201, 202) and isinstance(response.body, Mapping):
            return self._from_transaction(request, response.body, raw)
        if EXTERNAL_ID_USED in error_codes(response.body):
            return self.look_up(request)  # our reference is known: read it, never resend
        return self._from_error(request, response, raw, stage="create")

    def look_up(self, request: DeliveryRequest) -> Outcome:
        return self._read(request, "/transactions?" + urlencode({"external_id": request.reference}))

    def balance(self, operator_id: str | None = None) -> DealerBalance | None:
        try:
            response = self._request("GET", "/balances")
        except (_NotReached, _Lost):
            response = None
        if response is not None and response.status == 200 and isinstance(response.body, list):
            for item in response.body:
                if isinstance(item, Mapping) and item.get("unit") == self.options.currency:
                    cents = cents_of(item.get("available"))
                    if cents is not None:
                        raw = self._raw("GET /balances", response)
                        return DealerBalance(Money.usd(cents), raw, self.clock())
        raise ChannelError(_("The aggregator account's balance could not be read."))

    def settle(self, request: DeliveryRequest) -> None:
        return None

    # -- number look-up and products ----------------------------------------------------------

    def lookup_number(self, msisdn: str) -> list[tuple[int, str, bool]]:
        """DT One's operators for a number: (id, name, identified as a direct match)."""
        response = self._request("POST", "/lookup/mobile-number", body={"mobile_number": msisdn})
        if response.status != 200 or not isinstance(response.body, list):
            raise _Refused(response)
        return [
            (op["id"], str(op.get("name", "")), bool(op.get("identified")))
            for op in response.body
            if isinstance(op, Mapping) and isinstance(op.get("id"), int)
        ]

    def products(self, dt_operator: int) -> list[Product]:
        """The operator's airtime products in our currency, cached for a while."""
        cached = self._products.get(dt_operator)
        if cached and time.monotonic() - cached[0] < self.options.product_cache_seconds:
            return cached[1]
        found: list[Product] = []
        for page in range(1, 21):
            query = {
                "operator_id": dt_operator,
                "service_id": MOBILE_SERVICE,
                "subservice_id": AIRTIME_SUBSERVICE,
                "per_page": 100,
                "page": page,
            }
            response = self._request("GET", "/products?" + urlencode(query))
            if response.status != 200 or not isinstance(response.body, list):
                raise _Refused(response)
            found += [p for item in response.body if (p := product_of(item, self.options.currency))]
            if page >= _int_header(response.headers, "x-total-pages", 1):
                break
        self._products[dt_operator] = (time.monotonic(), found)
        return found

    def _product_for(self, request: DeliveryRequest) -> Product | Outcome:
        """The product to buy, or why nothing was sent (nothing is created before this)."""
        try:
            dt_operator = self.options.operators.get(request.operator_id)
            if dt_operator is None:
                matches = self.lookup_number(request.msisdn)
                matches.sort(key=lambda m: not m[2])
                if not matches:
                    return self._outcome(request, Answer.FAILED, Reason.NO_PRODUCT, "lookup: none")
                dt_operator = matches[0][0]
            product = choose(self.products(dt_operator), request.amount_cents)
        except (_NotReached, _Lost) as exc:
            return self._outcome(request, Answer.NOT_SENT, Reason.NETWORK, f"before sending: {exc}")
        except _Refused as refused:
            raw = self._raw("before sending", refused.response)
            return self._from_error(request, refused.response, raw, stage="before")
        if product is None:
            return self._outcome(request, Answer.FAILED, Reason.NO_PRODUCT, "no product fits")
        return product

    def _transaction_body(self, request: DeliveryRequest, product: Product) -> dict[str, Any]:
        body: dict[str, Any] = {
            "external_id": request.reference,
            "product_id": product.id,
            "auto_confirm": True,
            "credit_party_identifier": {"mobile_number": request.msisdn},
        }
        if product.ranged:
            body["calculation_mode"] = "DESTINATION_AMOUNT"
            body["destination"] = {
                "unit_type": "CURRENCY",
                "unit": self.options.currency,
                "amount": Decimal(request.amount_cents).scaleb(-2),  # 3.50, exactly
            }
        if self.options.callback_url:
            token = self._callback_token()
            query = (
                ("&" if "?" in self.options.callback_url else "?")
                + urlencode({"token": token.reveal()})
                if token
                else ""
            )
            body["callback_url"] = self.options.callback_url + query
        return body

    # -- callbacks ----------------------------------------------------------------------------

    def parse_callback(self, body: bytes, given_token: str | None = None) -> CallbackNotice:
        """A DT One callback's claim; CallbackRefused when it is not one, or lacks our token."""
        token = self._callback_token()
        if token is not None and not hmac.compare_digest(
            (given_token or "").encode(), token.reveal().encode()
        ):
            raise CallbackRefused(_("A delivery callback without the shop's token was refused."))
        try:
            data = loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            data = None
        if (
            not isinstance(data, Mapping)
            or not isinstance(data.get("id"), int)
            or not isinstance(data.get("external_id"), str)
            or not REFERENCE_RE.match(data["external_id"])
        ):
            raise CallbackRefused(
                _("A delivery callback that is not a DT One transaction was refused.")
            )
        return CallbackNotice(data["id"], data["external_id"], status_class(data))

    def confirm_callback(self, notice: CallbackNotice, request: DeliveryRequest) -> Outcome:
        """What the API itself says about the transaction a callback named."""
        if notice.external_id != request.reference:
            raise CallbackRefused(_("A delivery callback named another top-up's reference."))
        return self._read(request, f"/transactions/{notice.transaction_id}")

    def _read(self, request: DeliveryRequest, path: str) -> Outcome:
        """A transaction read back: by our reference (a list) or by DT One's id (one)."""
        try:
            response = self._request("GET", path)
        except (_NotReached, _Lost) as exc:
            return self._outcome(request, Answer.UNKNOWN, Reason.NO_ANSWER, f"GET: {exc}")
        raw = self._raw(f"GET {path}", response)
        body = response.body
        if response.status == 200 and isinstance(body, list):
            mine = [t for t in body if isinstance(t, Mapping)]
            if not mine:
                return self._outcome(request, Answer.NOT_SENT, None, raw)
            return self._from_transaction(request, mine[0], raw)
        if response.status == 200 and isinstance(body, Mapping):
            return self._from_transaction(request, body, raw)
        if response.status == 404:
            return self._outcome(request, Answer.NOT_SENT, None, raw)
        return self._from_error(request, response, raw, stage="lookup")

    # -- answers ------------------------------------------------------------------------------

    def _from_transaction(
        self, request: DeliveryRequest, tx: Mapping[str, Any], raw: str
    ) -> Outcome:
        credit = tx.get("credit_party_identifier")
        number = credit.get("mobile_number") if isinstance(credit, Mapping) else None
        if tx.get("external_id") != request.reference or (number and number != request.msisdn):
            return self._outcome(request, Answer.UNKNOWN, Reason.REFERENCE_CLASH, raw)
        klass = status_class(tx)
        answer = ANSWER_BY_CLASS.get(klass or "", Answer.UNKNOWN)
        reason = reason_of(status_message(tx)) if answer is Answer.FAILED else None
        if answer is Answer.PENDING:
            reason = Reason.PROCESSING
        operator_ref = tx.get("operator_reference")
        ref = operator_ref if isinstance(operator_ref, str) and operator_ref else str(tx.get("id"))
        return self._outcome(request, answer, reason, raw, ref=ref)

    def _from_error(
        self, request: DeliveryRequest, response: _Response, raw: str, *, stage: str
    ) -> Outcome:
        """An error answer at `stage`: "before" sending, the "create" call, or a "lookup"."""
        codes = error_codes(response.body)
        answer, reason = next(
            (ERROR_ANSWERS[c] for c in codes if c in ERROR_ANSWERS), _by_status(response.status)
        )
        if stage == "before" and answer is Answer.UNKNOWN:
            answer, reason = Answer.NOT_SENT, Reason.NETWORK  # nothing could have been made
        if stage == "lookup":
            answer = Answer.UNKNOWN  # a look-up that went wrong proves nothing either way
        retry = _retry_after(response.headers)
        return self._outcome(request, answer, reason, raw, retry=retry)

    def _outcome(
        self,
        request: DeliveryRequest,
        answer: Answer,
        reason: Reason | None,
        raw: str,
        *,
        ref: str | None = None,
        retry: timedelta | None = None,
    ) -> Outcome:
        return Outcome(
            answer,
            request.reference,
            provider_ref=ref,
            raw=raw,
            retry_after=retry,
            reason=reason,
            message=sentence(answer, reason, request, ref),
        )

    # -- HTTP ---------------------------------------------------------------------------------

    def _request(self, method: str, path: str, body: Any = None) -> _Response:
        import httpx  # imported on first use so the app starts fast

        client = self._http()
        content = dumps(body) if body is not None else None
        headers = {"Content-Type": "application/json"} if content is not None else {}
        try:
            response = client.request(method, path, content=content, headers=headers)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise _NotReached(type(exc).__name__) from None
        except httpx.HTTPError as exc:
            raise _Lost(type(exc).__name__) from None
        text = response.text
        try:
            parsed = loads(text) if text.strip() else None
        except ValueError:
            parsed = None
        return _Response(response.status_code, parsed, text, dict(response.headers))

    def _http(self) -> Any:
        with self._client_lock:  # several deliveries may go at once: one client for all
            return self._open_client()

    def _open_client(self) -> Any:
        if self._client is None:
            import httpx

            key, secret = self._credentials()
            self._client = httpx.Client(
                base_url=self.options.url,
                auth=httpx.BasicAuth(key.reveal(), secret.reveal()),
                timeout=httpx.Timeout(
                    self.options.request_timeout_seconds,
                    connect=self.options.connect_timeout_seconds,
                ),
                headers={"Accept": "application/json", "User-Agent": "Counter"},
                transport=self._transport,
            )
        return self._client

    def _credentials(self) -> tuple[Secret, Secret]:
        if self.options.credentials_file is not None and not (
            _env_set(self.options.key_env) and _env_set(self.options.secret_env)
        ):
            lines = read_private_lines(_("aggregator credentials"), self.options.credentials_file)
            if len(lines) < 2:
                raise ChannelError(
                    _(
                        "The aggregator credentials file {path} needs the key on one line and the secret on the next."
                    ).format(path=self.options.credentials_file)
                )
            return lines[0], lines[1]
        key = read_secret(_("aggregator API key"), self.options.key_env, None)
        secret = read_secret(_("aggregator API secret"), self.options.secret_env, None)
        return key, secret

    def _callback_token(self) -> Secret | None:
        if not self.options.callback_token_env:
            return None
        if self._token is None:
            self._token = read_secret(_("callback token"), self.options.callback_token_env, None)
        return self._token

    def _raw(self, what: str, response: _Response) -> str:
        text = f"{what} -> HTTP {response.status}: {response.text[:_RAW_LIMIT]}"
        token = self._callback_token() if self.options.callback_url else None
        return token.scrub(text) if token else text

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


class _Refused(Exception):
    def __init__(self, response: _Response) -> None:
        super().__init__(response.status)
        self.response = response


def _by_status(status: int) -> tuple[Answer, Reason]:
    if status == 401:
        return Answer.NOT_SENT, Reason.CREDENTIALS
    if status == 429:
        return Answer.NOT_SENT, Reason.BUSY
    if status >= 500:
        return Answer.UNKNOWN, Reason.NO_ANSWER
    return Answer.FAILED, Reason.REFUSED


def _retry_after(headers: Mapping[str, str]) -> timedelta | None:
    value = {k.lower(): v for k, v in headers.items()}.get("retry-after", "").strip()
    return timedelta(seconds=int(value)) if value.isdigit() else None


def _int_header(headers: Mapping[str, str], name: str, default: int) -> int:
    value = {k.lower(): v for k, v in headers.items()}.get(name, "")
    return int(value) if value.strip().isdigit() else default


def _env_set(name: str) -> bool:
    import os

    return bool(name and os.environ.get(name, "").strip())
