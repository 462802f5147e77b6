"""The one place every command that writes a file asks where it may write.

`export --output`, `report --output`, `x-report --output`, `close-day --output`, `backup
--to` and `restore` all pass their path through `output_path` before anything is opened.
It refuses, each in one sentence: the ledger and its `-wal`/`-shm`/`-journal`, the pepper,
the witness key, `counter.toml`, anything in the witness folder, and anything that is not
a regular file (a folder, a device such as /dev/full or /dev/null, a pipe, a socket, or a
link to one); an existing file unless `--force`; a missing folder unless `--mkdir`. The
file is then written to a 0600 temporary in the same folder, flushed and renamed
(`counter.files`), so a reader sees the old file or the whole new one.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from counter.i18n import _

if TYPE_CHECKING:
    from counter.config import Settings
    from counter.services.ports import Ledger


def _refused(message: str) -> Exception:
    from counter.cli.app import fail

    return fail(message)


def _protected(settings: Settings) -> list[tuple[Path, str]]:
    """The files no command may write over, each with the sentence that says why."""
    from counter.config import settings_file

    ledger = settings.ledger_path
    keep = _("{path} is the ledger: no command writes over it. Choose another file name.")
    companion = _(
        "{path} belongs to the ledger (its {part} file): no command writes over it. "
        "Choose another file name."
    )
    found = [(ledger, keep)]
    for part in ("-wal", "-shm", "-journal"):
        found.append((ledger.with_name(ledger.name + part), companion.replace("{part}", part)))
    found += [
        (
            settings.pepper_path,
            _("{path} is the pepper that makes the PINs work: no command writes over it."),
        ),
        (
            settings.witness_key_path,
            _("{path} is the witness key that seals the ledger: no command writes over it."),
        ),
        (settings_file(), _("{path} holds this counter's settings: no command writes over it.")),
    ]
    return found


def _same(a: Path, b: Path) -> bool:
    """The same file: the same name once links are followed, or the same inode."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    real, top = Path(os.path.realpath(path)), Path(os.path.realpath(folder))
    return real == top or top in real.parents


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISFIFO(mode):
        return _("a pipe")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("not a regular file")


def check_not_protected(path: Path, settings: Settings) -> None:
    """Refuse a path that is (or links to) the ledger, a key, the settings or the witness log."""
    for guarded, sentence in _protected(settings):
        if _same(path, guarded):
            raise _refused(sentence.format(path=path))
    if _inside(path, settings.witness_path):
        raise _refused(
            _(
                "{path} is in the witness folder {folder}: only the ledger writes there. "
                "Choose a file elsewhere."
            ).format(path=path, folder=settings.witness_path)
        )


def output_path(
    given: Path | str, settings: Settings, *, force: bool = False, mkdir: bool = False
) -> Path:
    """The file a command may write for `given`, links followed; or a refusal in words.

    Nothing is written here but the folder (with `--mkdir`); the caller writes through
    `counter.files` (a 0600 temporary in the same folder, renamed into place).
    """
    text = str(given)
    if not text.strip():
        raise _refused(_("No file name was given: name the file to write."))
    path = Path(os.path.realpath(text))
    check_not_protected(Path(text), settings)
    check_not_protected(path, settings)
    if text.endswith(os.sep) and not path.is_dir():
        raise _refused(
            _("{path} ends with a slash, so it names a folder, not a file to write.").format(
                path=text
            )
        )
    try:
        mode: int | None = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except NotADirectoryError:
        raise _refused(
            _("{path} is inside something that is not a folder: nothing is written there.").format(
                path=text
            )
        ) from None
    except OSError as exc:
        raise _refused(
            _("Cannot use {path}: {reason}.").format(path=text, reason=exc.strerror)
        ) from None
    if mode is not None:
        kind = _kind(mode)
        if kind is not None:
            raise _refused(
                _("{path} is {kind}, not a regular file: nothing is written there.").format(
                    path=text, kind=kind
                )
            )
        if not force:
            raise _refused(_("{path} already exists: add --force to replace it.").format(path=text))
    _folder(path.parent, text, mkdir=mkdir)
    return path


def _folder(folder: Path, text: str, *, mkdir: bool) -> None:
    if folder.is_dir():
        return
    if folder.exists():
        raise _refused(
            _("{folder} is not a folder, so {path} cannot be written.").format(
                folder=folder, path=text
            )
        )
    if not mkdir:
        raise _refused(
            _("The folder {folder} does not exist: add --mkdir to create it.").format(folder=folder)
        )
    from counter.files import private_folder

    private_folder(folder)


def output_folder(given: Path, settings: Settings, *, mkdir: bool = False) -> Path:
    """A folder a command may write its files in (`report --output FOLDER`), links followed."""
    folder = Path(os.path.realpath(given))
    check_not_protected(given, settings)
    check_not_protected(folder, settings)
    _folder(folder, str(given), mkdir=mkdir)
    return folder


def report_guard(settings: Settings, *, force: bool, mkdir: bool) -> Callable[[Path], Path]:
    """`output_path` for each file a report writes (the adapter names them in a folder)."""
    return lambda path: output_path(path, settings, force=force, mkdir=mkdir)


def guarded_reports(
    opened: Ledger, settings: Settings, output: Path | None, *, force: bool, mkdir: bool
) -> tuple[Ledger, Path | None]:
    """The ledger whose report writer checks each file it writes, and the output to give it.

    `--output FILE` or `--output FOLDER` (an existing folder, or a name without a suffix)
    are checked as asked; without `--output`, the shop's own reports folder is used and a
    report written again replaces its earlier file there.
    """
    from dataclasses import replace

    from counter.reporting.files import ReportFiles

    if output is None:
        guard = report_guard(settings, force=True, mkdir=True)
    else:
        if output.is_dir() or not (output.suffix or os.path.lexists(output)):
            output = output_folder(output, settings, mkdir=mkdir)
        else:
            output_path(output, settings, force=force, mkdir=mkdir)  # a device, a link...
        guard = report_guard(settings, force=force, mkdir=mkdir)
    return replace(opened, reports=ReportFiles(settings.reports_path, guard)), output


ForceOpt = Annotated[
    bool, typer.Option("--force", help=_("Replace the file if it exists already."))
]
MkdirOpt = Annotated[
    bool, typer.Option("--mkdir", help=_("Create the folder if it does not exist."))
]
