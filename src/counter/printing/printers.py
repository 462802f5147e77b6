"""Printers: where a rendered receipt goes. A printer never raises; it says what happened.

A sale is recorded before its receipt prints, so a failed print must reach the clerk as a
sentence (`PrintResult.message`), never as a traceback that could look like a failed sale.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from counter.printing.receipt import Receipt

if TYPE_CHECKING:
    from counter.config import Settings

log = logging.getLogger(__name__)

_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_AFTER_FAILURE = "The sale is recorded; reprint it from History."


@dataclass(frozen=True)
class PrintResult:
    """The outcome of one print: `message` is written for the clerk."""

    ok: bool
    message: str
    path: Path | None = None


class Printer(Protocol):
    def print_receipt(self, receipt: Receipt) -> PrintResult: ...


class NullPrinter:
    """`printer = "none"`: prints nothing, and says so."""

    def print_receipt(self, receipt: Receipt) -> PrintResult:
        return PrintResult(True, f"Receipt {receipt.receipt_no} not printed: printing is off.")


def receipt_file_name(receipt: Receipt) -> str:
    """`A-000042.pdf`; a reprint `A-000042-copy-093005.pdf` (its local reprint time)."""
    stem = _UNSAFE_IN_FILE_NAME.sub("_", receipt.receipt_no.strip()).strip("._") or "receipt"
    reprinted = receipt.local_copy_printed_at
    if reprinted is not None:
        stem += f"-copy-{reprinted.strftime('%H%M%S')}"
    return f"{stem}.pdf"


class PdfFolderPrinter:
    """Writes each receipt as `<receipt_no>.pdf` into a folder, created when missing.

    Writes go to a temporary file that is renamed into place, so a crash or a full disk
    never leaves half a receipt under the real name. The original receipt is written
    again only by a retry of the same receipt; reprints (COPY) get their own file.
    """

    def __init__(self, folder: Path, width_mm: float = 80) -> None:
        self.folder = Path(folder)
        self.width_mm = width_mm

    def print_receipt(self, receipt: Receipt) -> PrintResult:
        try:
            from counter.printing.pdf import render_pdf  # ReportLab loads on first print

            data = render_pdf(receipt, self.width_mm)
        except Exception as exc:  # a layout bug must not look like a failed sale
            log.exception("rendering receipt %s failed", receipt.receipt_no)
            return PrintResult(
                False, f"Receipt not printed: it could not be laid out ({exc}). {_AFTER_FAILURE}"
            )
        try:
            path = self._write(receipt, data)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            log.warning("writing receipt %s to %s failed: %s", receipt.receipt_no, self.folder, exc)
            return PrintResult(
                False,
                f"Receipt not printed: cannot write to {self.folder} ({reason}). {_AFTER_FAILURE}",
            )
        return PrintResult(True, f"Receipt {receipt.receipt_no} saved to {path}.", path)

    def _write(self, receipt: Receipt, data: bytes) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self._target(receipt)
        handle, temp_name = tempfile.mkstemp(dir=self.folder, prefix=".receipt-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as temp:
                temp.write(data)
                temp.flush()
                os.fsync(temp.fileno())
            os.replace(temp_name, target)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        return target

    def _target(self, receipt: Receipt) -> Path:
        target = self.folder / receipt_file_name(receipt)
        if not receipt.is_copy:
            return target
        # Two reprints in the same second keep both files.
        serial = 2
        while target.exists():
            target = target.with_name(f"{Path(receipt_file_name(receipt)).stem}-{serial}.pdf")
            serial += 1
        return target


def make_printer(settings: Settings, width_mm: float = 80) -> Printer:
    """The printer the settings choose: `pdf` (a folder of PDFs) or `none`."""
    if settings.printer == "pdf":
        return PdfFolderPrinter(settings.receipts_path, width_mm)
    if settings.printer == "none":
        return NullPrinter()
    raise ValueError(f"unknown printer {settings.printer!r}: use 'pdf' or 'none'")
