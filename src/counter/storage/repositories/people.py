"""The shop and its settings, its counters, its users and the audit log.

What grants rights or numbers is chained: each value a ledger setting takes (the rate,
the lockout threshold) is a `setting_changes` row; each user's name, role, state and PIN
hash (as a digest) is a `user_records` row; a counter's numbering carries a keyed seal.
The plain rows (`ledger_settings`, `users`, `counters`) are what the sale path reads
fast; `doctor` checks each against its chain, and a log-in refuses an account whose row
no longer matches its latest record.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from counter.domain.records import Account, AuditEntry, Numbering, Role, ShopInfo, User
from counter.domain.text import name_key, tidy_name
from counter.storage.anchors import TAMPERED
from counter.storage.chain import AUDIT_CHAIN, SETTING_CHAIN, USER_CHAIN, as_utc, pin_digest
from counter.storage.chain_delivery import delivery_chain
from counter.storage.models import GENESIS_HASH
from counter.storage.repositories.common import (
    AUDIT,
    COUNTERS,
    DAY_CLOSES,
    LOCKOUT_KEY,
    RATE_KEY,
    REOPENS,
    SETTINGS,
    SHOP,
    USER_RECORDS,
    USERS,
    ChainWriter,
    run,
    to_user,
)

_RATE = select(SETTINGS.c.value).where(SETTINGS.c.key == RATE_KEY)
_SHOP = select(SHOP.c.name, SHOP.c.address, SHOP.c.created, _RATE.scalar_subquery()).where(
    SHOP.c.id == 1
)
_LOCK_NUMBERING = (
    select(
        COUNTERS.c.code,
        COUNTERS.c.next_receipt,
        COUNTERS.c.last_sale_hash,
        COUNTERS.c.last_closed_day,
        COUNTERS.c.seal,
    )
    .where(COUNTERS.c.code == bindparam("code"))
    .with_for_update()
)
_DAY_TYPE = DAY_CLOSES.c.business_date.type
# The day's close stands when it has more closes than reopenings.
_DAY_CLOSED = select(
    select(func.count())
    .where(
        DAY_CLOSES.c.counter_code == bindparam("code"),
        DAY_CLOSES.c.business_date == bindparam("day", type_=_DAY_TYPE),
    )
    .scalar_subquery()
    > select(func.count())
    .where(
        REOPENS.c.counter_code == bindparam("code"),
        REOPENS.c.business_date == bindparam("day", type_=_DAY_TYPE),
    )
    .scalar_subquery()
)
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


def _now() -> datetime:
    """When a chained record of a setting or a user was written (metadata of the record)."""
    return datetime.now(UTC)


class ShopRepository:
    def __init__(self, conn: Connection, chains: ChainWriter) -> None:
        self.conn = conn
        self.chains = chains

    def info(self, counter_code: str, default_rate: int) -> ShopInfo | None:
        """The shop as `counter_code` sees it, with the rate in force; None before set-up."""
        row = run(self.conn, _SHOP).first()
        if row is None:
            return None
        rate = int(row[3]) if row[3] is not None else default_rate
        return ShopInfo(row.name, row.address, counter_code, rate, as_utc(row.created))

    def add(self, name: str, address: str, now: datetime) -> None:
        run(self.conn, insert(SHOP).values(id=1, name=name, address=address, created=now))

    def rate(self) -> int | None:
        """The riel per dollar in force, or None when the ledger has none yet."""
        value = self.setting(RATE_KEY)
        return None if value is None else int(value)

    def set_rate(self, riel_per_usd: int, now: datetime | None = None) -> None:
        self.set_setting(RATE_KEY, str(riel_per_usd), now)

    def lockout_attempts(self) -> int | None:
        """Wrong PINs in a row that lock an account, as the ledger keeps it (None: unset)."""
        value = self.setting(LOCKOUT_KEY)
        return int(value) if value is not None and value.isdigit() else None

    def set_lockout_attempts(self, attempts: int) -> None:
        self.set_setting(LOCKOUT_KEY, str(attempts))

    def setting(self, key: str) -> str | None:
        stmt = select(SETTINGS.c.value).where(SETTINGS.c.key == key)
        value = run(self.conn, stmt).scalar_one_or_none()
        return None if value is None else str(value)

    def set_setting(self, key: str, value: str, now: datetime | None = None) -> None:
        """A ledger setting's new value, and its change appended to the `settings` chain."""
        run(self.conn, delete(SETTINGS).where(SETTINGS.c.key == key))
        run(self.conn, insert(SETTINGS).values(key=key, value=value))
        self.chains.append(SETTING_CHAIN, {"key": key, "value": value, "at": now or _now()})

    def database_now(self) -> datetime | None:
        """The database server's clock (PostgreSQL), or None where the ledger is a file on
        this machine (SQLite: this machine's clock is the ledger's)."""
        if self.conn.dialect.name != "postgresql":
            return None
        return as_utc(run(self.conn, select(func.now())).scalar_one())


class CounterRepository:
    def __init__(self, conn: Connection, chains: ChainWriter) -> None:
        self.conn = conn
        self.chains = chains

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
        sealed = self.chains.sealer.counter_ok(
            row.seal, row.code, int(row.next_receipt), row.last_sale_hash, row.last_closed_day
        )
        return Numbering(
            str(row.code),
            int(row.next_receipt),
            str(row.last_sale_hash),
            row.last_closed_day,
            sealed,
        )

    def add(self, code: str, now: datetime) -> None:
        seal = self.chains.sealer.counter(code, 1, GENESIS_HASH, None)
        run(
            self.conn,
            insert(COUNTERS).values(
                code=code, next_receipt=1, last_sale_hash=GENESIS_HASH, created=now, seal=seal
            ),
        )
        self.chains.sale_recorded(code, 0, GENESIS_HASH)
        self.chains.start(delivery_chain(code))

    def is_day_closed(self, code: str, day: date) -> bool:
        if run(self.conn, _DAY_CLOSED, {"code": code, "day": day}).scalar():
            return True
        stmt = select(COUNTERS.c.last_closed_day).where(COUNTERS.c.code == code)
        closed = run(self.conn, stmt).scalar_one_or_none()
        return closed is not None and day <= closed

    def set_numbering(self, numbering: Numbering) -> None:
        """Record the counter's numbering (locked by `lock_numbering`): sealed again only
        when it was sealed when read (a change made outside the app stays visible)."""
        seal = (
            self.chains.sealer.counter(
                numbering.code,
                numbering.next_receipt,
                numbering.last_sale_hash,
                numbering.last_closed_day,
            )
            if numbering.sealed
            else TAMPERED
        )
        run(
            self.conn,
            update(COUNTERS)
            .where(COUNTERS.c.code == numbering.code)
            .values(
                next_receipt=numbering.next_receipt,
                last_sale_hash=numbering.last_sale_hash,
                last_closed_day=numbering.last_closed_day,
                seal=seal,
            ),
        )


class UserRepository:
    """Users; their rights (name, role, state, PIN hash) recorded in the `users` chain."""

    def __init__(self, conn: Connection, chains: ChainWriter) -> None:
        self.conn = conn
        self.chains = chains

    def _one(self, where: Any, *, lock: bool = False) -> Any:
        stmt = select(*_USER_COLUMNS, USERS.c.pin_hash).where(where)
        if lock:
            stmt = stmt.with_for_update()
        return run(self.conn, stmt).first()

    def account(self, name: str, *, lock: bool = False) -> Account | None:
        """The user of this name (compared NFKC- and case-folded) with their PIN hash."""
        row = self._one(USERS.c.name_key == name_key(name), lock=lock)
        return None if row is None else Account(to_user(row), row.pin_hash)

    def by_name(self, name: str, *, lock: bool = False) -> User | None:
        row = self._one(USERS.c.name_key == name_key(name), lock=lock)
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

    def next_id(self) -> int:
        """The id the next user will get, so a PIN hash bound to it is made before the
        write transaction (Argon2 never runs under the write lock). PostgreSQL hands out
        the number for good; on SQLite `add` refuses it if another user took it meanwhile."""
        if self.conn.dialect.name == "postgresql":
            stmt = select(func.nextval(func.pg_get_serial_sequence("users", "id")))
            return int(run(self.conn, stmt).scalar_one())
        return int(run(self.conn, select(func.coalesce(func.max(USERS.c.id), 0))).scalar_one()) + 1

    def add(
        self,
        name: str,
        role: Role,
        pin_hash: str,
        now: datetime,
        language: str | None = None,
        user_id: int | None = None,
    ) -> User:
        shown = tidy_name(name)
        values: dict[str, Any] = {
            "name": shown,
            "name_key": name_key(shown),
            "role": role.value,
            "pin_hash": pin_hash,
            "active": True,
            "failed_attempts": 0,
            "locked_until": None,
            "language": language,
            "theme": None,
            "created": now,
        }
        if user_id is not None:
            values["id"] = user_id
        result = run(self.conn, insert(USERS).values(**values))
        user = User(int(result.inserted_primary_key[0]), shown, role, True, language=language)
        self._record(user, pin_hash, "added", now)
        return user

    def update(self, user: User) -> None:
        """Record a changed user (state, lockout, language, theme); the name and role stay.
        A change of state (enabled, disabled) is also appended to the users chain."""
        before = self._one(USERS.c.id == user.id)
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
        if before is not None and bool(before.active) != user.active:
            kept = to_user(before)
            changed = User(kept.id, kept.name, kept.role, user.active)
            self._record(changed, before.pin_hash, "enabled" if user.active else "disabled")

    def set_pin_hash(self, user_id: int, pin_hash: str, action: str = "pin_set") -> None:
        run(
            self.conn,
            update(USERS).where(USERS.c.id == user_id).values(pin_hash=pin_hash),
        )
        row = self._one(USERS.c.id == user_id)
        if row is not None:
            self._record(to_user(row), pin_hash, action)

    def set_role(self, user_id: int, role: Role, *, active: bool = True) -> None:
        """An admin's recovery: the role and state set, and appended to the users chain."""
        run(
            self.conn,
            update(USERS)
            .where(USERS.c.id == user_id)
            .values(role=role.value, active=active, failed_attempts=0, locked_until=None),
        )
        row = self._one(USERS.c.id == user_id)
        if row is not None:
            self._record(to_user(row), row.pin_hash, "recovered")

    def _record(self, user: User, pin_hash: str, action: str, now: datetime | None = None) -> None:
        self.chains.append(
            USER_CHAIN,
            {
                "user_id": user.id,
                "name": user.name,
                "role": user.role.value,
                "active": user.active,
                "pin_digest": pin_digest(pin_hash),
                "action": action,
                "at": now or _now(),
            },
        )

    def matches_record(self, user_id: int) -> bool:
        """Whether the user's row (name, role, state, PIN hash) is what the users chain
        last recorded for them: False when it was changed outside the app."""
        row = self._one(USERS.c.id == user_id)
        latest = run(
            self.conn,
            select(USER_RECORDS)
            .where(USER_RECORDS.c.user_id == user_id)
            .order_by(USER_RECORDS.c.id.desc())
            .limit(1),
        ).first()
        if row is None or latest is None:
            return False
        return (
            latest.name == row.name
            and latest.role == row.role
            and bool(latest.active) == bool(row.active)
            and latest.pin_digest == pin_digest(row.pin_hash)
        )


class AuditRepository:
    """Append-only: rows are added with the chain's next hash and never changed."""

    def __init__(self, conn: Connection, chains: ChainWriter) -> None:
        self.conn = conn
        self.chains = chains

    def append(self, at: datetime, actor: str, action: str, **detail: Any) -> None:
        """Lock the chain head, insert the entry with the next hash, advance the head."""
        self.chains.append(
            AUDIT_CHAIN,
            {
                "at": at,
                "actor": actor[:40],
                "action": action,
                "detail": json.dumps(detail, sort_keys=True, ensure_ascii=False, default=str),
            },
        )

    def entries(self, *, action: str | None = None, limit: int = 100) -> list[AuditEntry]:
        stmt = select(AUDIT).order_by(AUDIT.c.id.desc()).limit(limit)
        if action:
            stmt = stmt.where(AUDIT.c.action == action)
        return [
            AuditEntry(int(r.id), as_utc(r.at), r.actor, r.action, r.detail)
            for r in run(self.conn, stmt)
        ]
