"""ESC/POS at the printer's real width: pictures as wide as the head, QR where it can print.

The exact bytes come from python-escpos's `Dummy`; pictures are taken out of the `GS v 0`
commands and looked at (ink boxes, zbarimg) as the printed slip would be.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from escpos.printer import Dummy
from PIL import Image, ImageOps

from counter.bootstrap import make_printer
from counter.printing.escpos import EscposLayout, render_escpos
from counter.printing.printers import EscposPrinter
from counter.printing.receipt import ReceiptOptions, qr_text
from counter.typeset.picture import text_picture
from tests.printing.helpers import escpos_pictures, make_receipt, printed_lines, split_escpos

SHOP = "ហាងទូរស័ព្ទ សុខា 王明手机店"
KM_ZH = ReceiptOptions(languages=("km", "zh"))
NAMES = {"shop_name": SHOP, "clerk_name": "សុខា 王明", "footer": "អរគុណ 谢谢 Thank you"}


def job(
    profile: str, width_mm: int, options: ReceiptOptions = KM_ZH, dots: int | None = None
) -> bytes:
    printer = Dummy(profile=profile)
    render_escpos(make_receipt(**NAMES), printer, width_mm=width_mm, options=options, dots=dots)
    return bytes(printer.output)


@pytest.mark.parametrize(
    ("profile", "width_mm", "dots"),
    [
        ("TM-T20II", 80, 576),  # the bug: capped at 512, centred lines sat 4 mm left
        ("TM-T88V", 80, 512),  # its profile says 512
        ("RP-F10-80mm", 80, 576),
        ("CT-S651", 80, 576),  # 640 in the profile: no wider than an 80 mm roll's 72 mm
        ("POS-5890", 58, 384),
        ("ZJ-5870", 58, 384),
        ("TM-T20II", 58, 384),  # 58 mm paper in an 80 mm printer
    ],
)
def test_every_picture_is_as_wide_as_the_profile_says(
    profile: str, width_mm: int, dots: int
) -> None:
    data = job(profile, width_mm)
    parsed = split_escpos(data)
    assert len(parsed.pictures) >= 10
    assert {width for width, _height in parsed.pictures} == {dots}
    assert b"?" not in parsed.rest, "a character the code page lacks became ?"


@pytest.mark.parametrize(
    ("width_mm", "setting", "dots"), [(80, None, 576), (80, 640, 640), (58, None, 384)]
)
def test_a_profile_without_a_width_uses_the_setting(
    width_mm: int, setting: int | None, dots: int
) -> None:
    layout = EscposLayout.for_printer(Dummy(profile="default"), width_mm, dots=setting)
    assert layout.dots == dots
    parsed = split_escpos(job("default", width_mm, dots=setting))
    assert {width for width, _height in parsed.pictures} == {dots}


def test_the_setting_reaches_the_printer(
    counter_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from counter.config import load_settings

    monkeypatch.setenv("COUNTER_PRINTER", "escpos")
    monkeypatch.setenv("COUNTER_ESCPOS_CONNECTION", "file:/dev/null")
    monkeypatch.setenv("COUNTER_ESCPOS_PROFILE", "default")
    monkeypatch.setenv("COUNTER_ESCPOS_DOTS", "504")
    monkeypatch.setenv("COUNTER_RECEIPT_LAYOUT", "compact")
    printer = make_printer(load_settings())
    assert isinstance(printer, EscposPrinter)
    assert printer.options.compact
    parsed = split_escpos(printer.render(make_receipt(shop_name=SHOP)))
    assert {width for width, _height in parsed.pictures} == {504}


def centred_ink(picture: Image.Image) -> tuple[int, int]:
    box = ImageOps.invert(picture).getbbox()
    assert box is not None
    return box[0], picture.width - box[2]


def test_centred_lines_are_centred_on_a_576_dot_head() -> None:
    """Left and right margins of a centred picture line agree within a few dots."""
    pictures = escpos_pictures(job("TM-T20II", 80))
    left, right = centred_ink(pictures[0])  # the shop name
    assert pictures[0].width == 576
    assert abs(left - right) <= 4, (left, right)


def test_a_khmer_and_chinese_shop_name_prints_both_scripts() -> None:
    """The bug: in one string the Chinese vanished (drawn in the Khmer font)."""
    mixed = text_picture(SHOP, width_px=576)
    khmer = text_picture("ហាងទូរស័ព្ទ សុខា", width_px=576)
    chinese = text_picture("王明手机店", width_px=576)

    def ink_width(picture: Image.Image) -> int:
        box = ImageOps.invert(picture).getbbox()
        assert box is not None
        return box[2] - box[0]

    assert ink_width(mixed) >= ink_width(khmer) + 0.9 * ink_width(chinese)
    # The Chinese part, cut from the right of the mixed picture, is the Chinese picture's ink.
    chinese_ink = ImageOps.invert(chinese).histogram()[255]
    box = ImageOps.invert(mixed).getbbox()
    assert box is not None
    right = mixed.crop((box[2] - ink_width(chinese) - 4, 0, box[2], mixed.height))
    assert ImageOps.invert(right).histogram()[255] >= 0.8 * chinese_ink


def zbar(zbarimg: str, picture: Image.Image, tmp_path: Path) -> list[str]:
    path = tmp_path / "qr.png"
    framed = Image.new("L", (picture.width + 40, picture.height + 40), 255)
    framed.paste(picture, (20, 20))
    framed.save(path)
    done = subprocess.run(
        [zbarimg, "--quiet", "--raw", str(path)], capture_output=True, text=True, timeout=60
    )
    return done.stdout.splitlines()


@pytest.mark.parametrize(
    ("profile", "width_mm"), [("POS-5890", 58), ("ZJ-5870", 58), ("TH230", 80)]
)
def test_a_profile_without_qr_gets_the_code_as_a_picture(
    profile: str, width_mm: int, tmp_path: Path, need_tool: Callable[[str], str]
) -> None:
    data = job(profile, width_mm, ReceiptOptions())
    parsed = split_escpos(data)
    assert parsed.codes == [], "no GS ( k: this printer may not print it"
    assert b"\x1d(k" not in data
    pictures = escpos_pictures(data)
    assert pictures, "the QR code went as a raster picture"
    decoded = [
        text for picture in pictures for text in zbar(need_tool("zbarimg"), picture, tmp_path)
    ]
    assert decoded == [qr_text(make_receipt())]


def test_a_profile_with_qr_gets_the_printers_own_command() -> None:
    parsed = split_escpos(job("TM-T20II", 80, ReceiptOptions()))
    content = qr_text(make_receipt()).encode("ascii")
    assert any(code.endswith(content) for code in parsed.codes)
    assert parsed.pictures != [] and all(h < 200 for _w, h in parsed.pictures), "only text pictures"


def lines_of(data: bytes) -> list[str]:
    return printed_lines(split_escpos(data))


@pytest.mark.parametrize(("profile", "width_mm"), [("TM-T20II", 80), ("POS-5890", 58)])
def test_every_picture_lies_within_the_head(profile: str, width_mm: int) -> None:
    """A structural check of the slip: ink inside the picture, the picture the head's width."""
    for picture in escpos_pictures(
        job(profile, width_mm, ReceiptOptions(languages=("km", "zh"), compact=True))
    ):
        box = ImageOps.invert(picture).getbbox()
        assert box is not None and box[0] >= 0 and box[2] <= picture.width


def test_the_compact_slip_is_shorter() -> None:
    def height(options: ReceiptOptions) -> int:
        data = job("TM-T20II", 80, options)
        pictures = sum(h for _w, h in split_escpos(data).pictures)
        return pictures + 24 * len(lines_of(data))

    assert height(ReceiptOptions(languages=("km", "zh"), compact=True)) < 0.85 * height(KM_ZH)
