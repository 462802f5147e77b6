"""The language the `counter` commands speak, chosen before any command runs.

Kept apart from `counter.cli.app` so `counter` without arguments (the screen) can call it
without importing Typer.
"""

from __future__ import annotations

import os
import sys

from counter.domain.errors import CounterError
from counter.i18n import _, available_languages, normalize_language, set_language

LANG_ENV = "COUNTER_LANG"


def choose_language() -> str:
    """`COUNTER_LANG`, else the shop's `language` setting, else English; the code chosen.

    An unknown COUNTER_LANG is refused (exit 2) rather than silently ignored; unreadable
    settings are left for the command to report, in the language chosen so far.
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
    try:
        from counter.config import load_settings

        language = load_settings().language
    except CounterError:
        return "en"
    set_language(language)
    return language
