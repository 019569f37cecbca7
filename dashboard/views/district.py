"""District: every school at once — items x schools, growth since the last round, leadership gaps, goals."""

import datetime as dt

import streamlit as st

from dashboard.components import charts, context, data, empty, theme
from dashboard.components.cards import stat_cards
from dashboard.components.text import plain
from pl_core.present.heatmaps import items_by_school

SHOW_AT_ONCE = 30  # more school columns than this and the cell labels stop being readable on a projector
ROWS_SHOWN = 12  # rows of a ranking table visible before it scrolls

ctx = context.current()
fw = ctx.framework
st.title("District")

if not ctx.schools:
    empty.no_schools()
    st.stop()


today = dt.date.today()
min_group = data.min_group_size()
view = data.district_view(fw.id, ctx.round, today)  # one read of published scores for every school shown
scores, now, goals, counts = view.scores, view.now, view.goals, view.goal_counts
if now.empty:
    st.info(
        f"**No staff responses in {plain(ctx.round)} on the {plain(fw.name)} yet.** Pick another round or framework "
        "in the sidebar, or upload this round's staff self-assessments."
    )
    st.page_link("views/upload.py", label="Go to Upload", icon=":material/upload_file:")
    st.stop()
previous = view.previous_round

st.caption(f"{plain(fw.name)} \u00b7 {plain(ctx.round)} \u00b7 every school")
stat_cards(
    [
        {"label": "Schools with answers", "value": view.schools_with_answers, "sub": f"of {len(ctx.schools)}"},
        {"label": "Staff who answered", "value": f"{view.staff:,}", "sub": "in schools with figures shown"},
        {"label": "Mean level, all answers shown", "value": f"{view.pooled_mean:.2f}"},
        {
            "label": "Goals behind plan",
            "value": counts.get("behind", 0),
            "sub": f"of {len(goals)} goals" if len(goals) else "no goals yet",
        },
    ]
)

# --- Items x schools ----------------------------------------------------------------------------------------------
st.subheader(f"Where each school stands \u00b7 {plain(ctx.round)}")
order = view.order
shown = order
if len(order) > SHOW_AT_ONCE:
    views = {
        "lowest": f"Lowest {SHOW_AT_ONCE}",
        "highest": f"Highest {SHOW_AT_ONCE}",
        "all": f"All {len(order)}",
    }
    pick = (
        st.segmented_control("Schools", list(views), default="lowest", key="district_show", format_func=views.get)
        or "lowest"
    )
    shown = {"lowest": order[:SHOW_AT_ONCE], "highest": order[-SHOW_AT_ONCE:], "all": order}[pick]
st.caption(
    "Schools ordered by overall mean level, lowest first. "
    f"Cells with fewer than {min_group} answers are hidden (n<{min_group}) so no one can be identified."
)
font = theme.chart_font(ctx.presentation)
hidden = 0
for domain in fw.domains:
    part = scores[scores["domain"] == domain.id]
    if part.empty:
        continue
    table = items_by_school(part, fw, ctx.round, schools=shown, min_group=min_group)
    hidden += table.suppressed_cells
    if len(fw.domains) > 1:
        st.markdown(f"**{plain(domain.name)}**")
    fig = charts.heatmap(table.values, fw.item(domain.item_ids[0]).scale, text=table.labels, font=font)
    if len(shown) > SHOW_AT_ONCE:
        fig.update_traces(texttemplate=None)  # 200 labelled columns are noise; the colour and hover carry it
    st.plotly_chart(fig, config=charts.PLOT_CONFIG, key=f"district_heatmap_{domain.id}")
if hidden:
    st.caption(f"{hidden} cell(s) hidden: fewer than {min_group} staff answered.")

# --- Growth -------------------------------------------------------------------------------------------------------
left, right = st.columns(2, gap="large")
with left:
    st.subheader("Growth since the previous round")
    if previous is None:
        st.info(f"{plain(ctx.round)} is the first round with answers, so there is no growth to show yet.")
    else:
        growth = view.growth
        if growth.empty:
            st.info(f"No school has answers in both {plain(previous)} and {plain(ctx.round)}.")
        else:
            st.caption(f"Overall mean level, {plain(previous)} \u2192 {plain(ctx.round)}; most growth first.")
            st.dataframe(
                growth.rename(
                    columns={
                        "school": "School",
                        "mean_before": previous,
                        "mean_after": ctx.round,
                        "growth": "Growth",
                        "items_up": "Items up",
                        "items_down": "Items down",
                    }
                ).drop(columns=["items_compared"]),
                hide_index=True,
                width="stretch",
                height=min(len(growth), ROWS_SHOWN) * 35 + 38,
                key="district_growth",
                column_config={
                    previous: st.column_config.NumberColumn(format="%.2f"),
                    ctx.round: st.column_config.NumberColumn(format="%.2f"),
                    "Growth": st.column_config.NumberColumn(format="%+.2f"),
                },
            )

# --- Leadership vs staff ------------------------------------------------------------------------------------------
with right:
    st.subheader("Leadership vs staff")
    gaps = view.gaps
    if gaps.empty:
        st.info(f"No leadership consensus is recorded for {plain(ctx.round)} yet. Run a Workshop to record one.")
    else:
        st.caption("Largest average gap first. A positive gap: the leadership team rates the school above its staff.")
        st.dataframe(
            gaps.rename(
                columns={
                    "school": "School",
                    "mean_gap": "Mean gap",
                    "mean_abs_gap": "Mean size of gap",
                    "items_compared": "Items",
                    "largest_item": "Largest on",
                    "largest_gap": "Largest gap",
                }
            ),
            hide_index=True,
            width="stretch",
            height=min(len(gaps), ROWS_SHOWN) * 35 + 38,
            key="district_gaps",
            column_config={c: st.column_config.NumberColumn(format="%+.2f") for c in ("Mean gap", "Largest gap")}
            | {"Mean size of gap": st.column_config.NumberColumn(format="%.2f")},
        )

# --- Goals --------------------------------------------------------------------------------------------------------
st.subheader("Goals across schools")
if goals.empty:
    st.info("No school has set a goal on this framework yet. Goals are set on the *Goals & timeline* page.")
else:
    st.caption(" \u00b7 ".join(f"{n} {status}" for status, n in counts.items()))
    rank = {status: i for i, status in enumerate(counts)}
    table = goals.assign(_rank=goals["status"].map(rank)).sort_values(["_rank", "target_date", "school"])
    st.dataframe(
        table[["school", "title", "item_name", "baseline", "latest_level", "target", "target_date", "status"]].rename(
            columns={
                "school": "School",
                "title": "Goal",
                "item_name": "Item",
                "baseline": "Baseline",
                "latest_level": "Latest",
                "target": "Target",
                "target_date": "By",
                "status": "Status",
            }
        ),
        hide_index=True,
        width="stretch",
        height=min(len(table), ROWS_SHOWN) * 35 + 38,
        key="district_goals",
        column_config={c: st.column_config.NumberColumn(format="%.1f") for c in ("Baseline", "Latest", "Target")},
    )
