"""What the facilitator's and the participants' workshop screens share: level wording, messages that survive a
rerun, and the layout that gives fingers targets of at least 44 px."""

from __future__ import annotations

import streamlit as st

from pl_core.domain.workshop import half_steps
from pl_core.frameworks import RatingScale

FLASH_KEY = "workshop_flash"

TOUCH_CSS = """
<style>
/* A phone ballot: every choice and button at least 48 px tall, with room between them. */
.st-key-ballot [data-testid="stRadio"], .st-key-ballot [role="radiogroup"] { width: 100%; }
.st-key-ballot [role="radiogroup"] { gap: 0.5rem; align-items: stretch; }
.st-key-ballot [role="radiogroup"] > div { width: 100%; display: flex; }
.st-key-ballot [data-testid="stRadioOption"] {
    min-height: 48px; width: 100%; box-sizing: border-box; padding: 0.5rem 0.8rem; margin: 0;
    border: 1px solid rgba(49, 51, 63, 0.3); border-radius: 10px; align-items: center; }
.st-key-ballot [data-testid="stRadioOption"]:has(input:checked) { border: 2px solid #2c7fb8; background: #eaf3fa; }
.st-key-ballot [data-testid="stRadioOption"]:has(input:focus-visible) {
    outline: 3px solid #1b6fa8; outline-offset: 2px; }
.st-key-ballot button { min-height: 48px; }
.st-key-ballot [data-testid="stExpander"] summary { min-height: 48px; }
.st-key-ballot_nav { flex-wrap: nowrap !important; }
/* Captions, hints and primary buttons darker than Streamlit's, which fail WCAG AA contrast: read in a bright room. */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p, [data-testid="InputInstructions"] {
    color: #555a61; opacity: 1; }
.st-key-ballot button[kind^="primary"] { background-color: #1f6391; border-color: #1f6391; color: #fff; }
.pl-qr img { width: 100%; max-width: 360px; height: auto; }
.pl-join-link { font-size: 1.15rem; word-break: break-all; }
</style>
"""


def scale_steps(scale: RatingScale) -> list[float]:
    """The levels a vote or consensus may take on this scale: every half-step from its low to its high end."""
    return half_steps(scale.low, scale.high)


def level_text(scale: RatingScale, value: float) -> str:
    """A level as people read it, in the item's own scale: "3 · Proficient", "2.5 · between Developing and …".

    Framework text is typed by people too: wrap it in `plain()` wherever Markdown renders it (captions,
    alerts, pills); a slider's value text is shown as it is.
    """
    value = float(value)
    if value.is_integer():
        return f"{int(value)} \u00b7 {scale.label(int(value), short=True)}"
    below, above = int(value - 0.5), int(value + 0.5)
    return f"{value:g} \u00b7 between {scale.label(below, short=True)} and {scale.label(above, short=True)}"


def flash(kind: str, message: str, where: str = "page") -> None:
    """Keep a message for the next run (callbacks run before the page is drawn), to show `where` it belongs."""
    st.session_state[f"{FLASH_KEY}_{where}"] = (kind, message)


def show_flash(where: str = "page") -> None:
    kind, message = st.session_state.pop(f"{FLASH_KEY}_{where}", (None, None))
    if kind == "success":
        st.success(message, icon=":material/check_circle:")
    elif kind == "error":
        st.error(message, icon=":material/error:")
    elif kind == "info":
        st.info(message)
