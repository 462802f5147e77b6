"""How long a receipt and a report take to render, against the simplest PDF ReportLab makes.

    .venv/bin/python scripts/bench_paper.py [--runs 20]

Times (median of `--runs`, after a warm-up that loads fonts and modules): a receipt PDF in
English, with Khmer and Chinese lines and names (standard and compact, 80 and 58 mm), the
same receipt as ESC/POS bytes for a TM-T20II (576 dots) and a POS-5890 (384 dots, QR as a
picture), and the daily report PDF in Chinese. Floor: a one-page PDF with one line of text
in the same embedded Latin font, measured in the same run. Goal: a receipt with both
languages under 100 ms (it is rendered while the clerk waits).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.* sample data


def median_ms(action: Callable[[], object], runs: int) -> float:
    action()  # warm-up: fonts registered, caches filled
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs

    from escpos.printer import Dummy
    from reportlab.pdfgen.canvas import Canvas

    from counter.printing.escpos import render_escpos
    from counter.printing.pdf import render_pdf
    from counter.printing.receipt import ReceiptOptions
    from counter.reporting.pdf import render_day_report_pdf
    from counter.typeset.pdf import base_font
    from tests.printing.helpers import make_receipt
    from tests.reporting.sample import sample_rows, sample_voids, summary_of

    def floor() -> bytes:
        buffer = BytesIO()
        canvas = Canvas(buffer, pagesize=(226, 400), initialFontName=base_font())
        canvas.setFont(base_font(), 9)
        canvas.drawString(10, 380, "Sokha Phone Shop A-000042 $5.00")
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()

    names = {"shop_name": "ហាងទូរស័ព្ទ សុខា 王明手机店", "clerk_name": "សុខា 王明"}
    plain, mixed = make_receipt(), make_receipt(**names)
    both = ReceiptOptions(languages=("km", "zh"))
    compact = ReceiptOptions(languages=("km", "zh"), compact=True)

    def escpos(profile: str, width: int) -> bytes:
        printer = Dummy(profile=profile)
        render_escpos(mixed, printer, width_mm=width, options=both)
        return bytes(printer.output)

    summary = summary_of(sample_rows(), sample_voids())
    cases: list[tuple[str, Callable[[], object]]] = [
        ("receipt PDF 80 mm, English", lambda: render_pdf(plain, 80)),
        ("receipt PDF 80 mm, Khmer + Chinese, names", lambda: render_pdf(mixed, 80, both)),
        ("receipt PDF 58 mm, Khmer + Chinese, names", lambda: render_pdf(mixed, 58, both)),
        ("receipt PDF 80 mm, compact", lambda: render_pdf(mixed, 80, compact)),
        ("receipt ESC/POS TM-T20II (576 dots)", lambda: escpos("TM-T20II", 80)),
        ("receipt ESC/POS POS-5890 (384, QR picture)", lambda: escpos("POS-5890", 58)),
        ("daily report PDF, Chinese", lambda: render_day_report_pdf(summary, language="zh")),
    ]
    base = median_ms(floor, runs)
    print(f"floor (one line, one page): {base:.2f} ms")
    for name, action in cases:
        took = median_ms(action, runs)
        print(f"{name}: {took:.1f} ms, ratio {took / base:.0f}")


if __name__ == "__main__":
    main()
