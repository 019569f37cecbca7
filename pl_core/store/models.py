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
    # Not a foreign key: a batch deleted with its round keeps the audit trail of what it replaced.
    replaced_batch_id: Mapped[int | None] = mapped_column(Integer)
    # active: counted; replaced: a later import of the same file took its place (undo brings it back);
    # undone: an undone import. Only active batches are scored (migration 0004).
    status: Mapped[str] = mapped_column(String(12), default="active", server_default="active")


class Response(Base):
    """One stored answer. No foreign keys (migration 0007): an import stores millions of these, and a key
    checked per row was most of the time PostgreSQL took; store.imports checks the batch's answers as a set
    in the same transaction instead, and `pl-diag db check` finds any that point nowhere."""

    __tablename__ = "responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(Integer, index=True)  # import_batches.id
    respondent_id: Mapped[int] = mapped_column(Integer, index=True)  # respondents.id
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
    name_key: Mapped[str] = mapped_column(String(200))  # trimmed, case-folded: unique in the workshop
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    # SHA-256 of the participant's secret token (their ballot link); None for workshops imported from paper.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)


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


class JoinFailure(Base):
    """A wrong join code, counted against the client's session and address (hashed); kept for one window.

    In the database rather than in memory, so every app process (replica) counts the same guesses.
    """

    __tablename__ = "join_failures"
    __table_args__ = (Index("ix_join_failures_scope_client_failed_at", "scope", "client", "failed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(10))  # "session" | "address"
    client: Mapped[str] = mapped_column(String(64))  # SHA-256 of scope and value, never the address itself
    failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


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


# Publications, participation, the audit trail and the data version (migration 0004).


class ExpectedStaff(Base):
    """How many staff a school expected to answer in a round: the denominator of its response rate."""

    __tablename__ = "expected_staff"
    __table_args__ = (PrimaryKeyConstraint("school_id", "round_id"),)

    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    count: Mapped[int] = mapped_column(Integer)
    set_by: Mapped[str] = mapped_column(String(320), default="")
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class AuditEvent(Base):
    """Who changed what was imported, and when: imports, undos, deleted rounds, renamed and merged schools."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    actor: Mapped[str] = mapped_column(String(320), default="")
    action: Mapped[str] = mapped_column(String(40))
    school: Mapped[str] = mapped_column(String(200), default="")
    round: Mapped[str] = mapped_column(String(200), default="")
    framework_id: Mapped[str] = mapped_column(String(100), default="")
    details: Mapped[str] = mapped_column(Text, default="{}")  # JSON


class DataVersion(Base):
    """One row whose number goes up with every write, so every app process can tell its cached reads are stale."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


class Publication(Base):
    """One release of a school's figures for a round and framework: what pl_core.privacy cleared to be shown.

    Every release ever made is kept, because whoever saw an earlier one can combine it with the next:
    the disclosure control checks each new release against all of them.
    """

    __tablename__ = "publications"
    __table_args__ = (Index("ix_publications_school_round_framework", "school_id", "round_id", "framework_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    framework_id: Mapped[str] = mapped_column(ForeignKey("frameworks.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    people: Mapped[int] = mapped_column(Integer, default=0)  # respondents in the release
    answered: Mapped[int] = mapped_column(Integer, default=0)  # of them, with at least one answer
    shown: Mapped[bool] = mapped_column(Boolean, default=True)  # False: too few people, nothing is shown


class PublicationMember(Base):
    """One person's answers as they were released: what a later release is compared with."""

    __tablename__ = "publication_members"
    __table_args__ = (PrimaryKeyConstraint("publication_id", "respondent_id"),)

    publication_id: Mapped[int] = mapped_column(ForeignKey("publications.id", ondelete="CASCADE"))
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondents.id", ondelete="CASCADE"))
    role: Mapped[str | None] = mapped_column(String(100))
    grade_band: Mapped[str | None] = mapped_column(String(100))
    answers: Mapped[str] = mapped_column(Text)  # JSON object: item -> level (null: a missing answer)


class PublicationCell(Base):
    """One group x item of a release: shown (with its respondents, missing answers and answers per level) or hidden."""

    __tablename__ = "publication_cells"
    __table_args__ = (Index("ix_publication_cells_publication_breakdown", "publication_id", "breakdown"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publications.id", ondelete="CASCADE"))
    breakdown: Mapped[str] = mapped_column(String(20))  # all | role | grade_band
    grp: Mapped[str | None] = mapped_column(String(100))  # the role or grade band; NULL: not given (or all)
    item: Mapped[str] = mapped_column(String(100))
    suppressed: Mapped[bool] = mapped_column(Boolean, default=False)
    respondents: Mapped[int | None] = mapped_column(Integer)
    missing: Mapped[int | None] = mapped_column(Integer)
    # Answers per level of a shown cell, "level:answers" pairs joined by commas ("1:2,3:5"); empty when hidden.
    # One row per cell keeps a district's releases small to read (pages read cells, never answers).
    counts: Mapped[str] = mapped_column(Text, default="")


class PublicationComment(Base):
    """A free-text comment as released with its publication (only when enough staff responded)."""

    __tablename__ = "publication_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publications.id", ondelete="CASCADE"), index=True)
    column: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)


class PublicationState(Base):
    """The release a school's round currently shows, and how many people's changes wait to be released."""

    __tablename__ = "publication_state"
    __table_args__ = (PrimaryKeyConstraint("school_id", "round_id", "framework_id"),)

    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    framework_id: Mapped[str] = mapped_column(ForeignKey("frameworks.id"))
    publication_id: Mapped[int | None] = mapped_column(ForeignKey("publications.id"))
    held: Mapped[int] = mapped_column(Integer, default=0)
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class SavedMapping(Base):
    """How a school's last upload on a framework was mapped (migration 0006): applied to its next upload."""

    __tablename__ = "saved_mappings"
    __table_args__ = (PrimaryKeyConstraint("school_id", "framework_id"),)

    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    framework_id: Mapped[str] = mapped_column(ForeignKey("frameworks.id"))
    labels: Mapped[str] = mapped_column(Text, default="{}")  # JSON: answer label -> level (null: a missing answer)
    columns: Mapped[str] = mapped_column(Text, default="{}")  # JSON: column header -> item id or field
    saved_by: Mapped[str] = mapped_column(String(320), default="")
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
