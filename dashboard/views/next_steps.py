"""Next steps: the prioritised short list with reasons, and any item's current level, next level and steps."""

import streamlit as st

from dashboard.components import data, empty
from dashboard.components.cards import stat_cards
from dashboard.components.continuum import item_link, level_body, level_header, steps_list
from dashboard.components.text import plain
from pl_core.services.plan import next_steps_for, recommend

ctx, scores, now = empty.school_page("Next steps")
fw = ctx.framework
leadership = data.leadership(fw.id, ctx.school, ctx.round)
empty.stop_without_answers(ctx, now, unless=not leadership.empty, need_levels=True)


def start_goal(item_id: str, level: float, steps: list[str], school: str, round_name: str, framework_id: str) -> None:
    """Leave a draft for the Goals page that names its own school, round and framework."""
    st.session_state["goal_draft"] = {
        "school": school,
        "round": round_name,
        "framework": framework_id,
        "item_id": item_id,
        "baseline": level,
        "steps": steps,
    }
    st.session_state["next_go_to_goals"] = True


if st.session_state.pop("next_go_to_goals", False):  # switch pages outside the button's callback
    draft = st.session_state.get("goal_draft", {})
    st.switch_page(
        "views/goals.py",
        query_params={"framework": draft.get("framework"), "school": draft.get("school"), "round": draft.get("round")},
    )


top = st.slider(
    "How many to focus on",
    1,
    6,
    3,
    key="next_top",
    help="Fidelity-inventory action plans usually focus on one to three items.",
)
recs = recommend(fw, now, leadership, top=top)
st.subheader("Where to start")
for rec in recs:
    item = fw.item(rec.item_id)
    with st.container(border=True):
        head = st.columns([3, 2])
        head[0].markdown(f"### {rec.rank}. {plain(rec.item_name)}")
        with head[1]:
            stat_cards([{"label": "Now", "value": rec.stage_label, "sub": f"mean level {rec.level:.2f}"}])
        st.markdown(plain(rec.reason))
        plan = rec.plan
        if plan.steps:
            st.markdown(f"**{plain(plan.move_label)}** \u2014 steps from the framework:")
            st.html(steps_list(plan.steps[:4]))
            if len(plan.steps) > 4:
                st.caption(f"\u2026 and {len(plan.steps) - 4} more below under *Explore an item*.")
        else:
            st.caption("The source gives no steps for this move.")
        st.caption(f"Source: {plain(plan.source)}")
        cols = st.columns([2, 3])
        cols[0].button(
            "Make this a goal",
            key=f"next_goal_{rec.item_id}",
            icon=":material/flag:",
            on_click=start_goal,
            args=(rec.item_id, round(rec.level, 1), [s.text for s in plan.steps[:3]], ctx.school, ctx.round, fw.id),
        )
        with cols[1]:
            item_link(fw, item, label=f"Read {item.name} in the framework browser")

st.subheader("Explore an item")
names = {i.id: i.name for i in fw.items}
default = recs[0].item_id if recs else fw.items[0].id
item_id = st.selectbox("Item", list(names), index=list(names).index(default), format_func=names.get, key="next_item")
item = fw.item(item_id)
row = now.set_index("item").loc[item_id] if item_id in set(now["item"]) else None
lead = leadership.set_index("item")["level"].get(item_id) if not leadership.empty else None
level = (
    float(row["mean"]) if row is not None and row["mean"] == row["mean"] else (float(lead) if lead else item.scale.low)
)
plan = next_steps_for(fw, item_id, round(level))
current = plan.from_level if not plan.sustain else item.scale.high
cols = st.columns(2)
with cols[0]:
    st.markdown("**Where we are**")
    st.html(level_header(item, current, " (now)") + level_body(item, current))
with cols[1]:
    st.markdown("**Where we are going**")
    if plan.to_level is not None:
        st.html(level_header(item, plan.to_level, " (next)") + level_body(item, plan.to_level))
    else:
        st.success("This is the top of the continuum: the task is to sustain it.")
# Full width below the two levels, each step's whole text beside its box (theme.py stops Streamlit cutting it)
with st.container(key="next_steps_choice"):
    st.markdown(f"**{plain(plan.move_label)}**: choose the steps the team commits to")
    chosen = []
    for i, step in enumerate(plan.steps):
        if st.checkbox(plain(step.text), key=f"next_step_{item_id}_{plan.from_level}_{i}"):
            chosen.append(step.text)
        for example in step.examples:
            st.caption(f"Example: {plain(example)}")
    if not plan.steps:
        st.caption("The source gives no steps for this move.")
    st.caption(f"Source: {plain(plan.source)}")
    st.button(
        "Turn the chosen steps into a goal",
        disabled=not chosen,
        type="primary",
        key="next_make_goal",
        on_click=start_goal,
        args=(item_id, round(level, 1), chosen, ctx.school, ctx.round, fw.id),
    )
