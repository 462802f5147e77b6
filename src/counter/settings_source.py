"""Where settings come from: `counter.toml` in the counter's home folder, then `COUNTER_*`
environment variables over it. Plain Python, no pydantic.

`counter.config` validates everything read here into one `Settings` model. The counter
screen also needs a few settings before its first frame (language, theme, keys), and
pydantic costs a fifth of a second to import: `screen_start()` reads those few here, the
screen draws, and the full `Settings` are validated in a worker right after (a wrong
value still stops the app, with the file and field at fault).
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from counter.domain.errors import SettingsError
from counter.i18n import _

APP_NAME = "counter"
SETTINGS_FILE = "counter.toml"
ENV_PREFIX = "COUNTER_"


def default_home() -> Path:
    """`$COUNTER_HOME`, else the user data folder platformdirs gives for this system."""
    env = os.environ.get("COUNTER_HOME")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def settings_file() -> Path:
    return default_home() / SETTINGS_FILE


def from_file(path: Path) -> dict[str, Any]:
    """The settings in a TOML file (none when it is missing), or SettingsError."""
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(
            _("{source}: not valid TOML: {error}").format(source=path, error=exc)
        ) from None


def from_environment(names: Iterable[str], structured: Collection[str]) -> dict[str, Any]:
    """`COUNTER_<SETTING>` variables (any case) for the settings `names`; those in
    `structured` (lists, tables) are JSON."""
    wanted = {name.upper(): name for name in names}
    found: dict[str, Any] = {}
    for key, raw in os.environ.items():
        upper = key.upper()
        name = wanted.get(upper[len(ENV_PREFIX) :]) if upper.startswith(ENV_PREFIX) else None
        if name is None:
            continue
        if name in structured:
            try:
                found[name] = json.loads(raw)
            except ValueError:
                raise SettingsError(
                    _("{variable} is not valid JSON.").format(variable=key)
                ) from None
        else:
            found[name] = raw
    return found


@dataclass(frozen=True)
class ScreenStart:
    """What the counter screen needs before its first frame, read without validating the
    rest (that follows in a worker). A value that cannot be read falls back to its default
    here; the full validation then stops the app naming it."""

    home: Path
    database_url: str | None = None
    language: str = "en"
    theme: str = "default"
    keys: dict[str, str] = field(default_factory=dict)
    idle_lock_seconds: int = 300

    @property
    def ledger_path(self) -> Path:
        return self.home / "ledger.sqlite3"

    @property
    def surely_new(self) -> bool:
        """No ledger file at all: the first run, known without the database layer."""
        return self.database_url is None and not self.ledger_path.exists()


def screen_start() -> ScreenStart:
    """The screen's first settings, from the file and the environment, quietly."""
    names = ("home", "database_url", "language", "theme", "keys", "idle_lock_seconds")
    try:
        values = {**from_file(settings_file()), **from_environment(names, {"keys"})}
    except SettingsError:
        values = {}
    start = ScreenStart(home=Path(values.get("home") or default_home()).expanduser())
    language, theme = values.get("language"), values.get("theme")
    keys, idle = values.get("keys"), str(values.get("idle_lock_seconds", start.idle_lock_seconds))
    return ScreenStart(
        home=start.home,
        database_url=values.get("database_url") or None,
        language=language if language in ("en", "zh") else start.language,
        theme=theme if theme in ("default", "light", "contrast") else start.theme,
        keys={str(k): str(v) for k, v in keys.items()} if isinstance(keys, dict) else {},
        idle_lock_seconds=int(idle) if idle.isdigit() else start.idle_lock_seconds,
    )


def language_setting() -> str | None:
    """The shop's `language` setting as written (None when unset or unreadable)."""
    try:
        values = {**from_file(settings_file()), **from_environment(["language"], ())}
    except SettingsError:
        return None
    language = values.get("language")
    return language if isinstance(language, str) else None
