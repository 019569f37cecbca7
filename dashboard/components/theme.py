"""One colour scale for levels on every page, and the CSS that makes pages readable on a projector."""

from __future__ import annotations

import streamlit as st

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


BASE_CSS = """
<style>
/* Readable from the back of a room: larger base text, roomier tables. */
html, body, [data-testid="stAppViewContainer"] { font-size: 17px; }
.pl-level-head { border-radius: 6px; padding: 0.45rem 0.7rem; font-weight: 700; margin-bottom: 0.4rem; }
.pl-card { border: 1px solid rgba(49,51,63,0.15); border-radius: 8px; padding: 0.6rem 0.8rem; }
.pl-muted { color: #5f6368; font-size: 0.92em; }
.pl-big-code { font-size: 4.5rem; font-weight: 800; letter-spacing: 0.5rem; text-align: center;
               font-family: ui-monospace, monospace; }
</style>
"""

PRESENTATION_CSS = """
<style>
/* Presentation mode: hide Streamlit's chrome, widen the page and enlarge text for a projector. */
header[data-testid="stHeader"], [data-testid="stToolbar"], footer { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; padding-top: 1rem !important; }
html, body, [data-testid="stAppViewContainer"] { font-size: 21px; }
h1 { font-size: 2.6rem !important; }
</style>
"""


def apply(presentation: bool) -> None:
    st.html(BASE_CSS + (PRESENTATION_CSS if presentation else ""))


def chart_font(presentation: bool) -> dict:
    return dict(FONT, size=22 if presentation else FONT["size"])
