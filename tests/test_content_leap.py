"""Content checks for the LEAP Learning Framework (Spring 2017 Edition) transcription.

Every expected string below was written out by hand from
/work/shared/seeds/leap-learning-framework-2017.txt (lines re-joined where the PDF
wrapped them, ELEMENTS sidebar text removed where it interrupts a strategy list,
curly quotes straightened).
"""

import pytest

from pl_core.frameworks import load_framework

FRAMEWORK_ID = "leap-learning-framework"

# Components (domains) and their elements (items), in the order the file lists them.
ELEMENTS = {
    "learner-focused": [
        "lf-develop-deep-understanding-of-needs-interests-strengths",
        "lf-experience-learning-that-is-relevant-contextualized",
    ],
    "learner-led": [
        "ll-co-design-their-learning-experiences",
        "ll-articulate-their-interests-strengths-and-needs",
        "ll-assess-monitor-and-reflect-on-their-own-progress",
        "ll-partner-in-setting-their-learning-goals-and-plans",
        "ll-advocate-for-support-from-teachers-peers-technology",
    ],
    "learner-demonstrated": [
        "ld-begin-at-a-level-appropriate-to-their-prior-knowledge",
        "ld-engage-in-productive-struggle",
        "ld-progress-at-a-pace-that-fits-their-learning-needs",
        "ld-demonstrate-competency-when-ready",
        "ld-demonstrate-evidence-of-learning-in-multiple-ways",
        "ld-receive-recognition-based-on-demonstrated-competency",
    ],
    "learner-connected": [
        "lc-collaborate-with-peers-family-educators-and-others",
        "lc-cultivate-meaningful-relationships",
        "lc-advance-personal-opportunities-through-connections",
        "lc-engage-in-real-world-experiences",
        "lc-earn-valued-recognition-for-demonstrated-competencies",
    ],
}
ALL_ITEMS = [item for items in ELEMENTS.values() for item in items]
STRATEGIES_PER_ELEMENT = 5  # every element in the source has exactly five strategies


@pytest.fixture(scope="module")
def fw():
    return load_framework(FRAMEWORK_ID)


def _steps(fw, item_id):
    move = fw.item(item_id).move_from(1)
    assert move is not None, f"{item_id} has no strategies"
    return move.steps


# (item_id, strategy text, its example) -- one or more per element.
STRATEGIES = [
    # Learner Focused
    (
        "lf-develop-deep-understanding-of-needs-interests-strengths",
        "Review available information regarding learners' prior academic performance (e.g. testing, work samples and portfolios)",
        "A teacher reviews a historical portfolio of a learner's prior performance that includes sample work and areas of success or struggle, and reviews it with the learner to confirm the findings.",
    ),
    (
        "lf-experience-learning-that-is-relevant-contextualized",
        "Offer flexible modalities, groupings and times/places for learning to help meet individual learner needs, strengths and interests while balancing these individual needs with the needs of the class community",
        'A teacher has several "centers" set up in his classroom for learners to learn about reducing fractions. They can watch a video, practice with an online program, use manipulatives, work with a partner on a worksheet or do a mini-lesson with a teacher.',
    ),
    # Learner Led
    (
        "ll-co-design-their-learning-experiences",
        "Allow learners to choose their best learning place and medium to work on their goal",
        'During an ELA block, two teachers open up their doors and create one quiet and one "active conversation" room that students can choose between for their work.',
    ),
    (
        "ll-co-design-their-learning-experiences",
        "Enable learners to choose with whom to work based on goals and needed expertise",
        "A class creates a peer working group and identifies adult mentors for their upcoming projects.",
    ),
    (
        "ll-articulate-their-interests-strengths-and-needs",
        "Offer tools to help learners identify their own interests, strengths, needs and preferences (e. g., interest inventories, checklists, reflection exercises)",
        "Over the course of six weeks (beginning at the start of the school year or when a new learner arrives), teachers and learners complete several inventories to identify learning drivers and gaps.",
    ),
    (
        "ll-assess-monitor-and-reflect-on-their-own-progress",
        "Help learners reflect upon their learning strategies and efforts, as well as the result of those strategies and efforts in regard to meeting desired learning goals",
        "A teacher helps a learner reflect on her use of a reading strategy, and then the learner chooses to try a new strategy from a given list.",
    ),
    (
        "ll-partner-in-setting-their-learning-goals-and-plans",
        "Support learners to imagine a desired future and then think through what challenges they will need to overcome to attain it",
        "A teaching team has learners complete a WOOP (Wish, Outcome, Obstacles, Plan) template at the start of each month.",
    ),
    (
        "ll-advocate-for-support-from-teachers-peers-technology",
        "Establish routines for regular learner-led conferences",
        "A teacher sets up a rotation of short, five-minute check-ins with learners throughout the week for them to vocalize their progress and needed supports. Experienced learners teach others how to be more effective in learner-led conferences.",
    ),
    # Learner Demonstrated
    (
        "ld-begin-at-a-level-appropriate-to-their-prior-knowledge",
        'Assess learners during the first parts of any lesson/unit to determine the starting points on their learning paths, then continue with dynamic, fluid grouping changes to prevent "tracking"',
        "A teacher starts each class with an entrance ticket to check for understanding, and then creates dynamic groups for mini-lessons or independent work that learners can opt into based on their needs.",
    ),
    (
        "ld-engage-in-productive-struggle",
        "Provide feedback that is objective and non-judgmental to reinforce a learner's sense of control for improving his/her mastery",
        'A teacher eliminates all language from his feedback that denotes fixed conditions such as "you\'re smart" or "you\'re talented."',
    ),
    (
        "ld-progress-at-a-pace-that-fits-their-learning-needs",
        "Clarify deadlines about the pace of progress and what happens when learners take a longer or shorter time than peers",
        "As students work through content at their own pace, the teacher provides a suggested pace guide which explains to students by when they should master different concepts. It also explains the different supports that will be given to students who are not keeping up with the pace guide.",
    ),
    (
        "ld-demonstrate-competency-when-ready",
        "Coach learners to self-reflect on their level of competency",
        "A teacher has his learners rate their perceived level of mastery in their journals on a daily basis to build self-awareness.",
    ),
    (
        "ld-demonstrate-evidence-of-learning-in-multiple-ways",
        "Partner with learners to select the content, product or process they will use to demonstrate proficiency, as well as devise the methods that will be used to show evidence of their learning",
        "A teacher and learner work together to develop learning plans, including goals, strategies for learning, tools needed and how learning will be demonstrated.",
    ),
    (
        "ld-receive-recognition-based-on-demonstrated-competency",
        "Change classroom policies for learning recognition and progression that take into account varying speeds of learner competency",
        "A teacher removes the weekly summative assessment on the same standard for all learners, and she implements a new system with flexibility \u2013 but with set expectations \u2013 around when learners demonstrate competency.",
    ),
    (
        "ld-receive-recognition-based-on-demonstrated-competency",
        "Provide learners with copies of standards/objectives to keep in their digital data binder. Learners can record when each standard/objective is taught, learned, mastered, etc.",
        "A teacher models for and supports science learners to design and develop their digital data binder over time.",
    ),
    # Learner Connected
    (
        "lc-collaborate-with-peers-family-educators-and-others",
        'Set expectations and support for the development of "team" skills (e.g., negotiation, conflict resolution, giving and receiving feedback, and assertion)',
        "A teacher shares a formal rubric of team skills that teammates on a project then use to score each other for formative feedback.",
    ),
    (
        "lc-cultivate-meaningful-relationships",
        "Hold community meetings across the school to celebrate and share",
        "The art department runs monthly gallery walks for the entire school to see each other's work and provide feedback to each other.",
    ),
    (
        "lc-cultivate-meaningful-relationships",
        "Create zones of safety that provide scaffolding for pursuing new relationships and opportunities",
        "A teacher mentors a learner through the process of contacting a company for an internship and pursuing the opportunity, offering constructive feedback along the way.",
    ),
    (
        "lc-advance-personal-opportunities-through-connections",
        "Model skills to locate and manage social connections and proper responses in the professional world",
        "A teacher incorporates lessons of professional networking to learners prior to the start of a cross-school collaboration project.",
    ),
    (
        "lc-engage-in-real-world-experiences",
        "Co-design opportunities with learners for advocacy and independent study in the workplace, community and online",
        "Teachers partner with advocacy groups and connect learners with those that match their interests.",
    ),
    (
        "lc-earn-valued-recognition-for-demonstrated-competencies",
        "Expand dual-enrollment and credit programs with partner institutions and third-party organizations",
        "Teachers formalize dual-credit options with the local community college and professional organizations to help students build their college transcript.",
    ),
    (
        "lc-earn-valued-recognition-for-demonstrated-competencies",
        "Work directly with outside mentors and experts to identify measurable criteria and how it can be demonstrated",
        "Teachers converse with engineers from a local firm/factory to identify key skills and co-develop how they can be appropriately assessed at the fifth-grade level.",
    ),
]

# (item_id, position of the strategy on its page (1-based), strategy text)
STRATEGY_ORDER = [
    ("lc-cultivate-meaningful-relationships", 3, "Hold community meetings across the school to celebrate and share"),
    (
        "lc-cultivate-meaningful-relationships",
        4,
        "Create zones of safety that provide scaffolding for pursuing new relationships and opportunities",
    ),
    (
        "lc-earn-valued-recognition-for-demonstrated-competencies",
        3,
        "Expand dual-enrollment and credit programs with partner institutions and third-party organizations",
    ),
    (
        "lc-earn-valued-recognition-for-demonstrated-competencies",
        5,
        "Identify target skills and how gains will be validated",
    ),
    (
        "ll-co-design-their-learning-experiences",
        1,
        "Collaborate with learners to develop standards-aligned activities to meet their learning goals",
    ),
    (
        "lf-develop-deep-understanding-of-needs-interests-strengths",
        1,
        "Co-design a milestone map with learners on their past experiences and future goals/dreams",
    ),
    (
        "ld-progress-at-a-pace-that-fits-their-learning-needs",
        1,
        "Create learning menus and vertical alignment of activities",
    ),
]

GUIDING_QUESTIONS = [
    (
        "lf-develop-deep-understanding-of-needs-interests-strengths",
        "How might educators support learners in developing a deep understanding of needs, interests and strengths?",
    ),
    (
        "lf-experience-learning-that-is-relevant-contextualized",
        "How might educators support learners in experiencing learning that is relevant, contextualized and designed for their individual needs, interests and strengths?",
    ),
    (
        "ll-co-design-their-learning-experiences",
        "How might educators support learners in co-designing their learning experiences?",
    ),
    (
        "ll-assess-monitor-and-reflect-on-their-own-progress",
        "How might educators support learners in assessing, monitoring and reflecting on their own progress?",
    ),
    (
        "ll-advocate-for-support-from-teachers-peers-technology",
        "How might educators support learners in advocating for support from teachers, peers, technology and other sources?",
    ),
    (
        "ld-receive-recognition-based-on-demonstrated-competency",
        "How might educators support learners in receiving recognition based on demonstrated competency (not seat time)?",
    ),
    (
        "lc-cultivate-meaningful-relationships",
        "How might educators support learners in cultivating meaningful relationships?",
    ),
    (
        "lc-engage-in-real-world-experiences",
        "How might educators support learners in engaging in real-world experiences to develop academic knowledge, community engagement, workplace experience and global citizenship?",
    ),
    (
        "lc-earn-valued-recognition-for-demonstrated-competencies",
        "How might educators support learners in earning valued recognition for all demonstrated competencies (regardless of where and when it happens)?",
    ),
]

COMPONENT_DEFINITIONS = [
    (
        "learner-focused",
        "Learner Focused",
        "Empower learners to understand their needs, strengths, interests and approaches to learning",
    ),
    ("learner-led", "Learner Led", "Entrust learners to take ownership of their learning"),
    (
        "learner-demonstrated",
        "Learner Demonstrated",
        "Enable learners to progress at their own pace based on demonstrated competencies",
    ),
    (
        "learner-connected",
        "Learner Connected",
        "Learning transcends location in relevant and valued ways, connected to families, educators, communities and networks",
    ),
]


@pytest.mark.parametrize("item_id, strategy, example", STRATEGIES)
def test_strategy_is_listed_under_its_element_with_its_example(fw, item_id, strategy, example):
    steps = _steps(fw, item_id)
    matches = [s for s in steps if s.text == strategy]
    assert len(matches) == 1, f"{strategy!r} not found exactly once under {item_id}"
    assert list(matches[0].examples) == [example]


def test_every_element_from_the_seed_is_covered_by_the_strategy_table():
    assert {item for item, _, _ in STRATEGIES} == set(ALL_ITEMS)


@pytest.mark.parametrize("item_id, position, strategy", STRATEGY_ORDER)
def test_strategies_keep_page_order_where_the_sidebar_interrupts_them(fw, item_id, position, strategy):
    assert _steps(fw, item_id)[position - 1].text == strategy


@pytest.mark.parametrize("item_id, question", GUIDING_QUESTIONS)
def test_guiding_question_joins_the_heading_and_the_element_question(fw, item_id, question):
    assert fw.item(item_id).guiding_question == question


@pytest.mark.parametrize("domain_id, name, definition", COMPONENT_DEFINITIONS)
def test_each_core_component_carries_its_definition(fw, domain_id, name, definition):
    domain = fw.domain(domain_id)
    assert domain.name == name
    assert domain.description == definition


def test_framework_has_four_core_components_with_their_elements(fw):
    assert [d.id for d in fw.domains] == list(ELEMENTS)
    for domain_id, items in ELEMENTS.items():
        assert [i.id for i in fw.items_in(domain_id)] == items


def test_framework_has_eighteen_elements_and_ninety_strategies(fw):
    assert len(fw.items) == 18
    assert sum(len(_steps(fw, i)) for i in ALL_ITEMS) == 90


@pytest.mark.parametrize("item_id", ALL_ITEMS)
def test_each_element_has_one_strategies_list_of_five_with_one_example_each(fw, item_id):
    item = fw.item(item_id)
    assert len(item.moves) == 1
    move = item.moves[0]
    assert move.from_level is None and move.to_level is None
    assert move.label == "Strategies"
    assert len(move.steps) == STRATEGIES_PER_ELEMENT
    for step in move.steps:
        assert len(step.examples) == 1
        assert not step.examples[0].startswith("Example")


@pytest.mark.parametrize("item_id", ALL_ITEMS)
def test_no_element_has_level_descriptors_because_leap_has_no_continuum(fw, item_id):
    item = fw.item(item_id)
    assert item.described_levels == ()
    for level in (1, 2, 3, 4):
        assert item.descriptors(level) == ()


def test_strategies_are_offered_as_next_steps_below_the_top_level(fw):
    item = fw.item("ld-engage-in-productive-struggle")
    for level in (1, 2, 3):
        assert (
            item.next_steps(level)[0].text
            == "Provide feedback that is objective and non-judgmental to reinforce a learner's sense of control for improving his/her mastery"
        )


def test_scale_is_the_pl_diagnostics_four_level_implementation_scale(fw):
    scale = fw.scales["implementation"]
    assert [lv.label for lv in scale.levels] == ["Not Yet", "Emerging", "Developing", "Embedded"]
    assert any("PL Diagnostics" in n and "not LEAP" in n for n in scale.notes)


def test_source_metadata_names_the_spring_2017_edition(fw):
    assert fw.name == "LEAP Learning Framework"
    assert fw.short_name == "LEAP"
    assert fw.publisher == "LEAP Innovations"
    assert fw.year == 2017
    assert fw.source.edition == "Spring 2017 Edition"
    assert fw.source.file == "leap-learning-framework-2017.txt"


def test_no_strategy_text_carries_bullets_or_curly_quotes(fw):
    for item_id in ALL_ITEMS:
        for step in _steps(fw, item_id):
            for text in (step.text, *step.examples):
                assert not text.startswith(("\u25cf", "\u2022", "-"))
                assert not any(ch in text for ch in "\u2018\u2019\u201c\u201d")
