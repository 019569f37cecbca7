"""Export: a school's scores, aggregated staff answers, workshop votes and goals, and the district file."""

import streamlit as st

from dashboard.components import context, data, empty
from dashboard.components.text import plain
from pl_core.present import export as files
from pl_core.services import exports, goals, workshops

ctx = context.current()
fw = ctx.framework
# Captured here: the download callables run on another thread, outside the script and its session state.
engine = data.engine()
viewer = data.current_viewer()
st.title("Export")

if not ctx.schools:
    empty.no_schools()
    st.stop()

st.caption(
    f"{plain(fw.name)} \u00b7 CSV opens in any spreadsheet; XLSX keeps numbers as numbers. Text that a spreadsheet "
    "could run as a formula starts with an apostrophe."
)


def _build(kind: str, fmt: str, school: str | None, round_name: str | None):
    def build() -> bytes:
        return exports.export_bytes(engine, viewer, kind, fw, fmt, school=school, round=round_name)

    return build


def download_pair(kind: str, label: str, school: str | None, round_name: str | None, disabled: bool = False) -> None:
    """A CSV and an XLSX button for one export; the file is built only when clicked."""
    for column, fmt in zip(st.columns(2), files.FORMATS, strict=True):
        column.download_button(
            f"{label} ({fmt.upper()})",
            data=_build(kind, fmt, school, round_name),
            file_name=files.file_name(kind, fmt, fw.id, school, round_name),
            mime=files.MIME[fmt],
            key=f"export_{kind}_{'school' if school else 'district'}_{fmt}",
            on_click="ignore",
            icon=":material/download:",
            disabled=disabled,
            width="stretch",
        )


school, round_name = ctx.school, ctx.round
st.subheader(f"{plain(school)} \u00b7 {plain(round_name)}")
answered = (data.summary(fw.id, school, round_name).respondents or 0) if round_name else 0
if answered:
    st.caption(f"{answered} staff answered in {plain(round_name)}.")
else:
    empty.no_responses(school, round_name, fw.name)

st.markdown("**Item scores**: staff n, mean, median, sd, stage, agreement and counts per level for each item.")
download_pair("scores", "Item scores", school, round_name, disabled=not answered)

min_group = data.min_group_size()
st.markdown(
    "**Staff answers, aggregated**: how many staff chose each level per item, for the whole school and by role "
    f"and grade band. Groups with fewer than {min_group} answers are left blank, and so is any group whose figures "
    "could be worked out from the others. No one's individual answers are included."
)
download_pair("responses", "Staff answers", school, round_name, disabled=not answered)

held = workshops.list_workshops(engine, viewer, school=school, round=round_name, framework_id=fw.id)
st.markdown(
    "**Workshop votes**: per item, how many leaders voted each level, the consensus, its rationale and evidence "
    f"(not who voted what). {len(held)} workshop(s) in {plain(round_name)}."
)
download_pair("votes", "Workshop votes", school, round_name, disabled=not held)

school_goals = goals.goals(engine, viewer, school=school, framework_id=fw.id)
st.markdown(
    f"**Goals**: every goal of {plain(school)} on this framework with its status, progress and milestones, "
    f"whatever the round. {len(school_goals)} goal(s)."
)
download_pair("goals", "Goals", school, None, disabled=not school_goals)

st.divider()
st.subheader("District-wide" if viewer.sees_every_school else "All your schools")
st.markdown(
    f"One tidy file for a data team: a row per school \u00d7 round \u00d7 item \u00d7 group (whole school, each role, "
    f"each grade band) with n, mean, sd, stage, agreement, counts per level and a `suppressed` flag "
    f"({len(ctx.schools)} schools, {len(ctx.rounds)} rounds)."
)
download_pair("district", "District file", None, None)
st.info(
    "Row-level answers (one row per answer, with a pseudonymous respondent key) are not offered here. A district "
    "data team can write them from the command line: `pl-diag export responses --row-level --out answers.csv`.",
    icon=":material/lock:",
)
