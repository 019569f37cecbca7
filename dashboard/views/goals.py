"""Goals & timeline: create and edit goals, see them on a Gantt timeline and against their planned trajectory."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.components import charts, context, data, theme
from dashboard.components.continuum import item_link
from dashboard.components.text import plain
from pl_core.domain import goals as g
from pl_core.services import access
from pl_core.services import goals as goal_service

ctx = context.current()
fw = ctx.framework
engine = data.engine()
viewer = data.current_viewer()
st.title("Goals & timeline")

if not ctx.school:
    st.info("Pick a school in the sidebar (or upload staff answers) to set goals for it.")
    st.stop()
st.caption(f"{plain(ctx.school)} \u00b7 {plain(fw.name)}")
today = dt.date.today()


BADGE = {
    "on track": "blue",
    "ahead": "violet",
    "achieved": "green",
    "done": "green",
    "behind": "orange",
    "not yet measured": "gray",
    "paused": "gray",
}


@st.cache_data(ttl=120, max_entries=64, show_spinner=False)
def goal_progress(viewer: access.Viewer, school: str, framework_id: str, on: dt.date) -> list[g.GoalProgress]:
    return goal_service.goal_progress(engine, viewer, data.framework(framework_id), school, on)


def current_level(item_id: str, round_name: str | None) -> float:
    scores = data.school_scores(fw.id, ctx.school)
    row = scores[(scores["round"] == round_name) & (scores["item"] == item_id)]
    if len(row) and row["mean"].notna().all():
        return round(float(row["mean"].iloc[0]), 1)
    return float(fw.item(item_id).scale.low)


def current_draft() -> dict:
    """The draft "Make this a goal" left, if it belongs to this school and framework (else it is never saved here)."""
    draft = st.session_state.get("goal_draft") or {}
    if draft and (draft.get("school"), draft.get("framework")) != (ctx.school, fw.id):
        return {}
    return draft


def editor(existing: g.Goal | None) -> None:
    """The create / edit form; saving validates in pl_core and writes in one transaction."""
    draft = current_draft() if existing is None else {}
    baseline_round = existing.baseline_round if existing else draft.get("round", ctx.round)
    names = {i.id: i.name for i in fw.items}
    item_default = existing.item_id if existing else draft.get("item_id", fw.items[0].id)
    item_id = st.selectbox(
        "Item",
        list(names),
        index=list(names).index(item_default),
        format_func=names.get,
        key=f"goal_item_{existing.id if existing else 'new'}",
        disabled=existing is not None,
    )
    item = fw.item(item_id)
    scale = item.scale
    if existing:
        baseline_default = existing.baseline_level
    elif draft.get("item_id") == item_id and draft.get("baseline") is not None:
        baseline_default = draft["baseline"]
    else:
        baseline_default = current_level(item_id, baseline_round)
    steps_pool = []
    for move in item.moves:
        steps_pool += [s.text for s in move.steps if s.text not in steps_pool]
    with st.form(f"goal_form_{existing.id if existing else 'new'}"):
        st.caption(f"For {plain(ctx.school)} \u00b7 baseline round {plain(baseline_round or 'none')}")
        title = st.text_input("Goal name", value=existing.title if existing else f"Grow {item.name}", max_chars=120)
        c = st.columns(2)
        baseline = c[0].number_input(
            "Baseline level",
            float(scale.low),
            float(scale.high),
            float(baseline_default),
            step=0.1,
            format="%.1f",
            help=f"Staff mean in {plain(baseline_round)}: {current_level(item_id, baseline_round):.1f}",
        )
        target = c[1].number_input(
            "Target level",
            float(scale.low),
            float(scale.high),
            float(existing.target_level if existing else min(scale.high, baseline_default + 1)),
            step=0.5,
            format="%.1f",
        )
        c = st.columns(3)
        start = c[0].date_input("Start", existing.start_date if existing else today)
        target_date = c[1].date_input(
            "Target date", existing.target_date if existing else today.replace(year=today.year + 1)
        )
        owner = c[2].text_input("Owner", existing.owner if existing else "", max_chars=80)
        chosen = st.multiselect(
            "Action steps",
            steps_pool,
            default=[s for s in (existing.steps if existing else draft.get("steps", [])) if s in steps_pool],
            help="The framework's steps for this item; pick the ones the team commits to.",
        )
        milestones = pd.DataFrame(
            [
                {"Due": m.due, "Milestone": m.description, "Done": m.done}
                for m in (existing.milestones if existing else ())
            ],
            columns=["Due", "Milestone", "Done"],
        ).astype({"Done": bool})
        st.markdown("**Milestones**")
        ms = st.data_editor(
            milestones,
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            key=f"goal_ms_{existing.id if existing else 'new'}",
            column_config={
                "Due": st.column_config.DateColumn(required=True),
                "Milestone": st.column_config.TextColumn(required=True, max_chars=200),
            },
        )
        status = st.selectbox(
            "Status", list(g.STATUSES), index=list(g.STATUSES).index(existing.status) if existing else 0
        )
        statement = st.text_area(
            "SMART statement (leave empty to have it written from the fields)",
            value=existing.statement if existing else "",
            max_chars=2000,
        )
        if st.form_submit_button("Save goal", type="primary"):
            goal = g.Goal(
                school=ctx.school,
                framework_id=fw.id,
                item_id=item_id,
                baseline_level=float(baseline),
                target_level=float(target),
                start_date=start,
                target_date=target_date,
                owner=owner.strip(),
                title=title.strip(),
                steps=tuple(chosen),
                status=status,
                statement=statement.strip(),
                baseline_round=baseline_round,
                milestones=tuple(
                    g.Milestone(pd.Timestamp(r["Due"]).date(), str(r["Milestone"]), bool(r["Done"]))
                    for _, r in ms.dropna(subset=["Due", "Milestone"]).iterrows()
                ),
                id=existing.id if existing else None,
            )
            try:
                goal_service.save_goal(engine, viewer, goal, fw)
            except g.GoalError as exc:
                st.error(f"{plain(exc)} (field: {exc.field.replace('_', ' ')})")
            else:
                st.session_state.pop("goal_draft", None)
                st.session_state.pop("goal_editing", None)
                goal_progress.clear()
                data.after_write()
                st.rerun()


@st.dialog("Delete this goal?")
def confirm_delete(goal: g.Goal) -> None:
    title = plain(goal.title or fw.item(goal.item_id).name)
    st.write(f"**{title}** will move to *Recently deleted*, where you can restore it.")
    if st.button("Delete", type="primary", key="goal_confirm_delete"):
        goal_service.delete_goal(engine, viewer, goal.id)
        goal_progress.clear()
        st.rerun()


progresses = goal_progress(viewer, ctx.school, fw.id, today)
if current_draft() or not progresses:
    with st.expander("New goal", expanded=True):
        if not progresses and not current_draft():
            st.caption("No goals yet for this school. Start from a recommendation on *Next steps*, or set one here.")
        editor(None)
else:
    with st.expander("New goal"):
        editor(None)

if progresses:
    font = theme.chart_font(ctx.presentation)
    st.subheader("Timeline")
    rows = g.gantt_rows(progresses, fw, today)
    charts.show(
        charts.gantt(rows, today, font),
        charts.gantt_text(rows, today),
        key="goals_gantt",
        title=f"Goals of {ctx.school} from start to target date",
    )
    st.subheader("Goals")
    for p in progresses:
        goal = p.goal
        item = fw.item(goal.item_id)
        with st.container(border=True):
            head = st.columns([5, 2, 2, 1])
            head[0].markdown(f"**{plain(goal.title or item.name)}** \u00b7 {plain(item.name)}")
            with head[1]:
                st.badge(p.status, color=BADGE.get(p.status, "gray"))
            head[2].caption(
                f"{goal.start_date:%b %Y} \u2192 {goal.target_date:%b %Y} \u00b7 "
                + (plain(goal.owner) if goal.owner else "no owner")
            )
            if head[3].button("", icon=":material/delete:", key=f"goal_del_{goal.id}", help="Delete"):
                confirm_delete(goal)
            st.caption(plain(goal.statement))
            item_link(fw, item, label=f"{item.name}: the levels and the framework's steps")
            if p.overdue:
                st.warning("Overdue: " + "; ".join(f"{plain(m.description)} ({m.due:%b %d})" for m in p.overdue))
            left, right = st.columns([3, 2])
            with left:
                trajectory = g.trajectory_rows(p)
                charts.show(
                    charts.progress_chart(trajectory, item.scale, font=font),
                    charts.progress_text(trajectory, p.status),
                    key=f"goals_progress_{goal.id}",
                    title=f"{goal.title or item.name}: planned and measured level",
                    footnote=item.scale.footnote(),
                )
            with right:
                for m in goal.milestones:
                    # Material icons always render; emoji depend on the fonts of the machine showing the page
                    if m.done:
                        mark = ":green[:material/check_circle:] done"
                    elif m in p.overdue:
                        mark = ":orange[:material/warning:] overdue"
                    else:
                        mark = ":gray[:material/schedule:] upcoming"
                    st.markdown(f"{mark} \u00b7 {m.due:%b %d, %Y} \u2014 {plain(m.description)}")
                if st.button("Edit", key=f"goal_edit_{goal.id}", icon=":material/edit:"):
                    st.session_state["goal_editing"] = goal.id
            if st.session_state.get("goal_editing") == goal.id:
                editor(goal)

deleted = [
    x
    for x in goal_service.goals(engine, viewer, school=ctx.school, framework_id=fw.id, include_deleted=True)
    if x.id not in {p.goal.id for p in progresses}
]
if deleted:
    with st.expander(f"Recently deleted ({len(deleted)})"):
        for goal in deleted:
            cols = st.columns([5, 1])
            cols[0].write(plain(goal.title or fw.item(goal.item_id).name))
            if cols[1].button("Restore", key=f"goal_restore_{goal.id}"):
                goal_service.restore_goal(engine, viewer, goal.id)
                goal_progress.clear()
                st.rerun()
