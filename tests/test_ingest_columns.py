"""Header matching: items by name, id, grid row or prefix; metadata; comments; unknown columns; overrides."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pl_core.frameworks import read_framework_file
from pl_core.ingest import match_columns, read_upload

MINI = read_framework_file(Path(__file__).parent / "fixtures" / "frameworks" / "mini.yaml")
SECRET = b"test-secret"


def match(header: str, values: list[str] | None = None):
    cells = pd.DataFrame({0: pd.Series(values or ["3"], dtype="str")})
    matches, errors, warnings = match_columns((header,), cells, MINI)
    m = matches[0]
    return (m.kind, m.item, m.how), [(e.row, e.column, e.type) for e in errors], [w.type for w in warnings]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Culture", ("item", "culture", "name")),
        ("culture", ("item", "culture", "name")),
        ("CULTURE ", ("item", "culture", "name")),
        ("voice-choice", ("item", "voice-choice", "id")),
        ("Voice and Choice", ("item", "voice-choice", "name")),
        ("voice  AND choice!", ("item", "voice-choice", "name")),
        ("FlexiblePacing", ("item", "flexible-pacing", "name")),
        ("Learner Profile [Culture]", ("item", "culture", "grid-row")),
        ("How would you rate your school? [Voice and Choice]", ("item", "voice-choice", "grid-row")),
        ("Relationships: students and adults know each other well", ("item", "relationships", "prefix")),
        ("Flexible Pacing - learners move at their own pace", ("item", "flexible-pacing", "prefix")),
        ("Mindset (growth mindset in learners)", ("item", "mindset", "prefix")),
        ("3. Culture", ("item", "culture", "prefix")),
        ("Timestamp", ("metadata", "timestamp", "header")),
        ("Email Address", ("metadata", "email", "header")),
        ("Email address", ("metadata", "email", "header")),
        ("Email", ("metadata", "email", "header")),
        ("Name", ("metadata", "name", "header")),
        ("ID", ("metadata", "id", "header")),
        ("Start time", ("metadata", "start_time", "header")),
        ("Completion time", ("metadata", "completion_time", "header")),
        ("respondent", ("metadata", "respondent", "header")),
        ("role", ("metadata", "role", "header")),
        ("Your role", ("metadata", "role", "header")),
        ("What is your role?", ("metadata", "role", "header")),
        ("grade_band", ("metadata", "grade_band", "header")),
        ("Grade band", ("metadata", "grade_band", "header")),
        ("What grade band do you teach?", ("metadata", "grade_band", "header")),
        ("Your role (teacher, coach, principal)", ("metadata", "role", "header")),
        ("Grade levels", ("metadata", "grade_band", "header")),
        ("Comments", ("comments", None, "header")),
        ("Anything else you'd like to share?", ("comments", None, "header")),
    ],
)
def test_headers_match_items_metadata_and_comments(header, expected):
    got, errors, warnings = match(header)
    assert got == expected
    assert errors == []
    assert warnings == []


def test_a_long_text_column_is_ignored_unless_marked_as_comments():
    # A principal's own column in a shared sheet would otherwise be stored as some respondent's comment.
    values = ["We tried stations this year and it went well", "", "Hard to find time for conferences with kids"]
    cells = pd.DataFrame({0: pd.Series(values, dtype="str")})
    matches, errors, warnings = match_columns(("Reflections",), cells, MINI)
    assert (matches[0].kind, matches[0].how) == ("ignored", "unknown")
    assert errors == []
    assert [w.type for w in warnings] == ["unknown-column"]
    assert "comments" in warnings[0].hint
    marked, _e, _w = match_columns(("Reflections",), cells, MINI, {"Reflections": "comments"})
    assert (marked[0].kind, marked[0].how) == ("comments", "override")


@pytest.mark.parametrize(
    "header", ["Grade-level standards: learners can name them", "Role models in the community", "Campus"]
)
def test_headers_that_only_mention_a_metadata_word_are_not_metadata(header):
    got, errors, _warnings = match(header, ["North"])
    assert got == ("ignored", None, "unknown")
    assert errors == []


def test_a_short_unknown_column_is_a_warning_not_an_error():
    got, errors, warnings = match("Campus", ["North", "South"])
    assert got == ("ignored", None, "unknown")
    assert errors == []
    assert warnings == ["unknown-column"]


@pytest.mark.parametrize(
    ("header", "hint"),
    [
        ("Cultur", "did you mean 'Culture'?"),
        ("Mindsets", "did you mean 'Mindset'?"),
        ("Learner Profile [Relationship]", "did you mean 'Relationships'?"),
        ("Flexible Pacng", "did you mean 'Flexible Pacing'?"),
    ],
)
def test_a_misspelled_item_is_an_unknown_item_error_with_a_hint(header, hint):
    cells = pd.DataFrame({0: pd.Series(["3"], dtype="str")})
    _matches, errors, _warnings = match_columns((header,), cells, MINI)
    assert [(e.row, e.column, e.type) for e in errors] == [(1, header, "unknown-item")]
    assert errors[0].hint == hint


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("culture", ("item", "culture", "override")),
        ("Voice and Choice", ("item", "voice-choice", "override")),
        ("ignore", ("ignored", None, "override")),
        ("comments", ("comments", None, "override")),
        ("role", ("metadata", "role", "override")),
        ("grade_band", ("metadata", "grade_band", "override")),
    ],
)
def test_column_overrides_fix_matches_by_hand(override, expected):
    cells = pd.DataFrame({0: pd.Series(["3"], dtype="str")})
    matches, errors, warnings = match_columns(("Q7 school climate",), cells, MINI, {"Q7 school climate": override})
    m = matches[0]
    assert (m.kind, m.item, m.how) == expected
    assert errors == [] and warnings == []


def test_an_override_to_an_unknown_item_is_an_error():
    cells = pd.DataFrame({0: pd.Series(["3"], dtype="str")})
    _m, errors, _w = match_columns(("Q7",), cells, MINI, {"Q7": "climate"})
    assert [(e.row, e.column, e.type) for e in errors] == [(1, "Q7", "bad-override")]


def test_an_override_turns_a_misspelled_column_into_a_valid_upload():
    data = b"respondent,Cultur,Mindset\nA,3,2\n"
    rejected = read_upload(data, "f.csv", MINI, secret=SECRET)
    assert rejected.report.error_locations() == [(1, "Cultur", "unknown-item")]
    fixed = read_upload(data, "f.csv", MINI, secret=SECRET, column_overrides={"Cultur": "culture"})
    assert fixed.report.valid
    assert list(fixed.responses["item"]) == ["culture", "mindset"]
    assert list(fixed.responses["level"]) == [3, 2]


def test_override_can_drop_a_duplicate_column():
    data = b"respondent,Culture,culture\nA,3,2\n"
    rejected = read_upload(data, "f.csv", MINI, secret=SECRET)
    assert rejected.report.error_locations() == [(1, "culture", "duplicate-column")]
    fixed = read_upload(data, "f.csv", MINI, secret=SECRET, column_overrides={"culture": "ignore"})
    assert fixed.report.valid
    assert list(fixed.responses["level"]) == [3]


def test_a_second_email_column_is_ignored_with_a_warning():
    data = b"Email,Email Address,Culture\na@x.org,b@x.org,3\n"
    parsed = read_upload(data, "f.csv", MINI, secret=SECRET)
    assert parsed.report.valid
    assert parsed.report.warning_locations() == [(1, "Email Address", "duplicate-column")]
