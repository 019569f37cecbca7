"""Our upload template round-trips, and a large upload parses quickly."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pl_core.frameworks import read_framework_file
from pl_core.ingest import read_upload, respondent_key, template_headers, write_template

MINI = read_framework_file(Path(__file__).parent / "fixtures" / "frameworks" / "mini.yaml")
SECRET = b"test-secret"

FILLED = [
    ["T1", "Teacher", "K-2", 1, 2, 3, 4, None],
    ["T2", "Coach", "3-5", "Learner Driven", "N/A", 2, 3, 1],
]


def test_template_headers_are_metadata_then_item_names():
    assert template_headers(MINI) == [
        "respondent",
        "role",
        "grade_band",
        "Culture",
        "Relationships",
        "Voice and Choice",
        "Mindset",
        "Flexible Pacing",
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_empty_template_reads_as_header_only(fmt):
    parsed = read_upload(write_template(MINI, fmt), f"template.{fmt}", MINI, secret=SECRET)
    assert parsed.report.error_locations() == [(None, None, "no-rows")]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_round_trip(fmt):
    data = write_template(
        MINI, fmt, rows=[[("" if v is None else v) if fmt == "csv" else v for v in row] for row in FILLED]
    )
    parsed = read_upload(data, f"filled.{fmt}", MINI, secret=SECRET)
    assert parsed.report.error_locations() == []
    assert parsed.report.format == "template-wide"
    assert [c.kind for c in parsed.report.columns] == ["metadata"] * 3 + ["item"] * 5
    r = parsed.responses
    assert list(r["respondent"].unique()) == [respondent_key(SECRET, "T1"), respondent_key(SECRET, "T2")]
    assert [None if pd.isna(v) else int(v) for v in r["level"]] == [1, 2, 3, 4, None, 4, None, 2, 3, 1]
    assert list(r["grade_band"].unique()) == ["K-2", "3-5"]


def test_xlsx_template_lists_levels_and_validates_item_cells():
    wb = load_workbook(io.BytesIO(write_template(MINI, "xlsx")))
    assert wb.sheetnames[0] == "Responses"
    levels = [tuple(r) for r in wb["Levels"].iter_rows(min_row=2, values_only=True)]
    assert [(n, label) for _s, n, label, _short in levels] == [
        (1, "Teacher Driven"),
        (2, "Learner Centered"),
        (3, "More Learner Centered"),
        (4, "Learner Driven"),
    ]
    rules = wb["Responses"].data_validations.dataValidation
    assert len(rules) == len(MINI.items)
    assert {(r.formula1, r.formula2) for r in rules} == {("1", "4")}


def test_unknown_template_format_is_rejected():
    with pytest.raises(ValueError, match="xlsx"):
        write_template(MINI, "ods")


FOURTEEN_ITEMS = "\n".join(
    [
        "id: big",
        "name: Big",
        "publisher: tests",
        "year: 2025",
        "source: {title: t}",
        "scales:",
        "  - id: s",
        "    name: S",
        "    levels:",
    ]
    + [f"      - {{number: {n}, label: L{n}, short_label: l{n}}}" for n in (1, 2, 3, 4)]
    + ["domains:", "  - id: d", "    name: D", "    items:"]
    + [f"      - {{id: item-{i}, name: Item {i}, levels: []}}" for i in range(14)]
)


def test_five_thousand_rows_keep_each_respondents_latest_answers(tmp_path):
    # speed is measured by benchmarks/bench_import.py, not here
    path = tmp_path / "big.yaml"
    path.write_text(FOURTEEN_ITEMS, encoding="utf-8")
    big = read_framework_file(path)
    rng = random.Random(1)
    choices = ["1", "2", "3", "4", "L2", "3 - L3", "N/A", ""]
    lines = ["Timestamp,Email Address,Your role," + ",".join(f"Survey [Item {i}]" for i in range(14))]
    for r in range(5000):
        email = f"person{r % 4500}@school.org"
        stamp = f"10/{1 + r // 1000}/2025 {9 + r // 100 % 10}:{r % 100 // 2:02d}:{r % 60:02d}"
        lines.append(f"{stamp},{email},Teacher," + ",".join(rng.choice(choices) for _ in range(14)))
    data = "\n".join(lines).encode()
    parsed = read_upload(data, "big.csv", big, secret=SECRET, dayfirst=False)  # "10/3/2025" reads both ways
    assert parsed.report.valid
    assert parsed.report.respondents == 4500
    assert parsed.report.superseded == 500
    assert len(parsed.responses) == 4500 * 14
