"""A DT One DVS API stand-in on pytest-httpserver, serving the documented answers.

It keeps transactions by `external_id` the way DT One does (a second one with the same
`external_id` is refused with error 1007001), moves them through the documented status
classes (CONFIRMED 2 -> SUBMITTED 5 -> COMPLETED 7 / DECLINED 9, rarely REVERSED 8) one
step per read, and picks the outcome by the last three digits of the number, as DT One's
own sandbox does (100 completed, 102 invalid credit party, 104 operator unavailable,
105 duplicated transaction, 106 declined). Faults the sandbox cannot show are injected by
the test: a timeout after the transaction was accepted, a 500 after accepting, a 503
before, a reversal. Every request is counted.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

KEY, SECRET = "test-key", "test-secret"
SMART = {
    "id": 2271,
    "name": "Smart Cambodia",
    "country": {"name": "Cambodia", "iso_code": "KHM", "regions": None},
    "regions": None,
}
CLASSES = {
    "CREATED": 1,
    "CONFIRMED": 2,
    "REJECTED": 3,
    "CANCELLED": 4,
    "SUBMITTED": 5,
    "COMPLETED": 7,
    "REVERSED": 8,
    "DECLINED": 9,
}
# The sandbox's suffix table (dvs-api-doc.dtone.com, "Sandbox").
SUFFIX_STATUS = {
    "100": "COMPLETED",
    "102": "DECLINED-INVALID-CREDIT-PARTY",
    "103": "DECLINED-BARRED-CREDIT-PARTY",
    "104": "DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE",
    "105": "DECLINED-DUPLICATED-TRANSACTION",
    "106": "DECLINED",
}


def _fixed(pid: int, dollars: str) -> dict[str, Any]:
    amount = Decimal(dollars)
    return {
        "id": pid,
        "name": f"Smart Cambodia USD {dollars}",
        "description": "Airtime",
        "tags": None,
        "service": {"id": 1, "name": "Mobile", "subservice": {"id": 11, "name": "Airtime"}},
        "operator": SMART,
        "regions": None,
        "type": "FIXED_VALUE_RECHARGE",
        "validity": None,
        "required_debit_party_identifier_fields": None,
        "required_credit_party_identifier_fields": [["mobile_number"]],
        "required_sender_fields": None,
        "required_beneficiary_fields": None,
        "required_statement_identifier_fields": None,
        "required_additional_identifier_fields": None,
        "availability_zones": ["INTERNATIONAL"],
        "source": {"unit_type": "CURRENCY", "unit": "USD", "amount": amount},
        "destination": {"unit_type": "CURRENCY", "unit": "USD", "amount": amount},
        "prices": {
            "wholesale": {
                "unit_type": "CURRENCY",
                "unit": "USD",
                "amount": amount * Decimal("0.97"),
                "fee": 0,
            },
            "retail": None,
        },
        "rates": {"base": 1, "wholesale": Decimal("1.03"), "retail": None},
        "benefits": None,
        "promotions": None,
    }


def _ranged(pid: int) -> dict[str, Any]:
    product = _fixed(pid, "1.00")
    product.update(
        name="Smart Cambodia USD 1-100",
        type="RANGED_VALUE_RECHARGE",
        accepted_calculation_modes=["SOURCE_AMOUNT", "DESTINATION_AMOUNT"],
        source={"unit_type": "CURRENCY", "unit": "USD", "amount": {"min": 1, "max": 100}},
        destination={
            "unit_type": "CURRENCY",
            "unit": "USD",
            "amount": {"min": 1, "max": 100, "increment": Decimal("0.01")},
        },
    )
    return product


PRODUCT_PAGES = [[_fixed(101, "1.00"), _fixed(102, "2.00")], [_fixed(105, "5.00"), _ranged(200)]]


@dataclass
class Tx:
    id: int
    body: dict[str, Any]
    steps: list[str]  # statuses still to come, one per read
    status: str = "CONFIRMED"


@dataclass
class FakeDtOne:
    server: HTTPServer
    transactions: dict[str, Tx] = field(default_factory=dict)
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # method, path+query, body
    faults: list[str] = field(default_factory=list)  # for the next POSTs, in order
    reverse: set[str] = field(default_factory=set)  # external ids reversed after completing
    balance_usd: Decimal = Decimal("1000.50")
    slow_seconds: float = 1.5
    retry_after: str = "7"

    # Concurrency: how many requests are being answered at once, and the most seen; with
    # `meet` > 1 each POST waits (up to `meet_seconds`) until that many POSTs have arrived,
    # so two deliveries in flight at once are seen for certain; one at a time just waits.
    meet: int = 0
    meet_seconds: float = 3.0
    in_flight: int = 0
    most_in_flight: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._arrived = threading.Condition()
        self._posts_arrived = 0
        self._next_id = 5_000_000
        self.server.expect_request(re.compile(r"^/v1/.*")).respond_with_handler(self._handle)

    @property
    def url(self) -> str:
        return self.server.url_for("/v1")

    def posts(self) -> list[dict[str, Any]]:
        return [
            json.loads(b)
            for m, p, b in self.requests
            if m == "POST" and p == "/v1/async/transactions"
        ]

    def add(self, external_id: str, msisdn: str, status: str = "COMPLETED") -> Tx:
        """A transaction made earlier (by another process, or an earlier life of this one)."""
        with self._lock:
            return self._record(
                {
                    "external_id": external_id,
                    "product_id": 105,
                    "credit_party_identifier": {"mobile_number": msisdn},
                },
                [status],
            )

    # -- the API --------------------------------------------------------------------------

    def _handle(self, request: Request) -> Response:
        with self._lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if request.method == "POST" and request.path == "/v1/async/transactions":
                self._meet()
            return self._answer(request)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _meet(self) -> None:
        with self._arrived:
            self._posts_arrived += 1
            self._arrived.notify_all()
            if self.meet > 1:
                self._arrived.wait_for(
                    lambda: self._posts_arrived >= self.meet, timeout=self.meet_seconds
                )

    def _answer(self, request: Request) -> Response:
        body = request.get_data(as_text=True)
        self.requests.append((request.method, request.full_path.rstrip("?"), body))
        if not self._authorised(request):
            return _error(401, 1000401, "Unauthorized")
        path = request.path.removeprefix("/v1")
        if request.method == "POST" and path == "/async/transactions":
            return self._create(json.loads(body, parse_float=Decimal))
        if request.method == "GET" and path == "/transactions":
            return self._by_external_id(request.args.get("external_id", ""))
        if request.method == "GET" and (match := re.match(r"^/transactions/(\d+)$", path)):
            return self._by_id(int(match.group(1)))
        if request.method == "POST" and path == "/lookup/mobile-number":
            return _json([{**SMART, "identified": True}])
        if request.method == "GET" and path == "/products":
            page = int(request.args.get("page", "1"))
            items = PRODUCT_PAGES[page - 1] if 0 < page <= len(PRODUCT_PAGES) else []
            headers = {
                "X-Total-Pages": str(len(PRODUCT_PAGES)),
                "X-Page": str(page),
                "X-Per-Page": "100",
            }
            return _json(items, headers=headers)
        if request.method == "GET" and path == "/balances":
            return _json(
                [
                    {
                        "id": 1,
                        "unit_type": "CURRENCY",
                        "unit": "USD",
                        "available": self.balance_usd,
                        "holding": 0,
                        "credit_limit": 0,
                    }
                ]
            )
        return _error(404, 1000404, "Resource not found")

    def _authorised(self, request: Request) -> bool:
        expected = "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
        return request.headers.get("Authorization") == expected

    def _create(self, body: dict[str, Any]) -> Response:
        fault = self.faults.pop(0) if self.faults else None
        if fault == "503_before":
            return _error(503, 1009503, "Service unavailable, please retry later")
        if fault == "429":
            return _error(
                429, 1000429, "Too many requests", headers={"Retry-After": self.retry_after}
            )
        with self._lock:
            if body["external_id"] in self.transactions:
                return _error(400, 1007001, "Transaction external ID has already been used")
            if self.balance_usd < Decimal("1"):
                return _error(400, 1006001, "Insufficient balance")
            msisdn = body["credit_party_identifier"]["mobile_number"]
            final = SUFFIX_STATUS.get(msisdn[-3:], "COMPLETED")
            steps = ["SUBMITTED", final]
            if body["external_id"] in self.reverse:
                steps.append("REVERSED")
            tx = self._record(body, steps)
        if fault == "timeout_after_accept":
            time.sleep(self.slow_seconds)
        if fault == "500_after_accept":
            return _error(500, 1009001, "Unexpected error, please contact our support team")
        return _json(self._view(tx), status=201)

    def _record(self, body: dict[str, Any], steps: list[str]) -> Tx:
        self._next_id += 1
        tx = Tx(self._next_id, body, steps)
        self.transactions[body["external_id"]] = tx
        return tx

    def _by_external_id(self, external_id: str) -> Response:
        with self._lock:
            tx = self.transactions.get(external_id)
            if tx is None:
                return _error(404, 1008004, "Transaction not found")
            return _json([self._view(self._advance(tx))])

    def _by_id(self, tx_id: int) -> Response:
        with self._lock:
            tx = next((t for t in self.transactions.values() if t.id == tx_id), None)
            if tx is None:
                return _error(404, 1008004, "Transaction not found")
            return _json(self._view(self._advance(tx)))

    def _advance(self, tx: Tx) -> Tx:
        if tx.steps:
            tx.status = tx.steps.pop(0)
        return tx

    def _view(self, tx: Tx) -> dict[str, Any]:
        klass = tx.status.split("-")[0]
        done = klass in ("COMPLETED", "REVERSED")
        return {
            "id": tx.id,
            "external_id": tx.body["external_id"],
            "creation_date": "2026-11-25T07:03:12.000000000Z",
            "confirmation_expiration_date": "2026-11-25T08:03:12.000000000Z",
            "confirmation_date": "2026-11-25T07:03:12.000000000Z",
            "status": {
                "id": CLASSES[klass] * 10000,
                "message": tx.status,
                "class": {"id": CLASSES[klass], "message": klass},
            },
            "operator_reference": f"SMT{tx.id}" if done else None,
            "pin": None,
            "product": {
                k: v
                for k, v in _fixed(tx.body["product_id"], "5.00").items()
                if k
                in ("id", "name", "description", "tags", "service", "operator", "regions", "type")
            },
            "prices": {
                "wholesale": {
                    "unit_type": "CURRENCY",
                    "unit": "USD",
                    "amount": Decimal("4.85"),
                    "fee": 0,
                },
                "retail": None,
            },
            "rates": {"base": 1, "wholesale": Decimal("1.03"), "retail": None},
            "benefits": None,
            "promotions": None,
            "requested_values": None,
            "adjusted_values": None,
            "sender": None,
            "beneficiary": None,
            "debit_party_identifier": None,
            "credit_party_identifier": tx.body["credit_party_identifier"],
            "statement_identifier": None,
            "callback_url": tx.body.get("callback_url"),
        }


class _Encoder(json.JSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            return float(o)  # the stand-in's own wire format; the client never sees a float
        return super().default(o)


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(data, cls=_Encoder),
        status=status,
        headers=headers,
        content_type="application/json",
    )


def _error(status: int, code: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return _json({"errors": [{"code": code, "message": message}]}, status=status, headers=headers)
