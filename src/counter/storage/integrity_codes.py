"""Codes from paper, typed into `counter doctor --code`: does the ledger still hold what they saw?

A receipt's check code (`A-000042/7KQ4M-2XDP9`, or the ten characters alone) is the
witness key's MAC of that sale's row hash, which the chain ties to every earlier sale of
the counter; a Z report's code (`Z-17-7KQ4-M2XD-P9AB-C3EF`) is the MAC of checkpoint 17,
which holds every chain's head at the close. A ledger rewritten or rolled back before
that point no longer gives the same code, and nobody without the key can make it again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy import Connection, func, select

from counter.domain.records import receipt_label
from counter.i18n import _
from counter.storage.anchors import (
    CHECKPOINT_CODE_LEN,
    RECEIPT_CODE_LEN,
    Sealer,
    normalised_code,
)
from counter.storage.repositories.common import CHECKPOINTS, GAPS, SALES, run

_RECEIPT = re.compile(r"^\s*([A-Za-z][A-Za-z0-9]{0,7})-(\d{1,12})\s*/\s*(\S.*)$")
_CHECKPOINT = re.compile(r"^\s*[Zz]-(\d{1,12})-(\S.*)$")


class Found(Protocol):
    problems: list[str]
    witnessed: list[str]


def gaps_of(conn: Connection, counter_code: str) -> list[tuple[int, int]]:
    """The counter's recorded receipt gaps (numbers skipped on purpose), in order."""
    stmt = (
        select(GAPS.c.first_seq, GAPS.c.last_seq)
        .where(GAPS.c.counter_code == counter_code)
        .order_by(GAPS.c.first_seq)
    )
    return [(int(a), int(b)) for a, b in run(conn, stmt)]


def check_codes(conn: Connection, sealer: Sealer, codes: Sequence[str], found: Found) -> None:
    """Each typed code: a witnessed point (said in `found.witnessed`) or a problem."""
    for typed in codes:
        if not sealer.key:
            found.problems.append(
                _(
                    "The code {code} cannot be checked: there is no witness key on this machine."
                ).format(code=typed)
            )
            continue
        receipt = _RECEIPT.match(typed)
        checkpoint = _CHECKPOINT.match(typed)
        if receipt:
            code, seq = receipt.group(1).upper(), int(receipt.group(2))
            _receipt(conn, sealer, code, seq, normalised_code(receipt.group(3)), typed, found)
        elif checkpoint:
            _checkpoint(conn, sealer, int(checkpoint.group(1)), checkpoint.group(2), typed, found)
        else:
            _bare(conn, sealer, normalised_code(typed), typed, found)


def _receipt(
    conn: Connection, sealer: Sealer, code: str, seq: int, mac: str, typed: str, found: Found
) -> None:
    label = receipt_label(code, seq)
    row = run(
        conn,
        select(SALES.c.row_hash).where(SALES.c.counter_code == code, SALES.c.receipt_seq == seq),
    ).first()
    if row is None:
        found.problems.append(_absent(conn, code, seq, label))
    elif sealer.same(mac, sealer.receipt_code(code, seq, row.row_hash)):
        found.witnessed.append(_("the code of receipt {receipt}").format(receipt=label))
    else:
        found.problems.append(
            _(
                "The code {code} does not match receipt {receipt} in this ledger: that sale "
                "or one before it was rewritten after the receipt was printed (or the code "
                "was mistyped)."
            ).format(code=typed, receipt=label)
        )


def _absent(conn: Connection, code: str, seq: int, label: str) -> str:
    for first, last in gaps_of(conn, code):
        if first <= seq <= last:
            return _(
                "Receipt {receipt} was lost in a restore recorded in the ledger: the customer "
                "holds it, the ledger does not."
            ).format(receipt=label)
    last_seq = run(
        conn, select(func.max(SALES.c.receipt_seq)).where(SALES.c.counter_code == code)
    ).scalar()
    if last_seq is None or seq > int(last_seq):
        return _(
            "Receipt {receipt} was printed, but the ledger's sales of counter {code} end "
            "before it: the ledger was rolled back (replaced by an older copy, or sales removed)."
        ).format(receipt=label, code=code)
    return _(
        "Receipt {receipt} was printed, but the ledger has no such sale: it was removed."
    ).format(receipt=label)


def _checkpoint(
    conn: Connection, sealer: Sealer, checkpoint_id: int, rest: str, typed: str, found: Found
) -> None:
    row = run(conn, select(CHECKPOINTS).where(CHECKPOINTS.c.id == checkpoint_id)).first()
    if row is None:
        found.problems.append(
            _(
                "The Z report code {code} names checkpoint {id}, which the ledger does not have: "
                "the ledger was rolled back to before that close, or rows were removed."
            ).format(code=typed, id=checkpoint_id)
        )
    elif sealer.same(normalised_code(rest), sealer.checkpoint_code(checkpoint_id, row.row_hash)):
        found.witnessed.append(
            _("the code of checkpoint {id} ({reason} {ref})").format(
                id=checkpoint_id, reason=row.reason, ref=row.ref
            )
        )
    else:
        found.problems.append(
            _(
                "The Z report code {code} does not match checkpoint {id} in this ledger: the "
                "ledger was rewritten after that close (or the code was mistyped)."
            ).format(code=typed, id=checkpoint_id)
        )


def _bare(conn: Connection, sealer: Sealer, mac: str, typed: str, found: Found) -> None:
    """A code typed without its receipt number: every sale (or checkpoint) is tried."""
    if len(mac) == RECEIPT_CODE_LEN:
        stmt: Any = select(SALES.c.counter_code, SALES.c.receipt_seq, SALES.c.row_hash)
        for code, seq, row_hash in run(conn, stmt.execution_options(yield_per=1000)):
            if sealer.same(mac, sealer.receipt_code(code, int(seq), row_hash)):
                found.witnessed.append(
                    _("the code of receipt {receipt}").format(receipt=receipt_label(code, seq))
                )
                return
    elif len(mac) == CHECKPOINT_CODE_LEN:
        for checkpoint_id, row_hash in run(conn, select(CHECKPOINTS.c.id, CHECKPOINTS.c.row_hash)):
            if sealer.same(mac, sealer.checkpoint_code(int(checkpoint_id), row_hash)):
                found.witnessed.append(_("the code of checkpoint {id}").format(id=checkpoint_id))
                return
    found.problems.append(
        _(
            "No receipt or close in this ledger has the code {code}: the ledger was rewritten "
            "or rolled back before it was printed (or the code was mistyped; type the receipt "
            "number with it, as printed: A-000042/7KQ4M-2XDP9)."
        ).format(code=typed)
    )
