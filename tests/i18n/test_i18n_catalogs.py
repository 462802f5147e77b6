"""The catalogs: every message translated, placeholders kept, nothing left unextracted, .mo fresh."""

from __future__ import annotations

import string
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import counter
from counter import i18n

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = Path(counter.__file__).parent / "locale"
LOCALES = [loc for code, loc in i18n.LOCALES.items() if code != i18n.SOURCE_LANGUAGE]


def _po(locale: str):  # type: ignore[no-untyped-def]
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "counter.po").open("rb") as fh:
        return read_po(fh, locale=locale)


def _fields(text: str) -> set[tuple[str, str | None, str | None]]:
    """`{name!r:>5}` -> (name, conversion, spec): what must survive translation unchanged."""
    return {
        (name, conversion, spec)
        for _, name, spec, conversion in string.Formatter().parse(text)
        if name is not None
    }


def _ids(message) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    return tuple(message.id) if isinstance(message.id, (list, tuple)) else (message.id,)


def _strings(message) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    if isinstance(message.string, (list, tuple)):
        return tuple(message.string)
    return (message.string,)


def test_every_language_has_a_catalog() -> None:
    assert i18n.available_languages() == ("en", "zh")
    assert LOCALES == ["zh_Hans_CN"]
    for locale in LOCALES:
        assert (LOCALE_DIR / locale / "LC_MESSAGES" / "counter.mo").is_file()


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_has_a_translation(locale: str) -> None:
    missing = [
        _ids(m)[0]
        for m in _po(locale)
        if m.id and (m.fuzzy or not all(s.strip() for s in _strings(m)))
    ]
    assert not missing, f"untranslated or fuzzy in {locale}: {missing}"


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders(locale: str) -> None:
    wrong = []
    for m in _po(locale):
        if not m.id:
            continue
        source = _fields(_ids(m)[0])
        for form in _ids(m)[1:]:
            assert _fields(form) == source, f"singular and plural differ: {_ids(m)}"
        for translated in _strings(m):
            if _fields(translated) != source:
                wrong.append((_ids(m)[0], translated))
    assert not wrong, f"placeholders differ from the English: {wrong}"


def test_the_placeholder_check_catches_a_renamed_field() -> None:
    assert _fields("{amount} is below {operator}'s minimum") != _fields("{amount} 低于 {op} 的下限")
    assert _fields("{text!r} x") != _fields("{text} x")


def test_extraction_finds_no_message_missing_from_the_catalogs(tmp_path: Path) -> None:
    """A new `_()` without a translation fails here: run `scripts/i18n all` and translate it."""
    pot = tmp_path / "counter.pot"
    subprocess.run(
        [
            str(Path(sys.executable).with_name("pybabel")),
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "N_",
            "-k",
            "ngettext:1,2",
            "--no-location",
            "-o",
            str(pot),
            str(ROOT / "src" / "counter"),
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    with pot.open("rb") as fh:
        extracted = {_ids(m)[0] for m in read_po(fh) if m.id}
    assert len(extracted) > 100
    for locale in LOCALES:
        known = {_ids(m)[0] for m in _po(locale) if m.id}
        assert extracted - known == set(), f"run scripts/i18n update and translate ({locale})"
        assert known - extracted == set(), f"stale messages: run scripts/i18n update ({locale})"


@pytest.mark.parametrize("locale", LOCALES)
def test_the_committed_mo_matches_the_po(locale: str) -> None:
    """`scripts/i18n compile` after editing a .po; the tests never compile for you."""
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "counter.mo").open("rb") as fh:
        compiled = {_ids(m): _strings(m) for m in read_mo(BytesIO(fh.read())) if m.id}
    source = {_ids(m): _strings(m) for m in _po(locale) if m.id}
    assert compiled == source
