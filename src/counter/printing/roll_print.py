"""X and Z reports printed on the receipt roll, through the shop's receipt printer.

`roll_of` turns a report's domain figures (its `DaySummary` and `CashCount`) into the
words and figures of a `RollReport`, translated; `RollPrinter` sends that to the same
printer as receipts: ESC/POS bytes to a thermal printer, or a roll-wide PDF page through
CUPS (`lp -o media=Custom.80xHmm`) or into a folder. Like a receipt printer, it never
raises: its `PrintResult` says what happened, in words.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from counter.domain.dayend import CashCount, DaySummary, receipt_statement
from counter.domain.receipt import PrintResult
from counter.files import new_partial, os_reason, publish
from counter.i18n import _, format_khr_for, format_usd_for
from counter.printing.printers import CupsPrinter, EscposPrinter, PdfFolderPrinter
from counter.printing.roll import RollLine, RollReport, RollSection

log = logging.getLogger(__name__)


def _cash_lines(cash: CashCount) -> tuple[RollLine, ...]:
    lines = [
        RollLine(_("Opening (USD)"), format_usd_for(cash.opening_usd_cents)),
        RollLine(_("Opening (riel)"), format_khr_for(cash.opening_khr)),
    ]
    if cash.blind:  # withheld from whoever counts blind until the count is recorded
        lines.append(RollLine(_("Expected cash: shown after the count (blind count).")))
    else:
        lines += [
            RollLine(_("Expected (USD)"), format_usd_for(cash.expected_usd_cents)),
            RollLine(_("Expected (riel)"), format_khr_for(cash.expected_khr)),
        ]
    if cash.counted_usd_cents is not None and cash.counted_khr is not None:
        assert cash.difference_usd_cents is not None and cash.difference_khr is not None
        lines += [
            RollLine(_("Counted (USD)"), format_usd_for(cash.counted_usd_cents)),
            RollLine(_("Counted (riel)"), format_khr_for(cash.counted_khr)),
            RollLine(_("Difference (USD)"), format_usd_for(cash.difference_usd_cents), bold=True),
            RollLine(_("Difference (riel)"), format_khr_for(cash.difference_khr), bold=True),
        ]
    if cash.state:
        lines.append(RollLine(cash.state))
    if cash.code:
        lines.append(RollLine(_("Z code"), cash.code, bold=True))
    return tuple(lines)


def roll_of(title: str, summary: DaySummary, cash: CashCount) -> RollReport:
    """An X or Z report as the roll prints it: the cash first, then the sales."""
    counters = ", ".join(summary.counters)
    operators = tuple(
        RollLine(op.name, f"{op.count}  {format_usd_for(op.amount_cents)}")
        for op in summary.operators
        if op.count
    )
    total = summary.total
    total_line = RollLine(_("TOTAL"), f"{total.count}  {format_usd_for(total.amount_cents)}", True)
    pay = summary.payments
    sections: tuple[RollSection, ...] = (
        RollSection(_("Cash in the drawer"), _cash_lines(cash)),
        RollSection(_("Sales per operator"), (*operators, total_line)),
        RollSection(
            _("Payments"),
            (
                RollLine(_("Received (USD)"), format_usd_for(pay.received_usd_cents)),
                RollLine(_("Received (riel)"), format_khr_for(pay.received_khr)),
                RollLine(_("Change (USD)"), format_usd_for(pay.change_usd_cents)),
                RollLine(_("Change (riel)"), format_khr_for(pay.change_khr)),
            ),
        ),
        RollSection(
            _("Voids"),
            (RollLine(str(summary.void_count), format_usd_for(summary.void_total_cents)),),
        ),
    )
    if summary.deliveries is not None:  # the same record as the PDF's deliveries section
        from counter.printing.roll_deliveries import delivery_sections

        sections += delivery_sections(summary.deliveries, summary.printed_at, summary.zone)
    counted = cash.counted_usd_cents is not None
    return RollReport(
        title=title,
        shop_name=summary.shop_name,
        printed_at=summary.printed_at,
        header=(
            RollLine(_("Business day"), summary.day.isoformat()),
            RollLine(_("Counter"), counters),
            RollLine(_("Printed by"), summary.printed_by),
        ),
        sections=sections,
        footer=" ".join(receipt_statement(r) for r in summary.receipt_ranges),
        signatures=(_("Counted by"), _("Approved by")) if counted else (),
    )


def _failed(reason: str) -> PrintResult:
    return PrintResult(False, _("Report not printed: {reason}.").format(reason=reason))


class RollPrinter:
    """Prints X and Z reports on the receipt printer it is given."""

    def __init__(self, printer: Any) -> None:
        self.printer = printer

    def print_report(self, title: str, summary: DaySummary, cash: CashCount) -> PrintResult:
        try:
            report = roll_of(title, summary, cash)
            if isinstance(self.printer, EscposPrinter):
                return self._escpos(report)
            if isinstance(self.printer, CupsPrinter):
                return self._cups(report, title)
            if isinstance(self.printer, PdfFolderPrinter):
                return self._folder(report, summary)
        except Exception as exc:  # a layout bug must not look like a failed close
            log.exception("laying out the %s on the roll failed", title)
            return _failed(_("it could not be laid out ({reason})").format(reason=exc))
        return _failed(_("no receipt printer is set"))

    def _escpos(self, report: RollReport) -> PrintResult:
        from escpos.printer import Dummy

        from counter.printing.roll import render_roll_escpos

        printer: EscposPrinter = self.printer
        dummy = Dummy(profile=printer.profile)
        render_roll_escpos(report, dummy, width_mm=printer.width_mm, dots=printer.dots)
        try:
            device = printer._open()
        except Exception as exc:
            return _failed(printer._why_not_open(exc))
        try:
            device._raw(bytes(dummy.output))
        except Exception as exc:
            return _failed(
                _("the printer at {printer} stopped answering ({reason})").format(
                    printer=printer.connection, reason=exc
                )
            )
        finally:
            try:
                device.close()
            except Exception:
                log.debug("closing printer %s failed", printer.connection, exc_info=True)
        return PrintResult(
            True, _("Report printed on {printer}.").format(printer=printer.connection)
        )

    def _cups(self, report: RollReport, title: str) -> PrintResult:
        from counter.printing.roll import render_roll_pdf

        printer: CupsPrinter = self.printer
        lp = shutil.which(printer.lp)
        if lp is None:
            return _failed(_("the lp command is missing (install the Debian package cups-client)"))
        page = render_roll_pdf(report, printer.width_mm)
        media = f"Custom.{page.width_mm:.0f}x{page.height_mm + 0.5:.0f}mm"
        with tempfile.TemporaryDirectory(prefix="counter-lp-") as folder:
            path = Path(folder) / "report.pdf"
            path.write_bytes(page.data)
            command = [lp, "-d", printer.queue, "-o", f"media={media}", "-t", title, str(path)]
            try:
                done = subprocess.run(
                    command, capture_output=True, text=True, timeout=printer.timeout_s, check=False
                )
            except (subprocess.TimeoutExpired, OSError) as exc:
                return _failed(_("the print system did not take it ({reason})").format(reason=exc))
        if done.returncode != 0:
            return _failed(printer._lp_error(done.stderr))
        return PrintResult(True, _("Report sent to printer {queue}.").format(queue=printer.queue))

    def _folder(self, report: RollReport, summary: DaySummary) -> PrintResult:
        from counter.printing.roll import render_roll_pdf

        printer: PdfFolderPrinter = self.printer
        page = render_roll_pdf(report, printer.width_mm)
        stamp = summary.printed_at.strftime("%Y%m%dT%H%M%S")
        target = (
            printer.folder
            / f"{summary.day.isoformat()}-{'-'.join(summary.counters)}-{stamp}-roll.pdf"
        )
        partial = None
        try:
            printer.folder.mkdir(parents=True, exist_ok=True)
            partial = new_partial(target)
            partial.write_bytes(page.data)
            path = publish(partial, target)
        except OSError as exc:
            return _failed(
                _("cannot write to {folder} ({reason})").format(
                    folder=printer.folder, reason=os_reason(exc)
                )
            )
        finally:
            if partial is not None:
                partial.unlink(missing_ok=True)
        return PrintResult(True, _("Report saved to {path}.").format(path=path), path)
