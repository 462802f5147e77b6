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
def the_process_keeps_its_language() -> Iterator[None]:
    """The screen speaks with its own voice: a clerk who reads Chinese never changes the
    language of the process the screen runs in (a report, another test)."""
    from counter.i18n import get_language

    before = get_language()
    yield
    assert get_language() == before, "the screen changed the process's language"
