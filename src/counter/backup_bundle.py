"""`counter backup`: one file that holds everything a restore needs, checked before it is named.

The backup is a tar file (`backups/counter-backup-<UTC stamp>.tar`, 0600) holding:

    manifest.json    what is in it: each file's SHA-256 and size, the schema revision,
                     each counter's highest receipt number, when it was made
    ledger.sqlite3   the ledger, copied with SQLite's online backup API
    pepper.key       the pepper the PINs need (unless it comes from COUNTER_PEPPER)
    witness.key      the key that seals the chains (unless it comes from COUNTER_WITNESS_KEY)
    counter.toml     this counter's settings, when the file exists

The copy is made in a hidden `.partial` folder beside the backup, checked there (SQLite's
`integrity_check`, then the ledger's own doctor on the copy), packed into a hidden 0600
`.partial` file, flushed to disk and only then renamed to its name: a backup killed at any
moment leaves a hidden partial behind, never a file under the backup's name; the next
backup removes the partials in its folder whose process is gone (each partial's name
carries its process id, so a backup running at the same moment is never touched). A key that
comes from the environment is not in the file: the manifest and the command say so.
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import tarfile
import tempfile
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from counter.config import Settings, settings_file
from counter.domain.errors import BackupByServer, CounterError
from counter.files import partial_prefix, private_file, private_folder, remove_stale_partials
from counter.i18n import _

FORMAT = "counter-backup"
VERSION = 1
LEDGER = "ledger.sqlite3"
PEPPER = "pepper.key"
WITNESS_KEY = "witness.key"
SETTINGS = "counter.toml"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Written:
    """The backup written, and the sentences on what it does not hold (keys from the environment)."""

    path: Path
    receipts: dict[str, int]
    left_out: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # what the doctor found in a copy kept `damaged_ok`
    cleaned: tuple[Path, ...] = ()  # partials of killed backups removed first


@dataclass
class Bundle:
    """A backup read back: its manifest checked, its ledger at `ledger` (a work copy)."""

    ledger: Path
    manifest: dict[str, object] = field(default_factory=dict)
    pepper: str | None = None
    witness_key: str | None = None
    settings: str | None = None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")


def default_target(settings: Settings) -> Path:
    return settings.backups_path / f"counter-backup-{_stamp()}.tar"


def doctor_file(file: Path, settings: Settings, key: bytes | None) -> list[str]:
    """The ledger's own doctor on a copy (no witness log: the copy is checked as it is)."""
    import warnings

    from counter.storage.database import LedgerDatabase

    db = LedgerDatabase(f"sqlite:///{file}", settings.busy_timeout_ms, key)
    try:
        with warnings.catch_warnings(), db.uow(write=False) as uow:
            warnings.simplefilter("ignore")  # SQLAlchemy's reflection notes are not a problem
            return list(uow.integrity.report().problems)
    finally:
        db.close()


def _secrets(settings: Settings) -> tuple[dict[str, bytes], list[str]]:
    """The key files and settings a restore needs, and a sentence for each not included."""
    found: dict[str, bytes] = {}
    left_out: list[str] = []
    for name, value, path, variable in (
        (PEPPER, settings.pepper, settings.pepper_path, "COUNTER_PEPPER"),
        (WITNESS_KEY, settings.witness_key, settings.witness_key_path, "COUNTER_WITNESS_KEY"),
    ):
        if value:
            left_out.append(
                _(
                    "{name} is not in the backup: it comes from {variable}; keep it with "
                    "the backup, away from this machine."
                ).format(name=name, variable=variable)
            )
        elif path.is_file():
            found[name] = path.read_bytes()
        else:
            left_out.append(
                _("{name} is not in the backup: there is none at {path}.").format(
                    name=name, path=path
                )
            )
    if settings_file().is_file():
        found[SETTINGS] = settings_file().read_bytes()
    return found, left_out


def _receipts(file: Path) -> tuple[str, dict[str, int]]:
    with closing(sqlite3.connect(f"file:{file}?mode=ro", uri=True)) as db:
        revision = str(db.execute("SELECT version_num FROM alembic_version").fetchone()[0])
        rows = db.execute("SELECT code, next_receipt - 1 FROM counters ORDER BY code").fetchall()
    return revision, {str(code): int(top) for code, top in rows}


def write_backup(settings: Settings, target: Path, *, damaged_ok: bool = False) -> Written:
    """The backup at `target` (already checked by the command: never over a file).

    A copy the doctor finds problems in is refused, unless `damaged_ok`: then it is kept
    as evidence, its problems in the manifest (and `restore` refuses it)."""
    from counter.pins import read_witness_key
    from counter.storage.database import backup_sqlite
    from counter.storage.engine import sqlite_file

    file = sqlite_file(settings.url)
    if file is None:
        raise BackupByServer()
    key = read_witness_key(settings.witness_key, settings.witness_key_path)
    private_folder(target.parent)
    cleaned = remove_stale_partials(target.parent)  # what a killed backup left
    with tempfile.TemporaryDirectory(
        dir=target.parent, prefix=partial_prefix(target.name), suffix=".partial"
    ) as work:
        copy = Path(work) / LEDGER
        found: list[str] = []

        def check(path: Path) -> list[str]:
            problems = doctor_file(path, settings, key)
            found.extend(problems)
            return [] if damaged_ok else problems

        backup_sqlite(file, copy, settings.busy_timeout_ms, check)
        revision, receipts = _receipts(copy)
        extra, left_out = _secrets(settings)
        files = {LEDGER: {"sha256": sha256_of(copy), "size": copy.stat().st_size}}
        for name, data in extra.items():
            files[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "made_at": datetime.now(UTC).isoformat(),
            "schema": revision,
            "receipts": receipts,
            "files": files,
            "left_out": left_out,
            "doctor": found,
        }
        if target.exists() or target.is_symlink():
            raise CounterError(
                _("{path} already exists: choose another file, a backup never overwrites.").format(
                    path=target
                )
            )
        with private_file(target) as partial, tarfile.open(partial, "w") as tar:
            _add(tar, MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
            tar.add(copy, arcname=LEDGER, filter=_private)
            for name, data in extra.items():
                _add(tar, name, data)
    return Written(target, receipts, tuple(left_out), tuple(found), tuple(cleaned))


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
    return info


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = _private(tarfile.TarInfo(name))
    info.size, info.mtime = len(data), int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def _refused(message: str) -> CounterError:
    return CounterError(message)


def open_bundle(source: Path, work: Path) -> Bundle:
    """A backup read into the folder `work`: a tar made by `counter backup` (every file's
    SHA-256 checked against its manifest), or a bare SQLite copy (a before-upgrade copy;
    the keys on this machine are then the ones used). A refusal names what is wrong."""
    if not source.is_file():
        raise _refused(_("There is no backup file at {path}.").format(path=source))
    with source.open("rb") as handle:
        head = handle.read(16)
    if head == b"SQLite format 3\x00":
        from counter.storage.database import backup_sqlite

        return Bundle(backup_sqlite(source, work / LEDGER, 5000))
    try:
        with tarfile.open(source, "r:") as tar:
            return _unpack(tar, source, work)
    except (tarfile.TarError, OSError, ValueError, KeyError, TypeError) as exc:
        raise _refused(
            _("{path} is not a Counter backup, or it is damaged ({reason}).").format(
                path=source, reason=getattr(exc, "strerror", None) or exc
            )
        ) from None


def _unpack(tar: tarfile.TarFile, source: Path, work: Path) -> Bundle:
    manifest_file = tar.extractfile(MANIFEST)
    if manifest_file is None:
        raise KeyError(MANIFEST)
    manifest = json.loads(manifest_file.read())
    if manifest.get("format") != FORMAT:
        raise ValueError(_("no Counter manifest"))
    files: dict[str, dict[str, object]] = manifest["files"]
    found: dict[str, bytes] = {}
    for name, expected in files.items():
        if name not in (LEDGER, PEPPER, WITNESS_KEY, SETTINGS):
            continue  # only the names a backup holds: never a path of the tar's choosing
        member = tar.getmember(name)
        stream = tar.extractfile(member) if member.isfile() else None
        if stream is None:
            raise KeyError(name)
        digest = hashlib.sha256()
        out = work / name
        with private_file(out) as partial, partial.open("wb") as handle:
            while block := stream.read(1 << 20):
                digest.update(block)
                handle.write(block)
        if digest.hexdigest() != expected.get("sha256"):
            raise _refused(
                _(
                    "{name} in the backup {path} is not what its manifest says (its SHA-256 "
                    "differs): the backup was damaged or changed."
                ).format(name=name, path=source)
            )
        if name != LEDGER:
            found[name] = out.read_bytes()
    if LEDGER not in files:
        raise KeyError(LEDGER)

    def text(name: str) -> str | None:
        return found[name].decode("utf-8") if name in found else None

    return Bundle(work / LEDGER, manifest, text(PEPPER), text(WITNESS_KEY), text(SETTINGS))
