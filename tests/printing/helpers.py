"""Helpers for printing tests: a sample sale's receipt, and reading a PDF back as a person would."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from counter.printing.receipt import Receipt

PHNOM_PENH = ZoneInfo("Asia/Phnom_Penh")
# 07:05:09 UTC is 14:05:09 in Phnom Penh: the receipt must show the shop's time.
SOLD_AT = datetime(2026, 11, 20, 7, 5, 9, tzinfo=UTC)


def make_receipt(**changes: Any) -> Receipt:
    """A $5.00 Smart top-up paid with 21,000 riel at 4,000 riel per dollar: 1,000 riel back."""
    base = Receipt(
        shop_name="Sokha Phone Shop",
        shop_address="No. 12, Street 271, Phnom Penh",
        receipt_no="A-000042",
        created_at=SOLD_AT,
        counter_code="C1",
        clerk_name="Dara",
        operator_name="Smart",
        balance_code="*888#",
        number_display="012 345 678",
        amount_cents=500,
        validity_days=40,
        paid_currency="KHR",
        paid_minor=21_000,
        change_usd_cents=0,
        change_khr=1_000,
        operator_ref="SM20261120-884213",
        footer="Thank you! Keep this receipt until your top-up arrives.",
        tz=PHNOM_PENH,
    )
    return replace(base, **changes)


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


@dataclass(frozen=True)
class PdfReader:
    """poppler-utils, as a person checking the receipt would use them."""

    pdftotext: str
    pdfinfo: str

    def text(self, path: Path) -> str:
        return self._run(self.pdftotext, "-layout", str(path), "-")

    def info(self, path: Path) -> dict[str, str]:
        out = self._run(self.pdfinfo, str(path))
        pairs = (line.split(":", 1) for line in out.splitlines() if ":" in line)
        return {key.strip(): value.strip() for key, value in pairs}

    def page_size(self, path: Path) -> tuple[float, float]:
        match = re.match(r"([\d.]+) x ([\d.]+) pts", self.info(path)["Page size"])
        assert match, self.info(path)
        return float(match[1]), float(match[2])

    def words(self, path: Path) -> list[Word]:
        """Every word with its box on the page (points, origin top left)."""
        html = self._run(self.pdftotext, "-bbox", str(path), "-")
        pattern = re.compile(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
        )
        return [
            Word(m[5], float(m[1]), float(m[2]), float(m[3]), float(m[4]))
            for m in pattern.finditer(html)
        ]

    @staticmethod
    def _run(*args: str) -> str:
        return subprocess.run(args, check=True, capture_output=True, text=True, timeout=30).stdout
