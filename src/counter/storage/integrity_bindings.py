"""The plain rows that must equal their chain: what the sale path reads fast, checked.

`users`, `ledger_settings`, the print queue's printed originals, each counter's last
closed day and the operators' running balances are plain rows (an UPDATE away from
changed). Each is bound to a chained record: the latest `user_records` row of the user,
the latest `setting_changes` row of the key, a `printed` mark, the `day_closes` chain,
the recorded moves and sales. Doctor names every row that disagrees.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, func, select

from counter.domain.money import plain_decimal
from counter.i18n import _
from counter.storage.chain import pin_digest
from counter.storage.repositories.common import (
    COUNTERS,
    DAY_CLOSES,
    MARKS,
    QUEUE,
    REOPENS,
    SETTING_CHANGES,
    SETTINGS,
    USER_RECORDS,
    USERS,
    run,
)
from counter.storage.repositories.dayend import FloatRepository


def check_bindings(conn: Connection) -> list[str]:
    """A sentence for each plain row that is not what its chain last recorded."""
    return (
        _users(conn)
        + _settings(conn)
        + _printed(conn)
        + _closed_days(conn)
        + _balances(FloatRepository(conn))
    )


def _latest(conn: Connection, table: Table, key: str) -> dict[Any, Any]:
    """The latest chained record per key (the highest id)."""
    newest = select(func.max(table.c.id)).group_by(table.c[key])
    stmt = select(table).where(table.c.id.in_(newest))
    return {getattr(row, key): row for row in run(conn, stmt)}


def _users(conn: Connection) -> list[str]:
    records = _latest(conn, USER_RECORDS, "user_id")
    problems = []
    for row in run(conn, select(USERS).order_by(USERS.c.id)):
        record = records.get(row.id)
        if record is None:
            problems.append(
                _(
                    "User {name} (id {id}) has no record in the users chain: the account was "
                    "added outside the app."
                ).format(name=row.name, id=row.id)
            )
            continue
        if (
            record.name != row.name
            or record.role != row.role
            or bool(record.active) != bool(row.active)
            or record.pin_digest != pin_digest(row.pin_hash)
        ):
            problems.append(
                _(
                    "User {name} (id {id}): the name, role, state or PIN is not what the users "
                    "chain last recorded (changed outside the app)."
                ).format(name=row.name, id=row.id)
            )
    return problems


def _settings(conn: Connection) -> list[str]:
    records = _latest(conn, SETTING_CHANGES, "key")
    have = {row.key: row.value for row in run(conn, select(SETTINGS))}
    problems = []
    for key in sorted(set(have) | {str(k) for k in records}):
        record = records.get(key)
        want = None if record is None else record.value
        if have.get(key) != want:
            problems.append(
                _(
                    "The ledger setting {key} is {value}, but the settings chain last "
                    "recorded {recorded} (changed outside the app)."
                ).format(key=key, value=have.get(key, _("none")), recorded=want or _("none"))
            )
    return problems


def _printed(conn: Connection) -> list[str]:
    """A printed ORIGINAL has its `printed` mark (mark before send, then the result)."""
    marks = _latest(conn, MARKS, "sale_id")
    stmt = select(QUEUE.c.sale_id).where(QUEUE.c.copy.is_(False), QUEUE.c.status == "printed")
    problems = []
    for sale_id in sorted(set(run(conn, stmt).scalars())):
        mark = marks.get(sale_id)
        if mark is None or mark.mark != "printed":
            problems.append(
                _(
                    "Sale id {id}: the print queue says its original was printed, but the "
                    "print marks do not record it (the queue was changed outside the app)."
                ).format(id=sale_id)
            )
    return problems


def _closed_days(conn: Connection) -> list[str]:
    """A counter's last closed day is never before its latest close that stands (a day
    reopened stands again once closed again: it has more closes than reopenings)."""
    closes = select(
        DAY_CLOSES.c.counter_code, DAY_CLOSES.c.business_date, func.count().label("n")
    ).group_by(DAY_CLOSES.c.counter_code, DAY_CLOSES.c.business_date)
    reopens = select(
        REOPENS.c.counter_code, REOPENS.c.business_date, func.count().label("n")
    ).group_by(REOPENS.c.counter_code, REOPENS.c.business_date)
    undone = {(c, d): int(n) for c, d, n in run(conn, reopens)}
    newest: dict[str, Any] = {}
    for code, day, count in run(conn, closes):
        if int(count) > undone.get((code, day), 0) and (code not in newest or day > newest[code]):
            newest[code] = day
    kept = {
        code: day for code, day in run(conn, select(COUNTERS.c.code, COUNTERS.c.last_closed_day))
    }
    problems = []
    for code in sorted(newest):
        closed = kept.get(code)
        if closed is None or closed < newest[code]:
            problems.append(
                _(
                    "Counter {code}: its last closed day is {closed}, but the day of "
                    "{day} was closed (the counter was changed outside the app)."
                ).format(code=code, closed=closed or _("none"), day=newest[code])
            )
    return problems


def _balances(floats: FloatRepository) -> list[str]:
    """The running operator balances against restocks + corrections - sales + voids."""
    kept, recomputed = floats.balances(), floats.recomputed()
    problems = []
    for operator in sorted(set(kept) | set(recomputed)):
        have, want = kept.get(operator, 0), recomputed.get(operator, 0)
        if have != want:
            problems.append(
                _(
                    "Operator {operator}: the kept airtime balance is {kept} but the "
                    "recorded restocks, corrections, sales and voids give {recomputed}."
                ).format(
                    operator=operator, kept=plain_decimal(have), recomputed=plain_decimal(want)
                )
            )
    return problems
