"""Files that hold customers' numbers: readable by their owner only, never seen half-written.

Receipts, reports, exports and backups all carry phone numbers. Each is written to a
temporary file in the same folder, created with mode 0600 (so not even a moment at 0644),
flushed to disk, then renamed onto its name: a reader sees the old file or the whole new
one, and a crash leaves at most a hidden `.partial` file behind.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from counter.i18n import _

PRIVATE = 0o600
PRIVATE_FOLDER = 0o700


def private_folder(folder: Path) -> Path:
    """Creates `folder` (and parents) as 0700 when missing; an existing one is left as it is."""
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    return folder


def new_partial(path: Path) -> Path:
    """An empty 0600 file beside `path`, named so it never clashes and is easy to spot."""
    private_folder(path.parent)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
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


def why_not_written(exc: OSError) -> str:
    """Why a file could not be written, in words: "the disk is full" for a full disk (or
    quota), else the system's own reason."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("the disk is full")
    return exc.strerror or type(exc).__name__
