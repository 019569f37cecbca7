"""Staff answers are personnel data: only aggregates of large enough groups are ever shown.

The rule, applied to a breakdown (e.g. by role) of one school x round x item — a *family*
of cells whose whole-school figure is shown elsewhere (whole-school figures are shown
whatever their size):

1. **Small cells.** A cell whose figures rest on fewer than `min_group` answers (``n``) is
   suppressed: every figure of it is blanked, its size included.
2. **Complement.** The whole-school figure minus the shown cells describes the people in the
   hidden cells. That *remainder* must be nobody (0) or at least `min_group` people, counted
   both in answers (``n``, behind the means and level counts) and in respondents (which also
   count missing answers such as "Don't know", so "3 people answered Don't know" cannot leak
   either). While it is not, the smallest shown cell (ties: the first in sort order) is
   suppressed too. A shown cell has at least `min_group` answers, so one extra cell always
   suffices: after it the remainder is at least `min_group`.
3. When no cell of a family is shown there is nothing to subtract, and the whole-school
   figure is all there is.

Example: a school of 12 with 9 teachers and 3 coaches. The coach cell is small (rule 1);
the whole-school figure minus the teacher figure would give the coaches' (remainder 3), so
the teacher cell is suppressed too (rule 2). With 9 teachers, 6 paraprofessionals and 3
coaches, the paraprofessional cell goes as well, leaving a remainder of 9.

Apply it per breakdown on the figures as computed (``score_items`` without ``min_group``,
or with it when `whole` is given) and roll up, chart and export only what it returns.
Free-text comments are shown only as bare text, sorted (so file order — submission order —
cannot point at a person), and only for schools with at least `min_group` respondents.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import settings

_STATS = ("respondents", "n", "missing", "mean", "median", "sd", "stage", "agreement", "within_one")


def min_group_size() -> int:
    """The configured threshold (PL_MIN_GROUP_SIZE, default 5)."""
    return settings.get("min_group_size")


def _stat_columns(scores: pd.DataFrame) -> list[str]:
    counts = [c for c in scores.columns if c.startswith(("count_", "share_"))]
    return [c for c in (*_STATS, *counts) if c in scores.columns]


def _family_keys(scores: pd.DataFrame, by: str) -> list[str]:
    """Columns that identify a family: every key column before `item`, except `by`, plus `item`."""
    keys = list(scores.columns[: scores.columns.get_loc("item")])
    if by not in keys:
        raise ValueError(f"{by!r} is not one of the breakdown's key columns {keys}")
    return [k for k in keys if k != by] + ["item"]


def _totals(scores: pd.DataFrame, families: list[str], whole: pd.DataFrame | None) -> pd.DataFrame:
    """Whole-group answers and respondents per family: from `whole` where given, else the sum of the cells."""
    if whole is None:
        if scores["suppressed"].any():
            raise ValueError("these scores are already suppressed, so their totals are unknown: pass `whole`")
        return scores.groupby(families, dropna=False, sort=False)[["n", "respondents"]].sum().reset_index()
    missing = [k for k in families if k not in whole.columns]
    if missing:
        raise ValueError(f"`whole` lacks the column(s) {missing}")
    return whole[[*families, "n", "respondents"]]


def hidden_cells(n: np.ndarray, respondents: np.ndarray, total_n: float, total_respondents: float, min_group: int):
    """Which cells of one family to hide under the rule above (True = hidden), as a boolean array."""
    hidden = ~(n >= min_group)  # NaN (already suppressed) counts as small
    order = np.lexsort((np.arange(len(n)), np.nan_to_num(n, nan=-1.0)))  # smallest first, ties by position

    def unsafe(remainder: float) -> bool:
        return 0 < remainder < min_group

    while not hidden.all():
        shown_n = n[~hidden].sum()
        shown_r = respondents[~hidden].sum()
        if not (unsafe(total_n - shown_n) or unsafe(total_respondents - shown_r)):
            break
        hidden[next(i for i in order if not hidden[i])] = True
    return hidden


def suppress_breakdown(
    scores: pd.DataFrame, by: str, min_group: int | None = None, whole: pd.DataFrame | None = None
) -> pd.DataFrame:
    """A breakdown's scores with small cells and their complements suppressed (see the module docstring).

    `scores` is ``score_items`` output grouped by keys that include `by` (e.g. school, round, role);
    `whole` (optional) is the same scored without `by` and gives each family's total; without it the
    total is the sum of the family's cells. Suppressed rows get ``suppressed`` True and blank figures.
    """
    min_group = min_group_size() if min_group is None else int(min_group)
    families = _family_keys(scores, by)
    result = scores.copy()
    if result.empty:
        return result
    totals = _totals(result, families, whole).rename(columns={"n": "_total_n", "respondents": "_total_r"})
    # Join on a positional index so rows keep their order and duplicates in `whole` cannot multiply them.
    joined = result[families].reset_index(drop=True).merge(totals.drop_duplicates(families), on=families, how="left")
    hide = np.zeros(len(result), dtype=bool)
    n_all = result["n"].to_numpy(dtype=float)
    r_all = result["respondents"].to_numpy(dtype=float)
    for rows in joined.groupby(families, dropna=False, sort=False).indices.values():
        first = rows[0]
        total_n, total_r = joined.at[first, "_total_n"], joined.at[first, "_total_r"]
        if pd.isna(total_n):  # no whole figure for this family: the cells are all there is
            total_n, total_r = np.nansum(n_all[rows]), np.nansum(r_all[rows])
        hide[rows] = hidden_cells(n_all[rows], r_all[rows], float(total_n), float(total_r), min_group)
    hide |= result["suppressed"].to_numpy(dtype=bool)
    stats = _stat_columns(result)
    result[stats] = result[stats].astype(float).mask(np.broadcast_to(hide[:, None], (len(result), len(stats))))
    result["suppressed"] = hide
    return result


def comments_for_display(comments: pd.DataFrame, respondents: int, min_group: int | None = None) -> pd.DataFrame:
    """Only the comments' text, sorted, and nothing at all when fewer than `min_group` people responded."""
    min_group = min_group_size() if min_group is None else int(min_group)
    if respondents < min_group or comments.empty:
        return pd.DataFrame({"text": pd.Series(dtype=str)})
    text = comments["text"].astype(str).str.strip()
    text = text[text != ""].sort_values(kind="stable")
    return pd.DataFrame({"text": text.to_numpy()})
