"""Leadership workshops: facilitating (for a school the viewer may use) and taking part (with a join code).

A participant has no account: joining with the code admits them and issues a secret token, their ballot
link; every participant call takes that token, so nobody reaches another's ballot by typing their name.
Wrong codes are counted per client session and address in the database, so every app process shares
the count and nobody else is locked out. A closed workshop is read-only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine

from ..domain import workshop as rules
from ..domain.workshop import (  # noqa: F401 - re-exported for the pages
    ItemVotes,
    Joined,
    JoinLimits,
    Participant,
    WaitingFor,
    Workshop,
    WorkshopError,
)
from ..frameworks import Framework
from ..store import workshops as store
from .access import Viewer, require_school, scope
from .rounds import check_name, require_round


def leadership(
    engine: Engine,
    viewer: Viewer,
    framework_id: str,
    *,
    schools: Sequence[str] | None = None,
    rounds: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Leadership consensus per school x round x item (school, round, item, level, workshop_id)."""
    return store.leadership_ratings(engine, framework_id, schools=scope(viewer, schools), rounds=rounds)


def list_workshops(
    engine: Engine,
    viewer: Viewer,
    *,
    school: str | None = None,
    round: str | None = None,
    framework_id: str | None = None,
) -> list[Workshop]:
    """Workshops of one school, or of every school the viewer may see, newest first."""
    if school is not None:
        require_school(viewer, school)
    found = store.list_workshops(engine, school=school, round=round, framework_id=framework_id)
    allowed = scope(viewer, None)
    return [w for w in found if allowed is None or w.school in allowed]


def open_workshop(
    engine: Engine,
    viewer: Viewer,
    *,
    school: str,
    round: str,
    framework: Framework,
    items: Sequence[str] | None = None,
    facilitator: str | None = None,
    district: str | None = None,
) -> Workshop:
    """Open a workshop for a school the viewer may use (facilitator: the viewer unless named)."""
    school = check_name("school", school)
    require_school(viewer, school)
    round = require_round(engine, viewer, round)
    who = facilitator if facilitator is not None else (viewer.name or viewer.email)
    return store.open_workshop(
        engine, school=school, round=round, framework=framework, items=items, facilitator=who, district=district
    )


def import_workshop(
    engine: Engine,
    viewer: Viewer,
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
    """Store a workshop already held (e.g. on paper) as closed, with why and on what evidence (`notes`, per item)."""
    school = check_name("school", school)
    require_school(viewer, school)
    round = require_round(engine, viewer, round)
    return store.import_workshop(
        engine,
        school=school,
        round=round,
        framework=framework,
        held_at=held_at,
        votes=votes,
        consensus=consensus,
        facilitator=facilitator,
        district=district,
        notes=notes,
    )


def workshop_for(engine: Engine, viewer: Viewer, workshop_id: int) -> Workshop:
    """A workshop the viewer may facilitate; check with this before revealing, recording or closing."""
    workshop = store.get_workshop(engine, workshop_id)
    require_school(viewer, workshop.school)
    return workshop


def item_votes(engine: Engine, viewer: Viewer, workshop_id: int, framework: Framework) -> list[ItemVotes]:
    """Every item's votes (without names), spread and consensus, for the facilitator."""
    workshop_for(engine, viewer, workshop_id)
    return store.item_votes(engine, workshop_id, framework)


def participants(engine: Engine, viewer: Viewer, workshop_id: int) -> list[str]:
    """Names of the people who joined, in joining order, for the facilitator."""
    workshop_for(engine, viewer, workshop_id)
    return store.participants(engine, workshop_id)


def waiting_for(engine: Engine, viewer: Viewer, workshop_id: int) -> WaitingFor:
    """Who has not voted yet, per item and overall, by name; never who voted what."""
    workshop = workshop_for(engine, viewer, workshop_id)
    return rules.waiting_for(workshop.items, store.ballots(engine, workshop_id))


def reveal(engine: Engine, viewer: Viewer, workshop_id: int, item: str, revealed: bool = True) -> None:
    """Show (or hide again) everyone's votes on one item of an open workshop the viewer facilitates.

    Raises WorkshopError("closed") once the workshop has closed, and ("too-few-votes") for fewer than
    REVEAL_MIN_VOTES votes; while an item is revealed its votes are locked.
    """
    workshop_for(engine, viewer, workshop_id)
    store.reveal(engine, workshop_id, item, revealed)


def record_consensus(
    engine: Engine, viewer: Viewer, workshop_id: int, item: str, level: float, rationale: str = "", evidence: str = ""
) -> None:
    """Record the team's agreed level for one item of an open workshop the viewer facilitates ("closed" after)."""
    workshop_for(engine, viewer, workshop_id)
    store.record_consensus(engine, workshop_id, item, level, rationale, evidence)


def close_workshop(engine: Engine, viewer: Viewer, workshop_id: int) -> None:
    """Close a workshop the viewer facilitates: its join code stops working."""
    workshop_for(engine, viewer, workshop_id)
    store.close_workshop(engine, workshop_id)


# Taking part: no account, a join code, then the token.


def join(
    engine: Engine,
    code: str,
    name: str,
    *,
    session: str | None = None,
    address: str | None = None,
    limits: JoinLimits = rules.JOIN_LIMITS,
    now: datetime | None = None,
) -> Joined:
    """Join an open workshop by code under a name; return the participant and their secret token.

    Wrong (or closed) codes count against the client's browser `session` and network `address`, in the
    database, so every app process sees the same count; a client over either limit is refused, whatever
    code it sends, until its oldest counted failure is older than the window. Nobody else is affected.
    """
    now = now or datetime.now(UTC)
    keys = rules.client_keys(session=session, address=address)
    wait = rules.join_wait(store.recent_join_failures(engine, keys, now - limits.window), now, limits)
    if wait > 0:
        raise rules.rate_limited(wait)
    try:
        return store.join_workshop(engine, code, name)
    except WorkshopError as exc:
        if exc.code in ("unknown-code", "closed"):  # a closed code is a hit for someone guessing: count it too
            store.record_join_failure(engine, keys, now, forget_before=now - limits.window)
        raise


def participant(engine: Engine, token: str) -> Participant:
    """The participant holding this token (their ballot link); WorkshopError("unknown-participant") otherwise."""
    return store.participant_for_token(engine, token)


def participant_workshop(engine: Engine, token: str) -> Workshop:
    """The workshop of the participant holding this token."""
    return store.get_workshop(engine, participant(engine, token).workshop_id)


def submit_vote(engine: Engine, token: str, item: str, level: float, evidence: str = "") -> None:
    """Record (or replace) the token holder's own vote on one item ("closed", "revealed": no longer)."""
    store.submit_vote(engine, participant(engine, token).id, item, level, evidence)


def my_votes(engine: Engine, token: str) -> dict[str, tuple[float, str]]:
    """The token holder's own votes: item -> (level, evidence)."""
    return store.my_votes(engine, participant(engine, token).id)


def revealed_votes(engine: Engine, token: str, framework: Framework) -> list[ItemVotes]:
    """The items of the token holder's workshop whose votes the facilitator has revealed (without names)."""
    who = participant(engine, token)
    return [v for v in store.item_votes(engine, who.workshop_id, framework) if v.revealed]
