"""PL Diagnostics: the Streamlit entry point. It frames every page and registers them in groups."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run dashboard/app.py` from a checkout
    sys.path.insert(0, str(ROOT))

from dashboard.components import context, theme  # noqa: E402

st.set_page_config(page_title="PL Diagnostics", page_icon=":material/insights:", layout="wide")

VIEWS = Path(__file__).parent / "views"
PAGES = {
    "Where we stand": [
        st.Page(VIEWS / "overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page(VIEWS / "distribution.py", title="Distribution", icon=":material/stacked_bar_chart:"),
        st.Page(VIEWS / "heatmap.py", title="Heatmap", icon=":material/grid_on:"),
    ],
    "Plan": [
        st.Page(VIEWS / "workshop.py", title="Workshop", icon=":material/groups:"),
        st.Page(VIEWS / "next_steps.py", title="Next steps", icon=":material/trending_up:"),
        st.Page(VIEWS / "goals.py", title="Goals & timeline", icon=":material/flag:"),
    ],
    "Data": [
        st.Page(VIEWS / "upload.py", title="Upload", icon=":material/upload_file:"),
    ],
    "Reference": [
        st.Page(VIEWS / "framework_browser.py", title="Framework browser", icon=":material/menu_book:"),
    ],
}

page = st.navigation(PAGES)
ctx = context.sidebar()
theme.apply(ctx.presentation)
if ctx.presentation:  # the sidebar is hidden, so offer the way back on the page itself
    st.button(
        "Exit presentation mode",
        icon=":material/close_fullscreen:",
        key="app_exit_presentation",
        on_click=context.end_presentation,
    )
page.run()
