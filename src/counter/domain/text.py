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

# Zero-width space and the joiners are format characters Khmer text needs (a word break,
# a ligature held or broken); every other format character is refused. The bidi
# embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and marks can make a
# receipt number or an amount read backwards on screen or paper; the line and paragraph
# separators break a line where none was typed; a lone surrogate (bytes that were not
# UTF-8 on the command line) is not text at all.
_KHMER_FORMAT = frozenset("\u200b\u200c\u200d")
_REFUSED_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))


def _refused(char: str) -> bool:
    return unicodedata.category(char) in _REFUSED_CATEGORIES and char not in _KHMER_FORMAT


def unsafe_character(text: str) -> str | None:
    """`U+001B` for the first character in `text` the ledger refuses, else None.

    Control characters (C0, DEL, C1: an escape sequence reaches a terminal through an
    export, and breaks a spreadsheet), bidi overrides and isolates and the other format
    characters are refused wherever text enters the ledger: references, reasons, names,
    the shop's address, the settings (`check_text`).
    """
    for char in text:
        if _refused(char):
            return f"U+{ord(char):04X}"
    return None


def check_text(text: str, field: str) -> str:
    """`text` unchanged, or UnsafeText naming `field` (already translated) and the character.

    The one check at the boundary: the use cases call it for what a person types (so the
    screen and the CLI refuse alike), the settings' validators for what a file gives."""
    found = unsafe_character(text)
    if found is not None:
        from counter.domain.errors import UnsafeText

        raise UnsafeText(field, found, character_name(found))
    return text


def character_name(code: str) -> str:
    """`U+202E` -> `RIGHT-TO-LEFT OVERRIDE`; a control character has no name: ``."""
    return unicodedata.name(chr(int(code[2:], 16)), "")


def shown(text: str) -> str:
    """Text from the ledger as it may be shown or written: every refused character escaped
    (`\\x1b`, `\\u202e`), so a row recorded before the check (an old ledger) never sends an
    escape sequence to a terminal or an illegal character to a spreadsheet."""
    if not any(_refused(char) for char in text):
        return text
    return "".join(_escaped(char) if _refused(char) else char for char in text)


def _escaped(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def tidy_name(name: str) -> str:
    """A user's name as stored: NFKC-normalised (full-width letters become plain ones)
    and stripped, so `Ｏｗｎｅｒ` and `Owner` are the same name."""
    return unicodedata.normalize("NFKC", name).strip()


def name_key(name: str) -> str:
    """What two names are compared by: NFKC, then case-folded (`OWNER` = `Owner`)."""
    return tidy_name(name).casefold()
