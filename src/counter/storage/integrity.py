"""The integrity walk of `counter doctor`: nothing was changed, removed or inserted by hand.

In order: the schema (every table, column and index the models declare); SQLite's own
integrity check; every hash chain (each counter's sales, and every chain of
`storage.chain.CHAINS`, and each counter's delivery changes) walked in chain order, each row's hash recomputed, each head
present, matching and sealed with the witness key; the plain rows that must equal their
chain (users, ledger settings, the print queue, the last closed day, the operators'
balances); and the witnesses: each point a witness line, a checkpoint or a code from
paper saw must still be in the ledger with the same hash. Each problem is a sentence
naming what and where.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select, text

from counter.domain.errors import CounterError
from counter.domain.records import DoctorReport, receipt_label
from counter.i18n import _
from counter.storage.anchors import Sealer
from counter.storage.chain import (
    CHAINS,
    SALES_PREFIX,
    Chain,
    as_utc,
    row_digest,
    sale_hash,
    sales_chain,
)
from counter.storage.chain_delivery import DELIVERIES_PREFIX, delivery_chain
from counter.storage.evidence import (
    Evidence,
    lost_notes,
    restore_from,
    rewritten,
    rolled_back,
    when,
)
from counter.storage.integrity_bindings import check_bindings
from counter.storage.integrity_codes import check_codes, gaps_of
from counter.storage.integrity_delivery import delivery_problems
from counter.storage.integrity_khqr import khqr_problems
from counter.storage.models import GENESIS_HASH, Base
from counter.storage.repositories.common import CHECKPOINTS, COUNTERS, HEADS, PAYMENTS, SALES
from counter.storage.schema_check import missing_schema
from counter.storage.witness import read_witness, witness_files

SALES_TABLES = frozenset({"counters", "sales", "sale_payments", "receipt_gaps"})


class Findings:
    """What the walk found, gathered as it goes."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.notes: list[str] = []
        self.witnessed: list[str] = []

    def report(self, unverified: Sequence[str]) -> DoctorReport:
        return DoctorReport(
            tuple(self.problems), tuple(self.notes), tuple(self.witnessed), tuple(unverified)
        )


class IntegrityCheck:
    """The walk, inside one (read) unit of work."""

    def __init__(self, conn: Connection, sealer: Sealer) -> None:
        self.conn = conn
        self.sealer = sealer

    def problems(self) -> list[str]:
        """Every problem found; an empty list means the ledger is as the app wrote it."""
        return list(self.report().problems)

    def report(self, witness: Sequence[Path] = (), codes: Sequence[str] = ()) -> DoctorReport:
        """Everything doctor says: problems, notes, and which witnesses were checked."""
        found = Findings()
        schema, gone = missing_schema(self.conn)
        found.problems += schema
        self._sqlite_check(found)
        if not self.sealer.key:
            found.problems.append(
                _(
                    "There is no witness key on this machine, so the chains' seals cannot be checked."
                )
            )
        evidence = self._evidence(found, witness, gone)
        tables = set(Base.metadata.tables) - gone
        if tables >= SALES_TABLES:
            for code in self._counter_codes():
                found.problems += self._walk_sales(code, evidence)
        elif SALES_TABLES & gone:
            found.problems.append(
                _(
                    "The sales were not checked: the table {tables} is missing or incomplete."
                ).format(tables=", ".join(sorted(SALES_TABLES & gone)))
            )
        for chain in CHAINS:
            if chain.table in tables and "chain_heads" in tables:
                found.problems += self._walk_chain(chain, evidence)
        if {"counters", "delivery_changes", "chain_heads"} <= tables:
            for code in self._counter_codes():
                found.problems += self._walk_deliveries(code, evidence)
        if not gone:
            found.problems += check_bindings(self.conn)
            found.problems += delivery_problems(self.conn)
            found.problems += khqr_problems(self.conn)
            check_codes(self.conn, self.sealer, codes, found)
        found.problems += self._unreached(evidence, gone)
        found.notes += lost_notes(evidence)
        return found.report(self._unverified(found, evidence))

    # -- the evidence --------------------------------------------------------------------

    def _evidence(self, found: Findings, witness: Sequence[Path], gone: set[str]) -> Evidence:
        evidence = Evidence()
        if "checkpoints" in gone:
            return evidence
        rows = self.conn.execute(select(CHECKPOINTS).order_by(CHECKPOINTS.c.id)).all()
        for row in rows:
            if row.reason == "restore":
                restore = restore_from(as_utc(row.at), row.heads)
                if restore is not None:
                    evidence.restores.append(restore)
        evidence.restores.sort(key=lambda r: r.at)
        files = [f for path in witness for f in witness_files(path)]
        for path in witness:
            if not witness_files(path):
                found.problems.append(
                    _("No witness log at {path}: nothing there to check against.").format(path=path)
                )
        reading = read_witness(files, self.sealer)
        found.problems += reading.problems
        for line in reading.lines:
            evidence.add_line(line)
        if reading.lines:
            last = max(line.at for line in reading.lines)
            found.witnessed.append(
                _("the witness log ({count} lines in {files}, the last on {time})").format(
                    count=len(reading.lines),
                    files=", ".join(str(f) for f in reading.files),
                    time=when(last),
                )
            )
            evidence.sources += 1
        for row in rows:
            if not evidence.add_checkpoint(int(row.id), as_utc(row.at), row.heads):
                found.problems.append(
                    _(
                        "Checkpoint {id}: its recorded heads cannot be read (changed outside the app)."
                    ).format(id=row.id)
                )
        return evidence

    def _unverified(self, found: Findings, evidence: Evidence) -> list[str]:
        if found.witnessed:
            return []
        return [
            _(
                "a ledger replaced by an older copy of itself (a rollback), when no sale was "
                "made after it"
            ),
            _(
                "a rewrite by someone who can read this machine's witness key (its shell or "
                "its files), with every hash, seal and checkpoint made again"
            ),
        ]

    # -- the walks -----------------------------------------------------------------------

    def _sqlite_check(self, found: Findings) -> None:
        if self.conn.dialect.name != "sqlite":
            return
        result = [r[0] for r in self.conn.execute(text("PRAGMA integrity_check"))]
        if result != ["ok"]:
            found.problems.append(
                _("SQLite integrity check: {result}").format(result="; ".join(result[:5]))
            )

    def _counter_codes(self) -> list[str]:
        return list(self.conn.execute(select(COUNTERS.c.code).order_by(COUNTERS.c.code)).scalars())

    def _rows(self, stmt: Any) -> Iterator[Any]:
        yield from self.conn.execute(stmt.execution_options(yield_per=1000))

    def _walk_sales(self, code: str, evidence: Evidence) -> list[str]:
        counter = self.conn.execute(select(COUNTERS).where(COUNTERS.c.code == code)).one()
        gaps = gaps_of(self.conn, code)
        walk = _SalesWalk(code, gaps, evidence, self._payment_lines(code))
        stmt = select(SALES).where(SALES.c.counter_code == code).order_by(SALES.c.receipt_seq)
        for row in self._rows(stmt):
            walk.step(row)
        return walk.finish(counter, self.sealer)

    def _payment_lines(self, code: str) -> dict[int, list[Any]]:
        """The counter's payment lines by sale id (a version-2 sale's hash covers them)."""
        stmt = (
            select(PAYMENTS)
            .join(SALES, SALES.c.id == PAYMENTS.c.sale_id)
            .where(SALES.c.counter_code == code, SALES.c.hash_version >= 2)
        )
        found: dict[int, list[Any]] = {}
        for line in self._rows(stmt):
            found.setdefault(int(line.sale_id), []).append(line)
        return found

    def _walk_deliveries(self, code: str, evidence: Evidence) -> list[str]:
        """One counter's delivery changes: a chain of its own, like its sales."""
        chain = delivery_chain(code)
        table = Base.metadata.tables[chain.table]
        return self._walk_chain(chain, evidence, table.c.counter_code == code)

    def _walk_chain(self, chain: Chain, evidence: Evidence, *where: Any) -> list[str]:
        table = Base.metadata.tables[chain.table]
        problems: list[str] = []
        prev, count, differ = GENESIS_HASH, 0, []
        label = str(chain.label)
        for row in self._rows(select(table).where(*where).order_by(table.c.id)):
            count += 1
            if row.prev_hash != prev:
                problems.append(
                    _(
                        "{label} {id}: the chain is broken before it (a row was removed or inserted)."
                    ).format(label=label, id=row.id)
                )
            if row_digest(chain, row, row.prev_hash) != row.row_hash:
                problems.append(
                    _(
                        "{label} {id}: changed after it was recorded (its hash does not match)."
                    ).format(label=label, id=row.id)
                )
            differ += [
                (count, s) for s in evidence.take(chain.name, count) if s.digest != row.row_hash
            ]
            prev = row.row_hash
        if differ:
            problems.append(rewritten(chain.name, differ[0][0], differ[0][1], len(differ)))
        return problems + self._head(chain.name, count, prev)

    def _head(self, name: str, count: int, last: str) -> list[str]:
        head = self.conn.execute(select(HEADS).where(HEADS.c.name == name)).first()
        if head is None:
            return [
                _(
                    "The {chain} chain has lost its head record (deleted outside the app): rows "
                    "removed at its end could not be seen, and nothing more is recorded in it."
                ).format(chain=name)
            ]
        problems = []
        if int(head.length) != count or head.last_hash != last:
            problems.append(
                _(
                    "The {chain} chain has {count} rows but its head records {recorded} "
                    "(rows were removed at its end, or added outside the app)."
                ).format(chain=name, count=count, recorded=head.length)
            )
        elif not self.sealer.head_ok(head.seal, name, int(head.length), head.last_hash):
            problems.append(
                _(
                    "The {chain} chain's head does not carry this shop's seal: the chain was "
                    "changed and its hashes made again outside the app."
                ).format(chain=name)
            )
        return problems

    def _unreached(self, evidence: Evidence, gone: set[str]) -> list[str]:
        """Witnessed points beyond a chain's end: the ledger was rolled back. A chain whose
        table is missing or incomplete was not walked: its points say nothing."""
        problems = []
        for chain in sorted(evidence.points):
            left = evidence.left(chain)
            if not left or _chain_tables(chain) & gone:
                continue
            position = max(left)
            have = self._length(chain)
            problems.append(rolled_back(chain, have, position, left[position][0]))
        return problems

    def _length(self, chain: str) -> int:
        if chain.startswith("sales:"):
            code = chain.removeprefix("sales:")
            stmt = select(func.max(SALES.c.receipt_seq)).where(SALES.c.counter_code == code)
            return int(self.conn.execute(stmt).scalar() or 0)
        stmt = select(HEADS.c.length).where(HEADS.c.name == chain)
        return int(self.conn.execute(stmt).scalar() or 0)


class _SalesWalk:
    """One counter's sales in receipt order: gaps, links, hashes, witnessed points."""

    def __init__(
        self,
        code: str,
        gaps: list[tuple[int, int]],
        evidence: Evidence,
        lines: dict[int, list[Any]],
    ) -> None:
        self.code = code
        self.gaps = gaps
        self.evidence = evidence
        self.lines = lines
        self.chain = sales_chain(code)
        self.problems: list[str] = []
        self.prev = GENESIS_HASH
        self.expected = 1
        self.last = 0
        self.differ: list[tuple[int, Any]] = []

    def _skip_recorded(self, seq: int) -> None:
        for first, last in self.gaps:
            if first == self.expected and last < seq:
                self.expected = last + 1

    def step(self, row: Any) -> None:
        seq = int(row.receipt_seq)
        self._skip_recorded(seq)
        if seq != self.expected:
            self.problems.append(_missing(self.code, self.expected, seq, row.receipt_no))
            self.expected = seq
        if row.prev_hash != self.prev:
            self.problems.append(
                _(
                    "Sale {receipt}: the chain is broken before it (a sale was removed or inserted)."
                ).format(receipt=row.receipt_no)
            )
        if sale_hash(row, row.prev_hash, self.lines.get(int(row.id), ())) != row.row_hash:
            self.problems.append(
                _(
                    "Sale {receipt}: changed after it was recorded (its hash does not match)."
                ).format(receipt=row.receipt_no)
            )
        self.differ += [
            (seq, s) for s in self.evidence.take(self.chain, seq) if s.digest != row.row_hash
        ]
        self.prev = row.row_hash
        self.last = seq
        self.expected = seq + 1

    def finish(self, counter: Any, sealer: Sealer) -> list[str]:
        self._skip_recorded(int(counter.next_receipt))
        for first, last in self.gaps:  # numbers skipped on purpose are not witnessed points
            for seq in range(first, last + 1):
                self.evidence.take(self.chain, seq)
        problems = self.problems
        if self.differ:
            seq, seen = self.differ[0]
            problems.append(rewritten(self.chain, seq, seen, len(self.differ)))
        next_receipt = int(counter.next_receipt)
        if next_receipt != self.expected:
            problems.append(_numbering(self.code, next_receipt, self.last))
        elif counter.last_sale_hash != self.prev:
            problems.append(
                _(
                    "Counter {code}: the last sale's hash does not match the counter "
                    "(the last sale was changed or removed)."
                ).format(code=self.code)
            )
        elif not sealer.counter_ok(
            counter.seal, self.code, next_receipt, counter.last_sale_hash, counter.last_closed_day
        ):
            problems.append(
                _(
                    "Counter {code}: its numbering does not carry this shop's seal: its next "
                    "number, last sale or last closed day was changed outside the app."
                ).format(code=self.code)
            )
        return problems


def _chain_tables(name: str) -> set[str]:
    """The tables the walk of a chain reads, by the chain's head name."""
    if name.startswith(SALES_PREFIX):
        return set(SALES_TABLES)
    if name.startswith(DELIVERIES_PREFIX):
        return {"counters", "delivery_changes", "chain_heads"}
    return {"chain_heads", *(c.table for c in CHAINS if c.name == name)}


def _missing(code: str, expected: int, seq: int, receipt: str) -> str:
    missing = (
        receipt_label(code, expected)
        if seq == expected + 1
        else _("{first} to {last}").format(
            first=receipt_label(code, expected), last=receipt_label(code, seq - 1)
        )
    )
    return _("Counter {code}: receipt numbers missing before {receipt}: {missing}.").format(
        code=code, receipt=receipt, missing=missing
    )


def _numbering(code: str, next_receipt: int, last: int) -> str:
    """The counter's next number disagrees with its last recorded sale."""
    shown = receipt_label(code, last) if last else _("none")
    upcoming = receipt_label(code, next_receipt)
    if next_receipt <= last:
        return _(
            "Counter {code}: the last recorded sale is {last}, but the counter would give "
            "{next} next, a number a sale already has: a sale was added outside the app, or "
            "the counter's numbering was set back."
        ).format(code=code, last=shown, next=upcoming)
    return _(
        "Counter {code}: the last recorded sale is {last}, but the counter would give {next} "
        "next, skipping the numbers between: sales were removed at the end, or the counter "
        "was edited."
    ).format(code=code, last=shown, next=upcoming)


def check_safely(
    check: IntegrityCheck, witness: Sequence[Path], codes: Sequence[str]
) -> DoctorReport:
    """The report; a failure of the walk itself becomes its one problem."""
    try:
        return check.report(witness, codes)
    except CounterError as exc:
        return DoctorReport(problems=(str(exc),))
