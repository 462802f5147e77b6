"""Text as GSM modems send it: the 7-bit default alphabet, packed septets, UCS2 hex.

3GPP TS 27.007 (`+CUSD: <m>[,<str>[,<dcs>]]`) leaves `<str>` in the character set the
TE chose, and many USB modems (Huawei among them) hand back hex instead of text: the 7-bit
septets packed into octets (TS 23.038 §6.1.2.1) or UCS2 as big-endian 16-bit units
(§6.1.2.2). The data coding scheme `<dcs>` (TS 23.038 §5, the cell-broadcast scheme USSD
uses) says which alphabet. The GSM 03.38 character table comes from the `gsm0338` codec;
packing and the coding-scheme groups are here.
"""

from __future__ import annotations

import re
from enum import StrEnum

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec)

_GSM = "gsm03.38"
_HEX = re.compile(r"^(?:[0-9A-Fa-f]{2})+$")
_CR = 0x0D


class Alphabet(StrEnum):
    GSM7 = "gsm7"
    EIGHT_BIT = "8bit"
    UCS2 = "ucs2"


def ussd_alphabet(dcs: int | None) -> Alphabet:
    """The alphabet a USSD/CBS data coding scheme names (TS 23.038 §5); GSM 7-bit by default."""
    if dcs is None:
        return Alphabet.GSM7
    group = dcs >> 4
    if group == 0b0000 or group in (0b0010, 0b0011):
        return Alphabet.GSM7  # languages, language unspecified (15 is the usual one)
    if group == 0b0001:
        return Alphabet.UCS2 if dcs & 0x0F == 1 else Alphabet.GSM7  # 16: language prefix
    if group in (0b0100, 0b0101, 0b0110, 0b0111, 0b1001):
        return {0: Alphabet.GSM7, 1: Alphabet.EIGHT_BIT, 2: Alphabet.UCS2}.get(
            (dcs >> 2) & 0b11, Alphabet.GSM7
        )
    if group == 0b1111:
        return Alphabet.EIGHT_BIT if dcs & 0b100 else Alphabet.GSM7
    return Alphabet.GSM7


def pack_septets(septets: bytes) -> bytes:
    """Pack 7-bit values into octets, least significant bits first (TS 23.038 §6.1.2.1.1).

    When 7 spare bits would be left, a CR fills them so they cannot read as `@` (§6.1.2.3.1).
    """
    if len(septets) % 8 == 7:
        septets += bytes((_CR,))
    out = bytearray()
    acc = bits = 0
    for septet in septets:
        acc |= (septet & 0x7F) << bits
        bits += 7
        while bits >= 8:
            out.append(acc & 0xFF)
            acc >>= 8
            bits -= 8
    if bits:
        out.append(acc & 0xFF)
    return bytes(out)


def unpack_septets(octets: bytes) -> bytes:
    """The 7-bit values packed in `octets`, dropping the CR (or zero) padding of §6.1.2.3.1."""
    count = len(octets) * 8 // 7
    value = int.from_bytes(octets, "little")
    septets = bytes((value >> (7 * i)) & 0x7F for i in range(count))
    if len(octets) * 8 % 7 == 0 and septets and septets[-1] in (_CR, 0):
        septets = septets[:-1]
    return septets


def gsm7_decode(septets: bytes) -> str:
    """GSM 7-bit default alphabet (with its extension table) to text; unknown codes as `?`."""
    return septets.decode(_GSM, errors="replace").replace("\ufffd", "?")


def gsm7_encode(text: str) -> bytes:
    """Text to GSM 7-bit codes; ValueError names a character the alphabet lacks."""
    try:
        return text.encode(_GSM)
    except UnicodeEncodeError as exc:
        raise ValueError(f"{text[exc.start]!r} is not in the GSM 7-bit alphabet") from None


def encode_ussd_hex(code: str) -> str:
    """`*123#` as packed GSM 7-bit hex, for modems that want the USSD string that way."""
    return pack_septets(gsm7_encode(code)).hex().upper()


def is_hex(text: str) -> bool:
    return bool(_HEX.match(text))


def sms_alphabet(dcs: int | None) -> Alphabet:
    """The alphabet an SMS data coding scheme names (TS 23.038 §4); it differs from USSD's."""
    if dcs is None:
        return Alphabet.GSM7
    group = dcs >> 4
    if group <= 0b0111:  # general data coding, with or without automatic deletion
        return {0: Alphabet.GSM7, 1: Alphabet.EIGHT_BIT, 2: Alphabet.UCS2}.get(
            (dcs >> 2) & 0b11, Alphabet.GSM7
        )
    if group == 0b1110:
        return Alphabet.UCS2
    if group == 0b1111:
        return Alphabet.EIGHT_BIT if dcs & 0b100 else Alphabet.GSM7
    return Alphabet.GSM7


def decode_text(text: str, alphabet: Alphabet, *, hex_septets: str = "packed") -> str:
    """A `+CUSD` string or an SMS body as readable text, whatever form the modem chose.

    UCS2 and 8-bit data arrive as hex (TS 27.007). A GSM 7-bit string may arrive as text
    or as hex: packed septets (`hex_septets="packed"`) or one septet per octet
    (`"unpacked"`, what `AT+CSCS="HEX"` gives). Text that is not hex is returned as it is.
    """
    if not is_hex(text):
        return text
    octets = bytes.fromhex(text)
    if alphabet is Alphabet.UCS2:
        if len(octets) % 2:
            return text
        return octets.decode("utf-16-be", errors="replace")
    if alphabet is Alphabet.EIGHT_BIT:
        return octets.decode("latin-1")
    if hex_septets != "packed":
        return text if any(o > 0x7F for o in octets) else gsm7_decode(octets)
    return gsm7_decode(unpack_septets(octets))


def decode_ucs2_hex(text: str) -> str | None:
    """UCS2 hex as text, or None when `text` is not that (an SMS body in text mode)."""
    if not is_hex(text) or len(text) % 4:
        return None
    return bytes.fromhex(text).decode("utf-16-be", errors="replace")
