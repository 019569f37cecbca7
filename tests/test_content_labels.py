"""Labels that are PL Diagnostics' own are marked as ours, and codes that belong to another framework say whose.

Expectations are written by hand from the seeds: the DPS continuum heads its columns
"Beginning → → Advanced" and "Teacher Driven → Learner Centered → → Learner Driven"; the Pillars rubric
pages head theirs "Emerging Developing Demonstrating Applying"; the LEAP Learning Framework has no levels.
"""

import pytest

from pl_core.frameworks import load_framework


@pytest.fixture(scope="module")
def dps():
    return load_framework("dps-driver-model")


@pytest.mark.parametrize(
    ("framework_id", "scale_id", "ours"),
    [
        ("dps-driver-model", "foundational", ["Developing", "Proficient"]),
        ("dps-driver-model", "driver", ["More Learner Centered"]),
        ("pillars-of-pl", "pillars", []),
        ("leap-learning-framework", "implementation", ["Not Yet", "Emerging", "Developing", "Embedded"]),
    ],
)
def test_exactly_the_labels_the_source_does_not_give_are_marked_ours(framework_id, scale_id, ours):
    scale = load_framework(framework_id).scales[scale_id]
    assert [lv.label for lv in scale.levels if lv.ours] == ours


def test_dps_foundational_legend_marks_the_middle_labels_and_says_what_the_source_names(dps):
    legend = dps.scales["foundational"].legend(numbered=True)
    assert legend.labels == ("1 Beginning", "2 Developing*", "3 Proficient*", "4 Advanced")
    assert legend.footnote == (
        "* label added by PL Diagnostics; the source names only the first and last columns (Beginning, Advanced)"
    )


def test_dps_driver_legend_marks_only_the_unnamed_third_column(dps):
    scale = dps.scales["driver"]
    assert scale.legend().labels == ("Teacher Driven", "Learner Centered", "More Learner Centered*", "Learner Driven")
    assert "Learner Centered 3" in scale.legend().footnote
    assert scale.footnote([1, 2]) is None  # a view of the source-named columns only needs no footnote


def test_pillars_labels_are_all_the_sources_so_no_footnote():
    scale = load_framework("pillars-of-pl").scales["pillars"]
    assert scale.legend().labels == ("Emerging", "Developing", "Demonstrating", "Applying")
    assert scale.legend().footnote is None


def test_leap_implementation_labels_are_ours_and_the_footnote_says_leap_has_no_levels():
    scale = load_framework("leap-learning-framework").scales["implementation"]
    assert scale.legend().labels == ("Not Yet*", "Emerging*", "Developing*", "Embedded*")
    assert scale.legend().footnote == (
        "* label added by PL Diagnostics; the LEAP Learning Framework has no continuum or rating levels"
    )


def test_every_ours_label_is_explained_in_a_scale_note_too():
    for framework_id in ("dps-driver-model", "leap-learning-framework"):
        for scale in load_framework(framework_id).scales.values():
            ours = [lv.label for lv in scale.levels if lv.ours]
            if len(ours) == len(scale.levels):  # the whole scale is ours: one note says so
                assert any(note.startswith("This scale") and "PL Diagnostics'" in note for note in scale.notes)
            for label in ours if len(ours) < len(scale.levels) else []:
                assert any(label in note and "PL Diagnostics' own" in note for note in scale.notes), label


# --- DPS alignment codes are Denver's LEAP, not LEAP Innovations' -----------------------------------------------


def test_dps_alignment_codes_are_named_dps_leap(dps):
    assert dps.aligned_to.name == "DPS LEAP"
    assert dps.alignment_name == "DPS LEAP alignment"
    assert "Denver Public Schools" in dps.aligned_to.title
    assert "not LEAP Innovations" in dps.aligned_to.title


def test_dps_leap_name_is_not_the_short_name_of_the_leap_learning_framework(dps):
    leap = load_framework("leap-learning-framework")
    assert leap.short_name == "LEAP"
    assert dps.alignment_name != f"{leap.short_name} alignment"
    assert leap.aligned_to is None and all(item.alignment == () for item in leap.items)


def test_dps_notes_say_the_alignment_naming_is_ours(dps):
    assert any("PL Diagnostics' own" in note and "LEAP Innovations" in note for note in dps.aligned_to.notes)
