"""The DPS Personalized Learning Driver Model continuum, checked cell by cell against the source.

Every expected text below was reconstructed by hand from
/work/shared/seeds/dps-pl-driver-model-continuum.txt, where the PDF's table columns are
interleaved line by line and some cells run over a page break.
"""

from __future__ import annotations

import pytest

from pl_core.frameworks import load_framework

FRAMEWORK_ID = "dps-driver-model"

FOUNDATIONAL_ITEMS = ("relationships", "culture", "mindset", "metacognition")
DRIVER_ITEMS = (
    "learner-profile-data",
    "goal-setting-progress-monitoring",
    "learner-as-lead",
    "learner-collaboration",
    "strategic-space",
    "strategic-tech",
    "strategic-time",
    "strategic-community",
    "competency-based-progression",
    "demonstration-of-learning",
)

# Paragraph counts per level (1-4) as printed in the source.
DESCRIPTOR_COUNTS = {
    "relationships": (3, 3, 3, 3),
    "culture": (6, 6, 5, 6),
    "mindset": (2, 2, 3, 3),
    "metacognition": (1, 1, 1, 1),
    "learner-profile-data": (2, 3, 3, 3),
    "goal-setting-progress-monitoring": (3, 3, 4, 4),
    "learner-as-lead": (3, 3, 3, 3),
    "learner-collaboration": (3, 2, 2, 2),
    "strategic-space": (2, 2, 2, 2),
    "strategic-tech": (2, 2, 2, 2),
    "strategic-time": (3, 3, 2, 2),
    "strategic-community": (2, 2, 2, 2),
    "competency-based-progression": (4, 5, 4, 4),
    "demonstration-of-learning": (1, 3, 3, 3),
}

CELLS = [
    # Relationships: the three columns of row 1 are consecutive blocks; row 3 is assigned by progression.
    ("relationships", 1, "Learners and teachers have no opportunities to share their life experiences with others."),
    (
        "relationships",
        3,
        "The learning environment is flexible and occasionally serves to build relationships and serving as a safe, caring and trusting home for everyone.",
    ),
    (
        "relationships",
        3,
        "Learners and teachers have high expectations of one another and understand their own personal biases.",
    ),
    (
        "relationships",
        4,
        "Learners and teachers have high expectations of one another and challenge each other's biases as they cultivate stronger relationships.",
    ),
    # Culture: routines cells run over the page break into the bias and empathy paragraphs.
    (
        "culture",
        2,
        "Teachers are beginning to be aware of their biases and how it impacts their practice and pedagogy.",
    ),
    (
        "culture",
        3,
        "Learners and teacher co-design many of the classroom routines and structures to support restorative classroom practices, to foster learner freedom and choices, and inclusivity.",
    ),
    (
        "culture",
        4,
        "Learners and teachers co-design all of the classroom routines and structures to support restorative classroom practices, to foster learner freedom and choices, and a culturally inclusive environment.",
    ),
    ("culture", 1, "Teachers demonstrate limited awareness of empathetic actions for learners."),
    (
        "culture",
        3,
        "Teachers demonstrate empathetic actions for most learners, considering race, ethnicity, FRL, gender identity, special education, ability, sexual orientation, ELL, religion.",
    ),
    # Mindset
    (
        "mindset",
        1,
        "Stakeholders (learners, families, educators, school leaders) have not discussed their mindsets around learner agency, growth mindset, and the role of the teacher/learner.",
    ),
    (
        "mindset",
        3,
        "These shared mindsets are often used to guide the decisions and actions taken by all members of the community, with occasional situations in which individual or community actions do not align with these mindsets.",
    ),
    # Metacognition: the Proficient cell continues on the next page.
    (
        "metacognition",
        1,
        "Teacher is aware of the importance of metacognitive skills and sometimes models metacognitive practices in his or her own instruction. Teacher uses simple, age-appropriate scaffolds to support the development of metacognitive skills, but they focus on cognitively passive strategies.",
    ),
    (
        "metacognition",
        3,
        "Discussions about and reflection on metacognitive strategies are infused in classroom culture. Learners collaborate with teachers and with each other to identify and implement successful strategies as a routine part of the learning process. They are aware of a variety of strategies and begin to differentiate the circumstances/subject areas where particular strategies are applicable and effective.",
    ),
    # Learner Profile Data: More Learner Centered and Learner Driven share lines.
    (
        "learner-profile-data",
        3,
        "The learner's families are aware of the profile and may have opportunities to provide input.",
    ),
    (
        "learner-profile-data",
        4,
        "Learner creates and regularly adjusts their learner profile with teacher and peer guidance as they recognize growth and changes in their assets, interests, preferences and needs. Learner uses the updated learner profile to drive their learning. Teacher uses the profile to best support the learner-driven learning path and ensures it follows the learner throughout the years.",
    ),
    ("learner-profile-data", 4, "All stakeholders are aware of the profile and can provide input."),
    # Goal Setting & Progress Monitoring: cells interleave and run over the page break.
    (
        "goal-setting-progress-monitoring",
        1,
        "Teacher occasionally uses data to monitor progress toward goals. Progress may not be regularly shared with learner and their families.",
    ),
    (
        "goal-setting-progress-monitoring",
        2,
        "These goals are communicated to learner and families, but they do not have input on the goals.",
    ),
    ("goal-setting-progress-monitoring", 3, "Teacher and learner discuss and monitor learning goals."),
    (
        "goal-setting-progress-monitoring",
        3,
        "Families are aware of and may have some input on goal creation and learner progress toward meeting their goals.",
    ),
    (
        "goal-setting-progress-monitoring",
        4,
        "Teacher and learner discuss and monitor learning goals frequently. The learner regularly reflects upon their learning and makes adjustments to their goals and strategies to meet their goals as needed.",
    ),
    # Learner as Lead: all four columns interleave line by line.
    (
        "learner-as-lead",
        1,
        "Teacher closely follows a curriculum and occasionally makes adjustments based on the needs of a few learners or groups of learners in each class.",
    ),
    (
        "learner-as-lead",
        2,
        "Teacher has a deep understanding of the curriculum and standards and makes instructional decisions based on the needs of a few learners or groups of learners in each class.",
    ),
    (
        "learner-as-lead",
        3,
        "Teacher varies their teaching method depending on the content and needs of the learners, and may include a variety of independent and collaborative classroom structures.",
    ),
    (
        "learner-as-lead",
        4,
        "Leveraging a deep understanding of the standards, curriculum and learner profile information, the teacher works with each learner to ensure all are supported to meet their learning goals as well as creating an environment in which learners drive the direction of the learning. (ex: universal design for learning).",
    ),
    # Learner Collaboration
    (
        "learner-collaboration",
        3,
        "Learners regularly evaluate peers' arguments and/or reasoning, ask each other questions that exhibit higher-level thinking, and provide support for one another to master learning goals.",
    ),
    (
        "learner-collaboration",
        1,
        "The teacher is the only person asking questions that exhibit low to moderate-level thinking and provides answers to the class.",
    ),
    # Strategic Space: the last two columns interleave.
    (
        "strategic-space",
        3,
        "Learners have some opportunities to make choices about where they learn best and their choices may or may not be appropriate to achieving their learning goals.",
    ),
    (
        "strategic-space",
        4,
        "Learners frequently make appropriate choices and utilize the environment as needed to achieve their learning goals.",
    ),
    # Strategic Tech: the first two columns interleave.
    (
        "strategic-tech",
        1,
        "Technology is used as a substitute for more traditional learning opportunities (ex: replacing a worksheet).",
    ),
    (
        "strategic-tech",
        2,
        "Technology is occasionally used to access or engage in learning experiences that would not be possible without the technology (ex: virtual field trips).",
    ),
    # Strategic Time: three columns interleave.
    (
        "strategic-time",
        1,
        "Learners' schedules are decided within the master schedule and the schedule lacks flexibility for the teacher and learner to make adjustments.",
    ),
    (
        "strategic-time",
        2,
        "Teachers make small changes to their classroom schedules to ensure tight transitions, high rigor and solid time of uninterrupted learning for learners.",
    ),
    (
        "strategic-time",
        3,
        "The master schedule allots for adults to move to support all students' needs. All educators have one focus: use all time to the maximum for high rigor learning to accelerate learning for all students focused on their individual needs.",
    ),
    (
        "strategic-time",
        3,
        "Teachers and learners collaborate and evaluate data and other information to determine when learners are best suited for a specific subject. The teachers understand the attention span of the learners and make the necessary considerations to allow for maximum time for learning/engagement.",
    ),
    # Strategic Community
    (
        "strategic-community",
        1,
        "Other than traditional-style field trips, learning experiences never or rarely include community resources or partnerships.",
    ),
    (
        "strategic-community",
        2,
        "Learners occasionally have access to experiences that include community resources and partnerships, but have little to no opportunity to choose experiences that connect to their learning needs and interests.",
    ),
    ("strategic-community", 3, "Teachers engage learner input about community resources and partnerships."),
    ("strategic-community", 4, "Teachers and learners co-design the use of community resources and partnerships."),
    # Competency Based Progression: Learner Centered and More Learner Centered interleave.
    (
        "competency-based-progression",
        2,
        "Learners begin in differentiated small groups based on similar prior knowledge, learner profile information, and assessment data.",
    ),
    (
        "competency-based-progression",
        3,
        "Leveraging learner profile information, formative assessment data, and a shared understanding of the standards-aligned learning progression, teachers and learners co-design pathways to reach targets and negotiate evidence needed to demonstrate competency.",
    ),
    (
        "competency-based-progression",
        1,
        "Learners receive some differentiated support based on progress toward proficiency and their learning needs.",
    ),
    # Demonstration of Learning: two columns interleave.
    (
        "demonstration-of-learning",
        2,
        "Teachers scaffold the demonstrations of learning into discrete skills that learners can demonstrate.",
    ),
    (
        "demonstration-of-learning",
        3,
        "With support, learners are able to show their learning in increasingly complex ways; they are able to apply their knowledge to real-world situations.",
    ),
    (
        "demonstration-of-learning",
        4,
        "Learners leverage a deep understanding of the skills needed to both plan and best demonstrate their learning.",
    ),
]


@pytest.fixture(scope="module")
def framework():
    return load_framework(FRAMEWORK_ID)


@pytest.mark.parametrize(("item_id", "level", "text"), CELLS)
def test_source_cell_is_a_descriptor_at_its_level(framework, item_id, level, text):
    assert text in framework.item(item_id).descriptors(level)


def test_cells_cover_every_item(framework):
    assert {item_id for item_id, _, _ in CELLS} == set(framework.item_ids)


def test_framework_has_the_fourteen_items_of_the_source_in_order(framework):
    assert framework.item_ids == FOUNDATIONAL_ITEMS + DRIVER_ITEMS


def test_foundational_practices_use_the_beginning_to_advanced_scale(framework):
    for item_id in FOUNDATIONAL_ITEMS:
        item = framework.item(item_id)
        assert item.domain == "foundational-practices"
        assert [item.scale.label(n) for n in item.scale.numbers] == [
            "Beginning",
            "Developing",
            "Proficient",
            "Advanced",
        ]


def test_primary_drivers_use_the_teacher_driven_to_learner_driven_scale(framework):
    for item_id in DRIVER_ITEMS:
        item = framework.item(item_id)
        assert item.domain == "primary-drivers"
        assert item.scale.label(1) == "Teacher Driven"
        assert item.scale.label(2) == "Learner Centered"
        assert item.scale.label(4) == "Learner Driven"


@pytest.mark.parametrize("item_id", FOUNDATIONAL_ITEMS + DRIVER_ITEMS)
def test_every_item_describes_all_four_columns(framework, item_id):
    assert framework.item(item_id).described_levels == (1, 2, 3, 4)


@pytest.mark.parametrize(("item_id", "counts"), sorted(DESCRIPTOR_COUNTS.items()))
def test_each_level_has_as_many_descriptors_as_the_source_prints(framework, item_id, counts):
    item = framework.item(item_id)
    assert tuple(len(item.descriptors(level)) for level in (1, 2, 3, 4)) == counts


@pytest.mark.parametrize("item_id", FOUNDATIONAL_ITEMS + DRIVER_ITEMS)
def test_moves_are_absent_or_the_three_steps_of_the_action_steps_document(framework, item_id):
    # The continuum itself has no moves; the action steps are merged in from a separate
    # document that gives one move per column boundary (1->2, 2->3, 3->4).
    moves = framework.item(item_id).moves
    assert len(moves) in (0, 3)
    assert all((m.from_level, m.to_level) in {(1, 2), (2, 3), (3, 4)} for m in moves)


def test_strategic_time_has_no_leap_alignment_because_the_source_prints_none(framework):
    assert framework.item("strategic-time").alignment == ()
    assert framework.item("relationships").alignment == ("LE.1", "LE.2", "LE.3", "P.1")


def test_groups_follow_the_four_primary_drivers(framework):
    groups = {g.id: g.item_ids for g in framework.domain("primary-drivers").groups}
    assert groups == {
        "learner-paths": ("learner-profile-data", "goal-setting-progress-monitoring"),
        "evolving-roles": ("learner-as-lead", "learner-collaboration"),
        "strategic-resource-use": ("strategic-space", "strategic-tech", "strategic-time", "strategic-community"),
        "developing-demonstrating-competencies": ("competency-based-progression", "demonstration-of-learning"),
    }


def test_descriptors_carry_no_bullets_or_curly_quotes(framework):
    for item in framework.items:
        for level in item.described_levels:
            for text in item.descriptors(level):
                assert not any(ch in text for ch in "●•’‘“”"), text
