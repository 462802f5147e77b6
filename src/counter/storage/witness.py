"""The witness log: the ledger's chain heads, appended to a file outside the ledger's folder.

After each commit that moves a head (a sale, a void, an audit entry, a close...) the unit
of work appends one line to `witness_dir/witness-<counter>.log` (meant for a USB stick or
a synced folder). The line is written before the sale returns (so it survives a crash of
the process); the fsync that makes it survive a power cut runs on a thread beside the
sale, a few milliseconds later, so a slow stick never slows the counter. A line is JSON:

    {"at": "2026-11-25T03:00:01.000000Z", "by": "A", "event": "commit",
     "heads": {"sales:A": [42, "<hash>"], "audit": [7, "<hash>"]},
     "receipts": {"A": 42}, "v": 1, "mac": "<HMAC-SHA256 with the witness key, 128 bits>"}

`heads` holds what the transaction moved: a chain's length (for a counter's sales, the
receipt's sequence number) and its hash at that length. `counter doctor` checks each line
against the ledger: a ledger rolled back to an older copy, or rewritten before a
witnessed point, no longer has that hash at that length. A crash between the commit and
the append, or a power cut before the fsync, loses a line; the next line (or the next
close) covers the same heads, and a witness that lags the ledger is never a false alarm.
A failed append never fails the sale; `counter doctor` says when the last line was
written, so a witness folder that was out shows as a witness behind the ledger.
"""

from __future__ import annotations

import atexit
import json
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from counter.i18n import _
from counter.storage.anchors import Sealer

VERSION = 1


class _Syncer:
    """fsyncs witness files on one thread, so the sale's own fsync is the only one it waits for.

    Files written while a sync runs are synced again after it: at most one sync behind."""

    def __init__(self) -> None:
        self._dirty: dict[Path, WitnessLog] = {}
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None
        self._busy = False

    def mark(self, path: Path, log: WitnessLog) -> None:
        with self._lock:
            self._dirty[path] = log
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="witness-fsync", daemon=True)
                self._thread.start()
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._dirty:
                    self._wake.wait()
                dirty, self._dirty = self._dirty, {}
                self._busy = True
            for path, log in dirty.items():
                _fsync(path, log)
            with self._lock:
                self._busy = False
                self._wake.notify_all()

    def drain(self) -> None:
        """Wait until every line written so far is on disk (at exit, and for tests)."""
        with self._lock:
            while (self._dirty or self._busy) and self._thread and self._thread.is_alive():
                self._wake.wait(timeout=5)


def _fsync(path: Path, log: WitnessLog) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        log.failures += 1
        log.last_error = _("Cannot write the witness log {path}: {reason}.").format(
            path=path, reason=exc.strerror or exc
        )


SYNCER = _Syncer()
atexit.register(SYNCER.drain)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _body(
    at: datetime,
    by: str,
    event: str,
    heads: Mapping[str, tuple[int, str]],
    receipts: Mapping[str, int],
) -> dict[str, object]:
    return {
        "v": VERSION,
        "at": _stamp(at),
        "by": by,
        "event": event,
        "heads": {name: [length, digest] for name, (length, digest) in sorted(heads.items())},
        "receipts": dict(sorted(receipts.items())),
    }


def _canonical(body: Mapping[str, object]) -> str:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


@dataclass
class WitnessLog:
    """Appends witness lines for one counter; `folder` None: no witness log (switched off)."""

    folder: Path | None
    sealer: Sealer
    counter_code: str
    failures: int = 0
    last_error: str | None = None

    @property
    def file(self) -> Path | None:
        return None if self.folder is None else self.folder / f"witness-{self.counter_code}.log"

    def append(
        self,
        event: str,
        heads: Mapping[str, tuple[int, str]],
        receipts: Mapping[str, int],
        at: datetime | None = None,
    ) -> bool:
        """One line, appended now and fsynced by `SYNCER` just after; False (never an
        exception) when the folder cannot be written (the stick is out): the next line
        covers the same heads."""
        path = self.file
        if path is None or not heads:
            return False
        body = _body(at or datetime.now(UTC), self.counter_code, event, heads, receipts)
        mac = self.sealer.line(_canonical(body))
        if mac is None:
            return False
        line = _canonical({**body, "mac": mac}) + "\n"
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode("ascii"))
            finally:
                os.close(fd)
        except OSError as exc:
            self.failures += 1
            self.last_error = _("Cannot write the witness log {path}: {reason}.").format(
                path=path, reason=exc.strerror or exc
            )
            return False
        SYNCER.mark(path, self)
        return True


@dataclass(frozen=True)
class WitnessLine:
    """One line read back, its MAC checked."""

    path: Path
    number: int
    at: datetime
    by: str
    event: str
    heads: dict[str, tuple[int, str]]
    receipts: dict[str, int]


@dataclass
class WitnessReading:
    """The lines of a witness log whose MAC is right, and a sentence for each that is not."""

    lines: list[WitnessLine] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def witness_files(path: Path) -> list[Path]:
    """A witness log file, or every `*.log` in a witness folder."""
    if path.is_dir():
        return sorted(p for p in path.glob("*.log") if p.is_file())
    return [path] if path.is_file() else []


def read_witness(paths: Iterable[Path], sealer: Sealer) -> WitnessReading:
    """Every line of the witness files, each MAC checked with the shop's witness key."""
    reading = WitnessReading()
    for path in paths:
        reading.files.append(path)
        try:
            text = path.read_text(encoding="ascii", errors="replace")
        except OSError as exc:
            reading.problems.append(
                _("Cannot read the witness log {path}: {reason}.").format(
                    path=path, reason=exc.strerror or exc
                )
            )
            continue
        for number, raw in enumerate(text.splitlines(), start=1):
            if raw.strip():
                _read_line(reading, path, number, raw, sealer)
    return reading


def _read_line(reading: WitnessReading, path: Path, number: int, raw: str, sealer: Sealer) -> None:
    try:
        data = json.loads(raw)
        mac = data.pop("mac")
        line = WitnessLine(
            path,
            number,
            datetime.strptime(data["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC),
            str(data["by"]),
            str(data["event"]),
            {str(k): (int(v[0]), str(v[1])) for k, v in data["heads"].items()},
            {str(k): int(v) for k, v in data.get("receipts", {}).items()},
        )
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        reading.problems.append(
            _(
                "Line {line} of the witness log {path} is not a witness line (it was cut or edited)."
            ).format(line=number, path=path)
        )
        return
    if not isinstance(mac, str) or not sealer.same(mac, sealer.line(_canonical(data))):
        reading.problems.append(
            _(
                "Line {line} of the witness log {path} is not signed with this shop's witness "
                "key: it was edited or forged, or comes from another shop."
            ).format(line=number, path=path)
        )
        return
    reading.lines.append(line)
