"""Distribution: how staff answers spread over the levels of each item, and how much staff agree."""

import streamlit as st

from dashboard.components import charts, empty, tables, theme
from dashboard.components.text import plain

ctx, scores, now = empty.school_page("Distribution")
fw = ctx.framework
empty.stop_without_answers(ctx, now)

domains = {d.id: d.name for d in fw.domains if d.id in set(now["domain"])}
choice = st.segmented_control(
    "Domain",
    ["all", *domains],
    default="all",
    key="distribution_domain",
    format_func=lambda d: "All domains" if d == "all" else plain(domains[d]),
)
shown = now if choice in (None, "all") else now[now["domain"] == choice]
font = theme.chart_font(ctx.presentation)

st.subheader("How staff answered")
st.caption(
    "Levels below the middle of the scale extend left of the centre line, the rest extend right. "
    "Missing answers (blank, \u201cDon't know\u201d) are shown apart and never shift the centre."
)
for domain_id in [d for d in domains if choice in (None, "all") or d == choice]:
    part = shown[shown["domain"] == domain_id]
    scale = fw.item(part["item"].iloc[0]).scale
    charts.show(
        charts.likert_bars(part, scale, font),
        charts.likert_text(part, scale),
        key=f"distribution_likert_{domain_id}",
        title=f"{domains[domain_id]}: share of staff answers at each level, {ctx.round}",
        footnote=scale.footnote(),
    )

st.subheader("Agreement among staff")
st.caption(
    "r_wg (James, Demaree & Wolf, 1984): 1 means every answer was the same level; 0 means answers are as "
    "spread as random ones. Below 0.5 staff see the item differently, which is worth a conversation."
)
charts.show(
    charts.agreement_bars(shown, font),
    charts.agreement_text(shown),
    key="distribution_agreement",
    title=f"Agreement among staff on each item, {ctx.round}",
)

with st.expander("Every item's mean, median and spread, with a link to its levels"):
    table = shown[["item_name", "n", "missing", "mean", "median", "sd", "agreement"]].rename(
        columns={
            "item_name": "Item",
            "n": "Answers",
            "missing": "Missing",
            "mean": "Mean",
            "median": "Median",
            "sd": "SD",
            "agreement": "Agreement",
        }
    )
    table.insert(1, "Descriptors", [f"framework_browser?framework={fw.id}&item={i}" for i in shown["item"]])
    tables.show(
        table,
        formats={"Mean": "%.2f", "Median": "%.1f", "SD": "%.2f", "Agreement": "%.2f", "Answers": "%d", "Missing": "%d"},
        links={"Descriptors": "Read the levels"},
        key="distribution_table",
    )
