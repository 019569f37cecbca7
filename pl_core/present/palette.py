"""Colours and fonts shared by every chart, in the app and in reports: one colour-blind-safe scale for levels."""

from __future__ import annotations

# ColorBrewer YlGnBu (sequential, colour-blind safe): light = early on the continuum, dark = far along.
# Level 3 is a shade darker than YlGnBu's #2c7fb8 so that white text on it reaches 4.5:1 (4.8:1).
LEVEL_COLOURS = {1: "#c7e9b4", 2: "#7fcdbb", 3: "#1f78b4", 4: "#253494"}
LEVEL_TEXT = {1: "#000000", 2: "#000000", 3: "#ffffff", 4: "#ffffff"}
# Levels told apart without colour (WCAG 1.4.1): a fill pattern per level, plain for the first.
LEVEL_PATTERNS = ("", ".", "/", "x", "-", "+")
CONTINUOUS = [[0.0, "#edf8b1"], [0.33, "#7fcdbb"], [0.66, "#2c7fb8"], [1.0, "#253494"]]
DIVERGING = "RdBu"  # differences: red below, blue above; centred on 0
MISSING_COLOUR = "#bdbdbd"
# Marks on top of the blue-green bands: orange stands apart for all common CVD, and this one keeps 3:1
# (WCAG 1.4.11) against every band and 5.2:1 against white.
STAFF_COLOUR = "#c2410c"
LEADERSHIP_COLOUR = "#111111"
TEXT = "#1b1f24"  # chart text: 16:1 on white
MUTED_TEXT = "#4b5563"  # secondary chart text: 7.6:1 on white
OUTLINE = "#4b5563"  # outlines that keep light marks 3:1 against a white page
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=16, color=TEXT)


def _luminance(colour: str) -> float:
    """WCAG relative luminance of '#rrggbb' or 'rgb(r, g, b)'."""
    if colour.startswith("rgb"):
        channels = [float(x) / 255 for x in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3]]
    else:
        colour = colour.lstrip("#")
        channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_on(background: str) -> str:
    """Black or white, whichever reads better on `background` (at least 4.58:1 for any colour)."""
    return "#000000" if contrast("#000000", background) >= contrast("#ffffff", background) else "#ffffff"


def level_patterns(numbers) -> dict[int, str]:
    """A fill pattern per level number, in scale order."""
    return {n: LEVEL_PATTERNS[i % len(LEVEL_PATTERNS)] for i, n in enumerate(numbers)}


def level_colour(level: int | float) -> str:
    keys = sorted(LEVEL_COLOURS)
    nearest = min(keys, key=lambda k: abs(k - float(level)))
    return LEVEL_COLOURS[nearest]


def level_colours(numbers) -> dict[int, str]:
    """A colour per level number, spreading the palette over scales that do not run 1-4."""
    numbers = list(numbers)
    palette = list(LEVEL_COLOURS.values())
    if len(numbers) == len(palette):
        return dict(zip(numbers, palette, strict=True))
    step = (len(palette) - 1) / max(len(numbers) - 1, 1)
    return {n: palette[round(i * step)] for i, n in enumerate(numbers)}
