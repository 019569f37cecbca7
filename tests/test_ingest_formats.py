"""Each upload format turns a small hand-built file into exactly the expected tidy rows."""

from __future__ import annotations

import hashlib
import io
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from pl_core.frameworks import read_framework_file
from pl_core.ingest import read_upload, respondent_key, row_key

MINI = read_framework_file(Path(__file__).parent / "fixtures" / "frameworks" / "mini.yaml")
SECRET = b"test-secret"


def key(identity: str) -> str:
    return respondent_key(SECRET, identity)


def tidy_rows(parsed) -> list[tuple]:
    """Responses as (respondent, role, grade_band, source_row, item, level) with NA as None."""
    out = []
    for r in parsed.responses.itertuples(index=False):
        out.append(
            (
                r.respondent,
                None if pd.isna(r.role) else r.role,
                None if pd.isna(r.grade_band) else r.grade_band,
                r.source_row,
                r.item,
                None if pd.isna(r.level) else int(r.level),
            )
        )
    return out


TEMPLATE_WIDE = (
    b"respondent,role,grade_band,Culture,Relationships,Voice and Choice,Mindset,Flexible Pacing\n"
    b"T1,Teacher,K-2,1,2,3,4,\n"
    b"T2,Coach,,Learner Driven,lc,3 - More Learner Centered,N/A,2.0\n"
)

TEMPLATE_WIDE_ROWS = [
    (key("T1"), "Teacher", "K-2", 2, "culture", 1),
    (key("T1"), "Teacher", "K-2", 2, "relationships", 2),
    (key("T1"), "Teacher", "K-2", 2, "voice-choice", 3),
    (key("T1"), "Teacher", "K-2", 2, "mindset", 4),
    (key("T1"), "Teacher", "K-2", 2, "flexible-pacing", None),
    (key("T2"), "Coach", None, 3, "culture", 4),
    (key("T2"), "Coach", None, 3, "relationships", 2),
    (key("T2"), "Coach", None, 3, "voice-choice", 3),
    (key("T2"), "Coach", None, 3, "mindset", None),
    (key("T2"), "Coach", None, 3, "flexible-pacing", 2),
]

TEMPLATE_LONG = (
    b"respondent,role,grade_band,item,level\n"
    b"T1,Teacher,K-2,culture,1\n"
    b"T1,Teacher,K-2,Mindset,Learner Driven\n"
    b"T2,Principal,,voice-choice,Not sure\n"
    b"T2,Principal,,relationships,3\n"
)

TEMPLATE_LONG_ROWS = [
    (key("T1"), "Teacher", "K-2", 2, "culture", 1),
    (key("T1"), "Teacher", "K-2", 3, "mindset", 4),
    (key("T2"), "Principal", None, 4, "voice-choice", None),
    (key("T2"), "Principal", None, 5, "relationships", 3),
]

# Two multiple-choice grids (one per domain), plain metadata questions and a free-text question.
GOOGLE = (
    b"Timestamp,Email Address,Your role,What grade band do you teach?,"
    b"Learner Profile [Culture],Learner Profile [Relationships],Learner Profile [Voice and Choice],"
    b"Instruction [Mindset],Instruction [Flexible Pacing],Anything else you'd like to share?\n"
    b"2025/10/03 9:14:22 AM GMT-6,ana@school.org,Teacher,3-5,1 - Teacher Driven,2 - Learner Centered,,"
    b'4 - Learner Driven,Don\'t know,"We are growing, slowly but surely."\n'
    b"2025/10/03 10:01:05 AM GMT-6,ben@school.org,Coach,K-2,3 - More Learner Centered,3 - More Learner Centered,"
    b"2 - Learner Centered,1 - Teacher Driven,4 - Learner Driven,\n"
)

GOOGLE_ROWS = [
    (key("ana@school.org"), "Teacher", "3-5", 2, "culture", 1),
    (key("ana@school.org"), "Teacher", "3-5", 2, "relationships", 2),
    (key("ana@school.org"), "Teacher", "3-5", 2, "voice-choice", None),
    (key("ana@school.org"), "Teacher", "3-5", 2, "mindset", 4),
    (key("ana@school.org"), "Teacher", "3-5", 2, "flexible-pacing", None),
    (key("ben@school.org"), "Coach", "K-2", 3, "culture", 3),
    (key("ben@school.org"), "Coach", "K-2", 3, "relationships", 3),
    (key("ben@school.org"), "Coach", "K-2", 3, "voice-choice", 2),
    (key("ben@school.org"), "Coach", "K-2", 3, "mindset", 1),
    (key("ben@school.org"), "Coach", "K-2", 3, "flexible-pacing", 4),
]

MS_HEADERS = [
    "ID",
    "Start time",
    "Completion time",
    "Email",
    "Name",
    "Your role",
    "Culture",
    "Relationships: students and adults know each other well",
    "Voice and Choice",
    "Mindset",
    "Flexible Pacing - learners move at their own pace",
    "Comments",
]
MS_ROWS = [
    [
        1,
        datetime(2025, 10, 3, 9, 0, 5),
        datetime(2025, 10, 3, 9, 4, 12),
        "anonymous",
        None,
        "Teacher",
        "Learner Centered",
        "Teacher Driven",
        "More Learner Centered",
        "Learner Driven",
        "Not sure",
        "Keep going",
    ],
    [
        2,
        datetime(2025, 10, 3, 9, 10, 0),
        datetime(2025, 10, 3, 9, 12, 0),
        "cara@school.org",
        "Cara Diaz",
        "Aide",
        "learner driven",
        "LC",
        None,
        "Teacher Driven",
        "More Learner Centered",
        None,
    ],
]


def ms_xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Form1"
    ws.append(MS_HEADERS)
    for row in MS_ROWS:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ms_csv() -> bytes:
    frame = pd.DataFrame(MS_ROWS, columns=MS_HEADERS)
    for col in ("Start time", "Completion time"):
        frame[col] = frame[col].map(lambda d: f"{d.month}/{d.day}/{d.year} {d:%H:%M:%S}")
    return frame.to_csv(index=False).encode("utf-8-sig")


def ms_expected(data: bytes) -> list[tuple]:
    anon = row_key(SECRET, hashlib.sha256(data).hexdigest(), 2)
    cara = key("cara@school.org")
    return [
        (anon, "Teacher", None, 2, "culture", 2),
        (anon, "Teacher", None, 2, "relationships", 1),
        (anon, "Teacher", None, 2, "voice-choice", 3),
        (anon, "Teacher", None, 2, "mindset", 4),
        (anon, "Teacher", None, 2, "flexible-pacing", None),
        (cara, "Aide", None, 3, "culture", 4),
        (cara, "Aide", None, 3, "relationships", 2),
        (cara, "Aide", None, 3, "voice-choice", None),
        (cara, "Aide", None, 3, "mindset", 1),
        (cara, "Aide", None, 3, "flexible-pacing", 3),
    ]


MS_XLSX = ms_xlsx()
MS_CSV = ms_csv()


@pytest.mark.parametrize(
    ("name", "data", "fmt", "expected"),
    [
        ("template.csv", TEMPLATE_WIDE, "template-wide", TEMPLATE_WIDE_ROWS),
        ("long.csv", TEMPLATE_LONG, "template-long", TEMPLATE_LONG_ROWS),
        ("google.csv", GOOGLE, "google-forms", GOOGLE_ROWS),
        ("ms.xlsx", MS_XLSX, "microsoft-forms", ms_expected(MS_XLSX)),
        ("ms.csv", MS_CSV, "microsoft-forms", ms_expected(MS_CSV)),
    ],
)
def test_each_format_gives_the_expected_tidy_rows(name, data, fmt, expected):
    parsed = read_upload(data, name, MINI, secret=SECRET)
    assert parsed.report.error_locations() == []
    assert parsed.report.valid
    assert parsed.report.format == fmt
    assert tidy_rows(parsed) == expected
    assert parsed.report.answers == sum(1 for r in expected if r[-1] is not None)
    assert parsed.report.missing_answers == sum(1 for r in expected if r[-1] is None)
    assert parsed.report.respondents == len({r[0] for r in expected})


def test_format_is_decided_by_content_not_file_name():
    as_xlsx_name = read_upload(GOOGLE, "responses.xlsx", MINI, secret=SECRET)
    assert as_xlsx_name.report.format == "google-forms"
    as_csv_name = read_upload(MS_XLSX, "responses.csv", MINI, secret=SECRET)
    assert as_csv_name.report.format == "microsoft-forms"
    assert as_csv_name.report.sheet == "Form1"


def test_responses_have_the_contract_columns_and_dtypes():
    parsed = read_upload(GOOGLE, "google.csv", MINI, secret=SECRET)
    r = parsed.responses
    assert list(r.columns) == ["respondent", "role", "grade_band", "submitted_at", "source_row", "item", "level"]
    assert str(r["level"].dtype) == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(r["submitted_at"])
    assert pd.api.types.is_integer_dtype(r["source_row"])
    assert r["submitted_at"].iloc[0] == pd.Timestamp("2025-10-03 09:14:22")


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        (
            "google.csv",
            GOOGLE,
            [(key("ana@school.org"), "Anything else you'd like to share?", "We are growing, slowly but surely.")],
        ),
        ("ms.xlsx", MS_XLSX, [(row_key(SECRET, hashlib.sha256(MS_XLSX).hexdigest(), 2), "Comments", "Keep going")]),
    ],
)
def test_free_text_is_kept_as_comments_per_respondent(name, data, expected):
    parsed = read_upload(data, name, MINI, secret=SECRET)
    assert [tuple(r) for r in parsed.comments.itertuples(index=False)] == expected


def test_google_metadata_questions_and_grids_are_recognised():
    parsed = read_upload(GOOGLE, "google.csv", MINI, secret=SECRET)
    kinds = {(c.header, c.kind, c.item, c.how) for c in parsed.report.columns}
    assert ("Timestamp", "metadata", "timestamp", "header") in kinds
    assert ("Email Address", "metadata", "email", "header") in kinds
    assert ("Your role", "metadata", "role", "header") in kinds
    assert ("What grade band do you teach?", "metadata", "grade_band", "header") in kinds
    assert ("Instruction [Mindset]", "item", "mindset", "grid-row") in kinds
    assert ("Anything else you'd like to share?", "comments", None, "header") in kinds
