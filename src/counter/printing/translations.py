"""Second-language lines for a receipt's fixed words: Khmer (`km`) and Simplified Chinese (`zh`).

Only the receipt's own fixed words are translated (the title, the labels a customer
looks for, COPY, the closing thanks); what the shop types (its name, address, footer)
is printed as typed. A label missing from `TRANSLATIONS` simply gets no second line.

The wording was written for this table, not by a native speaker of either language:
have a Khmer and a Chinese reader check it before a shop relies on it (docs/printers.md).
"""

from __future__ import annotations

from typing import Final, Literal, NamedTuple

Language = Literal["km", "zh"]
LANGUAGES: Final[tuple[Language, ...]] = ("km", "zh")

TITLE: Final = "Top-up receipt"
COPY: Final = "COPY"
THANKS: Final = "Thank you! Keep this receipt until your top-up arrives."

TRANSLATIONS: Final[dict[str, dict[Language, str]]] = {
    TITLE: {"km": "បង្កាន់ដៃបញ្ចូលទឹកប្រាក់", "zh": "充值收据"},
    COPY: {"km": "ច្បាប់ចម្លង", "zh": "副本"},
    "Receipt": {"km": "បង្កាន់ដៃ", "zh": "收据"},
    "Number": {"km": "លេខទូរស័ព្ទ", "zh": "手机号码"},
    "Amount": {"km": "ចំនួនទឹកប្រាក់", "zh": "充值金额"},
    "Validity": {"km": "សុពលភាព", "zh": "有效期"},
    "Check balance": {"km": "ពិនិត្យសមតុល្យ", "zh": "查询余额"},
    "Paid by KHQR": {"km": "បានបង់តាម KHQR", "zh": "已通过KHQR付款"},
    "Bank ref": {"km": "លេខយោងធនាគារ", "zh": "银行参考号"},
    THANKS: {
        "km": "សូមអរគុណ! សូមរក្សាទុកបង្កាន់ដៃនេះ រហូតដល់ទឹកប្រាក់បញ្ចូលបានមកដល់។",
        "zh": "谢谢！请保留此收据，直到充值到账。",
    },
}


class Translation(NamedTuple):
    """One second-language line: which language, and its words."""

    language: Language
    text: str


def translate(english: str, languages: tuple[Language, ...]) -> tuple[Translation, ...]:
    """The lines of `english` in each chosen language that the table has, in the chosen order."""
    known = TRANSLATIONS.get(english, {})
    return tuple(Translation(lang, known[lang]) for lang in languages if lang in known)


def has_khmer(text: str) -> bool:
    """Khmer letters (U+1780-U+17FF, U+19E0-U+19FF): they need a Khmer font and shaping."""
    return any("\u1780" <= c <= "\u17ff" or "\u19e0" <= c <= "\u19ff" for c in text)


def has_cjk(text: str) -> bool:
    """Chinese characters or full-width CJK punctuation."""
    return any(
        "\u3000" <= c <= "\u303f"  # CJK punctuation
        or "\u3400" <= c <= "\u9fff"  # CJK ideographs (with extension A)
        or "\uff00" <= c <= "\uffef"  # full-width forms: ！，
        for c in text
    )
