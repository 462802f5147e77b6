"""A KHQR sale's receipt says what a customer expects: "Paid by KHQR", the amount in its
currency, the bank's reference, and no change line, in every receipt language; read back
from the PDF with pdftotext and from python-escpos' Dummy bytes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from escpos.printer import Dummy

from counter.domain.money import Currency
from counter.printing.escpos import render_escpos
from counter.printing.pdf import render_pdf
from counter.printing.receipt import PLAIN, ReceiptOptions, bank_ref_shown, lines
from counter.services import receipt_for
from counter.services.khqr import finish_khqr, start_khqr
from tests.printing.helpers import PdfReader, make_receipt, printed_lines, split_escpos
from tests.support.khqr import FakeBank, fake_code, result_paid, with_khqr
from tests.usecases.shop import fake_shop

KM_ZH = ReceiptOptions(languages=("km", "zh"))
# A $5.00 top-up paid by KHQR in dollars; the clerk typed the bank reference's last 6.
KHQR_USD: dict[str, Any] = {
    "paid_by": "khqr",
    "paid_currency": "USD",
    "paid_minor": 500,
    "change_khr": 0,
    "bank_ref": "D7D506",
}


def _words(options: ReceiptOptions = PLAIN, **changes: Any) -> dict[str, Any]:
    return {line.label: line for line in lines(make_receipt(**changes), options)}


def test_the_payment_says_paid_by_khqr_with_the_reference_and_no_change() -> None:
    shown = _words(**KHQR_USD)
    assert shown["Paid by KHQR"].value == "$5.00"
    assert shown["Bank ref"].value == "D7D506"
    assert not {"Paid (USD)", "Paid (KHR)", "Change", "Change (USD)", "Change (riel)"} & set(shown)
    cash = _words()  # the cash receipt keeps its words
    assert cash["Paid (KHR)"].value == "21,000 riel" and "Paid by KHQR" not in cash


def test_a_riel_code_shows_riel_and_the_rate() -> None:
    shown = _words(**{**KHQR_USD, "paid_currency": "KHR", "paid_minor": 20_000}, riel_per_usd=4_000)
    assert shown["Paid by KHQR"].value == "20,000 riel"
    assert shown["Rate"].value == "4,000 riel per $1"
    assert "Change" not in shown and "Change (riel)" not in shown


def test_a_long_bank_reference_prints_as_bank_apps_show_it() -> None:
    bakong_hash = "8465d722d7d5065f2886ef31a54a2d2a2a50e7b3"  # kept cut to 31 characters
    assert bank_ref_shown(bakong_hash[:31]) == "8465d722..."
    assert bank_ref_shown(" 123456 ") == "123456"
    assert "Bank ref" not in _words(**{**KHQR_USD, "bank_ref": ""})


def test_the_khqr_words_come_in_khmer_and_chinese() -> None:
    shown = _words(KM_ZH, **KHQR_USD)
    assert [t.text for t in shown["Paid by KHQR"].translations] == [
        "បានបង់តាម KHQR",
        "已通过KHQR付款",
    ]
    assert [t.text for t in shown["Bank ref"].translations] == ["លេខយោងធនាគារ", "银行参考号"]


def test_the_pdf_says_it_in_english_khmer_and_chinese(
    tmp_path: Path, pdf_reader: PdfReader
) -> None:
    path = tmp_path / "khqr.pdf"
    path.write_bytes(render_pdf(make_receipt(**KHQR_USD), 80, KM_ZH))
    text = pdf_reader.text(path)
    joined = "".join(text.split())
    assert "Paid by KHQR" in text and "$5.00" in text and "D7D506" in text
    assert "已通过KHQR付款" in joined and "银行参考号" in joined
    assert "បានបង់តាមKHQR" in joined and "លេខយោងធនាគារ" in joined
    assert "Change" not in text


def test_the_escpos_bytes_say_it_and_draw_the_translations() -> None:
    def job(options: ReceiptOptions, **changes: Any) -> bytes:
        printer = Dummy(profile="TM-T88V")
        render_escpos(make_receipt(**changes), printer, width_mm=80, options=options)
        return bytes(printer.output)

    printed = "\n".join(printed_lines(split_escpos(job(ReceiptOptions(), **KHQR_USD))))
    assert "Paid by KHQR" in printed and "$5.00" in printed and "D7D506" in printed
    assert "Change" not in printed
    cash_pictures = len(split_escpos(job(KM_ZH)).pictures)
    khqr_pictures = len(split_escpos(job(KM_ZH, **KHQR_USD)).pictures)
    assert khqr_pictures == cash_pictures + 4  # two labels, each in Khmer and in Chinese


def test_a_paid_khqr_sale_s_receipt_from_the_ledger() -> None:
    shop = fake_shop()
    led = with_khqr(shop.ledger)
    shown = start_khqr(
        led,
        shop.clerk,
        "012 345 678",
        "5",
        currency=Currency.USD,
        make_code=fake_code,
        rows=24,
        cols=80,
    )
    bank = FakeBank()
    bank.pay(shown.request, ref="8465d722d7d5065f2886")
    done = finish_khqr(led, shown.request.id, result_paid(bank, shown.request))
    assert done.sale is not None
    receipt = receipt_for(led, done.sale)
    assert (receipt.paid_by, receipt.bank_ref) == ("khqr", "8465d722d7d5065f2886")
    words = {line.label: line.value for line in lines(receipt)}
    assert words["Paid by KHQR"] == "$5.00" and words["Bank ref"] == "8465d722..."
    assert "Change" not in words
