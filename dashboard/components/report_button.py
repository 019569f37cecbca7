"""A download button for the school's report: the file is built only when the button is clicked."""

from __future__ import annotations

import re

import streamlit as st

from pl_core import auth
from pl_core.report import build_report

from . import data
from .context import Context


def report_file_name(school: str, round_name: str) -> str:
    """A file name safe on every system, e.g. 'aspen-elementary-fall-2026-report.html'."""
    slug = re.sub(r"[^a-z0-9]+", "-", f"{school} {round_name}".lower()).strip("-") or "school"
    return f"{slug}-report.html"


def report_download(ctx: Context) -> None:
    """Draw the 'Download the school report' button for the context's school and round."""
    if not ctx.school or not ctx.round:
        return
    auth.require_school(data.current_viewer(), ctx.school)  # the report reads the school's data directly
    # Streamlit runs the callable on another thread after the click, where st.* calls are ignored:
    # read everything it needs here.
    engine, framework, min_group = data.engine(), ctx.framework, data.min_group_size()
    school, round_name = ctx.school, ctx.round

    def build() -> str:
        return build_report(engine, school=school, round=round_name, framework=framework, min_group=min_group)

    st.download_button(
        "Download the school report",
        data=build,
        file_name=report_file_name(school, round_name),
        mime="text/html",
        icon=":material/description:",
        on_click="ignore",
        key="report_download",
        help="One HTML file with every chart, that opens offline in any browser; print it from there for a PDF.",
    )
