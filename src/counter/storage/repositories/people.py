"""The shop, its counters, its users and the audit log."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from counter.domain.records import Account, AuditEntry, Numbering, Role, ShopInfo, User
from counter.storage.chain import as_utc, audit_hash_of
from counter.storage.models import GENESIS_HASH
from counter.storage.repositories.common import (
    AUDIT,
    AUDIT_CHAIN,
    COUNTERS,
    DAY_CLOSES,
    HEADS,
    RATE_KEY,
    SETTINGS,
    SHOP,
    USERS,
    VOID_CHAIN,
    advance_chain,
    lock_chain,
    run,
    to_user,
)

_RATE = select(SETTINGS.c.value).where(SETTINGS.c.key == RATE_KEY)
_SHOP = select(SHOP.c.name, SHOP.c.address, SHOP.c.created, _RATE.scalar_subquery()).where(
    SHOP.c.id == 1
)
_LOCK_NUMBERING = (
    select(COUNTERS.c.code, COUNTERS.c.next_receipt, COUNTERS.c.last_sale_hash)
    .where(COUNTERS.c.code == bindparam("code"))
    .with_for_update()
)
_DAY_CLOSED = (
    select(DAY_CLOSES.c.id)
    .where(
        DAY_CLOSES.c.counter_code == bindparam("code"),
        DAY_CLOSES.c.business_date == bindparam("day", type_=DAY_CLOSES.c.business_date.type),
    )
    .limit(1)
)
_INSERT_AUDIT = insert(AUDIT)
_USER_COLUMNS = (
    USERS.c.id,
    USERS.c.name,
    USERS.c.role,
    USERS.c.active,
    USERS.c.failed_attempts,
    USERS.c.locked_until,
    USERS.c.language,
    USERS.c.theme,
)


class ShopRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def info(self, counter_code: str, default_rate: int) -> ShopInfo | None:
        """The shop as `counter_code` sees it, with the rate in force; None before set-up."""
        row = run(self.conn, _SHOP).first()
        if row is None:
            return None
        rate = int(row[3]) if row[3] is not None else default_rate
        return ShopInfo(row.name, row.address, counter_code, rate, as_utc(row.created))

    def add(self, name: str, address: str, now: datetime) -> None:
        run(self.conn, insert(SHOP).values(id=1, name=name, address=address, created=now))
        for chain in (AUDIT_CHAIN, VOID_CHAIN):
            run(self.conn, insert(HEADS).values(name=chain, last_hash=GENESIS_HASH, length=0))

    def rate(self) -> int | None:
        """The riel per dollar in force, or None when the ledger has none yet."""
        value = run(self.conn, _RATE).scalar_one_or_none()
        return None if value is None else int(value)

    def set_rate(self, riel_per_usd: int) -> None:
        run(self.conn, delete(SETTINGS).where(SETTINGS.c.key == RATE_KEY))
        run(self.conn, insert(SETTINGS).values(key=RATE_KEY, value=str(riel_per_usd)))


class CounterRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def codes(self) -> list[str]:
        return list(run(self.conn, select(COUNTERS.c.code).order_by(COUNTERS.c.code)).scalars())

    def lock(self, code: str) -> bool:
        """Lock the counter's row until commit (no sale of it slips in); False if unknown."""
        return self.lock_numbering(code) is not None

    def lock_numbering(self, code: str) -> Numbering | None:
        """The counter's next number and last sale hash, its row locked until commit
        (FOR UPDATE on PostgreSQL; on SQLite the BEGIN IMMEDIATE lock already holds)."""
        row = run(self.conn, _LOCK_NUMBERING, {"code": code}).first()
        if row is None:
            return None
        return Numbering(str(row.code), int(row.next_receipt), str(row.last_sale_hash))

    def add(self, code: str, now: datetime) -> None:
        run(
            self.conn,
            insert(COUNTERS).values(
                code=code, next_receipt=1, last_sale_hash=GENESIS_HASH, created=now
            ),
        )

    def is_day_closed(self, code: str, day: date) -> bool:
        return run(self.conn, _DAY_CLOSED, {"code": code, "day": day}).first() is not None


class UserRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _one(self, where: Any, *, lock: bool = False) -> Any:
        stmt = select(*_USER_COLUMNS, USERS.c.pin_hash).where(where)
        if lock:
            stmt = stmt.with_for_update()
        return run(self.conn, stmt).first()

    def account(self, name: str, *, lock: bool = False) -> Account | None:
        """The user of this name (any case) with their PIN hash, for a log-in."""
        row = self._one(func.lower(USERS.c.name) == name.strip().lower(), lock=lock)
        return None if row is None else Account(to_user(row), row.pin_hash)

    def by_name(self, name: str, *, lock: bool = False) -> User | None:
        row = self._one(func.lower(USERS.c.name) == name.strip().lower(), lock=lock)
        return None if row is None else to_user(row)

    def get(self, user_id: int, *, lock: bool = False) -> User | None:
        row = self._one(USERS.c.id == user_id, lock=lock)
        return None if row is None else to_user(row)

    def all(self) -> list[User]:
        stmt = select(*_USER_COLUMNS).order_by(USERS.c.name)
        return [to_user(row) for row in run(self.conn, stmt)]

    def count_active_admins(self) -> int:
        stmt = select(func.count()).where(
            USERS.c.role == Role.ADMIN.value, USERS.c.active.is_(True)
        )
        return int(run(self.conn, stmt).scalar() or 0)

    def add(
        self, name: str, role: Role, pin_hash: str, now: datetime, language: str | None = None
    ) -> User:
        result = run(
            self.conn,
            insert(USERS).values(
                name=name,
                role=role.value,
                pin_hash=pin_hash,
                active=True,
                failed_attempts=0,
                locked_until=None,
                language=language,
                theme=None,
                created=now,
            ),
        )
        return User(int(result.inserted_primary_key[0]), name, role, True, language=language)

    def update(self, user: User) -> None:
        """Record a changed user (state, lockout, language, theme); the name and role stay."""
        run(
            self.conn,
            update(USERS)
            .where(USERS.c.id == user.id)
            .values(
                active=user.active,
                failed_attempts=user.failed_attempts,
                locked_until=user.locked_until,
                language=user.language,
                theme=user.theme,
            ),
        )

    def set_pin_hash(self, user_id: int, pin_hash: str) -> None:
        run(self.conn, update(USERS).where(USERS.c.id == user_id).values(pin_hash=pin_hash))


class AuditRepository:
    """Append-only: rows are added with the chain's next hash and never changed."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def append(self, at: datetime, actor: str, action: str, **detail: Any) -> None:
        """Lock the chain head, insert the entry with the next hash, advance the head."""
        prev_hash, length = lock_chain(self.conn, AUDIT_CHAIN)
        values: dict[str, Any] = {
            "at": at,
            "actor": actor[:40],
            "action": action,
            "detail": json.dumps(detail, sort_keys=True, ensure_ascii=False, default=str),
        }
        row_hash = audit_hash_of(values, prev_hash)
        run(self.conn, _INSERT_AUDIT, {**values, "prev_hash": prev_hash, "row_hash": row_hash})
        advance_chain(self.conn, AUDIT_CHAIN, row_hash, length + 1)

    def entries(self, *, action: str | None = None, limit: int = 100) -> list[AuditEntry]:
        stmt = select(AUDIT).order_by(AUDIT.c.id.desc()).limit(limit)
        if action:
            stmt = stmt.where(AUDIT.c.action == action)
        return [
            AuditEntry(int(r.id), as_utc(r.at), r.actor, r.action, r.detail)
            for r in run(self.conn, stmt)
        ]
