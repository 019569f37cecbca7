"""One colour scale for levels on every page, and the CSS that makes pages readable on a projector."""

from __future__ import annotations

import streamlit as st

from pl_core.present.palette import (  # noqa: F401 - re-exported for the pages
    CONTINUOUS,
    DIVERGING,
    FONT,
    LEADERSHIP_COLOUR,
    LEVEL_COLOURS,
    LEVEL_TEXT,
    MISSING_COLOUR,
    STAFF_COLOUR,
    level_colour,
    level_colours,
)

BASE_CSS = """
<style>
/* Readable from the back of a room: larger base text, roomier tables. */
html, body, [data-testid="stAppViewContainer"] { font-size: 17px; }
/* WCAG 1.4.3: Streamlit draws captions and help text in its body colour at 60% (#76797c, 4.4:1 on white).
   Ours are #4b5563 (7.6:1 on white, 6.9:1 on the sidebar's grey). */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] small, [data-testid="stMarkdownContainer"] small { color: #4b5563 !important; }
[data-testid="stCaptionContainer"] { opacity: 1 !important; }  /* 1.67 fades captions with opacity 0.6 */
/* Our menu (components/navigation.py): a label per group, links with room for a finger, a visible focus. */
.pl-nav-section { font-weight: 600; font-size: 0.95rem; color: #1b1f24; margin: 0.5rem 0 0.1rem; }
[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"] { padding-top: 0.3rem; padding-bottom: 0.3rem; }
[data-testid="stPageLink-NavLink"] span { white-space: normal !important; overflow: visible !important; }
[data-testid="stPageLink-NavLink"]:focus-visible { outline: 3px solid #1f5f99 !important; outline-offset: 1px; }
/* Checkbox labels whole (1.67 cuts them to one line ending in "…": a step you cannot read is not a choice). */
[data-testid="stCheckbox"] [data-testid="stWidgetLabel"],
[data-testid="stCheckbox"] [data-testid="stWidgetLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; height: auto !important;
}
[data-testid="stCheckbox"] label { height: auto !important; align-items: flex-start; }
/* The same for chosen options (a goal's action steps): each tag shows its whole text. */
[data-testid="stMultiSelect"] span:has(> span[title]) {
  height: auto !important; white-space: normal !important; max-width: 100% !important;
  padding-top: 2px; padding-bottom: 2px;
}
[data-testid="stMultiSelect"] div:has(span[title]) { max-height: none !important; overflow-y: visible !important; }
[data-testid="stMultiSelect"] span[title] {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; height: auto !important;
}
/* On a phone a chart keeps the width its labels need and scrolls sideways, instead of squeezing its
   plot to nothing; the summary and the table under it need no scrolling. */
@media (max-width: 720px) {
  .stElementContainer:has([data-testid="stPlotlyChart"]) { overflow-x: auto; }
  .stElementContainer:has([data-testid="stPlotlyChart"]) > [data-testid="stFullScreenFrame"] { min-width: 640px; }
}
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
header[data-testid="stHeader"], [data-testid="stToolbar"], footer, [data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"] { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; padding-top: 1rem !important; }
html, body, [data-testid="stAppViewContainer"] { font-size: 21px; }
h1 { font-size: 2.6rem !important; }
/* Tables are HTML there (components/tables.py): 21 px text that wraps, never cut to "La…". */
[data-testid="stTable"] th, [data-testid="stTable"] td { font-size: 21px !important; white-space: normal !important; }
</style>
"""


def apply(presentation: bool) -> None:
    st.html(BASE_CSS + (PRESENTATION_CSS if presentation else ""))


def chart_font(presentation: bool) -> dict:
    return dict(FONT, size=22 if presentation else FONT["size"])
