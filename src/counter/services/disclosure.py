"""Customers' numbers leaving the ledger: an export, a CSV or XLSX report.

A list of every customer's number is what a thief of the shop's customers would want, so
it takes a supervisor: logged in (the screen), or named with a PIN checked here (the
command line), and each time is in the audit log. Totals-only reports (the PDF daily
report, the X and Z reports) stay open to the clerk.
"""

from __future__ import annotations

from counter.domain.records import Approval, Role, User
from counter.i18n import _
from counter.services.access import approve, not_allowed, require_role
from counter.services.ports import Ledger


def allow_numbers(ledger: Ledger, by: User | Approval, action: str, **detail: object) -> User:
    """The supervisor (or admin) who lets customers' numbers out, recorded as `action`."""
    what = _("write customers' numbers to a file or the screen")
    when = ledger.now()
    with ledger.uow() as uow:
        if isinstance(by, Approval):
            user = approve(ledger, uow, by, when, lambda u: not_allowed(u, Role.SUPERVISOR, what))
        else:
            user = require_role(uow, by, Role.SUPERVISOR, what)
        uow.audit.append(when, user.name, action, **detail)
        uow.commit()
    return user
