"""Our own page navigation: grouped links in the sidebar, and previous / next / a page picker in presentation mode.

Why not the menu `st.navigation` draws: with sections, Streamlit 1.67 renders each group's `<li>` items
inside a `<div>` within the `<ul>`, which fails WCAG 1.3.1 (axe `list` and `listitem`) on every page. So
`app.py` registers the pages with `st.navigation(..., position="hidden")` and this module draws the menu
from `st.page_link`, which is plain links under a text label per group: no list markup to get wrong.
Every link carries the context (framework, school, round) as query parameters, so it follows the person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from .context import Context

Sections = Mapping[str, Sequence[StreamlitPage]]


def _same(a: StreamlitPage, b: StreamlitPage) -> bool:
    return a.url_path == b.url_path


def section_label(text: str) -> None:
    st.html(f'<p class="pl-nav-section">{escape(text)}</p>')


def sidebar_menu(sections: Sections, current: StreamlitPage, params: Mapping[str, str] | None = None) -> None:
    """Grouped page links; call it inside `st.sidebar` (or a container in it)."""
    for section, pages in sections.items():
        with st.container(key=f"nav_{section.lower().replace(' ', '_')}", gap=None):
            section_label(section)
            for page in pages:
                st.page_link(page, query_params=dict(params or {}), help="", width="stretch")


def flat(sections: Sections) -> list[StreamlitPage]:
    return [page for pages in sections.values() for page in pages]


def neighbours(
    pages: Sequence[StreamlitPage], current: StreamlitPage
) -> tuple[StreamlitPage | None, StreamlitPage | None]:
    """The page before and after `current` in menu order (None at either end)."""
    index = next((i for i, p in enumerate(pages) if _same(p, current)), None)
    if index is None:
        return None, None
    before = pages[index - 1] if index > 0 else None
    after = pages[index + 1] if index + 1 < len(pages) else None
    return before, after


def presentation_bar(sections: Sections, current: StreamlitPage, ctx: Context, on_exit) -> None:
    """The sidebar is hidden while presenting: previous, a page picker, next and the way out, on the page itself."""
    pages = flat(sections)
    before, after = neighbours(pages, current)
    titles = [p.title for p in pages]
    index = next((i for i, p in enumerate(pages) if _same(p, current)), 0)
    with st.container(key="present_bar", horizontal=True, vertical_alignment="bottom", gap="small"):
        if before is not None:
            st.page_link(
                before,
                label=f"Previous: {before.title}",
                icon=":material/arrow_back:",
                query_params=ctx.params,
                help="",
            )
        # A selectbox without a key: its identity changes with the page, so it always opens on the current one.
        chosen = st.selectbox("Go to page", titles, index=index, width=260)
        if after is not None:
            st.page_link(
                after,
                label=f"Next: {after.title}",
                icon=":material/arrow_forward:",
                icon_position="right",
                query_params=ctx.params,
                help="",
            )
        st.button(
            "Exit presentation mode", icon=":material/close_fullscreen:", key="app_exit_presentation", on_click=on_exit
        )
    if chosen != titles[index]:
        st.switch_page(pages[titles.index(chosen)], query_params=ctx.params)
