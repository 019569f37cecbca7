"""Overview: where the school sits on each continuum, with headline figures."""

import streamlit as st

from dashboard.components import charts, data, empty, theme
from dashboard.components.cards import response_rate_card, stat_cards, trend
from dashboard.components.continuum import item_link
from dashboard.components.report_button import report_download
from dashboard.components.text import plain

ctx, scores, now = empty.school_page("Overview")
fw = ctx.framework
empty.stop_without_answers(ctx, now, need_levels=True)

leadership = data.leadership(fw.id, ctx.school, ctx.round)
summary = data.summary(fw.id, ctx.school, ctx.round)
previous = summary.previous_round
delta_mean = summary.change
mean_sub = None
if delta_mean is not None:
    mean_sub = f"{delta_mean:+.2f} since {previous}" if abs(delta_mean) >= 0.005 else f"same as {previous}"
resp_sub = (
    f"{summary.respondents_before} in {previous}" if previous and summary.respondents_before is not None else None
)
if summary.respondents is None:  # too few to show: the count is hidden with the figures
    resp_sub = f"hidden: fewer than {data.min_group_size()} answered"


def figure_text(figure) -> str:
    return f"{figure.mean:.2f} \u00b7 {figure.stage_label}"


cards = [
    {
        "label": "Staff who answered",
        "value": "\u2013" if summary.respondents is None else summary.respondents,
        "sub": resp_sub,
    },
    {
        "label": "Rounds with data",
        "value": len(summary.rounds_with_data),
        "sub": " \u2192 ".join(summary.rounds_with_data),
    },
    {
        "label": "Overall mean level",
        "value": "\u2013" if summary.overall_mean is None else f"{summary.overall_mean:.2f}",
        "sub": mean_sub,
        "trend": trend(delta_mean),
    },
]
if summary.strongest and summary.weakest:
    cards += [
        {"label": "Strongest area", "value": summary.strongest.item_name, "sub": figure_text(summary.strongest)},
        {"label": "Weakest area", "value": summary.weakest.item_name, "sub": figure_text(summary.weakest)},
    ]
if summary.expected_staff is not None:
    cards.insert(1, response_rate_card(summary))
stat_cards(cards)
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
    st.subheader(plain(domain.name))
    charts.show(
        charts.continuum_strip(domain_rows, scale, font),
        charts.continuum_text(domain_rows, scale),
        key=f"overview_strip_{domain.id}",
        title=f"Where staff place each item, {ctx.round}",
        footnote=scale.footnote(),
    )
    with st.expander(f"Read the level descriptors for {plain(domain.name.lower())}"):
        cols = st.columns(3)
        for i, item_id in enumerate(domain.item_ids):
            with cols[i % 3]:
                item_link(fw, fw.item(item_id))

said = data.comments(fw.id, ctx.school, ctx.round)
if (summary.respondents or 0) < data.min_group_size():
    st.caption(f"Staff comments are not shown: fewer than {data.min_group_size()} staff responded this round.")
elif len(said):
    with st.expander(f"What staff wrote ({len(said)} comments, without names or roles)"):
        for text in said["text"]:
            # what staff typed is text, never markup: no links, images or formatting from a comment
            st.markdown("> " + plain(text))

with st.expander("How to read this page"):
    st.markdown(
        "- Each row is one item of the framework; the coloured bands are its levels, left to right.\n"
        "- **Dark grey dots** show how staff answered: the bigger the dot, the more staff chose that level.\n"
        "- The **orange diamond** is the staff mean; the **black bar** is the leadership team's consensus.\n"
        "- The *stage* of an item is the level whose band holds the mean (e.g. 2.50\u20133.49 is level 3).\n"
        "- Missing answers (\u201cDon't know\u201d, blank) are left out of every figure, never counted as zero."
    )
