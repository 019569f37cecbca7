"""Saving a parsed upload: one transaction that takes the place of an earlier import of the same file."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice, repeat
from typing import Any, Protocol

import numpy as np
import pandas as pd
import psycopg
from psycopg import sql
from sqlalchemy import Connection, Engine, String, Table, bindparam, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from ..domain.rounds import ordinal_for_new_round
from .db import describe_database, session_scope, storage_error, storage_problem
from .integrity import check_answers
from .models import Comment, District, Framework, ImportBatch, Respondent, Response, Round, School, utc_now


class FrameworkLike(Protocol):
    id: str
    name: str
    content_hash: str


MISSING = -1  # a level in BatchRows: a missing answer ("Don't know"), stored as NULL


@dataclass(frozen=True, eq=False)
class BatchRows:
    """One import batch's answers as stored in `responses`, one entry per row, in arrays."""

    batch_id: int
    person_codes: np.ndarray  # int32 index into person_ids, per row
    person_ids: np.ndarray  # int64 respondent id of each person (the last, for code -1, is 0: no one)
    item_codes: np.ndarray  # int32 index into items (-1: none given, which the table refuses)
    items: tuple[str, ...]
    levels: np.ndarray  # int16, MISSING for NULL

    def __len__(self) -> int:
        return len(self.levels)

    def respondent_ids(self, rows: slice = slice(None)) -> np.ndarray:
        """The respondent id of each of `rows` (int64)."""
        return self.person_ids[self.person_codes[rows]]

    def people(self) -> np.ndarray:
        """The distinct respondent ids with a row in the batch (unordered)."""
        return self.person_ids[pd.unique(self.person_codes)]


@dataclass(frozen=True)
class ImportResult:
    batch_id: int
    replaced_batch_id: int | None
    answers: int  # saved responses with a level
    respondents: int  # distinct respondents in this import


def save_import(
    engine: Engine,
    parsed: Any,
    *,
    school: str,
    round: str,
    framework: FrameworkLike,
    district: str = "Sample District",
    school_level: str | None = None,
    imported_by: str = "",
    publish: Callable[..., None] | None = None,
) -> ImportResult:
    """Store a valid ParsedUpload for a school and round, in place of an earlier import of the same file.

    `publish(conn, school_id, round_id, framework_id, written[, store_written])` runs last, in the same
    transaction: the round's next release of figures (pl_core.services.releases) is decided with this batch's
    rows exactly as they are stored (`written`, BatchRows), so they need not be read back. On PostgreSQL it is
    handed `store_written`, the COPY of those rows, to run while it decides (publications.republish).
    """
    report = parsed.report
    if not report.valid:
        raise ValueError(
            f"{report.file_name!r} did not pass validation, so nothing was saved; "
            "fix the errors in its import report and upload it again"
        )
    responses: pd.DataFrame = parsed.responses
    comments: pd.DataFrame = parsed.comments

    with session_scope(engine) as session:
        conn = session.connection()
        district_id = _district_id(conn, district)
        school_id = _school_id(conn, district_id, school, school_level)
        round_id = _round_id(conn, district_id, round)
        # Last of the shared rows: its row lock is held to commit, so take it after the others.
        _upsert_framework(conn, framework)

        earlier = conn.scalars(
            select(ImportBatch.id)
            .where(
                ImportBatch.school_id == school_id,
                ImportBatch.round_id == round_id,
                ImportBatch.framework_id == framework.id,
                ImportBatch.status == "active",
                or_(ImportBatch.file_hash == report.file_hash, ImportBatch.file_name == report.file_name),
            )
            .order_by(ImportBatch.id)
        ).all()
        if earlier:  # kept, not deleted: undoing this import brings them back
            conn.execute(update(ImportBatch).where(ImportBatch.id.in_(earlier)).values(status="replaced"))
        replaced = earlier[-1] if earlier else None

        respondent_ids = _upsert_respondents(conn, school_id, responses, comments)
        batch_id = conn.execute(
            ImportBatch.__table__.insert()
            .values(
                school_id=school_id,
                round_id=round_id,
                framework_id=framework.id,
                file_name=report.file_name,
                file_hash=report.file_hash,
                format=report.format or "unknown",
                imported_by=imported_by,
                imported_at=utc_now(),
                rows_read=int(report.rows_read),
                respondents=int(report.respondents),
                answers=int(report.answers),
                missing_answers=int(report.missing_answers),
                superseded=int(report.superseded),
                replaced_batch_id=replaced,
            )
            .returning(ImportBatch.id)
        ).scalar_one()

        _bulk_insert(
            conn,
            Comment.__table__,
            ("batch_id", "respondent_id", "column", "text"),
            zip(
                repeat(batch_id),
                [respondent_ids[str(key)] for key in comments["respondent"]],
                _strings(comments["column"]),
                _strings(comments["text"]),
            ),
        )
        written = _response_arrays(batch_id, responses, respondent_ids)
        if publish is None:
            _insert_responses(conn, written)
        elif conn.dialect.name == "postgresql":
            # the release is decided from the rows in hand while the server takes in their COPY
            publish(conn, school_id, round_id, framework.id, written, lambda: _insert_responses(conn, written))
        else:
            _insert_responses(conn, written)
            publish(conn, school_id, round_id, framework.id, written)  # handed over, not read back
        # `responses` has no foreign keys (migration 0007): what they guarded is checked here, once, as a set.
        check_answers(conn, f"importing {report.file_name!r}", batch_id=batch_id)

    answers = int(responses["level"].notna().sum()) if len(responses) else 0
    return ImportResult(batch_id, replaced, answers, len(respondent_ids))


def _bulk_insert(conn: Connection, table: Table, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """Insert many rows, streamed: COPY on PostgreSQL, the driver's executemany in chunks on SQLite.

    Rows are tuples of plain Python values; neither path builds a row object or a dict per row, so a
    district-wide file's millions of answers pass through in bounded memory.
    """
    if conn.dialect.name == "postgresql":
        iterator = iter(rows)
        chunks = iter(lambda: list(islice(iterator, _INSERT_CHUNK)), [])
        _copy(conn, table, columns, ("".join(["\t".join(map(_copy_text, row)) + "\n" for row in c]) for c in chunks))
        return
    names = ", ".join(f'"{c}"' for c in columns)
    statement = f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * len(columns))})'
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        iterator = iter(rows)
        while chunk := list(islice(iterator, _INSERT_CHUNK)):
            cursor.executemany(statement, chunk)
    except sqlite3.Error as exc:
        raise _driver_error(conn, statement, exc) from exc
    finally:
        cursor.close()


def _copy(conn: Connection, table: Table, columns: tuple[str, ...], text: Iterable[str]) -> None:
    """COPY ... FROM STDIN, written a chunk of lines (COPY's text format) at a time."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    try:
        with conn.connection.dbapi_connection.cursor() as cursor, cursor.copy(statement) as copy:
            for chunk in text:
                copy.write(chunk)
    except psycopg.Error as exc:
        raise _driver_error(conn, statement.as_string(), exc) from exc


_INSERT_CHUNK = 50_000
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: object) -> str:
    """One value in COPY's text format: NULL as \\N; backslash, tab, line feed and carriage return escaped.

    Writing a chunk of lines at once is several times faster than psycopg's write_row per row.
    """
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


def _driver_error(conn: Connection, statement: str, exc: Exception) -> Exception:
    """What SQLAlchemy would have raised for a driver error met outside it: a StorageError for a full disk or a
    read-only database (as everywhere else, see store.db), else its DBAPIError (IntegrityError, ...)."""
    problem = storage_problem(exc)
    if problem is not None:
        return storage_error(problem, describe_database(conn.engine.url), str(exc))
    return DBAPIError.instance(statement, None, exc, type(exc))


def _codes(values: pd.Series) -> tuple[np.ndarray, list]:
    """(code per row, the distinct values) of a column, categorical or not (-1: missing)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), list(values.cat.categories)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, list(uniques)


def _response_arrays(batch_id: int, responses: pd.DataFrame, respondent_ids: dict[str, int]) -> BatchRows:
    """This batch's answers as stored, one entry per row: mapped per distinct value (not per row), so a
    district-wide file never doubles in memory as Python rows."""
    person_codes, people = _codes(responses["respondent"])
    id_of = np.array([respondent_ids[str(p)] for p in people] + [0], dtype=np.int64)  # -1 (never) -> 0
    item_codes, items = _codes(responses["item"])
    levels = pd.array(responses["level"], dtype="Int64").fillna(MISSING).to_numpy(dtype=np.int16)
    return BatchRows(
        batch_id,
        person_codes.astype(np.int32),
        id_of,
        item_codes.astype(np.int32),
        tuple(str(i) for i in items),
        levels,
    )


def _insert_responses(conn: Connection, rows: BatchRows) -> None:
    """The batch's answers into `responses`: COPY lines assembled from text made once per distinct respondent,
    item and level on PostgreSQL (a line is three lookups), the driver's executemany on SQLite."""
    columns = ("batch_id", "respondent_id", "item", "level")
    if conn.dialect.name != "postgresql":
        item_of = [*rows.items, None]  # code -1 (no item) is the last: NULL, which the table refuses
        _bulk_insert(
            conn,
            Response.__table__,
            columns,
            (
                (rows.batch_id, rid, item_of[code], None if level == MISSING else level)
                for start in range(0, len(rows), _INSERT_CHUNK)
                for rid, code, level in zip(
                    rows.respondent_ids(slice(start, start + _INSERT_CHUNK)).tolist(),
                    rows.item_codes[start : start + _INSERT_CHUNK].tolist(),
                    rows.levels[start : start + _INSERT_CHUNK].tolist(),
                    strict=True,
                )
            ),
        )
        return
    prefix = [f"{rows.batch_id}\t{rid}\t" for rid in rows.person_ids.tolist()]  # code -1: id 0, which has no one
    item_text = [_copy_text(item) + "\t" for item in (*rows.items, None)]  # code -1 (no item) -> NULL
    level_text = {int(v): ("\\N" if v == MISSING else str(int(v))) + "\n" for v in np.unique(rows.levels)}
    lines = (
        "".join(
            [
                prefix[p] + item_text[i] + level_text[v]
                for p, i, v in zip(
                    rows.person_codes[start : start + _INSERT_CHUNK].tolist(),
                    rows.item_codes[start : start + _INSERT_CHUNK].tolist(),
                    rows.levels[start : start + _INSERT_CHUNK].tolist(),
                    strict=True,
                )
            ]
        )
        for start in range(0, len(rows), _INSERT_CHUNK)
    )
    _copy(conn, Response.__table__, columns, lines)


def _strings(values: pd.Series) -> list[str | None]:
    """Plain Python strings, None where missing (pandas 3 writes a missing string as NaN, a float)."""
    return [None if value is None or value is pd.NA or value != value else str(value) for value in values.tolist()]


def _str_or_none(value: Any) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def _insert(conn: Connection, model: type) -> Any:
    """An INSERT that understands ON CONFLICT for this connection's database."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def _district_id(conn: Connection, name: str) -> int:
    conn.execute(_insert(conn, District).values(name=name).on_conflict_do_nothing(index_elements=["name"]))
    return conn.execute(select(District.id).where(District.name == name)).scalar_one()


def _school_id(conn: Connection, district_id: int, name: str, level: str | None) -> int:
    conn.execute(
        _insert(conn, School)
        .values(district_id=district_id, name=name, level=level)
        .on_conflict_do_nothing(index_elements=["district_id", "name"])
    )
    # Locking the school serialises imports into one school (PostgreSQL; SQLite has one writer anyway),
    # so two uploads of the same file cannot both miss each other and both be kept.
    school_id = conn.execute(
        select(School.id).where(School.district_id == district_id, School.name == name).with_for_update(key_share=True)
    ).scalar_one()
    if level is not None:
        conn.execute(update(School).where(School.id == school_id).values(level=level))
    return school_id


def _round_id(conn: Connection, district_id: int, name: str) -> int:
    def find() -> int | None:
        return conn.execute(
            select(Round.id).where(Round.district_id == district_id, Round.name == name)
        ).scalar_one_or_none()

    round_id = find()
    if round_id is not None:
        return round_id
    # New round: hold the district so concurrent imports number its rounds one at a time.
    conn.execute(select(District.id).where(District.id == district_id).with_for_update(key_share=True))
    round_id = find()
    if round_id is not None:
        return round_id
    existing = conn.execute(select(Round.ordinal, Round.name).where(Round.district_id == district_id)).all()
    ordinal = ordinal_for_new_round([(o, n) for o, n in existing], name)
    conn.execute(
        update(Round)
        .where(Round.district_id == district_id, Round.ordinal >= ordinal)
        .values(ordinal=Round.ordinal + 1)
    )
    return conn.execute(
        Round.__table__.insert().values(district_id=district_id, name=name, ordinal=ordinal).returning(Round.id)
    ).scalar_one()


def _upsert_framework(conn: Connection, framework: FrameworkLike) -> None:
    now = utc_now()
    stmt = _insert(conn, Framework).values(
        id=framework.id, name=framework.name, content_hash=framework.content_hash, first_seen=now, last_seen=now
    )
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=["id"],
            set_={"name": stmt.excluded.name, "content_hash": stmt.excluded.content_hash, "last_seen": now},
        )
    )


def _upsert_respondents(
    conn: Connection, school_id: int, responses: pd.DataFrame, comments: pd.DataFrame
) -> dict[str, int]:
    """Insert new respondents, refresh role and grade band of known ones; return their ids by key."""
    # first() skips missing values: a person's role is the first one given in any of their rows.
    firsts = responses.groupby("respondent", sort=False, observed=True)[["role", "grade_band"]].first()
    keys = [str(k) for k in firsts.index]
    roles, bands = _texts(firsts["role"]), _texts(firsts["grade_band"])
    seen = set(keys)
    for key in dict.fromkeys(str(k) for k in comments["respondent"]):
        if key not in seen:
            keys.append(key)
            roles.append(None)
            bands.append(None)
    if not keys:
        return {}
    known = _keys_to_ids(conn, school_id)
    new = [(school_id, k, r, b) for k, r, b in zip(keys, roles, bands, strict=True) if k not in known]
    # New people in bulk; people seen before get a role or grade band they gave now (the latest given counts).
    _bulk_insert(conn, Respondent.__table__, ("school_id", "key", "role", "grade_band"), new)
    updates = [
        {"i": known[k], "r": r, "b": b}
        for k, r, b in zip(keys, roles, bands, strict=True)
        if k in known and (r is not None or b is not None)
    ]
    if updates:
        conn.execute(
            update(Respondent)
            .where(Respondent.id == bindparam("i"))
            .values(
                role=func.coalesce(bindparam("r", type_=String), Respondent.role),
                grade_band=func.coalesce(bindparam("b", type_=String), Respondent.grade_band),
            )
            .execution_options(synchronize_session=False),
            updates,
        )
    if new:
        known = _keys_to_ids(conn, school_id)
    return {key: known[key] for key in keys}


def _keys_to_ids(conn: Connection, school_id: int) -> dict[str, int]:
    """Respondent id by key in a school, fetched from the driver as plain tuples (a district-wide school has
    hundreds of thousands: SQLAlchemy's row objects would cost more than the query)."""
    result = conn.execute(select(Respondent.key, Respondent.id).where(Respondent.school_id == school_id))
    return dict(result.cursor.fetchall())


def _texts(values: pd.Series) -> list[str | None]:
    """A column's values as plain strings (None where missing), one string per distinct value, shared."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        names = [str(c) for c in values.cat.categories] + [None]  # code -1 (missing) is the last
        return [names[c] for c in values.cat.codes.tolist()]
    shared: dict = {}
    return [shared.setdefault(v, v) for v in map(_str_or_none, values.astype(object).tolist())]
