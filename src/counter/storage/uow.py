"""The SQLAlchemy unit of work: one transaction per use case, rolled back unless committed.

It satisfies `counter.services.ports.UnitOfWork`. Database failures never leave it as
SQLAlchemy exceptions: the engine turns them into KeyTaken or StorageError at the source
(`storage.engine`), and anything SQLAlchemy raises of its own becomes a StorageError here.
One per use case and per worker thread: a SQLAlchemy Session is not thread-safe.

After a commit that moved a chain head, one line goes to the witness log (`storage.
witness`): the commit is the record, the line its witness outside the ledger.
"""

from __future__ import annotations

from contextlib import suppress
from types import TracebackType

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from counter.domain.errors import CounterError, Fault, StorageError
from counter.i18n import _
from counter.storage.anchors import Sealer
from counter.storage.engine import WRITE_OPTION
from counter.storage.faults import explain
from counter.storage.integrity import IntegrityCheck
from counter.storage.repositories.anchors import AnchorRepository
from counter.storage.repositories.common import ChainWriter
from counter.storage.repositories.dayend import DayEndRepository, FloatRepository
from counter.storage.repositories.deliveries import DeliveryRepository, RefundRepository
from counter.storage.repositories.khqr import KhqrRepository
from counter.storage.repositories.people import (
    AuditRepository,
    CounterRepository,
    ShopRepository,
    UserRepository,
)
from counter.storage.repositories.prints import PrintQueueRepository
from counter.storage.repositories.sales import SaleRepository
from counter.storage.repositories.shifts import ShiftRepository
from counter.storage.repositories.voids import VoidRepository
from counter.storage.witness import WitnessLog


def lost_at_commit() -> StorageError:
    """The connection lost while the server was committing: whether it kept the work is
    not known here, so the sentence says so instead of "nothing was recorded"."""
    return StorageError(
        _(
            "The connection to the ledger was lost while it was being written: this may or "
            "may not have been recorded. Look at the last receipt before trying again."
        ),
        fault=Fault.UNREACHABLE,
    )


class SqlUnitOfWork:
    connection: Connection
    shop: ShopRepository
    counters: CounterRepository
    users: UserRepository
    sales: SaleRepository
    voids: VoidRepository
    audit: AuditRepository
    dayend: DayEndRepository
    shifts: ShiftRepository
    floats: FloatRepository
    prints: PrintQueueRepository
    anchors: AnchorRepository
    integrity: IntegrityCheck
    deliveries: DeliveryRepository
    refunds: RefundRepository
    khqr: KhqrRepository

    def __init__(
        self,
        engine: Engine,
        url: str,
        busy_timeout_ms: int,
        *,
        write: bool,
        sealer: Sealer | None = None,
        witness: WitnessLog | None = None,
    ) -> None:
        self.engine = engine
        self.url = url
        self.busy_timeout_ms = busy_timeout_ms
        self.write = write
        self.sealer = sealer or Sealer(None)
        self.witness = witness
        self._committed = False
        self._open = False

    def __enter__(self) -> SqlUnitOfWork:
        try:
            conn = self.engine.connect().execution_options(**{WRITE_OPTION: self.write})
        except StorageError as exc:  # explained by the engine; a write says nothing was recorded
            nothing = _("Nothing was recorded.")
            if self.write and not exc.message.endswith(nothing):
                raise StorageError(f"{exc.message} {nothing}", fault=exc.fault) from None
            raise
        except SQLAlchemyError as exc:
            raise self._fault(exc) from exc
        self._open = True
        self.connection = conn
        self.chains = chains = ChainWriter(conn, self.sealer)
        self.shop = ShopRepository(conn, chains)
        self.counters = CounterRepository(conn, chains)
        self.users = UserRepository(conn, chains)
        self.sales = SaleRepository(conn, chains)
        self.voids = VoidRepository(conn, chains)
        self.audit = AuditRepository(conn, chains)
        self.dayend = DayEndRepository(conn, chains)
        self.shifts = ShiftRepository(conn, chains)
        self.floats = FloatRepository(conn, chains)
        self.prints = PrintQueueRepository(conn, chains)
        self.anchors = AnchorRepository(conn, chains)
        self.deliveries = DeliveryRepository(conn, chains)
        self.refunds = RefundRepository(conn, chains)
        self.khqr = KhqrRepository(conn, chains)
        self.integrity = IntegrityCheck(conn, self.sealer)
        return self

    def _fault(self, exc: SQLAlchemyError) -> StorageError:
        return explain(exc, self.url, busy_timeout_ms=self.busy_timeout_ms, writing=self.write)

    def commit(self) -> None:
        try:
            self.connection.commit()
        except SQLAlchemyError as exc:
            self._quiet_rollback()
            raise self._fault(exc) from exc
        except StorageError as exc:
            self._quiet_rollback()
            if exc.fault is Fault.UNREACHABLE:
                raise lost_at_commit() from None
            raise
        except CounterError:
            self._quiet_rollback()
            raise
        self._committed = True
        self._witness()

    def _witness(self) -> None:
        """The heads this transaction moved, appended to the witness log (never raises)."""
        chains = self.chains
        if self.witness is not None and chains.moved:
            self.witness.append("commit", dict(chains.moved), dict(chains.receipts))
        chains.reset()

    def rollback(self) -> None:
        """Undo this transaction's work; the unit of work can go on with a new one."""
        self._quiet_rollback()

    def _quiet_rollback(self) -> None:
        # If the connection is gone, the server rolls back on its own.
        self.chains.reset()
        with suppress(SQLAlchemyError, CounterError):
            self.connection.rollback()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._open:
            if not self._committed or self.connection.in_transaction():
                self._quiet_rollback()
            with suppress(SQLAlchemyError, CounterError):
                self.connection.close()
        if isinstance(exc, SQLAlchemyError):
            raise self._fault(exc) from exc
