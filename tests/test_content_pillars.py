"""The Pillars of Personalized Learning file says what the source document says.

Expected texts are written out by hand from
/work/shared/seeds/pillars-of-personalized-learning.txt, reconstructed where the
PDF's columns interleave line by line.
"""

import pytest

from pl_core.frameworks import load_framework

ITEM_IDS = [
    "learner-supports",
    "flexible-grouping",
    "culture-of-continuous-improvement",
    "goal-setting",
    "learner-centered-instruction",
    "district-commitments",
    "learner-voice",
    "evidence-of-learning",
]

# Levels the source describes for each pillar (1 Emerging .. 4 Applying).
DESCRIBED_LEVELS = {
    "learner-supports": (1, 2, 3, 4),
    "flexible-grouping": (1, 2),
    "culture-of-continuous-improvement": (1, 2, 3, 4),
    "goal-setting": (1, 2),
    "learner-centered-instruction": (1, 2),
    "district-commitments": (1, 2),
    "learner-voice": (1, 2),
    "evidence-of-learning": (1, 2, 3, 4),
}

# (item, level): (learner look-fors, educator look-fors) counted in the source.
LOOK_FOR_COUNTS = {
    ("learner-supports", 1): (1, 1),
    ("learner-supports", 2): (1, 1),
    ("learner-supports", 3): (1, 2),
    ("learner-supports", 4): (1, 1),
    ("flexible-grouping", 1): (1, 1),
    ("flexible-grouping", 2): (1, 1),
    ("culture-of-continuous-improvement", 1): (1, 2),
    ("culture-of-continuous-improvement", 2): (2, 3),
    ("culture-of-continuous-improvement", 3): (2, 3),
    ("culture-of-continuous-improvement", 4): (2, 3),
    ("goal-setting", 1): (1, 1),
    ("goal-setting", 2): (1, 2),
    ("learner-centered-instruction", 1): (2, 1),
    ("learner-centered-instruction", 2): (2, 1),
    ("district-commitments", 1): (1, 1),
    ("district-commitments", 2): (1, 1),
    ("learner-voice", 1): (1, 1),
    ("learner-voice", 2): (2, 1),
    ("evidence-of-learning", 1): (1, 1),
    ("evidence-of-learning", 2): (1, 1),
    ("evidence-of-learning", 3): (1, 1),
    ("evidence-of-learning", 4): (1, 1),
}

# (item, level, where, expected text); where is "statement", "learners" or "educators".
CELLS = [
    # Learner Supports: the extraction gives the level columns out of order.
    (
        "learner-supports",
        1,
        "statement",
        "Learning community uses traditional targeted interventions for learners "
        "who have been identified through testing.",
    ),
    (
        "learner-supports",
        3,
        "statement",
        "Learning community uses a system of data-driven timely support to ensure growth "
        "in the learning community culture for all learners.",
    ),
    (
        "learner-supports",
        4,
        "statement",
        "A personalized system where students advocate for the individualized learning choices "
        "and support they need to experience growth.",
    ),
    (
        "learner-supports",
        3,
        "learners",
        "Learners understand the expected level of growth, work at different paces, "
        "and receive different support through data driven decisions.",
    ),
    (
        "learner-supports",
        4,
        "educators",
        "Educators and learners co-design strategies, pathways and supports to meet their individual goals.",
    ),
    (
        "learner-supports",
        3,
        "educators",
        "Educators use data from readiness checks (formative assessments) "
        "to evaluate what supports are needed for all students.",
    ),
    # Flexible Grouping: two interleaved columns.
    (
        "flexible-grouping",
        2,
        "statement",
        "Grouping is intentional but not using readiness checks (formative assessment).",
    ),
    ("flexible-grouping", 1, "educators", "Educators use groupings at random."),
    ("flexible-grouping", 2, "learners", "Learners recognize what group they are in but not why."),
    # Culture of Continuous Improvement: four interleaved columns, no look-for headers.
    (
        "culture-of-continuous-improvement",
        3,
        "statement",
        "Educators and learners implement and demonstrate improvement practice throughout the district.",
    ),
    (
        "culture-of-continuous-improvement",
        1,
        "learners",
        "Learners do not take advantage of opportunities to improve work.",
    ),
    (
        "culture-of-continuous-improvement",
        3,
        "learners",
        "Learners collaborate with others to make changes based on meaningful feedback.",
    ),
    (
        "culture-of-continuous-improvement",
        4,
        "learners",
        "Learners share how meaningful feedback influenced their improvement.",
    ),
    (
        "culture-of-continuous-improvement",
        2,
        "educators",
        "Educators provide opportunities for learners to give and receive feedback.",
    ),
    (
        "culture-of-continuous-improvement",
        3,
        "educators",
        "Educators use data to inform what decisions should be made.",
    ),
    (
        "culture-of-continuous-improvement",
        4,
        "educators",
        "Educators continuously use data to guide and evaluate decisions.",
    ),
    ("culture-of-continuous-improvement", 1, "educators", "Educators make decisions that are not data informed."),
    # Goal-Setting.
    ("goal-setting", 2, "statement", "Educators and learners create a goal."),
    ("goal-setting", 2, "educators", "Educators guide learners through the goal setting process."),
    ("goal-setting", 2, "educators", "Educators create classroom/individual goals."),
    # Learner-Centered Instruction: "deliv-" / "ery" rejoined across the interleaved column.
    ("learner-centered-instruction", 1, "statement", "Instructional design and delivery are educator driven."),
    (
        "learner-centered-instruction",
        2,
        "statement",
        "Instructional design and delivery are educator-led with increased opportunities for learner voice and choice.",
    ),
    ("learner-centered-instruction", 1, "learners", "Learners retrieve knowledge that comes from educators."),
    ("learner-centered-instruction", 2, "learners", "Learners begin to have choices on how they access content."),
    (
        "learner-centered-instruction",
        1,
        "educators",
        "Educators make the primary decisions on curriculum, delivery of instruction, and support.",
    ),
    # District Commitments.
    ("district-commitments", 2, "statement", "Our commitments are intentionally taught and evident in isolation."),
    ("district-commitments", 2, "learners", "Learners define or give examples of our commitments."),
    ("district-commitments", 1, "educators", "Educators know our commitments."),
    # Learner Voice.
    ("learner-voice", 2, "statement", "Learners experience and identify various learning strategies."),
    # The lone cell below the two-column learner row: Developing, by the placement rule of Goal-Setting.
    (
        "learner-voice",
        2,
        "learners",
        "Learners choose the same approach to show their learning based on ease of completion.",
    ),
    ("learner-voice", 2, "educators", "Educators provide various learning opportunities."),
    # Evidence of Learning: four interleaved columns, one cell split by a blank line.
    ("evidence-of-learning", 2, "statement", "Formative assessments are beginning to be used as evidence of learning."),
    (
        "evidence-of-learning",
        1,
        "learners",
        "Learners complete a summative assessment and move onto the next learning task.",
    ),
    (
        "evidence-of-learning",
        4,
        "learners",
        "Learners advocate for personalized assessment to show evidence of learning.",
    ),
    ("evidence-of-learning", 3, "educators", "Educators use frequent checks to provide evidence of learning."),
    ("evidence-of-learning", 4, "educators", "Educators personalize assessment based on learner needs."),
]


@pytest.fixture(scope="module")
def framework():
    return load_framework("pillars-of-pl")


def test_the_framework_has_the_eight_pillars_in_one_domain(framework):
    assert framework.item_ids == tuple(ITEM_IDS)
    assert [d.id for d in framework.domains] == ["pillars"]


def test_the_scale_runs_from_emerging_to_applying(framework):
    scale = framework.scales["pillars"]
    assert [(lv.number, lv.label) for lv in scale.levels] == [
        (1, "Emerging"),
        (2, "Developing"),
        (3, "Demonstrating"),
        (4, "Applying"),
    ]


@pytest.mark.parametrize("item_id, levels", DESCRIBED_LEVELS.items())
def test_each_pillar_describes_only_the_levels_the_source_gives(framework, item_id, levels):
    assert framework.item(item_id).described_levels == levels


@pytest.mark.parametrize("item_id", ITEM_IDS)
def test_no_pillar_has_moves_because_the_source_gives_no_next_steps(framework, item_id):
    assert framework.item(item_id).moves == ()


@pytest.mark.parametrize("item_id", ITEM_IDS)
def test_every_level_has_its_statement_as_its_only_descriptor(framework, item_id):
    item = framework.item(item_id)
    for level in item.described_levels:
        content = item.content(level)
        assert content.statement
        assert item.descriptors(level) == (content.statement,)


@pytest.mark.parametrize("key, counts", LOOK_FOR_COUNTS.items())
def test_each_level_has_as_many_look_fors_as_the_source(framework, key, counts):
    item_id, level = key
    look_fors = framework.item(item_id).content(level).look_fors
    assert (len(look_fors.learners), len(look_fors.educators)) == counts


@pytest.mark.parametrize("item_id, level, where, text", CELLS)
def test_source_cell_appears_under_its_pillar_and_level(framework, item_id, level, where, text):
    content = framework.item(item_id).content(level)
    if where == "statement":
        assert content.statement == text
    else:
        assert text in getattr(content.look_fors, where)


def test_pillar_definitions_are_the_source_statements(framework):
    assert framework.item("evidence-of-learning").definition == (
        "Instructional decisions will be driven by evidence of learning."
    )
    assert framework.item("learner-voice").definition == (
        "All learners will experience a wide variety of learning strategies to understand, "
        "identify, and voice the way they learn best."
    )


LONE_LEARNER_VOICE_CELL = "Learners choose the same approach to show their learning based on ease of completion."


def test_learner_voice_lone_cell_is_under_developing_by_the_files_placement_rule(framework):
    item = framework.item("learner-voice")
    assert LONE_LEARNER_VOICE_CELL in item.content(2).look_fors.learners
    assert LONE_LEARNER_VOICE_CELL not in item.content(1).look_fors.learners
    assert any("placed at Developing" in note for note in item.content(2).notes)
    assert item.content(1).notes == []


def test_culture_of_continuous_improvement_note_counts_the_gaps_the_data_has(framework):
    item = framework.item("culture-of-continuous-improvement")
    words = {1: "one", 2: "two"}
    learners = [len(item.content(n).look_fors.learners) for n in item.described_levels]
    educators = [len(item.content(n).look_fors.educators) for n in item.described_levels]
    assert (learners, educators) == ([1, 2, 2, 2], [2, 3, 3, 3])
    [note] = [n for n in item.notes if "gap" in n]
    assert f"{words[max(learners) - learners[0]]} learner-side gap " in note
    assert f"{words[max(educators) - educators[0]]} educator-side gap " in note
