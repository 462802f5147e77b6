"""No one-command loss: every file a command writes goes through `cli.output.output_path`.

The ledger, its companions, the pepper, the witness key, counter.toml, the witness folder
and anything that is not a regular file are refused in a sentence; an existing file needs
`--force`, a missing folder `--mkdir`; what is written is 0600 and published by rename.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counter.cli.app import Refused
from counter.cli.output import output_path
from counter.config import load_settings
from tests.cli.shop import ADMIN, ADMIN_PIN, CLERK, CLERK_PIN, set_up_cli_shop
from tests.support.cli import counter
from tests.support.made_shop import copy_into, home_for_making


@pytest.fixture(scope="module")
def made_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One shop with one sale, set up through the CLI once for the module (it is slow)."""
    made = tmp_path_factory.mktemp("shop")
    with home_for_making(made):
        set_up_cli_shop()
        sold = counter("sell", "012 345 678", "5", "--clerk", CLERK, pin=CLERK_PIN)
        assert sold.returncode == 0, sold.stderr
    return made


@pytest.fixture
def home(made_shop: Path, counter_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the module's shop in this test's COUNTER_HOME."""
    return copy_into(made_shop, counter_home, monkeypatch)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _kept(home: Path) -> dict[str, str]:
    """What must never change: the ledger, its keys, its settings, its witness log."""
    names = ["ledger.sqlite3", "pepper.key", "witness.key", "counter.toml"]
    found = {n: _digest(home / n) for n in names if (home / n).exists()}
    found.update({str(p): _digest(p) for p in (home / "witness").glob("*")})
    return found


def test_export_over_the_ledger_is_refused_and_the_ledger_is_untouched(home: Path) -> None:
    before = _kept(home)
    done = counter("export", "--output", str(home / "ledger.sqlite3"), "--force")
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"{home / 'ledger.sqlite3'} is the ledger: no command writes over it. "
        "Choose another file name."
    )
    assert _kept(home) == before
    assert counter("doctor").returncode == 0
    assert (home / "counter.toml").stat().st_mode & 0o777 == 0o600, "written by init, 0600"


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("ledger.sqlite3-wal", "belongs to the ledger (its -wal file)"),
        ("ledger.sqlite3-shm", "belongs to the ledger (its -shm file)"),
        ("ledger.sqlite3-journal", "belongs to the ledger (its -journal file)"),
        ("pepper.key", "is the pepper that makes the PINs work"),
        ("witness.key", "is the witness key that seals the ledger"),
        ("counter.toml", "holds this counter's settings"),
        ("witness/witness-A.log", "is in the witness folder"),
        ("witness/new.csv", "is in the witness folder"),
    ],
)
def test_each_file_the_shop_needs_is_refused_in_its_own_sentence(
    home: Path, name: str, start: str
) -> None:
    before = _kept(home)
    for args in (
        ("export", "--output", str(home / name), "--force"),
        ("report", "--format", "csv", "--output", str(home / name), "--force"),
        ("x-report", "--output", str(home / name), "--force"),
    ):
        done = counter(*args)
        assert done.returncode == 1, args
        assert done.stderr.startswith(f"{home / name} {start}"), done.stderr
        assert done.stderr.count("\n") == 1
    assert _kept(home) == before


def test_a_link_to_the_ledger_is_the_ledger(home: Path) -> None:
    (home / "innocent.csv").symlink_to(home / "ledger.sqlite3")
    before = _kept(home)
    done = counter("export", "--output", str(home / "innocent.csv"), "--force")
    assert done.returncode == 1
    assert "is the ledger" in done.stderr
    os.link(home / "pepper.key", home / "hard.csv")
    done = counter("export", "--output", str(home / "hard.csv"), "--force")
    assert done.returncode == 1 and "is the pepper" in done.stderr
    assert _kept(home) == before


@pytest.mark.parametrize("device", ["/dev/full", "/dev/null"])
def test_devices_are_refused_and_stay_devices(home: Path, device: str) -> None:
    for args in (
        ("export", "--output", device, "--force"),
        ("report", "--output", device, "--force"),
    ):
        done = counter(*args)
        assert done.returncode == 1
        assert done.stderr.strip() == (
            f"{device} is a device, not a regular file: nothing is written there."
        )
    assert stat.S_ISCHR(os.stat(device).st_mode)


def test_a_pipe_and_a_folder_are_refused(home: Path) -> None:
    os.mkfifo(home / "pipe.csv")
    (home / "folder.csv").mkdir()
    pipe = counter("export", "--output", str(home / "pipe.csv"), "--force")
    assert pipe.stderr.strip().endswith("is a pipe, not a regular file: nothing is written there.")
    folder = counter("export", "--output", str(home / "folder.csv"), "--force")
    assert folder.stderr.strip().endswith(
        "is a folder, not a regular file: nothing is written there."
    )


def test_an_existing_file_needs_force_and_a_missing_folder_needs_mkdir(home: Path) -> None:
    target = home / "sales.csv"
    target.write_text("keep me\n", encoding="utf-8")
    refused = counter("export", "--by", ADMIN, "--output", str(target), pin=ADMIN_PIN)
    assert refused.returncode == 1
    assert refused.stderr.strip() == f"{target} already exists: add --force to replace it."
    assert target.read_text(encoding="utf-8") == "keep me\n"
    forced = counter("export", "--by", ADMIN, "--output", str(target), "--force", pin=ADMIN_PIN)
    assert forced.returncode == 0, forced.stderr
    assert target.read_text(encoding="utf-8").startswith("receipt_no,")
    assert target.stat().st_mode & 0o777 == 0o600

    deep = home / "new folder" / "月" / "sales.csv"
    missing = counter("export", "--by", ADMIN, "--output", str(deep), pin=ADMIN_PIN)
    assert missing.returncode == 1
    assert missing.stderr.strip() == (
        f"The folder {deep.parent} does not exist: add --mkdir to create it."
    )
    assert not deep.parent.exists()
    made = counter("export", "--by", ADMIN, "--output", str(deep), "--mkdir", pin=ADMIN_PIN)
    assert made.returncode == 0, made.stderr
    assert deep.stat().st_mode & 0o777 == 0o600
    assert not list(deep.parent.glob(".*.partial")), "published by rename"


def test_report_files_are_checked_too(home: Path) -> None:
    first = counter(
        "report",
        "--format",
        "csv",
        "--by",
        ADMIN,
        "--output",
        str(home / "out" / "day.csv"),
        pin=ADMIN_PIN,
    )
    assert first.returncode == 1 and "add --mkdir" in first.stderr
    made = counter(
        "report",
        "--format",
        "csv",
        "--by",
        ADMIN,
        "--output",
        str(home / "out" / "day.csv"),
        "--mkdir",
        pin=ADMIN_PIN,
    )
    assert made.returncode == 0, made.stderr
    again = counter(
        "report",
        "--format",
        "csv",
        "--by",
        ADMIN,
        "--output",
        str(home / "out" / "day.csv"),
        pin=ADMIN_PIN,
    )
    assert again.returncode == 1 and "already exists: add --force" in again.stderr
    assert (
        counter(
            "report",
            "--format",
            "csv",
            "--by",
            ADMIN,
            "--output",
            str(home / "out"),
            "--force",
            pin=ADMIN_PIN,
        ).returncode
        == 0
    )
    written = sorted(p.name for p in (home / "out").iterdir())
    assert "day.csv" in written and "day-totals.csv" in written
    assert all((home / "out" / n).stat().st_mode & 0o777 == 0o600 for n in written)
    default = [counter("report").returncode, counter("report").returncode]
    assert default == [0, 0], "the shop's own reports folder: written again in place"


# -- fuzzing the paths -------------------------------------------------------------------

_PARTS = st.sampled_from(
    [
        "..",
        ".",
        "ledger.sqlite3",
        "ledger.sqlite3-wal",
        "pepper.key",
        "witness.key",
        "counter.toml",
        "witness",
        "to-ledger",
        "to-null",
        "to-missing",
        "sub",
        "pipe",
        "new dir",
        "sales.csv",
        "é 文件.csv",
        " ",
        "ملف",
    ]
)


def _tree(home: Path) -> None:
    (home / "sub").mkdir(exist_ok=True)
    (home / "sales.csv").write_text("old\n", encoding="utf-8")
    for name, target in (
        ("to-ledger", home / "ledger.sqlite3"),
        ("to-null", Path("/dev/null")),
        ("to-missing", home / "nowhere.csv"),
    ):
        if not (home / name).is_symlink():
            (home / name).symlink_to(target)
    if not (home / "pipe").exists():
        os.mkfifo(home / "pipe")


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    parts=st.lists(_PARTS, min_size=1, max_size=5),
    absolute=st.booleans(),
    slash=st.booleans(),
    force=st.booleans(),
    mkdir=st.booleans(),
)
def test_no_odd_path_reaches_what_the_shop_needs(
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    parts: list[str],
    absolute: bool,
    slash: bool,
    force: bool,
    mkdir: bool,
) -> None:
    _tree(home)
    monkeypatch.chdir(home / "sub")
    before = _kept(home)
    shop = load_settings()
    text = "/".join(parts) + ("/" if slash else "")
    given_path = str(home / "sub" / text) if absolute else text
    try:
        path = output_path(given_path, shop, force=force, mkdir=mkdir)
    except Refused as refused:
        message = str(refused)
        assert message and "\n" not in message and message.endswith(".")
        assert "Traceback" not in message and "Errno" not in message
    else:
        real = Path(os.path.realpath(path))
        guarded = [
            home / n
            for n in (
                "ledger.sqlite3",
                "ledger.sqlite3-wal",
                "ledger.sqlite3-shm",
                "pepper.key",
                "witness.key",
                "counter.toml",
            )
        ]
        assert real not in {Path(os.path.realpath(g)) for g in guarded}
        assert Path(os.path.realpath(home / "witness")) not in [real, *real.parents]
        assert real.parent.is_dir()
        if real.exists():
            assert force and stat.S_ISREG(os.stat(real).st_mode)
    assert _kept(home) == before


def test_a_z_report_copy_over_the_ledger_is_refused(home: Path) -> None:
    before = _kept(home)
    done = counter("z-report", "--output", str(home / "ledger.sqlite3"), "--force")
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"{home / 'ledger.sqlite3'} is the ledger: no command writes over it. "
        "Choose another file name."
    )
    assert _kept(home) == before
