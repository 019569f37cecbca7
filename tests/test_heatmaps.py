"""Heatmap tables: pivot order, suppressed labels, differences."""

import math

import pandas as pd
import pytest

from pl_core import scoring
from pl_core.frameworks import read_framework_file
from pl_core.present.heatmaps import heatmap_table

YAML = """
id: hm
name: HM
publisher: t
source: {title: t}
scales:
  - id: s
    name: S
    levels:
      - {number: 1, label: One, short_label: One}
      - {number: 2, label: Two, short_label: Two}
      - {number: 3, label: Three, short_label: Three}
      - {number: 4, label: Four, short_label: Four}
domains:
  - id: d
    name: D
    items:
      - {id: b, name: Bravo, levels: []}
      - {id: a, name: Alpha, levels: []}
"""


def hiding_small(rows, fw, by, k):
    """Scores with every group x item of fewer than `k` answers marked hidden, as a publication would."""
    counts = scoring.count_levels(rows, fw, by=by)
    counts["suppressed"] = counts.filter(like="count_").sum(axis=1) < k
    return scoring.score_counts(counts, fw, by=by)


@pytest.fixture(scope="module")
def fw(tmp_path_factory):
    path = tmp_path_factory.mktemp("hm") / "hm.yaml"
    path.write_text(YAML)
    return read_framework_file(path)


def staff(role, item, levels):
    return pd.DataFrame(
        {
            "school": "S",
            "round": "R",
            "respondent": [f"{role}{i}" for i in range(len(levels))],
            "role": role,
            "grade_band": "K-5",
            "item": item,
            "level": pd.array(levels, dtype="Int64"),
        }
    )


def test_rows_follow_the_framework_and_small_groups_are_labelled(fw):
    frame = pd.concat(
        [staff("teacher", "a", [1, 2, 3, 4, 4]), staff("teacher", "b", [2, 2, 2, 2, 3]), staff("coach", "a", [4, 4])],
        ignore_index=True,
    )
    scores = hiding_small(frame, fw, ("school", "round", "role"), 5)
    table = heatmap_table(scores, fw, "role", order=["teacher", "coach"], min_group=5)
    assert list(table.values.index) == ["Bravo", "Alpha"]  # framework order, not alphabetical
    assert table.labels.loc["Alpha", "teacher"] == "2.8"
    assert table.labels.loc["Alpha", "coach"] == "n<5"
    assert math.isnan(table.values.loc["Alpha", "coach"])
    assert table.labels.loc["Bravo", "coach"] == ""  # no coach answered Bravo at all
    assert table.suppressed_cells == 1


def test_difference_subtracts_the_reference_and_never_a_hidden_cell(fw):
    frame = pd.concat([staff("teacher", "a", [3, 3, 3, 3, 4]), staff("coach", "a", [1, 1])], ignore_index=True)
    scores = hiding_small(frame, fw, ("school", "round", "role"), 5)
    reference = pd.DataFrame({"item": ["a"], "ref": [2.5]})
    table = heatmap_table(scores, fw, "role", reference=reference, min_group=5)
    assert table.values.loc["Alpha", "teacher"] == pytest.approx(3.2 - 2.5)
    assert table.labels.loc["Alpha", "teacher"] == "+0.7"
    assert table.labels.loc["Alpha", "coach"] == "n<5"


def test_reference_can_vary_by_column(fw):
    frame = staff("teacher", "a", [2, 2])
    frame2 = staff("teacher", "a", [4, 4]).assign(round="R2")
    scores = scoring.score_items(pd.concat([frame, frame2], ignore_index=True), fw)
    reference = pd.DataFrame({"item": ["a", "a"], "round": ["R", "R2"], "ref": [1.0, 3.5]})
    table = heatmap_table(scores, fw, "round", order=["R", "R2"], reference=reference)
    assert table.values.loc["Alpha"].tolist() == [1.0, 0.5]
