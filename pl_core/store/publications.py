"""Releases of figures: storing what the disclosure control cleared, and reading the current release back.

A release (publication) of a school's round on a framework keeps its members (each person's answers as
released) and its cells (group x item: shown with respondents, missing answers and answers per level, or
hidden). Pages, reports and exports read only the current release of each
round (`publication_state`), never the answers themselves.

`republish` runs inside the transaction of whatever changed a round (an import, an undo, a deleted round,
a merge): it reads the round's current answers and every earlier release, asks the caller's `decide`
(pl_core.services wires pl_core.privacy to it) what to release, and writes that, all or nothing.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, delete, func, select, update

from .imports import BatchRows, _bulk_insert
from .models import (
    Comment,
    ImportBatch,
    Publication,
    PublicationCell,
    PublicationComment,
    PublicationMember,
    PublicationState,
    Respondent,
    Response,
    Round,
    School,
    utc_now,
)
from .queries import ACTIVE, _read

CELL_COLUMNS = ["school", "round", "breakdown", "grp", "item", "suppressed", "respondents", "missing", "counts"]
RELEASE_COLUMNS = ["school", "round", "publication_id", "people", "answered", "shown", "held"]


@dataclass(frozen=True)
class StoredRelease:
    """An earlier release as stored: its members' answers (respondent_id, role, grade_band, answers) and shown cells."""

    id: int
    members: pd.DataFrame
    shown: frozenset[tuple[str, str | None, str]]


@dataclass(frozen=True)
class ReleasePlan:
    """What `decide` asks to store: a new release, or (`release` False) that the changes are held back."""

    release: bool
    held: int = 0
    # id, role, band, answers JSON per person: any sized iterable (the release service makes them as they are stored)
    members: Collection[tuple[int, str | None, str | None, str]] = field(default_factory=list)
    cells: list[tuple[str, str | None, str, bool, int | None, int | None, dict[int, int]]] = field(
        default_factory=list
    )  # breakdown, group, item, suppressed, respondents, missing, {level: answers}
    comments: list[tuple[str, str]] = field(default_factory=list)  # column, text
    people: int = 0
    answered: int = 0
    shown: bool = False


Decide = Callable[["Answers", list[StoredRelease], pd.DataFrame], ReleasePlan | None]


@dataclass(frozen=True, eq=False)
class Answers:
    """A round's answers as they stand, one row per person: `levels[i, j]` is person i's answer to `items[j]`
    (NO_ROW: none; MISSING: a missing answer such as "Don't know")."""

    respondent_ids: np.ndarray  # (n,) int64, ascending
    roles: np.ndarray  # (n,) object
    bands: np.ndarray  # (n,) object
    items: tuple[str, ...]
    levels: np.ndarray  # (n, len(items)) int16


T = TypeVar("T")
NO_ROW, MISSING = -2, -1
_CHUNK = 200_000  # rows fetched at a time: a district-wide file is read without holding every row at once


def current_answers(
    conn: Connection,
    school_id: int,
    round_id: int,
    framework_id: str,
    items: Sequence[str],
    written: BatchRows | None = None,
) -> Answers:
    """The round's answers as they stand: active imports only, a later import winning for a person and item.

    `written` is the newest batch's rows as the caller has just stored them (BatchRows): they are laid over
    the earlier batches from memory instead of being read back, the same rows in the same order.
    """
    batches = (
        conn.execute(
            select(ImportBatch.id)
            .where(
                ImportBatch.school_id == school_id,
                ImportBatch.round_id == round_id,
                ImportBatch.framework_id == framework_id,
                ImportBatch.status == ACTIVE,
            )
            .order_by(ImportBatch.id)
        )
        .scalars()
        .all()
    )
    if written is not None and (not batches or batches[-1] != written.batch_id):
        raise ValueError(f"batch {written.batch_id} is not the round's newest active import")
    items = tuple(items)
    columns = pd.Index(items)
    parts = []  # (respondent ids, columns, levels) of the rows, oldest batch first; the import's as BatchRows
    for batch in batches:
        if written is not None and batch == written.batch_id:
            column_of = np.append(columns.get_indexer(pd.Index(written.items, dtype=object)), -1)  # by item code
            parts.append((written, column_of, written.levels))
            continue
        result = conn.execute(  # a server-side cursor on PostgreSQL (this statement only): psycopg would
            # otherwise hold every row of a district-wide batch in memory before the first fetch
            select(Response.respondent_id, Response.item, Response.level)
            .where(Response.batch_id == batch)
            .execution_options(stream_results=True)
        )
        # through the Result, never its raw cursor: a streamed result has already buffered its first rows
        for rows in result.partitions(_CHUNK):
            chunk = pd.DataFrame.from_records(
                [tuple(r) for r in rows], columns=["rid", "item", "level"], coerce_float=False
            )
            parts.append(
                (
                    chunk["rid"].to_numpy(dtype=np.int64),
                    columns.get_indexer(chunk["item"].astype(object)),
                    pd.array(chunk["level"], dtype="Int64").fillna(MISSING).to_numpy(dtype=np.int16),
                )
            )
    # everyone with a row in an active batch, whatever the item (distinct per part first: a hash, not a sort)
    ids = np.zeros(0, dtype=np.int64)
    for rid, _, _ in parts:
        ids = np.union1d(ids, rid.people() if isinstance(rid, BatchRows) else pd.unique(rid))
    levels = np.full((len(ids), len(items)), NO_ROW, dtype=np.int16)
    for rid, cols, values in parts:  # oldest first, so a later import's answer takes the place of an earlier one
        for start in range(0, len(values), _CHUNK):  # a chunk at a time: no row-sized temporaries of a whole batch
            part = slice(start, start + _CHUNK)
            if isinstance(rid, BatchRows):
                who, where = rid.respondent_ids(part), cols[rid.item_codes[part]]
            else:
                who, where = rid[part], cols[part]
            keep = where >= 0
            levels[np.searchsorted(ids, who[keep]), where[keep]] = values[part][keep]
    roles, bands = _roles_and_bands(conn, ids)
    return Answers(ids, roles, bands, items, levels)


_LOOKUP = 10_000  # respondents looked up by id per query


def _roles_and_bands(conn: Connection, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Role and grade band of each respondent in `ids` (ascending), by primary key, a block of ids at a time (a
    range when the block is dense, as one import's people are); each distinct role or band is one string,
    shared (a district-wide round has a few of each, for hundreds of thousands of people)."""
    roles = np.full(len(ids), None, dtype=object)
    bands = np.full(len(ids), None, dtype=object)
    shared: dict = {}
    for start in range(0, len(ids), _LOOKUP):
        block = ids[start : start + _LOOKUP]
        low, high = int(block[0]), int(block[-1])
        which = Respondent.id.between(low, high) if high - low < 2 * len(block) else Respondent.id.in_(block.tolist())
        found = conn.execute(select(Respondent.id, Respondent.role, Respondent.grade_band).where(which))
        rows = found.cursor.fetchall()  # plain tuples (a buffered result: nothing was fetched before)
        rid = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        at = np.searchsorted(ids, rid).clip(0, len(ids) - 1)
        for j, ok, (_, role, band) in zip(at.tolist(), (ids[at] == rid).tolist(), rows, strict=True):
            if ok:  # a range also holds other people
                roles[j] = shared.setdefault(role, role)
                bands[j] = shared.setdefault(band, band)
    return roles, bands


def current_comments(conn: Connection, school_id: int, round_id: int, framework_id: str) -> pd.DataFrame:
    """The round's free-text comments as they stand: respondent_id, column, text."""
    stmt = (
        select(Comment.respondent_id, Comment.column, Comment.text)
        .join(ImportBatch, ImportBatch.id == Comment.batch_id)
        .where(
            ImportBatch.school_id == school_id,
            ImportBatch.round_id == round_id,
            ImportBatch.framework_id == framework_id,
            ImportBatch.status == ACTIVE,
        )
    )
    return pd.DataFrame([tuple(r) for r in conn.execute(stmt).all()], columns=["respondent_id", "column", "text"])


def history(conn: Connection, school_id: int, round_id: int, framework_id: str) -> list[StoredRelease]:
    """Every release of the round, oldest first."""
    ids = (
        conn.execute(
            select(Publication.id)
            .where(
                Publication.school_id == school_id,
                Publication.round_id == round_id,
                Publication.framework_id == framework_id,
            )
            .order_by(Publication.id)
        )
        .scalars()
        .all()
    )
    if not ids:
        return []
    member_rows = conn.execute(
        select(
            PublicationMember.publication_id,
            PublicationMember.respondent_id,
            PublicationMember.role,
            PublicationMember.grade_band,
            PublicationMember.answers,
        ).where(PublicationMember.publication_id.in_(ids))
    ).all()
    members = pd.DataFrame(
        [tuple(row) for row in member_rows],
        columns=["publication_id", "respondent_id", "role", "grade_band", "answers"],
    )
    cells = conn.execute(
        select(
            PublicationCell.publication_id, PublicationCell.breakdown, PublicationCell.grp, PublicationCell.item
        ).where(PublicationCell.publication_id.in_(ids), PublicationCell.suppressed.is_(False))
    ).all()
    shown: dict[int, set] = {i: set() for i in ids}
    for pub, breakdown, grp, item in cells:
        shown[pub].add((breakdown, grp, item))
    by_pub = dict(tuple(members.groupby("publication_id"))) if len(members) else {}
    empty = members.iloc[0:0]
    return [
        StoredRelease(
            i, by_pub.get(i, empty).drop(columns="publication_id").reset_index(drop=True), frozenset(shown[i])
        )
        for i in ids
    ]


def alongside(work: Callable[[], None], main: Callable[[], T]) -> T:
    """`main()` here while `work()` runs in a second thread; returns main's result once both have finished.

    `work`'s error comes first (a failed write ends the transaction whatever was decided); the thread is always
    waited for, so nothing is left writing on a connection its caller is about to roll back.
    """
    failed: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # re-raised in the caller's thread
            failed.append(exc)

    thread = threading.Thread(target=run, name="pl-store-written")
    thread.start()
    try:
        result = main()
    finally:
        thread.join()
        if failed:
            raise failed[0]
    return result


def republish(
    conn: Connection,
    school_id: int,
    round_id: int,
    framework_id: str,
    items: Sequence[str],
    decide: Decide,
    written: BatchRows | None = None,
    store_written: Callable[[], None] | None = None,
) -> ReleasePlan | None:
    """Decide and store the round's next release in the caller's transaction; returns what `decide` planned.

    `written`: the rows of the import that changed the round (see current_answers). `store_written`, if given,
    writes those rows: it runs on the connection in a second thread while this one decides, after every read
    and before any write here (a PostgreSQL COPY of a district-wide file is mostly the server's time).
    """
    answers = current_answers(conn, school_id, round_id, framework_id, items, written)
    earlier = history(conn, school_id, round_id, framework_id)
    comments = current_comments(conn, school_id, round_id, framework_id)
    if store_written is None:
        plan = decide(answers, earlier, comments)
    else:
        plan = alongside(store_written, lambda: decide(answers, earlier, comments))
    if plan is None:  # nothing changed since the current release
        _set_state(conn, school_id, round_id, framework_id, earlier[-1].id if earlier else None, 0)
        return None
    if not plan.release:
        _set_state(conn, school_id, round_id, framework_id, earlier[-1].id if earlier else None, plan.held)
        return plan
    publication_id = conn.execute(
        Publication.__table__.insert()
        .values(
            school_id=school_id,
            round_id=round_id,
            framework_id=framework_id,
            created_at=utc_now(),
            people=plan.people,
            answered=plan.answered,
            shown=plan.shown,
        )
        .returning(Publication.id)
    ).scalar_one()
    if plan.members:
        _bulk_insert(
            conn,
            PublicationMember.__table__,
            ("publication_id", "respondent_id", "role", "grade_band", "answers"),
            ((publication_id, rid, role, band, a) for rid, role, band, a in plan.members),
        )
    if plan.cells:
        conn.execute(
            PublicationCell.__table__.insert(),
            [
                {
                    "publication_id": publication_id,
                    "breakdown": breakdown,
                    "grp": grp,
                    "item": item,
                    "suppressed": suppressed,
                    "respondents": respondents,
                    "missing": missing,
                    "counts": encode_counts(levels),
                }
                for breakdown, grp, item, suppressed, respondents, missing, levels in plan.cells
            ],
        )
    if plan.comments:
        conn.execute(
            PublicationComment.__table__.insert(),
            [{"publication_id": publication_id, "column": c, "text": t} for c, t in plan.comments],
        )
    _set_state(conn, school_id, round_id, framework_id, publication_id, 0)
    return plan


def _set_state(
    conn: Connection, school_id: int, round_id: int, framework_id: str, publication_id: int | None, held: int
) -> None:
    keys = {"school_id": school_id, "round_id": round_id, "framework_id": framework_id}
    values = {"publication_id": publication_id, "held": held, "checked_at": utc_now()}
    done = conn.execute(
        update(PublicationState).where(*(getattr(PublicationState, k) == v for k, v in keys.items())).values(**values)
    ).rowcount
    if not done:
        conn.execute(PublicationState.__table__.insert().values(**keys, **values))


def forget_round(conn: Connection, school_id: int, round_id: int) -> None:
    """Drop the current-release pointers of a round (its releases stay: they were seen)."""
    conn.execute(
        delete(PublicationState).where(PublicationState.school_id == school_id, PublicationState.round_id == round_id)
    )


# --- reading the current releases ---------------------------------------------------------------------------------


def _current(stmt, framework_id: str, schools: Sequence[str] | None, rounds: Sequence[str] | None):
    stmt = (
        stmt.join(School, School.id == PublicationState.school_id)
        .join(Round, Round.id == PublicationState.round_id)
        .where(PublicationState.framework_id == framework_id)
    )
    if schools is not None:
        stmt = stmt.where(School.name.in_(list(schools)))
    if rounds is not None:
        stmt = stmt.where(Round.name.in_(list(rounds)))
    return stmt


def releases(
    engine: Engine, framework_id: str, *, schools: Sequence[str] | None = None, rounds: Sequence[str] | None = None
) -> pd.DataFrame:
    """The current release of each school x round: its id, people, answered, shown, and the people held back."""
    stmt = _current(
        select(
            School.name,
            Round.name,
            PublicationState.publication_id,
            func.coalesce(Publication.people, 0),
            func.coalesce(Publication.answered, 0),
            func.coalesce(Publication.shown, False),
            PublicationState.held,
        )
        .select_from(PublicationState)
        .outerjoin(Publication, Publication.id == PublicationState.publication_id),
        framework_id,
        schools,
        rounds,
    )
    frame = _read(engine, stmt, RELEASE_COLUMNS)
    frame["publication_id"] = frame["publication_id"].astype("Int64")
    frame["shown"] = frame["shown"].astype(bool)
    return frame


def released_cells(
    engine: Engine,
    framework_id: str,
    *,
    breakdowns: Sequence[str],
    schools: Sequence[str] | None = None,
    rounds: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The cells of the current releases (CELL_COLUMNS): answers per level in `counts` ("level:answers,...")."""
    stmt = _current(
        select(
            School.name,
            Round.name,
            PublicationCell.breakdown,
            PublicationCell.grp,
            PublicationCell.item,
            PublicationCell.suppressed,
            PublicationCell.respondents,
            PublicationCell.missing,
            PublicationCell.counts,
        )
        .select_from(PublicationState)
        .join(PublicationCell, PublicationCell.publication_id == PublicationState.publication_id)
        .where(PublicationCell.breakdown.in_(list(breakdowns))),
        framework_id,
        schools,
        rounds,
    )
    return _read(engine, stmt, CELL_COLUMNS, raw=True)


def encode_counts(levels: dict[int, int]) -> str:
    """Answers per level as stored with a cell: "1:2,3:5" (levels without answers left out)."""
    return ",".join(f"{int(level)}:{int(n)}" for level, n in sorted(levels.items()) if n)


def released_comments(engine: Engine, framework_id: str, school: str, round: str) -> pd.DataFrame:
    """The comments released with a school's current release for a round: column, text (sorted)."""
    stmt = _current(
        select(PublicationComment.column, PublicationComment.text)
        .select_from(PublicationState)
        .join(PublicationComment, PublicationComment.publication_id == PublicationState.publication_id),
        framework_id,
        [school],
        [round],
    ).order_by(PublicationComment.column, PublicationComment.text, PublicationComment.id)
    return _read(engine, stmt, ["column", "text"])


def round_ids(conn: Connection, school: str | None = None) -> list[tuple[int, int, str]]:
    """(school_id, round_id, framework_id) of every round with a batch, any status (optionally of one school)."""
    stmt = select(ImportBatch.school_id, ImportBatch.round_id, ImportBatch.framework_id).distinct()
    if school is not None:
        stmt = stmt.join(School, School.id == ImportBatch.school_id).where(School.name == school)
    return [tuple(row) for row in conn.execute(stmt).all()]


def members_json(answers: dict) -> str:
    """A member's answers as stored: a JSON object, items sorted."""
    return json.dumps(dict(sorted(answers.items())))


__all__ = [
    "BatchRows",
    "ReleasePlan",
    "StoredRelease",
    "current_answers",
    "history",
    "members_json",
    "released_cells",
    "released_comments",
    "releases",
    "republish",
]
