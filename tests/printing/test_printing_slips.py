"""The delivery lines of a receipt and the slips that follow it, as the PDF reads back with
pdftotext and as the exact ESC/POS bytes python-escpos's Dummy printer would send."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from escpos.printer import Dummy

from counter.printing.escpos import render_escpos
from counter.printing.pdf import render_pdf
from counter.printing.printers import receipt_file_name
from tests.printing.helpers import PHNOM_PENH, PdfReader, make_receipt, printed_lines, split_escpos

SETTLED_AT = datetime(2026, 11, 20, 14, 20, 0, tzinfo=PHNOM_PENH)
PENDING: dict[str, Any] = {"delivery_state": "PENDING", "delivery_reference": "K7Q2X9-A-000042"}
DELIVERED: dict[str, Any] = {
    **PENDING,
    "delivery_state": "delivered",
    "provider_ref": "8841XK",
    "slip": "delivery",
    "slip_printed_at": SETTLED_AT,
}
REFUNDED: dict[str, Any] = {
    **PENDING,
    "delivery_state": "FAILED, money back",
    "slip": "refund",
    "slip_printed_at": SETTLED_AT,
    "refund_lines": (("KHR", 20_000),),
    "refund_reason": "balance_too_low",
}


def escpos_lines(**changes: Any) -> list[str]:
    printer = Dummy(profile="TM-T88V")
    render_escpos(make_receipt(**changes), printer, width_mm=80)
    return printed_lines(split_escpos(bytes(printer.output)))


def pdf_words(reader: PdfReader, tmp_path: Path, **changes: Any) -> str:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(render_pdf(make_receipt(**changes)))
    return " ".join(reader.text(path).split())


def test_the_receipt_of_a_pending_delivery_says_pending_and_that_a_slip_follows(
    pdf_reader: PdfReader, tmp_path: Path
) -> None:
    text = pdf_words(pdf_reader, tmp_path, **PENDING)
    assert "Delivery PENDING Then a slip with the answer Our ref K7Q2X9-A-000042" in text
    assert "SLIP" not in text and "COPY" not in text
    lines = escpos_lines(**PENDING)
    assert "Delivery                           PENDING" in lines
    assert "Our ref                    K7Q2X9-A-000042" in lines


def test_an_assumed_receipt_is_as_it_always_was() -> None:
    lines = escpos_lines()
    assert not any(line.startswith(("Delivery", "Our ref", "Provider ref")) for line in lines)


def test_a_delivery_slip_is_marked_as_a_slip_with_the_providers_reference(
    pdf_reader: PdfReader, tmp_path: Path
) -> None:
    text = pdf_words(pdf_reader, tmp_path, **DELIVERED)
    assert text.startswith("DELIVERY SLIP Printed 2026-11-20 14:20 Sokha Phone Shop")
    assert "Delivery delivered Provider ref 8841XK" in text and "Then a slip" not in text
    lines = escpos_lines(**DELIVERED)
    assert lines[:2] == ["DELIVERY SLIP", "Printed 2026-11-20 14:20"]
    assert "Provider ref                        8841XK" in lines
    assert "COPY" not in lines


def test_a_refund_slip_says_the_cash_given_back_and_why(
    pdf_reader: PdfReader, tmp_path: Path
) -> None:
    text = pdf_words(pdf_reader, tmp_path, **REFUNDED)
    assert text.startswith("REFUND SLIP Printed 2026-11-20 14:20")
    assert "Delivery FAILED, money back" in text
    assert "Refund (KHR) 20,000 riel Reason dealer balance too low" in text
    lines = escpos_lines(**REFUNDED)
    assert lines[0] == "REFUND SLIP"
    assert "Refund (KHR)                   20,000 riel" in lines


def test_a_slip_never_takes_the_originals_file_name() -> None:
    assert receipt_file_name(make_receipt(**DELIVERED)) == "A-000042-delivery-slip.pdf"
    assert receipt_file_name(make_receipt(**REFUNDED)) == "A-000042-refund-slip.pdf"
    assert receipt_file_name(make_receipt(**PENDING)) == "A-000042.pdf"
