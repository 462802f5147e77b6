"""How long `counter backup` and `counter restore` take, against a bare online copy.

    .venv/bin/python scripts/seed_ledger.py --sales 50000 --days 50 --home /tmp/big
    COUNTER_PIN_HASH_PROFILE=test .venv/bin/python scripts/bench_backup.py --home /tmp/big

The floor, measured in the same run on the same ledger, is SQLite's online backup API
copying the file and nothing else. `backup` adds the integrity check and the doctor on the
copy, the SHA-256 sums and the tar; `restore` reads the tar back, checks it twice (before
and after recording the restore), and renames. The seeded ledger's admin is `Owner`, PIN
1234 (scripts/seed_ledger.py). Works on a copy of the home given: the seeded ledger stays.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path


def _floor(ledger: Path, target: Path) -> float:
    started = time.perf_counter()
    source = sqlite3.connect(f"file:{ledger}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    source.backup(copy)
    copy.close()
    source.close()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True, help="a seeded COUNTER_HOME (it is copied)")
    parser.add_argument("--admin", default="Owner")
    parser.add_argument("--pin", default="1234")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    home = work / "home"
    shutil.copytree(args.home, home)
    os.environ["COUNTER_HOME"] = str(home)
    from counter.backup_bundle import write_backup
    from counter.config import load_settings
    from counter.restoring import restore_backup

    settings = load_settings()
    megabytes = settings.ledger_path.stat().st_size / 1e6
    try:
        floor = _floor(settings.ledger_path, work / "floor.sqlite3")
        started = time.perf_counter()
        written = write_backup(settings, work / "bench.tar", damaged_ok=True)  # doctor runs all
        backup = time.perf_counter() - started
        restore = None
        if not written.problems:  # a copy with problems is refused by restore, rightly
            started = time.perf_counter()
            restore_backup(settings, written.path, args.admin, args.pin)
            restore = time.perf_counter() - started
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"ledger of {megabytes:.1f} MB")
    print(f"bare online copy (floor): {floor * 1000:,.0f} ms")
    print(f"counter backup:           {backup * 1000:,.0f} ms ({backup / floor:.1f}x the floor)")
    if restore is None:
        print(f"counter restore: not timed, the doctor finds {len(written.problems)} problems")
        print(f"  in this ledger, first: {written.problems[0]}")
    else:
        print(
            f"counter restore:          {restore * 1000:,.0f} ms ({restore / floor:.1f}x the floor)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
