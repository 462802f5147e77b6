"""Export, backup and doctor: getting sales out, keeping a copy, checking nothing was touched."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from counter.domain.errors import CounterError, StorageError
from counter.domain.records import Approval, DoctorReport, Sale, User
from counter.i18n import _
from counter.services.disclosure import allow_numbers
from counter.services.ports import Ledger


def export_sales(
    ledger: Ledger,
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    by: User | Approval,
) -> Iterator[tuple[Sale, str]]:
    """(sale, void reason or "") of the business days in range (inclusive), oldest first,
    streamed from one transaction; every customer's number, so a supervisor's (audited)."""
    allow_numbers(
        ledger,
        by,
        "sales_exported",
        date_from=date_from.isoformat() if date_from else None,
        date_to=date_to.isoformat() if date_to else None,
    )
    with ledger.uow(write=False) as uow:
        yield from uow.sales.export(date_from, date_to)


def backup(ledger: Ledger, to: Path | None = None) -> Path:
    """A consistent copy of the ledger, integrity-checked; the path written."""
    return ledger.backup(to)


def doctor(ledger: Ledger) -> list[str]:
    """Every problem found, each naming what and where; an empty list means all is well."""
    return list(doctor_report(ledger).problems)


def doctor_report(
    ledger: Ledger, witness: Sequence[Path] = (), codes: Sequence[str] = ()
) -> DoctorReport:
    """What `counter doctor` says: problems (each naming what and where), notes, the
    witnesses it checked the ledger against, and what it cannot rule out without one.

    The integrity walk (schema, hash chains and their sealed heads, receipt gaps, the
    rows bound to chains, running balances, witness logs, codes from paper) reads through
    the unit of work; the rules file is read again to check it still loads.
    """
    try:
        with ledger.uow(write=False) as uow:
            report = uow.integrity.report(witness, codes)
    except StorageError as exc:
        report = DoctorReport(problems=(str(exc),))
    if ledger.reload_rules is not None:
        try:
            ledger.reload_rules()
        except CounterError as exc:
            rules = _("Rules: {problem}").format(problem=exc)
            report = replace(report, problems=(*report.problems, rules))
    return report
