"""The code on screen: half-block lines drawn to a picture (one cell = 1x2 pixels, scaled
up) around which the terminal is dark or light, then read back with `zbarimg`."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from counter.domain.money import Money
from counter.payments.display import ShownCode, code_for_screen
from counter.payments.errors import QrTooLarge
from counter.payments.khqr import Merchant
from counter.payments.qr import DARK, LIGHT, half_block_lines, render_qr
from tests.payments.tlv import decode_khqr
from tests.payments.vectors import PUBLISHED, SDK_RUNS

TERMINALS = [(80, 24), (100, 30)]
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TOP = {" ": False, "▀": True, "▄": False, "█": True}
BOTTOM = {" ": False, "▀": False, "▄": True, "█": True}
FULL_SHOP = Merchant(
    "lucky_phone_riverside@aclb",
    "Lucky Phone Riverside",
    "Phnom Penh",
    store_label="Riverside branch",
    terminal_label="A",
    mobile_number="85512345678",
)


def full_shop_code(cols: int, rows: int) -> ShownCode:
    return code_for_screen(
        FULL_SHOP,
        Money.usd(1250),
        created_at=NOW,
        expires_at=NOW + timedelta(minutes=10),
        bill_number="A-000042",
        max_rows=rows,
        max_cols=cols,
    )


def picture(lines: tuple[str, ...], around: int, pixel: int = 6, margin: int = 3) -> Image.Image:
    """Cells as pixels: dark modules black, light white, the terminal `around` them."""
    cols, rows = len(lines[0]) + 2 * margin, 2 * (len(lines) + 2 * margin)
    image = Image.new("L", (cols, rows), around)
    for y, line in enumerate(lines):
        for x, glyph in enumerate(line):
            for half, dark in ((0, TOP[glyph]), (1, BOTTOM[glyph])):
                image.putpixel((x + margin, 2 * (y + margin) + half), 0 if dark else 255)
    return image.resize((cols * pixel, rows * pixel), Image.Resampling.NEAREST)


@pytest.fixture
def scan(need_tool: Callable[[str], str], tmp_path: Path) -> Callable[[Image.Image], str]:
    zbarimg = need_tool("zbarimg")

    def read(image: Image.Image) -> str:
        path = tmp_path / "code.png"
        image.save(path)
        out = subprocess.run(
            [zbarimg, "--raw", "-q", "-Sbinary", str(path)], capture_output=True, timeout=30
        )
        assert out.returncode == 0, out.stderr
        return out.stdout.decode("utf-8").removesuffix("\n")

    return read


@pytest.mark.parametrize(("cols", "rows"), TERMINALS, ids=["80x24", "100x30"])
@pytest.mark.parametrize("vector", SDK_RUNS + PUBLISHED[:1], ids=lambda v: v["name"])
@pytest.mark.parametrize("around", [30, 230], ids=["dark theme", "light theme"])
def test_the_code_fits_and_scans(
    scan: Callable[[Image.Image], str], vector: dict[str, object], cols: int, rows: int, around: int
) -> None:
    payload = str(vector["payload"])
    if vector["name"] == "merchant KHR 100" and rows == 24:
        # 189 characters need version 7 (45 modules + margin > 48 half-rows): the screen
        # leaves labels out first (test_what_does_not_fit_drops_the_labels).
        with pytest.raises(QrTooLarge):
            render_qr(payload, max_rows=rows, max_cols=cols)
        return
    shown = render_qr(payload, max_rows=rows, max_cols=cols)
    assert shown.rows <= rows and shown.cols <= cols
    assert shown.quiet_zone >= 2
    assert scan(picture(shown.lines, around)) == payload


def test_khmer_names_survive_the_scan(scan: Callable[[Image.Image], str]) -> None:
    payload = str(PUBLISHED[1]["payload"])
    shown = render_qr(payload, max_rows=30, max_cols=100)
    assert scan(picture(shown.lines, 30)) == payload


def test_the_figures_in_docs_payments(scan: Callable[[Image.Image], str]) -> None:
    """A sale's code with bill number, store and terminal labels (173 characters)."""
    payload = str(SDK_RUNS[0]["payload"])
    small = render_qr(payload, max_rows=24, max_cols=80)
    assert (small.version, small.error_level, small.quiet_zone, small.cols, small.rows) == (
        6,
        "L",
        3,
        47,
        24,
    )
    large = render_qr(payload, max_rows=30, max_cols=100)
    assert (large.version, large.error_level, large.quiet_zone, large.cols, large.rows) == (
        8,
        "M",
        4,
        57,
        29,
    )
    assert 80 - small.cols >= 30 and 100 - large.cols >= 40  # room beside it for the text


def test_what_does_not_fit_drops_the_labels(scan: Callable[[Image.Image], str]) -> None:
    shown = full_shop_code(cols=80, rows=24)
    assert shown.left_out[:1] == ("store_label",)
    k = decode_khqr(shown.code.payload, strict=True)
    assert "03" not in k.additional and k.additional["01"] == "A-000042"
    assert k.values["54"] == "12.50" and k.values["59"] == "Lucky Phone Riverside"
    assert shown.picture.rows <= 24
    assert scan(picture(shown.picture.lines, 30)) == shown.code.payload


def test_a_code_that_fits_keeps_everything() -> None:
    shown = full_shop_code(cols=100, rows=30)
    assert shown.left_out == ()
    assert decode_khqr(shown.code.payload, strict=True).additional["03"] == "Riverside branch"


def test_too_small_a_screen_is_said_in_words() -> None:
    with pytest.raises(QrTooLarge, match="the screen has 40 by 12") as caught:
        render_qr(str(SDK_RUNS[0]["payload"]), max_rows=12, max_cols=40)
    assert caught.value.modules == 41
    with pytest.raises(QrTooLarge):
        code_for_screen(
            FULL_SHOP,
            Money.usd(500),
            created_at=NOW,
            expires_at=NOW + timedelta(minutes=1),
            bill_number=None,
            max_rows=12,
            max_cols=40,
        )


def test_a_big_screen_gets_bigger_modules() -> None:
    shown = render_qr(str(SDK_RUNS[0]["payload"]), max_rows=60, max_cols=200)
    assert shown.scale == 2 and shown.rows <= 60
    assert set("".join(shown.lines)) <= {" ", "█"}  # two half-rows per module: whole blocks


def test_dark_on_light_whatever_the_theme() -> None:
    shown = render_qr(str(SDK_RUNS[1]["payload"]), max_rows=30, max_cols=100)
    assert (shown.foreground, shown.background) == (DARK, LIGHT) == ("#000000", "#ffffff")
    assert shown.style == "#000000 on #ffffff"
    zone = shown.quiet_zone
    assert shown.lines[0] == " " * shown.cols  # the light margin is drawn, not left to the theme
    assert all(line[:zone] == " " * zone for line in shown.lines)


def test_half_blocks_put_two_modules_in_a_cell() -> None:
    assert half_block_lines([[True, False], [False, True]], 0) == ("▀▄",)
    assert half_block_lines([[True]], 1) == (" ▄ ", "   ")
    assert half_block_lines([[True, True], [True, False]], 0, scale=2) == ("████", "██  ")
