"""Receipts: the facts (`counter.domain.receipt`), renderers (`pdf`, `escpos`), printers.

Importing this package stays cheap: ReportLab loads only when `counter.printing.pdf`
is imported, which `PdfFolderPrinter` does on its first print. Printers are given plain
values (a folder, a queue, a connection); `counter.bootstrap` chooses one from the settings.
"""
