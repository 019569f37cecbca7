"""Distribution: how staff answers spread over the levels of each item, and how much staff agree."""

import streamlit as st

from dashboard.components import charts, empty, theme
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
    if len(domains) > 1:
        st.markdown(f"**{plain(domains[domain_id])}**")
    st.plotly_chart(
        charts.likert_bars(part, scale, font), config=charts.PLOT_CONFIG, key=f"distribution_likert_{domain_id}"
    )

st.subheader("Agreement among staff")
st.caption(
    "r_wg (James, Demaree & Wolf, 1984): 1 means every answer was the same level; 0 means answers are as "
    "spread as random ones. Below 0.5 staff see the item differently, which is worth a conversation."
)
st.plotly_chart(charts.agreement_bars(shown, font), config=charts.PLOT_CONFIG, key="distribution_agreement")

with st.expander("The figures as a table"):
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
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "Descriptors": st.column_config.LinkColumn(display_text="Read the levels"),
            **{c: st.column_config.NumberColumn(format="%.2f") for c in ["Mean", "SD", "Agreement"]},
        },
    )
