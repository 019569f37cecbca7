"""Manage imports: what was imported, by whom and when; undo an import, delete a round, rename or merge a school."""

import streamlit as st

from dashboard.components import context, data, empty
from dashboard.components.text import plain
from pl_core.services import access as rules
from pl_core.services import imports, manage

ctx = context.current()
fw = ctx.framework
engine = data.engine()
viewer = data.current_viewer()
st.title("Manage imports")

if not ctx.schools:
    empty.no_schools()
    st.stop()

flash = st.session_state.pop("manage_flash", None)
if flash:
    st.success(flash)  # built below from plain() text


def done(message: str) -> None:
    data.after_write()
    st.session_state["manage_flash"] = message
    st.rerun()


history = imports.import_history(engine, viewer)
st.subheader("What was imported")
if history.empty:
    st.info("Nothing has been imported yet. Upload a staff self-assessment on the Upload page.")
else:
    shown = history.rename(
        columns={
            "batch_id": "Import",
            "status": "Status",
            "imported_at": "When",
            "imported_by": "By",
            "school": "School",
            "round": "Round",
            "framework": "Framework",
            "file_name": "File",
            "respondents": "Respondents",
        }
    )[["Import", "Status", "When", "By", "School", "Round", "Framework", "File", "Respondents"]]
    st.dataframe(shown, hide_index=True, width="stretch", height=min(len(shown), 10) * 35 + 38)
    st.caption(
        "Only active imports count. A re-import of the same file replaces the earlier one (kept as replaced), "
        "so undoing it brings the earlier one back."
    )

    active = history[history["status"] == "active"]
    with st.form("manage_undo"):
        st.markdown("**Undo an import**")
        options = active["batch_id"].tolist()
        labels = {
            row.batch_id: plain(f"#{row.batch_id} \u00b7 {row.school} \u00b7 {row.round} \u00b7 {row.file_name}")
            for row in active.itertuples()
        }
        batch = st.selectbox("Import", options, format_func=labels.get, index=None, placeholder="Choose an import")
        if st.form_submit_button("Undo this import", disabled=not options):
            if batch is None:
                st.warning("Choose the import to undo.")
            else:
                try:
                    restored = manage.undo_import(engine, viewer, int(batch))
                except (manage.ManageError, rules.AccessDenied) as exc:
                    st.error(plain(exc))
                else:
                    done(f"Undid import #{batch}." + (f" Import #{restored} counts again." if restored else ""))

with st.form("manage_delete_round"):
    st.markdown(f"**Delete a school's round** on the {plain(fw.name)}")
    cols = st.columns(2)
    school = cols[0].selectbox(
        "School", list(ctx.schools), index=list(ctx.schools).index(ctx.school), format_func=plain
    )
    round_name = cols[1].selectbox(
        "Round",
        list(ctx.rounds),
        index=list(ctx.rounds).index(ctx.round) if ctx.round in ctx.rounds else 0,
        format_func=plain,
    )
    sure = st.checkbox("Yes, stop counting these answers (they stay in the history above)")
    if st.form_submit_button("Delete the round"):
        if not sure:
            st.warning("Tick the box to confirm.")
        else:
            try:
                n = manage.delete_round(engine, viewer, school=school, round=round_name, framework=fw)
            except (manage.ManageError, rules.AccessDenied) as exc:
                st.error(plain(exc))
            else:
                done(f"Deleted {plain(school)} \u00b7 {plain(round_name)}: {n} import(s) no longer count.")

with st.form("manage_rename"):
    st.markdown("**Rename a school** (a mistyped name)")
    cols = st.columns(2)
    old = cols[0].selectbox("School", list(ctx.schools), key="manage_rename_old", format_func=plain)
    new = cols[1].text_input("New name", max_chars=200)
    if st.form_submit_button("Rename"):
        try:
            manage.rename_school(engine, viewer, old, new)
        except (manage.ManageError, manage.InvalidName, rules.AccessDenied) as exc:
            st.error(plain(exc))
        else:
            context.request(school=" ".join(new.split()))
            done(f"Renamed {plain(old)} to {plain(' '.join(new.split()))}.")

if viewer.role in (rules.COACH, rules.DISTRICT_ADMIN, rules.LOCAL_ROLE):
    with st.form("manage_merge"):
        st.markdown("**Merge two schools** (the same school under two names)")
        cols = st.columns(2)
        source = cols[0].selectbox(
            "Move everything of", list(ctx.schools), key="manage_merge_source", format_func=plain
        )
        target = cols[1].selectbox("Into", list(ctx.schools), key="manage_merge_target", format_func=plain)
        sure = st.checkbox("Yes, merge them: the first school disappears")
        if st.form_submit_button("Merge"):
            if not sure:
                st.warning("Tick the box to confirm.")
            else:
                try:
                    rounds = manage.merge_schools(engine, viewer, source, target)
                except (manage.ManageError, manage.MisplacedAnswers, rules.AccessDenied) as exc:
                    st.error(plain(exc))
                else:
                    context.request(school=target)
                    done(f"Merged {plain(source)} into {plain(target)} ({rounds} round(s) decided again).")

trail = manage.audit_trail(engine, viewer)
if len(trail):
    with st.expander(f"Changes to imported data ({len(trail)})"):
        st.dataframe(
            trail[["at", "actor", "action", "school", "round", "framework"]].rename(columns=str.capitalize),
            hide_index=True,
            width="stretch",
        )
