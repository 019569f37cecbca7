"""District-level views over every school: items x schools, growth ranking, leadership gaps, goal status.

`district_scores` scores every school from level counts the database aggregates, so a 200-school
district (500k answers) is never read row by row. The other functions take what is already loaded
(that score frame, leadership ratings, goals), so the dashboard caches those reads once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Engine, distinct, func, select

from . import goals as goal_domain
from .frameworks import Framework
from .heatmaps import HeatmapTable, heatmap_table
from .scoring import compare_leadership, compare_rounds, roll_up, score_items
from .store.db import reader
from .store.models import ImportBatch, Response, Round, School
from .store.queries import _read  # rows to a frame column by column, cheap at 40k rows
from .store.rounds import round_date

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


def district_scores(
    engine: Engine,
    framework: Framework,
    *,
    schools: Sequence[str] | None = None,
    rounds: Sequence[str] | None = None,
    min_group: int | None = None,
) -> pd.DataFrame:
    """`score_items` by school x round for every school (or `schools`), from per-level counts the database sums.

    The same figures as `score_items(load_responses(...))`, without moving every answer out of the
    database: 500k answers arrive as ~40k (school, round, item, level, count) rows.
    """
    keys = [School.name.label("school"), Round.name.label("round"), Response.item]
    base = (
        select()
        .select_from(Response)
        .join(ImportBatch, ImportBatch.id == Response.batch_id)
        .join(School, School.id == ImportBatch.school_id)
        .join(Round, Round.id == ImportBatch.round_id)
        .where(ImportBatch.framework_id == framework.id)
    )
    if schools is not None:
        base = base.where(School.name.in_(list(schools)))
    if rounds is not None:
        base = base.where(Round.name.in_(list(rounds)))
    per_level = base.add_columns(*keys, Response.level, func.count().label("answers")).group_by(*keys, Response.level)
    people = base.add_columns(*keys, func.count(distinct(Response.respondent_id)).label("people")).group_by(*keys)
    counts = _read(engine, per_level, ["school", "round", "item", "level", "answers"])
    distinct_people = _read(engine, people, ["school", "round", "item", "people"])
    counts["level"] = counts["level"].astype("Int64")
    # One row per answer again, but built by repeating ~40k count rows in memory: scoring stays score_items.
    answers = counts.loc[counts.index.repeat(counts["answers"].astype("int64"))].reset_index(drop=True)
    answers["respondent"] = np.arange(len(answers))  # distinct per row; the real count is set below
    scores = score_items(answers.drop(columns="answers"), framework, min_group=min_group)
    people_by = distinct_people.set_index(["school", "round", "item"])["people"]
    exact = pd.MultiIndex.from_frame(scores[["school", "round", "item"]]).map(people_by.to_dict())
    scores["respondents"] = scores["respondents"].where(scores["suppressed"], pd.Series(exact, dtype="float64"))
    if min_group is None:
        scores["respondents"] = scores["respondents"].astype("int64")
    return scores


def school_order(scores: pd.DataFrame, framework: Framework, round_name: str) -> list[str]:
    """Schools with rows in `round_name`, lowest overall mean first; those with no figure to show (all hidden) last."""
    now = scores[scores["round"] == round_name]
    overall = roll_up(now, framework)["framework"].set_index("school")["mean"]
    schools = pd.DataFrame({"school": sorted(now["school"].unique())})
    schools["mean"] = schools["school"].map(overall)
    return schools.sort_values(["mean", "school"], kind="stable", na_position="last")["school"].tolist()


def items_by_school(
    scores: pd.DataFrame,
    framework: Framework,
    round_name: str,
    *,
    schools: Sequence[str] | None = None,
    min_group: int | None = None,
) -> HeatmapTable:
    """Items x schools of mean levels in one round; cells scoring suppressed are labelled "n<min_group"."""
    now = scores[scores["round"] == round_name]
    if schools is not None:
        now = now[now["school"].isin(set(schools))]
    order = list(schools) if schools is not None else sorted(now["school"].unique())
    return heatmap_table(now, framework, "school", order=order, min_group=min_group)


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


def round_dates(engine: Engine) -> dict[str, dt.date]:
    """The start date of each round that has one set (the earliest, when districts disagree)."""
    stmt = select(Round.name, func.min(Round.starts_on)).where(Round.starts_on.is_not(None)).group_by(Round.name)
    with reader(engine).connect() as conn:
        return dict(conn.execute(stmt).all())


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
    dates = dict(dates or {})
    measured_by: dict[tuple[str, str], list[goal_domain.Measurement]] = {}
    answered = scores[scores["n"].fillna(0) > 0]
    for school, item, round_name, mean, n in zip(
        answered["school"], answered["item"], answered["round"], answered["mean"], answered["n"], strict=True
    ):
        on = dates.get(round_name) or round_date(round_name)
        if on is not None and not np.isnan(mean):  # a round that cannot be placed in time is not a checkpoint
            measured_by.setdefault((school, item), []).append(
                goal_domain.Measurement(round_name, on, float(mean), int(n))
            )
    rows = []
    for goal in goals:
        if goal.framework_id != framework.id:
            continue
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
