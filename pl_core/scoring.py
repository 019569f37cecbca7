"""Turn tidy responses into item scores, roll-ups and comparisons.

Every statistic is computed from per-group level counts, so one `groupby().size()`
over the answers does the heavy lifting and everything after it is arithmetic on a
small table (one row per group x item).

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


def score_items(
    responses: pd.DataFrame,
    framework: Framework,
    by: Sequence[str] = DEFAULT_KEYS,
    min_group: int | None = None,
) -> pd.DataFrame:
    """Score every item per group (`by`, default school x round) from a tidy responses frame.

    With `min_group`, any group x item answered by fewer than `min_group` respondents is
    suppressed: its statistics are blanked and `suppressed` is True. Use it for
    breakdowns by role or grade band; whole-school figures are shown whatever their size.
    """
    keys = list(by)
    levels = level_numbers(framework)
    level_arr = np.array(levels, dtype=float)
    count_cols = [f"count_{k}" for k in levels]
    items = _item_table(framework)
    known = responses[responses["item"].isin(items["item"])]

    answered = known[known["level"].notna()]
    counts = answered.groupby([*keys, "item", "level"], observed=True, dropna=False).size().unstack("level")
    counts = counts.reindex(columns=levels, fill_value=0).fillna(0).astype("int64")
    counts.columns = count_cols
    missing = known[known["level"].isna()].groupby([*keys, "item"], observed=True, dropna=False).size()
    respondents = known.groupby([*keys, "item"], observed=True, dropna=False)["respondent"].nunique()

    index = counts.index.union(missing.index) if len(missing) else counts.index
    table = counts.reindex(index, fill_value=0)
    table["missing"] = missing.reindex(index, fill_value=0).astype("int64")
    table["respondents"] = respondents.reindex(index, fill_value=0).astype("int64")
    table = table.reset_index().merge(items, on="item", how="left")

    c = table[count_cols].to_numpy(dtype=float)
    n = c.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (c * level_arr).sum(axis=1) / n
        sq = (c * level_arr**2).sum(axis=1)
        var = (sq - n * mean**2) / (n - 1)
    var = np.where(n > 1, np.maximum(var, 0.0), np.nan)
    table["n"] = n.astype("int64")
    table["mean"] = mean
    table["median"] = _median_from_counts(c, level_arr, n)
    table["sd"] = np.sqrt(var)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = c / n[:, None]
    for i, k in enumerate(levels):
        table[f"share_{k}"] = shares[:, i]
    table["stage"] = stage_of(mean, table["scale_low"], table["scale_high"])
    table["agreement"] = rwg(table["sd"], table["scale_levels"])
    within = np.abs(level_arr[None, :] - table["median"].to_numpy()[:, None]) <= 1
    with np.errstate(invalid="ignore", divide="ignore"):
        table["within_one"] = np.where(n > 0, (c * within).sum(axis=1) / n, np.nan)

    table["suppressed"] = False
    if min_group is not None:
        # Blank every figure of a small cell, its size included: "3 respondents" is itself a figure about 3 people.
        small = (table["n"] < min_group).to_numpy()
        table["suppressed"] = small
        stat_cols = [
            "respondents",
            "n",
            "missing",
            "mean",
            "median",
            "sd",
            "stage",
            "agreement",
            "within_one",
            *count_cols,
            *[f"share_{k}" for k in levels],
        ]
        table[stat_cols] = (
            table[stat_cols].astype(float).mask(np.broadcast_to(small[:, None], (len(table), len(stat_cols))))
        )

    ordered = [
        *keys,
        "item",
        "item_name",
        "domain",
        "domain_name",
        "group",
        "respondents",
        "n",
        "missing",
        "mean",
        "median",
        "sd",
        "stage",
        "agreement",
        "within_one",
        *count_cols,
        *[f"share_{k}" for k in levels],
        "suppressed",
        "item_order",
        "weight",
        "scale",
    ]
    return table.sort_values([*keys, "item_order"], kind="stable")[ordered].reset_index(drop=True)


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
    domains["stage"] = [
        stage_of(m, first_scale[d].low, first_scale[d].high).item()
        for m, d in zip(domains["mean"], domains["domain"], strict=True)
    ]
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
