"""`counter admin-reset NAME --by-pepper PATH`: the way back when the only admin's PIN is gone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from counter.bootstrap import open_ledger
from counter.config import load_settings
from tests.cli.shop import ADMIN, CLERK, set_up_cli_shop
from tests.support.cli import counter
from tests.support.made_shop import copy_into, home_for_making


@pytest.fixture(scope="module")
def made_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    made = tmp_path_factory.mktemp("reset-shop")
    with home_for_making(made):
        set_up_cli_shop()
    return made


@pytest.fixture
def home(made_shop: Path, counter_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return copy_into(made_shop, counter_home, monkeypatch)


def _add_clerk(pin: str) -> int:
    return counter(
        "users", "add", "Kosal", "--role", "clerk", "--by", ADMIN, pin=pin, new_pin="1357"
    ).returncode


def test_the_pepper_holder_sets_a_locked_out_admins_pin(home: Path) -> None:
    for _ in range(5):  # the PIN is forgotten: the admin locks themself out
        assert _add_clerk("0000") == 1
    locked = counter("users", "add", "Kosal", "--role", "clerk", "--by", ADMIN, pin="1234")
    assert locked.returncode == 1 and "is locked after 5 wrong PINs" in locked.stderr
    done = counter("admin-reset", ADMIN, "--by-pepper", str(home / "pepper.key"), new_pin="8642")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "Sok's PIN is set again and the account is open; the recovery is in the audit log."
    )
    assert _add_clerk("1234") == 1, "the old PIN no longer works"
    assert _add_clerk("8642") == 0
    with open_ledger(load_settings()) as ledger, ledger.uow(write=False) as uow:
        (entry,) = uow.audit.entries(action="admin_recovered")
    assert entry.actor.startswith("recovery (")
    assert json.loads(entry.detail)["user"] == ADMIN
    assert counter("doctor").returncode == 0


def test_without_the_pepper_or_for_a_clerk_nothing_changes(home: Path) -> None:
    fake = home / "guess.key"
    fake.write_text("0" * 64 + "\n", encoding="utf-8")
    wrong = counter("admin-reset", ADMIN, "--by-pepper", str(fake), new_pin="8642")
    assert wrong.returncode == 1
    assert wrong.stderr.strip() == (
        "That file is not this shop's pepper: the recovery needs the pepper.key the PINs "
        "are made with. Nothing was changed."
    )
    missing = counter("admin-reset", ADMIN, "--by-pepper", str(home / "none.key"), new_pin="8642")
    assert missing.returncode == 1
    assert missing.stderr.startswith(f"Cannot read the pepper file {home / 'none.key'}")
    clerk = counter("admin-reset", CLERK, "--by-pepper", str(home / "pepper.key"), new_pin="8642")
    assert clerk.returncode == 1
    assert clerk.stderr.startswith("Dara is a clerk: the recovery sets an admin's PIN only")
    assert _add_clerk("1234") == 0, "the admin's PIN is unchanged"
