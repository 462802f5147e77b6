"""Writing a day's report to files: the shop's reports folder, a folder, or a file given.

Satisfies `services.ports.ReportWriter`. Each file is written under a temporary name in
the same folder, created 0600 (reports hold customers' numbers), flushed and renamed into
place (`counter.files`), so a crash or a full disk never leaves half a report under the
real name. ReportLab and openpyxl load only when a report is written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from counter.domain.dayend import CashCount, DaySummary
from counter.domain.errors import DayEndRefused
from counter.domain.records import Sale, Void
from counter.files import new_partial, os_reason, publish
from counter.i18n import _, use_language


class ReportFiles:
    """Reports as files, by default in `folder` (`2026-11-25-A-sales.pdf`, ...)."""

    def __init__(self, folder: Path, guard: Callable[[Path], Path] | None = None) -> None:
        self.folder = folder
        self.guard = guard  # the command's check of each file's path (`cli.output`)

    def write(
        self,
        fmt: str,
        summary: DaySummary,
        sales: Sequence[Sale],
        voids: Sequence[Void],
        *,
        stem: str,
        output: Path | None,
        title: str,
        cash: CashCount | None = None,
        language: str | None = None,
    ) -> list[Path]:
        suffixes = (".csv", ".csv") if fmt == "csv" else (f".{fmt}",)
        paths = self._targets(output, stem, suffixes)
        if self.guard is not None:
            paths = [self.guard(p) for p in paths]  # refused in words before a byte is written
        pairs: list[tuple[Path, Path]] = []
        try:
            pairs = [(new_partial(p), p) for p in paths]  # 0600 before a byte is written
            if fmt == "pdf":
                from counter.reporting.pdf import render_day_report_pdf

                pairs[0][0].write_bytes(
                    render_day_report_pdf(summary, title=title, cash=cash, language=language)
                )
            elif fmt == "csv":
                from counter.reporting.tabular import write_csv

                write_csv(sales, voids, summary, pairs[0][0], pairs[1][0])
            else:
                from counter.reporting.tabular import write_xlsx

                with use_language(language):  # its `name` column is for a person
                    write_xlsx(sales, voids, summary, pairs[0][0])
            return [publish(partial, final) for partial, final in pairs]
        except OSError as exc:
            raise DayEndRefused(
                _("Cannot write {path}: {reason}.").format(path=paths[0], reason=os_reason(exc))
            ) from None
        finally:
            for partial, _final in pairs:
                partial.unlink(missing_ok=True)

    def _targets(self, output: Path | None, stem: str, suffixes: tuple[str, ...]) -> list[Path]:
        """Where to write: the reports folder, a given folder, or a given file (csv: + -totals)."""
        if output is None or output.is_dir() or not output.suffix:
            folder = output or self.folder
            first = folder / f"{stem}{suffixes[0]}"
        else:
            first = output
        paths = [first]
        if len(suffixes) > 1:
            base = first.stem.removesuffix("-sales")
            paths.append(first.with_name(f"{base}-totals{first.suffix}"))
        return paths
