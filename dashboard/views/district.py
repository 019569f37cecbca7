"""District: every school at once — items x schools, growth since the last round, leadership gaps, goals."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.components import context, data, empty, tables
from dashboard.components.cards import stat_cards
from dashboard.components.text import plain
from pl_core.present.school_grid import render_school_grid, school_grid

SHOW_AT_ONCE = 30  # schools in the table before the page offers lowest, highest or all
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

# Participation: staff who answered against the count each school expected (counts only, never names)
answered = view.now.groupby("school")["respondents"].max()
expected = data.expected_staff(ctx.round)
participation = pd.DataFrame(
    {
        "School": list(expected),
        "Answered": [answered.get(s, float("nan")) for s in expected],
        "Expected": list(expected.values()),
    }
)
participation["Response rate (%)"] = participation["Answered"] / participation["Expected"] * 100
counted = participation.dropna(subset=["Answered"])
if len(counted):
    a, e = int(counted["Answered"].sum()), int(counted["Expected"].sum())
    rate_card = {
        "label": "Response rate",
        "value": f"{a:,} of {e:,} ({a / e:.0%})",
        "sub": f"in the {len(counted)} school(s) with an expected staff count",
    }
else:
    rate_card = {"label": "Response rate", "value": "\u2013", "sub": "no expected staff counts yet"}

st.caption(f"{plain(fw.name)} \u00b7 {plain(ctx.round)} \u00b7 every school")
stat_cards(
    [
        {"label": "Schools with answers", "value": view.schools_with_answers, "sub": f"of {len(ctx.schools)}"},
        {"label": "Staff who answered", "value": f"{view.staff:,}", "sub": "in schools with figures shown"},
        rate_card,
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
# one table for every domain: a school's whole row reads across, and the page loads no chart library
title = f"Mean level of each item by school, {ctx.round}"
grid = school_grid(scores, fw, ctx.round, schools=shown, min_group=min_group, title=title)
st.markdown(f"**{plain(title)}**")
st.html(render_school_grid(grid))
for note in grid.footnotes:
    st.caption(plain(note))
st.caption(plain(grid.summary))
if grid.hidden:
    st.caption(f"{grid.hidden} cell(s) hidden: fewer than {min_group} staff answered.")

# --- Growth -------------------------------------------------------------------------------------------------------
# One above the other: side by side, a laptop already cuts their columns, and a phone cannot show them at all
with st.container():
    st.subheader("Growth since the previous round")
    if previous is None:
        st.info(f"{plain(ctx.round)} is the first round with answers, so there is no growth to show yet.")
    else:
        growth = view.growth
        if growth.empty:
            st.info(f"No school has answers in both {plain(previous)} and {plain(ctx.round)}.")
        else:
            st.caption(f"Overall mean level, {plain(previous)} \u2192 {plain(ctx.round)}; most growth first.")
            tables.show(
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
                formats={previous: "%.2f", ctx.round: "%.2f", "Growth": "%+.2f", "Items up": "%d", "Items down": "%d"},
                height=min(len(growth), ROWS_SHOWN) * 35 + 38,
                key="district_growth",
            )

# --- Leadership vs staff ------------------------------------------------------------------------------------------
with st.container():
    st.subheader("Leadership vs staff")
    gaps = view.gaps
    if gaps.empty:
        st.info(f"No leadership consensus is recorded for {plain(ctx.round)} yet. Run a Workshop to record one.")
    else:
        st.caption("Largest average gap first. A positive gap: the leadership team rates the school above its staff.")
        tables.show(
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
            formats={"Mean gap": "%+.2f", "Largest gap": "%+.2f", "Mean size of gap": "%.2f", "Items": "%d"},
            height=min(len(gaps), ROWS_SHOWN) * 35 + 38,
            key="district_gaps",
        )

# --- Goals --------------------------------------------------------------------------------------------------------
st.subheader("Goals across schools")
if goals.empty:
    st.info("No school has set a goal on this framework yet. Goals are set on the *Goals & timeline* page.")
else:
    st.caption(" \u00b7 ".join(f"{n} {status}" for status, n in counts.items()))
    rank = {status: i for i, status in enumerate(counts)}
    table = goals.assign(_rank=goals["status"].map(rank)).sort_values(["_rank", "target_date", "school"])
    tables.show(
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
        formats={"Baseline": "%.1f", "Latest": "%.1f", "Target": "%.1f"},
        height=min(len(table), ROWS_SHOWN) * 35 + 38,
        key="district_goals",
    )

# --- Participation ------------------------------------------------------------------------------------------------
if len(participation):
    with st.expander(f"Response rate by school, {plain(ctx.round)}"):
        tables.show(
            participation,
            formats={"Answered": "%d", "Expected": "%d", "Response rate (%)": "%.0f"},
            key="district_participation",
        )
