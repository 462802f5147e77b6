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
    damaged: Annotated[
        bool,
        typer.Option(
            "--even-if-damaged",
            help=_(
                "Keep the copy even when the doctor finds problems in it, as evidence "
                "(restore refuses such a backup)."
            ),
        ),
    ] = False,
) -> None:
    """Write one checked backup file; a key kept outside the file is named in words."""
    from counter.backup_bundle import default_target, write_backup
    from counter.bootstrap import backup_file
    from counter.config import load_settings
    from counter.files import removed_sentence

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
        written = write_backup(settings, target, damaged_ok=damaged)
    typer.echo(_("Backup written and checked: {path}").format(path=written.path))
    cleaned = removed_sentence(list(written.cleaned))
    if cleaned:
        typer.echo(cleaned, err=True)
    for code, top in sorted(written.receipts.items()):
        typer.echo(
            _("Counter {code}: receipts up to {code}-{top:06d}.").format(code=code, top=top),
            err=True,
        )
    for sentence in written.left_out:
        typer.echo(sentence, err=True)
    for problem in written.problems:
        typer.echo(
            _("Kept as it is, as evidence (restore refuses it): {problem}").format(problem=problem),
            err=True,
        )


@app.command(
    "restore",
    help=_(
        "Put a backup back in place (an admin's PIN): checked first, the replaced ledger kept "
        "aside, and no receipt number ever given out twice."
    ),
)
def restore_command(
    backup: Annotated[Path, typer.Argument(help=_("The backup file written by `counter backup`."))],
    by: Annotated[
        str,
        typer.Option("--by", help=_("The admin who restores (PIN from COUNTER_PIN or a prompt).")),
    ],
) -> None:
    """Restore a backup; what was kept aside and which numbers were lost, in words."""
    from counter.cli.common import acting_pin
    from counter.config import load_settings
    from counter.restoring import restore_backup

    settings = load_settings()
    restored = restore_backup(settings, backup, by, acting_pin(by))
    typer.echo(_("Restored {backup} into {ledger}.").format(backup=backup, ledger=restored.ledger))
    if restored.replaced is not None:
        typer.echo(_("The ledger it replaced is kept as {path}.").format(path=restored.replaced))
    for gap in restored.gaps:
        typer.echo(
            _(
                "Receipts {first} to {last} were lost in the restore: counter {code} "
                "continues above them, and the next Z report says so."
            ).format(first=gap.first, last=gap.last, code=gap.counter_code)
        )
    for note in restored.notes:
        typer.echo(note, err=True)


@app.command(
    "admin-reset",
    help=_(
        "The way back when the only admin's PIN is gone: with this shop's pepper.key, set "
        "that admin's new PIN (from COUNTER_NEW_PIN or a prompt asked twice). Audited."
    ),
)
def admin_reset_command(
    name: Annotated[str, typer.Argument(help=_("The admin whose PIN is set again."))],
    by_pepper: Annotated[
        Path,
        typer.Option(
            "--by-pepper", help=_("This shop's pepper.key (read access to it is the proof).")
        ),
    ],
) -> None:
    """Set an admin's PIN again, proved by reading the shop's pepper; audited as a recovery."""
    import getpass

    from counter.cli.app import fail
    from counter.cli.common import new_pin
    from counter.services.recovery import recover_admin

    try:
        pepper = by_pepper.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(
            _("Cannot read the pepper file {path}: {reason}.").format(
                path=by_pepper, reason=getattr(exc, "strerror", None) or exc
            )
        ) from None
    with ledger() as opened:
        user = recover_admin(
            opened, name, new_pin(name), pepper=pepper, system_user=getpass.getuser()
        )
    typer.echo(
        _(
            "{name}'s PIN is set again and the account is open; the recovery is in the audit log."
        ).format(name=user.name)
    )
