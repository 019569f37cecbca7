"""What each chart says, in words and as a table: for people who cannot see the chart (WCAG 1.1.1).

Each function takes the same rows as its figure in `charts` and returns a ChartText: a one- or
two-sentence summary, the figures as a table (column names as people read them) and printf-style
number formats for its columns. The dashboard shows all three under every chart.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..frameworks import RatingScale
from .charts import agreement_band


@dataclass(frozen=True)
class ChartText:
    summary: str
    table: pd.DataFrame
    formats: dict[str, str] = field(default_factory=dict)  # column -> printf format, e.g. "%.2f"


def _num(value) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def _stage(scale: RatingScale, mean: float | None) -> str:
    return "" if mean is None else scale.marked_label(scale.stage(mean))


def _share_columns(scale: RatingScale) -> dict[int, str]:
    return {lv.number: f"{lv.number} {lv.marked_label()} (%)" for lv in scale.levels}


def continuum_text(rows: pd.DataFrame, scale: RatingScale) -> ChartText:
    """The Overview's continuum strip: staff mean, stage, answers, shares per level, leadership consensus."""
    table = pd.DataFrame({"Item": rows["item_name"].astype(str).to_numpy()})
    means = [_num(v) for v in rows["mean"]]
    table["Staff mean"] = means
    table["Stage"] = [_stage(scale, m) for m in means]
    table["Answers"] = [_num(v) for v in rows["n"]]
    for number, column in _share_columns(scale).items():
        share = rows[f"share_{number}"] if f"share_{number}" in rows else pd.Series(np.nan, index=rows.index)
        table[column] = (share.astype(float) * 100).to_numpy()
    lead = rows["leadership"] if "leadership" in rows else pd.Series(np.nan, index=rows.index)
    table["Leadership consensus"] = lead.astype(float).to_numpy()
    shown = table.dropna(subset=["Staff mean"])
    if shown.empty:
        summary = "No staff figures to show for these items."
    else:
        high = shown.loc[shown["Staff mean"].idxmax()]
        low = shown.loc[shown["Staff mean"].idxmin()]
        summary = (
            f"Staff place {len(shown)} items: highest {high['Item']} ({high['Staff mean']:.2f}, {high['Stage']}), "
            f"lowest {low['Item']} ({low['Staff mean']:.2f}, {low['Stage']})."
        )
    consensus = int(table["Leadership consensus"].notna().sum())
    summary += (
        f" The leadership team's consensus is marked on {consensus} of {len(table)} items."
        if consensus
        else " No leadership consensus is recorded for these items."
    )
    formats = {"Staff mean": "%.2f", "Answers": "%d", "Leadership consensus": "%.1f"}
    formats |= {column: "%.0f" for column in _share_columns(scale).values()}
    return ChartText(summary, table, formats)


def likert_text(rows: pd.DataFrame, scale: RatingScale) -> ChartText:
    """The Distribution's bars: the share of answers at each level, and missing answers, per item."""
    n = rows["n"].astype(float).replace(0, np.nan)
    total = (rows["n"] + rows["missing"]).astype(float).replace(0, np.nan)
    table = pd.DataFrame({"Item": rows["item_name"].astype(str).to_numpy()})
    for number, column in _share_columns(scale).items():
        table[column] = (rows[f"count_{number}"].astype(float) / n * 100).to_numpy()
    table["Missing (%)"] = (rows["missing"].astype(float) / total * 100).to_numpy()
    table["Answers"] = rows["n"].astype(float).to_numpy()
    upper = [c for number, c in _share_columns(scale).items() if number > scale.middle]
    lower = [c for number, c in _share_columns(scale).items() if number < scale.middle]
    top = table[upper].sum(axis=1, min_count=1)
    bottom = table[lower].sum(axis=1, min_count=1)
    if top.notna().any():
        names = " or ".join(scale.marked_label(x) for x in scale.numbers if x > scale.middle)
        low_names = " or ".join(scale.marked_label(x) for x in scale.numbers if x < scale.middle)
        summary = (
            f"Share of staff answers at each level for {len(table)} items. The most answers at {names}: "
            f"{table.loc[top.idxmax(), 'Item']} ({top.max():.0f}%); the most at {low_names}: "
            f"{table.loc[bottom.idxmax(), 'Item']} ({bottom.max():.0f}%)."
        )
    else:
        summary = "No staff answers to show for these items."
    formats = {column: "%.0f" for column in [*_share_columns(scale).values(), "Missing (%)"]} | {"Answers": "%d"}
    return ChartText(summary, table, formats)


def agreement_text(rows: pd.DataFrame) -> ChartText:
    """The agreement bars: r_wg per item, its band, and the answers behind it."""
    values = rows["agreement"].astype(float)
    table = pd.DataFrame(
        {
            "Item": rows["item_name"].astype(str).to_numpy(),
            "Agreement": values.to_numpy(),
            "Band": [agreement_band(v) for v in values],
            "Answers": rows["n"].astype(float).to_numpy(),
        }
    )
    shown = table.dropna(subset=["Agreement"])
    if shown.empty:
        summary = "No agreement figures to show."
    else:
        low = shown.loc[shown["Agreement"].idxmin()]
        high = shown.loc[shown["Agreement"].idxmax()]
        below = int((shown["Band"] == "low").sum())
        summary = (
            f"Agreement among staff ranges from {low['Agreement']:.2f} ({low['Item']}) to {high['Agreement']:.2f} "
            f"({high['Item']}); {below} of {len(shown)} items are below 0.5 (low agreement)."
        )
    return ChartText(summary, table, {"Agreement": "%.2f", "Answers": "%d"})


def heatmap_text(
    values: pd.DataFrame, labels: pd.DataFrame, *, columns: str, difference: bool = False, hidden: int = 0
) -> ChartText:
    """A heatmap as its table of cell labels (hidden cells read "n<5"), and where it is highest and lowest."""
    table = labels.copy()
    table.columns = [str(c) for c in table.columns]
    table.insert(0, "Item", [str(i) for i in table.index])
    table = table.reset_index(drop=True)
    stacked = values.stack().dropna()
    what = "Difference" if difference else "Mean level"
    if stacked.empty:
        summary = f"No figures to show across these {columns.lower()}."
    else:
        (hi_item, hi_col), (lo_item, lo_col) = stacked.idxmax(), stacked.idxmin()
        fmt = "{:+.1f}" if difference else "{:.1f}"
        high, low = fmt.format(stacked.max()), fmt.format(stacked.min())
        summary = (
            f"{what} of {values.shape[0]} items across {values.shape[1]} {columns.lower()}: "
            f"highest {high} ({hi_item}, {hi_col}), lowest {low} ({lo_item}, {lo_col})."
        )
    if hidden:
        summary += f" {hidden} cell(s) are hidden because too few staff answered."
    return ChartText(summary, table)


def gantt_text(rows: Sequence[dict], today: dt.date) -> ChartText:
    """The goals timeline: each goal's dates and status, and its milestones by state."""
    goals = [r for r in rows if r["kind"] == "goal"]
    milestones = [r for r in rows if r["kind"] == "milestone"]
    table = pd.DataFrame(
        [
            {
                "Goal": r["label"],
                "Start": r["start"].isoformat(),
                "Target date": r["finish"].isoformat(),
                "Status": r["status"],
                "Milestones done": sum(1 for m in milestones if m["goal_id"] == r["goal_id"] and m["status"] == "done"),
                "Milestones overdue": sum(
                    1 for m in milestones if m["goal_id"] == r["goal_id"] and m["status"] == "overdue"
                ),
                "Milestones to come": sum(
                    1 for m in milestones if m["goal_id"] == r["goal_id"] and m["status"] == "upcoming"
                ),
            }
            for r in goals
        ],
        columns=[
            "Goal",
            "Start",
            "Target date",
            "Status",
            "Milestones done",
            "Milestones overdue",
            "Milestones to come",
        ],
    )
    counts = table["Status"].value_counts()
    statuses = ", ".join(f"{n} {status}" for status, n in counts.items())
    overdue = int(table["Milestones overdue"].sum())
    summary = f"{len(table)} goal(s) on {today:%B %d, %Y}: {statuses or 'none'}."
    summary += f" {overdue} milestone(s) overdue." if overdue else " No milestone is overdue."
    return ChartText(summary, table)


def progress_text(rows: Sequence[dict], status: str) -> ChartText:
    """A goal's planned line and measured levels, by date."""
    table = pd.DataFrame(
        [
            {
                "Date": r["on"].isoformat(),
                "Round": r["round"],
                "Planned level": r["level"] if r["series"] == "planned" else np.nan,
                "Measured level": r["level"] if r["series"] == "measured" else np.nan,
            }
            for r in sorted(rows, key=lambda r: r["on"])
        ],
        columns=["Date", "Round", "Planned level", "Measured level"],
    )
    planned = [r for r in rows if r["series"] == "planned"]
    measured = [r for r in rows if r["series"] == "measured"]
    start, end = planned[0], planned[-1]
    summary = (
        f"Planned: from {start['level']:.1f} on {start['on']:%B %d, %Y} to {end['level']:.1f} by {end['on']:%B %d, %Y}."
    )
    if measured:
        last = measured[-1]
        summary += f" Latest measured: {last['level']:.2f} in {last['round']} ({status})."
    else:
        summary += " Not measured since the baseline yet."
    return ChartText(summary, table, {"Planned level": "%.1f", "Measured level": "%.2f"})
