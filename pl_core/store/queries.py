"""Reading stored imports back: tidy responses, comments, pick lists and import history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd
from sqlalchemy import Engine, Select, func, select

from .db import reader
from .models import Comment, District, Framework, ImportBatch, Respondent, Response, Round, School

ACTIVE = "active"  # batches that count; replaced and undone ones are kept for undo and the audit trail
RESPONSE_COLUMNS = ["school", "round", "respondent", "role", "grade_band", "item", "level"]
COMMENT_COLUMNS = ["school", "round", "respondent", "role", "grade_band", "column", "text"]


def _read(engine: Engine, stmt: Select, columns: list[str], *, raw: bool = False) -> pd.DataFrame:
    """Rows of `stmt` as a frame with `columns`.

    With `raw`, the database driver's own tuples are taken as they come (no SQLAlchemy row or type
    processing): for wide reads of plain numbers and text, where that processing is most of the cost.
    """
    with reader(engine).connect() as conn:
        result = conn.execute(stmt)
        rows = result.cursor.fetchall() if raw else result.all()
    if raw:
        return pd.DataFrame.from_records(rows, columns=columns, coerce_float=False)
    # Plain rows in bulk, no ORM objects; transposed column-wise so 500k rows stay cheap.
    values = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    return pd.DataFrame({name: list(column) for name, column in zip(columns, values, strict=True)}, columns=columns)


def _filtered(stmt: Select, framework_id: str, schools: Iterable[str] | None, rounds: Iterable[str] | None) -> Select:
    stmt = stmt.where(ImportBatch.framework_id == framework_id, ImportBatch.status == ACTIVE)
    if schools is not None:
        stmt = stmt.where(School.name.in_(list(schools)))
    if rounds is not None:
        stmt = stmt.where(Round.name.in_(list(rounds)))
    return stmt


def _per_respondent(model, *fields, framework_id: str, schools, rounds) -> Select:
    """Rows of `model` (responses or comments) with their school, round and respondent, filtered."""
    stmt = (
        select(School.name, Round.name, Respondent.key, Respondent.role, Respondent.grade_band, *fields)
        .select_from(model)
        .join(ImportBatch, ImportBatch.id == model.batch_id)
        .join(School, School.id == ImportBatch.school_id)
        .join(Round, Round.id == ImportBatch.round_id)
        .join(Respondent, Respondent.id == model.respondent_id)
        .order_by(model.id)
    )
    return _filtered(stmt, framework_id, schools, rounds)


def load_responses(
    engine: Engine,
    framework_id: str,
    *,
    schools: Iterable[str] | None = None,
    rounds: Iterable[str] | None = None,
) -> pd.DataFrame:
    """One row per stored answer for a framework: school, round, respondent, role, grade_band, item, level."""
    stmt = _per_respondent(
        Response, Response.item, Response.level, framework_id=framework_id, schools=schools, rounds=rounds
    )
    frame = _read(engine, stmt, RESPONSE_COLUMNS, raw=True)  # plain text and numbers: the driver's tuples
    frame["level"] = frame["level"].astype("Int64")
    return frame


def load_comments(
    engine: Engine,
    framework_id: str,
    *,
    schools: Iterable[str] | None = None,
    rounds: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Free-text comments for a framework: school, round, respondent, role, grade_band, column, text."""
    stmt = _per_respondent(
        Comment, Comment.column, Comment.text, framework_id=framework_id, schools=schools, rounds=rounds
    )
    return _read(engine, stmt, COMMENT_COLUMNS)


def list_schools(engine: Engine, *, district: str | None = None) -> list[str]:
    """Names of the known schools, alphabetically (optionally of one district)."""
    stmt = select(School.name).join(District, District.id == School.district_id).distinct().order_by(School.name)
    if district is not None:
        stmt = stmt.where(District.name == district)
    with reader(engine).connect() as conn:
        return list(conn.scalars(stmt))


def list_rounds(engine: Engine, *, district: str | None = None) -> list[str]:
    """Names of the known rounds in chronological order (optionally of one district)."""
    stmt = (
        select(Round.name)
        .join(District, District.id == Round.district_id)
        .order_by(Round.ordinal, Round.starts_on, Round.id)
    )
    if district is not None:
        stmt = stmt.where(District.name == district)
    with reader(engine).connect() as conn:
        names = list(conn.scalars(stmt))
    return list(dict.fromkeys(names))  # the same name in two districts is listed once, at its first place


def list_frameworks_in_use(engine: Engine) -> list[str]:
    """Ids of the frameworks that have at least one stored import, alphabetically."""
    in_use = select(ImportBatch.id).where(ImportBatch.framework_id == Framework.id, ImportBatch.status == ACTIVE)
    stmt = select(Framework.id).where(in_use.exists())
    with reader(engine).connect() as conn:
        return list(conn.scalars(stmt.order_by(Framework.id)))


def import_history(engine: Engine, *, school: str | None = None) -> pd.DataFrame:
    """Stored import batches, newest first: where they went, who imported what and the counts."""
    stmt = (
        select(
            ImportBatch.id.label("batch_id"),
            District.name.label("district"),
            School.name.label("school"),
            Round.name.label("round"),
            ImportBatch.framework_id.label("framework"),
            ImportBatch.file_name,
            ImportBatch.file_hash,
            ImportBatch.format,
            ImportBatch.imported_by,
            ImportBatch.imported_at,
            ImportBatch.rows_read,
            ImportBatch.respondents,
            ImportBatch.answers,
            ImportBatch.missing_answers,
            ImportBatch.superseded,
            ImportBatch.replaced_batch_id,
            ImportBatch.status,
        )
        .join(School, School.id == ImportBatch.school_id)
        .join(District, District.id == School.district_id)
        .join(Round, Round.id == ImportBatch.round_id)
        .order_by(ImportBatch.imported_at.desc(), ImportBatch.id.desc())
    )
    if school is not None:
        stmt = stmt.where(School.name == school)
    frame = _read(engine, stmt, [c.name for c in stmt.selected_columns])
    frame["replaced_batch_id"] = frame["replaced_batch_id"].astype("Int64")
    return frame


def list_districts(engine: Engine) -> list[str]:
    """Names of the known districts, alphabetically."""
    with reader(engine).connect() as conn:
        return list(conn.scalars(select(District.name).order_by(District.name)))


def default_district(engine: Engine, fallback: str = "My District") -> str:
    """The district new data belongs to: the only one there is, else `fallback`."""
    districts = list_districts(engine)
    return districts[0] if len(districts) == 1 else fallback


def round_dates(engine: Engine) -> dict[str, date]:
    """The start date of each round that has one set (the earliest, when districts disagree)."""
    stmt = select(Round.name, func.min(Round.starts_on)).where(Round.starts_on.is_not(None)).group_by(Round.name)
    with reader(engine).connect() as conn:
        return dict(conn.execute(stmt).all())
