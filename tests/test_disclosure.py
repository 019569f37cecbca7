"""Privacy as a property of everything published together, tested the way an attacker works.

Each test imports staff answers through the real upload path (CSV → ingest → import service), then
collects every figure the services publish for the school and round — the pages' data (whole school,
role and grade-band breakdowns, district scores, the summary), the export tables and the report's data —
at every point in time, and tries to isolate fewer than k people by combining them. The attacker here is
independent of pl_core.privacy: it works on people (not atoms), by brute force over every small set of
people, with the ground truth the test itself imported.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pl_core import store
from pl_core.frameworks import read_framework_file
from pl_core.services import exports, imports, reports, scores
from pl_core.services.access import LOCAL

MINI = read_framework_file(Path(__file__).parent / "fixtures" / "frameworks" / "mini.yaml")
ITEMS = {"culture": "Culture", "mindset": "Mindset"}
ROUND = "Fall 2026"

Person = tuple[str | None, str | None, dict[str, int | None]]  # role, grade band, item -> level (None: don't know)


@pytest.fixture
def engine(tmp_path, monkeypatch):
    monkeypatch.setenv("PL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("PL_MIN_GROUP_SIZE", raising=False)
    eng = store.make_engine(f"sqlite:///{tmp_path / 'pl.db'}")
    store.upgrade(eng)
    yield eng
    eng.dispose()


def csv_of(state: dict[str, Person]) -> bytes:
    """The staff answers as our template's CSV (a blank cell is a missing answer)."""
    lines = ["respondent,role,grade_band," + ",".join(ITEMS.values())]
    for key, (role, band, answers) in state.items():
        levels = ["" if answers.get(item) is None else str(answers[item]) for item in ITEMS]
        lines.append(",".join([key, role or "", band or "", *levels]))
    return ("\n".join(lines) + "\n").encode()


def upload(engine, school: str, state: dict[str, Person], round: str = ROUND, file_name: str = "staff.csv") -> None:
    """Import a file through the same path a principal's upload takes; the same file name replaces the last one."""
    parsed = imports.check_upload(csv_of(state), file_name, MINI)
    assert parsed.report.valid, parsed.report.summary()
    imports.save_import(engine, LOCAL, parsed, school=school, round=round, framework=MINI)


Figure = tuple[str, str | None, str, tuple]  # breakdown, group, item, (answers per level 1-4, missing)


def _figures(frame: pd.DataFrame, breakdown: str, group_column: str | None) -> set[Figure]:
    found = set()
    for _, row in frame[~frame["suppressed"].astype(bool)].iterrows():
        group = None if group_column is None else row[group_column]
        group = None if group in (scores.NOT_GIVEN, None) or pd.isna(group) else group
        counts = tuple(int(row[f"count_{k}"]) for k in (1, 2, 3, 4)) + (int(row["missing"]),)
        found.add((breakdown, group, row["item"], counts))
    return found


def published(engine, school: str, round: str = ROUND) -> set[Figure]:
    """Every staff figure a reader can get for the school and round: page data, export tables and the report."""
    found: set[Figure] = set()
    found |= _figures(scores.school_scores(engine, LOCAL, MINI, school, rounds=[round]), "all", None)
    found |= _figures(
        scores.district_scores(engine, LOCAL, MINI).query("school == @school and round == @round"), "all", None
    )
    for by in ("role", "grade_band"):
        found |= _figures(scores.breakdown_scores(engine, LOCAL, MINI, school, round, by), by, by)
    table = exports.export_table(engine, LOCAL, "responses", MINI, school=school, round=round)
    table = table.rename(columns={"group": "grp"}).assign(missing=lambda t: t["missing"])
    for breakdown in ("all", "role", "grade_band"):
        part = table[table["breakdown"] == breakdown].fillna({"n": 0})
        found |= _figures(part, breakdown, None if breakdown == "all" else "grp")
    try:
        report = reports.gather_report(
            engine, LOCAL, school=school, round=round, framework=MINI, today=dt.date(2027, 1, 1)
        )
    except reports.ReportError:
        return found
    found |= _figures(report.now, "all", None)
    found |= _figures(report.by_role, "role", "role")
    return found


def release_members(engine, school: str, round: str = ROUND) -> frozenset:
    """The (respondent key, role, band, answers) the school's current release is about (the system's record)."""
    import json

    from sqlalchemy import select

    from pl_core.store.models import PublicationMember, PublicationState, Respondent, Round, School

    with engine.connect() as conn:
        rows = conn.execute(
            select(Respondent.key, PublicationMember.role, PublicationMember.grade_band, PublicationMember.answers)
            .join(PublicationState, PublicationState.publication_id == PublicationMember.publication_id)
            .join(Respondent, Respondent.id == PublicationMember.respondent_id)
            .join(School, School.id == PublicationState.school_id)
            .join(Round, Round.id == PublicationState.round_id)
            .where(School.name == school, Round.name == round)
        ).all()
    return frozenset((key, role, band, json.dumps(json.loads(a), sort_keys=True)) for key, role, band, a in rows)


def key_of(name: str) -> str:
    from pl_core import settings
    from pl_core.ingest import respondent_key

    return respondent_key(settings.respondent_secret(), name)


def as_members(state: dict[str, Person]) -> frozenset:
    return frozenset(
        (key_of(name), role, band, _answers_json(answers)) for name, (role, band, answers) in state.items()
    )


def _answers_json(answers: dict) -> str:
    import json

    return json.dumps({item: answers.get(item) for item in ITEMS}, sort_keys=True)


def true_figure(state: dict[str, Person], breakdown: str, group: str | None, item: str) -> tuple:
    """What a figure must say, from the ground truth the test imported."""
    inside = [
        a
        for role, band, a in state.values()
        if breakdown == "all" or {"role": role, "grade_band": band}[breakdown] == group
    ]
    levels = [a.get(item) for a in inside]
    return tuple(sum(1 for v in levels if v == k) for k in (1, 2, 3, 4)) + (sum(1 for v in levels if v is None),)


def attack(snapshots: list[tuple[dict[str, Person], set[Figure]]], k: int) -> frozenset | None:
    """A set of 1 to k-1 people that some combination of every figure ever published isolates, or None.

    `snapshots`: (the state the published figures are about, the figures) at each point in time.
    """
    for item in ITEMS:
        versions: dict[tuple, int] = {}
        rows = []
        for state, figures in snapshots:
            for breakdown, group, fig_item, _ in figures:
                if fig_item != item:
                    continue
                row = {}
                for name, (role, band, answers) in state.items():
                    if breakdown == "all" or {"role": role, "grade_band": band}[breakdown] == group:
                        v = versions.setdefault((name, role, band, answers.get(item)), len(versions))
                        row[v] = 1.0
                rows.append(row)
        if not rows:
            continue
        matrix = np.zeros((len(rows), len(versions)))
        for r, row in enumerate(rows):
            for v in row:
                matrix[r, v] = 1.0
        full = np.linalg.matrix_rank(matrix)
        names = sorted({v[0] for v in versions})
        for size in range(1, k):
            for chosen in itertools.combinations(names, size):
                keep = [i for v, i in versions.items() if v[0] not in chosen]
                rest = np.linalg.matrix_rank(matrix[:, keep]) if keep else 0
                if rest < full:  # some combination of the figures lives on `chosen` only
                    return frozenset(chosen)
    return None


def check_everything_published(engine, school: str, states: list[dict[str, Person]], snapshots: list, k: int = 5):
    """After an import: figures are right about the release's people, and nothing isolates anyone so far."""
    figures = published(engine, school)
    members = release_members(engine, school)
    matching = [s for s in states if as_members(s) == members]
    if figures:
        assert matching, "the current release is about people the test never imported"
        state = matching[-1]
        for breakdown, group, item, counts in figures:
            assert counts == true_figure(state, breakdown, group, item), (breakdown, group, item)
        snapshots.append((state, figures))
    assert attack(snapshots, k) is None


# The four ways figures leaked before, each through the public services.


def test_linked_breakdowns_cannot_be_subtracted_to_find_one_paraprofessional(engine):
    school = {f"teacher{i}": ("teacher", "K-2", {"culture": 3, "mindset": 3}) for i in range(5)}
    school["para"] = ("para", "K-2", {"culture": 1, "mindset": 1})
    school |= {f"coach{i}": ("coach", "3-5", {"culture": 2, "mindset": 4}) for i in range(5)}
    school |= {f"spec{i}": ("specialist", "3-5", {"culture": 4, "mindset": 2}) for i in range(5)}
    upload(engine, "Oak", school)
    figures = published(engine, "Oak")
    assert ("grade_band", "K-2", "culture", (1, 0, 5, 0, 0)) in figures  # K-2 is shown ...
    assert not any(b == "role" and g == "teacher" for b, g, _, _ in figures)  # ... so the teachers are not
    check_everything_published(engine, "Oak", [school], [])


def test_the_report_hides_the_group_that_the_whole_school_would_give_away(engine):
    school = {f"t{i}": ("teacher", None, {"culture": 3, "mindset": 3}) for i in range(9)}
    school |= {f"c{i}": ("coach", None, {"culture": 1, "mindset": 2}) for i in range(3)}
    upload(engine, "Oak", school)
    report = reports.gather_report(engine, LOCAL, school="Oak", round=ROUND, framework=MINI)
    assert report.by_role["suppressed"].all() and report.by_role["mean"].isna().all()
    assert report.now.set_index("item").loc["culture", "n"] == 12
    check_everything_published(engine, "Oak", [school], [])


def test_a_school_of_fewer_than_five_shows_nothing_anywhere(engine):
    small = {f"s{i}": ("teacher", "K-2", {"culture": 2, "mindset": 3}) for i in range(4)}
    big = {f"b{i}": ("teacher", "K-2", {"culture": 3, "mindset": 3}) for i in range(6)}
    upload(engine, "Small", small)
    upload(engine, "Big", big)
    assert published(engine, "Small") == set()
    for kind in ("scores", "district"):
        table = exports.export_table(engine, LOCAL, kind, MINI)
        rows = table[table["school"] == "Small"]
        assert len(rows) and rows["n"].isna().all() and rows["mean"].isna().all(), kind
        assert not table.loc[table["school"] == "Big", "n"].isna().any()
    summary = scores.school_summary(engine, LOCAL, MINI, "Small", ROUND)
    assert summary.respondents is None and summary.overall_mean is None and summary.strongest is None
    district = scores.district_scores(engine, LOCAL, MINI)
    assert district.loc[district["school"] == "Small", "suppressed"].all()
    assert scores.comments(engine, LOCAL, MINI, "Small", ROUND).empty


def test_one_late_answer_is_held_back_until_five_have_arrived(engine):
    first = {f"t{i}": ("teacher", "K-2", {"culture": 3, "mindset": 2}) for i in range(8)}
    upload(engine, "Oak", first)
    snapshots: list = []
    check_everything_published(engine, "Oak", [first], snapshots)
    before = published(engine, "Oak")

    late = {**first, "late1": ("teacher", "K-2", {"culture": 1, "mindset": 4})}
    upload(engine, "Oak", late)  # the same file, one more row
    assert published(engine, "Oak") == before  # nothing moved: before minus after would be that person
    summary = scores.school_summary(engine, LOCAL, MINI, "Oak", ROUND)
    assert summary.held_back == 1 and summary.respondents == 8
    check_everything_published(engine, "Oak", [first, late], snapshots)

    more = {**late, **{f"late{i}": ("teacher", "K-2", {"culture": 2, "mindset": 2}) for i in range(2, 6)}}
    upload(engine, "Oak", more)
    summary = scores.school_summary(engine, LOCAL, MINI, "Oak", ROUND)
    assert summary.held_back == 0 and summary.respondents == 13
    culture = scores.school_scores(engine, LOCAL, MINI, "Oak").set_index("item").loc["culture"]
    assert culture["n"] == 13 and culture["mean"] == pytest.approx((8 * 3 + 1 + 4 * 2) / 13)
    check_everything_published(engine, "Oak", [first, late, more], snapshots)


def test_the_attacker_finds_what_the_old_per_table_rule_published():
    # The attacker must be able to fail: the figures the old rule showed for the school of 16 give the para away.
    school = {f"teacher{i}": ("teacher", "K-2", {"culture": 3}) for i in range(5)}
    school["para"] = ("para", "K-2", {"culture": 1})
    school |= {f"coach{i}": ("coach", "3-5", {"culture": 2}) for i in range(5)}
    figures = {("all", None, "culture", ()), ("role", "teacher", "culture", ()), ("grade_band", "K-2", "culture", ())}
    assert attack([(school, figures)], 5) == frozenset({"para"})


# Any school, any sequence of uploads.

ROLES = st.sampled_from(["teacher", "coach", "para", None])
BANDS = st.sampled_from(["K-2", "3-5", None])
LEVEL = st.one_of(st.none(), st.integers(1, 4))
PERSON = st.tuples(ROLES, BANDS, st.fixed_dictionaries({"culture": LEVEL, "mindset": LEVEL}))


@st.composite
def histories(draw):
    """A school's first upload and a few corrected re-uploads of the same file (people join, change, leave)."""
    first = draw(st.dictionaries(st.sampled_from([f"p{i}" for i in range(14)]), PERSON, min_size=3, max_size=12))
    states = [first]
    for _ in range(draw(st.integers(1, 2))):
        state = dict(states[-1])
        for name in draw(st.lists(st.sampled_from(sorted(state)), max_size=2, unique=True)):
            if len(state) > 1 and draw(st.booleans()):
                del state[name]
            else:
                state[name] = draw(PERSON)
        for i in range(draw(st.integers(0, 6))):
            state[f"n{len(states)}-{i}"] = draw(PERSON)
        states.append(state)
    return states


def as_stored(state: dict[str, Person], known: dict[str, tuple]) -> dict[str, Person]:
    """The state as the school keeps it: a person's role and grade band stay as last given when a file leaves them
    blank (they belong to the person, not to one file); `known` is updated with what this file gives."""
    out = {}
    for name, (role, band, answers) in state.items():
        old_role, old_band = known.get(name, (None, None))
        known[name] = (role or old_role, band or old_band)
        out[name] = (*known[name], answers)
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=histories(), other_round=st.dictionaries(st.sampled_from(["p1", "p2", "p3", "q1", "q2", "q3"]), PERSON))
def test_no_combination_of_everything_published_ever_isolates_fewer_than_five(engine, data, other_round):
    school = f"School {uuid.uuid4().hex[:8]}"
    snapshots: list = []
    known: dict[str, tuple] = {}
    stored = []
    for state in data:
        upload(engine, school, state)
        stored.append(as_stored(state, known))
        check_everything_published(engine, school, stored, snapshots)
    if other_round:  # a second round of the same school is published on its own
        upload(engine, school, other_round, round="Spring 2027", file_name="spring.csv")
        figures = published(engine, school, "Spring 2027")
        truth = as_stored(other_round, known)
        assert attack([(truth, figures)] if figures else [], 5) is None
