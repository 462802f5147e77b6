"""Does the ledger have every table, column and index the models declare?

A dropped table used to leave `counter doctor` saying "Ledger OK" while every sale
failed. This compares the database (SQLAlchemy's inspector) with `models.Base.metadata`
and names what is missing; the walks that need a missing table (or a table missing a
column, which every read of it would fail on) are then skipped, and said to be skipped.
"""

from __future__ import annotations

import warnings

from sqlalchemy import Connection, inspect

from counter.i18n import _
from counter.storage.models import Base


def missing_schema(conn: Connection) -> tuple[list[str], set[str]]:
    """(a sentence for each missing table, column or index; the tables missing or missing
    a column)."""
    inspector = inspect(conn)
    have_tables = set(inspector.get_table_names())
    problems: list[str] = []
    gone: set[str] = set()
    for name, table in sorted(Base.metadata.tables.items()):
        if name not in have_tables:
            gone.add(name)
            problems.append(
                _(
                    "The table {table} is missing from the ledger (dropped outside the app): "
                    "what it holds cannot be read or checked."
                ).format(table=name)
            )
            continue
        columns = {c["name"] for c in inspector.get_columns(name)}
        for column in table.columns:
            if column.name not in columns:
                gone.add(name)  # every read of the table would fail: walked as missing
                problems.append(
                    _("The column {column} of table {table} is missing from the ledger.").format(
                        column=column.name, table=name
                    )
                )
        problems += _missing_indexes(inspector, name, table)
    return problems, gone


def _missing_indexes(inspector: object, name: str, table: object) -> list[str]:
    with warnings.catch_warnings():
        # SQLite: expression indexes (lower(name)) are not reflected; the rest are compared.
        warnings.simplefilter("ignore")
        have = {i["name"] for i in inspector.get_indexes(name)}  # type: ignore[attr-defined]
        have |= {u["name"] for u in inspector.get_unique_constraints(name)}  # type: ignore[attr-defined]
    problems = []
    for index in sorted(table.indexes, key=lambda i: str(i.name)):  # type: ignore[attr-defined]
        if not all(hasattr(c, "table") for c in index.expressions):
            continue  # an expression index: not reflected on SQLite
        if index.name not in have:
            problems.append(
                _("The index {index} of table {table} is missing from the ledger.").format(
                    index=index.name, table=name
                )
            )
    for constraint in table.constraints:  # type: ignore[attr-defined]
        kind = type(constraint).__name__
        if kind == "UniqueConstraint" and constraint.name not in have:
            problems.append(
                _("The unique key {index} of table {table} is missing from the ledger.").format(
                    index=constraint.name, table=name
                )
            )
    return problems
