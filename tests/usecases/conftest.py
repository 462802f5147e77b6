"""Use cases on the in-memory unit of work (`tests/fakes.py`): no database, milliseconds."""

from __future__ import annotations

import pytest

from tests.usecases.shop import FakeShop, fake_shop


@pytest.fixture
def shop() -> FakeShop:
    """The shop with today's opening cash entered: the clerk may sell."""
    return fake_shop()


@pytest.fixture
def unopened() -> FakeShop:
    """The shop at the start of the day: the drawer is not counted yet."""
    return fake_shop(opening_cash=False)
