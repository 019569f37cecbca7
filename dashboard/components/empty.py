"""Empty states that say what to do next."""

from __future__ import annotations

import streamlit as st

from pl_core.fixtures import sample

from . import context, data
from .text import plain


def no_schools() -> None:
    """First start: nothing imported yet. Offer the upload page and the sample district."""
    st.info(
        "**No staff responses yet.** Upload a staff self-assessment (a Google Forms or Microsoft Forms "
        "export, or our template) on the Upload page, or load the fictional sample district to look around."
    )
    left, right = st.columns(2)
    left.page_link("views/upload.py", label="Go to Upload", icon=":material/upload_file:")
    if right.button("Load the sample district", icon=":material/download:", key="empty_load_sample"):
        bar = st.progress(0.0, text="Loading the sample district\u2026")

        def progress(i: int, total: int, what: str) -> None:
            bar.progress(i / total, text=f"Importing {what} ({i} of {total})")

        loaded = sample.load_sample_district(data.engine(), progress=progress)
        data.after_write()
        bar.empty()
        st.success(f"Loaded {loaded.uploads} uploads ({loaded.answers:,} answers).")
        st.rerun()


def no_responses(school: str, round_name: str | None, framework_name: str) -> None:
    st.info(
        f"**No staff responses for {plain(school)} in {plain(round_name) if round_name else 'this round'} "
        f"on the {plain(framework_name)}.** "
        "Pick another round or framework in the sidebar, or upload this round's staff self-assessment."
    )
    st.page_link("views/upload.py", label="Go to Upload", icon=":material/upload_file:")


def school_page(title: str) -> tuple:
    """The start every school page shares: title, empty states, and the school's scores (all rounds, this round).

    Returns (ctx, scores, now); stops the page with the first-start empty state when there are no schools.
    """
    ctx = context.current()
    st.title(title)
    if not ctx.schools:
        no_schools()
        st.stop()
    st.caption(f"{plain(ctx.school)} \u00b7 {plain(ctx.round)} \u00b7 {plain(ctx.framework.name)}")
    scores = data.school_scores(ctx.framework.id, ctx.school)
    now = scores[scores["round"] == ctx.round]
    return ctx, scores, now


def stop_without_answers(ctx, now, *, unless: bool = False, need_levels: bool = False) -> None:
    """Stop with the no-responses state when nobody answered this round (and `unless` is false).

    With `need_levels`, rows that hold only missing answers ("Don't know") do not count.
    """
    hidden = "suppressed" in now and len(now) > 0 and now["suppressed"].fillna(False).astype(bool).all()
    if hidden and not unless:  # answers exist, but too few to publish: say so, never "no responses"
        st.info(
            f"**Too few staff answered for {ctx.school} in {ctx.round} to show whole-school figures** (fewer than "
            f"{data.min_group_size()}), so that no one's answers can be worked out. They appear once enough have "
            "answered."
        )
        st.stop()
    answered = now["n"].sum() if need_levels else (now["n"] + now["missing"]).sum()
    if (now.empty or answered == 0) and not unless:
        no_responses(ctx.school, ctx.round, ctx.framework.name)
        st.stop()
