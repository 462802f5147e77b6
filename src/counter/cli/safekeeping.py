"""`counter backup | restore`: a copy that restores to a working shop, and the restore itself.

The backup file holds the ledger and what a restore needs (`counter.backup_bundle`); the
restore checks it, keeps the replaced ledger aside and never hands out a receipt number
again (`counter.restoring`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from counter.cli.app import app
from counter.cli.common import ledger
from counter.cli.output import MkdirOpt, output_folder, output_path
from counter.i18n import _


@app.command(
    "backup",
    help=_(
        "Write one backup file (ledger, pepper, witness key, settings, with a manifest of "
        "SHA-256 sums), checked before it gets its name."
    ),
)
def backup_command(
    to: Annotated[
        Path | None, typer.Option("--to", help=_("File or folder (default: the backups folder)."))
    ] = None,
    mkdir: MkdirOpt = False,
) -> None:
    """Write one checked backup file; a key kept outside the file is named in words."""
    from counter.backup_bundle import default_target, write_backup
    from counter.bootstrap import backup_file
    from counter.config import load_settings

    settings = load_settings()
    if not settings.is_sqlite:
        backup_file(settings, to)  # refused: the server's own tools back it up
    if to is None:
        target = output_path(default_target(settings), settings, mkdir=True)
    elif to.is_dir():
        target = output_folder(to, settings) / default_target(settings).name
    else:
        target = output_path(to, settings, mkdir=mkdir)  # a backup never replaces a file
    with ledger():
        written = write_backup(settings, target)
    typer.echo(_("Backup written and checked: {path}").format(path=written.path))
    for code, top in sorted(written.receipts.items()):
        typer.echo(
            _("Counter {code}: receipts up to {code}-{top:06d}.").format(code=code, top=top),
            err=True,
        )
    for sentence in written.left_out:
        typer.echo(sentence, err=True)
