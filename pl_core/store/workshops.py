"""Storing workshops: codes, participants and their token hashes, votes (race-safe upserts), reveal, consensus,
leadership ratings, and the wrong join codes the limiter counts (shared by every app process).

The rules (codes, half-step levels, vote summaries) are `pl_core.domain.workshop`; callers go through
`pl_core.services.workshops`, which checks who may do what.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from ..domain.workshop import (
    CODE_ALPHABET,
    CODE_LENGTH,
    RATING_COLUMNS,
    ItemVotes,
    Joined,
    Participant,
    Workshop,
    WorkshopError,
    check_level,
    check_open,
    check_reveal,
    display_name,
    name_key,
    new_code,
    new_token,
    normalise_code,
    numbered_name,
    summarise_votes,
    token_hash,
)
from ..frameworks import Framework
from .db import reader, session_scope
from .goals import school_id_for
from .imports import _round_id, _upsert_framework
from .models import JoinFailure, Round, School, WorkshopItem, WorkshopParticipant, WorkshopVote, utc_now
from .models import Workshop as WorkshopRow
from .queries import _read


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
    notes: Mapping[str, tuple[str, str]] | None = None,
) -> Workshop:
    """Store a workshop already held (e.g. on paper) as closed: `votes` is participant -> item -> level, `notes`
    item -> (rationale, evidence) of its consensus. Closed at once, it is read-only from then on."""
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
                    "level": check_level(level, *_scale(framework, item), item),
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
                    consensus=check_level(level, *_scale(framework, item), item),
                    rationale=(notes or {}).get(item, ("", ""))[0],
                    evidence=(notes or {}).get(item, ("", ""))[1],
                    revealed=True,
                    recorded_at=held_at,
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


def join_workshop(engine: Engine, code: str, name: str) -> Joined:
    """Join an open workshop by code: a new participant with a fresh secret token (only its hash is stored).

    A name already taken in the workshop gets a number ("Ana (2)"): typing a teammate's name never opens
    their ballot. Raises WorkshopError("unknown-code"/"closed"/"name-required"); rate limiting is the
    caller's (pl_core.services.workshops).
    """
    display = display_name(name)
    if not display:
        raise WorkshopError("name-required", "enter your name to join")
    workshop = find_workshop(engine, code)
    token = new_token()
    with session_scope(engine, changes_data=False) as session:
        conn = session.connection()
        _lock_open(conn, workshop.id)
        taken = set(
            conn.execute(
                select(WorkshopParticipant.name_key).where(WorkshopParticipant.workshop_id == workshop.id)
            ).scalars()
        )
        for _ in range(1000):
            shown = numbered_name(display, taken)
            try:
                with conn.begin_nested():  # another device taking the same name at once: try the next number
                    participant_id = conn.execute(
                        WorkshopParticipant.__table__.insert()
                        .values(
                            workshop_id=workshop.id,
                            name=shown,
                            name_key=name_key(shown),
                            joined_at=utc_now(),
                            token_hash=token_hash(token),
                        )
                        .returning(WorkshopParticipant.id)
                    ).scalar_one()
                break
            except IntegrityError:
                taken.add(name_key(shown))
        else:
            raise RuntimeError("could not find a free name in this workshop")
    return Joined(Participant(participant_id, workshop.id, shown), token)


def participant_for_token(engine: Engine, token: str) -> Participant:
    """The participant whose secret token this is; WorkshopError("unknown-participant") when none is."""
    row = None
    if token:
        with reader(engine).connect() as conn:
            row = conn.execute(
                select(WorkshopParticipant.id, WorkshopParticipant.workshop_id, WorkshopParticipant.name).where(
                    WorkshopParticipant.token_hash == token_hash(token)
                )
            ).one_or_none()
    if row is None:
        raise WorkshopError("unknown-participant", "this ballot link is not valid: join with the code again")
    return Participant(row.id, row.workshop_id, row.name)


def _lock_open(conn: Connection, workshop_id: int, action: str = "joining") -> None:
    """Hold the workshop row (shared) and check it is open, so closing waits for writes already under way."""
    status = conn.execute(
        select(WorkshopRow.status).where(WorkshopRow.id == workshop_id).with_for_update(read=True)
    ).scalar_one_or_none()
    if status is None:
        raise WorkshopError("unknown-workshop", f"there is no workshop {workshop_id}")
    check_open(status, action)


def submit_vote(engine: Engine, participant_id: int, item: str, level: float, evidence: str = "") -> None:
    """Record (or replace) a participant's vote on one item."""
    with session_scope(engine, changes_data=False) as session:
        conn = session.connection()
        workshop_id = conn.execute(
            select(WorkshopParticipant.workshop_id).where(WorkshopParticipant.id == participant_id)
        ).scalar_one_or_none()
        if workshop_id is None:
            raise WorkshopError("unknown-participant", f"there is no participant {participant_id}: join again")
        _lock_open(conn, workshop_id, "voting")
        low, high, revealed = _item_row(conn, workshop_id, item)
        if revealed:  # a vote changed after the reveal would show the team who moved where
            raise WorkshopError("revealed", f"{item}: the votes are revealed, so they can no longer change")
        value = check_level(level, low, high, item)
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


def _item_row(conn: Connection, workshop_id: int, item: str) -> tuple[int, int, bool]:
    """The item's scale (low, high) and whether its votes are revealed."""
    row = conn.execute(
        select(WorkshopItem.scale_low, WorkshopItem.scale_high, WorkshopItem.revealed).where(
            WorkshopItem.workshop_id == workshop_id, WorkshopItem.item == item
        )
    ).one_or_none()
    if row is None:
        raise WorkshopError("unknown-item", f"{item!r} is not one of this workshop's items")
    return row.scale_low, row.scale_high, bool(row.revealed)


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


def ballots(engine: Engine, workshop_id: int) -> list[tuple[str, frozenset[str]]]:
    """(name, items voted on) per participant in joining order: who has voted, never what."""
    with reader(engine).connect() as conn:
        people = conn.execute(
            select(WorkshopParticipant.id, WorkshopParticipant.name)
            .where(WorkshopParticipant.workshop_id == workshop_id)
            .order_by(WorkshopParticipant.joined_at, WorkshopParticipant.id)
        ).all()
        voted = conn.execute(
            select(WorkshopVote.participant_id, WorkshopVote.item)
            .join(WorkshopParticipant, WorkshopParticipant.id == WorkshopVote.participant_id)
            .where(WorkshopParticipant.workshop_id == workshop_id)
        ).all()
    done: dict[int, set[str]] = {}
    for row in voted:
        done.setdefault(row.participant_id, set()).add(row.item)
    return [(p.name, frozenset(done.get(p.id, ()))) for p in people]


def reveal(engine: Engine, workshop_id: int, item: str, revealed: bool = True) -> None:
    """Show (or hide again) everyone's votes on one item of an open workshop (at least REVEAL_MIN_VOTES)."""
    with session_scope(engine) as session:
        conn = session.connection()
        _lock_open(conn, workshop_id, "revealing votes")
        _item_row(conn, workshop_id, item)
        if revealed:
            voters = conn.execute(
                select(func.count())
                .select_from(WorkshopVote)
                .join(WorkshopParticipant, WorkshopParticipant.id == WorkshopVote.participant_id)
                .where(WorkshopParticipant.workshop_id == workshop_id, WorkshopVote.item == item)
            ).scalar_one()
            check_reveal(voters)
        conn.execute(
            update(WorkshopItem)
            .where(WorkshopItem.workshop_id == workshop_id, WorkshopItem.item == item)
            .values(revealed=bool(revealed))
        )


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
    return [
        summarise_votes(
            it.item,
            levels.get(it.item, []),
            revealed=bool(it.revealed),
            consensus=None if it.consensus is None else float(it.consensus),
            rationale=it.rationale,
            evidence=it.evidence,
        )
        for it in sorted(items, key=lambda it: (order.get(it.item, len(order)), it.position))
    ]


def record_consensus(
    engine: Engine, workshop_id: int, item: str, level: float, rationale: str = "", evidence: str = ""
) -> None:
    """Record (or replace) the team's agreed level for one item of an open workshop, with why and on what evidence."""
    with session_scope(engine) as session:
        conn = session.connection()
        _lock_open(conn, workshop_id, "recording a consensus")
        low, high, _ = _item_row(conn, workshop_id, item)
        value = check_level(level, low, high, item)
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
    frame = _read(engine, stmt, ["school", "round", "item", "level", "workshop_id", "opened_at", "ordinal", "position"])
    if frame.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype=t) for c, t in zip(RATING_COLUMNS, [str, str, str, float, "int64"], strict=True)}
        )
    frame["opened_at"] = pd.to_datetime(frame["opened_at"], utc=True)
    latest = frame.sort_values(["opened_at", "workshop_id"], ascending=False).drop_duplicates(
        ["school", "round", "item"]
    )
    latest = latest.sort_values(["school", "ordinal", "round", "position"], kind="stable")
    latest["level"] = latest["level"].astype(float)
    latest["workshop_id"] = latest["workshop_id"].astype("int64")
    return latest[RATING_COLUMNS].reset_index(drop=True)


# --- Wrong join codes, counted for every app process -------------------------------------------------------------


def recent_join_failures(engine: Engine, keys: Mapping[str, str], since: datetime) -> dict[str, list[datetime]]:
    """When each of a client's buckets (scope -> hashed key) had a wrong join code after `since`."""
    found: dict[str, list[datetime]] = {scope: [] for scope in keys}
    if not keys:
        return found
    with reader(engine).connect() as conn:
        for scope, client in keys.items():
            found[scope] = [
                _aware(at)
                for at in conn.execute(
                    select(JoinFailure.failed_at).where(
                        JoinFailure.scope == scope, JoinFailure.client == client, JoinFailure.failed_at > since
                    )
                ).scalars()
            ]
    return found


def record_join_failure(engine: Engine, keys: Mapping[str, str], at: datetime, forget_before: datetime) -> None:
    """Count one wrong join code in each of the client's buckets, and forget those older than the window."""
    with session_scope(engine, changes_data=False) as session:
        session.execute(delete(JoinFailure).where(JoinFailure.failed_at <= forget_before))
        if keys:
            session.execute(
                JoinFailure.__table__.insert(),
                [{"scope": scope, "client": client, "failed_at": at} for scope, client in keys.items()],
            )
