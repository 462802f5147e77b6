"""The KHQR code drawn with Unicode half blocks, dark on light whatever the screen's theme.

One character cell holds two modules, one above the other (`▀`, `▄`, `█`, space), so a
module is as wide as a cell and half as tall: about square on a terminal. The light quiet
zone is drawn too, because the terminal around it may be dark. The widget must show the
lines in `QrPicture.style` (black on white): a theme's colours would invert the code.

`render_qr` picks, for the room it is given: the largest module size, then the widest
quiet zone (4 modules, the standard's, down to 2), then the strongest error correction
(H, Q, M, L) that fit. The encoder mixes byte and numeric segments (`qrcode`'s optimiser),
which keeps KHQR's long digit runs (timestamps, tag heads) small.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from counter.i18n import _
from counter.payments.errors import QrTooLarge

__all__ = [
    "DARK",
    "LIGHT",
    "QrPicture",
    "half_block_lines",
    "qr_matrix",
    "qr_version",
    "render_qr",
]

DARK = "#000000"
LIGHT = "#ffffff"
LEVELS = ("H", "Q", "M", "L")
_OPTIMIZE = 8  # shortest digit run worth a numeric segment


@dataclass(frozen=True)
class QrPicture:
    """Lines to show as they are, and how the widget must colour them."""

    lines: tuple[str, ...]
    version: int
    error_level: str
    quiet_zone: int
    scale: int
    modules: int  # modules per side, without the quiet zone
    foreground: str = DARK
    background: str = LIGHT

    @property
    def style(self) -> str:
        """The Rich style for every line: dark modules on a light ground."""
        return f"{self.foreground} on {self.background}"

    @property
    def rows(self) -> int:
        return len(self.lines)

    @property
    def cols(self) -> int:
        return len(self.lines[0]) if self.lines else 0


def _code(payload: str, level: str) -> Any:  # a qrcode.QRCode (untyped)
    # Imported here: qrcode brings Pillow with it, which only the code on screen needs.
    import qrcode
    from qrcode import constants

    correction = {
        "L": constants.ERROR_CORRECT_L,
        "M": constants.ERROR_CORRECT_M,
        "Q": constants.ERROR_CORRECT_Q,
        "H": constants.ERROR_CORRECT_H,
    }[level]
    code = qrcode.QRCode(error_correction=correction, border=0)
    code.add_data(payload, optimize=_OPTIMIZE)
    return code


def qr_version(payload: str, level: str) -> int:
    """The smallest QR version holding `payload` (UTF-8) at `level`, without drawing it."""
    return int(_code(payload, level).best_fit())


def qr_matrix(payload: str, level: str) -> tuple[int, list[list[bool]]]:
    """(version, modules) of the smallest QR code holding `payload` (UTF-8) at `level`."""
    code = _code(payload, level)
    code.make(fit=True)  # the best of the 8 masks: the slow part (about 50 ms)
    return code.version, [[bool(m) for m in row] for row in code.get_matrix()]


def half_block_lines(
    matrix: Sequence[Sequence[bool]], quiet_zone: int, scale: int = 1
) -> tuple[str, ...]:
    """The code as text: each cell the module above (upper half) and the one below."""
    size = len(matrix) * scale + 2 * quiet_zone

    def dark(y: int, x: int) -> bool:
        y, x = y - quiet_zone, x - quiet_zone
        if not (0 <= y < len(matrix) * scale and 0 <= x < len(matrix) * scale):
            return False
        return matrix[y // scale][x // scale]

    glyphs = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
    return tuple(
        "".join(glyphs[dark(y, x), dark(y + 1, x)] for x in range(size)) for y in range(0, size, 2)
    )


def render_qr(
    payload: str, *, max_rows: int, max_cols: int, quiet_zone: int = 4, min_quiet_zone: int = 2
) -> QrPicture:
    """The largest, then safest, picture of `payload` within `max_rows` x `max_cols` cells.

    Raises QrTooLarge, in words, when even level L with the narrowest quiet zone does not fit.
    """
    sides = {level: 17 + 4 * qr_version(payload, level) for level in LEVELS}
    smallest = sides["L"]
    for scale in range(4, 0, -1):
        for zone in range(quiet_zone, min_quiet_zone - 1, -1):
            for level in LEVELS:
                side = sides[level] * scale + 2 * zone
                if side <= max_cols and (side + 1) // 2 <= max_rows:
                    version, matrix = qr_matrix(payload, level)
                    return QrPicture(
                        lines=half_block_lines(matrix, zone, scale),
                        version=version,
                        error_level=level,
                        quiet_zone=zone,
                        scale=scale,
                        modules=len(matrix),
                    )
    need = smallest + 2 * min_quiet_zone
    raise QrTooLarge(
        _(
            "The code needs {cols} columns and {rows} rows with its margin; "
            "the screen has {max_cols} by {max_rows}."
        ).format(cols=need, rows=(need + 1) // 2, max_cols=max_cols, max_rows=max_rows),
        modules=smallest,
        rows=max_rows,
        cols=max_cols,
    )
