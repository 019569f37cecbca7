"""Items x (groups | rounds | schools) tables for heatmaps, with suppressed cells labelled, and differences."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..frameworks import Framework


@dataclass(frozen=True)
class HeatmapTable:
    values: pd.DataFrame  # items (names, framework order) x columns; NaN where there is no figure to show
    labels: pd.DataFrame  # the text in each cell: the value, "n<5" for a suppressed group, "" for no data
    n: pd.DataFrame  # answers behind each cell (NaN when suppressed)
    suppressed_cells: int


def heatmap_table(
    scores: pd.DataFrame,
    framework: Framework,
    column: str,
    *,
    order: Sequence[str] | None = None,
    reference: pd.DataFrame | None = None,
    min_group: int | None = None,
) -> HeatmapTable:
    """Pivot item scores to items x `column`; with `reference` (item[, column], ref), show mean minus ref.

    `scores` is `score_items` output that includes `column` among its keys. Cells that scoring
    suppressed stay blank and are labelled "n<{min_group}"; they are never differenced.
    """
    frame = scores.copy()
    if reference is not None:
        keys = ["item"] + ([column] if column in reference.columns else [])
        frame = frame.merge(reference[[*keys, "ref"]], on=keys, how="left")
        frame["value"] = frame["mean"].astype(float) - frame["ref"].astype(float)
    else:
        frame["value"] = frame["mean"].astype(float)
    columns = list(order) if order is not None else sorted(frame[column].dropna().unique())
    items = [i for i in framework.items if i.id in set(frame["item"])]
    index = pd.Index([i.id for i in items])
    values = frame.pivot_table(index="item", columns=column, values="value", aggfunc="first", dropna=False)
    values = values.reindex(index=index, columns=columns)
    n = frame.pivot_table(index="item", columns=column, values="n", aggfunc="first", dropna=False)
    n = n.reindex(index=index, columns=columns)
    suppressed = frame.pivot_table(index="item", columns=column, values="suppressed", aggfunc="first", dropna=False)
    suppressed = suppressed.reindex(index=index, columns=columns).eq(True)  # no row: not suppressed
    diff = reference is not None
    text = np.where(values.isna(), "", values.map(lambda v: f"{v:+.1f}" if diff else f"{v:.1f}").to_numpy())
    text = np.where(suppressed.to_numpy(), f"n<{min_group}" if min_group else "hidden", text)
    names = [i.name for i in items]
    labels = pd.DataFrame(text, index=names, columns=columns)
    values.index = names
    n.index = names
    return HeatmapTable(values, labels, n, int(suppressed.to_numpy().sum()))


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
