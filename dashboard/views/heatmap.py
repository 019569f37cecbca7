"""Heatmap: items x staff groups, items x rounds, or items x schools, coloured on the framework's scale."""

import streamlit as st

from dashboard.components import charts, context, data, empty, theme
from dashboard.components.text import plain
from pl_core.present.heatmaps import heatmap_table

ctx = context.current()
fw = ctx.framework
st.title("Heatmap")

if not ctx.schools:
    empty.no_schools()
    st.stop()

VIEWS = {
    "role": "Roles",
    "grade_band": "Grade bands",
    "round": "Rounds",
    "school": "Schools",
}
MEASURES = {
    "level": "Mean level",
    "district": "Difference from the district",
    "leadership": "Staff mean minus leadership consensus",
}
left, mid, right = st.columns([4, 4, 3])
with left:
    view = (
        st.segmented_control("Compare", list(VIEWS), default="role", key="heatmap_view", format_func=VIEWS.get)
        or "role"
    )
with mid:
    versus = (
        st.segmented_control(
            "Show",
            ["level", "district", "leadership"],
            default="level",
            key="heatmap_versus",
            format_func={"level": "Mean", "district": "vs district", "leadership": "vs leadership"}.get,
        )
        or "level"
    )
domains = {d.id: d.name for d in fw.domains}
with right:
    domain = st.selectbox(
        "Domain",
        ["all", *domains],
        key="heatmap_domain",
        format_func=lambda d: "All domains" if d == "all" else domains[d],
    )

min_group = data.min_group_size()
if view in ("role", "grade_band"):
    scores = data.breakdown(fw.id, ctx.school, ctx.round, view)
    subtitle = f"{plain(ctx.school)} \u00b7 {plain(ctx.round)} \u00b7 groups under {min_group} answers are hidden"
    order = None
elif view == "round":
    scores = data.school_scores(fw.id, ctx.school)
    subtitle = f"{plain(ctx.school)} \u00b7 every round"
    order = [r for r in ctx.rounds if r in set(scores["round"])]
else:
    scores = data.district_scores(fw.id)
    scores = scores[scores["round"] == ctx.round]
    subtitle = f"every school \u00b7 {plain(ctx.round)}"
    order = None

if scores.empty:
    empty.no_responses(ctx.school, ctx.round, fw.name)
    st.stop()
if domain != "all":
    scores = scores[scores["domain"] == domain]

reference = None
if versus == "district":
    district = data.district_reference(fw.id)
    if district is None:
        st.info(
            "The district comparison needs published figures from at least three schools, so that it never "
            "tells a principal about one other school."
        )
        st.stop()
    # the district figure per item (and round) is the mean over every answer of every school, not of the ones shown
    reference = district if view == "round" else district[district["round"] == ctx.round][["item", "ref"]]
    subtitle += " \u00b7 difference from the district (blue above, red below)"
elif versus == "leadership":
    lead = data.leadership(fw.id, None if view == "school" else ctx.school, None if view == "round" else ctx.round)
    if lead.empty:
        st.info("No leadership consensus is recorded for this choice yet. Run a Workshop to record one.")
        st.stop()
    keys = ["item"] + ([view] if view in ("round", "school") else [])
    reference = lead.rename(columns={"level": "ref"})[[*keys, "ref"]]
    subtitle += " \u00b7 staff mean minus leadership consensus (blue: staff rate higher)"

st.caption(subtitle)
font = theme.chart_font(ctx.presentation)
hidden = 0
shown_any = False
for domain_id in [d for d in domains if d in set(scores["domain"])]:
    part = scores[scores["domain"] == domain_id]
    table = heatmap_table(part, fw, view, order=order, reference=reference, min_group=min_group)
    if table.values.notna().sum().sum() == 0 and table.suppressed_cells == 0:
        continue
    shown_any = True
    hidden += table.suppressed_cells
    scale = fw.item(part["item"].iloc[0]).scale
    if domain == "all" and len(domains) > 1:
        st.subheader(plain(domains[domain_id]))
    difference = versus != "level"
    charts.show(
        charts.heatmap(table.values, scale, text=table.labels, difference=difference, font=font, x_title=VIEWS[view]),
        charts.heatmap_text(
            table.values, table.labels, columns=VIEWS[view], difference=difference, hidden=table.suppressed_cells
        ),
        key=f"heatmap_chart_{domain_id}",
        title=f"{MEASURES[versus]} of each {domains[domain_id]} item by {VIEWS[view][:-1].lower()}",
        footnote=None if difference else scale.footnote(),
    )
if not shown_any:
    st.info("Nothing to show for this choice: no answers in these groups yet.")
elif hidden:
    st.caption(
        f"{hidden} cell(s) hidden: fewer than {min_group} staff answered, so showing them could identify individuals."
    )
