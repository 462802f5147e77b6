"""`counter backup` killed with SIGKILL at several points never leaves a file under its name.

The child is the installed command in its own process (the process is the point). It is
killed when its work folder appears (the copy is being made), when the copy is in it (the
doctor runs on the copy), when the packed file appears (the tar is being written), and at
moments spread over a whole run. After each kill the backup's name is either absent or a
whole backup whose manifest sums match; a run left alone writes one that restores.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from counter.backup_bundle import open_bundle
from counter.services import sell
from tests.ledger.conftest import Shop
from tests.support.cli import counter
from tests.support.made_shop import kill_when, start_counter


def _start(target: Path) -> subprocess.Popen[bytes]:
    return start_counter("backup", "--to", str(target))


def _work_folder(target: Path) -> bool:
    return any(p.is_dir() for p in target.parent.glob(f".{target.name}.*.partial"))


def _copy_made(target: Path) -> bool:
    return any((p / "ledger.sqlite3").exists() for p in target.parent.glob(f".{target.name}.*"))


def _packing(target: Path) -> bool:
    return any(p.is_file() for p in target.parent.glob(f".{target.name}.*.partial"))


def _whole_or_absent(target: Path, tmp: Path) -> str:
    if not target.exists():
        return "absent"
    work = tmp / f"check-{target.name}"
    work.mkdir()
    bundle = open_bundle(target, work)  # raises if a sum or a member is wrong
    assert bundle.pepper and bundle.witness_key
    return "whole"


@pytest.mark.timeout(600)  # a dozen processes, each seconds long on a busy machine
def test_a_killed_backup_never_leaves_a_file_under_its_name(
    sqlite_shop: Shop, counter_home: Path
) -> None:
    for i in range(30):
        sell(sqlite_shop.ledger, sqlite_shop.clerk, f"012 {i:06d}", "1")
    sqlite_shop.ledger.close()
    out = counter_home / "out"
    out.mkdir()
    check = counter_home / "checks"
    check.mkdir()

    started = time.monotonic()
    whole = _start(out / "alone.tar")
    assert whole.wait() == 0, whole.stderr.read() if whole.stderr else ""
    took = time.monotonic() - started
    assert _whole_or_absent(out / "alone.tar", check) == "whole"

    outcomes: dict[str, str] = {}
    points: list[tuple[str, Callable[[Path], bool]]] = [
        ("work folder made", _work_folder),
        ("copy made, doctor running", _copy_made),
        ("packing the file", _packing),
    ]
    for name, point in points:
        target = out / f"{name.replace(' ', '-').replace(',', '')}.tar"
        child = _start(target)
        killed = kill_when(child, lambda t=target, p=point: p(t))  # type: ignore[misc]
        outcomes[name] = ("killed, " if killed else "finished, ") + _whole_or_absent(target, check)
    for fraction in (0.3, 0.6, 0.8, 0.95):
        target = out / f"at-{fraction}.tar"
        child = _start(target)
        time.sleep(took * fraction)
        child.send_signal(signal.SIGKILL)
        child.wait()
        outcomes[f"at {fraction:.0%} of a run"] = _whole_or_absent(target, check)
    print(outcomes)
    assert outcomes["work folder made"] == "killed, absent"
    assert all(o.endswith(("absent", "whole")) for o in outcomes.values())
    names = {p.name for p in out.iterdir() if not p.name.startswith(".")}
    assert all(n.endswith(".tar") for n in names)

    # Each backup above removed what the kills before it left; one more kill, then a backup.
    assert kill_when(_start(out / "last.tar"), lambda: _work_folder(out / "last.tar"))
    left = sorted(out.glob(".*.partial"))
    assert left, "the kill at 'work folder made' leaves its work folder"
    after = counter("backup", "--to", str(out / "after.tar"))
    assert after.returncode == 0, after.stderr
    assert (
        "Removed what a stopped backup, restore or file write had left half-made: "
        f"{', '.join(str(p) for p in left)}."
    ) in after.stderr.splitlines()
    assert not list(out.glob(".*.partial"))


@pytest.mark.timeout(600)
def test_a_backup_running_at_the_same_moment_keeps_its_partial(
    sqlite_shop: Shop, counter_home: Path
) -> None:
    for i in range(30):
        sell(sqlite_shop.ledger, sqlite_shop.clerk, f"012 {i:06d}", "1")
    sqlite_shop.ledger.close()
    out = counter_home / "out"
    out.mkdir()
    running = out / "running.tar"
    child = _start(running)
    try:
        assert kill_when(child, lambda: _work_folder(running), signal.SIGSTOP)
        (work,) = out.glob(f".{running.name}.*-{child.pid}-*.partial")
        other = counter("backup", "--to", str(out / "other.tar"))
        assert other.returncode == 0, other.stderr
        assert "Removed what" not in other.stderr
        assert work.is_dir(), "the live backup's work folder is never touched"
    finally:
        child.send_signal(signal.SIGCONT)
    assert child.wait() == 0, child.stderr.read() if child.stderr else ""
    check = counter_home / "checks"
    check.mkdir()
    assert _whole_or_absent(running, check) == "whole"
    assert not list(out.glob(".*.partial"))


def test_only_this_machine_s_partials_of_ended_processes_are_removed(tmp_path: Path) -> None:
    from counter.files import process_tag, remove_stale_partials

    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    living = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    host = process_tag().rsplit("-", 1)[0]
    try:
        names = {
            "ended": f".day.pdf.{host}-{ended.pid}-ab12cd_3.partial",
            "ended restore": f".restore-{host}-{ended.pid}-x1y2z3.partial",
            "living": f".day.pdf.{host}-{living.pid}-ab12cd_3.partial",
            "mine": f".day.pdf.{process_tag()}-ab12cd_3.partial",
            "other machine": f".day.pdf.othertill-{ended.pid}-ab12cd_3.partial",
            "not a partial": ".day.pdf.12-ab.tmp",
        }
        for kind, name in names.items():
            if "restore" in kind:
                (tmp_path / name).mkdir()
                (tmp_path / name / "ledger.sqlite3").write_bytes(b"x")
            else:
                (tmp_path / name).write_bytes(b"x")
        removed = remove_stale_partials(tmp_path)
    finally:
        living.kill()
        living.wait()
    assert sorted(p.name for p in removed) == sorted([names["ended"], names["ended restore"]])
    left = {p.name for p in tmp_path.iterdir()}
    assert left == {names[k] for k in ("living", "mine", "other machine", "not a partial")}
