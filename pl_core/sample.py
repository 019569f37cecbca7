"""Load the fictional sample district (sample_data/) through the same path a principal's upload takes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import Engine

from . import settings, store
from .frameworks import load_framework
from .ingest import read_upload

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_data"


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
    """Import every sample upload (and the sample workshops and goals, where that layer exists)."""
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
            engine, parsed, school=entry["school"], round=entry["round"], framework=framework,
            district=spec["district"], school_level=entry.get("school_level"), imported_by="sample district",
        )
        answers += result.answers
    workshops = goals = 0
    return SampleLoad(len(uploads), answers, workshops, goals)


def is_empty(engine: Engine) -> bool:
    return not store.list_schools(engine)
