"""The summary stays pure: the screen and the services can use it without ReportLab or openpyxl."""

from __future__ import annotations

import subprocess
import sys

import pytest

CHECK = """
import sys
import {module}
heavy = sorted(m for m in ("reportlab", "openpyxl", "sqlalchemy", "textual") if m in sys.modules)
print(",".join(heavy))
"""


@pytest.mark.parametrize("module", ["counter.reporting.summary", "counter.reporting.tabular"])
def test_module_imports_no_pdf_or_spreadsheet_library(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHECK.format(module=module)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == ""
