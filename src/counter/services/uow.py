"""UnitOfWork: one transaction per use case, rolled back unless `commit()` was called.

It is also the one place where database failures become a StorageError sentence, so
a full disk or a stopped PostgreSQL server reads the same in the CLI and on the screen.
One per use case and per worker thread: a SQLAlchemy Session is not thread-safe.
"""

from __future__ import annotations

from contextlib import suppress
from types import TracebackType

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from counter.config import Settings
from counter.storage.engine import WRITE_OPTION
from counter.storage.faults import StorageError, explain
from counter.storage.repositories import (
    AuditRepository,
    CounterRepository,
    DayEndRepository,
    FloatRepository,
    SaleRepository,
    ShopRepository,
    UserRepository,
    VoidRepository,
)


class UnitOfWork:
    session: Session
    shop: ShopRepository
    counters: CounterRepository
    users: UserRepository
    sales: SaleRepository
    voids: VoidRepository
    audit: AuditRepository
    dayend: DayEndRepository
    floats: FloatRepository

    def __init__(self, engine: Engine, settings: Settings, *, write: bool = True) -> None:
        self.engine = engine
        self.settings = settings
        self.write = write
        self._committed = False
        self._connection: Connection | None = None

    def fault(self, exc: SQLAlchemyError) -> StorageError:
        return explain(
            exc,
            self.settings.url,
            busy_timeout_ms=self.settings.busy_timeout_ms,
            writing=self.write,
        )

    def __enter__(self) -> UnitOfWork:
        try:
            self._connection = self.engine.connect().execution_options(**{WRITE_OPTION: self.write})
        except SQLAlchemyError as exc:
            raise self.fault(exc) from exc
        self.session = Session(bind=self._connection, expire_on_commit=False, autoflush=True)
        self.shop = ShopRepository(self.session)
        self.counters = CounterRepository(self.session)
        self.users = UserRepository(self.session)
        self.sales = SaleRepository(self.session)
        self.voids = VoidRepository(self.session)
        self.audit = AuditRepository(self.session)
        self.dayend = DayEndRepository(self.session)
        self.floats = FloatRepository(self.session)
        return self

    def commit(self) -> None:
        try:
            self.session.commit()
        except SQLAlchemyError as exc:
            self._quiet_rollback()
            raise self.fault(exc) from exc
        self._committed = True

    def rollback(self) -> None:
        self._quiet_rollback()

    def _quiet_rollback(self) -> None:
        # If the connection is gone, the server rolls back on its own.
        with suppress(SQLAlchemyError):
            self.session.rollback()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._committed:
            self._quiet_rollback()
        self.session.close()
        if self._connection is not None:
            with suppress(SQLAlchemyError):
                self._connection.close()
        if isinstance(exc, SQLAlchemyError):
            raise self.fault(exc) from exc
