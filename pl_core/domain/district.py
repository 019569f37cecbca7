"""District-level comparisons over published school scores: order, growth ranking, leadership gaps, goal status.

Every function takes what is already published (whole-school scores, leadership ratings, goals), so
the District page and the district export read once and compare many times.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..frameworks import Framework
from ..scoring import compare_leadership, compare_rounds, roll_up
from . import goals as goal_domain

GROWTH_COLUMNS = ["school", "mean_before", "mean_after", "growth", "items_up", "items_down", "items_compared"]
GAP_COLUMNS = ["school", "mean_gap", "mean_abs_gap", "items_compared", "largest_item", "largest_gap"]
GOAL_COLUMNS = [
    "school",
    "goal_id",
    "title",
    "item",
    "item_name",
    "baseline",
    "target",
    "target_date",
    "latest_round",
    "latest_level",
    "status",
    "overdue_milestones",
]


def school_order(scores: pd.DataFrame, framework: Framework, round_name: str) -> list[str]:
    """Schools with rows in `round_name`, lowest overall mean first; those with no figure to show (all hidden) last."""
    now = scores[scores["round"] == round_name]
    overall = roll_up(now, framework)["framework"].set_index("school")["mean"]
    schools = pd.DataFrame({"school": sorted(now["school"].unique())})
    schools["mean"] = schools["school"].map(overall)
    return schools.sort_values(["mean", "school"], kind="stable", na_position="last")["school"].tolist()


def growth_by_school(scores: pd.DataFrame, framework: Framework, earlier: str, later: str) -> pd.DataFrame:
    """Schools ranked by growth of their overall mean from `earlier` to `later`, most growth first.

    Only schools with figures in both rounds are ranked; suppressed items count in neither round.
    """
    both = scores[scores["round"].isin([earlier, later]) & ~scores["suppressed"].astype(bool)]
    if both.empty:
        return pd.DataFrame(columns=GROWTH_COLUMNS)
    overall = roll_up(both, framework)["framework"].pivot(index="school", columns="round", values="mean")
    if earlier not in overall or later not in overall:
        return pd.DataFrame(columns=GROWTH_COLUMNS)
    table = pd.DataFrame({"mean_before": overall[earlier], "mean_after": overall[later]}, index=overall.index).dropna()
    table["growth"] = table["mean_after"] - table["mean_before"]
    per_item = compare_rounds(both, earlier, later).dropna(subset=["growth"])
    counts = per_item.assign(up=per_item["growth"] > 0, down=per_item["growth"] < 0).groupby("school")
    table["items_up"] = counts["up"].sum().reindex(table.index).fillna(0).astype("int64")
    table["items_down"] = counts["down"].sum().reindex(table.index).fillna(0).astype("int64")
    table["items_compared"] = counts.size().reindex(table.index).fillna(0).astype("int64")
    table = table.reset_index().rename(columns={"index": "school"})
    table = table.sort_values(["growth", "school"], ascending=[False, True], kind="stable")
    return table[GROWTH_COLUMNS].reset_index(drop=True)


def leadership_gaps(scores: pd.DataFrame, leadership: pd.DataFrame, round_name: str) -> pd.DataFrame:
    """Schools ranked by the mean absolute gap between leadership consensus and staff mean, largest first.

    `gap` is leadership minus staff, so a positive mean gap means the leadership team rates the
    school higher than its staff do. Items without both figures (or suppressed) are left out.
    """
    now = scores[(scores["round"] == round_name) & ~scores["suppressed"].astype(bool)]
    lead = leadership[leadership["round"] == round_name]
    if now.empty or lead.empty:
        return pd.DataFrame(columns=GAP_COLUMNS)
    merged = compare_leadership(now, lead).dropna(subset=["gap"])
    if merged.empty:
        return pd.DataFrame(columns=GAP_COLUMNS)
    merged["abs_gap"] = merged["gap"].abs()
    grouped = merged.groupby("school")
    table = grouped.agg(mean_gap=("gap", "mean"), mean_abs_gap=("abs_gap", "mean"), items_compared=("gap", "size"))
    largest = merged.loc[grouped["abs_gap"].idxmax(), ["school", "item_name", "gap"]].set_index("school")
    table["largest_item"] = largest["item_name"]
    table["largest_gap"] = largest["gap"]
    table = table.reset_index().sort_values(["mean_abs_gap", "school"], ascending=[False, True], kind="stable")
    return table[GAP_COLUMNS].reset_index(drop=True)


def goal_status(
    goals: Sequence[goal_domain.Goal],
    scores: pd.DataFrame,
    framework: Framework,
    today: dt.date,
    dates: Mapping[str, dt.date] | None = None,
) -> pd.DataFrame:
    """Every goal with its on-track status, measured against the staff means in `scores` (one row per goal).

    Measurements come from the already-scored district (whole-school staff means, as on the
    Goals page), so 200 schools need no query per goal. Rounds without a date are skipped.
    """
    goals = [g for g in goals if g.framework_id == framework.id]
    pairs = pd.MultiIndex.from_arrays([scores["school"], scores["item"]])  # only the goals' own items are measured
    wanted = pairs.isin([(g.school, g.item_id) for g in goals]) if goals else np.zeros(len(scores), dtype=bool)
    measured_by = goal_domain.measurements_from(scores[wanted], dates)
    rows = []
    for goal in goals:
        measured = measured_by.get((goal.school, goal.item_id), [])
        progress = goal_domain.progress(goal, measured, today)
        latest = progress.checkpoints[-1] if progress.checkpoints else None
        rows.append(
            {
                "school": goal.school,
                "goal_id": goal.id,
                "title": goal.title or framework.item(goal.item_id).name,
                "item": goal.item_id,
                "item_name": framework.item(goal.item_id).name,
                "baseline": goal.baseline_level,
                "target": goal.target_level,
                "target_date": goal.target_date,
                "latest_round": latest.round if latest else None,
                "latest_level": latest.measured if latest else np.nan,
                "status": progress.status,
                "overdue_milestones": len(progress.overdue),
            }
        )
    return pd.DataFrame(rows, columns=GOAL_COLUMNS)


def goal_status_counts(statuses: pd.DataFrame) -> dict[str, int]:
    """How many goals have each status, in a fixed reading order (behind first)."""
    order = ["behind", "on track", "ahead", "achieved", "done", "not yet measured", "paused"]
    counts = statuses["status"].value_counts().to_dict() if len(statuses) else {}
    return {s: int(counts[s]) for s in order if counts.get(s)}
