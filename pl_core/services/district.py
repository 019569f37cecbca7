"""The District view: every school the viewer may see at once, from one read of published scores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from .. import store
from ..domain import district as compare
from ..frameworks import Framework
from .access import Viewer
from .goals import goals as list_goals
from .scores import district_scores
from .workshops import leadership


@dataclass(frozen=True)
class DistrictView:
    round: str
    previous_round: str | None  # the latest earlier round with answers anywhere in the view
    scores: pd.DataFrame  # whole-school scores, every round, of the viewer's schools; hidden cells blank
    now: pd.DataFrame  # this round's rows
    order: list[str]  # schools with rows this round, lowest overall mean first
    growth: pd.DataFrame | None  # None without a previous round
    gaps: pd.DataFrame  # leadership vs staff per school, largest first
    goals: pd.DataFrame  # every goal with its status
    goal_counts: dict[str, int]

    @property
    def schools_with_answers(self) -> int:
        return int(self.now.loc[self.now["n"].fillna(0) > 0, "school"].nunique())

    @property
    def staff(self) -> int:
        """Staff who answered, in schools whose figures are shown."""
        return int(self.now.groupby("school")["respondents"].max().fillna(0).sum())

    @property
    def pooled_mean(self) -> float:
        """The mean over every answer shown this round."""
        answers = self.now["n"].sum()
        return float((self.now["mean"] * self.now["n"]).sum() / answers) if answers else float("nan")


def district_view(
    engine: Engine, viewer: Viewer, framework: Framework, round: str, today: dt.date, rounds: Sequence[str]
) -> DistrictView:
    """Scores, ranking, growth, leadership gaps and goal status across the viewer's schools for one round."""
    scores = district_scores(engine, viewer, framework)
    now = scores[scores["round"] == round]
    with_data = set(scores.loc[scores["n"].fillna(0) > 0, "round"])
    before = list(rounds[: list(rounds).index(round)]) if round in rounds else []
    previous = next((r for r in reversed(before) if r in with_data), None)
    goals = list_goals(engine, viewer, framework_id=framework.id)
    statuses = compare.goal_status(goals, scores, framework, today, store.round_dates(engine))
    return DistrictView(
        round=round,
        previous_round=previous,
        scores=scores,
        now=now,
        order=compare.school_order(scores, framework, round) if len(now) else [],
        growth=compare.growth_by_school(scores, framework, previous, round) if previous else None,
        gaps=compare.leadership_gaps(scores, leadership(engine, viewer, framework.id, rounds=[round]), round),
        goals=statuses,
        goal_counts=compare.goal_status_counts(statuses),
    )
