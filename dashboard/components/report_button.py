"""A download button for the school's report: the file is built only when the button is clicked."""

from __future__ import annotations

import re

import streamlit as st

from pl_core.services.reports import build_report

from . import data
from .context import Context


def report_file_name(school: str, round_name: str, appendices: bool = False) -> str:
    """A file name safe on every system, e.g. 'aspen-elementary-fall-2026-report.html'."""
    slug = re.sub(r"[^a-z0-9]+", "-", f"{school} {round_name}".lower()).strip("-") or "school"
    return f"{slug}-report{'-with-appendices' if appendices else ''}.html"


def report_download(ctx: Context) -> None:
    """Draw the 'Download the school report' button (and its appendices option) for the context's school and round."""
    if not ctx.school or not ctx.round:
        return
    appendices = st.checkbox(
        "Add the appendices to the report",
        key="report_appendices",
        help="Every heatmap, every level's description for every item, and any goals or comments the report "
        "had no room for. The report alone prints to at most 12 Letter pages; the appendices add about ten.",
    )
    # Streamlit runs the callable on another thread after the click, where st.* calls are ignored:
    # read everything it needs here. The build is the same service `pl-diag report` calls.
    engine, viewer, framework = data.engine(), data.current_viewer(), ctx.framework
    school, round_name = ctx.school, ctx.round

    def build() -> str:
        return build_report(engine, viewer, school=school, round=round_name, framework=framework, appendices=appendices)

    st.download_button(
        "Download the school report",
        data=build,
        file_name=report_file_name(school, round_name, appendices),
        mime="text/html",
        icon=":material/description:",
        on_click="ignore",
        key="report_download",
        help="One HTML file that opens offline in any browser and prints to PDF from there "
        "(at most 12 Letter pages without the appendices).",
    )
