"""What to do, said the screen's way: with the keys in force, never a command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from counter.cli.advice import explain as cli_explain
from counter.config import load_settings
from counter.domain.errors import Fault, FloatTooLow, OpeningCashMissing, StorageError
from counter.ui.advice import with_advice
from counter.ui.app import CounterApp


def test_the_screen_names_its_keys_and_the_cli_its_commands(screen_home: Path) -> None:
    app = CounterApp(load_settings(keys={"reports": "f11"}))
    short = FloatTooLow("smart", "Smart", 500, 1000)
    assert with_advice(short, app) == (
        "Sale refused: Smart airtime stock has $5.00 left, less than $10.00. "
        "Restock from Reports (F11, then r), or sell a smaller amount."
    )
    assert cli_explain(short).endswith(
        "Record a restock (`counter restock smart AMOUNT --by NAME`) or sell a smaller amount."
    )
    missing = OpeningCashMissing("A", date(2026, 11, 25))
    assert with_advice(missing, app).endswith("Lock (Ctrl+L) and log in again to enter it.")
    damaged = StorageError("The ledger file is damaged.", fault=Fault.DAMAGED)
    assert "counter doctor" in with_advice(damaged, app) and "Run" not in with_advice(damaged, app)
    assert cli_explain(damaged) == "The ledger file is damaged. Run `counter doctor`."
