"""What every table module shares: the one `Base`, its naming convention, the column types."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Integer, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeEngine

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

HASH_LEN = 64  # hex SHA-256
GENESIS_HASH = "0" * HASH_LEN


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# A BIGINT primary key on PostgreSQL, but SQLite's own INTEGER rowid there.
BigId: TypeEngine[int] = BigInteger().with_variant(Integer(), "sqlite")
UtcTime: TypeEngine[datetime] = DateTime(timezone=True)
