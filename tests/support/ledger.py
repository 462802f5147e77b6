"""Reaching below the use cases, for tests of the real storage: the database behind a
`Ledger` built by `counter.bootstrap`, and plain SQL on it (what a person with a database
tool could do to the file)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, text, update

from counter.services.ports import Ledger
from counter.storage.database import LedgerDatabase
from counter.storage.uow import SqlUnitOfWork


def database_of(ledger: Ledger) -> LedgerDatabase:
    """The SQLAlchemy database of a ledger opened by `counter.bootstrap`."""
    owner = getattr(ledger.uow, "__self__", None)
    assert isinstance(owner, LedgerDatabase), "not a ledger opened by counter.bootstrap"
    return owner


def engine_of(ledger: Ledger) -> Engine:
    return database_of(ledger).engine


def sql_uow(ledger: Ledger, *, write: bool = False) -> SqlUnitOfWork:
    """A unit of work whose `connection` a test may use for plain SQL."""
    return database_of(ledger).uow(write=write)


def rows(ledger: Ledger, statement: str, **params: Any) -> list[Any]:
    with sql_uow(ledger) as uow:
        return list(uow.connection.execute(text(statement), params))


def scalar(ledger: Ledger, statement: str, **params: Any) -> Any:
    with sql_uow(ledger) as uow:
        return uow.connection.execute(text(statement), params).scalar_one()


def execute(ledger: Ledger, statement: Any, params: dict[str, Any] | None = None) -> None:
    """Run a statement and commit it (a change made outside the app)."""
    with sql_uow(ledger, write=True) as uow:
        uow.connection.execute(
            text(statement) if isinstance(statement, str) else statement, params or {}
        )
        uow.commit()


def date_set_up_back(ledger: Ledger, moment: datetime) -> None:
    """Date the shop's set-up back to `moment`, as a shop that has sold since then would
    be: tests that sell on fixed past days (`now=`) on a shop set up today need it, or
    those days are before the shop existed and refused (`services.days`)."""
    from counter.storage.repositories.common import SHOP

    execute(ledger, update(SHOP).values(created=moment))
