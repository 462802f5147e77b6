"""`counter restore BACKUP --by NAME`: a backup put back in place, with no number given twice.

In order, nothing in place changes until the last step:
1. what a killed restore left (hidden `.partial` folders and files beside the ledger whose
   process is gone) is removed and said; the backup is read into a hidden work folder
   beside the ledger (its manifest's SHA-256
   sums checked), and the copy checked: SQLite's integrity check and the ledger's doctor;
2. the highest receipt number ever issued is read from the witness log (every line's
   `receipts`, whatever key signed it: a higher number only makes a wider gap) and from
   the ledger being replaced, if it can be read;
3. in the copy, with the backup's pepper: the admin's PIN checked, a restore checkpoint,
   each counter moved above that number with the gap recorded (`services.restore`), and
   the copy checked again;
4. the keys of the backup put in place where this machine has none (a different key is
   kept aside as `<name>.replaced-<stamp>`, never deleted);
5. the replaced ledger kept aside (`ledger-replaced-<stamp>.sqlite3`, a hard link made
   before anything moves, with its `-wal`), then the copy renamed onto the ledger: at every
   moment the ledger's name holds the old ledger or the restored one, never neither.
A ledger another program has open (a counter screen) is refused first: it would go on
writing to the replaced file. SQLite's own lock tells, wherever SQLite runs: the ledger is
opened in exclusive locking mode with no wait, which fails while any other connection has
it open in WAL mode (even one idle between sales) or is inside a transaction; /proc adds
which processes they are, where it exists (Linux).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from counter.backup_bundle import PEPPER, WITNESS_KEY, Bundle, doctor_file, open_bundle
from counter.config import Settings
from counter.domain.errors import CounterError
from counter.domain.records import Approval, ReceiptGap
from counter.files import (
    private_folder,
    process_tag,
    remove_stale_partials,
    removed_sentence,
    write_private,
)
from counter.i18n import _


@dataclass(frozen=True)
class Restored:
    ledger: Path
    replaced: Path | None
    gaps: tuple[ReceiptGap, ...]
    notes: tuple[str, ...]


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")


def restore_backup(settings: Settings, source: Path, by: str, pin: str) -> Restored:
    """Restore `source` into this counter's ledger (SQLite); see the module's steps."""
    if not settings.is_sqlite:
        raise CounterError(
            _(
                "A PostgreSQL ledger is restored with the server's own tools (pg_restore), "
                "not by Counter: nothing was changed."
            )
        )
    live = settings.ledger_path
    _refuse_if_open_elsewhere(live)
    private_folder(live.parent)
    cleaned = removed_sentence(remove_stale_partials(live.parent))  # a killed restore's
    work = Path(
        tempfile.mkdtemp(dir=live.parent, prefix=f".restore-{process_tag()}-", suffix=".partial")
    )
    try:
        bundle = open_bundle(source, work)
        key = _key(settings, bundle)
        _check(bundle.ledger, settings, key, source, _("fails its check"))
        highest, notes = highest_issued(settings, live)
        notes += [cleaned] if cleaned else []
        gaps = _record(settings, bundle, key, Approval(by, pin), highest, source)
        _check(bundle.ledger, settings, key, source, _("fails its check after the restore"))
        stamp = _stamp()
        notes += _place_keys(settings, bundle, stamp)
        replaced = _swap(live, bundle.ledger, stamp)
        _witness(settings, key)
        return Restored(live, replaced, tuple(gaps), tuple(notes))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def holders(live: Path) -> list[int]:
    """Other processes of this machine with the ledger (or its -wal) open, where /proc
    tells (Linux); a screen left open would go on writing to the replaced file."""
    names = {str(live), f"{live}-wal", f"{live}-shm"}
    found = []
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        pid = int(fd_dir.parent.name)
        if pid == os.getpid():
            continue
        try:
            if any(os.readlink(fd) in names for fd in fd_dir.iterdir()):
                found.append(pid)
        except OSError:
            continue  # gone, or not ours to read
    return sorted(found)


def held_elsewhere(live: Path) -> bool:
    """True when another connection holds the ledger: SQLite's exclusive locking mode,
    taken with no wait, is refused while anyone else has it open (WAL) or is writing.
    A file SQLite cannot read at all is not held (a damaged ledger may be restored over)."""
    if not live.exists():
        return False
    try:
        db = sqlite3.connect(live, timeout=0, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        db.execute("PRAGMA locking_mode = EXCLUSIVE")
        db.execute("BEGIN EXCLUSIVE")
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        db.execute("COMMIT")
    except sqlite3.Error as exc:
        code = int(getattr(exc, "sqlite_errorcode", 0)) & 0xFF  # extended codes too
        return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    finally:
        db.close()
    return False


def _refuse_if_open_elsewhere(live: Path) -> None:
    pids = holders(live)
    if pids:
        raise CounterError(
            _(
                "The ledger {path} is open in another program (process {pids}): close the "
                "counter screen and every command using it, then restore. Nothing was changed."
            ).format(path=live, pids=", ".join(str(p) for p in pids))
        )
    if held_elsewhere(live):
        raise CounterError(
            _(
                "The ledger {path} is in use by another program (SQLite says it holds the "
                "ledger): close the counter screen and every command using it, then restore. "
                "Nothing was changed."
            ).format(path=live)
        )


def _key(settings: Settings, bundle: Bundle) -> bytes | None:
    from counter.pins import read_witness_key

    if bundle.witness_key and bundle.witness_key.strip():
        return bundle.witness_key.strip().encode("utf-8")
    return read_witness_key(settings.witness_key, settings.witness_key_path)


def _check(file: Path, settings: Settings, key: bytes | None, source: Path, what: str) -> None:
    with closing(sqlite3.connect(file)) as db:
        result = [r[0] for r in db.execute("PRAGMA integrity_check")]
    problems = [] if result == ["ok"] else ["; ".join(result[:3])]
    problems = problems or doctor_file(file, settings, key)
    if problems:
        raise CounterError(
            _("The backup {path} {what}: {problem} Nothing was changed.").format(
                path=source, what=what, problem=problems[0]
            )
        )


def highest_issued(settings: Settings, live: Path) -> tuple[dict[str, int], list[str]]:
    """Each counter's highest receipt number any witness saw: the witness log's lines and
    the ledger being replaced; a note for a ledger that cannot be read."""
    from counter.storage.witness import witness_files

    highest: dict[str, int] = {}

    def saw(code: str, number: int) -> None:
        highest[code] = max(highest.get(code, 0), number)

    for path in witness_files(settings.witness_path):
        for raw in path.read_text(encoding="ascii", errors="replace").splitlines():
            try:
                for code, number in json.loads(raw).get("receipts", {}).items():
                    saw(str(code), int(number))
            except (ValueError, AttributeError, TypeError):
                continue  # a cut line: the next one covers the same numbers
    notes: list[str] = []
    if live.exists():
        try:
            with closing(sqlite3.connect(f"file:{live}?mode=ro", uri=True)) as db:
                for code, top in db.execute(
                    "SELECT code, next_receipt - 1 FROM counters UNION ALL "
                    "SELECT counter_code, max(receipt_seq) FROM sales GROUP BY counter_code"
                ):
                    saw(str(code), int(top or 0))
        except sqlite3.Error:
            notes.append(
                _(
                    "The ledger being replaced cannot be read, so its numbers came from the "
                    "witness log only."
                )
            )
    return highest, notes


def _record(
    settings: Settings,
    bundle: Bundle,
    key: bytes | None,
    by: Approval,
    highest: dict[str, int],
    source: Path,
) -> list[ReceiptGap]:
    """The restore recorded in the copy (not yet in place), opened with the backup's pepper."""
    from counter.bootstrap import ledger_on, migrate_head
    from counter.pins import PepperedPins
    from counter.services.restore import record_restore
    from counter.storage.database import LedgerDatabase

    db = LedgerDatabase(f"sqlite:///{bundle.ledger}", settings.busy_timeout_ms, key)
    try:
        db.check_schema_version()
        if db.revision() != migrate_head():
            db.upgrade_if_behind(None)  # the backup itself is the copy kept
        ledger = ledger_on(settings, db)
        if bundle.pepper and bundle.pepper.strip() and not settings.pepper:
            pins = PepperedPins(
                bundle.pepper.strip(), settings.pepper_path, settings.pin_hash_profile
            )
            ledger = replace(ledger, pins=pins)
        return record_restore(ledger, by, highest, source.name)
    finally:
        db.close()
        _settle(bundle.ledger)


def _settle(file: Path) -> None:
    """Everything of `file` in the file itself: no `-wal` left to go with it."""
    with closing(sqlite3.connect(file)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    wal = file.with_name(file.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        raise CounterError(
            _("The restored copy {path} could not be written in full; nothing was changed.").format(
                path=file
            )
        )
    wal.unlink(missing_ok=True)
    file.with_name(file.name + "-shm").unlink(missing_ok=True)


def _place_keys(settings: Settings, bundle: Bundle, stamp: str) -> list[str]:
    """The backup's keys where this machine has none, or a different one (kept aside)."""
    notes = []
    for name, content, path, variable in (
        (PEPPER, bundle.pepper, settings.pepper_path, settings.pepper),
        (WITNESS_KEY, bundle.witness_key, settings.witness_key_path, settings.witness_key),
    ):
        if not content or variable:
            continue
        if path.exists() and path.read_text(encoding="utf-8").strip() == content.strip():
            continue
        if path.exists():
            aside = path.with_name(f"{name}.replaced-{stamp}")
            os.link(path, aside)
            notes.append(
                _("This machine's {name} was different: it is kept as {aside}.").format(
                    name=name, aside=aside
                )
            )
        write_private(path, content.encode("utf-8"))
        notes.append(_("{name} from the backup is now at {path}.").format(name=name, path=path))
    return notes


def _swap(live: Path, restored: Path, stamp: str) -> Path | None:
    """The restored ledger onto `live`; the replaced one kept aside (a hard link first)."""
    aside = None
    if live.exists():
        try:
            with closing(sqlite3.connect(live)) as db:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass  # a damaged ledger: it is kept aside with its -wal as it is
        aside = live.with_name(f"ledger-replaced-{stamp}.sqlite3")
        os.link(live, aside)
        wal = live.with_name(live.name + "-wal")
        if wal.exists():
            if wal.stat().st_size:
                os.link(wal, aside.with_name(aside.name + "-wal"))
            wal.unlink()  # kept under the aside's name: it belongs to the old ledger only
        live.with_name(live.name + "-shm").unlink(missing_ok=True)
    os.chmod(restored, 0o600)
    os.replace(restored, live)
    from counter.files import publish

    publish(live, live)  # flushed, and the folder flushed
    return aside


def _witness(settings: Settings, key: bytes | None) -> None:
    """One witness line for the restored ledger's heads (the next commit would write one)."""
    from counter.storage.anchors import Sealer
    from counter.storage.database import LedgerDatabase
    from counter.storage.repositories.anchors import read_heads
    from counter.storage.witness import WitnessLog

    db = LedgerDatabase(settings.url, settings.busy_timeout_ms, key)
    try:
        with db.uow(write=False) as uow:
            heads, receipts = read_heads(uow.connection)
        code = settings.counter_code or next(iter(sorted(receipts)), "")
        WitnessLog(settings.witness_path, Sealer(key), code).append("restore", heads, receipts)
    finally:
        db.close()
