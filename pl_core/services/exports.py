"""Exports for spreadsheets and data teams: tidy tables of published figures, written by pl_core.present.export.

Staff answers leave only as published aggregates: `responses_table` gives level counts per school x
round x item, overall and by role and grade band, as pl_core.privacy cleared them, over the schools
the viewer may see. The row-level pseudonymous answers (`response_rows`) are for a district data team
and only a district administrator (or the command line's local user) may have them.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from .. import scoring, store
from ..domain.roles import DISTRICT_ADMIN
from ..frameworks import Framework
from ..present.export import write
from .access import Viewer, require_role, scope
from .catalog import list_schools
from .goals import goal_progress
from .scores import released_breakdowns, whole_school_scores
from .workshops import item_votes, list_workshops

KINDS = ("scores", "responses", "votes", "goals", "district")
DECIMALS = 4
_STATS = list(scoring.STAT_COLUMNS)


def _only(value: str | None) -> list[str] | None:
    return None if value is None else [value]


def _stage_labels(frame: pd.DataFrame, framework: Framework) -> list[str | None]:
    return [
        None if pd.isna(stage) else framework.item(item).scale.label(int(stage))
        for item, stage in zip(frame["item"], frame["stage"], strict=True)
    ]


def _tidy_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts back to whole numbers (suppression made them floats) and statistics rounded for reading."""
    for column in frame.columns:
        if column in ("respondents", "n", "missing", "stage") or column.startswith("count_"):
            frame[column] = frame[column].astype("Float64").round().astype("Int64")
        elif column in ("mean", "median", "sd", "agreement", "within_one") or column.startswith("share_"):
            frame[column] = frame[column].astype(float).round(DECIMALS)
    return frame


def scores_table(
    engine: Engine, viewer: Viewer, framework: Framework, *, school: str | None = None, round: str | None = None
) -> pd.DataFrame:
    """Whole-school item scores per school x round, for the viewer's schools (all rounds unless narrowed)."""
    scores = whole_school_scores(engine, viewer, framework, schools=_only(school), rounds=_only(round))
    scores = _round_order(engine, scores)
    scores.insert(0, "framework", framework.id)
    scores["stage_label"] = _stage_labels(scores, framework)
    counts = [f"count_{k}" for k in scoring.level_numbers(framework)]
    columns = ["framework", "school", "round", "domain", "domain_name", "item", "item_name", *_STATS]
    columns = [*columns[: columns.index("stage") + 1], "stage_label", *columns[columns.index("stage") + 1 :]]
    return _tidy_numbers(scores[[*columns, *counts]].reset_index(drop=True))


def group_scores(
    engine: Engine,
    viewer: Viewer,
    framework: Framework,
    *,
    school: str | None = None,
    round: str | None = None,
) -> pd.DataFrame:
    """Long format: one row per school x round x item x group (the whole school, then each role and grade band).

    Every row is a released figure (pl_core.privacy cleared it with everything else ever shown); hidden
    groups come blank with `suppressed` True.
    """
    schools, rounds = _only(school), _only(round)
    # score_counts' own "group" (the framework's grouping of items) would clash with the respondent group here.
    whole = whole_school_scores(engine, viewer, framework, schools=schools, rounds=rounds)
    parts = [whole.drop(columns="group").assign(breakdown="all", **{"group": "all"})]
    for breakdown in scoring.BREAKDOWNS:
        table = released_breakdowns(engine, viewer, framework, breakdown, schools=schools, rounds=rounds)
        table = table.drop(columns="group").rename(columns={breakdown: "group"})
        parts.append(table.assign(breakdown=breakdown))
    combined = pd.concat(parts, ignore_index=True)
    combined["suppressed"] = combined["suppressed"].astype(bool)
    order = {b: i for i, b in enumerate(("all", *scoring.BREAKDOWNS))}
    combined["_b"] = combined["breakdown"].map(order)
    combined = combined.sort_values(["school", "round", "item_order", "_b", "group"], kind="stable")
    return _round_order(engine, combined.drop(columns="_b")).reset_index(drop=True)


def _round_order(engine: Engine, frame: pd.DataFrame) -> pd.DataFrame:
    """Rounds in time order rather than alphabetically (Fall 2025, Spring 2026, Fall 2026)."""
    ordinal = {name: i for i, name in enumerate(store.list_rounds(engine))}
    position = frame["round"].map(ordinal).fillna(len(ordinal))
    return frame.assign(_r=position).sort_values(["school", "_r"], kind="stable").drop(columns="_r")


def responses_table(
    engine: Engine,
    viewer: Viewer,
    framework: Framework,
    *,
    school: str | None = None,
    round: str | None = None,
) -> pd.DataFrame:
    """Staff answers as level counts per school x round x item x group, small groups suppressed (no one's answers)."""
    table = group_scores(engine, viewer, framework, school=school, round=round)
    table.insert(0, "framework", framework.id)
    counts = [f"count_{k}" for k in scoring.level_numbers(framework)]
    columns = ["framework", "school", "round", "domain", "item", "item_name", "breakdown", "group", "n", "missing"]
    return _tidy_numbers(table[[*columns, *counts, "suppressed"]].copy())


def district_table(
    engine: Engine,
    viewer: Viewer,
    framework: Framework,
    *,
    school: str | None = None,
    round: str | None = None,
) -> pd.DataFrame:
    """The data team's tidy file: n, mean, sd, stage, agreement and level counts per school x round x item x group."""
    table = group_scores(engine, viewer, framework, school=school, round=round)
    table.insert(0, "framework", framework.id)
    table["stage_label"] = _stage_labels(table, framework)
    counts = [f"count_{k}" for k in scoring.level_numbers(framework)]
    columns = [
        "framework",
        "school",
        "round",
        "domain",
        "domain_name",
        "item",
        "item_name",
        "breakdown",
        "group",
        "n",
        "missing",
        "mean",
        "median",
        "sd",
        "stage",
        "stage_label",
        "agreement",
        *counts,
        "suppressed",
    ]
    return _tidy_numbers(table[columns].copy())


def response_rows(
    engine: Engine, viewer: Viewer, framework: Framework, *, school: str | None = None, round: str | None = None
) -> pd.DataFrame:
    """Row-level pseudonymous answers (respondent key, role, grade band, item, level): for a district data team only.

    Only a district administrator (or the command line's local user) may have them; schools never do.
    """
    require_role(viewer, DISTRICT_ADMIN)
    frame = store.load_responses(engine, framework.id, schools=scope(viewer, _only(school)), rounds=_only(round))
    frame.insert(0, "framework", framework.id)
    return frame[["framework", "school", "round", "respondent", "role", "grade_band", "item", "level"]]


def _half_steps(framework: Framework) -> list[float]:
    levels = scoring.level_numbers(framework)
    return [levels[0] + i / 2 for i in range(2 * (levels[-1] - levels[0]) + 1)]


def votes_table(
    engine: Engine, viewer: Viewer, framework: Framework, *, school: str | None = None, round: str | None = None
) -> pd.DataFrame:
    """Leadership workshops per item: how many votes each level got, the consensus and why; never who voted what."""
    steps = _half_steps(framework)
    vote_columns = [f"votes_{s:g}" for s in steps]
    rows = []
    for w in list_workshops(engine, viewer, school=school, round=round, framework_id=framework.id):
        for iv in item_votes(engine, viewer, w.id, framework):
            # An open workshop's hidden votes stay hidden until the facilitator reveals them.
            hidden = w.status == "open" and not iv.revealed
            tally = {s: 0 for s in steps}
            for vote in iv.votes:
                tally[vote] = tally.get(vote, 0) + 1
            item = framework.item(iv.item)
            rows.append(
                {
                    "framework": framework.id,
                    "workshop_id": w.id,
                    "school": w.school,
                    "round": w.round,
                    "held_on": w.opened_at.date(),
                    "workshop_status": w.status,
                    "domain": item.domain,
                    "item": iv.item,
                    "item_name": item.name,
                    "revealed": iv.revealed,
                    "voters": iv.voters,
                    **{c: (None if hidden else tally[s]) for c, s in zip(vote_columns, steps, strict=True)},
                    "mean": None if hidden or iv.mean is None else float(np.round(iv.mean, DECIMALS)),
                    "median": None if hidden else iv.median,
                    "spread": None if hidden else iv.spread,
                    "needs_discussion": None if hidden else iv.needs_discussion,
                    "consensus": iv.consensus,
                    "rationale": iv.rationale,
                    "evidence": iv.evidence,
                }
            )
    columns = [
        "framework",
        "workshop_id",
        "school",
        "round",
        "held_on",
        "workshop_status",
        "domain",
        "item",
        "item_name",
        "revealed",
        "voters",
        *vote_columns,
        "mean",
        "median",
        "spread",
        "needs_discussion",
        "consensus",
        "rationale",
        "evidence",
    ]
    frame = _round_order(engine, pd.DataFrame(rows, columns=columns)).reset_index(drop=True)
    for column in [*vote_columns, "voters", "workshop_id"]:
        frame[column] = frame[column].astype("Int64")
    for column in ("mean", "median", "spread", "consensus"):
        frame[column] = frame[column].astype(float)
    return frame


def goals_table(
    engine: Engine,
    viewer: Viewer,
    framework: Framework,
    *,
    school: str | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Goals with their progress status, one row per milestone (a goal without milestones gets one row)."""
    today = today or dt.date.today()
    rows = []
    schools = [school] if school is not None else list_schools(engine, viewer)
    progresses = [p for s in schools for p in goal_progress(engine, viewer, framework, s, today)]
    for progress in progresses:
        goal = progress.goal
        latest = progress.checkpoints[-1] if progress.checkpoints else None
        overdue = set(progress.overdue)
        base = {
            "framework": framework.id,
            "goal_id": goal.id,
            "school": goal.school,
            "item": goal.item_id,
            "item_name": framework.item(goal.item_id).name,
            "title": goal.title,
            "owner": goal.owner,
            "status": goal.status,
            "progress": progress.status,
            "baseline_round": goal.baseline_round,
            "baseline_level": goal.baseline_level,
            "target_level": goal.target_level,
            "start_date": goal.start_date,
            "target_date": goal.target_date,
            "latest_round": latest.round if latest else None,
            "latest_measured": round(latest.measured, DECIMALS) if latest else None,
            "latest_planned": round(latest.planned, DECIMALS) if latest else None,
            "steps": "\n".join(goal.steps),
            "statement": goal.statement,
        }
        if not goal.milestones:
            rows.append({**base, "milestone_due": None, "milestone": None, "milestone_done": None})
        for m in goal.milestones:
            state = "done" if m.done else ("overdue" if m in overdue else "upcoming")
            rows.append(
                {**base, "milestone_due": m.due, "milestone": m.description, "milestone_done": m.done, "state": state}
            )
    columns = [
        "framework",
        "goal_id",
        "school",
        "item",
        "item_name",
        "title",
        "owner",
        "status",
        "progress",
        "baseline_round",
        "baseline_level",
        "target_level",
        "start_date",
        "target_date",
        "latest_round",
        "latest_measured",
        "latest_planned",
        "steps",
        "statement",
        "milestone_due",
        "milestone",
        "milestone_done",
        "state",
    ]
    frame = pd.DataFrame(rows, columns=columns).rename(columns={"state": "milestone_state"})
    frame["goal_id"] = frame["goal_id"].astype("Int64")
    for column in ("baseline_level", "target_level", "latest_measured", "latest_planned"):
        frame[column] = frame[column].astype(float)
    return frame


def export_table(
    engine: Engine,
    viewer: Viewer,
    kind: str,
    framework: Framework,
    *,
    school: str | None = None,
    round: str | None = None,
    row_level: bool = False,
) -> pd.DataFrame:
    """The table for one export kind (see KINDS) over the viewer's schools; `row_level` only for responses."""
    if kind not in KINDS:
        raise ValueError(f"unknown export {kind!r}; use one of {', '.join(KINDS)}")
    if row_level and kind != "responses":
        raise ValueError("row-level output applies to the responses export only")
    scope = {"school": school, "round": round}
    if kind == "scores":
        return scores_table(engine, viewer, framework, **scope)
    if kind == "responses":
        if row_level:
            return response_rows(engine, viewer, framework, **scope)
        return responses_table(engine, viewer, framework, **scope)
    if kind == "votes":
        return votes_table(engine, viewer, framework, **scope)
    if kind == "goals":
        return goals_table(engine, viewer, framework, school=school)  # goals span rounds: no round filter
    return district_table(engine, viewer, framework, **scope)


def export_bytes(
    engine: Engine,
    viewer: Viewer,
    kind: str,
    framework: Framework,
    fmt: str,
    *,
    school: str | None = None,
    round: str | None = None,
) -> bytes:
    """An aggregate export as file bytes, ready for a download button (never row-level)."""
    return write(export_table(engine, viewer, kind, framework, school=school, round=round), fmt, sheet=kind)
