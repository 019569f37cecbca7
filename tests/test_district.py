"""District services (items x schools, growth, leadership gaps, goal status), the synthetic district and its CLI."""

from __future__ import annotations

import argparse
import datetime as dt
import math

import pandas as pd
import pytest

from pl_core import scoring, store
from pl_core.cli.sample import add_sample_size_args, run_big_sample
from pl_core.domain import district
from pl_core.domain.goals import Goal, check_goal
from pl_core.fixtures import bigsample
from pl_core.frameworks import load_framework, read_framework_file
from pl_core.present.heatmaps import items_by_school
from pl_core.services import scores as score_service
from pl_core.services.access import LOCAL
from pl_core.store import goals as goal_store
from pl_core.store.workshops import leadership_ratings

YAML = """
id: dist
name: District test
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
      - {id: a, name: Alpha, levels: []}
      - {id: b, name: Bravo, levels: []}
"""


@pytest.fixture(scope="module")
def fw(tmp_path_factory):
    path = tmp_path_factory.mktemp("dist") / "dist.yaml"
    path.write_text(YAML)
    return read_framework_file(path)


def answers(school: str, round_name: str, levels: dict[str, list[int]]) -> pd.DataFrame:
    """Staff answers of one school and round: item -> one level per member of staff."""
    parts = [
        pd.DataFrame(
            {
                "school": school,
                "round": round_name,
                "respondent": [f"{school}-{i}" for i in range(len(values))],
                "role": "teacher",
                "grade_band": "K-5",
                "item": item,
                "level": pd.array(values, dtype="Int64"),
            }
        )
        for item, values in levels.items()
    ]
    return pd.concat(parts, ignore_index=True)


FIVE = 5


@pytest.fixture(scope="module")
def scores(fw):
    """Three schools over two rounds: Ash grows by one level, Oak slips by 0.6, Elm (3 staff) is always hidden."""
    frame = pd.concat(
        [
            answers("Ash", "R1", {"a": [1] * 6, "b": [2] * 6}),
            answers("Ash", "R2", {"a": [2] * 6, "b": [3] * 6}),
            answers("Oak", "R1", {"a": [3] * 5, "b": [3] * 5}),
            answers("Oak", "R2", {"a": [3, 3, 3, 2, 2], "b": [3, 2, 2, 2, 2]}),
            answers("Elm", "R1", {"a": [4] * 3, "b": [4] * 3}),
            answers("Elm", "R2", {"a": [1] * 3, "b": [1] * 3}),
            answers("Fir", "R2", {"a": [4] * 5, "b": [4] * 5}),  # new this round: no growth to rank
        ],
        ignore_index=True,
    )
    counts = scoring.count_levels(frame, fw)
    counts["suppressed"] = counts.filter(like="count_").sum(axis=1) < FIVE  # small schools hidden, as published
    return scoring.score_counts(counts, fw)


def test_school_order_puts_the_lowest_overall_mean_first_and_hidden_schools_last(scores, fw):
    assert district.school_order(scores, fw, "R2") == ["Oak", "Ash", "Fir", "Elm"]


def test_items_by_school_is_items_x_schools_in_the_given_order_with_small_schools_labelled(scores, fw):
    table = items_by_school(scores, fw, "R2", schools=["Oak", "Elm", "Ash"], min_group=FIVE)
    assert list(table.values.columns) == ["Oak", "Elm", "Ash"]
    assert list(table.values.index) == ["Alpha", "Bravo"]
    assert table.labels.loc["Alpha", "Elm"] == "n<5" and math.isnan(table.values.loc["Alpha", "Elm"])
    assert table.labels.loc["Bravo", "Ash"] == "3.0"
    assert table.suppressed_cells == 2


def test_growth_ranks_schools_with_both_rounds_most_growth_first(scores, fw):
    growth = district.growth_by_school(scores, fw, "R1", "R2")
    rows = list(zip(growth["school"], growth["growth"].round(2), growth["items_up"], growth["items_down"], strict=True))
    assert rows == [("Ash", 1.0, 2, 0), ("Oak", -0.6, 0, 2)]  # Elm hidden in both, Fir only in R2


@pytest.mark.parametrize(("earlier", "later"), [("R0", "R2"), ("R1", "R9")])
def test_growth_against_a_round_without_answers_is_empty(scores, fw, earlier, later):
    growth = district.growth_by_school(scores, fw, earlier, later)
    assert growth.empty and list(growth.columns) == district.GROWTH_COLUMNS


def test_leadership_gaps_rank_the_largest_average_gap_first_and_skip_hidden_schools(scores):
    leadership = pd.DataFrame(
        {
            "school": ["Ash", "Ash", "Oak", "Oak", "Elm", "Ash"],
            "round": ["R2", "R2", "R2", "R2", "R2", "R1"],
            "item": ["a", "b", "a", "b", "a", "a"],
            "level": [2.5, 3.0, 2.0, 4.0, 4.0, 4.0],
        }
    )
    gaps = district.leadership_gaps(scores, leadership, "R2")
    assert gaps["school"].tolist() == ["Oak", "Ash"]
    oak = gaps.iloc[0]
    # Oak staff: a 2.6, b 2.2; leadership a 2.0 (-0.6), b 4.0 (+1.8)
    assert oak["mean_abs_gap"] == pytest.approx(1.2) and oak["mean_gap"] == pytest.approx(0.6)
    assert (oak["largest_item"], round(oak["largest_gap"], 2)) == ("Bravo", 1.8)
    assert gaps.iloc[1]["items_compared"] == 2


def test_leadership_gaps_without_any_consensus_is_empty(scores):
    empty = pd.DataFrame(columns=["school", "round", "item", "level"])
    assert district.leadership_gaps(scores, empty, "R2").empty


def goal(school: str, item: str, baseline: float, target: float, framework_id: str = "dist", **extra) -> Goal:
    return Goal(
        school=school,
        framework_id=framework_id,
        item_id=item,
        baseline_level=baseline,
        target_level=target,
        start_date=dt.date(2025, 9, 1),
        target_date=dt.date(2027, 9, 1),
        **extra,
    )


def test_goal_status_measures_each_goal_against_its_schools_staff_mean(scores, fw):
    goals = [
        goal("Ash", "a", 1.0, 2.0, id=1),  # measured 2.0 in R2: achieved
        goal("Oak", "b", 3.0, 4.0, id=2),  # measured 2.2 in R2, planned ~3.5: behind
        goal("Pine", "a", 1.0, 2.0, id=3),  # no answers at all
        goal("Ash", "a", 1.0, 2.0, framework_id="other", id=4),  # another framework: not listed
    ]
    dates = {"R1": dt.date(2025, 10, 1), "R2": dt.date(2026, 10, 1)}
    table = district.goal_status(goals, scores, fw, dt.date(2026, 11, 1), dates)
    assert list(zip(table["goal_id"], table["status"], strict=True)) == [
        (1, "achieved"),
        (2, "behind"),
        (3, "not yet measured"),
    ]
    assert table.loc[1, "latest_round"] == "R2" and table.loc[1, "latest_level"] == pytest.approx(2.2)
    assert district.goal_status_counts(table) == {"behind": 1, "achieved": 1, "not yet measured": 1}


def test_goal_status_skips_rounds_that_cannot_be_dated(scores, fw):
    table = district.goal_status([goal("Ash", "a", 1.0, 2.0, id=1)], scores, fw, dt.date(2026, 11, 1), {})
    assert table.loc[0, "status"] == "not yet measured"  # "R1", "R2" name no season or year


# --- the synthetic district -----------------------------------------------------------------------------------------


def test_round_names_alternate_fall_and_spring():
    assert bigsample.round_names(4) == ["Fall 2025", "Spring 2026", "Fall 2026", "Spring 2027"]


def test_build_district_stores_every_answer_workshop_and_goal(engine):
    built = bigsample.build_district(engine, schools=4, staff=6, rounds=2, seed=3)
    dps = load_framework("dps-driver-model")
    items = len(dps.items)
    assert (built.schools, built.respondents, built.answers) == (4, 24, 4 * 6 * items * 2)
    assert store.list_schools(engine) == bigsample.school_names(4)
    assert store.list_rounds(engine) == ["Fall 2025", "Spring 2026"]
    responses = store.load_responses(engine, dps.id)
    assert len(responses) == built.answers
    assert set(responses["level"].dropna().unique()) <= {1, 2, 3, 4}
    # the same people answer every round, under the same keys
    per_round = responses.groupby("round")["respondent"].apply(frozenset)
    assert per_round.iloc[0] == per_round.iloc[1] and len(per_round.iloc[0]) == 24
    lead = leadership_ratings(engine, dps.id)
    assert len(lead) == 4 * 2 * items and lead["level"].between(1, 4).all()
    goals = goal_store.list_goals(engine, framework_id=dps.id)
    assert len(goals) == built.goals == 4
    for g in goals:
        check_goal(g, dps)  # raises when a stored goal would not pass the Goals page's own checks


@pytest.mark.parametrize("min_group", ["5", "7"])
def test_district_scores_from_database_counts_equal_scoring_every_answer(engine, min_group, monkeypatch):
    monkeypatch.setenv("PL_MIN_GROUP_SIZE", min_group)
    bigsample.build_district(engine, schools=3, staff=8, rounds=2, seed=5)
    dps = load_framework("dps-driver-model")
    counts = scoring.count_levels(store.load_responses(engine, dps.id), dps)
    counts["suppressed"] = counts.filter(like="count_").sum(axis=1) < int(min_group)
    expected = scoring.score_counts(counts, dps)
    pd.testing.assert_frame_equal(score_service.district_scores(engine, LOCAL, dps), expected, check_dtype=False)
    latest = score_service.district_scores(engine, LOCAL, dps, rounds=["Spring 2026"])
    assert set(latest["round"]) == {"Spring 2026"} and len(latest) == 3 * len(dps.items)


def test_district_scores_of_a_framework_without_answers_is_empty(engine):
    bigsample.build_district(engine, schools=1, staff=2, rounds=1)
    assert score_service.district_scores(engine, LOCAL, load_framework("pillars-of-pl")).empty


def test_build_district_refuses_a_database_that_already_has_it(engine):
    bigsample.build_district(engine, schools=1, staff=1, rounds=1)
    with pytest.raises(ValueError, match="already has a district"):
        bigsample.build_district(engine, schools=1, staff=1, rounds=1)


def test_build_district_is_the_same_for_the_same_seed(tmp_path):
    frames = []
    for name in ("one", "two"):
        engine = store.make_engine(f"sqlite:///{tmp_path / name}.db")
        store.upgrade(engine)
        bigsample.build_district(engine, schools=3, staff=5, rounds=2, seed=11)
        frames.append(store.load_responses(engine, "dps-driver-model"))
        engine.dispose()
    pd.testing.assert_frame_equal(frames[0], frames[1])


def test_build_district_reports_progress_in_order(tmp_path):
    engine = store.make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    store.upgrade(engine)
    seen = []
    bigsample.build_district(engine, schools=2, staff=2, rounds=1, progress=lambda i, total, what: seen.append(i))
    engine.dispose()
    assert seen == [1, 2, 3, 4, 5, 6]


# --- pl-diag sample --schools ----------------------------------------------------------------------------------------


def sample_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pl-diag sample")
    add_sample_size_args(parser)
    return parser


def test_sample_size_args_default_to_the_sample_files_unless_schools_is_given():
    args = sample_parser().parse_args([])
    assert (args.schools, args.staff, args.rounds) == (None, 60, 3)
    args = sample_parser().parse_args(["--schools", "12", "--staff", "20", "--rounds", "2"])
    assert (args.schools, args.staff, args.rounds) == (12, 20, 2)


@pytest.mark.parametrize("argv", [["--schools", "0"], ["--staff", "-3"], ["--rounds", "two"]])
def test_sample_size_args_refuse_counts_below_one(argv, capsys):
    with pytest.raises(SystemExit):
        sample_parser().parse_args(argv)
    assert "error" in capsys.readouterr().err


def test_run_big_sample_builds_the_district_and_says_what_it_stored(tmp_path, capsys):
    engine = store.make_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    store.upgrade(engine)
    args = sample_parser().parse_args(["--schools", "3", "--staff", "5", "--rounds", "2"])
    assert run_big_sample(args, engine) == 0
    assert len(store.list_schools(engine)) == 3
    engine.dispose()
    out = capsys.readouterr().out
    assert "3 schools, 15 staff, 420 answers" in out and "[6/6]" in out
