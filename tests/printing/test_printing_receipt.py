"""The words on a receipt, before any renderer: what every printer prints."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime

import pytest

from counter.printing.receipt import copy_banner, header_lines, lines
from tests.printing.helpers import PHNOM_PENH, make_receipt


def as_dict(**changes: object) -> dict[str, str]:
    return {line.label: line.value for line in lines(make_receipt(**changes))}


def test_lines_carry_every_fact_in_the_shops_time() -> None:
    shown = as_dict()
    assert shown["Receipt"] == "A-000042"
    assert shown["Date"] == "2026-11-20 14:05"  # 07:05 UTC in Phnom Penh
    assert shown["Number"] == "012 345 678"
    assert shown["Amount"] == "$5.00"
    assert shown["Validity"] == "+40 days"
    assert shown["Check balance"] == "*888#"
    assert shown["Paid (KHR)"] == "21,000 riel"
    assert shown["Change (riel)"] == "1,000 riel"
    assert shown["Operator ref"] == "SM20261120-884213"


def test_number_and_amount_are_the_large_lines() -> None:
    large = [line.label for line in lines(make_receipt()) if line.large]
    assert large == ["Number", "Amount"]


def test_optional_lines_are_left_out_when_unknown() -> None:
    shown = as_dict(validity_days=None, operator_ref=None, balance_code="")
    assert not {"Validity", "Operator ref", "Check balance"} & shown.keys()


def test_change_in_both_currencies_and_none() -> None:
    both = as_dict(paid_currency="USD", paid_minor=1075, change_usd_cents=500, change_khr=300)
    assert (both["Paid (USD)"], both["Change (USD)"], both["Change (riel)"]) == (
        "$10.75", "$5.00", "300 riel",
    )  # fmt: skip
    assert as_dict(change_khr=0)["Change"] == "none"


def test_a_reprint_has_a_copy_banner_with_its_local_time() -> None:
    reprint = make_receipt(copy_printed_at=datetime(2026, 11, 21, 9, 30, 5, tzinfo=PHNOM_PENH))
    assert copy_banner(reprint) == ("COPY", "Reprinted 2026-11-21 09:30")
    assert copy_banner(make_receipt()) is None


def test_header_skips_an_empty_address() -> None:
    assert header_lines(make_receipt(shop_address="  ")) == ["Sokha Phone Shop"]


@pytest.mark.parametrize("field", ["created_at", "copy_printed_at"])
def test_naive_times_are_refused(field: str) -> None:
    with pytest.raises(ValueError, match="time-zone aware"):
        make_receipt(**{field: datetime(2026, 11, 20, 14, 5)})


def test_unknown_paid_currency_is_refused() -> None:
    with pytest.raises(ValueError, match="USD' or 'KHR"):
        make_receipt(paid_currency="EUR")


def test_importing_the_package_does_not_load_reportlab_or_the_ui() -> None:
    code = (
        "import sys, counter.printing, counter.printing.printers\n"
        "heavy = [m for m in ('reportlab', 'textual', 'sqlalchemy') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
