"""Schools and rounds beyond imports: new rounds, expected staff counts, and managing what was imported (audited)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, Engine, delete, select, update

from .db import reader, session_scope
from .imports import FrameworkLike, _district_id, _insert, _round_id, _school_id, _upsert_framework
from .integrity import check_answers
from .models import (
    AuditEvent,
    Comment,
    District,
    ExpectedStaff,
    Goal,
    ImportBatch,
    Publication,
    PublicationMember,
    PublicationState,
    Respondent,
    Response,
    Round,
    SavedMapping,
    School,
    UserSchool,
    Workshop,
    utc_now,
)
from .queries import default_district


def add_round(engine: Engine, name: str, *, district: str) -> bool:
    """Create the round `name` in `district` (placed in time order when its name says when); False if it exists."""
    with session_scope(engine) as session:
        conn = session.connection()
        district_id = _district_id(conn, district)
        known = conn.execute(
            select(Round.id).where(Round.district_id == district_id, Round.name == name)
        ).scalar_one_or_none()
        if known is not None:
            return False
        _round_id(conn, district_id, name)
        return True


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


def expected_staff_in_round(engine: Engine, round: str, schools: list[str]) -> dict[str, int]:
    """The expected staff counts entered for `round`, by school, of `schools` (one query for a district)."""
    stmt = (
        select(School.name, ExpectedStaff.count)
        .join(School, School.id == ExpectedStaff.school_id)
        .join(Round, Round.id == ExpectedStaff.round_id)
        .where(Round.name == round)
    )
    wanted = set(schools)
    with reader(engine).connect() as conn:
        return {name: count for name, count in conn.execute(stmt).all() if name in wanted}


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


# Managing what was imported: undo, delete a round, rename or merge a school. Each leaves an audit event.

Publish = Callable[[Connection, int, int, str], None]


class ManageError(ValueError):
    """A change to imported data that cannot be made; `code` says why (e.g. "unknown-batch", "name-taken")."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


def audit(conn: Connection, actor: str, action: str, *, school="", round="", framework_id="", **details) -> None:
    """Record who changed imported data, what and when."""
    conn.execute(
        AuditEvent.__table__.insert().values(
            at=utc_now(),
            actor=actor,
            action=action,
            school=school,
            round=round,
            framework_id=framework_id,
            details=json.dumps(details, default=str, sort_keys=True),
        )
    )


def audit_events(engine: Engine, *, school: str | None = None) -> pd.DataFrame:
    """The audit trail, newest first (optionally of one school)."""
    stmt = select(
        AuditEvent.at, AuditEvent.actor, AuditEvent.action, AuditEvent.school, AuditEvent.round,
        AuditEvent.framework_id, AuditEvent.details,
    ).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())  # fmt: skip
    if school is not None:
        stmt = stmt.where(AuditEvent.school == school)
    with reader(engine).connect() as conn:
        rows = [tuple(r) for r in conn.execute(stmt).all()]
    return pd.DataFrame(rows, columns=["at", "actor", "action", "school", "round", "framework", "details"])


def batch_school(engine: Engine, batch_id: int) -> tuple[str, str, str, str] | None:
    """(school, round, framework id, status) of an import batch, or None if there is none."""
    stmt = (
        select(School.name, Round.name, ImportBatch.framework_id, ImportBatch.status)
        .join(School, School.id == ImportBatch.school_id)
        .join(Round, Round.id == ImportBatch.round_id)
        .where(ImportBatch.id == batch_id)
    )
    with reader(engine).connect() as conn:
        row = conn.execute(stmt).first()
    return tuple(row) if row else None


def undo_import(engine: Engine, batch_id: int, *, actor: str, publish: Publish) -> int | None:
    """Undo an active import: it stops counting, and the import it replaced (if any) counts again.

    Returns the id of the batch that came back, if one did. The round's figures are decided again.
    """
    with session_scope(engine) as session:
        conn = session.connection()
        row = conn.execute(
            select(ImportBatch.school_id, ImportBatch.round_id, ImportBatch.framework_id, ImportBatch.status,
                   ImportBatch.replaced_batch_id, ImportBatch.file_name)
            .where(ImportBatch.id == batch_id)
            .with_for_update()
        ).first()  # fmt: skip
        if row is None:
            raise ManageError("unknown-batch", f"there is no import #{batch_id}")
        school_id, round_id, framework_id, status, replaced, file_name = row
        if status != "active":
            raise ManageError("not-active", f"import #{batch_id} is {status}, so there is nothing to undo")
        conn.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(status="undone"))
        restored = None
        if replaced is not None:
            back = conn.execute(
                update(ImportBatch)
                .where(ImportBatch.id == replaced, ImportBatch.status == "replaced")
                .values(status="active")
            ).rowcount
            restored = replaced if back else None
        names = _names(conn, school_id, round_id)
        audit(conn, actor, "undo-import", school=names[0], round=names[1], framework_id=framework_id,
              batch=batch_id, file=file_name, restored=restored)  # fmt: skip
        publish(conn, school_id, round_id, framework_id)
    return restored


def delete_round(engine: Engine, school: str, round: str, framework_id: str, *, actor: str, publish: Publish) -> int:
    """Stop counting every import of a school's round on a framework; returns how many imports that was.

    The imports are kept, marked deleted, for the audit trail; the round's figures are decided again (nothing
    is left to show).
    """
    with session_scope(engine) as session:
        conn = session.connection()
        found = conn.execute(
            select(ImportBatch.id, ImportBatch.school_id, ImportBatch.round_id)
            .join(School, School.id == ImportBatch.school_id)
            .join(Round, Round.id == ImportBatch.round_id)
            .where(School.name == school, Round.name == round, ImportBatch.framework_id == framework_id)
            .where(ImportBatch.status.in_(["active", "replaced"]))
        ).all()
        if not found:
            raise ManageError("unknown-round", f"{school!r} has no imports in {round!r} on {framework_id}")
        ids = [r.id for r in found]
        conn.execute(update(ImportBatch).where(ImportBatch.id.in_(ids)).values(status="deleted"))
        audit(conn, actor, "delete-round", school=school, round=round, framework_id=framework_id, batches=ids)
        publish(conn, found[0].school_id, found[0].round_id, framework_id)
    return len(ids)


def rename_school(engine: Engine, old: str, new: str, *, actor: str) -> None:
    """Give a school another name everywhere (imports, workshops, goals, users' assignments follow its id)."""
    with session_scope(engine) as session:
        conn = session.connection()
        school_id, district_id = _school(conn, old)
        taken = conn.execute(select(School.id).where(School.district_id == district_id, School.name == new)).first()
        if taken is not None:
            raise ManageError("name-taken", f"{new!r} is already a school: merge {old!r} into it instead")
        conn.execute(update(School).where(School.id == school_id).values(name=new))
        audit(conn, actor, "rename-school", school=new, old_name=old)


def merge_schools(engine: Engine, source: str, target: str, *, actor: str, publish: Publish) -> int:
    """Move everything of `source` into `target` (a misspelt school, a second upload under another name).

    People with the same respondent key become one person. Every round of `target` is decided again, with
    the releases of both schools in its history. Returns how many rounds were affected.
    """
    if source == target:
        raise ManageError("same-school", "choose two different schools to merge")
    with session_scope(engine) as session:
        conn = session.connection()
        source_id, source_district = _school(conn, source)
        target_id, target_district = _school(conn, target)
        if source_district != target_district:
            raise ManageError("other-district", f"{source!r} and {target!r} are in different districts")
        # Wait for imports into either school to commit, and hold new ones off until the merge has: an import
        # locks its school (FOR KEY SHARE), and its answers must be seen here to be moved with their people.
        conn.execute(select(School.id).where(School.id.in_(sorted((source_id, target_id)))).with_for_update())
        # The same person in both: keep the target's respondent, point the source's rows at it.
        pairs = conn.execute(select(Respondent.id, Respondent.key).where(Respondent.school_id == source_id)).all()
        kept = dict(conn.execute(select(Respondent.key, Respondent.id).where(Respondent.school_id == target_id)).all())
        for respondent_id, key in pairs:
            if key in kept:
                for model in (Response, Comment):
                    conn.execute(update(model).where(model.respondent_id == respondent_id)
                                 .values(respondent_id=kept[key]))  # fmt: skip
                conn.execute(
                    update(PublicationMember)
                    .where(PublicationMember.respondent_id == respondent_id)
                    .values(respondent_id=kept[key])
                )
                conn.execute(delete(Respondent).where(Respondent.id == respondent_id))
        conn.execute(update(Respondent).where(Respondent.school_id == source_id).values(school_id=target_id))
        for model in (ImportBatch, Workshop, Goal, Publication):
            conn.execute(update(model).where(model.school_id == source_id).values(school_id=target_id))
        for model, keys in ((ExpectedStaff, ("round_id",)), (PublicationState, ("round_id", "framework_id"))):
            taken = {tuple(r) for r in conn.execute(select(*(getattr(model, k) for k in keys))
                                                     .where(model.school_id == target_id)).all()}  # fmt: skip
            for row in conn.execute(
                select(*(getattr(model, k) for k in keys)).where(model.school_id == source_id)
            ).all():
                where = [
                    model.school_id == source_id,
                    *(getattr(model, k) == v for k, v in zip(keys, row, strict=True)),
                ]
                if tuple(row) in taken:
                    conn.execute(delete(model).where(*where))
                else:
                    conn.execute(update(model).where(*where).values(school_id=target_id))
        users = conn.execute(select(UserSchool.user_id).where(UserSchool.school_id == source_id)).scalars().all()
        already = set(conn.execute(select(UserSchool.user_id).where(UserSchool.school_id == target_id)).scalars())
        for user_id in users:
            if user_id not in already:
                conn.execute(UserSchool.__table__.insert().values(user_id=user_id, school_id=target_id))
        conn.execute(delete(UserSchool).where(UserSchool.school_id == source_id))
        conn.execute(delete(School).where(School.id == source_id))
        check_answers(conn, f"merging {source!r} into {target!r}", school_id=target_id)
        rounds = conn.execute(
            select(ImportBatch.round_id, ImportBatch.framework_id).where(ImportBatch.school_id == target_id).distinct()
        ).all()
        audit(conn, actor, "merge-school", school=target, merged=source, rounds=len(rounds))
        for round_id, framework_id in rounds:
            publish(conn, target_id, round_id, framework_id)
    return len(rounds)


def _school(conn: Connection, name: str) -> tuple[int, int]:
    row = conn.execute(select(School.id, School.district_id).where(School.name == name)).first()
    if row is None:
        raise ManageError("unknown-school", f"there is no school {name!r}")
    return row.id, row.district_id


def _names(conn: Connection, school_id: int, round_id: int) -> tuple[str, str]:
    school = conn.execute(select(School.name).where(School.id == school_id)).scalar_one()
    return school, conn.execute(select(Round.name).where(Round.id == round_id)).scalar_one()


# How a school's uploads are mapped, kept for its next upload (migration 0006).


def save_mapping(
    engine: Engine, school: str, framework: FrameworkLike, labels: dict, columns: dict, *, saved_by: str = ""
) -> None:
    """Keep the answer-label and column mappings of a school's upload on a framework (replacing earlier ones)."""
    district = _district_of(engine, school)
    with session_scope(engine) as session:
        conn = session.connection()
        school_id = _school_id(conn, _district_id(conn, district), school, None)
        _upsert_framework(conn, framework)
        stmt = _insert(conn, SavedMapping).values(
            school_id=school_id,
            framework_id=framework.id,
            labels=json.dumps(labels, sort_keys=True),
            columns=json.dumps(columns, sort_keys=True),
            saved_by=saved_by,
            saved_at=utc_now(),
        )
        conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["school_id", "framework_id"],
                set_={k: getattr(stmt.excluded, k) for k in ("labels", "columns", "saved_by", "saved_at")},
            )
        )


def saved_mapping(engine: Engine, school: str, framework_id: str) -> tuple[dict, dict, str, datetime] | None:
    """(labels, columns, saved by, saved at) kept for a school and framework, or None."""
    stmt = (
        select(SavedMapping.labels, SavedMapping.columns, SavedMapping.saved_by, SavedMapping.saved_at)
        .join(School, School.id == SavedMapping.school_id)
        .where(School.name == school, SavedMapping.framework_id == framework_id)
    )
    with reader(engine).connect() as conn:
        row = conn.execute(stmt).first()
    return None if row is None else (json.loads(row[0]), json.loads(row[1]), row[2], row[3])
