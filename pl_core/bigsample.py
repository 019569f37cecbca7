"""A large synthetic district written straight into the database, for load tests and benchmarks.

The sample district (pl_core.sample) goes through the upload path and is small; this one skips
parsing and inserts rows in bulk (one transaction), so 200 schools x 60 staff x 14 items x 3 rounds
(~500k answers) build in seconds on SQLite. Schools differ in strength and growth, items in
difficulty, leadership teams rate above or below their staff, and each school has one goal.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
from sqlalchemy import Connection, Engine, Table, select

from .frameworks import Framework, load_framework
from .goals import Goal, smart_statement
from .ingest.respondents import respondent_key
from .store.db import session_scope
from .store.imports import _bulk_insert, _upsert_framework
from .store.models import Comment, District, ImportBatch, Respondent, Response, Round, School, Workshop, WorkshopItem
from .store.models import Goal as GoalRow
from .store.rounds import round_date

DEFAULT_DISTRICT = "Big Sample District"
SECRET = b"pl-diagnostics big sample"  # respondents are fictional; their keys only need to be stable
LEVELS = ("elementary", "middle", "high")
GRADE_BANDS = {"elementary": ("K-2", "3-5"), "middle": ("6-8",), "high": ("9-12",)}
ROLES = ("Classroom teacher",) * 7 + ("Specialist", "Instructional coach", "Paraprofessional", "Administrator")
MISSING_SHARE = 0.03  # "Don't know" answers
COMMENT_SHARE = 0.1  # staff who also write a free-text comment
COMMENTS = (
    "We need more planning time to build learner profiles.",
    "Goal-setting conferences are working well this year.",
    "Flexible seating helped, but the schedule is still very rigid.",
    "I'd like coaching on how to hand more choice to learners.",
    "Technology is uneven across classrooms.",
)
COMMENT_COLUMN = "Anything else you would like to share?"
CHUNK = 100_000  # responses per INSERT batch: big enough to be fast, small enough to report progress

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class BigDistrict:
    district: str
    schools: int
    rounds: tuple[str, ...]
    respondents: int
    answers: int  # stored responses, missing answers included
    workshops: int
    goals: int


def round_names(count: int, first_fall: int = 2025) -> list[str]:
    """Fall and spring rounds in turn from Fall `first_fall`: Fall 2025, Spring 2026, Fall 2026, ..."""
    names = []
    for i in range(count):
        year = first_fall + (i + 1) // 2
        names.append(f"{'Fall' if i % 2 == 0 else 'Spring'} {year}")
    return names


def school_names(count: int) -> list[str]:
    """Distinct, sortable school names such as "School 007 Elementary"."""
    width = max(3, len(str(count)))
    return [f"School {i + 1:0{width}d} {LEVELS[i % 3].capitalize()}" for i in range(count)]


def build_district(
    engine: Engine,
    *,
    schools: int = 200,
    staff: int = 60,
    rounds: int = 3,
    framework_id: str = "dps-driver-model",
    seed: int = 7,
    progress: Progress | None = None,
    district: str = DEFAULT_DISTRICT,
) -> BigDistrict:
    """Insert a district of `schools` x `staff` answering every item in each of `rounds` rounds, in one transaction."""
    if schools < 1 or staff < 1 or rounds < 1:
        raise ValueError("schools, staff and rounds must each be at least 1")
    framework = load_framework(framework_id)
    rng = np.random.default_rng(seed)
    names = school_names(schools)
    rounds_ = round_names(rounds)
    report = progress or (lambda i, total, what: None)
    steps = 5
    with session_scope(engine) as session:
        conn = session.connection()
        if conn.execute(select(District.id).where(District.name == district)).first() is not None:
            raise ValueError(f"the database already has a district called {district!r}; use an empty database")
        report(1, steps, "district, schools and rounds")
        district_id = conn.execute(
            District.__table__.insert().values(name=district).returning(District.id)
        ).scalar_one()
        _upsert_framework(conn, framework)
        _insert(
            conn,
            School.__table__,
            ("district_id", "name", "level"),
            [(district_id, name, LEVELS[i % 3]) for i, name in enumerate(names)],
        )
        school_ids = _ids(conn, select(School.name, School.id).where(School.district_id == district_id))
        _insert(
            conn,
            Round.__table__,
            ("district_id", "name", "ordinal", "starts_on"),
            [(district_id, name, i + 1, round_date(name)) for i, name in enumerate(rounds_)],
        )
        round_ids = _ids(conn, select(Round.name, Round.id).where(Round.district_id == district_id))

        report(2, steps, f"{schools * staff:,} respondents")
        people = _people(rng, names, staff)
        _insert(
            conn,
            Respondent.__table__,
            ("school_id", "key", "role", "grade_band"),
            _respondent_rows(people, names, school_ids),
        )
        respondent_ids = _ids(
            conn,
            select(Respondent.key, Respondent.id)
            .join(School, School.id == Respondent.school_id)
            .where(School.district_id == district_id),
        )

        report(3, steps, f"{schools * rounds:,} import batches")
        batch_ids = _insert_batches(conn, framework, names, rounds_, school_ids, round_ids, staff)

        levels, school_mean = _levels(rng, framework, schools, staff, rounds)
        answers = levels.size
        report(4, steps, f"{answers:,} answers")
        _insert_responses(conn, framework, people, names, rounds_, batch_ids, respondent_ids, levels)
        _insert_comments(conn, rng, people, names, rounds_, batch_ids, respondent_ids)

        report(5, steps, "leadership workshops and goals")
        workshops = _insert_workshops(conn, rng, framework, names, rounds_, school_ids, round_ids, school_mean)
        goals = _insert_goals(conn, framework, names, rounds_, school_ids, school_mean)
    return BigDistrict(district, schools, tuple(rounds_), len(respondent_ids), answers, workshops, goals)


def _insert(conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    _bulk_insert(conn, table, tuple(columns), rows)


def _ids(conn: Connection, stmt) -> dict:
    return dict(conn.execute(stmt).all())


def _people(rng: np.random.Generator, names: list[str], staff: int) -> list[list[tuple[str, str, str]]]:
    """Per school, (key, role, grade band) for each member of staff; the same people answer every round."""
    out = []
    for i, name in enumerate(names):
        bands = GRADE_BANDS[LEVELS[i % 3]]
        roles = rng.choice(len(ROLES), staff)
        band_pick = rng.choice(len(bands), staff)
        out.append(
            [(respondent_key(SECRET, f"{name}/{p}"), ROLES[roles[p]], bands[band_pick[p]]) for p in range(staff)]
        )
    return out


def _respondent_rows(
    people: list[list[tuple[str, str, str]]], names: list[str], school_ids: dict[str, int]
) -> Iterable[tuple]:
    for name, staff in zip(names, people, strict=True):
        for key, role, band in staff:
            yield (school_ids[name], key, role, band)


def _insert_batches(
    conn: Connection,
    framework: Framework,
    names: list[str],
    rounds: list[str],
    school_ids: dict[str, int],
    round_ids: dict[str, int],
    staff: int,
) -> dict[tuple[str, str], int]:
    now = datetime.now(UTC)
    items = len(framework.items)
    rows = []
    for name in names:
        for round_name in rounds:
            file_name = f"{name.lower().replace(' ', '-')}-{round_name.lower().replace(' ', '-')}.csv"
            rows.append(
                (
                    school_ids[name],
                    round_ids[round_name],
                    framework.id,
                    file_name,
                    hashlib.sha256(file_name.encode()).hexdigest(),
                    "template-wide",
                    "big sample",
                    now,
                    staff,
                    staff,
                    staff * items,
                    0,
                    0,
                )
            )
    columns = (
        "school_id round_id framework_id file_name file_hash format imported_by imported_at "
        "rows_read respondents answers missing_answers superseded"
    ).split()
    _insert(conn, ImportBatch.__table__, columns, rows)
    found = conn.execute(
        select(School.name, Round.name, ImportBatch.id)
        .join(School, School.id == ImportBatch.school_id)
        .join(Round, Round.id == ImportBatch.round_id)
        .where(School.id.in_(list(school_ids.values())), ImportBatch.framework_id == framework.id)
    ).all()
    return {(school, round_name): batch_id for school, round_name, batch_id in found}


def _levels(
    rng: np.random.Generator, framework: Framework, schools: int, staff: int, rounds: int
) -> tuple[np.ndarray, np.ndarray]:
    """Levels shaped (schools, rounds, staff, items), 0 for a missing answer; and each school's mean per round."""
    items = len(framework.items)
    low = np.array([i.scale.low for i in framework.items], dtype=float)
    high = np.array([i.scale.high for i in framework.items], dtype=float)
    # foundational practices ahead of the drivers, as in the sample district and in DPS's own data
    item_offset = np.where([i.foundational or i.domain == framework.domains[0].id for i in framework.items], 0.4, -0.2)
    item_offset = item_offset + rng.normal(0, 0.25, items)
    strength = rng.normal(0, 0.35, schools)
    growth = rng.normal(0.2, 0.15, schools)  # per round; a few schools slip back
    person = rng.normal(0, 0.45, (schools, 1, staff, 1))
    centre = (low + high) / 2 - 0.4
    mean = (
        centre[None, None, None, :]
        + item_offset[None, None, None, :]
        + strength[:, None, None, None]
        + growth[:, None, None, None] * np.arange(rounds)[None, :, None, None]
        + person
    )
    noisy = mean + rng.normal(0, 0.6, (schools, rounds, staff, items))
    levels = np.clip(np.rint(noisy), low, high).astype(np.int64)
    levels[rng.random(levels.shape) < MISSING_SHARE] = 0
    school_mean = np.clip(mean.mean(axis=(2, 3)), low.min(), high.max())  # (schools, rounds)
    return levels, school_mean


def _insert_responses(
    conn: Connection,
    framework: Framework,
    people: list[list[tuple[str, str, str]]],
    names: list[str],
    rounds: list[str],
    batch_ids: dict[tuple[str, str], int],
    respondent_ids: dict[str, int],
    levels: np.ndarray,
) -> None:
    schools, n_rounds, staff, items = levels.shape
    item_ids = [i.id for i in framework.items]
    batch = np.array([[batch_ids[(s, r)] for r in rounds] for s in names], dtype=np.int64)
    person = np.array([[respondent_ids[key] for key, _, _ in school] for school in people], dtype=np.int64)
    # every array in (school, round, staff, item) order, flattened: the same order as `levels`
    batch_col = np.broadcast_to(batch[:, :, None, None], levels.shape).ravel().tolist()
    person_col = np.broadcast_to(person[:, None, :, None], levels.shape).ravel().tolist()
    item_col = [item_ids[i] for i in np.broadcast_to(np.arange(items), levels.shape).ravel().tolist()]
    level_col = [lv or None for lv in levels.ravel().tolist()]
    columns = ("batch_id", "respondent_id", "item", "level")
    for start in range(0, len(level_col), CHUNK):
        stop = start + CHUNK
        rows = zip(
            batch_col[start:stop], person_col[start:stop], item_col[start:stop], level_col[start:stop], strict=True
        )
        if conn.dialect.name == "sqlite":
            # Plain tuples straight to the driver: SQLAlchemy's per-row parameter handling is most of the time.
            conn.exec_driver_sql(f"INSERT INTO responses ({', '.join(columns)}) VALUES (?, ?, ?, ?)", list(rows))
        else:
            _insert(conn, Response.__table__, columns, rows)


def _insert_comments(
    conn: Connection,
    rng: np.random.Generator,
    people: list[list[tuple[str, str, str]]],
    names: list[str],
    rounds: list[str],
    batch_ids: dict[tuple[str, str], int],
    respondent_ids: dict[str, int],
) -> None:
    rows = []
    for name, staff in zip(names, people, strict=True):
        for round_name in rounds:
            for key, _, _ in staff:
                if rng.random() < COMMENT_SHARE:
                    text = COMMENTS[rng.integers(len(COMMENTS))]
                    rows.append((batch_ids[(name, round_name)], respondent_ids[key], COMMENT_COLUMN, text))
    _insert(conn, Comment.__table__, ("batch_id", "respondent_id", "column", "text"), rows)


def _insert_workshops(
    conn: Connection,
    rng: np.random.Generator,
    framework: Framework,
    names: list[str],
    rounds: list[str],
    school_ids: dict[str, int],
    round_ids: dict[str, int],
    school_mean: np.ndarray,
) -> int:
    """One closed leadership workshop per school and round, with a consensus on every item."""
    item_ids = [i.id for i in framework.items]
    bias = rng.normal(0.3, 0.4, len(names))  # leadership teams tend to rate their school above its staff
    rows = []
    for s, name in enumerate(names):
        for r, round_name in enumerate(rounds):
            held = datetime.combine(round_date(round_name) or date(2025, 10, 1), datetime.min.time(), UTC)
            held += timedelta(days=14, hours=15)
            rows.append(
                (
                    f"B{s:04d}{r:02d}"[:12],
                    school_ids[name],
                    round_ids[round_name],
                    framework.id,
                    json.dumps(item_ids),
                    "big sample",
                    "closed",
                    held,
                    held,
                )
            )
    columns = (
        "code",
        "school_id",
        "round_id",
        "framework_id",
        "items",
        "facilitator",
        "status",
        "opened_at",
        "closed_at",
    )
    _insert(conn, Workshop.__table__, columns, rows)
    found = conn.execute(
        select(School.name, Round.name, Workshop.id)
        .join(School, School.id == Workshop.school_id)
        .join(Round, Round.id == Workshop.round_id)
        .where(School.id.in_(list(school_ids.values())), Workshop.framework_id == framework.id)
    ).all()
    workshop_ids = {(school, round_name): wid for school, round_name, wid in found}
    items = []
    for s, name in enumerate(names):
        for r, round_name in enumerate(rounds):
            wid = workshop_ids[(name, round_name)]
            for position, item in enumerate(framework.items):
                level = school_mean[s, r] + bias[s] + rng.normal(0, 0.3)
                consensus = float(np.clip(np.round(level * 2) / 2, item.scale.low, item.scale.high))
                held = datetime.combine(round_date(round_name) or date(2025, 10, 1), datetime.min.time(), UTC)
                items.append((wid, item.id, position, item.scale.low, item.scale.high, True, consensus, "", "", held))
    columns = "workshop_id item position scale_low scale_high revealed consensus rationale evidence recorded_at".split()
    _insert(conn, WorkshopItem.__table__, columns, items)
    return len(rows)


def _insert_goals(
    conn: Connection,
    framework: Framework,
    names: list[str],
    rounds: list[str],
    school_ids: dict[str, int],
    school_mean: np.ndarray,
) -> int:
    """One goal per school on a driver, set at the first round, aiming one level up by the last."""
    now = datetime.now(UTC)
    start = round_date(rounds[0]) or date(2025, 10, 1)
    target = (round_date(rounds[-1]) or start) + timedelta(days=365)
    drivers = [i for i in framework.items if not i.foundational] or list(framework.items)
    rows = []
    for s, name in enumerate(names):
        item = drivers[s % len(drivers)]
        baseline = float(np.clip(round(float(school_mean[s, 0]), 1), item.scale.low, item.scale.high - 1))
        goal = Goal(
            school=name,
            framework_id=framework.id,
            item_id=item.id,
            baseline_level=baseline,
            target_level=baseline + 1,
            start_date=start,
            target_date=target,
            owner="Leadership team",
            title=f"Grow {item.name}",
            baseline_round=rounds[0],
        )
        rows.append(
            (
                school_ids[name],
                framework.id,
                item.id,
                goal.title,
                goal.baseline_level,
                goal.baseline_round,
                goal.target_level,
                goal.start_date,
                goal.target_date,
                goal.owner,
                "[]",
                "active",
                smart_statement(goal, framework),
                now,
                now,
            )
        )
    columns = (
        "school_id framework_id item title baseline_level baseline_round target_level start_date target_date "
        "owner steps status statement created_at updated_at"
    ).split()
    _insert(conn, GoalRow.__table__, columns, rows)
    return len(rows)
