"""A child process that closes the day and is killed between the commit and the Z report.

Run by test_close_kill.py: `python -m tests.ledger.closer MARK_FILE DAY` with COUNTER_HOME
set. Its report writer stands for the PDF being written: it marks MARK_FILE (the close is
committed by then) and waits to be killed, so the day is closed with no Z report.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from counter.bootstrap import open_ledger
from counter.config import load_settings
from counter.services import close_day, find_user


class Stalled:
    """A report writer that never finishes: the process dies while it writes."""

    def __init__(self, mark: Path) -> None:
        self.mark = mark

    def write(self, *args: Any, **kwargs: Any) -> list[Path]:
        self.mark.write_text("committed\n", encoding="ascii")
        while True:
            time.sleep(1)


def main() -> None:
    mark, day = Path(sys.argv[1]), date.fromisoformat(sys.argv[2])
    opened = open_ledger(load_settings())
    ledger = replace(opened, reports=Stalled(mark))
    close_day(
        ledger,
        day,
        "A",
        counted_usd_cents=None,
        counted_khr=None,
        supervisor_name="Vanna",
        supervisor_pin="2468",
        by=find_user(ledger, "Dara"),
    )


if __name__ == "__main__":
    main()
