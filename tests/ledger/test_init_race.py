"""Two machines running `counter init` on one empty PostgreSQL database at once.

One sets the shop up; the other, waiting on the set-up's lock, finds it set up and joins
it as a second counter (what `init` on a set-up shared ledger does), or, named the same
counter, says so in a sentence. Never a driver's message, never a half-made ledger:
doctor is clean afterwards.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ledger.initracer import PEPPER, WITNESS_KEY, race_init
from tests.ledger.racer import DRIVER_WORDS
from tests.support.system import fresh_database, require_pg_url

pytestmark = pytest.mark.pg
ROUNDS = 3


def _doctor(url: str, home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    from tests.support.cli import counter

    with monkeypatch.context() as env:
        env.setenv("COUNTER_HOME", str(home))
        env.setenv("COUNTER_DATABASE_URL", url)
        env.setenv("COUNTER_PEPPER", PEPPER)
        env.setenv("COUNTER_WITNESS_KEY", WITNESS_KEY)
        env.setenv("COUNTER_PIN_HASH_PROFILE", "test")
        checked = counter("doctor")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    return checked.stdout


def _no_driver_words(text: str) -> None:
    assert not any(word in text for word in DRIVER_WORDS), text
    assert "Traceback" not in text, text


@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_two_inits_with_new_codes_give_one_shop_with_both_counters(
    counter_home: Path, monkeypatch: pytest.MonkeyPatch, round_no: int
) -> None:
    homes = [(counter_home / "a", "A"), (counter_home / "b", "B")]
    for home, _code in homes:
        home.mkdir()
    with fresh_database(require_pg_url()) as url:
        outcomes = race_init(url, homes)
        for status, out, err in outcomes:
            _no_driver_words(err)
            assert status == 0, err
            assert "is ready" in out, out
        said = sorted(out.strip() for _s, out, _e in outcomes)
        assert said[0].startswith("Counter A") or said[0].startswith("Counter B"), said
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        with engine.connect() as db:
            shops = db.execute(text("SELECT count(*) FROM shop")).scalar_one()
            codes = list(db.execute(text("SELECT code FROM counters ORDER BY code")).scalars())
            admins = db.execute(text("SELECT count(*) FROM users")).scalar_one()
        engine.dispose()
        assert (shops, codes, admins) == (1, ["A", "B"], 1)
        assert "Ledger OK" in _doctor(url, homes[0][0], monkeypatch)


def test_two_inits_with_the_same_code_give_one_shop_and_one_sentence(
    counter_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    homes = [(counter_home / "a", "A"), (counter_home / "b", "A")]
    for home, _code in homes:
        home.mkdir()
    with fresh_database(require_pg_url()) as url:
        outcomes = race_init(url, homes)
        statuses = sorted(status for status, _o, _e in outcomes)
        assert statuses == [0, 1], outcomes
        (refusal,) = [err for status, _o, err in outcomes if status == 1]
        _no_driver_words(refusal)
        assert refusal.startswith("Counter A already exists in this ledger (counters: A)")
        assert "Ledger OK" in _doctor(url, homes[0][0], monkeypatch)


def test_an_init_that_lost_the_race_with_another_admin_pin_says_what_happened(
    counter_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    homes = [(counter_home / "a", "A"), (counter_home / "b", "B")]
    for home, _code in homes:
        home.mkdir()
    with fresh_database(require_pg_url()) as url:
        outcomes = race_init(url, homes, pins=("1234", "9876"))
        done = [(status, err) for status, _o, err in outcomes]
        assert sorted(status for status, _e in done) == [0, 1], outcomes
        (refusal,) = [err for status, err in done if status == 1]
        _no_driver_words(refusal)
        joined = refusal.startswith("Another counter set this shop up a moment ago")
        assert joined, refusal
        assert "run init again with the name and PIN of one of its admins" in refusal
        assert "Ledger OK" in _doctor(url, homes[0][0], monkeypatch)
