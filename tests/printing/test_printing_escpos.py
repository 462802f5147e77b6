"""The ESC/POS receipt, as the exact bytes python-escpos's Dummy printer would send."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from escpos.constants import PAPER_FULL_CUT
from escpos.printer import Dummy
from PIL import Image, ImageChops, ImageFont, features

from counter.printing.escpos import (
    KHMER_SHAPED,
    EscposLayout,
    clusters,
    pair_rows,
    render_escpos,
    text_picture,
    wrap,
)
from counter.printing.fonts import khmer_font
from counter.printing.receipt import PLAIN, ReceiptOptions, qr_text
from tests.printing.helpers import PHNOM_PENH, make_receipt, printed_lines, split_escpos
from tests.printing.test_printing_pdf import LONG_ADDRESS, LONG_FOOTER

KM = ReceiptOptions(languages=("km",))
KM_ZH = ReceiptOptions(languages=("km", "zh"))
REPRINTED_AT = datetime(2026, 11, 21, 9, 30, 5, tzinfo=PHNOM_PENH)
# Khmer lines of the sample receipt: title, Receipt, Number, Amount, Validity, Check balance, thanks.
KHMER_LINES = 7


def job(
    options: ReceiptOptions = PLAIN,
    profile: str = "TM-T88V",
    width_mm: int = 80,
    **changes: Any,
) -> bytes:
    printer = Dummy(profile=profile)
    render_escpos(make_receipt(**changes), printer, width_mm=width_mm, options=options)
    return bytes(printer.output)


def test_starts_with_initialise_and_ends_with_a_cut() -> None:
    data = job()
    assert data.startswith(b"\x1b@"), "ESC @ first: no style left over from the last job"
    assert data.endswith(PAPER_FULL_CUT) and PAPER_FULL_CUT == b"\x1dV\x00"


def test_text_lines_in_the_printers_columns() -> None:
    lines = printed_lines(split_escpos(job()))
    # TM-T88V prints 42 columns of font A on 80 mm (its profile says so).
    assert "Receipt                           A-000042" in lines
    assert "Check balance                        *888#" in lines
    assert "Paid (KHR)                     21,000 riel" in lines
    assert "012 345 678" in lines and "$5.00" in lines  # double size, on their own lines
    assert "Sokha Phone Shop" in lines
    assert "-" * 42 in lines
    assert all(len(line) <= 42 for line in lines), [line for line in lines if len(line) > 42]


@pytest.mark.parametrize(
    ("profile", "width_mm", "columns", "dots"),
    [
        ("TM-T20II", 80, 48, 576),
        ("TM-T88V", 80, 42, 512),
        ("POS-5890", 58, 32, 384),
        ("TM-T88V", 58, 32, 384),
    ],
)
def test_long_lines_wrap_to_the_paper(profile: str, width_mm: int, columns: int, dots: int) -> None:
    layout = EscposLayout.for_printer(Dummy(profile=profile), width_mm)
    assert (layout.columns, layout.dots) == (columns, dots)
    data = job(
        KM_ZH, profile, width_mm,
        shop_address=LONG_ADDRESS, footer=LONG_FOOTER,
        operator_ref="SMART-TXN-2026112014050912345678901234567890",
    )  # fmt: skip
    parsed = split_escpos(data)
    lines = printed_lines(parsed)
    assert all(len(line) <= columns for line in lines), [
        line for line in lines if len(line) > columns
    ]
    printed = " ".join(" ".join(lines).split())
    for token in (LONG_ADDRESS + " " + LONG_FOOTER).split():
        assert token in printed, f"{token!r} lost at {width_mm} mm"
    assert "SMART-TXN-2026112014050912345678901234567890" in "".join(printed.split())
    assert parsed.pictures and all(width == dots for width, _height in parsed.pictures)


def test_qr_code_is_the_printers_own_with_exactly_the_qr_text() -> None:
    data = job()
    content = qr_text(make_receipt()).encode("ascii")
    assert content == b"A-000042|2026-11-20T14:05:09+07:00|012***678|5.00"
    size = len(content) + 3
    store = b"\x1d(k" + bytes([size & 0xFF, size >> 8]) + b"1P0" + content  # GS ( k, fn 80
    show = b"\x1d(k\x03\x001Q0"  # GS ( k, fn 81: print the stored code
    assert store in data and show in data
    assert data.index(store) < data.index(show)
    assert b"\x1d(k\x04\x001A2\x00" in data, "model 2"
    assert b"\x1d(k\x03\x001E1" in data, "error correction M"


def test_without_languages_no_pictures_at_all() -> None:
    assert split_escpos(job()).pictures == []


def test_khmer_goes_as_pictures_never_as_question_marks() -> None:
    data = job(KM)
    parsed = split_escpos(data)
    assert b"\x1dv0" in data, "GS v 0 raster pictures"
    assert len(parsed.pictures) == KHMER_LINES
    assert all(width == 512 and 10 < height < 200 for width, height in parsed.pictures)
    assert b"?" not in parsed.rest, "a character the code page lacks became ?"
    assert "ក".encode() not in parsed.rest and b"\xe1\x9e" not in parsed.rest, "no Khmer as text"


def test_chinese_goes_as_pictures_when_the_profile_has_no_chinese() -> None:
    parsed = split_escpos(job(ReceiptOptions(languages=("zh",))))
    assert len(parsed.pictures) == KHMER_LINES
    assert b"?" not in parsed.rest
    assert "收据".encode("gb18030") not in parsed.rest


def test_chinese_goes_as_text_when_the_profile_has_a_chinese_code_page() -> None:
    printer = Dummy(profile="TM-T88V")
    base = type(printer.profile)
    pages = {**base.profile_data["codePages"], "254": "GB18030"}
    printer.profile = type(
        "ChineseProfile", (base,), {"profile_data": {**base.profile_data, "codePages": pages}}
    )()
    render_escpos(make_receipt(), printer, options=ReceiptOptions(languages=("zh",)))
    parsed = split_escpos(bytes(printer.output))
    assert parsed.pictures == []
    assert b"\x1c&" + "收据".encode("gb18030") + b"\x1c." in parsed.rest  # FS & ... FS .


def test_a_reprint_says_copy_and_when() -> None:
    lines = printed_lines(split_escpos(job(copy_printed_at=REPRINTED_AT)))
    assert lines[0] == "COPY"
    assert "Reprinted 2026-11-21 09:30" in lines
    assert len(split_escpos(job(KM, copy_printed_at=REPRINTED_AT)).pictures) == KHMER_LINES + 1


def test_masked_number_on_the_slip() -> None:
    lines = printed_lines(split_escpos(job(ReceiptOptions(mask_number=True))))
    assert "012 ***678" in lines
    assert "012 345 678" not in lines


def test_a_khmer_shop_name_is_a_picture() -> None:
    parsed = split_escpos(job(shop_name="ហាងទូរស័ព្ទ សុខា"))
    assert len(parsed.pictures) == 1
    assert b"?" not in parsed.rest


def test_khmer_picture_is_black_on_white_within_the_width() -> None:
    picture = text_picture("សូមអរគុណ! សូមរក្សាទុកបង្កាន់ដៃនេះ រហូតដល់ទឹកប្រាក់បញ្ចូលបានមកដល់។", width_px=384)
    assert picture.size[0] == 384
    assert set(picture.tobytes()) == {0, 255}
    assert picture.size[1] > 2 * 24, "a sentence too long for one row wraps onto more"


@pytest.mark.skipif(
    not KHMER_SHAPED,
    reason="Pillow has no libraqm: Khmer pictures on thermal printers print unshaped "
    "(install libraqm0 / a Pillow wheel with raqm; see docs/printers.md)",
)
def test_khmer_picture_is_shaped() -> None:
    assert features.check("raqm")
    text = "បង្កាន់ដៃ"
    shaped = text_picture(text, width_px=384)
    font = ImageFont.truetype(str(khmer_font()), 24, layout_engine=ImageFont.Layout.BASIC)
    basic = Image.new("L", (384, 60), 255)
    from PIL import ImageDraw

    ImageDraw.Draw(basic).text((0, 5), text, font=font, fill=0)
    shaped_box = ImageChops.invert(shaped).getbbox()
    basic_box = ImageChops.invert(basic).getbbox()
    assert shaped_box is not None and basic_box is not None
    # The subscript ្ក sits under ង instead of beside it: the word is narrower.
    assert shaped_box[2] - shaped_box[0] < basic_box[2] - basic_box[0]


def test_clusters_keep_khmer_letters_whole() -> None:
    assert clusters("បង្កាន់") == ["ប", "ង្កា", "ន់"]
    assert clusters("ab") == ["a", "b"]


def test_pair_rows_and_wrap() -> None:
    assert pair_rows("Date", "2026-11-20 14:05", 32) == ["Date            2026-11-20 14:05"]
    assert pair_rows("Operator ref", "X" * 30, 32) == ["Operator ref", "  " + "X" * 30]
    assert wrap("a" * 70, 32) == ["a" * 32, "a" * 32, "a" * 6]
