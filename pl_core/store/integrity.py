"""Checks that stored answers point where they must, made as one set-based query.

`responses` has no foreign keys (migration 0007): checked per row, they were most of the time a district
import took. Instead every writer of answers checks what it wrote, in its own transaction, before it
commits: each answer's batch exists and its respondent is a person of that batch's school (stricter than
the keys were: they could not see the school).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, and_, func, select

from .models import ImportBatch, Respondent, Response


@dataclass(frozen=True)
class Misplaced:
    """Stored answers that point nowhere: with no import batch, with no respondent, or with a respondent of
    another school than their batch's."""

    no_batch: int
    no_respondent: int
    other_school: int

    @property
    def total(self) -> int:
        return self.no_batch + self.no_respondent + self.other_school


class MisplacedAnswers(RuntimeError):
    """Raised inside a transaction that would have committed misplaced answers (so it rolls back)."""

    def __init__(self, found: Misplaced, where: str):
        self.found = found
        super().__init__(
            f"{where}: {found.total:,} stored answer(s) point nowhere ({found.no_batch:,} with no import batch, "
            f"{found.no_respondent:,} with no respondent, {found.other_school:,} with a respondent of another "
            "school); nothing was saved. This is a fault in PL Diagnostics, not in anything you did: please report it."
        )


def misplaced_answers(conn: Connection, *, batch_id: int | None = None, school_id: int | None = None) -> Misplaced:
    """Count answers that point nowhere: of one batch, of one school (its batches' answers and its people's), or
    (neither given) all. Each scope reads the answers through an index, not the whole table."""
    if school_id is not None and batch_id is not None:
        raise ValueError("give a batch or a school, not both")
    if school_id is not None:
        # Two disjoint sets (a misplaced answer in the school's batches is not by one of its people, and the other
        # way round), so their counts add up. One OR over both joins would read every answer in the district.
        batches = select(ImportBatch.id).where(ImportBatch.school_id == school_id)
        people = select(Respondent.id).where(Respondent.school_id == school_id)
        a = _count(conn, Response.batch_id.in_(batches))
        b = _count(conn, Response.respondent_id.in_(people))
        return Misplaced(*(x + y for x, y in zip(a, b, strict=True)))
    return Misplaced(*_count(conn, None if batch_id is None else Response.batch_id == batch_id))


def _count(conn: Connection, where) -> tuple[int, int, int]:
    """(no batch, no respondent, respondent of another school) among the answers `where` selects."""
    batch, person = ImportBatch.__table__, Respondent.__table__
    stmt = (
        select(
            func.count().filter(batch.c.id.is_(None)),
            func.count().filter(and_(batch.c.id.is_not(None), person.c.id.is_(None))),
            func.count().filter(person.c.school_id != batch.c.school_id),
        )
        .select_from(Response.__table__)
        .outerjoin(batch, batch.c.id == Response.batch_id)
        .outerjoin(person, person.c.id == Response.respondent_id)
    )
    if where is not None:
        stmt = stmt.where(where)
    no_batch, no_respondent, other_school = conn.execute(stmt).one()
    return int(no_batch), int(no_respondent), int(other_school)


def check_answers(conn: Connection, where: str, *, batch_id: int | None = None, school_id: int | None = None) -> None:
    """Raise MisplacedAnswers (rolling the caller's transaction back) if any answer in scope points nowhere."""
    found = misplaced_answers(conn, batch_id=batch_id, school_id=school_id)
    if found.total:
        raise MisplacedAnswers(found, where)
