"""Writing about schools and rounds beyond imports: expected staff counts (participation)."""

from __future__ import annotations

from sqlalchemy import Engine, select

from .db import reader, session_scope
from .imports import _district_id, _insert, _round_id, _school_id
from .models import District, ExpectedStaff, Round, School, utc_now
from .queries import default_district


def set_expected_staff(engine: Engine, school: str, round: str, count: int, *, set_by: str = "") -> None:
    """Record how many staff `school` expected to answer in `round` (replacing an earlier figure)."""
    district = _district_of(engine, school)
    with session_scope(engine) as session:
        conn = session.connection()
        district_id = _district_id(conn, district)
        school_id = _school_id(conn, district_id, school, None)
        round_id = _round_id(conn, district_id, round)
        stmt = _insert(conn, ExpectedStaff).values(
            school_id=school_id, round_id=round_id, count=int(count), set_by=set_by, set_at=utc_now()
        )
        conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["school_id", "round_id"],
                set_={"count": stmt.excluded.count, "set_by": stmt.excluded.set_by, "set_at": stmt.excluded.set_at},
            )
        )


def expected_staff(engine: Engine, school: str, round: str) -> int | None:
    """The expected staff count of a school in a round, if one was entered."""
    stmt = (
        select(ExpectedStaff.count)
        .join(School, School.id == ExpectedStaff.school_id)
        .join(Round, Round.id == ExpectedStaff.round_id)
        .where(School.name == school, Round.name == round)
    )
    with reader(engine).connect() as conn:
        return conn.execute(stmt).scalars().first()


def _district_of(engine: Engine, school: str) -> str:
    with reader(engine).connect() as conn:
        found = (
            conn.execute(
                select(District.name).join(School, School.district_id == District.id).where(School.name == school)
            )
            .scalars()
            .first()
        )
    return found or default_district(engine)
