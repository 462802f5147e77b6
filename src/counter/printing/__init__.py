"""Receipts: the facts (`receipt`), renderers (`pdf`), and printers (`printers`).

Importing this package stays cheap: ReportLab loads only when `counter.printing.pdf`
is imported, which `PdfFolderPrinter` does on its first print.
"""

from counter.printing.printers import (
    NullPrinter,
    PdfFolderPrinter,
    Printer,
    PrintResult,
    make_printer,
)
from counter.printing.receipt import Receipt, ReceiptLine, lines, sections

__all__ = [
    "NullPrinter",
    "PdfFolderPrinter",
    "PrintResult",
    "Printer",
    "Receipt",
    "ReceiptLine",
    "lines",
    "make_printer",
    "sections",
]
