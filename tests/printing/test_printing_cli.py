"""`counter printers test`: a test slip on the configured printer, exit 0 or 1 with a sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from counter.cli.app import app


@pytest.fixture
def cli(counter_home: Path) -> CliRunner:
    import counter.cli.printers  # noqa: F401  (registers `printers`; app.py's _register will)

    return CliRunner()


def test_prints_a_test_slip_on_the_pdf_printer(cli: CliRunner, counter_home: Path) -> None:
    result = cli.invoke(app, ["printers", "test"])
    assert result.exit_code == 0, result.output
    slip = counter_home / "receipts" / "TEST.pdf"
    assert f"saved to {slip}" in result.output
    assert "Printer: pdf, 80 mm paper, second languages: none." in result.output
    assert slip.read_bytes().startswith(b"%PDF")


def test_a_dead_printer_exits_1_with_the_reason(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNTER_PRINTER", "escpos")
    monkeypatch.setenv("COUNTER_ESCPOS_CONNECTION", "file:/nonexistent/usb/lp0")
    monkeypatch.setenv("COUNTER_RECEIPT_LANGUAGES", '["km", "zh"]')
    result = cli.invoke(app, ["printers", "test"])
    assert result.exit_code == 1
    assert "second languages: km, zh" in result.output
    assert (
        "Receipt not printed: cannot open the printer device /nonexistent/usb/lp0" in result.output
    )
    assert "History" not in result.output, "a test slip is not a sale"
