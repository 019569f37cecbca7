"""Leadership-team workshops: a join code, votes from many devices at once, reveal, consensus, ratings.

A facilitator opens a workshop for a school, round and framework; each member joins with the
six-character code and their name and rates each item in half-steps. The facilitator reveals
the votes item by item, the team discusses wide spreads and records a consensus level, which
is the leadership rating compared with the staff self-assessment.
"""

from __future__ import annotations

import json
import secrets
import statistics
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from .frameworks import Framework
from .store.db import reader, session_scope
from .store.goals import school_id_for
from .store.imports import _round_id, _upsert_framework
from .store.models import Round, School, WorkshopItem, WorkshopParticipant, WorkshopVote, utc_now
from .store.models import Workshop as WorkshopRow

# No 0/O, 1/I/L: a code read aloud or off a projector is typed right the first time.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
# Wrong codes allowed per client and across all clients within the window before joining is refused.
JOIN_MAX_FAILURES = 5
JOIN_GLOBAL_MAX_FAILURES = 100
JOIN_WINDOW_S = 300.0
DISCUSS_SPREAD = 1.0  # votes spanning more than one level need discussion
RATING_COLUMNS = ["school", "round", "item", "level", "workshop_id"]


@dataclass(frozen=True)
class Workshop:
    id: int
    code: str
    school: str
    round: str
    framework_id: str
    items: tuple[str, ...]
    facilitator: str
    status: str  # "open" | "closed"
    opened_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True)
class Participant:
    id: int
    workshop_id: int
    name: str


@dataclass(frozen=True)
class ItemVotes:
    item: str
    votes: tuple[float, ...]  # ascending, without names
    voters: int
    mean: float | None
    median: float | None
    low: float | None
    high: float | None
    spread: float | None
    needs_discussion: bool
    revealed: bool
    consensus: float | None
    rationale: str
    evidence: str


class WorkshopError(ValueError):
    """Something a participant or facilitator can fix; `code` is a short id such as "unknown-code"."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


def normalise_code(code: str) -> str:
    """A join code as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in str(code).upper() if ch not in " -\t")


def new_code() -> str:
    """A random join code from the unambiguous alphabet."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def name_key(name: str) -> str:
    """What makes two display names the same person: trimmed, inner spaces collapsed, case-folded."""
    return " ".join(str(name).split()).casefold()


def _dialect_insert(conn: Connection, model: type):
    return (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(model)


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _workshop_select():
    return (
        select(WorkshopRow, School.name.label("school"), Round.name.label("round"))
        .join(School, School.id == WorkshopRow.school_id)
        .join(Round, Round.id == WorkshopRow.round_id)
    )


def _to_workshop(row) -> Workshop:
    return Workshop(
        id=row.id,
        code=row.code,
        school=row.school,
        round=row.round,
        framework_id=row.framework_id,
        items=tuple(json.loads(row.items)),
        facilitator=row.facilitator,
        status=row.status,
        opened_at=_aware(row.opened_at),
        closed_at=_aware(row.closed_at),
    )


def _check_level(level: float, low: int, high: int, item: str) -> float:
    try:
        value = float(level)
    except (TypeError, ValueError):
        value = float("nan")
    if isinstance(level, bool) or not low <= value <= high or not (value * 2).is_integer():
        raise WorkshopError(
            "level-out-of-range", f"{item}: {level!r} is not a level from {low} to {high} in half-steps"
        )
    return value


def _create(
    conn: Connection,
    *,
    school: str,
    round: str,
    framework: Framework,
    items: Sequence[str] | None,
    facilitator: str,
    district: str | None,
    status: str,
    opened_at: datetime,
    closed_at: datetime | None,
) -> int:
    """Insert a workshop and its items; return its id."""
    chosen = list(dict.fromkeys(items)) if items is not None else list(framework.item_ids)
    unknown = [i for i in chosen if i not in framework.item_ids]
    if unknown:
        raise WorkshopError("unknown-item", f"{framework.name} has no item {unknown[0]!r}")
    if not chosen:
        raise WorkshopError("no-items", "choose at least one item to rate")
    school_id = school_id_for(conn, school, district)
    district_id = conn.execute(select(School.district_id).where(School.id == school_id)).scalar_one()
    round_id = _round_id(conn, district_id, round)
    _upsert_framework(conn, framework)
    values = {
        "school_id": school_id,
        "round_id": round_id,
        "framework_id": framework.id,
        "items": json.dumps(chosen),
        "facilitator": facilitator,
        "status": status,
        "opened_at": opened_at,
        "closed_at": closed_at,
    }
    for _ in range(20):
        try:
            with conn.begin_nested():  # a savepoint, so a code collision does not end the transaction
                workshop_id = conn.execute(
                    WorkshopRow.__table__.insert().values(code=new_code(), **values).returning(WorkshopRow.id)
                ).scalar_one()
            break
        except IntegrityError:
            continue
    else:  # 31**6 codes: twenty collisions in a row means something else is wrong
        raise RuntimeError("could not find an unused workshop code")
    conn.execute(
        WorkshopItem.__table__.insert(),
        [
            {
                "workshop_id": workshop_id,
                "item": item_id,
                "position": position,
                "scale_low": framework.item(item_id).scale.low,
                "scale_high": framework.item(item_id).scale.high,
                "revealed": False,
                "rationale": "",
                "evidence": "",
            }
            for position, item_id in enumerate(chosen)
        ],
    )
    return workshop_id


def open_workshop(
    engine: Engine,
    *,
    school: str,
    round: str,
    framework: Framework,
    items: Sequence[str] | None = None,
    facilitator: str = "",
    district: str | None = None,
) -> Workshop:
    """Open a workshop on `items` (default: every item of the framework) with a fresh join code."""
    with session_scope(engine) as session:
        workshop_id = _create(
            session.connection(),
            school=school,
            round=round,
            framework=framework,
            items=items,
            facilitator=facilitator,
            district=district,
            status="open",
            opened_at=utc_now(),
            closed_at=None,
        )
    return get_workshop(engine, workshop_id)


def import_workshop(
    engine: Engine,
    *,
    school: str,
    round: str,
    framework: Framework,
    held_at: datetime,
    votes: Mapping[str, Mapping[str, float]],
    consensus: Mapping[str, float],
    facilitator: str = "",
    district: str | None = None,
) -> Workshop:
    """Store a workshop already held (e.g. on paper) as closed: `votes` is participant -> item -> level."""
    items = list(dict.fromkeys([*consensus, *(i for ballot in votes.values() for i in ballot)]))
    held_at = _aware(held_at) or utc_now()
    with session_scope(engine) as session:
        conn = session.connection()
        workshop_id = _create(
            conn,
            school=school,
            round=round,
            framework=framework,
            items=items,
            facilitator=facilitator,
            district=district,
            status="closed",
            opened_at=held_at,
            closed_at=held_at,
        )
        for name, ballot in votes.items():
            participant_id = conn.execute(
                WorkshopParticipant.__table__.insert()
                .values(
                    workshop_id=workshop_id, name=" ".join(name.split()), name_key=name_key(name), joined_at=held_at
                )
                .returning(WorkshopParticipant.id)
            ).scalar_one()
            rows = [
                {
                    "participant_id": participant_id,
                    "item": item,
                    "evidence": "",
                    "updated_at": held_at,
                    "level": _check_level(level, *_scale(framework, item), item),
                }
                for item, level in ballot.items()
            ]
            if rows:
                conn.execute(WorkshopVote.__table__.insert(), rows)
        for item, level in consensus.items():
            conn.execute(
                update(WorkshopItem)
                .where(WorkshopItem.workshop_id == workshop_id, WorkshopItem.item == item)
                .values(
                    consensus=_check_level(level, *_scale(framework, item), item), revealed=True, recorded_at=held_at
                )
            )
    return get_workshop(engine, workshop_id)


def _scale(framework: Framework, item: str) -> tuple[int, int]:
    scale = framework.item(item).scale
    return scale.low, scale.high


def get_workshop(engine: Engine, workshop_id: int) -> Workshop:
    """The workshop with this id; WorkshopError("unknown-workshop") if there is none."""
    with reader(engine).connect() as conn:
        row = conn.execute(_workshop_select().where(WorkshopRow.id == workshop_id)).one_or_none()
    if row is None:
        raise WorkshopError("unknown-workshop", f"there is no workshop {workshop_id}")
    return _to_workshop(row)


def find_workshop(engine: Engine, code: str) -> Workshop:
    """The open workshop a join code belongs to (case, spaces and dashes ignored)."""
    wanted = normalise_code(code)
    row = None
    if len(wanted) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in wanted):
        with reader(engine).connect() as conn:
            row = conn.execute(_workshop_select().where(WorkshopRow.code == wanted)).one_or_none()
    if row is None:
        raise WorkshopError("unknown-code", f"no workshop has the code {code!r}: check it with your facilitator")
    if row.status != "open":
        raise WorkshopError("closed", f"the workshop {wanted} has closed")
    return _to_workshop(row)


def list_workshops(
    engine: Engine,
    *,
    school: str | None = None,
    round: str | None = None,
    framework_id: str | None = None,
) -> list[Workshop]:
    """Workshops, newest first, optionally of one school, round or framework."""
    stmt = _workshop_select().order_by(WorkshopRow.opened_at.desc(), WorkshopRow.id.desc())
    if school is not None:
        stmt = stmt.where(School.name == school)
    if round is not None:
        stmt = stmt.where(Round.name == round)
    if framework_id is not None:
        stmt = stmt.where(WorkshopRow.framework_id == framework_id)
    with reader(engine).connect() as conn:
        return [_to_workshop(row) for row in conn.execute(stmt).all()]


class JoinLimiter:
    """Counts wrong join codes per client and overall in a sliding window; process-local and thread-safe.

    A client (e.g. a Streamlit session id) with `max_failures` wrong codes in the last `window_s`
    seconds is refused, right code or not, until its oldest failure ages out; so is everyone once
    `global_max_failures` wrong codes came from all clients together (guessing from many sessions).
    Calls without a client key share no per-client bucket and meet only the global cap. Successes
    do not reset the count, so joining with a known code cannot buy more guesses. Checks and
    failures are separate steps, so concurrent attempts of one client can overshoot by a few.
    """

    def __init__(
        self,
        max_failures: int = JOIN_MAX_FAILURES,
        window_s: float = JOIN_WINDOW_S,
        global_max_failures: int = JOIN_GLOBAL_MAX_FAILURES,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.max_failures = max_failures
        self.window_s = window_s
        self.global_max_failures = global_max_failures
        self._clock = clock
        self._lock = threading.Lock()
        self._by_client: dict[str, deque[float]] = {}
        self._all: deque[float] = deque()

    def _expire(self, now: float) -> None:
        cutoff = now - self.window_s
        while self._all and self._all[0] <= cutoff:
            self._all.popleft()
        for client in list(self._by_client):
            times = self._by_client[client]
            while times and times[0] <= cutoff:
                times.popleft()
            if not times:
                del self._by_client[client]  # keeps memory bounded by the failures in one window

    def retry_after(self, client: str = "") -> float:
        """Seconds until `client` may try again (0 when it may now)."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            waits = []
            times = self._by_client.get(client) if client else None
            if times and len(times) >= self.max_failures:
                waits.append(times[-self.max_failures] + self.window_s - now)
            if len(self._all) >= self.global_max_failures:
                waits.append(self._all[-self.global_max_failures] + self.window_s - now)
            return max(waits, default=0.0)

    def check(self, client: str = "") -> None:
        """Raise WorkshopError("rate-limited") while `client` (or everyone) has had too many wrong codes."""
        wait = self.retry_after(client)
        if wait > 0:
            minutes = max(1, round(wait / 60))
            raise WorkshopError("rate-limited", f"too many wrong codes: wait about {minutes} minute(s), then try again")

    def record_failure(self, client: str = "") -> None:
        """Count one wrong (or closed) code from `client`."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            self._all.append(now)
            if client:
                self._by_client.setdefault(client, deque()).append(now)

    def failures(self, client: str = "") -> int:
        """Wrong codes counted in the current window for `client` (all clients when empty)."""
        with self._lock:
            self._expire(self._clock())
            return len(self._by_client.get(client, ())) if client else len(self._all)


# One per process: every session of a Streamlit server shares it.
JOIN_LIMITER = JoinLimiter()


def join_workshop(
    engine: Engine, code: str, name: str, *, client: str = "", limiter: JoinLimiter | None = None
) -> Participant:
    """Join an open workshop by code; the same name again (any case) is the same participant.

    `client` identifies the caller for rate limiting (e.g. the Streamlit session id); after too
    many wrong codes the caller gets WorkshopError("rate-limited") even for a right one.
    """
    display = " ".join(str(name).split())
    if not display:
        raise WorkshopError("name-required", "enter your name to join")
    limiter = JOIN_LIMITER if limiter is None else limiter
    limiter.check(client)
    try:
        workshop = find_workshop(engine, code)
    except WorkshopError as exc:
        if exc.code in ("unknown-code", "closed"):  # a closed code is a hit for someone guessing: count it too
            limiter.record_failure(client)
        raise
    with session_scope(engine) as session:
        conn = session.connection()
        _lock_open(conn, workshop.id)
        conn.execute(
            _dialect_insert(conn, WorkshopParticipant)
            .values(workshop_id=workshop.id, name=display, name_key=name_key(display), joined_at=utc_now())
            .on_conflict_do_nothing(index_elements=["workshop_id", "name_key"])
        )
        row = conn.execute(
            select(WorkshopParticipant.id, WorkshopParticipant.name).where(
                WorkshopParticipant.workshop_id == workshop.id, WorkshopParticipant.name_key == name_key(display)
            )
        ).one()
    return Participant(row.id, workshop.id, row.name)


def _lock_open(conn: Connection, workshop_id: int) -> None:
    """Hold the workshop row (shared) and check it is open, so closing waits for writes already under way."""
    status = conn.execute(
        select(WorkshopRow.status).where(WorkshopRow.id == workshop_id).with_for_update(read=True)
    ).scalar_one_or_none()
    if status is None:
        raise WorkshopError("unknown-workshop", f"there is no workshop {workshop_id}")
    if status != "open":
        raise WorkshopError("closed", "the workshop has closed; votes can no longer change")


def submit_vote(engine: Engine, participant_id: int, item: str, level: float, evidence: str = "") -> None:
    """Record (or replace) a participant's vote on one item."""
    with session_scope(engine) as session:
        conn = session.connection()
        workshop_id = conn.execute(
            select(WorkshopParticipant.workshop_id).where(WorkshopParticipant.id == participant_id)
        ).scalar_one_or_none()
        if workshop_id is None:
            raise WorkshopError("unknown-participant", f"there is no participant {participant_id}: join again")
        _lock_open(conn, workshop_id)
        value = _check_level(level, *_item_scale(conn, workshop_id, item), item)
        stmt = _dialect_insert(conn, WorkshopVote).values(
            participant_id=participant_id, item=item, level=value, evidence=evidence or "", updated_at=utc_now()
        )
        conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["participant_id", "item"],
                set_={
                    "level": stmt.excluded.level,
                    "evidence": stmt.excluded.evidence,
                    "updated_at": stmt.excluded.updated_at,
                },
            )
        )


def _item_scale(conn: Connection, workshop_id: int, item: str) -> tuple[int, int]:
    row = conn.execute(
        select(WorkshopItem.scale_low, WorkshopItem.scale_high).where(
            WorkshopItem.workshop_id == workshop_id, WorkshopItem.item == item
        )
    ).one_or_none()
    if row is None:
        raise WorkshopError("unknown-item", f"{item!r} is not one of this workshop's items")
    return row.scale_low, row.scale_high


def my_votes(engine: Engine, participant_id: int) -> dict[str, tuple[float, str]]:
    """A participant's own votes: item -> (level, evidence)."""
    stmt = select(WorkshopVote.item, WorkshopVote.level, WorkshopVote.evidence).where(
        WorkshopVote.participant_id == participant_id
    )
    with reader(engine).connect() as conn:
        return {row.item: (float(row.level), row.evidence) for row in conn.execute(stmt).all()}


def vote_counts(engine: Engine, workshop_id: int) -> dict[str, int]:
    """How many participants have voted on each of the workshop's items (0 included)."""
    with reader(engine).connect() as conn:
        items = conn.execute(
            select(WorkshopItem.item).where(WorkshopItem.workshop_id == workshop_id).order_by(WorkshopItem.position)
        ).scalars()
        counts = dict.fromkeys(items, 0)
        rows = conn.execute(
            select(WorkshopVote.item)
            .join(WorkshopParticipant, WorkshopParticipant.id == WorkshopVote.participant_id)
            .where(WorkshopParticipant.workshop_id == workshop_id)
        ).scalars()
        for item in rows:
            counts[item] = counts.get(item, 0) + 1
    return counts


def participants(engine: Engine, workshop_id: int) -> list[str]:
    """Display names of the people who joined, in the order they joined."""
    stmt = (
        select(WorkshopParticipant.name)
        .where(WorkshopParticipant.workshop_id == workshop_id)
        .order_by(WorkshopParticipant.joined_at, WorkshopParticipant.id)
    )
    with reader(engine).connect() as conn:
        return list(conn.execute(stmt).scalars())


def _update_item(engine: Engine, workshop_id: int, item: str, **values) -> None:
    with session_scope(engine) as session:
        done = session.execute(
            update(WorkshopItem)
            .where(WorkshopItem.workshop_id == workshop_id, WorkshopItem.item == item)
            .values(**values)
        ).rowcount
        if done != 1:
            raise WorkshopError("unknown-item", f"{item!r} is not one of this workshop's items")


def reveal(engine: Engine, workshop_id: int, item: str, revealed: bool = True) -> None:
    """Show (or hide again) everyone's votes on one item."""
    _update_item(engine, workshop_id, item, revealed=bool(revealed))


def item_votes(engine: Engine, workshop_id: int, framework: Framework) -> list[ItemVotes]:
    """Vote distribution, spread and consensus per workshop item, in framework order."""
    with reader(engine).connect() as conn:
        items = conn.execute(select(WorkshopItem).where(WorkshopItem.workshop_id == workshop_id)).all()
        rows = conn.execute(
            select(WorkshopVote.item, WorkshopVote.level)
            .join(WorkshopParticipant, WorkshopParticipant.id == WorkshopVote.participant_id)
            .where(WorkshopParticipant.workshop_id == workshop_id)
        ).all()
    levels: dict[str, list[float]] = {}
    for row in rows:
        levels.setdefault(row.item, []).append(float(row.level))
    order = {item_id: i for i, item_id in enumerate(framework.item_ids)}
    result = []
    for it in sorted(items, key=lambda it: (order.get(it.item, len(order)), it.position)):
        votes = tuple(sorted(levels.get(it.item, [])))
        low, high = (votes[0], votes[-1]) if votes else (None, None)
        spread = high - low if votes else None
        result.append(
            ItemVotes(
                item=it.item,
                votes=votes,
                voters=len(votes),
                mean=statistics.fmean(votes) if votes else None,
                median=float(statistics.median(votes)) if votes else None,
                low=low,
                high=high,
                spread=spread,
                needs_discussion=spread is not None and spread > DISCUSS_SPREAD,
                revealed=bool(it.revealed),
                consensus=None if it.consensus is None else float(it.consensus),
                rationale=it.rationale,
                evidence=it.evidence,
            )
        )
    return result


def record_consensus(
    engine: Engine, workshop_id: int, item: str, level: float, rationale: str = "", evidence: str = ""
) -> None:
    """Record (or replace) the team's agreed level for one item, with why and on what evidence."""
    with session_scope(engine) as session:
        conn = session.connection()
        value = _check_level(level, *_item_scale(conn, workshop_id, item), item)
        conn.execute(
            update(WorkshopItem)
            .where(WorkshopItem.workshop_id == workshop_id, WorkshopItem.item == item)
            .values(consensus=value, rationale=rationale or "", evidence=evidence or "", recorded_at=utc_now())
        )


def close_workshop(engine: Engine, workshop_id: int) -> None:
    """Close the workshop: its code stops working and votes can no longer change."""
    with session_scope(engine) as session:
        conn = session.connection()
        status = conn.execute(
            select(WorkshopRow.status).where(WorkshopRow.id == workshop_id).with_for_update()
        ).scalar_one_or_none()
        if status is None:
            raise WorkshopError("unknown-workshop", f"there is no workshop {workshop_id}")
        if status != "closed":
            conn.execute(
                update(WorkshopRow).where(WorkshopRow.id == workshop_id).values(status="closed", closed_at=utc_now())
            )


def leadership_ratings(
    engine: Engine,
    framework_id: str,
    *,
    schools: Sequence[str] | None = None,
    rounds: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Leadership consensus per school x round x item, from the latest workshop that recorded one."""
    stmt = (
        select(
            School.name.label("school"),
            Round.name.label("round"),
            WorkshopItem.item,
            WorkshopItem.consensus.label("level"),
            WorkshopRow.id.label("workshop_id"),
            WorkshopRow.opened_at,
            Round.ordinal,
            WorkshopItem.position,
        )
        .join(WorkshopRow, WorkshopRow.id == WorkshopItem.workshop_id)
        .join(School, School.id == WorkshopRow.school_id)
        .join(Round, Round.id == WorkshopRow.round_id)
        .where(WorkshopRow.framework_id == framework_id, WorkshopItem.consensus.is_not(None))
    )
    if schools is not None:
        stmt = stmt.where(School.name.in_(list(schools)))
    if rounds is not None:
        stmt = stmt.where(Round.name.in_(list(rounds)))
    with reader(engine).connect() as conn:
        rows = conn.execute(stmt).all()
    if not rows:
        return pd.DataFrame(
            {c: pd.Series(dtype=t) for c, t in zip(RATING_COLUMNS, [str, str, str, float, "int64"], strict=True)}
        )
    frame = pd.DataFrame([row._asdict() for row in rows])
    frame["opened_at"] = pd.to_datetime(frame["opened_at"], utc=True)
    latest = frame.sort_values(["opened_at", "workshop_id"], ascending=False).drop_duplicates(
        ["school", "round", "item"]
    )
    latest = latest.sort_values(["school", "ordinal", "round", "position"], kind="stable")
    latest["level"] = latest["level"].astype(float)
    latest["workshop_id"] = latest["workshop_id"].astype("int64")
    return latest[RATING_COLUMNS].reset_index(drop=True)
