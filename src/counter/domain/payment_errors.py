"""What can go wrong with a KHQR code or a Bakong check, each a sentence with its data.

They are part of the one hierarchy under `CounterError` (kept in their own module so
`domain/errors.py` stays under 500 lines; `counter.payments.errors` re-exports them), so a
use case can catch them without importing the adapter. Each error says what happened; the screen and the CLI add what to do (which key, which setting).
`retry` tells a poller whether checking again later can help.
"""

from __future__ import annotations

from counter.domain.errors import CounterError

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
    "KhqrRefused",
    "PaymentsError",
    "QrTooLarge",
]


class PaymentsError(CounterError):
    """A KHQR code that cannot be made or shown, or a payment check that failed."""


class KhqrError(PaymentsError):
    """A value that cannot go into a KHQR code; `field` names which (`merchant_name`, ...)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class QrTooLarge(PaymentsError):
    """The code needs more room than the screen has; carries the sizes."""

    def __init__(self, message: str, modules: int, rows: int, cols: int) -> None:
        super().__init__(message)
        self.modules = modules
        self.rows = rows
        self.cols = cols


class BakongError(PaymentsError):
    """A payment check that got no usable answer from Bakong."""

    retry: bool = False


class BakongTokenMissing(BakongError):
    """No token in the environment variable or the file."""


class BakongTokenUnsafe(BakongError):
    """The token file can be read by other users of the machine."""


class BakongTokenRejected(BakongError):
    """Bakong refused the token: expired, renewed elsewhere, or wrong."""


class BakongForbidden(BakongError):
    """Bakong refused the machine itself (it answers only from Cambodian addresses)."""


class BakongRefused(BakongError):
    """Bakong answered with an error of its own; `code` is its errorCode."""

    retry = True

    def __init__(self, message: str, code: int | None, *, retry: bool = True) -> None:
        super().__init__(message)
        self.code = code
        self.retry = retry


class BakongUnavailable(BakongError):
    """Bakong's server failed or is too busy (HTTP 5xx or 429)."""

    retry = True

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class BakongTimeout(BakongError):
    """Bakong did not answer in time."""

    retry = True


class BakongOffline(BakongError):
    """Bakong could not be reached at all: no network, no name resolution, connection refused."""

    retry = True


class BakongAnswerInvalid(BakongError):
    """An answer that is not the documented JSON."""

    retry = True


class KhqrRefused(PaymentsError):
    """A KHQR step the shop's rules or the payment's state do not allow, in words."""
