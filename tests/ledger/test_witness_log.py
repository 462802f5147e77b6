"""The witness log: a line is in the file when the sale returns, and on disk soon after.

The fsync runs on a thread beside the sale (`SYNCER`), so a failure there must still be
counted and said, as a failed write is."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from counter.storage import witness
from counter.storage.anchors import Sealer
from counter.storage.witness import SYNCER, WitnessLog, read_witness

KEY = b"k" * 32


def test_a_line_is_in_the_file_at_once_and_reads_back_signed(tmp_path: Path) -> None:
    log = WitnessLog(tmp_path / "stick", Sealer(KEY), "A")
    assert log.append("commit", {"sales:A": (3, "ab" * 32)}, {"A": 3})
    assert log.file is not None
    line = json.loads(log.file.read_text())  # before any drain: written, not yet synced
    assert line["heads"] == {"sales:A": [3, "ab" * 32]}
    SYNCER.drain()
    reading = read_witness([log.file], Sealer(KEY))
    assert [(w.event, w.receipts) for w in reading.lines] == [("commit", {"A": 3})]
    assert reading.problems == []
    assert log.file.stat().st_mode & 0o777 == 0o600
    assert log.failures == 0


def test_a_failed_fsync_on_the_thread_is_counted_and_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = WitnessLog(tmp_path / "stick", Sealer(KEY), "A")
    real_open = os.open

    def no_sync(path: object, flags: int, *args: object) -> int:
        if flags == os.O_RDONLY:  # the syncer's open, not the append's
            raise OSError(5, "Input/output error")
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(witness.os, "open", no_sync)
    assert log.append("commit", {"audit": (1, "cd" * 32)}, {})
    SYNCER.drain()
    assert log.failures == 1
    assert log.last_error is not None
    assert "Cannot write the witness log" in log.last_error
    assert "Input/output error" in log.last_error


def test_a_stick_that_is_gone_fails_the_line_not_the_caller(tmp_path: Path) -> None:
    (tmp_path / "stick").write_text("not a folder")
    log = WitnessLog(tmp_path / "stick", Sealer(KEY), "A")
    assert log.append("commit", {"audit": (1, "cd" * 32)}, {}) is False
    assert log.failures == 1
