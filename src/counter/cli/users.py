"""`counter users add | list | disable | unlock | set-pin`: who may use the counter."""

from __future__ import annotations

from typing import Annotated

import typer

from counter.cli.app import app
from counter.cli.common import ledger, log_in, new_pin
from counter.cli.options import language_option
from counter.domain.text import shown
from counter.i18n import LANGUAGE_NAMES, _

users_app = typer.Typer(help=_("Clerks, supervisors and admins."), no_args_is_help=True)
app.add_typer(users_app, name="users")

By = Annotated[
    str, typer.Option("--by", help=_("Who does this (PIN from COUNTER_PIN or a prompt)."))
]


@users_app.command(
    "add",
    help=_("Add a user (admin only); their PIN from COUNTER_NEW_PIN or a prompt asked twice."),
)
def add(
    name: Annotated[str, typer.Argument(help=_("The new user's name."))],
    role: Annotated[str, typer.Option("--role", help=_("clerk, supervisor or admin."))],
    by: By,
    language: Annotated[
        str | None,
        typer.Option(
            "--language", help=_("Their screen language: en or zh (default: the shop's).")
        ),
    ] = None,
) -> None:
    """Add a user (admin only); their PIN from COUNTER_NEW_PIN or a prompt asked twice."""
    if role not in ("clerk", "supervisor", "admin"):
        raise typer.BadParameter(
            _("{value!r}: use clerk, supervisor or admin.").format(value=role), param_hint="--role"
        )
    from counter.services.users import add_user

    if language is not None:
        language = _checked_language(language)
    with ledger() as opened:
        admin = log_in(opened, by)
        user = add_user(opened, name, role, new_pin(name), by=admin, language=language)
    typer.echo(_("Added {name} ({role}).").format(name=user.name, role=user.role.word))


def _checked_language(value: str) -> str:
    return language_option(value, "--language")


@users_app.command(
    "language",
    help=_("Set a user's screen language: your own, or anyone's as an admin."),
)
def language_command(
    name: Annotated[str, typer.Argument(help=_("Whose language to set."))],
    language: Annotated[str, typer.Argument(help=_("en or zh."))],
    by: Annotated[
        str | None, typer.Option("--by", help=_("Who does this (default: NAME themself)."))
    ] = None,
) -> None:
    """Set a user's screen language: your own, or anyone's as an admin."""
    from counter.services.users import set_user_language

    language = _checked_language(language)
    with ledger() as opened:
        actor = log_in(opened, by or name)
        user = set_user_language(opened, name, language, by=actor)
    typer.echo(
        _("{name} will see the counter in {language}.").format(
            name=user.name, language=LANGUAGE_NAMES[language]
        )
    )


@users_app.command("list", help=_("Everyone who may use the counter, with their role and state."))
def list_command() -> None:
    """Everyone who may use the counter, with their role and state."""
    from counter.services.users import list_users, user_state

    with ledger() as opened:
        users = list_users(opened)
        now = opened.clock()
    for user in users:
        typer.echo(f"{shown(user.name):<20} {user.role.value:<11} {user_state(user, now)}")


@users_app.command(
    "disable",
    help=_("Disable an account (admin only); their sales stay in the ledger."),
)
def disable(name: Annotated[str, typer.Argument(help=_("Who to disable."))], by: By) -> None:
    """Disable an account (admin only); their sales stay in the ledger."""
    from counter.services.users import disable_user

    with ledger() as opened:
        user = disable_user(opened, name, by=log_in(opened, by))
    typer.echo(_("{name} is disabled.").format(name=user.name))


@users_app.command("unlock", help=_("Unlock an account after wrong PINs (supervisor or admin)."))
def unlock(name: Annotated[str, typer.Argument(help=_("Who to unlock."))], by: By) -> None:
    """Unlock an account after wrong PINs (supervisor or admin)."""
    from counter.services.users import unlock_user

    with ledger() as opened:
        user = unlock_user(opened, name, by=log_in(opened, by))
    typer.echo(_("{name} is unlocked.").format(name=user.name))


@users_app.command(
    "set-pin",
    help=_(
        "Set a PIN: your own, or anyone's as an admin. New PIN from COUNTER_NEW_PIN or a prompt."
    ),
)
def set_pin_command(
    name: Annotated[str, typer.Argument(help=_("Whose PIN to set."))],
    by: Annotated[
        str | None, typer.Option("--by", help=_("Who does this (default: NAME themself)."))
    ] = None,
) -> None:
    """Set a PIN: your own, or anyone's as an admin. New PIN from COUNTER_NEW_PIN or a prompt."""
    from counter.services.users import set_pin

    with ledger() as opened:
        actor = log_in(opened, by or name)
        user = set_pin(opened, name, new_pin(name), by=actor)
    typer.echo(_("New PIN set for {name}.").format(name=user.name))
