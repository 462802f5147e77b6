"""Secrets the channels need (the dealer PIN, API keys), read at the moment of use.

A secret comes from an environment variable or from a file only its owner can read
(mode 0600 or stricter). It is wrapped in `Secret` so that a log line, a repr or an
f-string shows `****`, never the value; the ledger and receipts never see it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from counter.domain.delivery import ChannelError
from counter.i18n import _

MASK = "****"


class Secret:
    """A secret value that does not print itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The value itself: only to put it on the wire, never to show or store it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret(****)"

    __str__ = __repr__

    def scrub(self, text: str) -> str:
        """`text` with every occurrence of the secret masked (answers may echo it)."""
        return text.replace(self._value, MASK) if self._value else text


def read_secret(what: str, env: str | None, path: Path | None) -> Secret:
    """The secret from `env` if set, else from `path`; ChannelError in words otherwise."""
    if env:
        value = os.environ.get(env, "").strip()
        if value:
            return Secret(value)
    if path is not None:
        return Secret(_read_private_file(what, path))
    raise ChannelError(
        _(
            "The {what} is not set: put it in the variable {env} or in a file only you can read."
        ).format(what=what, env=env or "?")
    )


def read_private_lines(what: str, path: Path) -> list[Secret]:
    """Each non-empty line of a 0600 file, as secrets (an API key and its secret)."""
    return [
        Secret(line.strip()) for line in _read_private_file(what, path).splitlines() if line.strip()
    ]


def _read_private_file(what: str, path: Path) -> str:
    try:
        info = path.stat()
    except OSError:
        raise ChannelError(
            _("The {what} file {path} cannot be read.").format(what=what, path=path)
        ) from None
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ChannelError(
            _(
                "The {what} file {path} can be read by other users: make it private "
                "(chmod 600 {path})."
            ).format(what=what, path=path)
        )
    try:
        value = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        raise ChannelError(
            _("The {what} file {path} cannot be read.").format(what=what, path=path)
        ) from None
    if not value:
        raise ChannelError(_("The {what} file {path} is empty.").format(what=what, path=path))
    return value
