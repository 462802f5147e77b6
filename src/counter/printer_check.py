"""The printer test: a test slip (no sale) on the printer the settings choose. One body
for `counter printers test` and the screen's printer test (Reports, the palette), so both
print the same slip and say the same about the printer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from counter.i18n import _

if TYPE_CHECKING:
    from counter.config import Settings
    from counter.domain.receipt import PrintResult
    from counter.services.ports import Printer


@dataclass(frozen=True)
class PrinterTest:
    """Which printer was tried (`Printer: pdf, 80 mm paper, ...`) and what it answered."""

    printer: str
    result: PrintResult
    printing_off: bool  # `printer = "none"`: nothing was printed, and that is no fault

    @property
    def printed(self) -> bool:
        return self.result.ok and not self.printing_off


def print_test_slip(
    settings: Settings, *, printer: Printer | None = None, now: datetime | None = None
) -> PrinterTest:
    """Print the test slip on `printer` (default: the one the settings choose)."""
    from counter.bootstrap import make_printer
    from counter.printing.receipt import printer_test_slip

    slip = printer_test_slip(
        now or datetime.now(UTC),
        shop_name="Counter printer test",  # printed on paper, like a receipt label
        shop_address=settings.shop_address,
        tz=settings.zone,
    )
    languages = ", ".join(settings.receipt_languages) or _("none")
    described = _("Printer: {printer}, {width} mm paper, second languages: {languages}.").format(
        printer=settings.printer, width=settings.receipt_width_mm, languages=languages
    )
    result = (printer or make_printer(settings)).print_receipt(slip)
    return PrinterTest(described, result, settings.printer == "none")
