"""Suite-wide fixtures. System-dependent logic lives in tests/support/system.py."""

from __future__ import annotations

import pytest

from tests.support.system import counter_home, need_tool, pg_url

__all__ = ["counter_home", "need_tool", "pg_url"]

# test_support_system.py runs small pytest sessions of its own.
pytest_plugins = ["pytester"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Tests asking for these fixtures get the markers, so `-m "not pg"` works without
    # every author remembering to add them.
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "pg_url" in names:
            item.add_marker(pytest.mark.pg)
        if "need_tool" in names:
            item.add_marker(pytest.mark.system)
