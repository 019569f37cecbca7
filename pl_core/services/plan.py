"""Next steps: the prioritised short list for a school and round, from its published scores and its consensus."""

from __future__ import annotations

from sqlalchemy import Engine

from ..domain.recommend import NextStepPlan, Recommendation, next_steps_for, recommend  # noqa: F401 - re-exported
from ..frameworks import Framework
from .access import Viewer
from .scores import school_scores
from .workshops import leadership


def recommendations(
    engine: Engine, viewer: Viewer, framework: Framework, school: str, round: str, *, top: int = 3
) -> list[Recommendation]:
    """The short list: weak foundational practices first, then the lowest stage (see pl_core.domain.recommend)."""
    scores = school_scores(engine, viewer, framework, school, rounds=[round])
    lead = leadership(engine, viewer, framework.id, schools=[school], rounds=[round])
    return recommend(framework, scores, lead if len(lead) else None, top=top)
