"""The benchmark scripts still run: a figure in docs/ is only worth the script behind it.

Tiny sizes, so this checks that each script works end to end and prints its figures; the
figures themselves are measured by running the scripts as docs/benchmarks.md says.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def run_script(name: str, *args: str, cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, str(SCRIPTS / name), *args],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=cwd,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_bench_ledger_prints_a_ratio(counter_home: Path) -> None:
    out = run_script("bench_ledger.py", "--sales", "5", cwd=counter_home)
    assert "ratio" in out and "sell() median" in out


def test_bench_ledger_profile_prints_each_section_and_the_replay(counter_home: Path) -> None:
    out = run_script("bench_ledger.py", "--profile", "--sales", "3", cwd=counter_home)
    assert "context: BEGIN + 1 SELECT" in out and "COMMIT" in out
    assert "on a raw sqlite3 connection, with COMMIT" in out


def test_bench_report_prints_both_ledgers(tmp_path: Path, counter_home: Path) -> None:
    out = run_script(
        "bench_report.py",
        "--dir",
        str(tmp_path),
        "--small",
        "200",
        "--big",
        "400",
        "--per-day",
        "100",
        "--runs",
        "1",
        cwd=counter_home,
    )
    assert "ratio" in out


@pytest.mark.timeout(240)
def test_bench_startup_reaches_login_and_sells(counter_home: Path) -> None:
    out = run_script("bench_startup.py", "--runs", "1", "--sales", "2", cwd=counter_home)
    assert "counter to login" in out and "confirm -> Sold, 2 sales" in out


def test_bench_check_prints_a_ratio_and_what_check_loaded(counter_home: Path) -> None:
    out = run_script("bench_check.py", "--runs", "2", cwd=counter_home)
    assert "ratio" in out
    assert "counter check loaded: nothing heavy" in out  # no SQLAlchemy, ReportLab, Babel...


def test_bench_display_prints_the_latency_and_its_floor(counter_home: Path, need_tool) -> None:  # type: ignore[no-untyped-def]
    need_tool("chromium")
    out = run_script(
        "bench_display.py", "--states", "5", "--khqr", "1", "--gap-ms", "5", cwd=counter_home
    )
    assert "show() -> DOM, typing, 5 states" in out and "ratio" in out and "KHQR" in out


def test_bench_paper_prints_every_figure(tmp_path: Path) -> None:
    out = run_script("bench_paper.py", "--runs", "1", cwd=tmp_path)
    assert out.count("ratio") == 7 and "floor" in out


def test_bench_login_sale_prints_p99_and_busy_timeouts(counter_home: Path) -> None:
    out = run_script("bench_login_sale.py", "--processes", "2", "--sales", "2", cwd=counter_home)
    assert "busy timeouts" in out and "p99" in out and "ratio" in out


def test_bench_help_prints_the_f1_times_and_a_ratio(counter_home: Path) -> None:
    out = run_script("bench_help.py", "--runs", "1", cwd=counter_home)
    assert "F1 first time" in out and "F1 after" in out and "ratio" in out
