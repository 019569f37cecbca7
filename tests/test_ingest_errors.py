"""Every class of bad input is reported with its row, column and type, and nothing is imported."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from pl_core.frameworks import read_framework_file
from pl_core.ingest import read_upload

MINI = read_framework_file(Path(__file__).parent / "fixtures" / "frameworks" / "mini.yaml")
SECRET = b"test-secret"


def _xlsx_header_only() -> bytes:
    wb = Workbook()
    wb.active.append(["respondent", "Culture"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_blank() -> bytes:
    buf = io.BytesIO()
    Workbook().save(buf)
    return buf.getvalue()


def _zip_not_xlsx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<document/>")
    return buf.getvalue()


_rng = random.Random(7)
RANDOM_BINARY = bytes(_rng.randrange(256) for _ in range(3000))
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + RANDOM_BINARY[:500]
LETTER = b"Dear staff\nPlease fill in the survey by Friday\nThank you\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"respondent,Cultur,Mindset\nA,3,2\n", [(1, "Cultur", "unknown-item")]),
        (
            b"respondent,Culture,Mindset\nA,3,2\nB,5,1\nC,0,9\n",
            [
                (3, "Culture", "level-out-of-range"),
                (4, "Culture", "level-out-of-range"),
                (4, "Mindset", "level-out-of-range"),
            ],
        ),
        (
            b"respondent,Culture,Mindset\nA,Sometimes,2\nB,3,Sometimes\n",
            [(2, "Culture", "unknown-label"), (3, "Mindset", "unknown-label")],
        ),
        (b"respondent,Culture,Mindset,culture\nA,3,2,1\n", [(1, "culture", "duplicate-column")]),
        (b"respondent,Learner Profile [Culture],Culture\nA,3,2\n", [(1, "Culture", "duplicate-column")]),
        (b"respondent,Climate,Campus\nA,3,North\n", [(1, None, "no-items")]),
        (b"", [(None, None, "empty-file")]),
        (b"\r\n\r\n  \n", [(None, None, "empty-file")]),
        (b"respondent,Culture,Mindset\n", [(None, None, "no-rows")]),
        (b"respondent,Culture,Mindset\n,,\n\n", [(None, None, "no-rows")]),
        (_xlsx_header_only(), [(None, None, "no-rows")]),
        (_xlsx_blank(), [(None, None, "empty-file")]),
        (PDF, [(None, None, "not-a-table")]),
        (RANDOM_BINARY, [(None, None, "not-a-table")]),
        (b"PK\x03\x04" + RANDOM_BINARY, [(None, None, "not-a-table")]),
        (_zip_not_xlsx(), [(None, None, "not-a-table")]),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + RANDOM_BINARY, [(None, None, "not-a-table")]),
        (LETTER, [(None, None, "not-a-table")]),
        # Long form: unknown item ids are reported per row.
        (
            b"respondent,item,level\nA,culture,3\nA,cultur,2\nA,climate,1\n",
            [(3, "item", "unknown-item"), (4, "item", "unknown-item")],
        ),
        (b"respondent,item,level\nA,culture,6\n", [(2, "level", "level-out-of-range")]),
        (b"item,level\nculture,3\n", [(1, None, "missing-column")]),
        # Every problem is collected, not just the first.
        (
            b"respondent,Cultur,Mindset,Relationships\nA,3,7,Often\nB,3,1,Rarely\n",
            [
                (1, "Cultur", "unknown-item"),
                (2, "Mindset", "level-out-of-range"),
                (2, "Relationships", "unknown-label"),
                (3, "Relationships", "unknown-label"),
            ],
        ),
    ],
    ids=[
        "misspelled-item",
        "out-of-range",
        "unknown-label",
        "duplicate-column",
        "duplicate-grid-and-name",
        "no-items",
        "empty",
        "blank-lines",
        "header-only",
        "header-and-blank-rows",
        "xlsx-header-only",
        "xlsx-blank",
        "pdf",
        "random-binary",
        "corrupt-zip",
        "zip-not-xlsx",
        "legacy-xls",
        "single-column-text",
        "long-unknown-item",
        "long-out-of-range",
        "long-no-respondent",
        "many-problems",
    ],
)
def test_bad_input_is_reported_where_it_is(data, expected):
    parsed = read_upload(data, "upload.csv", MINI, secret=SECRET)
    assert parsed.report.error_locations() == expected
    assert not parsed.report.valid
    assert parsed.responses.empty
    assert parsed.comments.empty
    assert list(parsed.responses.columns) == [
        "respondent",
        "role",
        "grade_band",
        "submitted_at",
        "source_row",
        "item",
        "level",
    ]


def test_misspelled_item_hint_names_the_item():
    parsed = read_upload(b"respondent,Cultur\nA,3\n", "f.csv", MINI, secret=SECRET)
    (error,) = parsed.report.errors
    assert (error.row, error.column, error.type, error.value) == (1, "Cultur", "unknown-item", "Cultur")
    assert error.hint == "did you mean 'Culture'?"


def test_unknown_label_names_the_label_lists_the_scale_and_says_how_to_map_it():
    parsed = read_upload(b"respondent,Culture\nA,Sometimes\n", "f.csv", MINI, secret=SECRET)
    (error,) = parsed.report.errors
    assert error.value == "Sometimes"
    assert "1 Teacher Driven, 2 Learner Centered, 3 More Learner Centered, 4 Learner Driven" in error.message
    assert "Sometimes: " in error.hint and "--labels" in error.hint


def test_out_of_range_level_keeps_the_value():
    parsed = read_upload(b"respondent,Culture\nA,5\n", "f.csv", MINI, secret=SECRET)
    assert [(e.row, e.column, e.type, e.value) for e in parsed.report.errors] == [
        (2, "Culture", "level-out-of-range", "5")
    ]


def test_blank_lines_above_the_header_shift_row_numbers_like_a_spreadsheet():
    parsed = read_upload(b"\n\nrespondent,Culture\nA,3\nB,9\n", "f.csv", MINI, secret=SECRET)
    assert parsed.report.error_locations() == [(5, "Culture", "level-out-of-range")]


def test_xlsx_errors_use_spreadsheet_rows():
    wb = Workbook()
    ws = wb.active
    ws.append(["respondent", "Culture"])
    ws.append(["A", 3])
    ws.append(["B", 8])
    buf = io.BytesIO()
    wb.save(buf)
    parsed = read_upload(buf.getvalue(), "f.xlsx", MINI, secret=SECRET)
    assert parsed.report.error_locations() == [(3, "Culture", "level-out-of-range")]


def test_unknown_columns_are_warnings_and_do_not_block_the_import():
    parsed = read_upload(b"respondent,Culture,Campus\nA,3,North\n", "f.csv", MINI, secret=SECRET)
    assert parsed.report.valid
    assert parsed.report.warning_locations() == [(1, "Campus", "unknown-column")]
    assert len(parsed.responses) == 1


def test_report_summary_and_issue_table_list_every_issue():
    parsed = read_upload(b"respondent,Cultur,Culture,Campus\nA,3,9,North\n", "f.csv", MINI, secret=SECRET)
    table = parsed.report.issues_frame()
    assert list(table["type"]) == ["unknown-item", "level-out-of-range", "unknown-column"]
    assert list(table["severity"]) == ["error", "error", "warning"]
    assert parsed.report.summary().startswith("REJECTED f.csv")
