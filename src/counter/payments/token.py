"""The Bakong token: from an environment variable or a private file, and when it expires.

Bakong's developer tokens are JWTs that expire (90 days at the time of writing); Bakong
then refuses every check. The expiry is read from the token's `exp` claim *without*
verifying the signature (only Bakong can, and it will): it is used to warn in words, days
ahead, never to trust the token. The token itself never appears in a message or a repr.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

from counter.i18n import _, format_datetime_for, ngettext
from counter.payments.errors import BakongTokenMissing, BakongTokenUnsafe

__all__ = ["WARN_BEFORE", "BakongToken", "expiry_notice", "load_token", "token_expiry"]

WARN_BEFORE = timedelta(days=14)


@dataclass(frozen=True)
class BakongToken:
    """A token and where it came from (a sentence part, e.g. "the file /x/token")."""

    value: str = field(repr=False)
    source: str
    expires_at: datetime | None

    def __str__(self) -> str:
        return self.source


def load_token(
    *, env_name: str | None, file: Path | None, environ: Mapping[str, str] | None = None
) -> BakongToken:
    """The token from `env_name` if set, else from `file` (which only its owner may read)."""
    env = os.environ if environ is None else environ
    if env_name and env.get(env_name, "").strip():
        source = _("the environment variable {name}").format(name=env_name)
        return _token(env[env_name].strip(), source)
    if file is None:
        raise BakongTokenMissing(
            _(
                "No Bakong token: the environment variable {name} is empty and no file is set."
            ).format(name=env_name or "-")
        )
    source = _("the file {path}").format(path=file)
    try:
        info = file.stat()
    except FileNotFoundError:
        raise BakongTokenMissing(
            _("No Bakong token: the file {path} does not exist.").format(path=file)
        ) from None
    except OSError as exc:
        raise BakongTokenMissing(
            _("The Bakong token file {path} cannot be read ({reason}).").format(
                path=file, reason=exc.strerror or type(exc).__name__
            )
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise BakongTokenMissing(_("The Bakong token file {path} is not a file.").format(path=file))
    if info.st_mode & 0o077:
        raise BakongTokenUnsafe(
            _(
                "The Bakong token file {path} can be read by other users of this machine "
                "(mode {mode:04o}); only its owner may read it (mode 0600)."
            ).format(path=file, mode=stat.S_IMODE(info.st_mode))
        )
    try:
        text = file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        raise BakongTokenMissing(
            _("The Bakong token file {path} cannot be read as text.").format(path=file)
        ) from None
    return _token(text, source)


def _token(text: str, source: str) -> BakongToken:
    if not text:
        raise BakongTokenMissing(_("No Bakong token: {source} is empty.").format(source=source))
    if not text.isascii() or not text.isprintable() or " " in text:
        raise BakongTokenMissing(
            _(
                "The Bakong token in {source} is not a token: it has spaces or other characters."
            ).format(source=source)
        )
    return BakongToken(value=text, source=source, expires_at=token_expiry(text))


def token_expiry(token: str) -> datetime | None:
    """The `exp` of a JWT as a UTC time, unverified; None when it cannot be read."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
        exp = claims["exp"]
        if isinstance(exp, bool) or not isinstance(exp, int | float):
            return None
        return datetime.fromtimestamp(int(exp), tz=UTC)
    except (binascii.Error, ValueError, KeyError, TypeError, OverflowError, OSError):
        return None


def expiry_notice(
    token: BakongToken, now: datetime, *, warn_before: timedelta = WARN_BEFORE, zone: tzinfo = UTC
) -> str | None:
    """A sentence when the token has expired or expires within `warn_before`, else None."""
    expires = token.expires_at
    if expires is None:
        return None
    when = format_datetime_for(expires.astimezone(zone))
    if expires <= now:
        return _(
            "The Bakong token expired on {when}: Bakong will refuse every payment check "
            "until it is renewed."
        ).format(when=when)
    left = expires - now
    if left > warn_before:
        return None
    if left < timedelta(days=1):
        return _("The Bakong token expires within a day, on {when}: renew it now.").format(
            when=when
        )
    return ngettext(
        "The Bakong token expires in {days} day, on {when}: renew it before then.",
        "The Bakong token expires in {days} days, on {when}: renew it before then.",
        left.days,
    ).format(days=left.days, when=when)
