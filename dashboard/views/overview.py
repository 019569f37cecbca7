"""Overview: where the school sits on each continuum, with headline figures."""

import streamlit as st

from dashboard.components import charts, data, empty, theme
from dashboard.components.cards import stat_cards, trend
from dashboard.components.continuum import item_link
from dashboard.components.report_button import report_download
from dashboard.components.text import plain
from pl_core import scoring

ctx, scores, now = empty.school_page("Overview")
fw = ctx.framework
empty.stop_without_answers(ctx, now, need_levels=True)

leadership = data.leadership(fw.id, ctx.school, ctx.round)
rounds_with_data = [r for r in ctx.rounds if r in set(scores["round"])]
before = ctx.rounds[: ctx.rounds.index(ctx.round)] if ctx.round in ctx.rounds else []
previous = next((r for r in reversed(before) if r in rounds_with_data), None)
overall = scoring.roll_up(now, fw)["framework"]
overall_mean = float(overall["mean"].iloc[0]) if len(overall) else float("nan")
respondents = data.respondent_count(fw.id, ctx.school, ctx.round)

delta_mean = None
resp_sub = mean_sub = None
if previous:
    prev_overall = scoring.roll_up(scores[scores["round"] == previous], fw)["framework"]
    if len(prev_overall):
        delta_mean = overall_mean - float(prev_overall["mean"].iloc[0])
        mean_sub = f"{delta_mean:+.2f} since {previous}" if abs(delta_mean) >= 0.005 else f"same as {previous}"
    before_n = data.respondent_count(fw.id, ctx.school, previous)
    resp_sub = f"{before_n} in {previous}"
ranked = now.dropna(subset=["mean"]).sort_values("mean")
strong, weak = ranked.iloc[-1], ranked.iloc[0]


def stage_text(row) -> str:
    return f"{row['mean']:.2f} \u00b7 {fw.item(row['item']).scale.label(int(row['stage']))}"


stat_cards(
    [
        {"label": "Staff who answered", "value": respondents, "sub": resp_sub},
        {"label": "Rounds with data", "value": len(rounds_with_data), "sub": " \u2192 ".join(rounds_with_data)},
        {"label": "Overall mean level", "value": f"{overall_mean:.2f}", "sub": mean_sub, "trend": trend(delta_mean)},
        {"label": "Strongest area", "value": strong["item_name"], "sub": stage_text(strong)},
        {"label": "Weakest area", "value": weak["item_name"], "sub": stage_text(weak)},
    ]
)
report_download(ctx)

if leadership.empty:
    st.caption("No leadership consensus recorded for this round yet; run a Workshop to add it as a second marker.")
rows = (
    now.merge(leadership.rename(columns={"level": "leadership"})[["item", "leadership"]], on="item", how="left")
    if not leadership.empty
    else now.assign(leadership=float("nan"))
)
font = theme.chart_font(ctx.presentation)
for domain in fw.domains:
    domain_rows = rows[rows["domain"] == domain.id]
    if domain_rows.empty:
        continue
    scale = fw.item(domain.item_ids[0]).scale
    st.subheader(domain.name)
    st.plotly_chart(
        charts.continuum_strip(domain_rows, scale, font), config=charts.PLOT_CONFIG, key=f"overview_strip_{domain.id}"
    )
    with st.expander(f"Read the level descriptors for {domain.name.lower()}"):
        cols = st.columns(3)
        for i, item_id in enumerate(domain.item_ids):
            with cols[i % 3]:
                item_link(fw, fw.item(item_id))

said = data.comments(fw.id, ctx.school, ctx.round)
if respondents < data.min_group_size():
    st.caption(f"Staff comments are not shown: fewer than {data.min_group_size()} staff responded this round.")
elif len(said):
    with st.expander(f"What staff wrote ({len(said)} comments, without names or roles)"):
        for text in said["text"]:
            # what staff typed is text, never markup: no links, images or formatting from a comment
            st.markdown("> " + plain(text))

with st.expander("How to read this page"):
    st.markdown(
        "- Each row is one item of the framework; the coloured bands are its levels, left to right.\n"
        "- **Grey dots** show how staff answered: the bigger the dot, the more staff chose that level.\n"
        "- The **orange diamond** is the staff mean; the **black bar** is the leadership team's consensus.\n"
        "- The *stage* of an item is the level whose band holds the mean (e.g. 2.50\u20133.49 is level 3).\n"
        "- Missing answers (\u201cDon't know\u201d, blank) are left out of every figure, never counted as zero."
    )
