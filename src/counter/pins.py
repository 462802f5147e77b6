"""PIN hashing: HMAC with a pepper kept outside the database, then Argon2id.

A 4-8 digit PIN falls quickly to an offline guess against a copied database; the
pepper (environment or a key file next to the settings, never in the ledger) makes
the copy alone useless. This adapter satisfies `services.ports.PinHasher`; it is given
the pepper (or where its file is) by `counter.bootstrap`, never the settings.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from counter.domain.errors import PepperMissing
from counter.i18n import _

Profile = Literal["default", "test"]

# OWASP's minimum for Argon2id (19 MiB, t=2, p=1); `test` keeps the suite quick.
_HASHERS: dict[str, PasswordHasher] = {
    "default": PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1),
    "test": PasswordHasher(time_cost=1, memory_cost=64, parallelism=1),
}


def ensure_pepper(pepper: str | None, path: Path) -> None:
    """Create the pepper key file (mode 0600) at first set-up when none is configured."""
    if pepper or path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(secrets.token_hex(32) + "\n")


def ensure_witness_key(key: str | None, path: Path) -> None:
    """Create the witness key file (mode 0600) when none is configured: at first set-up,
    and when an older ledger gains its seals (migration 0006)."""
    ensure_pepper(key, path)


def read_witness_key(key: str | None, path: Path) -> bytes | None:
    """The witness key's bytes, or None when it is not on this machine (doctor says so)."""
    if key:
        return key.encode("utf-8")
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text.encode("utf-8") or None


class PepperedPins:
    """Argon2id over HMAC-SHA256(pepper, PIN); the pepper is read when first needed."""

    def __init__(self, pepper: str | None, pepper_path: Path, profile: Profile = "default") -> None:
        self._pepper = pepper.encode("utf-8") if pepper else None
        self._path = pepper_path
        self._hasher = _HASHERS[profile]

    def _read_pepper(self) -> bytes:
        if self._pepper is not None:
            return self._pepper
        path = self._path
        try:
            text = path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise PepperMissing(
                _(
                    "The PIN key file {path} is missing, so PINs cannot be checked. Restore it "
                    "from your backup or copy it from the first counter (or set COUNTER_PEPPER)."
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
                _("The PIN key file {path} is empty: restore it from your backup.").format(
                    path=path
                )
            )
        return text.encode("utf-8")

    def _peppered(self, pin: str) -> str:
        return hmac.new(self._read_pepper(), pin.encode("utf-8"), hashlib.sha256).hexdigest()

    def hash(self, pin: str) -> str:
        return self._hasher.hash(self._peppered(pin))

    def verify(self, pin_hash: str, pin: str) -> bool:
        try:
            return self._hasher.verify(pin_hash, self._peppered(pin))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def burn(self) -> None:
        """Spend about one hash's time, so an unknown name answers as slowly as a wrong PIN."""
        self._hasher.hash("not-a-user")

    def is_pepper(self, text: str) -> bool:
        """`text` (a pepper file's content) is this shop's pepper, compared in constant time."""
        given = text.strip().encode("utf-8")
        return bool(given) and hmac.compare_digest(given, self._read_pepper())
