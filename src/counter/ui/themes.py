"""The counter's looks: the default (dark), a light one, and a high-contrast one for a
bright shop front. Settings and users name them `default`, `light` and `contrast`."""

from __future__ import annotations

from dataclasses import replace

from textual.theme import BUILTIN_THEMES, Theme

from counter.ui.lang import N_

# The default is Textual's own dark theme under our name: the pictures tests keep hold.
COUNTER_DARK = replace(BUILTIN_THEMES["textual-dark"], name="counter-dark")
COUNTER_LIGHT = replace(BUILTIN_THEMES["textual-light"], name="counter-light")
COUNTER_CONTRAST = Theme(
    name="counter-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    warning="#FFB000",
    error="#FF4040",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    dark=True,
    luminosity_spread=0.3,
    text_alpha=1.0,
    variables={
        "footer-key-foreground": "#FFFF00",
        "border": "#FFFFFF",
        "input-cursor-background": "#FFFF00",
        "input-cursor-foreground": "#000000",
    },
)

THEMES: dict[str, Theme] = {
    "default": COUNTER_DARK,
    "light": COUNTER_LIGHT,
    "contrast": COUNTER_CONTRAST,
}
# What the command palette calls each choice (translated when shown).
THEME_NAMES: dict[str, str] = {
    "default": N_("Default (dark)"),
    "light": N_("Light"),
    "contrast": N_("High contrast"),
}


def theme_name(choice: str | None) -> str:
    """The Textual theme name of a setting's or user's choice (None or unknown: the default)."""
    return THEMES.get(choice or "default", COUNTER_DARK).name
