"""Upload: staff self-assessments in (template, Google Forms, Microsoft Forms), checked before anything is saved."""

import pandas as pd
import streamlit as st

from dashboard.components import access, context, data, tables
from dashboard.components.text import plain
from pl_core.services import access as access_rules
from pl_core.services import imports, rounds

ctx = context.current()
fw = ctx.framework
st.title("Upload staff self-assessments")

flash = st.session_state.pop("upload_flash", None)
if flash:
    st.success(flash)
    st.page_link("views/overview.py", label="See it on the Overview", icon=":material/dashboard:")

with st.expander("1 \u00b7 Get the template (optional)", expanded=not ctx.schools):
    st.markdown(
        f"Staff answer one row each: optional `respondent`, `role`, `grade_band`, then one column per item of the "
        f"**{plain(fw.name)}**, with a level number (1\u2013{max(s.high for s in fw.scales.values())}) "
        "or a level name. "
        "Google Forms (multiple-choice grid) and Microsoft Forms exports work as they are."
    )
    cols = st.columns(2)
    cols[0].download_button(
        "Template (Excel)",
        data=lambda: imports.upload_template(fw, "xlsx"),
        file_name=f"{fw.id}-template.xlsx",
        icon=":material/download:",
        key="upload_tpl_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    cols[1].download_button(
        "Template (CSV)",
        data=lambda: imports.upload_template(fw, "csv"),
        file_name=f"{fw.id}-template.csv",
        icon=":material/download:",
        key="upload_tpl_csv",
        mime="text/csv",
    )

st.subheader("2 \u00b7 Whose answers are these?")
cols = st.columns([3, 3, 2])
school = cols[0].selectbox(
    "School",
    list(ctx.schools),
    index=list(ctx.schools).index(ctx.school) if ctx.school else None,
    accept_new_options=True,
    placeholder="Pick or type a new school",
    key="upload_school",
)
new_rounds = rounds.may_create_rounds(data.current_viewer())  # a principal adds answers to existing rounds
round_name = cols[1].selectbox(
    "Round",
    list(ctx.rounds),
    index=list(ctx.rounds).index(ctx.round) if ctx.round in ctx.rounds else None,
    accept_new_options=new_rounds,
    placeholder='Pick or type a new round, e.g. "Fall 2026"' if new_rounds else "Pick a round",
    key="upload_round",
)
st.caption(
    f"Framework: **{plain(fw.name)}** (change it in the sidebar)."
    + ("" if new_rounds else " A new round is created by your coach or district admin.")
)
try:  # a name typed here is checked now, not when Import is pressed
    school = imports.check_name("school", school) if school else school
    round_name = imports.check_name("round", round_name) if round_name else round_name
except imports.InvalidName as exc:
    problem = str(exc)
    st.error(f"{plain(problem[:1].upper() + problem[1:])}.", icon=":material/edit:")
    st.stop()


def stored_expected(school: str | None, round_name: str | None) -> int | None:
    if not school or not round_name:
        return None
    try:
        return imports.expected_staff(data.engine(), data.current_viewer(), school=school, round=round_name)
    except access_rules.AccessDenied:
        return None


known = stored_expected(school, round_name)
expected = cols[2].number_input(
    "Staff expected to answer",
    min_value=1,
    max_value=imports.MAX_STAFF,
    value=known,
    step=1,
    placeholder="e.g. 40",
    key=f"upload_expected_{school}_{round_name}",
    disabled=not school or not round_name,
    help="How many staff were asked to answer this round. The Overview and District then show the response rate "
    "(counts only, never names).",
)


def save_expected(count: int) -> None:
    try:
        imports.set_expected_staff(data.engine(), data.current_viewer(), school=school, round=round_name, count=count)
    except access_rules.AccessDenied as exc:
        access.denied(exc)
    data.after_write()


if expected is not None and expected != known and school and round_name:
    if st.button(
        f"Save: {expected:,} staff expected in {plain(school)} \u00b7 {plain(round_name)}", key="upload_save_expected"
    ):
        save_expected(int(expected))
        st.session_state["upload_flash"] = (
            f"Saved: {int(expected):,} staff expected in {plain(school)} \u00b7 {plain(round_name)}."
        )
        st.rerun()

st.subheader("3 \u00b7 Upload the file")
upload = st.file_uploader("CSV or Excel export", type=["csv", "xlsx", "tsv", "txt"], key="upload_file")
if upload is None:
    st.info(
        "Choose a file: a Google Forms CSV, a Microsoft Forms Excel export, or the filled-in template. "
        "Nothing is saved until you press Import."
    )
    st.stop()

overrides: dict = st.session_state.setdefault("upload_overrides", {})
labels: dict = st.session_state.setdefault("upload_labels", {})
if st.session_state.get("upload_name") != (upload.name, upload.size):  # a new file starts with fresh mappings
    overrides.clear()
    labels.clear()
    st.session_state["upload_name"] = (upload.name, upload.size)

raw = upload.getvalue()
with st.status(f"Checking {plain(upload.name)} ({len(raw) / 1024:,.0f} KB)\u2026", expanded=False) as status:
    parsed = imports.check_upload(
        raw,
        upload.name,
        fw,
        label_map=labels or None,
        column_overrides=overrides or None,
    )
    report = parsed.report
    status.update(
        label=f"Checked {plain(upload.name)}: {report.rows_read:,} rows, {len(report.errors)} error(s), "
        f"{len(report.warnings)} warning(s)",
        state="complete" if report.valid else "error",
    )

formats = {
    "template-wide": "our template",
    "template-long": "our template (long form)",
    "google-forms": "a Google Forms export",
    "microsoft-forms": "a Microsoft Forms export",
}
m = st.columns(5)
m[0].metric("Rows read", f"{report.rows_read:,}")
m[1].metric("Respondents", f"{report.respondents:,}")
m[2].metric("Answers", f"{report.answers:,}")
m[3].metric("Missing answers", f"{report.missing_answers:,}")
m[4].metric("Resubmissions replaced", report.superseded, help="When someone submits twice, their latest answers count.")
if report.format:
    st.caption(
        f"Read as {formats.get(report.format, report.format)}"
        + (f" \u00b7 encoding {report.encoding}" if report.encoding else "")
    )

st.subheader("4 \u00b7 Check how columns were matched")
item_names = {i.id: i.name for i in fw.items}
TARGETS = {
    "": "(as detected)",
    "ignore": "Ignore this column",
    "comments": "Free-text comments",
    "role": "Role",
    "grade_band": "Grade band",
    **{i: f"Item: {n}" for i, n in item_names.items()},
}
kinds = {"item": "item", "metadata": "about the respondent", "comments": "comments", "ignored": "ignored"}
matches = pd.DataFrame(
    [
        {
            "Column": c.header,
            "Understood as": kinds.get(c.kind, c.kind) + (f": {item_names.get(c.item, c.item)}" if c.item else ""),
            "How": c.how,
            "Map to": overrides.get(c.header, ""),
        }
        for c in report.columns
    ]
)
if not matches.empty:
    edited = st.data_editor(
        matches,
        hide_index=True,
        width="stretch",
        key=f"upload_map_{upload.name}",
        disabled=["Column", "Understood as", "How"],
        column_config={
            "Map to": st.column_config.SelectboxColumn(
                "Map to",
                options=list(TARGETS),
                format_func=lambda v: TARGETS.get(v, v),
                help="Correct a match by hand; leave blank to keep what was detected.",
            )
        },
    )
    chosen = {row["Column"]: row["Map to"] for _, row in edited.iterrows() if row["Map to"]}
    if chosen != overrides:
        overrides.clear()
        overrides.update(chosen)
        st.rerun()

unknown = sorted({e.value for e in report.errors if e.type == "unknown-label" and e.value})
if unknown:
    st.subheader("5 \u00b7 Map answer labels to levels")
    st.caption(
        "These answers are not level names of the framework. Choose the level each one means, "
        "or mark it as a missing answer."
    )
    LEVELS = {
        "": "(choose)",
        "missing": "Missing answer",
        **{str(lv.number): f"{lv.number} {lv.label}" for lv in fw.items[0].scale.levels},
    }
    label_table = pd.DataFrame({"Answer": unknown, "Level": [""] * len(unknown)})
    mapped = st.data_editor(
        label_table,
        hide_index=True,
        key=f"upload_labels_{upload.name}",
        disabled=["Answer"],
        column_config={
            "Level": st.column_config.SelectboxColumn(
                "Level", options=list(LEVELS), format_func=lambda v: LEVELS.get(v, v)
            )
        },
    )
    if st.button("Apply these label mappings", key="upload_apply_labels"):
        for _, row in mapped.iterrows():
            if row["Level"]:
                labels[row["Answer"]] = None if row["Level"] == "missing" else int(row["Level"])
        st.rerun()

st.subheader("Validation report")
issues = report.issues_frame()
if issues.empty:
    st.success("No problems found.")
else:
    tables.show(
        issues.rename(columns=str.capitalize),
        formats={"Row": "%d"},
        column_config={"Row": st.column_config.NumberColumn(help="Spreadsheet row; the header is row 1")},
        key="upload_issues",
    )

if not report.valid:
    st.error(
        f"{len(report.errors)} error(s) must be fixed before this file can be imported. Nothing has been saved. "
        "Fix them in the file and upload it again, or map columns and labels above."
    )
    st.stop()
if not school or not round_name:
    st.warning("Choose the school and round these answers belong to (step 2).")
    st.stop()

if st.button(
    f"Import {report.answers:,} answers for {plain(school)} \u00b7 {plain(round_name)}",
    type="primary",
    icon=":material/check:",
    key="upload_import",
):
    with st.spinner("Saving in one transaction\u2026"):
        try:
            result = imports.save_import(
                data.engine(), data.current_viewer(), parsed, school=school, round=round_name, framework=fw
            )
        except access_rules.AccessDenied as exc:
            access.denied(exc)
        except imports.InvalidName as exc:  # a name the file brings (a role, a comment column, the file's name)
            st.error(f"Nothing was imported: {plain(exc)}.")
            st.stop()
    if expected is not None and expected != known:  # typed beside school and round: saved with the answers
        save_expected(int(expected))
    data.after_write()
    replaced = " It replaces the earlier import of the same file." if result.replaced_batch_id else ""
    st.session_state["upload_flash"] = (
        f"Imported {result.answers:,} answers from {result.respondents:,} respondents "
        f"for {plain(school)} \u00b7 {plain(round_name)}.{replaced}"
    )
    context.request(school=school, round=round_name)
    st.rerun()
