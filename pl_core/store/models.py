"""SQLAlchemy 2 models of stored imports, workshops and goals; the Alembic migrations create the schema."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utc_now() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


# Named constraints keep later migrations (and SQLite batch mode) predictable.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class District(Base):
    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class School(Base):
    __tablename__ = "schools"
    __table_args__ = (UniqueConstraint("district_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"))
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str | None] = mapped_column(String(50))


class Framework(Base):
    __tablename__ = "frameworks"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    content_hash: Mapped[str] = mapped_column(String(128))
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class Round(Base):
    __tablename__ = "rounds"
    __table_args__ = (UniqueConstraint("district_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"))
    name: Mapped[str] = mapped_column(String(200))
    ordinal: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date | None] = mapped_column(Date)


class Respondent(Base):
    """A pseudonymous person at one school: the same key in every round."""

    __tablename__ = "respondents"
    __table_args__ = (UniqueConstraint("school_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    key: Mapped[str] = mapped_column(String(128))
    role: Mapped[str | None] = mapped_column(String(100))
    grade_band: Mapped[str | None] = mapped_column(String(100))


class ImportBatch(Base):
    __tablename__ = "import_batches"
    __table_args__ = (
        Index("ix_import_batches_framework_school_round", "framework_id", "school_id", "round_id"),
        # A replaced batch's id must never come back for a new batch (SQLite reuses the highest rowid).
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    framework_id: Mapped[str] = mapped_column(ForeignKey("frameworks.id"))
    file_name: Mapped[str] = mapped_column(String(500))
    file_hash: Mapped[str] = mapped_column(String(128))
    format: Mapped[str] = mapped_column(String(50))
    imported_by: Mapped[str] = mapped_column(String(200), default="")
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    respondents: Mapped[int] = mapped_column(Integer, default=0)
    answers: Mapped[int] = mapped_column(Integer, default=0)
    missing_answers: Mapped[int] = mapped_column(Integer, default=0)
    superseded: Mapped[int] = mapped_column(Integer, default=0)
    # Not a foreign key: the replaced batch has been deleted; this keeps the audit trail.
    replaced_batch_id: Mapped[int | None] = mapped_column(Integer)


class Response(Base):
    __tablename__ = "responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id", ondelete="CASCADE"), index=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondents.id"), index=True)
    item: Mapped[str] = mapped_column(String(100))
    level: Mapped[int | None] = mapped_column(Integer)


class Comment(Base):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id", ondelete="CASCADE"), index=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondents.id"), index=True)
    column: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)


# Workshops and goals (migration 0002).


class Workshop(Base):
    """A leadership-team rating session that participants join with a short code."""

    __tablename__ = "workshops"
    __table_args__ = (Index("ix_workshops_framework_school_round", "framework_id", "school_id", "round_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique among all workshops, so a closed workshop's code can never point at a new one.
    code: Mapped[str] = mapped_column(String(12), unique=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    framework_id: Mapped[str] = mapped_column(ForeignKey("frameworks.id"))
    items: Mapped[str] = mapped_column(Text)  # JSON list of item ids, in the order chosen
    facilitator: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(10), default="open")
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class WorkshopParticipant(Base):
    __tablename__ = "workshop_participants"
    __table_args__ = (UniqueConstraint("workshop_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))  # trimmed, case-folded: the same person rejoining
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class WorkshopVote(Base):
    __tablename__ = "workshop_votes"
    __table_args__ = (UniqueConstraint("participant_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("workshop_participants.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(String(100))
    level: Mapped[float] = mapped_column(Float)
    evidence: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class WorkshopItem(Base):
    """One item of a workshop: its scale, whether votes are shown, and the team's consensus."""

    __tablename__ = "workshop_items"
    __table_args__ = (PrimaryKeyConstraint("workshop_id", "item"),)

    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    # Copied from the framework when the workshop opens, so votes are checked without reading framework files.
    scale_low: Mapped[int] = mapped_column(Integer)
    scale_high: Mapped[int] = mapped_column(Integer)
    revealed: Mapped[bool] = mapped_column(Boolean, default=False)
    consensus: Mapped[float | None] = mapped_column(Float)
    rationale: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Goal(Base):
    __tablename__ = "goals"
    __table_args__ = (Index("ix_goals_school_framework", "school_id", "framework_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    framework_id: Mapped[str] = mapped_column(ForeignKey("frameworks.id"))
    item: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300), default="")
    baseline_level: Mapped[float] = mapped_column(Float)
    baseline_round: Mapped[str | None] = mapped_column(String(200))
    target_level: Mapped[float] = mapped_column(Float)
    start_date: Mapped[date] = mapped_column(Date)
    target_date: Mapped[date] = mapped_column(Date)
    owner: Mapped[str] = mapped_column(String(200), default="")
    steps: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of action-step sentences
    status: Mapped[str] = mapped_column(String(20), default="active")
    statement: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Milestone(Base):
    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    due: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    done: Mapped[bool] = mapped_column(Boolean, default=False)


# Users, roles and school assignments (migration 0003).


class User(Base):
    """A person who signs in: keyed by case-folded email; the role decides what they may see."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)  # stripped and case-folded
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(30))  # district_admin | coach | principal
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class UserSchool(Base):
    """A school a coach or principal may see (district admins see every school without rows here)."""

    __tablename__ = "user_schools"
    __table_args__ = (PrimaryKeyConstraint("user_id", "school_id"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
