"""Fixtures for the counter screen: an empty home, or a shop set up with three users."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.helpers import Shop, set_up_shop


@pytest.fixture
def screen_home(counter_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty COUNTER_HOME with fast PIN hashing and no idle lock unless a test asks."""
    monkeypatch.setenv("COUNTER_PIN_HASH_PROFILE", "test")
    return counter_home


@pytest.fixture
def shop(screen_home: Path) -> Iterator[Shop]:
    opened = set_up_shop()
    yield opened
    opened.ledger.close()


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """A test that switched the screen to Chinese leaves the process in English."""
    yield
    from counter.i18n import set_language

    set_language("en")
