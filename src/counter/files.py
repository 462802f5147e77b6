"""Files that hold customers' numbers: readable by their owner only, never seen half-written.

Receipts, reports, exports and backups all carry phone numbers. Each is written to a
temporary file in the same folder, created with mode 0600 (so not even a moment at 0644),
flushed to disk, then renamed onto its name: a reader sees the old file or the whole new
one, and a crash leaves at most a hidden `.partial` file behind. A partial's name carries
the machine and the id of the process writing it (`.<name>.<host>-<pid>-<random>.partial`),
so a partial whose process is gone can be told from one still being written, even in a
folder another machine writes to as well (`remove_stale_partials`).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from counter.i18n import _

PRIVATE = 0o600
PRIVATE_FOLDER = 0o700
# `.<name>.<host>-<pid>-<random>.partial` (a file or a backup's work folder), or a
# restore's `.restore-<host>-<pid>-<random>.partial` work folder.
_PARTIAL = re.compile(r"^\.(?:.+\.|restore-)([a-z0-9]+)-(\d+)-[a-z0-9_]+\.partial$")


def _host() -> str:
    """This machine's name as letters and digits (a partial of another machine's process
    in a shared folder is never taken for one of ours)."""
    return re.sub(r"[^a-z0-9]", "", socket.gethostname().lower())[:20] or "host"


def process_tag() -> str:
    """`<host>-<pid>`: which process of which machine writes a partial."""
    return f"{_host()}-{os.getpid()}"


def partial_prefix(name: str) -> str:
    """The start of a partial's name for `name`, with this machine and process."""
    return f".{name}.{process_tag()}-"


def _alive(pid: int) -> bool:
    """Is process `pid` running? Where that cannot be asked safely (not POSIX: there
    `os.kill` would end it), every process counts as running, and nothing is removed."""
    if os.name != "posix" or pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # running, as another user
    return True


def remove_stale_partials(folder: Path) -> list[Path]:
    """Removes the partials in `folder` whose process on this machine is gone (a backup, a
    restore or a file write that was killed); one still being written is never touched."""
    removed = []
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []
    for entry in entries:
        found = _PARTIAL.match(entry.name)
        if found is None or found.group(1) != _host() or _alive(int(found.group(2))):
            continue
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except OSError:
            continue  # not ours to remove after all: left as it is
        removed.append(entry)
    return removed


def removed_sentence(removed: list[Path]) -> str | None:
    """What `remove_stale_partials` removed, in one sentence (None: nothing)."""
    if not removed:
        return None
    return _(
        "Removed what a stopped backup, restore or file write had left half-made: {names}."
    ).format(names=", ".join(str(p) for p in removed))


def private_folder(folder: Path) -> Path:
    """Creates `folder` (and parents) as 0700 when missing; an existing one is left as it is."""
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    return folder


def new_partial(path: Path) -> Path:
    """An empty 0600 file beside `path`, named so it never clashes and is easy to spot."""
    private_folder(path.parent)
    handle, name = tempfile.mkstemp(
        dir=path.parent, prefix=partial_prefix(path.name), suffix=".partial"
    )
    os.fchmod(handle, PRIVATE)  # mkstemp's default, but the umask must not matter
    os.close(handle)
    return Path(name)


def publish(partial: Path, path: Path) -> Path:
    """Flushes `partial` to disk, renames it onto `path` and flushes the folder."""
    with partial.open("rb+") as handle:
        os.fsync(handle.fileno())
    os.chmod(partial, PRIVATE)
    os.replace(partial, path)
    _sync_folder(path.parent)
    return path


def _sync_folder(folder: Path) -> None:
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on every platform; the rename itself is done
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


@contextmanager
def private_file(path: Path) -> Iterator[Path]:
    """Yields a 0600 partial file to write; on success it replaces `path`, on error it goes."""
    partial = new_partial(path)
    try:
        yield partial
        publish(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def write_private(path: Path, data: bytes) -> Path:
    """`data` as `path`, mode 0600, published by rename."""
    with private_file(path) as partial:
        partial.write_bytes(data)
    return path


def os_reason(exc: OSError) -> str:
    """Why the system refused a file, in words and in the clerk's language for the usual
    reasons ("the disk is full" for a full disk or quota; the C library says them in
    English); the system's own words only for a rare one."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("the disk is full")
    if exc.errno == errno.ENOTDIR:
        return _("a part of the path is a file, not a folder")
    if exc.errno == errno.ENOENT:
        return _("the folder does not exist")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return _("no permission to write there")
    if exc.errno == errno.EROFS:
        return _("the disk is read-only")
    if exc.errno == errno.EISDIR:
        return _("a folder is in the way")
    return exc.strerror or str(exc) or type(exc).__name__
