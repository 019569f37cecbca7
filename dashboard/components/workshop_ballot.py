"""Taking part in a workshop, on a phone: join with the code, then one item per screen, and the reveal live.

A participant holds a secret token (their ballot link, `?p=<token>`, kept in the address and in session state);
every read and write of their ballot goes through `pl_core.services.workshops` with it. Nothing here can reach a
facilitator's control or another participant's votes.
"""

from __future__ import annotations

import streamlit as st

from pl_core.domain.workshop import TOKEN_PARAM
from pl_core.frameworks import Framework
from pl_core.services import workshops as ws

from . import access, charts, data
from .continuum import levels_side_by_side
from .text import plain
from .workshop_common import TOUCH_CSS, flash, level_text, scale_steps, show_flash

TOKEN_KEY = "workshop_token"
REFRESH_S = 3  # how often a participant's screen looks for a reveal or the workshop closing


def _position_key(workshop_id: int) -> str:
    return f"ballot_pos_{workshop_id}"


def _level_key(workshop_id: int, item_id: str) -> str:
    return f"ballot_level_{workshop_id}_{item_id}"


def _evidence_key(workshop_id: int, item_id: str) -> str:
    return f"ballot_evidence_{workshop_id}_{item_id}"


def current_token() -> str | None:
    """The ballot link in the address wins (it is what this person opened); else the one this session joined with."""
    linked = st.query_params.get(TOKEN_PARAM)
    if linked:
        st.session_state[TOKEN_KEY] = linked
        return linked
    token = st.session_state.get(TOKEN_KEY)
    if token:
        st.query_params[TOKEN_PARAM] = token  # keep it in the address, so a reload returns to this ballot
    return token


def forget_token() -> None:
    st.session_state.pop(TOKEN_KEY, None)
    st.query_params.pop(TOKEN_PARAM, None)


def show(engine) -> None:
    """The participant's page: the join form, or their ballot."""
    st.html(TOUCH_CSS)
    token = current_token()
    if token is None:
        st.title("Join a workshop")
        join_form(engine)
        return
    try:
        workshop = ws.participant_workshop(engine, token)
        me = ws.participant(engine, token)
    except ws.WorkshopError as exc:
        forget_token()
        st.title("Join a workshop")
        st.error(plain(exc), icon=":material/link_off:")
        join_form(engine)
        return
    framework = data.framework(workshop.framework_id)
    st.title("Workshop ballot")
    st.caption(
        f"{plain(workshop.school)} \u00b7 {plain(workshop.round)} \u00b7 {plain(framework.short_name)} \u00b7 "
        f"you are **{plain(me.name)}**"
    )
    show_flash()
    with st.container(key="ballot"):
        if not workshop.is_open:
            st.info("This workshop has closed. Thank you for taking part.", icon=":material/lock:")
            closed_results(engine, token, framework)
            return
        ballot(engine, token, workshop, framework)


def join_form(engine) -> None:
    linked = st.query_params.get("code", "")
    with st.container(key="ballot"), st.form("workshop_join", border=False):
        code = st.text_input("Join code", value=linked, max_chars=12, placeholder="e.g. K7Q2MX")
        name = st.text_input("Your name (as the team knows you)", max_chars=60)
        joined = st.form_submit_button("Join", type="primary", width="stretch")
    st.caption("Your facilitator shows the code on the screen. Your votes stay private until they reveal them.")
    if not joined:
        return
    try:
        who = ws.join(engine, code, name, **access.join_client())
    except ws.WorkshopError as exc:
        st.error(plain(exc))
        return
    st.session_state[TOKEN_KEY] = who.token
    st.query_params.clear()
    st.query_params[TOKEN_PARAM] = who.token
    st.rerun()


def _save(engine, token: str, workshop_id: int, item_id: str) -> None:
    """Store this item's vote as the screen shows it (a level is needed; evidence travels with it)."""
    level = st.session_state.get(_level_key(workshop_id, item_id))
    if level is None:
        return
    evidence = st.session_state.get(_evidence_key(workshop_id, item_id), "")
    try:
        ws.submit_vote(engine, token, item_id, float(level), evidence)
    except ws.WorkshopError as exc:
        flash("error", plain(exc))


def _go(workshop_id: int, position: int) -> None:
    st.session_state[_position_key(workshop_id)] = position


def ballot(engine, token: str, workshop, framework: Framework) -> None:
    mine = ws.my_votes(engine, token)
    revealed = {v.item: v for v in ws.revealed_votes(engine, token, framework)}
    items = list(workshop.items)
    total = len(items)
    key = _position_key(workshop.id)
    if key not in st.session_state:  # first screen: the first item not rated yet
        st.session_state[key] = next((i for i, item_id in enumerate(items) if item_id not in mine), 0)
    position = min(max(int(st.session_state[key]), 0), total)
    st.session_state["ballot_seen"] = (workshop.id, frozenset(revealed))
    done = sum(1 for item_id in items if item_id in mine)
    if position == total:
        review(engine, token, workshop, framework, mine, done)
    else:
        item_screen(engine, token, workshop, framework, items[position], position, mine, revealed, done)


def item_screen(engine, token, workshop, framework, item_id, position, mine, revealed, done) -> None:
    total = len(workshop.items)
    item = framework.item(item_id)
    st.progress((position + 1) / total, text=f"**{position + 1} of {total}** \u00b7 you have rated {done}")
    st.subheader(item.name)
    if item.definition:
        st.caption(plain(item.definition))
    live_updates(engine, token, workshop.id, framework, item_id)  # the reveal, as soon as it happens
    if item.described_levels:
        with st.expander("Read the levels", icon=":material/menu_book:"):
            levels_side_by_side(item, look_fors=False)
    options = scale_steps(item.scale)
    level_key, evidence_key = _level_key(workshop.id, item_id), _evidence_key(workshop.id, item_id)
    vote, evidence = mine.get(item_id, (None, ""))
    locked = item_id in revealed
    # The stored vote is the truth: show it whenever the screen is drawn afresh (also after Back/Next).
    if st.session_state.get(level_key) != vote and vote is not None:
        st.session_state[level_key] = vote
    if evidence_key not in st.session_state:
        st.session_state[evidence_key] = evidence
    st.radio(
        "Where is our school?",
        options,
        index=None,
        key=level_key,
        format_func=lambda v, s=item.scale: plain(level_text(s, v)),
        on_change=_save,
        args=(engine, token, workshop.id, item_id),
        disabled=locked,
        width="stretch",
    )
    st.text_area(
        "Evidence (optional)",
        key=evidence_key,
        placeholder="What have you seen that puts us here?",
        max_chars=2000,
        on_change=_save,
        args=(engine, token, workshop.id, item_id),
        disabled=locked,
    )
    if locked:
        st.caption("The facilitator has revealed this item's votes, so they can no longer change.")
    elif vote is not None:
        st.caption(f":material/check: Saved: {plain(level_text(item.scale, vote))}")
    else:
        st.caption("Choose a level: it is saved as soon as you choose.")
    with st.container(horizontal=True, key="ballot_nav"):
        st.button(
            "Back",
            icon=":material/arrow_back:",
            key="ballot_back",
            width="stretch",
            disabled=position == 0,
            on_click=_go,
            args=(workshop.id, position - 1),
        )
        last = position == total - 1
        st.button(
            "Review" if last else "Next",
            icon=":material/checklist:" if last else ":material/arrow_forward:",
            icon_position="right",
            key="ballot_next",
            type="primary",
            width="stretch",
            on_click=_go,
            args=(workshop.id, position + 1),
        )


def review(engine, token: str, workshop, framework: Framework, mine, done: int) -> None:
    total = len(workshop.items)
    st.progress(done / total, text=f"**You have rated {done} of {total}**")
    st.subheader("Your ballot")
    live_updates(engine, token, workshop.id, framework, None)
    st.caption("Only you see your votes until the facilitator reveals an item; then the team sees all votes, unnamed.")
    for position, item_id in enumerate(workshop.items):
        item = framework.item(item_id)
        vote = mine.get(item_id)
        label = f"{plain(item.name)}: {plain(level_text(item.scale, vote[0])) if vote else 'not rated yet'}"
        st.button(
            label,
            key=f"ballot_goto_{item_id}",
            icon=":material/check_circle:" if vote else ":material/radio_button_unchecked:",
            width="stretch",
            on_click=_go,
            args=(workshop.id, position),
        )


@st.fragment(run_every=REFRESH_S)
def live_updates(engine, token: str, workshop_id: int, framework: Framework, item_id: str | None) -> None:
    """The reveal as it happens, without a reload: the current item's votes, and a way to the others revealed."""
    try:
        workshop = ws.participant_workshop(engine, token)
        revealed = {v.item: v for v in ws.revealed_votes(engine, token, framework)}
    except ws.WorkshopError:
        st.rerun(scope="app")
        return
    if not workshop.is_open or st.session_state.get("ballot_seen") != (workshop_id, frozenset(revealed)):
        st.rerun(scope="app")  # closed, or a reveal changed what this screen may do: draw it afresh
    if item_id in revealed:
        votes = revealed[item_id]
        item = framework.item(item_id)
        st.markdown(f"**The team's votes on {plain(item.name)}**")
        st.plotly_chart(
            charts.vote_histogram(list(votes.votes), item.scale, votes.consensus),
            config=dict(charts.PLOT_CONFIG, displayModeBar=False),
            key=f"ballot_reveal_{item_id}",
        )
        if votes.consensus is not None:
            st.success(f"Team consensus: {plain(level_text(item.scale, votes.consensus))}", icon=":material/handshake:")
    others = [i for i in workshop.items if i in revealed and i != item_id]
    if others:
        names = ", ".join(framework.item(i).name for i in others)
        st.caption(f"Revealed so far: {plain(names)}. Your ballot's last screen lists every item.")


def closed_results(engine, token: str, framework: Framework) -> None:
    for votes in ws.revealed_votes(engine, token, framework):
        item = framework.item(votes.item)
        st.markdown(f"**{plain(item.name)}**")
        if votes.consensus is not None:
            st.caption(f"Team consensus: {plain(level_text(item.scale, votes.consensus))}")
        st.plotly_chart(
            charts.vote_histogram(list(votes.votes), item.scale, votes.consensus),
            config=dict(charts.PLOT_CONFIG, displayModeBar=False),
            key=f"ballot_closed_{votes.item}",
        )
