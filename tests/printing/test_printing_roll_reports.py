"""X and Z reports on the receipt roll through the shop's own printer: ESC/POS bytes to a
thermal printer (a device file, read back), and a roll-wide PDF for `x-report --print`."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.ledger.test_cli import cli_home, counter
from tests.printing.helpers import PdfReader, printed_lines, split_escpos

__all__ = ["cli_home"]


def _sell_and_close_shift(env: dict[str, str]) -> str:
    opened = counter(
        "shift", "open", "--usd", "10", "--khr", "0", "--clerk", "Dara", pin="5678", env=env
    )
    assert opened.returncode == 0, opened.stderr
    sold = counter(
        "sell", "012 345 678", "5", "--clerk", "Dara", "--no-receipt", pin="5678", env=env
    )
    assert sold.returncode == 0, sold.stderr
    closed = counter(
        "shift", "close", "--counted-usd", "14", "--counted-khr", "0", "--clerk", "Dara",
        pin="5678", env=env,
    )  # fmt: skip
    assert closed.returncode == 0, closed.stderr
    return closed.stderr + closed.stdout


@pytest.mark.parametrize(
    ("profile", "width_mm", "columns"), [("TM-T20II", "80", 48), ("POS-5890", "58", 32)]
)
def test_a_shift_close_prints_its_z_report_on_a_thermal_printer(
    cli_home: Path, tmp_path: Path, profile: str, width_mm: str, columns: int
) -> None:
    device = tmp_path / "lp0"
    device.touch()
    env = {
        "COUNTER_PRINTER": "escpos",
        "COUNTER_ESCPOS_CONNECTION": f"file:{device}",
        "COUNTER_ESCPOS_PROFILE": profile,
        "COUNTER_RECEIPT_WIDTH_MM": width_mm,
    }
    said = _sell_and_close_shift(env)
    assert f"Report printed on {device}." in said
    code = re.search(r"Z code (Z-\S+)", said)
    assert code is not None
    lines = printed_lines(split_escpos(device.read_bytes()))
    assert "Z report (shift close)" in " ".join(lines)
    assert f"{'Expected (USD)':<{columns - 6}}{'$15.00':>6}" in lines
    assert f"{'Difference (USD)':<{columns - 6}}{'-$1.00':>6}" in lines
    assert any(line.startswith("Z code") and line.endswith(code.group(1)) for line in lines)
    assert "Shift 1 is closed; the day stays open." in " ".join(" ".join(lines).split())
    assert all(len(line) <= columns for line in lines)


def test_x_report_print_writes_a_roll_pdf_with_the_pdf_printer(
    cli_home: Path, pdf_reader: PdfReader, need_tool: Callable[[str], str]
) -> None:
    opened = counter("shift", "open", "--usd", "10", "--khr", "0", "--clerk", "Dara", pin="5678")
    assert opened.returncode == 0, opened.stderr
    x = counter("x-report", "--print")
    assert x.returncode == 0, x.stderr
    saved = re.search(r"Report saved to (\S+\.pdf)\.", x.stderr)
    assert saved is not None, x.stderr
    words = " ".join(pdf_reader.text(Path(saved.group(1))).split())
    assert "X report (day not closed)" in words and "Shift 1 is open; the day stays open." in words
    assert "$10.00" in words
