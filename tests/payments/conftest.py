"""Fixtures for the payments tests: a Bakong stand-in and a client pointed at it."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from counter.payments.bakong import BakongClient
from tests.payments.standin import BakongStandIn


def jwt(claims: dict[str, object]) -> str:
    """A token shaped like Bakong's (HS256 JWT); the signature is not checked by anyone here."""

    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


TOKEN = jwt({"data": {"id": "7f450ae23ada4150"}, "iat": 1764000000, "exp": 1771776000})


@pytest.fixture
def bakong(httpserver: HTTPServer) -> BakongStandIn:
    return BakongStandIn(httpserver, TOKEN)


@pytest.fixture
def client(bakong: BakongStandIn) -> Iterator[BakongClient]:
    with BakongClient(TOKEN, api_url=bakong.url, timeout=2.0) as c:
        yield c
