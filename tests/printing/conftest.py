"""Fixtures for printing tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from counter.printing.receipt import Receipt
from tests.printing.helpers import PdfReader, make_receipt


@pytest.fixture
def receipt() -> Receipt:
    return make_receipt()


@pytest.fixture
def pdf_reader(need_tool: Callable[[str], str]) -> PdfReader:
    """Skips (or fails with COUNTER_REQUIRE_SYSTEM=1) when poppler-utils is missing."""
    return PdfReader(need_tool("pdftotext"), need_tool("pdfinfo"))
