"""The payments adapter's errors: defined in `counter.domain.payment_errors` (one hierarchy
under `CounterError`), named here too so the adapter's callers keep their imports."""

from __future__ import annotations

from counter.domain.payment_errors import (
    BakongAnswerInvalid,
    BakongError,
    BakongForbidden,
    BakongOffline,
    BakongRefused,
    BakongTimeout,
    BakongTokenMissing,
    BakongTokenRejected,
    BakongTokenUnsafe,
    BakongUnavailable,
    KhqrError,
    PaymentsError,
    QrTooLarge,
)

__all__ = [
    "BakongAnswerInvalid",
    "BakongError",
    "BakongForbidden",
    "BakongOffline",
    "BakongRefused",
    "BakongTimeout",
    "BakongTokenMissing",
    "BakongTokenRejected",
    "BakongTokenUnsafe",
    "BakongUnavailable",
    "KhqrError",
    "PaymentsError",
    "QrTooLarge",
]
