"""The language the `counter` commands speak, chosen before any command runs.

Kept apart from `counter.cli.app` so `counter` without arguments (the screen) can call it
without importing Typer.
"""

from __future__ import annotations

import os
import sys

from counter.i18n import _, available_languages, normalize_language, set_language

LANG_ENV = "COUNTER_LANG"


def choose_language() -> str:
    """`COUNTER_LANG`, else the shop's `language` setting, else English; the code chosen.

    An unknown COUNTER_LANG is refused (exit 2) rather than silently ignored; unreadable
    settings are left for the command to report, in the language chosen so far. The
    setting is read without validating every other one (`settings_source`), so choosing
    the language costs no pydantic import.
    """
    wanted = os.environ.get(LANG_ENV, "").strip()
    if wanted:
        try:
            set_language(wanted)
        except ValueError:
            print(
                _("{variable}={value!r} is not a language of this app: use {languages}.").format(
                    variable=LANG_ENV, value=wanted, languages=_(" or ").join(available_languages())
                ),
                file=sys.stderr,
            )
            sys.exit(2)
        return normalize_language(wanted)
    from counter.settings_source import language_setting

    language = language_setting()
    try:
        set_language(language or "en")
    except ValueError:  # the full settings say what is wrong with it, in English
        set_language("en")
    return normalize_language(language) if language in available_languages() else "en"
