"""Leadership workshops: facilitating (for a school the viewer may use) and taking part (with a join code)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine

from ..domain import workshop as rules
from ..domain.workshop import ItemVotes, Participant, Workshop, WorkshopError  # noqa: F401 - re-exported
from ..frameworks import Framework
from ..store import workshops as store
from .access import Viewer, require_school, scope
from .rounds import check_name, require_round

JOIN_LIMITER = rules.JoinLimiter()  # one per process: every session of a server shares it


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
) -> Workshop:
    """Store a workshop already held (e.g. on paper) as closed."""
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


def reveal(engine: Engine, viewer: Viewer, workshop_id: int, item: str, revealed: bool = True) -> None:
    """Show (or hide again) everyone's votes on one item of a workshop the viewer facilitates."""
    workshop_for(engine, viewer, workshop_id)
    store.reveal(engine, workshop_id, item, revealed)


def record_consensus(
    engine: Engine, viewer: Viewer, workshop_id: int, item: str, level: float, rationale: str = "", evidence: str = ""
) -> None:
    """Record the team's agreed level for one item of a workshop the viewer facilitates."""
    workshop_for(engine, viewer, workshop_id)
    store.record_consensus(engine, workshop_id, item, level, rationale, evidence)


def close_workshop(engine: Engine, viewer: Viewer, workshop_id: int) -> None:
    """Close a workshop the viewer facilitates: its join code stops working."""
    workshop_for(engine, viewer, workshop_id)
    store.close_workshop(engine, workshop_id)


# Taking part: no account, a join code.


def join(engine: Engine, code: str, name: str, *, client: str = "", limiter: rules.JoinLimiter | None = None):
    """Join an open workshop by code under a name; wrong codes count against `client` (rate-limited)."""
    limiter = JOIN_LIMITER if limiter is None else limiter
    limiter.check(client)
    try:
        return store.join_workshop(engine, code, name)
    except WorkshopError as exc:
        if exc.code in ("unknown-code", "closed"):  # a closed code is a hit for someone guessing: count it too
            limiter.record_failure(client)
        raise


def participant_workshop(engine: Engine, participant: Participant) -> Workshop:
    """The workshop a participant joined."""
    return store.get_workshop(engine, participant.workshop_id)


def submit_vote(engine: Engine, participant: Participant, item: str, level: float, evidence: str = "") -> None:
    """Record (or replace) the participant's own vote on one item."""
    store.submit_vote(engine, participant.id, item, level, evidence)


def my_votes(engine: Engine, participant: Participant) -> dict[str, tuple[float, str]]:
    """The participant's own votes: item -> (level, evidence)."""
    return store.my_votes(engine, participant.id)


def revealed_votes(engine: Engine, participant: Participant, framework: Framework) -> list[ItemVotes]:
    """The items of the participant's workshop whose votes the facilitator has revealed."""
    return [v for v in store.item_votes(engine, participant.workshop_id, framework) if v.revealed]
