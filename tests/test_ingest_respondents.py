"""Respondent identity: keyed hashes only, resubmissions, timestamps, and no email ever kept."""

from __future__ import annotations

import io
from dataclasses import fields
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from pl_core.frameworks import read_framework_file
from pl_core.ingest import parse_timestamps, read_upload, respondent_key

MINI = read_framework_file(Path(__file__).parent / "fixtures" / "frameworks" / "mini.yaml")
SECRET = b"test-secret"

# ana resubmits: her later answer (row 4) is the one that counts even though an earlier-timed row comes after it.
# No date here settles day-first vs month-first, and ana's resubmissions depend on it, so tests say month-first.
GOOGLE = (
    b"Timestamp,Email Address,Name,Learner Profile [Culture],Instruction [Mindset],Comments\n"
    b"10/3/2025 9:14:22,ana@school.org,Ana Lopez,1 - Teacher Driven,1 - Teacher Driven,first try\n"
    b"10/3/2025 9:20:00,ben@school.org,Ben Ng,2 - Learner Centered,2 - Learner Centered,\n"
    b"10/4/2025 8:00:00,ANA@school.org ,Ana Lopez,4 - Learner Driven,3 - More Learner Centered,second try\n"
    b"10/3/2025 11:00:00,ana@school.org,Ana Lopez,2 - Learner Centered,2 - Learner Centered,middle try\n"
)


def test_latest_submission_wins_by_timestamp_even_if_earlier_in_the_file():
    parsed = read_upload(GOOGLE, "g.csv", MINI, secret=SECRET, dayfirst=False)
    assert parsed.report.valid
    assert parsed.report.superseded == 2
    assert parsed.report.respondents == 2
    assert sorted(parsed.report.warning_locations()) == [(2, None, "superseded"), (5, None, "superseded")]
    ana = parsed.responses[parsed.responses["respondent"] == respondent_key(SECRET, "ana@school.org")]
    assert list(ana["source_row"].unique()) == [4]
    assert list(ana["level"]) == [4, 3]
    assert list(parsed.comments["text"]) == ["second try"]


def test_without_timestamps_the_last_row_wins():
    data = b"respondent,Culture\nT1,1\nT2,2\nt1 ,3\n"
    parsed = read_upload(data, "t.csv", MINI, secret=SECRET)
    assert parsed.report.superseded == 1
    assert list(zip(parsed.responses["source_row"], parsed.responses["level"], strict=True)) == [(3, 2), (4, 3)]


def test_long_form_repeated_answer_keeps_the_later_one():
    data = b"respondent,item,level\nT1,culture,1\nT1,mindset,2\nT1,Culture,4\n"
    parsed = read_upload(data, "l.csv", MINI, secret=SECRET)
    assert parsed.report.superseded == 1
    assert list(zip(parsed.responses["item"], parsed.responses["level"], strict=True)) == [
        ("mindset", 2),
        ("culture", 4),
    ]


def test_anonymous_rows_are_never_merged():
    data = b"Email,Culture\nanonymous,1\nanonymous,2\n,3\n"
    parsed = read_upload(data, "a.csv", MINI, secret=SECRET)
    assert parsed.report.superseded == 0
    assert parsed.report.respondents == 3


def test_name_is_used_when_there_is_no_email():
    data = b"Email,Name,Culture\nanonymous,Dee Park,1\nanonymous,dee park,2\n"
    parsed = read_upload(data, "a.csv", MINI, secret=SECRET)
    assert parsed.report.superseded == 1
    assert list(parsed.responses["respondent"]) == [respondent_key(SECRET, "Dee Park")]


def _ms_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["ID", "Start time", "Completion time", "Email", "Name", "Culture", "Comments"])
    ws.append([1, "10/3/2025 9:00:00", "10/3/2025 9:05:00", "eve@school.org", "Eve Stone", "Learner Driven", "hi"])
    ws.append([2, "10/2/2025 9:00:00", "10/2/2025 9:05:00", "eve@school.org", "Eve Stone", "Teacher Driven", ""])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


UPLOADS = {"google": GOOGLE, "ms-xlsx": _ms_workbook()}
IDENTITIES = [
    "ana@school.org",
    "ANA@school.org",
    "ben@school.org",
    "eve@school.org",
    "Ana Lopez",
    "Ben Ng",
    "Eve Stone",
    "school.org",
]


def _every_string(parsed) -> list[str]:
    out: list[str] = []
    for frame in (parsed.responses, parsed.comments):
        for col in frame.columns:
            out += [str(v) for v in frame[col].tolist()]
            out.append(str(col))
    report = parsed.report
    for f in fields(report):
        value = getattr(report, f.name)
        if isinstance(value, tuple):
            out += [repr(v) for v in value]
        else:
            out.append(repr(value))
    out.append(report.summary())
    out.append(report.issues_frame().to_csv())
    return out


@pytest.mark.parametrize("upload", sorted(UPLOADS))
def test_emails_and_names_never_appear_anywhere_in_the_parsed_upload(upload):
    parsed = read_upload(UPLOADS[upload], f"{upload}.bin", MINI, secret=SECRET, dayfirst=False)
    assert parsed.report.valid
    text = "\n".join(_every_string(parsed)).casefold()
    for identity in IDENTITIES:
        assert identity.casefold() not in text


def test_ms_forms_completion_time_decides_resubmissions():
    parsed = read_upload(UPLOADS["ms-xlsx"], "ms.xlsx", MINI, secret=SECRET, dayfirst=False)
    assert parsed.report.superseded == 1
    assert list(parsed.responses["level"]) == [4]
    assert parsed.responses["submitted_at"].iloc[0] == pd.Timestamp("2025-10-03 09:05:00")


@pytest.mark.parametrize("upload", sorted(UPLOADS))
def test_same_secret_same_keys_other_secret_other_keys(upload):
    data = UPLOADS[upload]
    first = read_upload(data, "a", MINI, secret=SECRET, dayfirst=False)
    again = read_upload(data, "b", MINI, secret=SECRET, dayfirst=False)
    other = read_upload(data, "a", MINI, secret=b"another-secret", dayfirst=False)
    assert list(first.responses["respondent"]) == list(again.responses["respondent"])
    assert set(first.responses["respondent"]).isdisjoint(other.responses["respondent"])
    assert all(len(k) == 32 for k in first.responses["respondent"])


def test_anonymous_keys_depend_on_the_file_and_row():
    one = read_upload(b"Email,Culture\nanonymous,1\n", "a.csv", MINI, secret=SECRET)
    same = read_upload(b"Email,Culture\nanonymous,1\n", "a.csv", MINI, secret=SECRET)
    other = read_upload(b"Email,Culture\nanonymous,2\n", "a.csv", MINI, secret=SECRET)
    assert list(one.responses["respondent"]) == list(same.responses["respondent"])
    assert list(one.responses["respondent"]) != list(other.responses["respondent"])


def test_respondent_key_normalises_case_and_spaces():
    assert respondent_key(SECRET, " Ana@School.org ") == respondent_key(SECRET, "ana@school.org")
    assert respondent_key(SECRET, "ana@school.org") != respondent_key(SECRET, "ben@school.org")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025/10/03 9:14:22 AM GMT-6", "2025-10-03 09:14:22"),
        ("2025/10/03 9:14:22 PM GMT+5:30", "2025-10-03 21:14:22"),
        ("10/3/2025 9:14:22", "2025-10-03 09:14:22"),
        ("2025-10-03 09:14:22", "2025-10-03 09:14:22"),
        ("3/10/2025 14:00", "2025-03-10 14:00:00"),
        ("", None),
        ("not a date", None),
    ],
)
def test_timestamp_formats_parse_month_first(text, expected):
    got = parse_timestamps(pd.Series([text], dtype="str")).iloc[0]
    assert (None if pd.isna(got) else str(got)) == expected


def test_an_unreadable_timestamp_is_a_warning():
    data = b"Timestamp,Email,Culture\nyesterday,a@x.org,3\n"
    parsed = read_upload(data, "t.csv", MINI, secret=SECRET)
    assert parsed.report.valid
    assert parsed.report.warning_locations() == [(2, "Timestamp", "bad-timestamp")]
