"""Scoring: hand-computed figures, suppression and invariants."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pl_core import scoring
from pl_core.frameworks import read_framework_file

FRAMEWORK_YAML = """
id: score-test
name: Scoring test
publisher: Tests
year: 2026
source: {title: tests}
scales:
  - id: four
    name: Four
    levels:
      - {number: 1, label: Teacher Driven, short_label: Teacher Driven}
      - {number: 2, label: Learner Centered, short_label: Learner Centered}
      - {number: 3, label: More Learner Centered, short_label: More LC}
      - {number: 4, label: Learner Driven, short_label: Learner Driven}
domains:
  - id: base
    name: Base
    items:
      - {id: a, name: A, levels: []}
      - {id: b, name: B, levels: [], weight: 3}
  - id: top
    name: Top
    items:
      - {id: c, name: C, levels: []}
"""


def hiding_small(rows, fw, by, k):
    """Scores with every group x item of fewer than `k` answers marked hidden, as a publication would."""
    counts = scoring.count_levels(rows, fw, by=by)
    counts["suppressed"] = counts.filter(like="count_").sum(axis=1) < k
    return scoring.score_counts(counts, fw, by=by)


@pytest.fixture(scope="module")
def fw(tmp_path_factory):
    path = tmp_path_factory.mktemp("fw") / "score-test.yaml"
    path.write_text(FRAMEWORK_YAML)
    return read_framework_file(path)


def answers(item, levels, school="North", round_="Fall", role="teacher"):
    return pd.DataFrame(
        {
            "school": school,
            "round": round_,
            "respondent": [f"{school}-{i}" for i in range(len(levels))],
            "role": role,
            "grade_band": "K-5",
            "item": item,
            "level": pd.array(levels, dtype="Int64"),
        }
    )


def test_item_statistics_match_hand_computation(fw):
    # levels 1, 2, 2, 4 and one "Don't know": mean 9/4, sample variance (25 - 4 * 2.25^2) / 3 = 19/12
    scores = scoring.score_items(answers("a", [1, 2, 2, 4, None]), fw)
    row = scores.set_index("item").loc["a"]
    assert (row["n"], row["missing"], row["respondents"]) == (4, 1, 5)
    assert row["mean"] == pytest.approx(2.25)
    assert row["sd"] == pytest.approx(math.sqrt(19 / 12))
    assert row["median"] == 2.0
    assert [row[f"count_{k}"] for k in (1, 2, 3, 4)] == [1, 2, 0, 1]
    assert row["share_2"] == pytest.approx(0.5)
    assert row["stage"] == 2
    # r_wg = 1 - (19/12) / ((4^2 - 1) / 12) = 1 - 19/15 < 0, floored at 0
    assert row["agreement"] == 0.0
    assert row["within_one"] == pytest.approx(0.75)


def test_agreement_is_rwg_against_uniform_null(fw):
    # levels 3, 3, 4, 4: s^2 = 1/3; sigma_EU^2 = 15/12; r_wg = 1 - (1/3) / (15/12) = 11/15
    row = scoring.score_items(answers("a", [3, 3, 4, 4]), fw).iloc[0]
    assert row["agreement"] == pytest.approx(11 / 15)
    assert row["median"] == 3.5
    unanimous = scoring.score_items(answers("a", [2, 2, 2]), fw).iloc[0]
    assert unanimous["agreement"] == 1.0
    single = scoring.score_items(answers("a", [2]), fw).iloc[0]
    assert math.isnan(single["agreement"]) and math.isnan(single["sd"])


@pytest.mark.parametrize(
    ("mean_levels", "stage"),
    [([1, 1, 1, 2], 1), ([1, 2], 2), ([2, 3], 3), ([3, 3, 4, 4], 4), ([4], 4), ([1], 1), ([2, 2, 3, 3, 3, 1], 2)],
)
def test_stage_is_the_band_holding_the_mean(fw, mean_levels, stage):
    # bands: [1, 1.5) -> 1, [1.5, 2.5) -> 2, [2.5, 3.5) -> 3, [3.5, 4] -> 4
    assert scoring.score_items(answers("a", mean_levels), fw).iloc[0]["stage"] == stage


def test_items_with_only_missing_answers_are_listed_with_no_mean(fw):
    scores = scoring.score_items(answers("c", [None, None]), fw)
    row = scores.iloc[0]
    assert (row["n"], row["missing"]) == (0, 2)
    assert math.isnan(row["mean"])


def test_a_hidden_cell_has_every_figure_blank_but_school_figures_stay(fw):
    staff = pd.concat(
        [answers("a", [1, 2, 3, 4, 4, 2], role="teacher"), answers("a", [4, 4], role="coach")], ignore_index=True
    )
    staff["respondent"] = [f"r{i}" for i in range(len(staff))]
    by_role = hiding_small(staff, fw, ("school", "round", "role"), 5).set_index("role")
    assert not by_role.loc["teacher", "suppressed"]
    assert by_role.loc["teacher", "n"] == 6
    assert by_role.loc["coach", "suppressed"]
    coach = by_role.loc["coach"]
    assert all(math.isnan(coach[c]) for c in ["mean", "n", "respondents", "count_4", "sd"])
    whole = scoring.score_items(staff, fw).iloc[0]
    assert whole["n"] == 8 and whole["mean"] == pytest.approx(24 / 8)


def test_roll_up_weights_items_within_domains_and_domains_equally(fw):
    frames = [answers("a", [1, 1]), answers("b", [3, 3]), answers("c", [4, 4])]
    scores = scoring.score_items(pd.concat(frames, ignore_index=True), fw)
    rolled = scoring.roll_up(scores, fw)
    domains = rolled["domains"].set_index("domain")
    # base: (1 * 1 + 3 * 3) / (1 + 3) = 2.5 ; top: 4 ; framework: (2.5 + 4) / 2
    assert domains.loc["base", "mean"] == pytest.approx(2.5)
    assert domains.loc["base", "stage"] == 3
    assert domains.loc["top", "mean"] == 4
    assert rolled["framework"].iloc[0]["mean"] == pytest.approx(3.25)


def test_compare_rounds_reports_growth_with_n_each_side(fw):
    fall = answers("a", [1, 2, 2], round_="Fall 2025")
    spring = answers("a", [2, 3, 3, 4], round_="Spring 2026")
    scores = scoring.score_items(pd.concat([fall, spring], ignore_index=True), fw)
    growth = scoring.compare_rounds(scores, "Fall 2025", "Spring 2026").iloc[0]
    assert growth["growth"] == pytest.approx(3.0 - 5 / 3)
    assert (growth["n_before"], growth["n_after"]) == (3, 4)


def test_compare_leadership_gap_is_leadership_minus_staff(fw):
    scores = scoring.score_items(answers("a", [1, 2, 3]), fw)
    leadership = pd.DataFrame({"school": ["North"], "round": ["Fall"], "item": ["a"], "level": [3.5]})
    row = scoring.compare_leadership(scores, leadership).set_index("item").loc["a"]
    assert row["gap"] == pytest.approx(1.5)
    assert row["staff_n"] == 3


def test_unknown_items_are_ignored_not_scored(fw):
    frame = pd.concat([answers("a", [2]), answers("zzz", [4])], ignore_index=True)
    assert list(scoring.score_items(frame, fw)["item"]) == ["a"]


levels_lists = st.lists(st.one_of(st.none(), st.integers(1, 4)), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(groups=st.lists(levels_lists, min_size=1, max_size=6), threshold=st.integers(1, 8))
def test_scoring_invariants(fw, groups, threshold):
    frames = []
    for g, levels in enumerate(groups):
        frame = answers("b", levels, role=f"role{g}")
        frame["respondent"] = [f"g{g}-{i}" for i in range(len(levels))]
        frames.append(frame)
    staff = pd.concat(frames, ignore_index=True)
    whole = scoring.score_items(staff, fw).iloc[0]
    counts = [whole[f"count_{k}"] for k in (1, 2, 3, 4)]
    assert sum(counts) == whole["n"]
    assert whole["n"] + whole["missing"] == len(staff)
    if whole["n"]:
        assert 1 <= whole["mean"] <= 4
        assert 1 <= whole["median"] <= 4
        assert 0 <= whole["agreement"] <= 1 or (whole["n"] == 1 and np.isnan(whole["agreement"]))
        expected = np.mean([v for g in groups for v in g if v is not None])
        assert whole["mean"] == pytest.approx(expected)
    by_role = hiding_small(staff, fw, ("school", "round", "role"), threshold)
    shown = by_role[~by_role["suppressed"]]
    assert (shown["n"] >= threshold).all()
    hidden = by_role[by_role["suppressed"]]
    assert hidden[["n", "mean", "count_1", "count_4", "respondents"]].isna().all().all()
