"""Wiring the disclosure control to the store: how a round's answers become its next release.

Every write that changes a round's answers (an import, an undo, a deleted round, a merged school) calls
`republish` inside its own transaction, so figures and answers never disagree and nothing is half-written.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from sqlalchemy import Connection, Engine

from .. import privacy
from ..frameworks import Framework, load_framework
from ..store import publications as store
from ..store.db import session_scope


def _people(rows: pd.DataFrame) -> list[privacy.Person]:
    """People from answer rows (respondent_id, role, grade_band, item, level)."""
    found: dict[int, tuple] = {}
    levels = rows["level"].astype(object).where(rows["level"].notna(), None)
    for key, role, band, item, level in zip(
        rows["respondent_id"], rows["role"], rows["grade_band"], rows["item"], levels, strict=True
    ):
        person = found.get(key)
        if person is None:
            person = found[key] = (_text(role), _text(band), {})
        person[2][item] = None if level is None else int(level)
    return [privacy.Person(int(key), role, band, answers) for key, (role, band, answers) in sorted(found.items())]


def _members(frame: pd.DataFrame) -> list[privacy.Person]:
    """People from stored release members (respondent_id, role, grade_band, answers JSON)."""
    import json

    return [
        privacy.Person(int(key), _text(role), _text(band), json.loads(answers))
        for key, role, band, answers in zip(
            frame["respondent_id"], frame["role"], frame["grade_band"], frame["answers"], strict=True
        )
    ]


def _text(value) -> str | None:
    return None if value is None or pd.isna(value) or str(value).strip() == "" else str(value)


def plan_release(
    framework: Framework, answers: pd.DataFrame, earlier: list[store.StoredRelease], comments: pd.DataFrame
) -> store.ReleasePlan | None:
    """The next release of a round (or holding it back, or None when nothing changed), as the store keeps it."""
    k = privacy.min_group_size()
    items = [i for i in framework.item_ids]
    people = _people(answers[answers["item"].isin(items)])
    history = [privacy.Release(tuple(_members(r.members)), r.shown) for r in earlier]
    decision = privacy.decide(history, people, items, k)
    if decision.release is None:
        return None if decision.held == 0 else store.ReleasePlan(release=False, held=decision.held)
    release = decision.release
    tallies = privacy.tally(people)
    cells = []
    for cell in privacy.cells_of(people, items):
        breakdown, group, item = cell
        if cell in release.shown:
            t = tallies[cell]
            cells.append((breakdown, group, item, False, t.respondents, t.missing, dict(t.levels)))
        else:
            cells.append((breakdown, group, item, True, None, None, {}))
    keys = {p.key for p in people}
    said = [
        (c, t)
        for rid, c, t in zip(comments["respondent_id"], comments["column"], comments["text"], strict=True)
        if rid in keys
    ]
    return store.ReleasePlan(
        release=True,
        members=[(p.key, p.role, p.grade_band, store.members_json(p.answers)) for p in people],
        cells=cells,
        comments=privacy.comments_for_release(said, release, k),
        people=len(people),
        answered=sum(1 for p in people if any(v is not None for v in p.answers.values())),
        shown=release.visible,
    )


def publisher(framework: Framework):
    """The `publish(conn, school_id, round_id, framework_id)` hook a store write calls in its transaction."""

    def publish(conn: Connection, school_id: int, round_id: int, framework_id: str) -> None:
        fw = framework if framework_id == framework.id else load_framework(framework_id)
        store.republish(conn, school_id, round_id, framework_id, lambda a, h, c: plan_release(fw, a, h, c))

    return publish


def republish_rounds(engine: Engine, rounds: Iterable[tuple[int, int, str]]) -> int:
    """Decide (again) the release of each (school_id, round_id, framework_id); returns how many were looked at."""
    done = 0
    for school_id, round_id, framework_id in rounds:
        framework = load_framework(framework_id)
        with session_scope(engine) as session:
            publisher(framework)(session.connection(), school_id, round_id, framework_id)
        done += 1
    return done


def republish_all(engine: Engine) -> int:
    """Decide the release of every round that has answers (e.g. after a bulk load that wrote rows directly)."""
    with session_scope(engine, changes_data=False) as session:
        rounds = store.round_ids(session.connection())
    return republish_rounds(engine, rounds)
