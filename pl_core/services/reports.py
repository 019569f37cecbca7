"""The school report: gathered from the services (published figures only) and rendered by pl_core.present.report.

The dashboard's "Download the school report" and `pl-diag report` both call `build_report`, so a coach
gets the same file from either.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine

from .. import scoring, store
from ..frameworks import Framework
from ..present.report import ConsensusNote, SchoolReport, render_report
from ..store import workshops as workshop_store
from .access import Viewer, require_school
from .goals import goal_progress
from .plan import recommend
from .scores import breakdown_scores, comments, min_group_size, school_scores, school_summary
from .workshops import leadership as leadership_ratings

TOP_STEPS = 3  # fidelity-inventory action plans usually focus on one to three items


class ReportError(ValueError):
    """Nothing to report for this choice (unknown school or round, or no data at all)."""


def build_report(
    engine: Engine,
    viewer: Viewer,
    *,
    school: str,
    round: str,
    framework: Framework,
    today: dt.date | None = None,
    appendices: bool = False,
) -> str:
    """The school's report for one round as a self-contained HTML document (`appendices`: every heatmap and level)."""
    data = gather_report(engine, viewer, school=school, round=round, framework=framework, today=today)
    return render_report(data, appendices=appendices)


def gather_report(
    engine: Engine,
    viewer: Viewer,
    *,
    school: str,
    round: str,
    framework: Framework,
    today: dt.date | None = None,
) -> SchoolReport:
    """Read everything the report shows for one school and round, through the same services as the pages."""
    require_school(viewer, school)
    today = today or dt.date.today()
    schools = store.list_schools(engine)
    if school not in schools:
        raise ReportError(f"there is no school {school!r}")
    all_rounds = store.list_rounds(engine)
    if round not in all_rounds:
        raise ReportError(f"there is no round {round!r}; rounds: {', '.join(all_rounds) or 'none'}")
    # A report for an earlier round shows the school as it was then: nothing from later rounds.
    upto = all_rounds[: all_rounds.index(round) + 1]
    scores = school_scores(engine, viewer, framework, school, rounds=upto)
    lead = leadership_ratings(engine, viewer, framework.id, schools=[school], rounds=[round])
    now = scores[scores["round"] == round].reset_index(drop=True)
    if now.empty and lead.empty:  # hidden figures still make a report: it says why they are hidden
        raise ReportError(f"no staff answers and no leadership consensus for {school!r} in {round!r} on {framework.id}")
    summary = school_summary(engine, viewer, framework, school, round)
    shown = comments(engine, viewer, framework, school, round)
    return SchoolReport(
        framework=framework,
        today=today,
        min_group=min_group_size(),
        summary=summary,
        scores=scores[scores["round"].isin(summary.rounds_with_data)].reset_index(drop=True),
        now=now,
        by_role=breakdown_scores(engine, viewer, framework, school, round, "role"),
        by_grade_band=breakdown_scores(engine, viewer, framework, school, round, "grade_band"),
        leadership=lead,
        consensus=_consensus_notes(engine, framework, lead),
        comparison=scoring.compare_leadership(now, lead) if not lead.empty else now.iloc[0:0],
        growth=scoring.compare_rounds(scores, summary.previous_round, round) if summary.previous_round else None,
        recommendations=recommend(framework, now, lead, top=TOP_STEPS),
        goals=goal_progress(engine, viewer, framework, school, today, rounds=set(upto)),
        comments=shown if summary.respondents is not None and summary.respondents >= min_group_size() else None,
    )


def _consensus_notes(engine: Engine, framework: Framework, leadership: pd.DataFrame) -> dict[str, ConsensusNote]:
    notes = {}
    for workshop_id, rows in leadership.groupby("workshop_id"):
        wanted = set(rows["item"])
        for votes in workshop_store.item_votes(engine, int(workshop_id), framework):
            if votes.item in wanted and votes.consensus is not None:
                notes[votes.item] = ConsensusNote(votes.consensus, votes.rationale, votes.evidence, votes.votes)
    return notes
