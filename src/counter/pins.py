"""PIN hashing: HMAC with a pepper kept outside the database, then Argon2id.

A 4-8 digit PIN falls quickly to an offline guess against a copied database; the
pepper (environment or a key file next to the settings, never in the ledger) makes
the copy alone useless.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from counter.config import Settings
from counter.i18n import _
from counter.services.errors import UserError

_PIN = re.compile(r"^[0-9]{4,8}$")

# OWASP's minimum for Argon2id (19 MiB, t=2, p=1); `test` keeps the suite quick.
_HASHERS = {
    "default": PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1),
    "test": PasswordHasher(time_cost=1, memory_cost=64, parallelism=1),
}


class PepperMissing(UserError):
    """No pepper on this machine: PINs cannot be checked or set."""


def check_pin_rules(pin: str) -> None:
    """4 to 8 digits, or UserError saying so (the PIN itself is never repeated back)."""
    if not isinstance(pin, str) or not _PIN.match(pin):
        raise UserError(_("A PIN is 4 to 8 digits (0-9), nothing else."))


def read_pepper(settings: Settings) -> bytes:
    if settings.pepper:
        return settings.pepper.encode("utf-8")
    path = settings.pepper_path
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise PepperMissing(
            _(
                "The PIN key file {path} is missing, so PINs cannot be checked. Restore it from "
                "your backup or copy it from the first counter (or set COUNTER_PEPPER)."
            ).format(path=path)
        ) from None
    except OSError as exc:
        raise PepperMissing(
            _("The PIN key file {path} cannot be read ({reason}).").format(
                path=path, reason=exc.strerror
            )
        ) from None
    if not text:
        raise PepperMissing(
            _("The PIN key file {path} is empty: restore it from your backup.").format(path=path)
        )
    return text.encode("utf-8")


def ensure_pepper(settings: Settings) -> None:
    """Create the pepper key file (mode 0600) at first set-up when none is configured."""
    if settings.pepper or settings.pepper_path.exists():
        return
    path: Path = settings.pepper_path
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(secrets.token_hex(32) + "\n")


def _peppered(pin: str, pepper: bytes) -> str:
    return hmac.new(pepper, pin.encode("utf-8"), hashlib.sha256).hexdigest()


def hash_pin(settings: Settings, pin: str) -> str:
    check_pin_rules(pin)
    return _HASHERS[settings.pin_hash_profile].hash(_peppered(pin, read_pepper(settings)))


def verify_pin(settings: Settings, pin_hash: str, pin: str) -> bool:
    try:
        return _HASHERS[settings.pin_hash_profile].verify(
            pin_hash, _peppered(pin, read_pepper(settings))
        )
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def burn_time(settings: Settings) -> None:
    """Spend about one hash's time, so an unknown name answers as slowly as a wrong PIN."""
    _HASHERS[settings.pin_hash_profile].hash("not-a-user")
