"""Wiring the disclosure control to the store: how a round's answers become its next release.

Every write that changes a round's answers (an import, an undo, a deleted round, a merged school) calls
`republish` inside its own transaction, so figures and answers never disagree and nothing is half-written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine

from .. import privacy
from ..frameworks import Framework, load_framework
from ..store import publications as store
from ..store.db import session_scope


def _crowd(answers: store.Answers) -> privacy.Crowd:
    """The round's current answers as the disclosure control reads them."""
    return privacy.Crowd(
        keys=answers.respondent_ids,
        roles=_texts(answers.roles),
        bands=_texts(answers.bands),
        items=answers.items,
        levels=answers.levels,
    )


def _released(members: pd.DataFrame, items: tuple[str, ...]) -> privacy.Crowd:
    """An earlier release's people from its stored members (respondent_id, role, grade_band, answers JSON)."""
    levels = np.full((len(members), len(items)), privacy.NO_ROW, dtype=np.int16)
    column = {item: j for j, item in enumerate(items)}
    for i, text in enumerate(members["answers"].tolist()):
        for item, level in json.loads(text).items():
            if item in column:
                levels[i, column[item]] = privacy.MISSING if level is None else int(level)
    return privacy.Crowd(
        keys=members["respondent_id"].to_numpy(dtype=np.int64),
        roles=_texts(members["role"].to_numpy(dtype=object)),
        bands=_texts(members["grade_band"].to_numpy(dtype=object)),
        items=items,
        levels=levels,
    )


def _texts(values: np.ndarray) -> np.ndarray:
    """Role or grade band values with blanks as None (the "not given" group)."""
    return np.array([None if v is None or v != v or str(v).strip() == "" else str(v) for v in values], dtype=object)


def members_json(items: tuple[str, ...], levels: np.ndarray) -> list[str]:
    """Each person's answers (a row of `levels`) as the release keeps them: {item: level or null}, keys sorted,
    as json.dumps(..., sort_keys=True) writes it, from pieces made once per item and level."""
    order = sorted(range(len(items)), key=lambda j: items[j])
    values = [int(v) for v in np.unique(levels) if v != privacy.NO_ROW]
    pieces = [{v: f"{json.dumps(items[j])}: {'null' if v == privacy.MISSING else v}" for v in values} for j in order]
    rows = levels[:, order].tolist() if len(order) else [[] for _ in range(len(levels))]
    no_row = privacy.NO_ROW
    return ["{" + ", ".join([p[v] for p, v in zip(pieces, row, strict=True) if v != no_row]) + "}" for row in rows]


_MEMBERS_CHUNK = 50_000


class Members:
    """A release's members (id, role, grade band, answers JSON), made a chunk at a time as they are stored, so a
    district-wide round never holds every person's JSON at once."""

    def __init__(self, crowd: privacy.Crowd, items: tuple[str, ...]):
        self.crowd, self.items = crowd, items

    def __len__(self) -> int:
        return len(self.crowd)

    def __iter__(self):
        crowd = self.crowd
        for start in range(0, len(crowd), _MEMBERS_CHUNK):
            end = start + _MEMBERS_CHUNK
            yield from zip(
                crowd.keys[start:end].tolist(),
                crowd.roles[start:end].tolist(),
                crowd.bands[start:end].tolist(),
                members_json(self.items, crowd.levels[start:end]),
                strict=True,
            )


def plan_release(
    framework: Framework, answers: store.Answers, earlier: list[store.StoredRelease], comments: pd.DataFrame
) -> store.ReleasePlan | None:
    """The next release of a round (or holding it back, or None when nothing changed), as the store keeps it."""
    k = privacy.min_group_size()
    items = tuple(framework.item_ids)
    crowd = _crowd(answers)
    history = [privacy.Release(_released(r.members, items), r.shown) for r in earlier]
    decision = privacy.decide(history, crowd, items, k)
    if decision.release is None:
        return None if decision.held == 0 else store.ReleasePlan(release=False, held=decision.held)
    release = decision.release
    cells = []
    for cell, t in privacy.tally(crowd, items=items).items():
        breakdown, group, item = cell
        if cell in release.shown:
            cells.append((breakdown, group, item, False, t.respondents, t.missing, dict(t.levels)))
        else:
            cells.append((breakdown, group, item, True, None, None, {}))
    keys = set(crowd.keys.tolist())
    said = [(c, t) for rid, c, t in zip(comments["respondent_id"], comments["column"], comments["text"], strict=True)
            if rid in keys]  # fmt: skip
    answered = (crowd.levels >= 0).any(axis=1) if len(crowd) else np.zeros(0, dtype=bool)
    return store.ReleasePlan(
        release=True,
        members=Members(crowd, items),
        cells=cells,
        comments=privacy.comments_for_release(said, release, k),
        people=len(crowd),
        answered=int(answered.sum()),
        shown=release.visible,
    )


def publisher(framework: Framework):
    """The `publish(conn, school_id, round_id, framework_id[, written[, store_written]])` hook a store write calls
    in its transaction; an import passes its rows (store.BatchRows) and, on PostgreSQL, the COPY that stores them
    to run while the release is decided (store.republish)."""

    def publish(
        conn: Connection,
        school_id: int,
        round_id: int,
        framework_id: str,
        written: store.BatchRows | None = None,
        store_written: Callable[[], None] | None = None,
    ) -> None:
        fw = framework if framework_id == framework.id else load_framework(framework_id)
        store.republish(
            conn,
            school_id,
            round_id,
            framework_id,
            fw.item_ids,
            lambda a, h, c: plan_release(fw, a, h, c),
            written,
            store_written,
        )

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
