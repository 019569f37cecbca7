"""Facilitating a workshop: open it, show the way in (code, link, QR), follow who has not voted, reveal, record
the consensus, close it. A closed workshop is shown read-only."""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

import segno
import streamlit as st
from streamlit import net_util

from pl_core.domain.workshop import REVEAL_MIN_VOTES, app_base, is_loopback_host, join_link, nearest_half_step
from pl_core.frameworks import Framework
from pl_core.services import access as auth
from pl_core.services import workshops as ws

from . import access, charts, data, theme
from .text import plain
from .workshop_common import TOUCH_CSS, flash, level_text, scale_steps, show_flash

ACTIVE_KEY = "workshop_active"
REFRESH_S = 3  # how often the facilitator's screen shows new arrivals and votes
PAGE_PATH = "workshop"
REVEALABLE_KEY = "workshop_revealable"


def show(engine, viewer: auth.Viewer, ctx) -> None:
    st.html(TOUCH_CSS)
    show_flash()
    active = st.session_state.get(ACTIVE_KEY)
    if active is None:
        open_form(engine, viewer, ctx)
        return
    try:
        workshop = ws.workshop_for(engine, viewer, active)
    except (auth.AccessDenied, ws.WorkshopError) as exc:
        st.session_state.pop(ACTIVE_KEY, None)
        access.denied(exc)
    framework = data.framework(workshop.framework_id)
    head, buttons = st.columns([4, 2], vertical_alignment="center")
    head.caption(
        f"{plain(workshop.school)} \u00b7 {plain(workshop.round)} \u00b7 {plain(framework.name)} \u00b7 "
        f"opened {workshop.opened_at:%b %d, %H:%M}"
    )
    with buttons, st.container(horizontal=True, horizontal_alignment="right"):
        if workshop.is_open:
            st.button(
                "Close workshop",
                icon=":material/lock:",
                key="workshop_close",
                on_click=_close,
                args=(engine, viewer, workshop.id),
            )
        st.button("Back to the list", key="workshop_back", on_click=st.session_state.pop, args=(ACTIVE_KEY, None))
    summary = ws.item_votes(engine, viewer, workshop.id, framework)
    st.session_state[REVEALABLE_KEY] = _revealable(summary)  # before the room panel compares with it
    if workshop.is_open:
        join_panel(workshop)
        room_panel(engine, viewer, workshop.id, framework)
    else:
        closed_at = f" on {workshop.closed_at:%b %d, %Y at %H:%M}" if workshop.closed_at else ""
        st.info(
            f"**This workshop is closed{closed_at}: it is read-only.** Its join code no longer works, votes and "
            "consensus can no longer change, and its consensus counts as the leadership rating for the round.",
            icon=":material/lock:",
        )
        people = ws.participants(engine, viewer, workshop.id)
        st.markdown("**Took part:** " + (", ".join(plain(p) for p in people) or "nobody"))
    font = theme.chart_font(ctx.presentation)
    for votes in summary:
        item_card(engine, viewer, workshop, framework.item(votes.item), votes, font)


def _close(engine, viewer, workshop_id: int) -> None:
    ws.close_workshop(engine, viewer, workshop_id)
    data.after_write()


# --- Opening, resuming, reviewing --------------------------------------------------------------------------------


def _activate(workshop_id: int) -> None:
    st.session_state[ACTIVE_KEY] = workshop_id


def open_form(engine, viewer, ctx) -> None:
    fw = ctx.framework
    if not ctx.school or not ctx.round:
        st.info("Pick a school and round in the sidebar first (or upload staff answers to create them).")
        return
    existing = ws.list_workshops(engine, viewer, school=ctx.school, round=ctx.round, framework_id=fw.id)
    for w in (w for w in existing if w.is_open):
        st.button(
            f"Resume the open workshop {w.code} (opened {w.opened_at:%b %d, %H:%M})",
            key=f"workshop_resume_{w.id}",
            icon=":material/play_arrow:",
            on_click=_activate,
            args=(w.id,),
        )
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
                _activate(w.id)
                st.rerun()
    closed = [w for w in existing if not w.is_open]
    if closed:
        st.caption(
            f"{len(closed)} earlier workshop(s) for this school and round are closed; their consensus "
            "appears on the Overview."
        )
        for w in closed[:3]:
            st.button(
                f"Review the workshop of {w.opened_at:%b %d, %Y}",
                key=f"workshop_review_{w.id}",
                on_click=_activate,
                args=(w.id,),
            )


# --- The way in: code, link, QR ----------------------------------------------------------------------------------


def network_host() -> str | None:
    """This machine's address on the network (what a phone in the room can reach), if it has one."""
    address = net_util.get_internal_ip()
    return None if is_loopback_host(address) else address


def page_url() -> str:
    """The address of this page as the facilitator's browser has it (or as its Host header says)."""
    url = st.context.url
    if url:
        return url
    host = st.context.headers.get("host", "localhost:8501")
    return f"http://{host}/{PAGE_PATH}"


def qr_data_uri(url: str) -> str:
    """An SVG QR code of `url`, made here (no service sees the link), as a data URI."""
    return segno.make(url, error="m").svg_data_uri(scale=10, border=4, dark="#000", light="#fff")


def join_panel(workshop) -> None:
    base = app_base(page_url(), PAGE_PATH)
    link = join_link(base, workshop.code, network_host=network_host())
    with st.container(border=True):
        text, qr = st.columns([3, 2], vertical_alignment="center")
        with text:
            st.html(
                '<div class="pl-muted">Join code</div>'
                f'<div class="pl-big-code" data-testid="workshop-code">{escape(workshop.code)}</div>'
            )
            st.markdown("**Scan the code with a phone camera, or open:**")
            st.html(f'<div class="pl-join-link" data-testid="workshop-join-link">{escape(link)}</div>')
            st.caption(
                "Each person joins on their own device and types their name; their ballot stays on that device "
                "(its address is their private link back). Nobody sees anyone's vote until you reveal an item."
            )
            if is_loopback_host(urlsplit(link).hostname):
                st.warning(
                    "Phones cannot open a `localhost` address: open this app by this computer's network address.",
                    icon=":material/wifi_off:",
                )
        with qr:
            st.html(
                f'<div class="pl-qr"><img src="{qr_data_uri(link)}" alt="QR code of the join link {escape(link)}"'
                ' data-testid="workshop-qr"></div>'
            )


# --- Following the room: who has not voted, reveal, consensus -----------------------------------------------------


def _reveal(engine, viewer, workshop_id: int, item_id: str, show: bool) -> None:
    try:
        ws.reveal(engine, viewer, workshop_id, item_id, show)
    except ws.WorkshopError as exc:
        flash("error", plain(exc), item_id)


def _revealable(summary) -> frozenset[str]:
    """Items whose Reveal button is live: enough votes, or already revealed (to hide them again)."""
    return frozenset(v.item for v in summary if v.revealed or v.voters >= REVEAL_MIN_VOTES)


@st.fragment(run_every=REFRESH_S)
def room_panel(engine, viewer, workshop_id: int, framework: Framework) -> None:
    """Who joined and who has not voted yet (names only, never who voted what); reruns by itself every few seconds.

    The item cards below are drawn by the whole page: a vote changes nothing there until an item gains its
    second vote (its Reveal button comes alive) or the workshop closes, and then the whole page is redrawn.
    """
    workshop = ws.workshop_for(engine, viewer, workshop_id)
    summary = ws.item_votes(engine, viewer, workshop_id, framework)
    if not workshop.is_open or _revealable(summary) != st.session_state.get(REVEALABLE_KEY):
        st.rerun(scope="app")
    waiting = ws.waiting_for(engine, viewer, workshop_id)
    people = waiting.people
    with st.container(border=True, key="workshop_room"):
        st.markdown(f"**{len(people)} joined:** " + (", ".join(plain(p) for p in people) or "nobody yet"))
        if not people:
            return
        if waiting.everyone_done:
            st.success("Everyone has voted on every item.", icon=":material/done_all:")
            return
        still = ", ".join(f"{plain(name)} ({left} left)" for name, left in waiting.overall)
        st.markdown(f":material/hourglass_top: **Not voted on everything yet:** {still}")
        lines = []
        for votes in summary:
            missing = waiting.by_item.get(votes.item, ())
            who = "everyone has voted" if not missing else "not voted yet: " + ", ".join(plain(n) for n in missing)
            lines.append(
                f"- **{plain(framework.item(votes.item).name)}** \u00b7 {votes.voters} of {len(people)} \u00b7 {who}"
            )
        st.markdown("\n".join(lines))


def item_card(engine, viewer, workshop, item, votes, font) -> None:
    with st.container(border=True, key=f"workshop_item_{item.id}"):
        head = st.columns([5, 2], vertical_alignment="center")
        # The live counts are in the room panel above; here only what stays true until the next full redraw.
        revealed = f" \u00b7 {votes.voters} votes revealed" if votes.revealed else ""
        head[0].markdown(f"**{plain(item.name)}**{revealed}")
        if workshop.is_open:
            too_few = not votes.revealed and votes.voters < REVEAL_MIN_VOTES
            head[1].button(
                "Hide votes" if votes.revealed else "Reveal votes",
                key=f"workshop_reveal_{item.id}",
                icon=":material/visibility_off:" if votes.revealed else ":material/visibility:",
                on_click=_reveal,
                args=(engine, viewer, workshop.id, item.id, not votes.revealed),
                disabled=too_few,
                help=f"Reveal needs at least {REVEAL_MIN_VOTES} votes: one vote shown is one person's."
                if too_few
                else None,
                width="stretch",
            )
        if votes.revealed and votes.voters:
            left, right = st.columns([3, 2])
            with left:
                st.plotly_chart(
                    charts.vote_histogram(list(votes.votes), item.scale, votes.consensus, font),
                    config=charts.PLOT_CONFIG,
                    key=f"workshop_hist_{item.id}",
                )
            with right:
                st.metric(
                    "Spread",
                    f"{votes.low:g} – {votes.high:g}",
                    delta=f"median {votes.median:g}",
                    delta_color="off",
                    delta_arrow="off",
                )
                if votes.needs_discussion:
                    st.warning("Votes span more than one level: discuss before agreeing.", icon=":material/forum:")
        show_flash(item.id)
        if votes.consensus is not None:
            st.markdown(f":material/handshake: **Consensus: {plain(level_text(item.scale, votes.consensus))}**")
            if votes.rationale:
                st.caption(f"Why: {plain(votes.rationale)}")
        if workshop.is_open:
            consensus_controls(engine, viewer, workshop, item, votes)
        elif votes.consensus is None:
            st.caption("No consensus was recorded." + ("" if votes.revealed else " Votes were not revealed."))


def _consensus_keys(workshop_id: int, item_id: str) -> tuple[str, str, str]:
    stem = f"consensus_{workshop_id}_{item_id}"
    return f"{stem}_level", f"{stem}_why", f"{stem}_evidence"


def _record(engine, viewer, workshop_id: int, item_id: str, item_name: str, scale) -> None:
    level_key, why_key, evidence_key = _consensus_keys(workshop_id, item_id)
    level = st.session_state[level_key]
    try:
        ws.record_consensus(
            engine,
            viewer,
            workshop_id,
            item_id,
            float(level),
            st.session_state.get(why_key, ""),
            st.session_state.get(evidence_key, ""),
        )
    except ws.WorkshopError as exc:
        flash("error", plain(exc), item_id)
        return
    data.after_write()
    flash("success", f"Recorded {plain(item_name)}: {plain(level_text(scale, level))}", item_id)


def _suggested(votes, scale) -> float:
    """Where the consensus slider starts: the recorded consensus, else the revealed median, else the scale's low end
    (never a median the room has not seen: the screen may be on a projector)."""
    start = None
    if votes.consensus is not None:
        start = votes.consensus
    elif votes.revealed:
        start = votes.median
    return nearest_half_step(start, scale.low, scale.high)


def consensus_controls(engine, viewer, workshop, item, votes) -> None:
    """This item's own slider (its own scale, its own key) and its own Record button: what is saved is what is shown.

    (Never a form with an item picker: a form's widgets cannot follow the item picked in the same form, which once
    saved the vote median instead of the level chosen, on the first item's scale.)
    """
    level_key, why_key, evidence_key = _consensus_keys(workshop.id, item.id)
    suggestion, basis_key = _suggested(votes, item.scale), f"{level_key}_suggested"
    # Follow the suggestion (e.g. once the votes are revealed) until the facilitator moves the slider.
    if level_key not in st.session_state or st.session_state[level_key] == st.session_state.get(basis_key):
        st.session_state[level_key] = suggestion
    st.session_state[basis_key] = suggestion
    st.session_state.setdefault(why_key, votes.rationale)
    st.session_state.setdefault(evidence_key, votes.evidence)
    label = "Change the consensus" if votes.consensus is not None else "Record the team's consensus"
    with st.expander(label, expanded=votes.revealed and votes.consensus is None, icon=":material/handshake:"):
        st.select_slider(
            f"Consensus level for {item.name}",
            scale_steps(item.scale),
            key=level_key,
            format_func=lambda v, s=item.scale: level_text(s, v),
        )
        st.text_area("Rationale", key=why_key, placeholder="Why the team settled here", max_chars=2000)
        st.text_area("Evidence notes", key=evidence_key, placeholder="What the team has seen", max_chars=4000)
        st.button(
            "Record consensus",
            type="primary",
            key=f"consensus_record_{item.id}",
            icon=":material/save:",
            on_click=_record,
            args=(engine, viewer, workshop.id, item.id, item.name, item.scale),
        )
