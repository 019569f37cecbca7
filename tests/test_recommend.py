"""Recommendation order and next steps on hand-built cases."""

import pandas as pd
import pytest

from pl_core.domain.recommend import next_steps_for, recommend
from pl_core.frameworks import read_framework_file

YAML = """
id: rec-test
name: Rec Test Model
publisher: Tests
source: {title: tests}
scales:
  - id: s
    name: S
    levels:
      - {number: 1, label: Teacher Driven, short_label: TD}
      - {number: 2, label: Learner Centered, short_label: LC}
      - {number: 3, label: More Learner Centered, short_label: MLC}
      - {number: 4, label: Learner Driven, short_label: LD}
domains:
  - id: found
    name: Foundational Practices
    foundational: true
    items:
      - id: rel
        name: Relationships
        levels: []
        next_steps:
          - {from_level: 1, to_level: 2, label: Moving to learner centered, steps: [Share weekly.]}
          - {from_level: 2, to_level: 3, label: Moving more learner centered, steps: [Prompt peers.]}
          - {from_level: 3, to_level: 4, label: Moving to learner driven, steps: [Learners lead circles.]}
      - {id: cul, name: Culture, levels: []}
  - id: drv
    name: Drivers
    items:
      - id: time
        name: Strategic Time
        levels: []
        next_steps:
          - {from_level: 1, to_level: 2, steps: [Co-plan one block.]}
      - {id: space, name: Strategic Space, levels: []}
      - {id: tech, name: Strategic Tech, levels: []}
"""


@pytest.fixture(scope="module")
def fw(tmp_path_factory):
    path = tmp_path_factory.mktemp("rec") / "rec.yaml"
    path.write_text(YAML)
    return read_framework_file(path)


def scores(rows):
    return pd.DataFrame(rows, columns=["item", "mean", "agreement"])


def test_weak_foundational_practice_outranks_a_weaker_driver(fw):
    staff = scores([("rel", 2.2, 0.8), ("cul", 3.4, 0.8), ("time", 1.2, 0.8), ("space", 2.9, 0.8), ("tech", 3.6, 0.8)])
    recs = recommend(fw, staff, top=3)
    assert [r.item_id for r in recs] == ["rel", "time", "space"]
    assert [r.rule for r in recs] == ["weak-foundation", "lowest-stage", "lowest-stage"]
    assert "foundational practice" in recs[0].reason and "Learner Centered (2.2 of 4)" in recs[0].reason


def test_strong_foundational_practice_is_ranked_like_any_item(fw):
    staff = scores([("rel", 2.6, 0.8), ("cul", 3.9, 0.9), ("time", 1.2, 0.8), ("space", 3.9, 0.8), ("tech", 3.9, 0.8)])
    assert [r.item_id for r in recommend(fw, staff, top=2)] == ["time", "rel"]


def test_ties_on_stage_break_by_gap_then_agreement(fw):
    staff = scores([("rel", 3.0, 0.9), ("cul", 3.0, 0.9), ("time", 2.0, 0.9), ("space", 2.1, 0.2), ("tech", 1.9, 0.6)])
    leadership = pd.DataFrame({"item": ["time", "space", "tech"], "level": [3.5, 2.1, 1.9]})
    recs = recommend(fw, staff, leadership, top=3)
    # all three drivers are at stage 2: time has the largest gap (1.5), then space (agreement 0.2 < 0.6)
    assert [r.item_id for r in recs] == ["time", "space", "tech"]
    assert recs[0].gap == pytest.approx(1.5)
    assert "1.5 levels higher than staff" in recs[0].reason
    assert "see it differently" in recs[1].reason


def test_leadership_consensus_stands_in_where_staff_did_not_answer(fw):
    recs = recommend(fw, scores([]), pd.DataFrame({"item": ["space"], "level": [1.5]}), top=3)
    assert [(r.item_id, r.stage) for r in recs] == [("space", 2)]
    assert recs[0].reason.startswith("The leadership team place")


def test_short_list_defaults_to_three(fw):
    staff = scores([(i, 2.0, 0.9) for i in ["rel", "cul", "time", "space", "tech"]])
    assert len(recommend(fw, staff)) == 3


def test_next_steps_cite_the_move_and_source(fw):
    plan = next_steps_for(fw, "rel", 2)
    assert [s.text for s in plan.steps] == ["Prompt peers."]
    assert (plan.from_level, plan.to_level, plan.sustain) == (2, 3, False)
    assert plan.move_label == "Moving more learner centered"
    assert plan.source == "Rec Test Model \u00b7 Relationships \u00b7 Moving more learner centered"


def test_top_stage_gets_the_last_moves_steps_to_sustain(fw):
    plan = next_steps_for(fw, "rel", 4)
    assert plan.sustain and plan.to_level is None
    assert [s.text for s in plan.steps] == ["Learners lead circles."]
    assert plan.move_label == "Sustain Learner Driven"


def test_unlabelled_move_is_named_by_its_levels(fw):
    plan = next_steps_for(fw, "time", 1)
    assert plan.move_label == "Teacher Driven \u2192 Learner Centered"
    assert [s.text for s in plan.steps] == ["Co-plan one block."]
    assert next_steps_for(fw, "time", 2).steps == ()


@pytest.mark.parametrize(("agreement", "flagged"), [(0.5, False), (0.49, True), (0.51, False)])
def test_low_agreement_is_strictly_below_the_cut(fw, agreement, flagged):
    from pl_core.domain.recommend import LOW_AGREEMENT

    assert LOW_AGREEMENT == 0.5
    staff = scores([("rel", 3.0, 0.9), ("cul", 3.0, 0.9), ("time", 2.0, agreement), ("space", 3.0, 0.9)])
    [rec] = recommend(fw, staff, top=1)
    assert rec.item_id == "time"
    assert ("see it differently" in rec.reason) is flagged
