"""Level counts summed by the database: answers per school, round, item and level, without moving every row."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, distinct, func, select

from .models import ImportBatch, Response, Round, School
from .queries import ACTIVE, _read

COUNT_COLUMNS = ["school", "round", "item", "level", "answers"]
PEOPLE_COLUMNS = ["school", "round", "item", "people"]


def level_counts(
    engine: Engine,
    framework_id: str,
    *,
    schools: Sequence[str] | None = None,
    rounds: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Answers per school x round x item x level (level NA: missing), and respondents per school x round x item."""
    keys = [School.name.label("school"), Round.name.label("round"), Response.item]
    base = (
        select()
        .select_from(Response)
        .join(ImportBatch, ImportBatch.id == Response.batch_id)
        .join(School, School.id == ImportBatch.school_id)
        .join(Round, Round.id == ImportBatch.round_id)
        .where(ImportBatch.framework_id == framework_id, ImportBatch.status == ACTIVE)
    )
    if schools is not None:
        base = base.where(School.name.in_(list(schools)))
    if rounds is not None:
        base = base.where(Round.name.in_(list(rounds)))
    per_level = base.add_columns(*keys, Response.level, func.count().label("answers")).group_by(*keys, Response.level)
    people = base.add_columns(*keys, func.count(distinct(Response.respondent_id)).label("people")).group_by(*keys)
    counts = _read(engine, per_level, COUNT_COLUMNS)
    counts["level"] = counts["level"].astype("Int64")
    return counts, _read(engine, people, PEOPLE_COLUMNS)
