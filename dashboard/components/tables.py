"""Tables: an interactive grid on a laptop, a large plain table in presentation mode.

In presentation mode `st.dataframe` keeps its small text and cuts long columns ("La…"), which a room
cannot read; there every table is an HTML table (`st.table`) in text of at least 20 px that wraps.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from .context import KEY_PRESENT


def presenting() -> bool:
    return bool(st.session_state.get(KEY_PRESENT, False))


def _cell(value, fmt: str | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if fmt:
        try:
            return fmt % value
        except TypeError:
            return str(value)
    return str(value)


def as_text(frame: pd.DataFrame, formats: dict[str, str] | None = None) -> pd.DataFrame:
    """Every cell as the text people read: numbers formatted, blanks for missing figures."""
    formats = formats or {}
    return pd.DataFrame({c: [_cell(v, formats.get(c)) for v in frame[c]] for c in frame.columns})


def show(
    frame: pd.DataFrame,
    *,
    formats: dict[str, str] | None = None,
    key: str | None = None,
    height: int | str = "auto",
    column_config: dict | None = None,
    links: dict[str, str] | None = None,
) -> None:
    """One table, as the mode needs it.

    `formats`: column -> printf format ("%.2f"), used in both modes; `links`: column of page addresses ->
    the text each link shows.
    """
    formats = formats or {}
    links = links or {}
    if presenting():
        shown = as_text(frame, formats)
        for column, label in links.items():
            shown[column] = [f"[{label}]({url})" if url else "" for url in shown[column]]
        st.table(shown, hide_index=True)
        return
    config = {c: st.column_config.NumberColumn(format=f) for c, f in formats.items() if c in frame.columns}
    config |= {c: st.column_config.LinkColumn(display_text=label) for c, label in links.items()}
    config |= column_config or {}
    st.dataframe(frame, hide_index=True, width="stretch", height=height, key=key, column_config=config)
