"""Workshop: a leadership team rates its school together, sees the spread of its votes and records a consensus."""

from html import escape

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard.components import access, charts, context, data, theme
from dashboard.components.continuum import levels_side_by_side
from dashboard.components.text import plain
from pl_core.services import access as auth
from pl_core.services import workshops as ws

engine = data.engine()
viewer = st.session_state.get(data.VIEWER_KEY)  # None: a participant without an account (shared mode)
ctx = context.current() if viewer is not None else None
fw = ctx.framework if ctx else None
st.title("Workshop" if viewer is not None else "Join a workshop")

linked_code = st.query_params.get("code")
if viewer is None:
    mode = "join"
else:
    mode = (
        st.segmented_control(
            "I am",
            ["facilitate", "join"],
            default="join" if linked_code else "facilitate",
            key="workshop_mode",
            format_func={"facilitate": "Facilitating", "join": "Joining with a code"}.get,
        )
        or "facilitate"
    )


def client_key() -> str:
    """This browser session, for rate-limiting wrong join codes."""
    run = get_script_run_ctx()
    return run.session_id if run else "unknown"


def half_steps(scale) -> list[float]:
    values, v = [], float(scale.low)
    while v <= scale.high:
        values.append(v)
        v += 0.5
    return values


def level_text(scale, value: float) -> str:
    if float(value).is_integer():
        return f"{int(value)} \u00b7 {scale.label(int(value), short=True)}"
    return f"{value:g} \u00b7 between"


# --- participant -------------------------------------------------------------------------------------------------


def participant_view() -> None:
    joined = st.session_state.get("workshop_participant")
    if joined is None:
        with st.form("workshop_join"):
            code = st.text_input("Join code", value=linked_code or "", max_chars=12, placeholder="e.g. K7Q2MX")
            name = st.text_input("Your name (as the team knows you)", max_chars=60)
            if st.form_submit_button("Join", type="primary"):
                try:
                    participant = ws.join(engine, code, name, client=client_key())
                except ws.WorkshopError as exc:
                    st.error(plain(exc))
                else:
                    st.session_state["workshop_participant"] = participant
                    st.rerun()
        st.caption("Your facilitator shows the code on the screen. Your votes stay private until they reveal them.")
        return
    try:
        workshop = ws.participant_workshop(engine, joined)
    except ws.WorkshopError as exc:
        st.error(plain(exc))
        return
    framework = data.framework(workshop.framework_id)
    st.caption(
        f"{plain(workshop.school)} \u00b7 {plain(workshop.round)} \u00b7 {plain(framework.name)} \u00b7 "
        f"you are **{plain(joined.name)}**"
    )
    if workshop.status != "open":
        st.info("This workshop has closed. Thank you for taking part.")
        if st.button("Leave", key="workshop_leave_closed"):
            st.session_state.pop("workshop_participant")
            st.rerun()
        return
    mine = ws.my_votes(engine, joined)
    done = sum(1 for item in workshop.items if item in mine)
    st.progress(done / max(len(workshop.items), 1), text=f"You have rated {done} of {len(workshop.items)} items")
    for item_id in workshop.items:
        item = framework.item(item_id)
        with st.expander(
            plain(item.name)
            + (f" \u2014 your vote: {plain(level_text(item.scale, mine[item_id][0]))}" if item_id in mine else ""),
            expanded=item_id not in mine,
        ):
            if item.definition:
                st.caption(plain(item.definition))
            if item.described_levels:
                levels_side_by_side(item, look_fors=False)
            with st.form(f"workshop_vote_{item_id}", border=False):
                current = mine.get(item_id, (None, ""))
                options = half_steps(item.scale)
                level = st.pills(
                    "Where is our school?",
                    options,
                    default=current[0],
                    key=f"workshop_pick_{item_id}",
                    format_func=lambda v, s=item.scale: plain(level_text(s, v)),
                )
                evidence = st.text_area(
                    "Evidence (optional)",
                    value=current[1],
                    key=f"workshop_ev_{item_id}",
                    placeholder="What have you seen that puts us here?",
                    max_chars=2000,
                )
                if st.form_submit_button("Save my vote"):
                    if level is None:
                        st.warning("Pick a level first.")
                    else:
                        try:
                            ws.submit_vote(engine, joined, item_id, float(level), evidence)
                        except ws.WorkshopError as exc:
                            st.error(plain(exc))
                        else:
                            st.rerun()
    revealed = ws.revealed_votes(engine, joined, framework)
    if revealed:
        st.subheader("Revealed by the facilitator")
        for votes in revealed:
            item = framework.item(votes.item)
            st.markdown(f"**{plain(item.name)}**")
            st.plotly_chart(
                charts.vote_histogram(list(votes.votes), item.scale, votes.consensus),
                config=charts.PLOT_CONFIG,
                key=f"workshop_p_hist_{votes.item}",
            )


# --- facilitator -------------------------------------------------------------------------------------------------


def open_form() -> None:
    if not ctx.school or not ctx.round:
        st.info("Pick a school and round in the sidebar first (or upload staff answers to create them).")
        return
    existing = ws.list_workshops(engine, viewer, school=ctx.school, round=ctx.round, framework_id=fw.id)
    open_ones = [w for w in existing if w.status == "open"]
    if open_ones:
        st.markdown("**Resume a workshop that is still open**")
        for w in open_ones:
            if st.button(f"Resume {w.code} (opened {w.opened_at:%b %d, %H:%M})", key=f"workshop_resume_{w.id}"):
                st.session_state["workshop_active"] = w.id
                st.rerun()
    with st.form("workshop_open"):
        st.markdown(
            f"**Open a new workshop** for {plain(ctx.school)} \u00b7 {plain(ctx.round)} on the {plain(fw.name)}"
        )
        names = {i.id: i.name for i in fw.items}
        items = st.multiselect("Items to rate", list(names), default=list(names), format_func=names.get)
        facilitator = st.text_input("Facilitator", max_chars=60)
        if st.form_submit_button("Open workshop", type="primary"):
            if not items:
                st.warning("Choose at least one item.")
            else:
                w = ws.open_workshop(
                    engine,
                    viewer,
                    school=ctx.school,
                    round=ctx.round,
                    framework=fw,
                    items=items,
                    facilitator=facilitator or None,
                )
                st.session_state["workshop_active"] = w.id
                st.rerun()
    closed = [w for w in existing if w.status == "closed"]
    if closed:
        st.caption(
            f"{len(closed)} earlier workshop(s) for this school and round are closed; their consensus "
            "appears on the Overview."
        )
        for w in closed[:3]:
            if st.button(f"Review workshop of {w.opened_at:%b %d, %Y}", key=f"workshop_review_{w.id}"):
                st.session_state["workshop_active"] = w.id
                st.rerun()


@st.fragment(run_every=3)
def live_panel(workshop_id: int) -> None:
    """Votes as they arrive; reruns by itself every few seconds."""
    workshop = ws.workshop_for(engine, viewer, workshop_id)
    framework = data.framework(workshop.framework_id)
    people = ws.participants(engine, viewer, workshop_id)
    summary = ws.item_votes(engine, viewer, workshop_id, framework)
    st.markdown(f"**{len(people)} joined:** " + (", ".join(plain(p) for p in people) or "nobody yet"))
    font = theme.chart_font(ctx.presentation)
    for votes in summary:
        item = framework.item(votes.item)
        share = votes.voters / max(len(people), 1)
        with st.container(border=True):
            head = st.columns([4, 2, 2])
            head[0].markdown(f"**{plain(item.name)}**")
            head[1].progress(min(share, 1.0), text=f"{votes.voters} of {len(people)} voted")
            if workshop.status == "open":
                head[2].button(
                    "Hide votes" if votes.revealed else "Reveal votes",
                    key=f"workshop_reveal_{votes.item}",
                    on_click=ws.reveal,
                    args=(engine, viewer, workshop_id, votes.item, not votes.revealed),
                )
            if not votes.revealed:
                continue
            if votes.voters == 0:
                st.caption("No votes yet.")
                continue
            left, right = st.columns([3, 2])
            with left:
                st.plotly_chart(
                    charts.vote_histogram(list(votes.votes), item.scale, votes.consensus, font),
                    config=charts.PLOT_CONFIG,
                    key=f"workshop_hist_{votes.item}",
                )
            with right:
                st.metric(
                    "Spread",
                    f"{votes.low:g} \u2013 {votes.high:g}",
                    delta=f"median {votes.median:g}",
                    delta_color="off",
                    delta_arrow="off",
                )
                if votes.needs_discussion:
                    st.warning("Votes span more than one level: discuss before agreeing.", icon=":material/forum:")
                if votes.consensus is not None:
                    st.success(f"Consensus: {plain(level_text(item.scale, votes.consensus))}")
                    if votes.rationale:
                        st.caption(f"Why: {plain(votes.rationale)}")


def consensus_form(workshop, framework) -> None:
    summary = {v.item: v for v in ws.item_votes(engine, viewer, workshop.id, framework)}
    names = {i: framework.item(i).name for i in workshop.items}
    with st.form("workshop_consensus", clear_on_submit=True):
        st.markdown("**Record the team's consensus**")
        item_id = st.selectbox("Item", list(names), format_func=names.get)
        item = framework.item(item_id)
        suggested = summary[item_id].median if item_id in summary else None
        level = st.select_slider(
            "Consensus level",
            half_steps(item.scale),
            value=suggested if suggested in half_steps(item.scale) else item.scale.low,
            format_func=lambda v: level_text(item.scale, v),
        )
        rationale = st.text_area("Rationale", placeholder="Why the team settled here", max_chars=2000)
        evidence = st.text_area("Evidence notes", placeholder="What the team has seen", max_chars=4000)
        if st.form_submit_button("Record consensus", type="primary"):
            ws.record_consensus(engine, viewer, workshop.id, item_id, float(level), rationale, evidence)
            data.after_write()
            st.success(f"Recorded {plain(names[item_id])}: {plain(level_text(item.scale, level))}")


def facilitator_view() -> None:
    active = st.session_state.get("workshop_active")
    if active is None:
        open_form()
        return
    try:
        workshop = ws.workshop_for(engine, viewer, active)
    except auth.AccessDenied as exc:
        st.session_state.pop("workshop_active", None)
        access.denied(exc)
    framework = data.framework(workshop.framework_id)
    top = st.columns([3, 2])
    with top[0]:
        st.caption(f"{plain(workshop.school)} \u00b7 {plain(workshop.round)} \u00b7 {plain(framework.name)}")
        if workshop.status == "open":
            st.html(f'<div class="pl-muted">Join code</div><div class="pl-big-code">{escape(workshop.code)}</div>')
            st.caption("Participants open this app, choose Workshop \u2192 Joining with a code, and type the code.")
        else:
            st.info("This workshop is closed; its consensus ratings count as the leadership rating for the round.")
    with top[1]:
        if workshop.status == "open" and st.button("Close workshop", icon=":material/lock:", key="workshop_close"):
            ws.close_workshop(engine, viewer, workshop.id)
            data.after_write()
            st.rerun()
        if st.button("Back to the list", key="workshop_back"):
            st.session_state.pop("workshop_active")
            st.rerun()
    live_panel(workshop.id)
    consensus_form(workshop, framework)


if mode == "join":
    participant_view()
else:
    facilitator_view()
