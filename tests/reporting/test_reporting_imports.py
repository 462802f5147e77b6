"""What importing a module costs: the summary stays pure, the use cases never load a
database or paper library, and every command module loads only what `counter check` and
`--help` need. A fresh process each, since what counts is what lands in `sys.modules`."""

from __future__ import annotations

import subprocess
import sys

import pytest

CHECK = """
import sys
import {module}
{extra}
heavy = ("reportlab", "openpyxl", "sqlalchemy", "alembic", "textual", "argon2", "escpos", "babel")
print(",".join(sorted(m for m in heavy if m in sys.modules)))
"""
REGISTER = "from counter.cli.app import _register; _register()"


@pytest.mark.parametrize(
    ("module", "extra"),
    [
        ("counter.domain.dayend", ""),
        ("counter.reporting.tabular", ""),
        ("counter.reporting.files", ""),
        ("counter.services", ""),
        ("counter.bootstrap", ""),
        ("counter.cli.app", REGISTER),
    ],
)
def test_module_imports_no_database_paper_or_screen_library(module: str, extra: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHECK.format(module=module, extra=extra)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == ""


def test_the_screen_starts_without_the_database_or_paper_libraries() -> None:
    """Textual, yes; SQLAlchemy and ReportLab load in a worker once the login is drawn."""
    done = subprocess.run(
        [sys.executable, "-c", CHECK.format(module="counter.ui.app", extra="")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "textual"
