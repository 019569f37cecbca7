"""PL Diagnostics: the Streamlit entry point. It frames every page and registers them in groups."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run dashboard/app.py` from a checkout
    sys.path.insert(0, str(ROOT))

from dashboard.components import access, context, data, navigation, storage, theme  # noqa: E402
from pl_core.services import access as access_rules  # noqa: E402

st.set_page_config(page_title="PL Diagnostics", page_icon=":material/insights:", layout="wide")

VIEWS = Path(__file__).parent / "views"
WORKSHOP = st.Page(VIEWS / "workshop.py", title="Workshop", icon=":material/groups:")
PAGES = {
    "Where we stand": [
        st.Page(VIEWS / "overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page(VIEWS / "distribution.py", title="Distribution", icon=":material/stacked_bar_chart:"),
        st.Page(VIEWS / "heatmap.py", title="Heatmap", icon=":material/grid_on:"),
        st.Page(VIEWS / "district.py", title="District", icon=":material/domain:"),
    ],
    "Plan": [
        WORKSHOP,
        st.Page(VIEWS / "next_steps.py", title="Next steps", icon=":material/trending_up:"),
        st.Page(VIEWS / "goals.py", title="Goals & timeline", icon=":material/flag:"),
    ],
    "Data": [
        st.Page(VIEWS / "upload.py", title="Upload", icon=":material/upload_file:"),
        st.Page(VIEWS / "manage.py", title="Manage imports", icon=":material/history:"),
        st.Page(VIEWS / "export.py", title="Export", icon=":material/download:"),
    ],
    "Reference": [
        st.Page(VIEWS / "framework_browser.py", title="Framework browser", icon=":material/menu_book:"),
    ],
}
ADMIN = st.Page(VIEWS / "admin.py", title="Users & access", icon=":material/admin_panel_settings:")
JOIN = st.Page(VIEWS / "workshop.py", title="Join a workshop", icon=":material/groups:", url_path="join")

storage.require_database()
data.refresh_if_changed()  # another replica (or pl-diag) may have written since this process cached its reads
viewer = access.viewer()
access.participant_gate(viewer, VIEWS / "workshop.py")  # join links, and other machines in local mode: only Join
st.session_state[data.VIEWER_KEY] = viewer
if viewer is None:
    # Shared mode and nobody (or an unknown account) signed in: no data at all, only the way in.
    gate = access.sign_in_screen if not access.signed_in() else access.no_access_screen
    way_in = {"PL Diagnostics": [st.Page(gate, title="Sign in", icon=":material/login:", default=True), JOIN]}
    page = st.navigation(navigation.flat(way_in), position="hidden")
    theme.apply(False)
    with st.sidebar:
        navigation.sidebar_menu(way_in, page)
    page.run()
    st.stop()

pages = dict(PAGES)
if access_rules.can_manage_users(viewer):
    pages["Admin"] = [ADMIN]
# Hidden: Streamlit's own menu fails WCAG list rules (see components/navigation.py); we draw ours from page links.
page = st.navigation(navigation.flat(pages), position="hidden")
with st.sidebar:
    menu = st.container()  # filled once the context is known, so every link carries it; drawn above the pickers
ctx = context.sidebar()
access.sidebar_account(viewer)
with menu:
    navigation.sidebar_menu(pages, page, ctx.params)
theme.apply(ctx.presentation)
if ctx.presentation:  # the sidebar is hidden, so the way between pages and the way back are on the page itself
    navigation.presentation_bar(pages, page, ctx, on_exit=context.end_presentation)
with storage.explained():
    page.run()
