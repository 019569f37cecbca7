"""Level counts into item scores, roll-ups and comparisons: the one calculation behind every figure.

`score_counts` takes level counts (answers per level, missing answers, respondents, per group x item)
and computes every statistic from them; `score_items` over answer rows only counts them first. The
published figures are counts that `pl_core.privacy` cleared, so scoring never needs the rows.

Definitions (shown to users in the dashboard's "How scores work" panel):

* ``n`` — answers given for the item (missing answers such as "Don't know" excluded);
  ``missing`` — rows whose answer was missing.
* ``mean``, ``median`` and ``sd`` (sample standard deviation, n - 1) of the levels.
* ``stage`` — the scale level whose band holds the mean. Each level k owns the band
  [k - 0.5, k + 0.5), clipped to the scale, so on a 1-4 scale 1.00-1.49 is stage 1,
  1.50-2.49 stage 2, 2.50-3.49 stage 3 and 3.50-4.00 stage 4.
* ``agreement`` — r_wg, the within-group agreement index of James, Demaree & Wolf
  (1984, Journal of Applied Psychology 69(1), 85-98):
  ``1 - s^2 / sigma_EU^2`` with ``sigma_EU^2 = (A^2 - 1) / 12`` the variance of a
  uniform ("no agreement") null over the A levels of the scale. 1 means everyone gave
  the same level; 0 means the answers are as spread as random ones. Values below 0
  (more spread than random, e.g. a split team) are reported as 0, as LeBreton &
  Senter (2008) recommend. Undefined (NaN) for fewer than two answers.
* ``within_one`` — share of answers within one level of the median, a plain-language
  companion to r_wg.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .frameworks import Framework

DEFAULT_KEYS: tuple[str, ...] = ("school", "round")
BREAKDOWNS = ("role", "grade_band")
ITEM_COLUMNS = ("item", "item_name", "domain", "domain_name", "group")
# Figures about the people in a group; with the count_<k> and share_<k> columns of each level, every one of
# them is blanked when a group is hidden (see figure_columns).
STAT_COLUMNS = ("respondents", "n", "missing", "mean", "median", "sd", "stage", "agreement", "within_one")


def level_numbers(framework: Framework) -> list[int]:
    """Every level number used by any scale of the framework, ascending."""
    return sorted({n for s in framework.scales.values() for n in s.numbers})


def _item_table(framework: Framework) -> pd.DataFrame:
    rows = []
    for order, item in enumerate(framework.items):
        rows.append(
            {
                "item": item.id,
                "item_name": item.name,
                "domain": item.domain,
                "domain_name": item.domain_name,
                "group": item.group,
                "item_order": order,
                "weight": item.weight,
                "scale": item.scale.id,
                "scale_low": item.scale.low,
                "scale_high": item.scale.high,
                "scale_levels": len(item.scale.levels),
            }
        )
    return pd.DataFrame(rows)


def stage_of(mean: pd.Series | np.ndarray, low, high) -> np.ndarray:
    """The stage (level) whose band [k - 0.5, k + 0.5) holds each mean; NaN stays NaN."""
    mean = np.asarray(mean, dtype=float)
    stage = np.floor(mean + 0.5)
    return np.clip(stage, low, high)


def rwg(sd: np.ndarray, n_levels: np.ndarray) -> np.ndarray:
    """r_wg against a uniform null, floored at 0 (NaN where sd is NaN)."""
    sigma_eu = (np.asarray(n_levels, dtype=float) ** 2 - 1) / 12
    value = 1 - np.asarray(sd, dtype=float) ** 2 / sigma_eu
    return np.where(np.isnan(value), np.nan, np.clip(value, 0.0, 1.0))


def _median_from_counts(counts: np.ndarray, levels: np.ndarray, n: np.ndarray) -> np.ndarray:
    cum = counts.cumsum(axis=1)
    lo_pos = np.floor((n - 1) / 2)
    hi_pos = np.ceil((n - 1) / 2)
    lo = levels[(cum > lo_pos[:, None]).argmax(axis=1)]
    hi = levels[(cum > hi_pos[:, None]).argmax(axis=1)]
    return np.where(n > 0, (lo + hi) / 2, np.nan)


def figure_columns(framework: Framework) -> list[str]:
    """Every column of a score table that is a figure about the people in the group (blanked when hidden)."""
    levels = level_numbers(framework)
    return [*STAT_COLUMNS, *[f"count_{k}" for k in levels], *[f"share_{k}" for k in levels]]


def score_columns(framework: Framework, by: Sequence[str] = DEFAULT_KEYS) -> list[str]:
    """The columns of a score table, in order: the one list every reader of scores relies on."""
    return [*by, *ITEM_COLUMNS, *figure_columns(framework), "suppressed", "item_order", "weight", "scale"]


def count_levels(responses: pd.DataFrame, framework: Framework, by: Sequence[str] = DEFAULT_KEYS) -> pd.DataFrame:
    """Level counts per group (`by`) x item from tidy answer rows: `respondents`, `missing`, `count_<k>`.

    One pass: rows are counted per group x item x level, a missing level (NA) being the `missing` count.
    `respondents` is every row of the group x item, since each person has at most one row per item (the
    ingest keeps their latest submission, and a release keeps one answer per person and item).
    """
    keys = list(by)
    levels = level_numbers(framework)
    count_cols = [f"count_{k}" for k in levels]
    known = responses[responses["item"].isin(framework.item_ids)]
    counts = known.groupby([*keys, "item", "level"], observed=True, dropna=False, sort=False).size()
    table = counts.unstack("level", fill_value=0)
    missing = table[[c for c in table.columns if pd.isna(c)]].sum(axis=1) if len(table) else 0
    table = table.reindex(columns=levels, fill_value=0).astype("int64")
    table.columns = count_cols
    table["missing"] = np.asarray(missing, dtype="int64") if len(table) else pd.Series(dtype="int64")
    table["respondents"] = table[count_cols].sum(axis=1) + table["missing"]
    table = table.reset_index()
    return table.sort_values([*keys, "item"], kind="stable")[[*keys, "item", "respondents", "missing", *count_cols]]


def score_counts(counts: pd.DataFrame, framework: Framework, by: Sequence[str] = DEFAULT_KEYS) -> pd.DataFrame:
    """Score every group x item from its level counts: the one calculation behind every published figure.

    `counts` has the `by` columns, `item`, `respondents`, `missing` and `count_<k>` for each level of the
    framework, and optionally `suppressed` (True: a hidden cell, whose figures are blank). Returns the
    columns of `score_columns(framework, by)`, ordered by group then framework item order.
    """
    keys = list(by)
    levels = level_numbers(framework)
    level_arr = np.array(levels, dtype=float)
    count_cols = [f"count_{k}" for k in levels]
    table = counts.reset_index(drop=True).merge(_item_table(framework), on="item", how="inner")
    hidden = (
        table["suppressed"].fillna(False).astype(bool).to_numpy()
        if "suppressed" in table
        else np.zeros(len(table), dtype=bool)
    )
    c = table[count_cols].to_numpy(dtype=float)
    n = c.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (c * level_arr).sum(axis=1) / n
        sq = (c * level_arr**2).sum(axis=1)
        var = (sq - n * mean**2) / (n - 1)
        shares = c / n[:, None]
    var = np.where(n > 1, np.maximum(var, 0.0), np.nan)
    table["n"] = n
    table["mean"] = mean
    table["median"] = _median_from_counts(c, level_arr, n)
    table["sd"] = np.sqrt(var)
    for i, k in enumerate(levels):
        table[f"share_{k}"] = shares[:, i]
    table["stage"] = stage_of(mean, table["scale_low"], table["scale_high"])
    table["agreement"] = rwg(table["sd"], table["scale_levels"])
    within = np.abs(level_arr[None, :] - table["median"].to_numpy()[:, None]) <= 1
    with np.errstate(invalid="ignore", divide="ignore"):
        table["within_one"] = np.where(n > 0, (c * within).sum(axis=1) / n, np.nan)
    table["suppressed"] = hidden
    figures = figure_columns(framework)
    table[figures] = table[figures].astype(float)
    if hidden.any():
        # Blank every figure of a hidden cell, its size included: "3 respondents" is itself a figure about 3 people.
        table.loc[hidden, figures] = np.nan
    else:
        for column in ("respondents", "n", "missing", *count_cols):
            table[column] = table[column].astype("int64")
    ordered = score_columns(framework, keys)
    return table.sort_values([*keys, "item_order"], kind="stable")[ordered].reset_index(drop=True)


def score_items(responses: pd.DataFrame, framework: Framework, by: Sequence[str] = DEFAULT_KEYS) -> pd.DataFrame:
    """Score tidy answer rows: count them per group x item, then `score_counts` (the same calculation)."""
    return score_counts(count_levels(responses, framework, by), framework, by)


def roll_up(
    item_scores: pd.DataFrame, framework: Framework, by: Sequence[str] = DEFAULT_KEYS
) -> dict[str, pd.DataFrame]:
    """Item means rolled up to domains (weighted mean of item means) and to the framework.

    The framework figure is the weighted mean of its domain means, so a domain with many
    items does not drown one with few. Weights come from the framework file (default 1).
    Suppressed items are left out.
    """
    keys = list(by)
    scores = item_scores[~item_scores["suppressed"] & item_scores["mean"].notna()].copy()
    scores["weighted"] = scores["mean"].astype(float) * scores["weight"]
    grouped = scores.groupby([*keys, "domain"], observed=True, sort=False)
    domains = grouped.agg(
        weighted=("weighted", "sum"),
        weight=("weight", "sum"),
        items=("item", "count"),
        lowest=("mean", "min"),
        highest=("mean", "max"),
    ).reset_index()
    domains["mean"] = domains["weighted"] / domains["weight"]
    info = pd.DataFrame(
        [
            {"domain": d.id, "domain_name": d.name, "domain_weight": d.weight, "domain_order": i}
            for i, d in enumerate(framework.domains)
        ]
    )
    domains = domains.merge(info, on="domain", how="left").sort_values([*keys, "domain_order"], kind="stable")
    first_scale = {d.id: framework.items_in(d.id)[0].scale for d in framework.domains}
    low = domains["domain"].map({d: sc.low for d, sc in first_scale.items()}).to_numpy(dtype=float)
    high = domains["domain"].map({d: sc.high for d, sc in first_scale.items()}).to_numpy(dtype=float)
    domains["stage"] = stage_of(domains["mean"], low, high)
    domains["w"] = domains["mean"] * domains["domain_weight"]
    overall = (
        domains.groupby(keys, observed=True, sort=False)
        .agg(w=("w", "sum"), wt=("domain_weight", "sum"), domains=("domain", "count"))
        .reset_index()
    )
    overall["mean"] = overall["w"] / overall["wt"]
    domain_cols = [*keys, "domain", "domain_name", "items", "mean", "stage", "lowest", "highest"]
    return {
        "domains": domains[domain_cols].reset_index(drop=True),
        "framework": overall[[*keys, "domains", "mean"]].reset_index(drop=True),
    }


def compare_leadership(
    item_scores: pd.DataFrame, leadership: pd.DataFrame, by: Sequence[str] = DEFAULT_KEYS
) -> pd.DataFrame:
    """Leadership consensus vs staff per item: `gap` = leadership level minus staff mean.

    `leadership` has the `by` columns, `item` and `level` (consensus; half-steps allowed).
    """
    keys = list(by)
    staff = item_scores[
        [*keys, "item", "item_name", "domain", "n", "mean", "stage", "agreement", "suppressed", "item_order"]
    ]
    lead = leadership[[*keys, "item", "level"]].rename(columns={"level": "leadership"})
    merged = staff.merge(lead, on=[*keys, "item"], how="outer")
    merged = merged.rename(columns={"mean": "staff_mean", "n": "staff_n", "stage": "staff_stage"})
    merged["gap"] = merged["leadership"].astype(float) - merged["staff_mean"].astype(float)
    return merged.sort_values([*keys, "item_order"], kind="stable").reset_index(drop=True)


def compare_rounds(
    item_scores: pd.DataFrame, earlier: str, later: str, by: Sequence[str] = ("school",)
) -> pd.DataFrame:
    """Growth per item from round `earlier` to round `later`, with the n behind each side."""
    keys = list(by)
    cols = [*keys, "item", "item_name", "domain", "item_order", "n", "mean", "stage"]
    a = item_scores[item_scores["round"] == earlier][cols]
    b = item_scores[item_scores["round"] == later][cols]
    merged = a.merge(
        b, on=[*keys, "item", "item_name", "domain", "item_order"], how="outer", suffixes=("_before", "_after")
    )
    merged["growth"] = merged["mean_after"].astype(float) - merged["mean_before"].astype(float)
    merged.insert(len(keys), "from_round", earlier)
    merged.insert(len(keys) + 1, "to_round", later)
    return merged.sort_values([*keys, "item_order"], kind="stable").reset_index(drop=True)
