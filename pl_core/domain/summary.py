"""One school summary: the headline figures the Overview and the report both show, computed once."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ..frameworks import Framework
from ..scoring import roll_up


@dataclass(frozen=True)
class ItemFigure:
    """One item's whole-school figure: what a headline card shows."""

    item_id: str
    item_name: str
    mean: float
    stage: int
    stage_label: str


@dataclass(frozen=True)
class SchoolSummary:
    school: str
    round: str
    rounds_with_data: tuple[str, ...]  # up to and including `round`, oldest first
    previous_round: str | None  # the latest earlier round with staff answers
    respondents: int | None  # staff who answered this round (None: hidden, too few to show)
    respondents_before: int | None
    expected_staff: int | None  # staff the school expected to answer (entered at upload), if known
    overall_mean: float | None  # weighted mean of domain means
    overall_before: float | None
    strongest: ItemFigure | None
    weakest: ItemFigure | None
    leadership_items: int  # items with a leadership consensus this round
    held_back: int = 0  # staff whose new or changed answers wait until enough have arrived to publish

    @property
    def change(self) -> float | None:
        """Overall mean now minus in the previous round."""
        if self.overall_mean is None or self.overall_before is None:
            return None
        return self.overall_mean - self.overall_before

    @property
    def response_rate(self) -> float | None:
        """Share of the expected staff who answered (None without an expected count)."""
        if not self.expected_staff or self.respondents is None:
            return None
        return self.respondents / self.expected_staff


def _overall(scores: pd.DataFrame, framework: Framework, round_name: str) -> float | None:
    rows = scores[scores["round"] == round_name]
    overall = roll_up(rows, framework)["framework"] if len(rows) else pd.DataFrame()
    if overall.empty:
        return None
    value = float(overall["mean"].iloc[0])
    return None if math.isnan(value) else value


def _figure(row, framework: Framework) -> ItemFigure:
    item = framework.item(row["item"])
    stage = int(row["stage"])
    return ItemFigure(item.id, item.name, float(row["mean"]), stage, item.scale.label(stage))


def summarise_school(
    framework: Framework,
    scores: pd.DataFrame,
    *,
    school: str,
    round: str,
    rounds: Sequence[str],
    respondents: int | None,
    respondents_before: int | None = None,
    leadership: pd.DataFrame | None = None,
    expected_staff: int | None = None,
    held_back: int = 0,
) -> SchoolSummary:
    """Summarise a school's published whole-school scores (`scores`: every round) for `round`."""
    upto = list(rounds[: list(rounds).index(round) + 1]) if round in rounds else [round]
    answered = set(scores.loc[scores["n"].fillna(0) > 0, "round"])
    with_data = tuple(r for r in upto if r in answered)
    earlier = [r for r in with_data if r != round]
    previous = earlier[-1] if earlier else None
    now = scores[(scores["round"] == round) & scores["mean"].notna()].sort_values(["mean", "item_order"])
    strongest = _figure(now.iloc[-1], framework) if len(now) else None
    weakest = _figure(now.iloc[0], framework) if len(now) else None
    lead = leadership if leadership is not None else pd.DataFrame(columns=["round", "item"])
    return SchoolSummary(
        school=school,
        round=round,
        rounds_with_data=with_data,
        previous_round=previous,
        respondents=respondents,
        respondents_before=respondents_before if previous else None,
        expected_staff=expected_staff,
        overall_mean=_overall(scores, framework, round),
        overall_before=_overall(scores, framework, previous) if previous else None,
        strongest=strongest,
        weakest=weakest,
        leadership_items=int(lead.loc[lead["round"] == round, "item"].nunique()) if len(lead) else 0,
        held_back=held_back,
    )
