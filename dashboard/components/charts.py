"""Charts on a page: the figure builders live in pl_core.present.charts (the report draws them too).

`show()` is the one way a page draws a chart: a title, the chart, the footnote for labels that are
ours, a short summary in words, and the figures as a table one click away (WCAG 1.1.1 and 1.4.1).
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from pl_core.present.chart_text import (  # noqa: F401 - re-exported for the pages
    ChartText,
    agreement_text,
    continuum_text,
    gantt_text,
    heatmap_text,
    likert_text,
    progress_text,
)
from pl_core.present.charts import (  # noqa: F401 - re-exported for the pages
    LABELLED_COLUMNS,
    PLOT_CONFIG,
    agreement_bars,
    continuum_strip,
    gantt,
    heatmap,
    likert_bars,
    progress_chart,
    vote_histogram,
)

from . import tables
from .text import plain

TABLE_LABEL = "Show the figures as a table"


def show(fig: go.Figure, text: ChartText, *, key: str, title: str, footnote: str | None = None) -> None:
    """Title, chart, footnote, summary and the figures as a table, under one key prefix."""
    st.markdown(f"**{plain(title)}**")
    st.plotly_chart(fig, config=PLOT_CONFIG, key=key)
    if footnote:
        st.caption(plain(footnote))
    st.caption(plain(text.summary))
    with st.expander(TABLE_LABEL, icon=":material/table:"):
        tables.show(text.table, formats=text.formats, key=f"{key}_table")
