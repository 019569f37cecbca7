"""Colours and fonts shared by every chart, in the app and in reports: one colour-blind-safe scale for levels."""

from __future__ import annotations

# ColorBrewer YlGnBu (sequential, colour-blind safe): light = early on the continuum, dark = far along.
LEVEL_COLOURS = {1: "#c7e9b4", 2: "#7fcdbb", 3: "#2c7fb8", 4: "#253494"}
LEVEL_TEXT = {1: "#1b1b1b", 2: "#1b1b1b", 3: "#ffffff", 4: "#ffffff"}
CONTINUOUS = [[0.0, "#edf8b1"], [0.33, "#7fcdbb"], [0.66, "#2c7fb8"], [1.0, "#253494"]]
DIVERGING = "RdBu"  # differences: red below, blue above; centred on 0
MISSING_COLOUR = "#bdbdbd"
STAFF_COLOUR = "#e6550d"  # markers drawn on top of the blue-green bands: orange stands apart for all common CVD
LEADERSHIP_COLOUR = "#111111"
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=16)


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
