"""Encodings and delimiters principals' spreadsheets really produce."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pl_core.frameworks import read_framework_file
from pl_core.ingest import read_upload, sniff_delimiter

MINI = read_framework_file(Path(__file__).parent / "fixtures" / "frameworks" / "mini.yaml")
SECRET = b"test-secret"
FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

# Accents and a curly apostrophe: the characters that break a naive UTF-8 read of an Excel CSV.
ROWS = [
    ["respondent", "role", "Culture", "Mindset", "Comments"],
    ["José", "Enseñante", "3", "Don’t know", "Très bien, l’équipe avance"],
    ["Zoë", "Coach", "Learner Driven", "1", ""],
]


def encode(delimiter: str, encoding: str) -> bytes:
    def quote(cell: str) -> str:
        return f'"{cell}"' if delimiter in cell or "," in cell else cell

    text = "\r\n".join(delimiter.join(quote(c) for c in row) for row in ROWS) + "\r\n"
    return text.encode(encoding)


CASES = {
    "utf-8": (",", "utf-8"),
    "utf-8-bom": (",", "utf-8-sig"),
    "utf-16-le-tab": ("\t", "utf-16"),  # Python writes a BOM (LE here), like Excel's "Unicode text"
    "utf-16-be-tab": ("\t", "utf-16-be-bom"),
    "cp1252": (",", "cp1252"),
    "cp1252-semicolon": (";", "cp1252"),
    "utf-8-semicolon": (";", "utf-8"),
    "utf-8-tab": ("\t", "utf-8"),
}


def make(case: str) -> bytes:
    delimiter, encoding = CASES[case]
    if encoding == "utf-16-be-bom":
        return b"\xfe\xff" + encode(delimiter, "utf-16-be")
    return encode(delimiter, encoding)


@pytest.mark.parametrize("case", sorted(CASES))
def test_encodings_and_delimiters_read_the_same_rows(case):
    parsed = read_upload(make(case), f"{case}.csv", MINI, secret=SECRET)
    assert parsed.report.error_locations() == []
    assert parsed.report.delimiter == CASES[case][0]
    r = parsed.responses
    assert list(r["role"]) == ["Enseñante", "Enseñante", "Coach", "Coach"]
    assert [None if pd.isna(v) else int(v) for v in r["level"]] == [3, None, 4, 1]
    assert list(parsed.comments["text"]) == ["Très bien, l’équipe avance"]


def test_utf16_little_endian_is_detected_by_its_bom():
    data = make("utf-16-le-tab")
    assert data[:2] == b"\xff\xfe"
    assert read_upload(data, "x.txt", MINI, secret=SECRET).report.encoding == "utf-16"


def test_cp1252_is_the_fallback_when_utf8_fails():
    parsed = read_upload(make("cp1252"), "x.csv", MINI, secret=SECRET)
    assert parsed.report.encoding == "cp1252"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1;2;3\n", ";"),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        # Commas inside a semicolon file (European Excel) must not win.
        ("name;Voice, choice;c\nA, B;2;3\n", ";"),
        # Quoted commas in a comma file are not delimiters either.
        ('"Relationships: a; b",Culture\n3,4\n', ","),
    ],
)
def test_delimiter_sniffing(text, expected):
    assert sniff_delimiter(text) == expected


def test_committed_excel_unicode_text_fixture_reads(tmp_path):
    data = (FIXTURES / "excel-unicode-text.txt").read_bytes()
    assert data[:2] == b"\xff\xfe"
    parsed = read_upload(data, "excel-unicode-text.txt", MINI, secret=SECRET)
    assert parsed.report.valid
    assert parsed.report.delimiter == "\t"
    assert list(parsed.responses["level"]) == [2, 3, 4, 1, 2]


SOURCES = [
    "google_forms/restricted-username.csv",
    "google_forms/checkbox-grid.csv",
    "google_sheets/day-first.csv",
    "qualtrics/choice-text.csv",
    "surveymonkey/matrix.csv",
    "template/wide.csv",
]


def _figures(parsed) -> tuple:
    r = parsed.responses
    report = parsed.report
    return (
        report.valid,
        report.source,
        report.respondents,
        report.superseded,
        report.skipped_rows,
        report.date_order,
        report.error_locations(),
        report.warning_locations(),
        [tuple(map(str, row)) for row in r.itertuples(index=False)],
        [tuple(row) for row in parsed.comments.itertuples(index=False)],
    )


@pytest.mark.parametrize("name", SOURCES)
def test_pyarrow_and_pure_pandas_read_the_same(monkeypatch, name):
    # pyarrow (installed with Streamlit) reads CSVs and timestamps; without it pandas and Python do.
    from pl_core.ingest import grid, timestamps

    data = (FIXTURES / name).read_bytes()
    fast = _figures(read_upload(data, name, MINI, secret=SECRET))
    monkeypatch.setattr(grid, "_arrow_csv", None)
    monkeypatch.setattr(timestamps, "_pa", None)
    assert _figures(read_upload(data, name, MINI, secret=SECRET)) == fast


def test_a_row_wider_than_the_header_is_read_by_the_fallback_reader():
    data = b"respondent,Culture,Mindset\nA,3,2\nB,4,1,an extra cell\nC,2\n"
    parsed = read_upload(data, "ragged.csv", MINI, secret=SECRET)
    assert parsed.report.valid
    assert [c.header for c in parsed.report.columns] == ["respondent", "Culture", "Mindset", "(column 4)"]
    assert [None if pd.isna(v) else int(v) for v in parsed.responses["level"]] == [3, 2, 4, 1, 2, None]
