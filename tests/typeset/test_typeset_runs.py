"""Script runs: each character in a font that has it, and nothing printed without a glyph."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from counter.printing.translations import TRANSLATIONS
from counter.typeset.fonts import chinese_face, khmer_face, latin
from counter.typeset.runs import REPLACEMENT, describe, missing_glyphs, split_runs

CATALOG = Path(__file__).parents[2] / "src/counter/locale/zh_Hans_CN/LC_MESSAGES/counter.po"
SHOP = "ហាងទូរស័ព្ទ សុខា 王明手机店"


def scripts(text: str) -> list[tuple[str, str]]:
    return [(run.text, run.face.script) for run in split_runs(text)]


def test_latin_khmer_and_chinese_each_get_their_font() -> None:
    assert scripts("Sokha Phone") == [("Sokha Phone", "latin")]
    assert scripts("សុខា") == [("សុខា", "khmer")]
    assert scripts("王明") == [("王明", "chinese")]


def test_a_mixed_shop_name_keeps_every_script() -> None:
    """The bug: a Khmer and Chinese name lost its Chinese (drawn in the Khmer font)."""
    assert scripts(SHOP) == [("ហាងទូរស័ព្ទ សុខា ", "khmer"), ("王明手机店", "chinese")]
    # Spaces and punctuation stay in the run they are in when its font has them.
    assert scripts("Dara 王明 & សុខា!") == [
        ("Dara ", "latin"),
        ("王明 & ", "chinese"),
        ("សុខា!", "khmer"),
    ]


def test_full_width_punctuation_stays_with_the_chinese() -> None:
    assert scripts("谢谢！请保留此收据，直到充值到账。") == [
        ("谢谢！请保留此收据，直到充值到账。", "chinese")
    ]


def test_bold_latin_uses_the_bold_face_and_khmer_its_only_face() -> None:
    runs = split_runs("Amount ចំនួន", bold=True)
    assert [r.face for r in runs] == [latin(bold=True), khmer_face()]


def test_a_letter_of_a_script_beyond_every_font_is_replaced_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Thai (no font here has it) becomes U+FFFD drawn by a font that has that mark: no box."""
    with caplog.at_level(logging.WARNING, logger="counter.typeset.runs"):
        runs = split_runs("Shop ไทย")
    text = "".join(r.text for r in runs)
    assert text == "Shop " + REPLACEMENT * 3
    assert all(all(r.face.covers(c) for c in r.text) for r in runs), "every glyph drawn exists"
    assert missing_glyphs(["Shop ไทย"]) == ["ไ", "ท", "ย"]
    assert describe(["ไ"]) == "U+0E44 THAI CHARACTER SARA AI MAIMALAI"


def test_every_glyph_of_every_run_is_in_its_face() -> None:
    for text in (SHOP, "Tiếng Việt ✓ €5 · 20,000៛", "COPY ច្បាប់ចម្លង 副本"):
        for run in split_runs(text):
            missing = [c for c in run.text if not run.face.covers(c)]
            assert not missing, f"{describe(missing)} drawn in {run.face.name}"


def test_no_fixed_word_of_a_receipt_or_report_lacks_a_glyph() -> None:
    """Every translation, every Chinese message and every receipt word has a font here."""
    assert khmer_face() is not None and chinese_face() is not None, "fonts-khmeros, wqy"
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    messages: list[str] = []
    for message in catalog:
        for text in (message.id, message.string):
            messages += [text] if isinstance(text, str) else list(text)
    receipt_words = [word for row in TRANSLATIONS.values() for word in row.values()]
    receipt_words += list(TRANSLATIONS)
    assert len(messages) > 600
    missing = missing_glyphs([*messages, *receipt_words])
    assert missing == [], describe(missing)
    assert missing_glyphs([*messages, *receipt_words], bold=True) == []
