"""Disclosure control as pure rules: small groups, linked tables, differences over time, comments.

The same rules run end to end through the services (imports, pages' data, exports, the report) in
tests/test_disclosure.py, where an attacker combines everything published.
"""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import column, inspect, select, table

from pl_core import privacy
from pl_core.frameworks import load_framework
from pl_core.privacy import ALL, Person, Release, decide, isolates

FW = load_framework("dps-driver-model")
K = 5


def people(spec: list[tuple[str, str | None, str | None, int | None]], item: str = "x") -> list[Person]:
    """People from (key, role, grade band, level on `item`)."""
    return [Person(key, role, band, {item: level}) for key, role, band, level in spec]


def staff(role: str, band: str | None, count: int, level: int | None = 3, prefix: str = "") -> list[tuple]:
    return [(f"{prefix}{role}-{band}-{i}", role, band, level) for i in range(count)]


def shown_groups(decision, breakdown: str, item: str = "x") -> set:
    return {g for b, g, i in decision.release.shown if b == breakdown and i == item}


# Rule 1: small groups.


def test_a_school_with_fewer_than_k_people_shows_nothing():
    decision = decide([], people(staff("teacher", "K-2", 4)), ["x"], K)
    assert decision.release is not None and decision.release.shown == frozenset()
    assert not decision.release.visible and decision.hidden[(ALL, None, "x")] == "small-school"


def test_a_group_needs_k_respondents_and_k_answers():
    crowd = staff("teacher", "K-2", 6) + staff("coach", "K-2", 5, level=None) + staff("para", "K-2", 6)
    decision = decide([], people(crowd), ["x"], K)
    # coaches: 5 people, all "don't know": no figure rests on 5 answers; teachers and paras are shown
    assert shown_groups(decision, "role") == {"teacher", "para"}
    assert decision.hidden[("role", "coach", "x")] == "small-group"


@pytest.mark.parametrize(
    ("sizes", "visible"),
    [
        ({"teacher": 9, "coach": 3}, set()),  # coach small; teacher beside the whole school would give it away
        ({"teacher": 9, "coach": 3, "para": 6}, {"teacher"}),  # whole - teachers - paras = the 3 coaches: paras go
        ({"teacher": 9, "coach": 3, "para": 2}, {"teacher"}),  # coach and para hidden together are 5: enough
        ({"teacher": 9, "coach": 6}, {"teacher", "coach"}),
        ({"teacher": 12}, {"teacher"}),
    ],
)
def test_a_small_group_and_whatever_would_reveal_it_by_subtraction_are_hidden(sizes, visible):
    crowd = [row for role, n in sizes.items() for row in staff(role, None, n)]
    decision = decide([], people(crowd), ["x"], K)
    assert shown_groups(decision, "role") == visible
    assert isolates([], decision.release, "x", K) is None


# Rule 2: linked tables.


def test_k2_minus_teachers_is_one_paraprofessional_unless_a_table_is_hidden():
    # The school of 16: every role and every grade band has 5 or more answers, but all teachers teach K-2.
    crowd = (
        staff("teacher", "K-2", 5)
        + [("para-1", "para", "K-2", 1)]
        + staff("coach", "3-5", 5)
        + staff("specialist", "3-5", 5)
    )
    everything = Release(
        tuple(people(crowd)),
        frozenset(
            [(ALL, None, "x")]
            + [("role", r, "x") for r in ("teacher", "coach", "specialist")]
            + [("grade_band", b, "x") for b in ("K-2", "3-5")]
        ),
    )
    assert isolates([], everything, "x", K) == frozenset({"para-1"})  # what the old per-table rule published
    decision = decide([], people(crowd), ["x"], K)
    assert isolates([], decision.release, "x", K) is None
    # one table gives way, and only as much as it must: the teachers (the group whose hiding ends it)
    assert shown_groups(decision, "role") == {"coach", "specialist"}
    assert shown_groups(decision, "grade_band") == {"K-2", "3-5"}


def test_margins_of_a_role_by_grade_band_table_do_not_pin_down_a_cell():
    # Teachers and coaches across two bands; the one coach in 3-5 must not fall out of the margins.
    crowd = staff("teacher", "K-2", 6) + staff("teacher", "3-5", 6) + staff("coach", "K-2", 5)
    crowd += [("coach-3-5", "coach", "3-5", 4)]
    decision = decide([], people(crowd), ["x"], K)
    assert isolates([], decision.release, "x", K) is None
    assert len(decision.release.shown) >= 2  # the whole school and at least one breakdown remain


def test_people_without_a_role_form_a_group_that_is_protected_too():
    crowd = staff("teacher", None, 8) + [("no-role", None, None, 1)]
    decision = decide([], people(crowd), ["x"], K)
    assert shown_groups(decision, "role") == set()  # teachers (8) of 9 would give the one without a role away


# Rule 3: differences over time.


def test_one_late_answer_is_held_back_until_k_have_arrived():
    first = people(staff("teacher", "K-2", 8))
    released = decide([], first, ["x"], K).release
    late = first + people([("late-1", "teacher", "K-2", 1)])
    held = decide([released], late, ["x"], K)
    assert held.release is None and held.held == 1
    more = late + people([(f"late-{i}", "teacher", "K-2", 2) for i in range(2, 6)])
    decision = decide([released], more, ["x"], K)
    assert decision.release is not None and decision.held == 0
    assert isolates([released], decision.release, "x", K) is None


def test_a_changed_answer_counts_as_a_change_and_is_held_back():
    before = people(staff("teacher", "K-2", 8))
    released = decide([], before, ["x"], K).release
    after = [p if p.key != before[0].key else Person(p.key, p.role, p.grade_band, {"x": 1}) for p in before]
    decision = decide([released], after, ["x"], K)
    assert decision.release is None and decision.held == 1
    # published anyway, the two releases would give that person's old and new answers away
    naive = Release(tuple(after), released.shown)
    assert isolates([released], naive, "x", K) == frozenset({before[0].key})


def test_a_group_that_grows_by_fewer_than_k_is_hidden_while_the_school_moves_on():
    base = staff("teacher", "K-2", 10) + staff("coach", "3-5", 6)
    released = decide([], people(base), ["x"], K).release
    assert shown_groups(decide([], people(base), ["x"], K), "role") == {"teacher", "coach"}
    grown = base + [(f"new-{i}", "teacher", "K-2", 2) for i in range(5)] + [("new-coach", "coach", "3-5", 1)]
    decision = decide([released], people(grown), ["x"], K)
    assert decision.release is not None
    assert isolates([released], decision.release, "x", K) is None
    # the coaches moved by one person: their figure (or its complement) is not released again
    assert ("role", "coach", "x") not in decision.release.shown or (
        "role",
        "teacher",
        "x",
    ) not in decision.release.shown


def test_nothing_changed_means_no_new_release():
    crowd = people(staff("teacher", "K-2", 8))
    released = decide([], crowd, ["x"], K).release
    again = decide([released], crowd, ["x"], K)
    assert again.release is None and again.held == 0


def test_raising_the_threshold_hides_more_but_cannot_unpublish():
    crowd = people(staff("teacher", "K-2", 5) + staff("coach", "3-5", 6))
    released = decide([], crowd, ["x"], K).release
    assert shown_groups(decide([], crowd, ["x"], K), "role") == {"teacher", "coach"}
    stricter = decide([released], crowd, ["x"], 6)  # the earlier release stands; the new one adds nothing small
    assert stricter.release is not None
    assert {g for b, g, _ in stricter.release.shown if b == "role"} == {"coach"}


# Rule 4: comments.


def test_comments_are_bare_text_sorted_and_only_with_enough_people():
    crowd = people(staff("teacher", "K-2", 5))
    release = Release(tuple(crowd), frozenset({(ALL, None, "x")}))
    said = [("Comments", "Zoned planning time"), ("Comments", "  "), ("Comments", "Advisory works ")]
    assert privacy.comments_for_release(said, release, K) == [
        ("Comments", "Advisory works"),
        ("Comments", "Zoned planning time"),
    ]
    assert privacy.comments_for_release(said, Release(tuple(crowd[:4])), K) == []
    assert privacy.comments_for_release(said, None, K) == []


def test_tally_counts_each_cell_in_one_pass():
    crowd = [
        Person("a", "teacher", "K-2", {"x": 1, "y": None}),
        Person("b", "teacher", None, {"x": 3}),
        Person("c", None, "K-2", {"x": None, "y": 2}),
    ]
    found = privacy.tally(crowd)
    whole_x = found[(ALL, None, "x")]
    assert (whole_x.respondents, whole_x.missing, whole_x.levels) == (3, 1, {1: 1, 3: 1})
    assert found[("role", "teacher", "x")].levels == {1: 1, 3: 1}
    assert found[("grade_band", None, "x")].respondents == 1  # b gave no grade band
    assert found[(ALL, None, "y")].respondents == 2 and found[(ALL, None, "y")].answered == 1


# The respondent-key secret.


def test_the_secret_file_is_created_0600_and_never_reaches_the_database(tmp_path, monkeypatch):
    from pl_core import settings as pl_settings
    from pl_core.ingest import read_upload
    from pl_core.store import make_engine, save_import, upgrade

    monkeypatch.setenv("PL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PL_RESPONDENT_SECRET", raising=False)
    monkeypatch.delenv("PL_DATABASE_URL", raising=False)
    secret = pl_settings.respondent_secret()
    key_file = tmp_path / "respondent.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert len(secret) >= 32 and pl_settings.respondent_secret() == secret  # read back, not regenerated

    upload = "sample_data/uploads/aspen-elementary-fall-2025-google-forms.csv"
    data = open(os.path.join(os.path.dirname(__file__), "..", upload), "rb").read()
    parsed = read_upload(data, "aspen.csv", FW, secret=secret)
    assert parsed.report.valid
    engine = make_engine()
    try:
        upgrade(engine)
        save_import(engine, parsed, school="Aspen", round="Fall 2025", framework=FW)
        text = secret.decode()
        with engine.connect() as conn:
            names = inspect(conn).get_table_names()
            for name in names:
                columns = [column(c["name"]) for c in inspect(conn).get_columns(name)]
                for row in conn.execute(select(*columns).select_from(table(name))):
                    assert not any(text in str(value) for value in row), name
        assert "respondents" in names
    finally:
        engine.dispose()
    raw = (tmp_path / "pl-diagnostics.db").read_bytes()
    for path in tmp_path.glob("pl-diagnostics.db*"):
        raw += path.read_bytes()  # the WAL file too
    assert secret not in raw and len(raw) > 0
