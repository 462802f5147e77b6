"""EMV merchant-presented QR: tag-length-value fields and the CRC that closes a payload.

KHQR is EMV QR text: each field is a two-digit tag, a two-digit length (in characters)
and the value; templates (29, 30, 62, 64, 99) hold fields of their own. The payload ends
with tag 63: a CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF, no reflection, no
final XOR) over the UTF-8 bytes of everything before it *including* `6304`, written as
four upper-case hex digits.
"""

from __future__ import annotations

__all__ = ["CRC_TAG", "crc16", "field", "with_crc"]

CRC_TAG = "6304"
_POLY = 0x1021


def _table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ _POLY) if crc & 0x8000 else crc << 1
        table.append(crc & 0xFFFF)
    return tuple(table)


_TABLE = _table()


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE of `data` (check value of b"123456789" is 0x29B1)."""
    crc = 0xFFFF
    for byte in data:
        crc = ((crc << 8) & 0xFFFF) ^ _TABLE[((crc >> 8) ^ byte) & 0xFF]
    return crc


def field(tag: str, value: str) -> str:
    """One TLV field; the caller has checked the value's length (1..99 characters)."""
    if len(tag) != 2 or not tag.isdigit():
        raise ValueError(f"EMV tags are two digits, not {tag!r}")
    if not 0 < len(value) <= 99:
        raise ValueError(f"EMV values are 1 to 99 characters, not {len(value)}")
    return f"{tag}{len(value):02d}{value}"


def with_crc(body: str) -> str:
    """The payload closed by its CRC field: `body + "6304" + XXXX`."""
    text = body + CRC_TAG
    return text + f"{crc16(text.encode('utf-8')):04X}"
