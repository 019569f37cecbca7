"""Headline cards that wrap long text (st.metric truncates item names such as "Relationships")."""

from __future__ import annotations

from html import escape

import streamlit as st

CSS = """
<style>
.pl-cardrow { display: grid; grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr)); gap: 0.8rem;
              margin: 0.3rem 0 1rem; }
.pl-stat { border: 1px solid rgba(49,51,63,0.15); border-radius: 10px; padding: 0.7rem 0.9rem; background: #fafcfe; }
.pl-stat .lbl { color: #4b5563; font-size: 0.9rem; }
.pl-stat .val { font-size: 1.9rem; font-weight: 700; line-height: 1.15; margin: 0.15rem 0;
                 overflow-wrap: normal; word-break: normal; }
.pl-stat .val.text { font-size: 1.35rem; }
.pl-stat .sub { font-size: 0.9rem; color: #4b5563; overflow-wrap: anywhere; }
.pl-stat .sub.up { color: #1a7f37; } .pl-stat .sub.down { color: #b42318; }
</style>
"""


def stat_cards(cards: list[dict]) -> None:
    """Each card: label, value, optional sub (small line) and trend ('up', 'down' or None)."""
    parts = []
    for card in cards:
        value = str(card["value"])
        kind = "text" if len(value) > 6 else ""
        trend = card.get("trend") or ""
        sub = f'<div class="sub {trend}">{escape(str(card["sub"]))}</div>' if card.get("sub") else ""
        parts.append(
            f'<div class="pl-stat"><div class="lbl">{escape(card["label"])}</div>'
            f'<div class="val {kind}">{escape(value)}</div>{sub}</div>'
        )
    st.html(CSS + '<div class="pl-cardrow">' + "".join(parts) + "</div>")


def response_rate_card(summary) -> dict:
    """'Response rate · 34 of 40 (85%)': counts only, never names; blank when the count is hidden or not entered."""
    if summary.expected_staff is None:
        return {"label": "Response rate", "value": "\u2013", "sub": "expected staff not entered (Upload page)"}
    if summary.respondents is None or summary.response_rate is None:
        return {"label": "Response rate", "value": "\u2013", "sub": f"of {summary.expected_staff} expected; hidden"}
    return {
        "label": "Response rate",
        "value": f"{summary.respondents} of {summary.expected_staff} ({summary.response_rate:.0%})",
        "sub": "of the staff expected to answer",
    }


def trend(delta: float | None, tolerance: float = 0.005) -> str | None:
    if delta is None or abs(delta) < tolerance:
        return None
    return "up" if delta > 0 else "down"
