"""The languages the app speaks: gettext catalogs, the active language, Babel formatting.

English is the source language: every user-facing sentence is written in English in
the code, wrapped in `_()` (or `N_()` for module-level constants, `ngettext()` for
plurals), and looked up in the active language's catalog when it is shown. Simplified
Chinese (`zh`, Babel locale `zh_Hans_CN`) is complete. Khmer stays on paper (see
`counter.printing.translations`): terminals cannot show it reliably.

Placeholders are named and filled with `str.format` *after* translation, so
translators can reorder them: `_("{amount} is below {operator}'s minimum.").format(...)`.
Never an f-string inside `_()`: the catalog would never match.

The active language, first that applies:
1. `use_language(code)`: a block's own language (a report in the owner's language), in a
   contextvar, so concurrent tasks do not step on each other;
2. a `Voice` bound with `speak_with(voice)`: the language of one screen, which the screen
   changes at each login without touching anything else in the process (the counter
   screen binds its voice in its own task; its thread workers bind the same voice);
3. the process default, `set_language(code)` (the CLI sets it once from COUNTER_LANG or
   the shop setting).

This module is imported by the domain: it uses only the standard library and Babel
(imported lazily, on the first formatted amount or date).

Catalogs: `counter/locale/<locale>/LC_MESSAGES/counter.po` and the compiled `.mo`
beside it, both shipped as package data. `scripts/i18n extract|update|compile` keeps
them with Babel's `pybabel`; `tests/i18n` fails when they drift.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Protocol

DOMAIN = "counter"
SOURCE_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).parent / "locale"

# Language code (what settings, users and COUNTER_LANG hold) -> Babel/gettext locale id.
LOCALES: dict[str, str] = {"en": "en_US", "zh": "zh_Hans_CN"}
# Each language named in its own script, for menus.
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "zh": "中文（简体）"}

# Spellings people type for a language (COUNTER_LANG=zh_CN.UTF-8 and the like).
_ALIASES = {
    "en": "en",
    "en_us": "en",
    "en_gb": "en",
    "english": "en",
    "c": "en",
    "posix": "en",
    "zh": "zh",
    "zh_cn": "zh",
    "zh_hans": "zh",
    "zh_hans_cn": "zh",
    "zh_sg": "zh",
    "chinese": "zh",
    "cn": "zh",
}

_default_language = SOURCE_LANGUAGE
_override: ContextVar[str | None] = ContextVar("counter_language", default=None)


class Voice:
    """A language that can change, bound to a context (one screen and its workers)."""

    __slots__ = ("language",)

    def __init__(self, language: str = SOURCE_LANGUAGE) -> None:
        self.language = normalize_language(language)

    def speak(self, language: str) -> None:
        """Speak `language` from now on, wherever this voice is bound."""
        self.language = normalize_language(language)


_voice: ContextVar[Voice | None] = ContextVar("counter_voice", default=None)


def available_languages() -> tuple[str, ...]:
    """The language codes the app speaks, the source language first."""
    return tuple(LOCALES)


def normalize_language(code: str) -> str:
    """`zh`, `zh_CN`, `zh-Hans`, `zh_CN.UTF-8` -> `zh`; ValueError for a language we lack."""
    key = code.strip().split(".")[0].split("@")[0].replace("-", "_").lower()
    if key in _ALIASES:
        return _ALIASES[key]
    raise ValueError(f"unknown language {code!r}: use one of {', '.join(available_languages())}")


def get_language() -> str:
    """The language in force here: a `use_language` block's, else a bound voice's, else
    the process default."""
    override = _override.get()
    if override:
        return override
    voice = _voice.get()
    return voice.language if voice is not None else _default_language


def bind_voice(voice: Voice) -> None:
    """Bind `voice` in the current context for good (a screen's own task, at its start)."""
    _voice.set(voice)


def current_voice() -> Voice | None:
    return _voice.get()


@contextmanager
def speak_with(voice: Voice | None) -> Iterator[None]:
    """Speak with `voice` inside the block (a worker thread of the screen)."""
    token = _voice.set(voice)
    try:
        yield
    finally:
        _voice.reset(token)


def get_locale(language: str | None = None) -> str:
    """The Babel locale id of `language` (default: the active language)."""
    return LOCALES[normalize_language(language) if language else get_language()]


def set_language(code: str) -> None:
    """Set the process-wide default language (the CLI calls it once, before commands run)."""
    global _default_language
    _default_language = normalize_language(code)


@contextmanager
def use_language(code: str | None) -> Iterator[str]:
    """Speak `code` inside the block (None: leave the active language as it is)."""
    language = normalize_language(code) if code else get_language()
    token = _override.set(language)
    try:
        yield language
    finally:
        _override.reset(token)


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    path = LOCALE_DIR / LOCALES[language] / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with path.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    except OSError:  # pragma: no cover - the catalogs ship with the package
        return gettext.NullTranslations()


def translations(language: str | None = None) -> gettext.NullTranslations:
    """The gettext catalog of `language` (default: the active one)."""
    return _catalog(normalize_language(language) if language else get_language())


def gettext_(message: str) -> str:
    """`message` in the active language (English when no translation is known)."""
    return translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, in the active language."""
    return translations().ngettext(singular, plural, n)


_ = gettext_


class LazyString:
    """A message translated when it is shown, not when the module is imported."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message

    def __str__(self) -> str:
        return gettext_(self.message)

    def __repr__(self) -> str:
        return f"N_({self.message!r})"

    def format(self, *args: Any, **kwargs: Any) -> str:
        return str(self).format(*args, **kwargs)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyString):
            return self.message == other.message
        return str(self) == other

    def __hash__(self) -> int:
        return hash(self.message)


def N_(message: str) -> LazyString:
    """Mark a module-level constant for translation; it is translated each time it is shown."""
    return LazyString(message)


# --- Babel formatting ------------------------------------------------------------------


class _MoneyLike(Protocol):
    @property
    def minor(self) -> int: ...

    @property
    def currency(self) -> str: ...


def format_usd_for(cents: int, locale: str | None = None) -> str:
    """US dollars to the cent for `locale` (a language code or Babel id; default: active).

    English: `$5.00`, `-$0.25`, `$1,250.00` (the same text as `domain.money.format_usd`).
    Chinese: `US$5.00`, Babel's (CLDR's) symbol for the dollar in Chinese, which tells it
    apart from the yuan's `¥`; kept on purpose.
    """
    babel_locale = _babel_locale(locale)
    if babel_locale == LOCALES[SOURCE_LANGUAGE]:  # what Babel says in English, without Babel
        sign = "-" if cents < 0 else ""
        dollars, rest = divmod(abs(cents), 100)
        return f"{sign}${dollars:,}.{rest:02d}"
    from decimal import Decimal

    from babel.numbers import format_currency

    return format_currency(Decimal(cents) / 100, "USD", locale=babel_locale)


def format_khr_for(riel: int, locale: str | None = None) -> str:
    """Whole riel with the ៛ sign after the number and no decimals: `20,000៛`, any locale."""
    if _babel_locale(locale) == LOCALES[SOURCE_LANGUAGE]:
        return f"{'-' if riel < 0 else ''}{abs(riel):,}៛"
    from babel.numbers import format_decimal

    return format_decimal(riel, format="#,##0៛", locale=_babel_locale(locale))


def format_money_for(money: _MoneyLike, locale: str | None = None) -> str:
    """A `domain.money.Money` for `locale`: USD with 2 decimals, riel with ៛ and none."""
    if str(money.currency) == "USD":
        return format_usd_for(money.minor, locale)
    return format_khr_for(money.minor, locale)


def format_date_for(value: date, locale: str | None = None, fmt: str = "medium") -> str:
    """`Nov 25, 2026` in English, `2026年11月25日` in Chinese."""
    from babel.dates import format_date

    return format_date(value, format=fmt, locale=_babel_locale(locale))


def format_datetime_for(value: datetime, locale: str | None = None, fmt: str = "short") -> str:
    """`11/25/26, 2:03 PM` in English, `2026/11/25 14:03` in Chinese."""
    from babel.dates import format_datetime

    return format_datetime(value, format=fmt, locale=_babel_locale(locale))


def _babel_locale(locale: str | None) -> str:
    if locale is None:
        return LOCALES[get_language()]
    try:
        return LOCALES[normalize_language(locale)]
    except ValueError:
        return locale  # already a Babel locale id such as `km_KH`


__all__ = [
    "LANGUAGE_NAMES",
    "LOCALES",
    "N_",
    "LazyString",
    "Voice",
    "_",
    "available_languages",
    "bind_voice",
    "current_voice",
    "format_date_for",
    "format_datetime_for",
    "format_khr_for",
    "format_money_for",
    "format_usd_for",
    "get_language",
    "get_locale",
    "gettext_",
    "ngettext",
    "normalize_language",
    "set_language",
    "speak_with",
    "translations",
    "use_language",
]
