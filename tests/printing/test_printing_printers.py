"""Printers write receipts where the shop expects them, and report failures in words."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from counter.printing.printers import (
    NullPrinter,
    PdfFolderPrinter,
    make_printer,
    receipt_file_name,
)
from counter.printing.receipt import Receipt
from tests.printing.helpers import PHNOM_PENH, PdfReader, make_receipt

REPRINTED_AT = datetime(2026, 11, 21, 9, 30, 5, tzinfo=PHNOM_PENH)


def test_writes_receipt_no_pdf_creating_the_folder(
    tmp_path: Path, receipt: Receipt, pdf_reader: PdfReader
) -> None:
    folder = tmp_path / "home" / "receipts"
    result = PdfFolderPrinter(folder).print_receipt(receipt)
    assert result.ok, result.message
    assert result.path == folder / "A-000042.pdf"
    assert "A-000042" in pdf_reader.text(result.path)
    assert [p.name for p in folder.iterdir()] == ["A-000042.pdf"], "no temporary file left"


def test_a_reprint_never_overwrites_the_original(
    tmp_path: Path, receipt: Receipt, pdf_reader: PdfReader
) -> None:
    printer = PdfFolderPrinter(tmp_path)
    original = printer.print_receipt(receipt).path
    reprint = make_receipt(copy_printed_at=REPRINTED_AT)
    first, second = printer.print_receipt(reprint), printer.print_receipt(reprint)
    assert first.path == tmp_path / "A-000042-copy-093005.pdf"
    assert second.path == tmp_path / "A-000042-copy-093005-2.pdf"
    assert original is not None and "COPY" not in pdf_reader.text(original)
    assert first.path is not None and "COPY" in pdf_reader.text(first.path)


def test_58mm_width_is_passed_to_the_page(
    tmp_path: Path, receipt: Receipt, pdf_reader: PdfReader
) -> None:
    path = PdfFolderPrinter(tmp_path, width_mm=58).print_receipt(receipt).path
    assert path is not None
    assert pdf_reader.page_size(path)[0] == pytest.approx(164.4, abs=0.1)


def test_unwritable_folder_is_a_failed_print_in_words(tmp_path: Path, receipt: Receipt) -> None:
    # Tests run as root, so permissions stop nothing: a folder under a plain file cannot exist.
    (tmp_path / "afile").write_text("not a folder")
    folder = tmp_path / "afile" / "receipts"
    result = PdfFolderPrinter(folder).print_receipt(receipt)
    assert not result.ok
    assert result.path is None
    assert result.message == (
        f"Receipt not printed: cannot write to {folder} (Not a directory). "
        "The sale is recorded; reprint it from History."
    )


def test_disk_full_is_a_failed_print_and_leaves_no_temporary_file(
    tmp_path: Path, receipt: Receipt, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("counter.printing.printers.os.replace", disk_full)
    result = PdfFolderPrinter(tmp_path).print_receipt(receipt)
    assert not result.ok
    assert "(No space left on device)" in result.message
    assert list(tmp_path.iterdir()) == []


def test_a_layout_failure_is_reported_not_raised(tmp_path: Path, receipt: Receipt) -> None:
    result = PdfFolderPrinter(tmp_path, width_mm=5).print_receipt(receipt)
    assert not result.ok
    assert result.message.startswith("Receipt not printed: it could not be laid out")
    assert result.message.endswith("reprint it from History.")


def test_null_printer_prints_nothing_and_says_so(receipt: Receipt) -> None:
    result = NullPrinter().print_receipt(receipt)
    assert result.ok and result.path is None
    assert "printing is off" in result.message


def test_make_printer_follows_the_settings(tmp_path: Path) -> None:
    pdf = make_printer(SimpleNamespace(printer="pdf", receipts_path=tmp_path))  # type: ignore[arg-type]
    assert isinstance(pdf, PdfFolderPrinter) and pdf.folder == tmp_path
    none = make_printer(SimpleNamespace(printer="none", receipts_path=tmp_path))  # type: ignore[arg-type]
    assert isinstance(none, NullPrinter)


def test_make_printer_with_real_settings(counter_home: Path) -> None:
    from counter.config import Settings

    printer = make_printer(Settings())
    assert isinstance(printer, PdfFolderPrinter)
    assert printer.folder == counter_home / "receipts"


def test_file_name_keeps_only_safe_characters() -> None:
    assert receipt_file_name(make_receipt(receipt_no="A/../000042")) == "A_.._000042.pdf"
