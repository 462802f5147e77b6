"""Text from outside: digits as customers and keyboards write them, characters the ledger
refuses, and how user names compare."""

import unicodedata

# Khmer digits (U+17E0..U+17E9) and full-width digits (typed with a Chinese input
# method) are read as the ASCII digits they stand for. Other scripts' digits are not:
# nobody at a Cambodian counter types them, so they are more likely a mistake.
_DIGITS = {ord(c): str(i) for i, c in enumerate("០១២៣៤៥៦៧៨៩")}
_DIGITS.update({ord(c): str(i) for i, c in enumerate("０１２３４５６７８９")})
_DIGITS.update({ord("＋"): "+", ord("．"): ".", ord("，"): ",", ord("－"): "-"})
_DIGITS.update({ord("（"): "(", ord("）"): ")", ord("　"): " "})


def to_ascii_digits(text: str) -> str:
    """Replace Khmer and full-width digits (and full-width + . , - ( ) space) by ASCII."""
    return text.translate(_DIGITS)


# --- text from outside: what the ledger refuses, and how names compare --------------------

# Bidi embeddings, overrides and isolates, the bidi marks, and the line/paragraph
# separators: text that can make a receipt number or an amount read backwards on screen
# or paper, or break a line where none was typed. Zero-width space and joiners stay:
# Khmer text uses them.
_INVISIBLE_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u2028\u2029"
)


def unsafe_character(text: str) -> str | None:
    """`U+001B` for the first control or bidi-override character in `text`, else None.

    Control characters (C0, DEL, C1: an escape sequence reaches a terminal through an
    export, and breaks a spreadsheet) and the bidi controls above are refused wherever
    text enters the ledger: references, reasons, names, the shop's address.
    """
    for char in text:
        if unicodedata.category(char) == "Cc" or char in _INVISIBLE_CONTROLS:
            return f"U+{ord(char):04X}"
    return None


def tidy_name(name: str) -> str:
    """A user's name as stored: NFKC-normalised (full-width letters become plain ones)
    and stripped, so `Ｏｗｎｅｒ` and `Owner` are the same name."""
    return unicodedata.normalize("NFKC", name).strip()


def name_key(name: str) -> str:
    """What two names are compared by: NFKC, then case-folded (`OWNER` = `Owner`)."""
    return tidy_name(name).casefold()
