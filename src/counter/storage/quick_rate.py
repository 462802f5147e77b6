"""The exchange rate in force, read from a SQLite ledger with the standard library only.

`counter check` must start nearly as fast as a bare import of the rules, so it cannot
load SQLAlchemy to learn one number. This reads the `ledger_settings` row the ledger's
repositories write (`RATE_KEY`), read-only, and never creates or changes the file.
"""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

# The key `storage.repositories.common.RATE_KEY`; not imported, as that module loads SQLAlchemy.
RATE_KEY = "riel_per_usd"


def read_rate(path: Path) -> int | None:
    """The riel per dollar recorded in the ledger at `path`, or None when there is no
    ledger there, it has no rate yet, or it cannot be read at this moment."""
    if not path.is_file():
        return None
    import sqlite3  # only once there is a ledger: a check with none does not pay for it

    try:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True, timeout=1)) as conn:
            row = conn.execute(
                "SELECT value FROM ledger_settings WHERE key = ?", (RATE_KEY,)
            ).fetchone()
    except sqlite3.Error:
        return None
    if row is None or not str(row[0]).isdigit():
        return None
    return int(row[0])
