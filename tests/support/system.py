"""Tests that need a system tool or service: skip on a developer's machine, fail in CI.

A developer without tmux or PostgreSQL should still get a green run of everything else,
so such tests skip. CI sets COUNTER_REQUIRE_SYSTEM=1 (see .ci/run): there a missing tool
means the CI setup is broken, and a silent skip would hide untested code, so it fails.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import pytest

REQUIRE_ENV = "COUNTER_REQUIRE_SYSTEM"
PG_URL_ENV = "COUNTER_TEST_PG_URL"
CUPS_QUEUE_ENV = "COUNTER_TEST_CUPS_QUEUE"

# Test-infrastructure settings: kept when the app's own COUNTER_* settings are cleared.
INFRA_ENV = frozenset({REQUIRE_ENV, PG_URL_ENV, CUPS_QUEUE_ENV})

# Which Debian package brings a tool, so the skip reason says what to install.
DEBIAN_PACKAGE = {
    "tmux": "tmux",
    "pdftotext": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "zbarimg": "zbar-tools",
    "lp": "cups-client",
    "lpstat": "cups-client",
    "gs": "ghostscript",
    "psql": "postgresql-client",
    "chromium": "chromium",
}


def system_required() -> bool:
    return os.environ.get(REQUIRE_ENV, "").strip() not in ("", "0")


def missing(reason: str) -> NoReturn:
    """Skip the current test, or fail it when the environment promises every tool."""
    if system_required():
        pytest.fail(f"{reason} [{REQUIRE_ENV}=1, so this fails instead of skipping]", pytrace=False)
    pytest.skip(reason)


def require_tool(name: str) -> str:
    """Return the full path of a program on PATH, or skip/fail the test."""
    path = shutil.which(name)
    if path is None:
        package = DEBIAN_PACKAGE.get(name)
        hint = f" (Debian package {package})" if package else ""
        missing(f"needs the system tool {name!r}, which is not on PATH{hint}")
    return path


def require_env(name: str, what: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        missing(f"needs {what}: set {name}")
    return value


def require_pg_url() -> str:
    return require_env(PG_URL_ENV, "PostgreSQL (scripts/pg_local starts one)")


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """Create a uniquely named database on the server of `server_url`; drop it afterwards.

    Yields the SQLAlchemy URL of the new database, so tests never see each other's rows.
    """
    # Imported here so collecting tests that never touch PostgreSQL stays fast.
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(server_url)
    name = f"counter_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(
            host=url.host,
            port=url.port,
            user=url.username,
            password=url.password,
            dbname="postgres",
            autocommit=True,
            connect_timeout=5,
        )
    except psycopg.OperationalError as exc:
        missing(f"cannot reach PostgreSQL at {url.render_as_string(hide_password=True)}: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            # FORCE: a test that leaked a connection must not leave the database behind.
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Fixtures: tests/conftest.py imports these by name.


@pytest.fixture
def need_tool() -> object:
    """`need_tool("tmux")` returns the tool's path, or skips/fails the test."""
    return require_tool


@pytest.fixture
def counter_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty COUNTER_HOME, with no COUNTER_* setting leaking in from the machine."""
    for key in list(os.environ):
        if key.startswith("COUNTER_") and key not in INFRA_ENV:
            monkeypatch.delenv(key)
    monkeypatch.setenv("COUNTER_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def pg_url() -> Iterator[str]:
    """SQLAlchemy URL of a fresh, empty PostgreSQL database for this test only."""
    with fresh_database(require_pg_url()) as url:
        yield url
