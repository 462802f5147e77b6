"""The skip-versus-fail contract of tests/support/system.py."""

from __future__ import annotations

import os

import pytest

from tests.support import system

NO_SUCH_TOOL = "counter-no-such-tool-7f3a"

# textual-snapshot keeps session state in module globals; a nested session would clear the
# outer one's, so the nested runs go without it.
NESTED_ARGS = (
    "-p", "no:cacheprovider", "-p", "no:textual-snapshot",
    "-o", "asyncio_default_fixture_loop_scope=function",
)  # fmt: skip


@pytest.fixture
def relaxed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(system.REQUIRE_ENV, raising=False)


@pytest.fixture
def strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(system.REQUIRE_ENV, "1")


@pytest.mark.usefixtures("relaxed")
def test_missing_tool_skips_by_default() -> None:
    with pytest.raises(pytest.skip.Exception, match=NO_SUCH_TOOL):
        system.require_tool(NO_SUCH_TOOL)


@pytest.mark.usefixtures("strict")
def test_missing_tool_fails_when_system_required() -> None:
    with pytest.raises(pytest.fail.Exception, match=NO_SUCH_TOOL):
        system.require_tool(NO_SUCH_TOOL)


@pytest.mark.usefixtures("strict")
def test_present_tool_returns_its_path() -> None:
    assert os.path.isabs(system.require_tool("sh"))


def test_require_system_zero_means_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(system.REQUIRE_ENV, "0")
    with pytest.raises(pytest.skip.Exception):
        system.require_tool(NO_SUCH_TOOL)


def test_skip_reason_names_the_debian_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(system.REQUIRE_ENV, raising=False)
    monkeypatch.setenv("PATH", "")
    with pytest.raises(pytest.skip.Exception, match="zbar-tools"):
        system.require_tool("zbarimg")


@pytest.mark.usefixtures("strict")
def test_missing_pg_url_fails_when_system_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(system.PG_URL_ENV, raising=False)
    with pytest.raises(pytest.fail.Exception, match=system.PG_URL_ENV):
        system.require_pg_url()


@pytest.mark.usefixtures("relaxed")
def test_missing_pg_url_skips_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(system.PG_URL_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match=system.PG_URL_ENV):
        system.require_pg_url()


def test_counter_home_isolates_settings(
    monkeypatch: pytest.MonkeyPatch, pytester: pytest.Pytester
) -> None:
    # Set before the fixture runs, as a leaked machine setting would be.
    monkeypatch.setenv("COUNTER_DATABASE_URL", "sqlite:////leaked.db")
    pytester.makeconftest("from tests.support.system import counter_home  # noqa: F401")
    pytester.makepyfile(
        """
        import os

        def test_it(counter_home):
            assert os.environ["COUNTER_HOME"] == str(counter_home)
            assert "COUNTER_DATABASE_URL" not in os.environ
        """
    )
    pytester.runpytest_inprocess(*NESTED_ARGS).assert_outcomes(passed=1)
    assert os.environ["COUNTER_DATABASE_URL"] == "sqlite:////leaked.db"


# End to end through the fixture, as a real test would use it.
FIXTURE_USER = """
def test_uses_tool(need_tool):
    need_tool("counter-no-such-tool-7f3a")
"""


def test_fixture_skips_in_a_real_session(
    monkeypatch: pytest.MonkeyPatch, pytester: pytest.Pytester
) -> None:
    monkeypatch.delenv(system.REQUIRE_ENV, raising=False)
    pytester.makeconftest("from tests.support.system import need_tool  # noqa: F401")
    pytester.makepyfile(FIXTURE_USER)
    pytester.runpytest_inprocess(*NESTED_ARGS).assert_outcomes(skipped=1)


def test_fixture_fails_in_a_real_session_when_required(
    monkeypatch: pytest.MonkeyPatch, pytester: pytest.Pytester
) -> None:
    monkeypatch.setenv(system.REQUIRE_ENV, "1")
    pytester.makeconftest("from tests.support.system import need_tool  # noqa: F401")
    pytester.makepyfile(FIXTURE_USER)
    result = pytester.runpytest_inprocess(*NESTED_ARGS)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*COUNTER_REQUIRE_SYSTEM=1*"])


def test_pg_url_gives_an_empty_private_database(pg_url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(pg_url)
    try:
        with engine.connect() as conn:
            name = conn.execute(text("select current_database()")).scalar_one()
            tables = conn.execute(
                text("select count(*) from information_schema.tables where table_schema='public'")
            ).scalar_one()
    finally:
        engine.dispose()
    assert name.startswith("counter_test_")
    assert tables == 0
