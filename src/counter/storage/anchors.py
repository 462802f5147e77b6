"""The witness key's uses: seals on chain heads, codes on paper, MACs on witness lines.

The hash chains are public SHA-256 (`storage.chain`): whoever can write the ledger can
recompute them. Everything here is an HMAC-SHA256 with the shop's witness key, a secret
kept outside the ledger (a 0600 file beside the pepper, or COUNTER_WITNESS_KEY), so:

- a chain head's seal cannot be made by someone who can write the ledger but cannot read
  the key (a PostgreSQL user, a copy of the file edited elsewhere, a SQL-only cover-up);
- a receipt's check code and a Z report's code, printed on paper held by the customer and
  the owner, name one point of a chain: a ledger rewritten or rolled back before that
  point no longer gives the same code;
- each witness line carries a MAC, so a line cannot be forged into the log either.

What the key does not stop: someone with the machine's shell can read the key and make
every seal and code of a rewritten ledger. Only what that person cannot rewrite catches
them: paper already handed out, and witness lines already on a stick or a synced folder.

Codes use Crockford's base 32 (no I, L, O, U): read aloud or retyped without confusion.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
RECEIPT_CODE_LEN = 10  # 50 bits: a guessed code matches once in 10^15
CHECKPOINT_CODE_LEN = 16  # 80 bits
TAMPERED = "tampered"  # the seal a head keeps once it was found not to match


def crockford(digest: bytes, length: int) -> str:
    """The first `length` base-32 characters of a digest."""
    number = int.from_bytes(digest, "big")
    bits = len(digest) * 8
    out = []
    for i in range(length):
        shift = bits - 5 * (i + 1)
        out.append(_ALPHABET[(number >> shift) & 31])
    return "".join(out)


def grouped(code: str, size: int = 5) -> str:
    """`7KQ4M2XDP9` -> `7KQ4M-2XDP9`: how a code is printed."""
    return "-".join(code[i : i + size] for i in range(0, len(code), size))


def normalised_code(text: str) -> str:
    """A code as typed (any case, spaces, dashes, O for 0) in its canonical form."""
    return re.sub(r"[\s\-_.]", "", text.upper()).translate(_READ_AS)


@dataclass(frozen=True)
class Sealer:
    """Seals and codes with one witness key; `key` None seals nothing (every check fails)."""

    key: bytes | None

    def _mac(self, *parts: object) -> bytes | None:
        if not self.key:
            return None
        text = "|".join(str(p) for p in parts)
        return hmac.new(self.key, text.encode("utf-8"), hashlib.sha256).digest()

    def head(self, name: str, length: int, last_hash: str) -> str | None:
        mac = self._mac("head", name, length, last_hash)
        return mac.hex() if mac else None

    def counter(
        self, code: str, next_receipt: int, last_hash: str, last_closed: date | None
    ) -> str | None:
        closed = last_closed.isoformat() if last_closed else "-"
        mac = self._mac("counter", code, next_receipt, last_hash, closed)
        return mac.hex() if mac else None

    def head_ok(self, seal: str | None, name: str, length: int, last_hash: str) -> bool:
        want = self.head(name, length, last_hash)
        return bool(seal and want and hmac.compare_digest(seal, want))

    def counter_ok(
        self,
        seal: str | None,
        code: str,
        next_receipt: int,
        last_hash: str,
        last_closed: date | None,
    ) -> bool:
        want = self.counter(code, next_receipt, last_hash, last_closed)
        return bool(seal and want and hmac.compare_digest(seal, want))

    def receipt_code(self, counter_code: str, seq: int, row_hash: str) -> str | None:
        """The check code printed on receipt `counter_code`-`seq` (10 characters)."""
        mac = self._mac("receipt", counter_code, seq, row_hash)
        return crockford(mac, RECEIPT_CODE_LEN) if mac else None

    def checkpoint_code(self, checkpoint_id: int, row_hash: str) -> str | None:
        """The code printed on a Z report (16 characters), naming its checkpoint."""
        mac = self._mac("checkpoint", checkpoint_id, row_hash)
        return crockford(mac, CHECKPOINT_CODE_LEN) if mac else None

    def line(self, body: str) -> str | None:
        """The MAC of one witness line's body."""
        mac = self._mac("witness", body)
        return mac.hex()[:32] if mac else None

    def same(self, given: str, expected: str | None) -> bool:
        return bool(expected) and hmac.compare_digest(given, expected or "")


def checkpoint_label(checkpoint_id: int, code: str) -> str:
    """`Z-17-7KQ4-M2XD-P9AB-C3EF`: a Z report's code as printed and typed."""
    return f"Z-{checkpoint_id}-{grouped(code, 4)}"


def receipt_label_code(receipt_no: str, code: str) -> str:
    """`A-000042/7KQ4M-2XDP9`: a receipt's number and its check code, typed together."""
    return f"{receipt_no}/{grouped(code)}"
