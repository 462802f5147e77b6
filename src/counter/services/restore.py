"""What a restore records in the restored ledger: no receipt number is ever handed out twice.

A backup is older than the ledger it replaces: customers may hold receipts numbered above
the backup's last sale. The highest number ever issued (read by the caller from the witness
log and from the replaced ledger) is the floor: each counter continues above it, and the
numbers in between are a receipt gap "lost in a restore", chained, accepted by doctor and
printed on that day's Z report. The restore is audited with who did it (an admin, PIN
checked) and a checkpoint that tells doctor which witnessed points were lost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

from counter.domain.errors import NotAllowed
from counter.domain.records import Approval, ReceiptGap, Role, User
from counter.i18n import _
from counter.services.access import approve
from counter.services.ports import Ledger, UnitOfWork
from counter.services.sales import business_date

LOST_IN_RESTORE = "lost in a restore"


def _admin_only(user: User) -> NotAllowed:
    return NotAllowed(
        _("{name} is a {role}: only an admin can restore a backup.").format(
            name=user.name, role=user.role.word
        )
    )


def record_restore(
    ledger: Ledger,
    by: Approval,
    highest_issued: Mapping[str, int],
    source: str,
    now: datetime | None = None,
) -> list[ReceiptGap]:
    """In the ledger being restored (not yet in place): the admin's PIN checked, each
    counter moved above the highest number issued, the gaps recorded, the restore audited
    and checkpointed. The gaps recorded (none when the backup was the latest state)."""
    when = ledger.now(now)
    with ledger.uow() as uow:
        # First, the backup's heads as they are: whatever a witness saw beyond them is lost
        # in this restore (doctor says so in a note), and nothing before them may differ.
        uow.anchors.checkpoint("restore", source[:40], ledger.counter_code, when)
        admin = approve(ledger, uow, by, when, _admin_only)
        if not admin.role.at_least(Role.ADMIN):
            raise _admin_only(admin)
        gaps = [
            gap
            for code in uow.counters.codes()
            if (gap := _skip_lost(ledger, uow, code, highest_issued.get(code, 0), when))
        ]
        uow.audit.append(
            when,
            admin.name,
            "ledger_restored",
            source=source[:200],
            lost=", ".join(f"{g.first}-{g.last}" for g in gaps) or "none",
        )
        uow.commit()
    return gaps


def _skip_lost(
    ledger: Ledger, uow: UnitOfWork, code: str, highest: int, now: datetime
) -> ReceiptGap | None:
    numbering = uow.counters.lock_numbering(code)
    if numbering is None or highest < numbering.next_receipt:
        return None
    day = business_date(ledger, now)
    if uow.counters.is_day_closed(code, day):
        day += timedelta(days=1)  # printed on the next Z report, not on one already closed
    gap = ReceiptGap(code, numbering.next_receipt, highest, day, now, LOST_IN_RESTORE)
    uow.anchors.add_gap(gap)
    uow.counters.set_numbering(replace(numbering, next_receipt=highest + 1))
    return gap


def restore_notes(uow: UnitOfWork, day: date, counters: Sequence[str]) -> tuple[str, ...]:
    """The day report's and Z report's lines for numbers lost in a restore on `day`."""
    before = day - timedelta(days=1)
    return tuple(
        _("Receipts {first} to {last} were lost in a restore.").format(
            first=gap.first, last=gap.last
        )
        for code in counters
        for gap in uow.anchors.gaps(code, before, day)
        if gap.reason == LOST_IN_RESTORE
    )
