"""Cell values to levels: numbers, labels, leading numbers, missing tokens, user label maps."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pl_core.frameworks import load_framework, read_framework_file
from pl_core.ingest import LabelMapError, LevelParser, is_missing_token, load_label_map, read_upload

MINI = read_framework_file(Path(__file__).parent / "fixtures" / "frameworks" / "mini.yaml")
SCALE = MINI.item("culture").scale
SECRET = b"test-secret"


def parse(value: str, label_map=None):
    r = LevelParser(SCALE, label_map).parse(value)
    return (r.level, r.problem)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", (3, None)),
        (" 3 ", (3, None)),
        ("3.0", (3, None)),
        ("1", (1, None)),
        ("4", (4, None)),
        ("3 - More Learner Centered", (3, None)),
        ("3. More Learner Centered", (3, None)),
        ("2 – Learner Centered", (2, None)),
        ("4) Learner Driven", (4, None)),
        ("Level 2", (2, None)),
        ("Learner Centered", (2, None)),
        ("learner centered", (2, None)),
        ("LEARNER-CENTERED", (2, None)),
        ("More Learner Centered", (3, None)),
        ("more  learner centered.", (3, None)),
        ("Teacher Driven", (1, None)),
        ("LD", (4, None)),
        ("mlc", (3, None)),
        ("0", (None, "level-out-of-range")),
        ("5", (None, "level-out-of-range")),
        ("7 - Transformational", (None, "level-out-of-range")),
        ("2.5", (None, "unknown-label")),
        ("Sometimes", (None, "unknown-label")),
        ("Advanced", (None, "unknown-label")),
        ("Learner", (None, "unknown-label")),
    ],
)
def test_level_parsing(value, expected):
    assert parse(value) == expected


MISSING = [
    "",
    "   ",
    "N/A",
    "n/a",
    "NA",
    "na",
    "Don't know",
    "don’t know",
    "DON'T KNOW",
    "Not sure",
    "not sure",
    "Not Sure.",
    "I don't know",
    "I don’t know",
    "I do not know",
    "I'm not sure",
    "I’m not sure",
    "Unsure",
    "Not observed",
    "Not Applicable",
    "Prefer not to say",
    "Prefer not to answer",
    "Don't know / Not sure",
]


@pytest.mark.parametrize("value", MISSING)
def test_missing_answer_tokens_are_na_never_zero(value):
    assert is_missing_token(value)
    assert parse(value) == (None, None)


def test_missing_tokens_in_a_file_are_counted_as_missing_answers():
    rows = "\n".join(f"R{i},{v}" for i, v in enumerate(MISSING[1:]))
    data = f"respondent,Culture\n{rows}\n".encode()
    parsed = read_upload(data, "f.csv", MINI, secret=SECRET)
    assert parsed.report.valid
    assert parsed.responses["level"].isna().all()
    assert parsed.report.missing_answers == len(MISSING) - 1
    assert parsed.report.answers == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2 - Learner Centered;3 - More Learner Centered", (None, "multiple-levels")),
        ("Teacher Driven;Learner Driven", (None, "multiple-levels")),
        ("1;4", (None, "multiple-levels")),
        ("3 - More Learner Centered;", (3, None)),
        ("Learner Driven; ", (4, None)),
        ("Sometimes;Often", (None, "unknown-label")),
    ],
)
def test_a_cell_with_more_than_one_level_is_never_read_as_its_first(value, expected):
    assert parse(value) == expected


@pytest.mark.parametrize(
    ("value", "label_map", "expected"),
    [
        ("Sometimes", {"Sometimes": 2}, (2, None)),
        ("sometimes!", {"Sometimes": 2}, (2, None)),
        ("Advanced", {"advanced": 4, "Emerging": 1}, (4, None)),
        ("Skip", {"Skip": None}, (None, None)),
        ("Mastery", {"Mastery": 9}, (None, "level-out-of-range")),
        # A user's map wins over the scale's own label.
        ("Learner Centered", {"Learner Centered": 3}, (3, None)),
    ],
)
def test_label_map_maps_labels_to_levels(value, label_map, expected):
    assert parse(value, label_map) == expected


def test_label_map_makes_an_unknown_label_file_valid():
    data = b"respondent,Culture,Mindset\nA,Sometimes,Always\nB,Never,3\n"
    rejected = read_upload(data, "f.csv", MINI, secret=SECRET)
    assert rejected.report.error_locations() == [
        (2, "Culture", "unknown-label"),
        (2, "Mindset", "unknown-label"),
        (3, "Culture", "unknown-label"),
    ]
    fixed = read_upload(data, "f.csv", MINI, secret=SECRET, label_map={"Sometimes": 2, "Always": 4, "Never": 1})
    assert fixed.report.valid
    assert list(fixed.responses["level"]) == [2, 4, 1, 3]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sometimes: 2\nAlways: 4\n", {"Sometimes": 2, "Always": 4}),
        ("Yes: 4\nNo: 1\n", {"Yes": 4, "No": 1}),
        ("Skip: null\n", {"Skip": None}),
        ("'5': 4\n", {"5": 4}),
        ("", {}),
    ],
)
def test_load_label_map_reads_label_level_pairs(tmp_path, text, expected):
    path = tmp_path / "labels.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_label_map(path) == expected


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("Sometimes: often\n", "'Sometimes'"),
        ("- Sometimes\n- Always\n", "label: level"),
        ("Sometimes: [2\n", "YAML syntax error"),
        ("Sometimes: 2\nsometimes: 3\n", "different level"),
        ("Sometimes: 2.5\n", "whole number"),
    ],
)
def test_load_label_map_rejects_bad_files_naming_the_file(tmp_path, text, needle):
    path = tmp_path / "labels.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LabelMapError) as exc:
        load_label_map(path)
    assert str(path) in str(exc.value)
    assert needle in str(exc.value)


def test_load_label_map_reports_a_missing_file(tmp_path):
    with pytest.raises(LabelMapError, match="cannot read"):
        load_label_map(tmp_path / "nope.yaml")


ITEM_NAMES = [i.name for i in MINI.items]
cell = st.one_of(
    st.sampled_from(["1", "2", "3", "4"]),
    st.sampled_from(MISSING),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(cell, min_size=len(ITEM_NAMES), max_size=len(ITEM_NAMES)), min_size=1, max_size=12))
def test_random_levels_in_a_wide_template_round_trip(rows):
    lines = ["respondent," + ",".join(ITEM_NAMES)]
    lines += [f"R{i}," + ",".join(f'"{v}"' for v in row) for i, row in enumerate(rows)]
    parsed = read_upload("\n".join(lines).encode(), "t.csv", MINI, secret=SECRET)
    assert parsed.report.valid, parsed.report.error_locations()
    expected = [int(v) if v in {"1", "2", "3", "4"} else None for row in rows for v in row]
    got = [None if pd.isna(v) else int(v) for v in parsed.responses["level"]]
    assert got == expected


def test_labels_to_map_lists_every_distinct_answer_beyond_the_listing_limit():
    # 150 rows of "Sometimes" in Culture and one "9" in Mindset: the errors stop at the listing limit,
    # the labels to map list each distinct value once, with its cells and columns.
    rows = "".join(f"P{i},Sometimes,{'9' if i == 0 else '3'}\n" for i in range(150))
    parsed = read_upload(f"respondent,Culture,Mindset\n{rows}".encode(), "f.csv", MINI, secret=SECRET)
    assert len([e for e in parsed.report.errors if e.type == "unknown-label" and e.row is not None]) == 100
    assert [(t.scale, t.value, t.problem, t.cells, t.columns) for t in parsed.report.labels_to_map] == [
        (SCALE.id, "9", "level-out-of-range", 1, ("Mindset",)),
        (SCALE.id, "Sometimes", "unknown-label", 150, ("Culture",)),
    ]


def test_scale_labels_map_an_answer_on_its_own_scale():
    # DPS items use two scales: "Emerging" means level 2 of the foundational practices and level 3 of
    # the drivers, and each column gets the level of its own item's scale.
    dps = load_framework("dps-driver-model")
    data = b"respondent,Culture,Strategic Time\nA,Emerging,Emerging\nB,4,Emerging\n"
    rejected = read_upload(data, "f.csv", dps, secret=SECRET)
    assert [(t.scale, t.value, t.cells) for t in rejected.report.labels_to_map] == [
        ("driver", "Emerging", 2),
        ("foundational", "Emerging", 1),
    ]
    fixed = read_upload(
        data,
        "f.csv",
        dps,
        secret=SECRET,
        label_map={"Emerging": 1},
        scale_labels={"foundational": {"Emerging": 2}, "driver": {"emerging": 3}},
    )
    assert fixed.report.valid and fixed.report.labels_to_map == ()
    got = fixed.responses.sort_values(["source_row", "item"])[["source_row", "item", "level"]]
    assert [tuple(r) for r in got.itertuples(index=False)] == [
        (2, "culture", 2),
        (2, "strategic-time", 3),
        (3, "culture", 4),
        (3, "strategic-time", 3),
    ]
