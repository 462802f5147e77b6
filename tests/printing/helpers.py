"""Helpers for printing tests: a sample sale's receipt, and reading a PDF back as a person would."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from counter.printing.receipt import Receipt

PHNOM_PENH = ZoneInfo("Asia/Phnom_Penh")
# 07:05:09 UTC is 14:05:09 in Phnom Penh: the receipt must show the shop's time.
SOLD_AT = datetime(2026, 11, 20, 7, 5, 9, tzinfo=UTC)


def make_receipt(**changes: Any) -> Receipt:
    """A $5.00 Smart top-up paid with 21,000 riel at 4,000 riel per dollar: 1,000 riel back."""
    base = Receipt(
        shop_name="Sokha Phone Shop",
        shop_address="No. 12, Street 271, Phnom Penh",
        receipt_no="A-000042",
        created_at=SOLD_AT,
        counter_code="C1",
        clerk_name="Dara",
        operator_name="Smart",
        balance_code="*888#",
        number_display="012 345 678",
        amount_cents=500,
        validity_days=40,
        paid_currency="KHR",
        paid_minor=21_000,
        change_usd_cents=0,
        change_khr=1_000,
        operator_ref="SM20261120-884213",
        footer="Thank you! Keep this receipt until your top-up arrives.",
        tz=PHNOM_PENH,
    )
    return replace(base, **changes)


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


@dataclass(frozen=True)
class PdfReader:
    """poppler-utils, as a person checking the receipt would use them."""

    pdftotext: str
    pdfinfo: str

    def text(self, path: Path) -> str:
        return self._run(self.pdftotext, "-layout", str(path), "-")

    def info(self, path: Path) -> dict[str, str]:
        out = self._run(self.pdfinfo, str(path))
        pairs = (line.split(":", 1) for line in out.splitlines() if ":" in line)
        return {key.strip(): value.strip() for key, value in pairs}

    def page_size(self, path: Path) -> tuple[float, float]:
        match = re.match(r"([\d.]+) x ([\d.]+) pts", self.info(path)["Page size"])
        assert match, self.info(path)
        return float(match[1]), float(match[2])

    def words(self, path: Path) -> list[Word]:
        """Every word with its box on the page (points, origin top left)."""
        html = self._run(self.pdftotext, "-bbox", str(path), "-")
        pattern = re.compile(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
        )
        return [
            Word(m[5], float(m[1]), float(m[2]), float(m[3]), float(m[4]))
            for m in pattern.finditer(html)
        ]

    @staticmethod
    def _run(*args: str) -> str:
        return subprocess.run(args, check=True, capture_output=True, text=True, timeout=30).stdout


# -- pictures of a page ---------------------------------------------------------------


def page_picture(pdftoppm: str, pdf: Path, dpi: int = 150) -> Any:
    """The PDF's first page as a greyscale Pillow image (`pdftoppm -png -r DPI`)."""
    from PIL import Image

    stem = pdf.with_suffix("")
    subprocess.run(
        [pdftoppm, "-png", "-r", str(dpi), "-singlefile", str(pdf), str(stem)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    with Image.open(stem.with_suffix(".png")) as image:
        return image.convert("L")


def ink_difference(with_ink: Any, without_ink: Any) -> Any:
    """Pixels dark in one picture and not the other (a mask: 255 where they differ)."""
    from PIL import ImageChops

    assert with_ink.size == without_ink.size, "the two renders must share one layout"
    return ImageChops.difference(with_ink, without_ink).point(lambda v: 255 if v > 64 else 0)


def ink_bands(mask: Any, min_gap: int = 3) -> list[tuple[int, int]]:
    """Runs of rows holding ink (top, bottom), split where `min_gap` empty rows separate them."""
    width, height = mask.size
    data = mask.tobytes()
    rows = [any(data[y * width : (y + 1) * width]) for y in range(height)]
    bands: list[tuple[int, int]] = []
    gap = min_gap
    for y, inked in enumerate(rows):
        if inked:
            if gap >= min_gap:
                bands.append((y, y))
            else:
                bands[-1] = (bands[-1][0], y)
            gap = 0
        else:
            gap += 1
    return bands


# -- ESC/POS bytes --------------------------------------------------------------------


@dataclass(frozen=True)
class EscposJob:
    """The bytes a printer got, taken apart: text and commands, pictures, QR commands."""

    rest: bytes  # everything except picture data and 2D-code payloads
    pictures: list[tuple[int, int]]  # (width in dots, height in dots) of each GS v 0
    codes: list[bytes]  # GS ( k payloads (cn fn m data), in order


def split_escpos(data: bytes) -> EscposJob:
    rest = bytearray()
    pictures: list[tuple[int, int]] = []
    codes: list[bytes] = []
    i = 0
    while i < len(data):
        if data.startswith(b"\x1dv0", i):
            width_bytes = data[i + 4] | data[i + 5] << 8
            height = data[i + 6] | data[i + 7] << 8
            pictures.append((width_bytes * 8, height))
            rest += b"\x1dv0"
            i += 8 + width_bytes * height
        elif data.startswith(b"\x1d(k", i):
            size = data[i + 3] | data[i + 4] << 8
            codes.append(bytes(data[i + 5 : i + 5 + size]))
            rest += b"\x1d(k"
            i += 5 + size
        else:
            rest.append(data[i])
            i += 1
    return EscposJob(bytes(rest), pictures, codes)


def printed_lines(job: EscposJob) -> list[str]:
    """The text lines of a job, with ESC/GS commands taken out (ASCII receipts only)."""
    # ESC @ is two bytes; every other command this renderer sends is three (ESC ! n,
    # ESC a n, ESC E n, ESC t n, ESC d n, GS V m, GS ! n), and the markers above are too.
    text = re.sub(rb"\x1b@|[\x1b\x1d][\x00-\xff]{2}", b"", job.rest)
    return text.decode("ascii").split("\n")


# -- Ghostscript, fonts, pictures compared -------------------------------------------


def gs_picture(gs: str, pdf: Path, dpi: int = 100, page: int = 1) -> Any:
    """One page as Ghostscript draws it (what CUPS prints with on Debian), greyscale."""
    from PIL import Image

    out = pdf.with_name(f"{pdf.stem}-gs{page}.png")
    subprocess.run(
        [gs, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pnggray", f"-r{dpi}",
         f"-dFirstPage={page}", f"-dLastPage={page}", "-dTextAlphaBits=4",
         "-dGraphicsAlphaBits=4", "-o", str(out), str(pdf)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    with Image.open(out) as image:
        return image.convert("L")


def ink_disagreement(expected: Any, got: Any) -> float:
    """Share of `expected`'s ink that `got` lacks (1-pixel shifts forgiven), 0.0 to 1.0.

    Two renderers drawing the same embedded glyphs agree to about 1 %; a font substituted
    for a missing one (Ghostscript's garbage for STSong-Light) misses about half.
    """
    from PIL import ImageChops, ImageFilter

    if got.size != expected.size:
        got = got.resize(expected.size)

    def ink(image: Any) -> Any:
        return image.point(lambda v: 255 if v < 128 else 0)

    wanted = ink(expected)
    missing = ImageChops.subtract(wanted, ink(got).filter(ImageFilter.MaxFilter(3)))
    return missing.histogram()[255] / max(1, wanted.histogram()[255])


def pdf_fonts(pdffonts: str, pdf: Path) -> list[tuple[str, str]]:
    """`(font name, emb)` for every font `pdffonts` lists."""
    out = subprocess.run(
        [pdffonts, str(pdf)], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    return [(row[0], row[-5]) for row in rows]


def pdf_pages(pdftoppm: str, pdf: Path, dpi: int = 100, page: int = 1) -> Any:
    """One page as poppler draws it, greyscale."""
    from PIL import Image

    stem = pdf.with_name(f"{pdf.stem}-pop{page}")
    subprocess.run(
        [pdftoppm, "-gray", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
         "-singlefile", str(pdf), str(stem)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    with Image.open(stem.with_suffix(".png")) as image:
        return image.convert("L")


def escpos_pictures(data: bytes) -> list[Any]:
    """Every `GS v 0` raster picture in a job, as a greyscale Pillow image (ink black)."""
    from PIL import Image, ImageOps

    found = []
    i = data.find(b"\x1dv0")
    while i >= 0:
        width_bytes = data[i + 4] | data[i + 5] << 8
        height = data[i + 6] | data[i + 7] << 8
        raw = data[i + 8 : i + 8 + width_bytes * height]
        bits = Image.frombytes("1", (width_bytes * 8, height), raw)  # 1 = ink
        found.append(ImageOps.invert(bits.convert("L")))
        i = data.find(b"\x1dv0", i + 8 + width_bytes * height)
    return found
