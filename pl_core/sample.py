"""Load the fictional sample district (sample_data/) through the same path a principal's upload takes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

import yaml
from sqlalchemy import Engine

from . import settings, store
from .frameworks import load_framework
from .goals import Goal, Milestone, with_statement
from .ingest import read_upload
from .workshop import import_workshop, list_workshops

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_data"
WORKSHOP_TIME = time(15, 30)  # after school: the sample files only give the day


@dataclass(frozen=True)
class SampleLoad:
    uploads: int
    answers: int
    workshops: int
    goals: int


def manifest(sample_dir: Path = SAMPLE_DIR) -> dict:
    return yaml.safe_load((sample_dir / "manifest.yaml").read_text(encoding="utf-8"))


def load_sample_district(
    engine: Engine,
    sample_dir: Path = SAMPLE_DIR,
    progress: Callable[[int, int, str], None] | None = None,
) -> SampleLoad:
    """Import every sample upload, then the sample leadership workshops (closed) and goals."""
    spec = manifest(sample_dir)
    uploads = spec["uploads"]
    secret = settings.respondent_secret()
    answers = 0
    for i, entry in enumerate(uploads, start=1):
        if progress:
            progress(i, len(uploads), f"{entry['school']} \u00b7 {entry['round']}")
        framework = load_framework(entry["framework"])
        path = sample_dir / entry["file"]
        parsed = read_upload(path.read_bytes(), path.name, framework, secret=secret)
        if not parsed.report.valid:
            problems = "; ".join(f"row {e.row}, {e.column}: {e.message}" for e in parsed.report.errors[:5])
            raise ValueError(f"sample file {path.name} did not validate: {problems}")
        result = store.save_import(
            engine,
            parsed,
            school=entry["school"],
            round=entry["round"],
            framework=framework,
            district=spec["district"],
            school_level=entry.get("school_level"),
            imported_by="sample district",
        )
        answers += result.answers
    workshops = load_sample_workshops(engine, sample_dir, district=spec["district"])
    goals = load_sample_goals(engine, sample_dir, district=spec["district"])
    return SampleLoad(len(uploads), answers, workshops, goals)


def load_sample_workshops(engine: Engine, sample_dir: Path = SAMPLE_DIR, *, district: str | None = None) -> int:
    """Store sample_data/workshops.yaml as closed workshops with votes and consensus; return how many were new."""
    path = sample_dir / "workshops.yaml"
    if not path.exists():
        return 0
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["workshops"]
    held = {(w.school, w.round, w.framework_id, w.opened_at) for w in list_workshops(engine)}
    loaded = 0
    for entry in entries:
        held_at = datetime.combine(_as_date(entry["held_on"]), WORKSHOP_TIME, UTC)
        if (entry["school"], entry["round"], entry["framework"], held_at) in held:
            continue  # loaded before: loading the sample twice does not double its workshops
        votes: dict[str, dict[str, float]] = {name: {} for name in entry["participants"]}
        for item in entry["items"]:
            for name, level in item["votes"].items():
                votes.setdefault(name, {})[item["item"]] = level
        import_workshop(
            engine,
            school=entry["school"],
            round=entry["round"],
            framework=load_framework(entry["framework"]),
            held_at=held_at,
            votes=votes,
            consensus={item["item"]: item["consensus"] for item in entry["items"] if item.get("consensus") is not None},
            facilitator=entry.get("facilitator", "sample district"),
            district=district,
        )
        loaded += 1
    return loaded


def load_sample_goals(engine: Engine, sample_dir: Path = SAMPLE_DIR, *, district: str | None = None) -> int:
    """Store sample_data/goals.yaml (SMART statements filled in); return how many were new."""
    path = sample_dir / "goals.yaml"
    if not path.exists():
        return 0
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["goals"]
    stored = {(g.school, g.framework_id, g.item_id, g.title) for g in store.list_goals(engine, include_deleted=True)}
    loaded = 0
    for goal in map(sample_goal, entries):
        if (goal.school, goal.framework_id, goal.item_id, goal.title) in stored:
            continue
        store.save_goal(engine, with_statement(goal, load_framework(goal.framework_id)), district=district)
        loaded += 1
    return loaded


def sample_goal(entry: dict) -> Goal:
    """A Goal from one entry of sample_data/goals.yaml."""
    return Goal(
        school=entry["school"],
        framework_id=entry["framework"],
        item_id=entry["item"],
        baseline_level=float(entry["baseline_level"]),
        target_level=float(entry["target_level"]),
        start_date=_as_date(entry["start_date"]),
        target_date=_as_date(entry["target_date"]),
        owner=entry.get("owner", ""),
        title=entry.get("title", ""),
        steps=tuple(entry.get("steps", ())),
        milestones=tuple(
            Milestone(_as_date(m["due"]), m["description"], bool(m.get("done", False)))
            for m in entry.get("milestones", ())
        ),
        status=entry.get("status", "active"),
        statement=entry.get("statement", ""),
        baseline_round=entry.get("baseline_round"),
    )


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def is_empty(engine: Engine) -> bool:
    return not store.list_schools(engine)
