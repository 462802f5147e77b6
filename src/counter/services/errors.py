"""Refusals of the ledger's use cases, each a sentence a clerk or owner can act on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from counter.domain.errors import CounterError
from counter.i18n import _, ngettext
from counter.storage.faults import StorageError

if TYPE_CHECKING:
    from counter.domain.records import Sale

__all__ = [
    "AuthError",
    "DuplicateSale",
    "LedgerExists",
    "NotAllowed",
    "NotInitialised",
    "SaleRefused",
    "StorageError",
    "UserError",
    "VoidRefused",
]


class NotInitialised(CounterError):
    """No ledger yet (or this machine has no counter code): the shop must be set up first."""


class LedgerExists(CounterError):
    """`init` on a ledger that is already set up: it is never overwritten."""


class AuthError(CounterError):
    """Unknown user, wrong PIN, locked or disabled account."""


class NotAllowed(CounterError):
    """The user's role does not allow this action."""


class UserError(CounterError):
    """A user change that cannot be made: bad PIN, name taken, last admin..."""


class SaleRefused(CounterError):
    """The sale breaks a rule; `errors` lists every reason, nothing was recorded."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = tuple(errors)
        super().__init__(_("Sale refused: {reasons}").format(reasons=" ".join(self.errors)))


class DuplicateSale(CounterError):
    """The same number and amount were sold moments ago; selling again needs an override."""

    def __init__(self, previous: Sale, seconds_ago: int) -> None:
        from counter.domain.phone import group_national
        from counter.i18n import format_usd_for as format_usd

        self.previous = previous
        self.seconds_ago = seconds_ago
        when = _ago(seconds_ago)
        national = "0" + previous.msisdn.removeprefix("+855")
        super().__init__(
            _(
                "{number} was already topped up with {amount} {when} (receipt {receipt}). "
                "Sell again only if the customer wants a second top-up."
            ).format(
                number=group_national(national),
                amount=format_usd(previous.amount_cents),
                when=when,
                receipt=previous.receipt_no,
            )
        )


class VoidRefused(CounterError):
    """A void that cannot be recorded: no reason, unknown receipt, already voided, day closed."""


def _ago(seconds: int) -> str:
    if seconds < 60:
        return ngettext("{count} second ago", "{count} seconds ago", seconds).format(count=seconds)
    minutes = seconds // 60
    return ngettext("{count} minute ago", "{count} minutes ago", minutes).format(count=minutes)
