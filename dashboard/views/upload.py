"""Upload: staff self-assessments in (template, Google Forms or Sheets, Microsoft Forms, Qualtrics, SurveyMonkey),
checked before anything is saved; what the file cannot settle is asked, and a school's mappings are kept."""

import hashlib

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
        "Exports from Google Forms (or its response sheet), Microsoft Forms, Qualtrics and SurveyMonkey "
        "work as they are."
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
        "Choose a file: a Google Forms CSV or response sheet, a Microsoft Forms Excel export, a Qualtrics or "
        "SurveyMonkey CSV, or the filled-in template. "
        "Nothing is saved until you press Import."
    )
    st.stop()

# What the person settled for this file: column matches, answer labels per scale, and the file's questions
# (date order, question block, sheet). A new file, school or framework starts again from the school's saved
# mapping, so a school's second upload of the same form needs no mapping at all.
mapping_key = (upload.name, upload.size, school, fw.id)
if st.session_state.get("upload_mapping_key") != mapping_key:
    st.session_state["upload_mapping_key"] = mapping_key
    st.session_state["upload_overrides"] = {}
    st.session_state["upload_scale_labels"] = {}
    st.session_state["upload_choices"] = {}
    st.session_state["upload_saved_note"] = None
    kept = None
    if school:
        try:
            kept = imports.saved_mapping(data.engine(), data.current_viewer(), school=school, framework_id=fw.id)
        except access_rules.AccessDenied:
            kept = None
    if kept is not None and (kept.columns or kept.labels):
        st.session_state["upload_overrides"] = dict(kept.columns)
        st.session_state["upload_scale_labels"] = {
            scale: dict(labels) for scale, labels in kept.labels.items() if scale in fw.scales
        }
        st.session_state["upload_saved_note"] = (kept.saved_by, kept.saved_at)
overrides: dict = st.session_state["upload_overrides"]
scale_labels: dict = st.session_state["upload_scale_labels"]
choices: dict = st.session_state["upload_choices"]

raw = upload.getvalue()
with st.status(f"Checking {plain(upload.name)} ({len(raw) / 1024:,.0f} KB)\u2026", expanded=False) as status:
    parsed = imports.check_upload(
        raw,
        upload.name,
        fw,
        column_overrides=overrides or None,
        scale_labels=scale_labels or None,
        **choices,
    )
    report = parsed.report
    status.update(
        label=f"Checked {plain(upload.name)}: {report.rows_read:,} rows, {len(report.errors)} error(s), "
        f"{len(report.warnings)} warning(s)",
        state="complete" if report.valid else "error",
    )

read_as = [f"Read as {plain(report.source_label or report.format or 'an unknown format')}"]
if report.sheet:
    read_as.append(f"sheet \u201c{plain(report.sheet)}\u201d")
if report.date_order:
    read_as.append(f"dates {report.date_order}")
if report.encoding:
    read_as.append(f"encoding {report.encoding}")
st.caption(" \u00b7 ".join(read_as))
note = st.session_state.get("upload_saved_note")
if note:
    by, at = note
    cols = st.columns([5, 1])
    cols[0].info(
        f"Applied the mappings saved with this school's last upload"
        f"{' by ' + plain(by) if by else ''} on {at:%d %b %Y}. Check them below.",
        icon=":material/bookmark:",
    )
    if cols[1].button("Start afresh", key="upload_forget_saved", help="Read the file without the saved mappings"):
        overrides.clear()
        scale_labels.clear()
        st.session_state["upload_saved_note"] = None
        st.rerun()

m = st.columns(5)
m[0].metric("Rows read", f"{report.rows_read:,}")
m[1].metric("Respondents", f"{report.respondents:,}")
m[2].metric("Answers", f"{report.answers:,}")
m[3].metric("Missing answers", f"{report.missing_answers:,}")
m[4].metric("Resubmissions replaced", report.superseded, help="When someone submits twice, their latest answers count.")

# -- questions only the person can answer -------------------------------------------------------------------
CHOICE_TITLES = {
    "dayfirst": "Which way are the dates written?",
    "block": "Which block of questions is the self-assessment?",
    "sheet": "Which sheet holds the responses?",
}
for issue in report.choices:
    with st.container(border=True):
        st.markdown(f"**{CHOICE_TITLES.get(issue.choice, 'Choose')}**")
        st.write(plain(issue.message))
        values = [o.value for o in issue.options]
        labels_of = {i: plain(o.label) for i, o in enumerate(issue.options)}
        picked = st.radio(
            CHOICE_TITLES.get(issue.choice, "Choose"),
            list(labels_of),
            format_func=labels_of.get,
            index=None,
            key=f"upload_choice_{issue.choice}",
            label_visibility="collapsed",
        )
        if picked is not None and st.button("Use this", key=f"upload_choice_apply_{issue.choice}", type="primary"):
            choices[issue.choice] = values[picked]
            st.rerun()
if len(report.sheets) > 1 and not any(i.choice == "sheet" for i in report.choices):
    current = report.sheet if report.sheet in report.sheets else report.sheets[0]
    sheet = st.selectbox(
        "Sheet",
        list(report.sheets),
        index=list(report.sheets).index(current),
        key=f"upload_sheet_{upload.name}",
        help="The workbook has several sheets; the one that looks like the responses was read.",
    )
    if sheet != current:
        choices["sheet"] = sheet
        st.rerun()
chosen_now = {k: v for k, v in choices.items() if k != "sheet" or len(report.sheets) > 1}
if chosen_now:
    said = {"dayfirst": lambda v: "dates day-first" if v else "dates month-first", "block": lambda v: f"block {v}"}
    shown = [said.get(k, lambda v: f"sheet \u201c{plain(v)}\u201d")(v) for k, v in chosen_now.items()]
    cols = st.columns([5, 1])
    cols[0].caption("You chose: " + ", ".join(shown))
    if cols[1].button("Ask again", key="upload_choices_reset"):
        choices.clear()
        st.rerun()

st.subheader("4 \u00b7 Check how columns were matched")
item_names = {i.id: i.name for i in fw.items}
AS_DETECTED = "as-detected"
TARGETS = {
    AS_DETECTED: "(as detected)",
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
            "Map to": overrides.get(c.header, AS_DETECTED),
        }
        for c in report.columns
    ]
)
if not matches.empty:
    edited = st.data_editor(
        matches,
        hide_index=True,
        width="stretch",
        key=f"upload_map_{upload.name}_{len(overrides)}",
        disabled=["Column", "Understood as", "How"],
        column_config={
            "Map to": st.column_config.SelectboxColumn(
                "Map to",
                options=list(TARGETS),
                format_func=lambda v: TARGETS.get(v, v),
                required=True,  # the cell always holds a choice; "(as detected)" keeps the match
                help="Correct a match by hand; leave (as detected) to keep what was detected.",
            )
        },
    )
    chosen = {
        row["Column"]: row["Map to"] for _, row in edited.iterrows() if row["Map to"] not in (AS_DETECTED, None, "")
    }
    headers = set(matches["Column"])
    if chosen != {h: t for h, t in overrides.items() if h in headers}:
        for header in headers:
            overrides.pop(header, None)
        overrides.update(chosen)
        st.rerun()

# -- answers that are not levels, mapped on their own item's scale ------------------------------------------
to_map: dict[str, list] = {}
for entry in report.labels_to_map:
    to_map.setdefault(entry.scale, []).append(entry)
if to_map:
    st.subheader("5 \u00b7 Map answers to levels")
    st.caption(
        "These answers are not levels of the framework. Choose the level each one means, or count it as a "
        "missing answer. Items on different scales are mapped separately."
    )
    MISSING = "missing"
    picked: dict[tuple[str, str], str] = {}
    with st.form("upload_labels", border=True):
        for scale_id, entries in to_map.items():
            scale = fw.scales[scale_id]
            options = ["", MISSING, *(str(lv.number) for lv in scale.levels)]
            names = {"": "(choose)", MISSING: "Missing answer"} | {
                str(lv.number): f"{lv.number} \u00b7 {plain(lv.label)}" for lv in scale.levels
            }
            st.markdown(f"**{plain(scale.name)}** \u00b7 levels\u00a0{scale.low}\u00a0to\u00a0{scale.high}")
            for entry in entries:
                where = ", ".join(plain(c) for c in entry.columns[:3]) + (
                    f" and {len(entry.columns) - 3} more" if len(entry.columns) > 3 else ""
                )
                # keyed by the answer itself, so a choice never moves to another answer when the list shrinks
                digest = hashlib.sha1(entry.value.encode("utf-8")).hexdigest()[:12]
                picked[(scale_id, entry.value)] = st.selectbox(
                    f"\u201c{plain(entry.value)}\u201d \u00b7 {entry.cells:,} answer{'s' if entry.cells != 1 else ''}"
                    f" in {where}",
                    options,
                    format_func=names.get,
                    key=f"upload_label_{scale_id}_{digest}",
                )
        if st.form_submit_button("Apply these levels", type="primary"):
            for (scale_id, value), choice in picked.items():
                if choice:
                    scale_labels.setdefault(scale_id, {})[value] = None if choice == MISSING else int(choice)
            st.rerun()
mapped_count = sum(len(v) for v in scale_labels.values())
if mapped_count:
    cols = st.columns([5, 1])
    cols[0].caption(
        f"{mapped_count} answer label{'s are' if mapped_count != 1 else ' is'} mapped to levels: "
        + "; ".join(
            f"\u201c{plain(v)}\u201d \u2192 {'missing' if lv is None else lv}"
            for labels in scale_labels.values()
            for v, lv in labels.items()
        )[:600]
    )
    if cols[1].button("Clear label mappings", key="upload_labels_reset"):
        scale_labels.clear()
        st.rerun()

st.subheader("Validation report")
issues = report.issues_frame()
if issues.empty:
    st.success("No problems found.")
else:
    tables.show(
        issues.fillna({"column": "", "value": "", "hint": ""}).rename(columns=str.capitalize),
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
    refused = None  # said once the spinner is gone: stopping inside it leaves it spinning beside the message
    with st.spinner("Saving in one transaction\u2026"):
        try:
            result = imports.save_import(
                data.engine(), data.current_viewer(), parsed, school=school, round=round_name, framework=fw
            )
        except (access_rules.AccessDenied, imports.InvalidName, imports.MisplacedAnswers) as exc:
            refused = exc
    if isinstance(refused, access_rules.AccessDenied):
        access.denied(refused)
    elif isinstance(refused, imports.InvalidName):  # a name the file brings (a role, a comment column, the file's name)
        st.error(f"Nothing was imported: {plain(refused)}.")
        st.stop()
    elif refused is not None:  # MisplacedAnswers: the import's own check of what it stored, rolled back
        st.error(plain(refused), icon=":material/report:")
        st.stop()
    if expected is not None and expected != known:  # typed beside school and round: saved with the answers
        save_expected(int(expected))
    if overrides or scale_labels:  # the school's next upload of this form starts from these
        imports.save_mapping(
            data.engine(), data.current_viewer(), school=school, framework=fw, labels=scale_labels, columns=overrides
        )
    data.after_write()
    replaced = " It replaces the earlier import of the same file." if result.replaced_batch_id else ""
    st.session_state["upload_flash"] = (
        f"Imported {result.answers:,} answers from {result.respondents:,} respondents "
        f"for {plain(school)} \u00b7 {plain(round_name)}.{replaced}"
    )
    context.request(school=school, round=round_name)
    st.rerun()
