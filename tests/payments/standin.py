"""A stand-in for the Bakong Open API over real HTTP (pytest-httpserver), answering what
Bakong documents: paid, not found, failed, token refused (401, errorCode 6), 5xx, 403, slow.

The real `BakongClient` runs against it. `pay(md5, ...)` makes a code paid (at once or
after some checks); `fail_next(...)` queues forced answers; `requests` records what came
in (path, Authorization header, JSON body) so tests can check what the client sent.
"""

from __future__ import annotations

import json
import re
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

NOT_FOUND = {
    "responseCode": 1,
    "responseMessage": "Transaction could not be found. Please check and try again.",
    "errorCode": 1,
    "data": None,
}
FAILED = {"responseCode": 1, "responseMessage": "Transaction failed.", "errorCode": 3, "data": None}
UNAUTHORIZED = {"responseCode": 1, "responseMessage": "Unauthorized", "errorCode": 6, "data": None}


@dataclass
class Seen:
    path: str
    authorization: str | None
    body: Any


class BakongStandIn:
    def __init__(self, server: HTTPServer, token: str) -> None:
        self.server = server
        self.token = token
        self.token_expired = False
        self.paid: dict[str, dict[str, Any]] = {}
        self.paid_after: dict[str, int] = {}  # md5 -> checks before it shows as paid
        self.failed: set[str] = set()
        self.forced: deque[tuple[str, Any]] = deque()
        self.requests: list[Seen] = []
        server.expect_request(re.compile(r"^/v1/.*"), method="POST").respond_with_handler(
            self.handle
        )

    @property
    def url(self) -> str:
        return self.server.url_for("").rstrip("/")

    # -- what the test sets up ----------------------------------------------------------

    def pay(
        self,
        md5: str,
        amount: float | int,
        currency: str = "USD",
        *,
        after_checks: int = 0,
        hash_: str = "8465d722d7d5065f2886d4a5c9a7a6bc2b0e5e2a6be6f3ef1d9d1d0b6f2e8c3e",
        to_account: str = "lucky_phone@aclb",
    ) -> None:
        self.paid[md5] = {
            "hash": hash_,
            "fromAccountId": "abaakhppxxx@abaa",
            "toAccountId": to_account,
            "currency": currency,
            "amount": amount,
            "description": "",
            "createdDateMs": 1764560100000.0,
            "acknowledgedDateMs": 1764560101000.0,
            "trackingStatus": None,
            "receiverBank": None,
            "receiverBankAccount": None,
            "instructionRef": None,
            "externalRef": "100FT36774348398",
        }
        self.paid_after[md5] = after_checks

    def fail_next(self, kind: str, value: Any = None, times: int = 1) -> None:
        """`status` (HTTP code), `slow` (seconds), `body` (raw text), `json` (a dict)."""
        self.forced.extend([(kind, value)] * times)

    def checks_of(self, md5: str) -> int:
        return sum(
            1 for r in self.requests if isinstance(r.body, dict) and r.body.get("md5") == md5
        )

    # -- the HTTP side ------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        body = json.loads(request.get_data() or b"null")
        self.requests.append(Seen(request.path, request.headers.get("Authorization"), body))
        if self.forced:
            kind, value = self.forced.popleft()
            if kind == "slow":
                time.sleep(value)
            elif kind == "status":
                return _json({"responseCode": 1, "responseMessage": "error"}, value)
            elif kind == "body":
                return Response(value, status=200, content_type="text/html")
            elif kind == "json":
                return _json(value)
        if request.headers.get("Authorization") != f"Bearer {self.token}" or self.token_expired:
            return _json(UNAUTHORIZED, 401)
        if request.path == "/v1/check_transaction_by_md5":
            return _json(self._one(body["md5"]))
        if request.path == "/v1/check_transaction_by_md5_list":
            if not isinstance(body, list) or len(body) > 50:
                return _json({"responseCode": 1, "responseMessage": "Bad request"}, 400)
            return _json(
                {
                    "responseCode": 0,
                    "responseMessage": "Getting transactions successfully.",
                    "errorCode": None,
                    "data": [self._item(md5) for md5 in body],
                }
            )
        return _json({"responseCode": 1, "responseMessage": "Not found"}, 404)

    def _one(self, md5: str) -> dict[str, Any]:
        if md5 in self.failed:
            return FAILED
        if md5 in self.paid and self.checks_of(md5) > self.paid_after[md5]:
            return {
                "responseCode": 0,
                "responseMessage": "Getting transaction successfully.",
                "errorCode": None,
                "data": self.paid[md5],
            }
        return NOT_FOUND

    def _item(self, md5: str) -> dict[str, Any]:
        if md5 in self.paid:
            return {"md5": md5, "status": "SUCCESS", "message": "ok", "data": self.paid[md5]}
        return {
            "md5": md5,
            "status": "NOT_FOUND",
            "message": NOT_FOUND["responseMessage"],
            "data": None,
        }


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, content_type="application/json")
