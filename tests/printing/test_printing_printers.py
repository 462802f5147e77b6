"""Printers write receipts where the shop expects them, and report failures in words."""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from counter.bootstrap import make_printer
from counter.printing.pdf import render_pdf
from counter.printing.printers import (
    CupsPrinter,
    EscposConnection,
    EscposPrinter,
    NullPrinter,
    PdfFolderPrinter,
    receipt_file_name,
)
from counter.printing.receipt import Receipt, ReceiptOptions
from tests.printing.helpers import (
    PHNOM_PENH,
    PdfReader,
    ink_disagreement,
    make_receipt,
    pdf_pages,
)
from tests.support.system import CUPS_QUEUE_ENV, require_env

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
    # What happened only: the front end says what to do (the queue, the retry key).
    assert result.message == (
        f"Receipt not printed: cannot write to {folder} "
        "(a part of the path is a file, not a folder)."
    )


def test_disk_full_is_a_failed_print_and_leaves_no_temporary_file(
    tmp_path: Path, receipt: Receipt, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("counter.printing.printers.os.replace", disk_full)
    result = PdfFolderPrinter(tmp_path).print_receipt(receipt)
    assert not result.ok
    assert "(the disk is full)" in result.message  # in words, not the C library's
    assert list(tmp_path.iterdir()) == []


def test_a_layout_failure_is_reported_not_raised(tmp_path: Path, receipt: Receipt) -> None:
    result = PdfFolderPrinter(tmp_path, width_mm=5).print_receipt(receipt)
    assert not result.ok
    assert result.message.startswith("Receipt not printed: it could not be laid out")
    assert "History" not in result.message


def test_null_printer_prints_nothing_and_says_so(receipt: Receipt) -> None:
    result = NullPrinter().print_receipt(receipt)
    assert result.ok and result.path is None
    assert "printing is off" in result.message


def test_make_printer_follows_the_settings(tmp_path: Path, counter_home: Path) -> None:
    from counter.config import Settings

    pdf = make_printer(Settings(receipts_dir=tmp_path, receipt_width_mm=58))
    assert isinstance(pdf, PdfFolderPrinter) and pdf.folder == tmp_path and pdf.width_mm == 58
    assert isinstance(make_printer(Settings(printer="none")), NullPrinter)
    cups = make_printer(Settings(printer="cups", cups_queue="Front", receipt_languages=["km"]))
    assert isinstance(cups, CupsPrinter) and cups.queue == "Front"
    assert cups.options == ReceiptOptions(languages=("km",))
    escpos = make_printer(
        Settings(printer="escpos", escpos_connection="tcp:192.168.1.50", escpos_profile="TM-T20II")
    )
    assert isinstance(escpos, EscposPrinter)
    assert escpos.connection == EscposConnection("tcp", host="192.168.1.50", port=9100)
    assert escpos.profile == "TM-T20II"


def test_make_printer_with_real_settings(counter_home: Path) -> None:
    from counter.config import Settings

    printer = make_printer(Settings())
    assert isinstance(printer, PdfFolderPrinter)
    assert printer.folder == counter_home / "receipts"


def test_file_name_keeps_only_safe_characters() -> None:
    assert receipt_file_name(make_receipt(receipt_no="A/../000042")) == "A_.._000042.pdf"


# --- ESC/POS printers ------------------------------------------------------------------


def test_escpos_connections_are_read_from_the_setting() -> None:
    assert EscposConnection.parse("usb:0x04b8:0x0202") == EscposConnection(
        "usb", vendor=0x04B8, product=0x0202
    )
    assert EscposConnection.parse("tcp:printer.local:9101") == EscposConnection(
        "tcp", host="printer.local", port=9101
    )
    assert EscposConnection.parse("file:/dev/usb/lp0") == EscposConnection(
        "file", path="/dev/usb/lp0"
    )
    with pytest.raises(ValueError, match="usb:0xVVVV:0xPPPP"):
        EscposConnection.parse("lpt1")


def test_settings_refuse_a_connection_they_cannot_read(counter_home: Path) -> None:
    from counter.config import SettingsError, load_settings

    with pytest.raises(SettingsError, match="escpos_connection"):
        load_settings(escpos_connection="192.168.1.50")


def test_escpos_to_a_device_file_gets_the_rendered_bytes(tmp_path: Path, receipt: Receipt) -> None:
    device = tmp_path / "lp0"
    printer = EscposPrinter(f"file:{device}", "TM-T88V", 80, ReceiptOptions(languages=("km",)))
    result = printer.print_receipt(receipt)
    assert result.ok, result.message
    assert result.message == f"Receipt A-000042 printed on {device}."
    data = device.read_bytes()
    assert data == printer.render(receipt)
    assert data.startswith(b"\x1b@") and b"\x1dv0" in data and data.endswith(b"\x1dV\x00")


def test_escpos_over_tcp_reaches_a_listening_printer(receipt: Receipt) -> None:
    """A stand-in network printer (a socket on localhost) receives the whole job."""
    import socket
    import threading

    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    received = bytearray()

    def accept() -> None:
        conn, _ = server.accept()
        with conn:
            while chunk := conn.recv(65536):
                received.extend(chunk)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    printer = EscposPrinter(f"tcp:127.0.0.1:{port}", timeout_s=5)
    result = printer.print_receipt(receipt)
    thread.join(timeout=10)
    server.close()
    assert result.ok, result.message
    assert bytes(received) == printer.render(receipt)


def closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends


@pytest.mark.parametrize(
    ("connection", "profile", "expected"),
    [
        (f"tcp:127.0.0.1:{closed_port()}", "TM-T88V", "cannot reach the printer at 127.0.0.1:"),
        ("usb:0x1234:0x5678", "TM-T88V", "USB"),
        (
            "file:/nonexistent/usb/lp0",
            "TM-T88V",
            "cannot open the printer device /nonexistent/usb/lp0",
        ),
        ("tcp:127.0.0.1:9100", "TM-NOPE", "python-escpos has no printer profile 'TM-NOPE'"),
    ],
    ids=["tcp-closed", "usb-absent", "file-missing", "bad-profile"],
)
def test_a_dead_escpos_printer_is_a_sentence_not_an_exception(
    receipt: Receipt, connection: str, profile: str, expected: str
) -> None:
    result = EscposPrinter(connection, profile, timeout_s=3).print_receipt(receipt)
    assert not result.ok
    assert expected in result.message
    assert result.message.startswith("Receipt not printed: ")
    assert result.message.endswith(".") and "History" not in result.message
    assert "Traceback" not in result.message


def test_misconfigured_printers_say_which_setting_is_missing(
    counter_home: Path, receipt: Receipt
) -> None:
    from counter.config import Settings

    result = make_printer(Settings(printer="cups")).print_receipt(receipt)
    assert not result.ok and "no cups_queue is set" in result.message
    result = make_printer(Settings(printer="escpos")).print_receipt(receipt)
    assert not result.ok and "no escpos_connection is set" in result.message


# --- CUPS --------------------------------------------------------------------------------


def test_cups_without_lp_is_a_sentence(receipt: Receipt) -> None:
    result = CupsPrinter("PDF", lp="no-such-lp-command").print_receipt(receipt)
    assert not result.ok
    assert "the lp command is missing (install the Debian package cups-client)" in result.message


def test_cups_timeout_is_a_sentence(tmp_path: Path, receipt: Receipt) -> None:
    slow = tmp_path / "lp"
    slow.write_text("#!/bin/sh\nsleep 5\n")
    slow.chmod(0o755)
    result = CupsPrinter("PDF", lp=str(slow), lpstat="no-lpstat", timeout_s=0.5).print_receipt(
        receipt
    )
    assert not result.ok
    assert "did not answer within 0.5 seconds" in result.message


@pytest.fixture
def cups_queue(need_tool: Callable[[str], str]) -> str:
    need_tool("lp")
    need_tool("lpstat")
    return require_env(CUPS_QUEUE_ENV, "a CUPS queue with cups-pdf (.ci/run starts one)")


def test_cups_missing_queue_is_a_sentence(cups_queue: str, receipt: Receipt) -> None:
    result = CupsPrinter("NoSuchQueue_counter_test").print_receipt(receipt)
    assert not result.ok
    assert "there is no print queue named NoSuchQueue_counter_test" in result.message


def test_cups_down_is_a_sentence(
    cups_queue: str, receipt: Receipt, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUPS_SERVER", f"127.0.0.1:{closed_port()}")  # a CUPS nobody runs
    result = CupsPrinter(cups_queue).print_receipt(receipt)
    assert not result.ok
    assert "the print system (CUPS) is not running" in result.message


@pytest.mark.parametrize("width_mm", [80, 58])
@pytest.mark.parametrize("languages", [("km",), ("zh",), ("km", "zh")])
def test_cups_prints_the_receipt_to_the_queue(
    cups_queue: str,
    pdf_reader: PdfReader,
    need_tool: Callable[[str], str],
    tmp_path: Path,
    width_mm: int,
    languages: tuple[str, ...],
) -> None:
    """cups-pdf writes the job under ~/PDF, through Ghostscript: find it and look at it.

    The receipt number reads back; the page, drawn, is our receipt glyph for glyph: the
    Khmer and Chinese words and names came through CUPS and Ghostscript as they were.
    """
    receipt_no = f"T-{uuid.uuid4().hex[:8].upper()}"
    receipt = make_receipt(
        receipt_no=receipt_no, shop_name="ហាងទូរស័ព្ទ សុខា 王明手机店", clerk_name="សុខា 王明"
    )
    options = ReceiptOptions(languages=languages)  # type: ignore[arg-type]
    out_dir = Path.home() / "PDF"
    before = {p: p.stat().st_mtime_ns for p in out_dir.glob("*.pdf")} if out_dir.is_dir() else {}
    result = CupsPrinter(cups_queue, width_mm, options).print_receipt(receipt)
    assert result.ok, result.message
    assert result.message.startswith(f"Receipt {receipt_no} sent to printer {cups_queue} (job ")

    found = tmp_path / "printed.pdf"  # pictures of it go beside it: not into ~/PDF
    found.write_bytes(_wait_for_pdf(out_dir, before, receipt_no, pdf_reader, 30).read_bytes())
    width, height = pdf_reader.page_size(found)
    assert width == pytest.approx(width_mm * 72 / 25.4, abs=2), (
        "media=Custom.WxH kept the roll width"
    )
    assert height < 297 * 72 / 25.4, "not an A4 page"
    sent = tmp_path / "sent.pdf"
    sent.write_bytes(render_pdf(receipt, width_mm, options))
    pdftoppm = need_tool("pdftoppm")
    printed, original = pdf_pages(pdftoppm, found), pdf_pages(pdftoppm, sent)
    assert ink_disagreement(original, printed) < 0.08
    assert ink_disagreement(printed, original) < 0.08


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_report_through_cups_prints_as_it_was_rendered(
    cups_queue: str,
    pdf_reader: PdfReader,
    need_tool: Callable[[str], str],
    tmp_path: Path,
    language: str,
) -> None:
    """The A4 report with Khmer and Chinese names, through lp, cups-pdf and Ghostscript."""
    import dataclasses

    from counter.reporting.pdf import render_day_report_pdf
    from tests.reporting.sample import sample_rows, sample_voids, summary_of

    rows = [
        dataclasses.replace(r, clerk_name=["Dara", "សុខា", "王明"][i % 3])
        for i, r in enumerate(sample_rows())
    ]
    tag = f"R-{uuid.uuid4().hex[:8].upper()}"
    summary = dataclasses.replace(
        summary_of(rows, sample_voids()), shop_name=f"ហាងទូរស័ព្ទ 王明手机店 {tag}"
    )
    sent = tmp_path / "report.pdf"
    sent.write_bytes(render_day_report_pdf(summary, language=language))
    out_dir = Path.home() / "PDF"
    before = {p: p.stat().st_mtime_ns for p in out_dir.glob("*.pdf")} if out_dir.is_dir() else {}
    done = subprocess.run(
        [need_tool("lp"), "-d", cups_queue, "-t", tag, str(sent)],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = tmp_path / "printed.pdf"  # pictures of it go beside it: not into ~/PDF
    found.write_bytes(_wait_for_pdf(out_dir, before, tag, pdf_reader, 60).read_bytes())
    pdftoppm = need_tool("pdftoppm")
    for page in range(1, int(pdf_reader.info(sent)["Pages"]) + 1):
        printed, original = (
            pdf_pages(pdftoppm, found, page=page),
            pdf_pages(pdftoppm, sent, page=page),
        )
        assert ink_disagreement(original, printed) < 0.08, f"page {page}"


def _wait_for_pdf(
    out_dir: Path, before: dict[Path, int], receipt_no: str, reader: PdfReader, timeout_s: float
) -> Path:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if out_dir.is_dir():
            fresh = [
                p for p in out_dir.glob("*.pdf")
                if before.get(p) != p.stat().st_mtime_ns and p.stat().st_size > 0
            ]  # fmt: skip
            for path in sorted(fresh, key=lambda p: p.stat().st_mtime_ns, reverse=True):
                try:
                    if receipt_no in reader.text(path):
                        return path
                except subprocess.CalledProcessError:
                    pass  # still being written
        time.sleep(0.2)
    raise AssertionError(f"no PDF with {receipt_no} appeared under {out_dir} within {timeout_s} s")
