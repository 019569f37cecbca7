"""Framework files: every shipped file loads, its text comes from its seed, and broken files say where."""

import os
import re
import unicodedata
from pathlib import Path

import pytest

from pl_core.cli import main as cli_main
from pl_core.frameworks import (
    FrameworkError,
    broken_frameworks,
    framework_files,
    list_frameworks,
    load_framework,
    parse_framework,
    read_framework_file,
)

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SHIPPED = {p.stem: p for p in framework_files()}


def test_every_framework_file_loads():
    assert set(SHIPPED) >= {"dps-driver-model", "pillars-of-pl", "leap-learning-framework"}
    assert {fw.id for fw in list_frameworks()} >= {"dps-driver-model", "pillars-of-pl", "leap-learning-framework"}
    for stem in SHIPPED:
        assert load_framework(stem).id == stem


def test_frameworks_are_immutable():
    fw = load_framework("pillars-of-pl")
    with pytest.raises(AttributeError):
        fw.name = "changed"
    with pytest.raises(TypeError):
        fw.scales["x"] = None


def test_extra_framework_folder_is_searched(tmp_path, monkeypatch):
    (tmp_path / "district.yaml").write_text(MINIMAL)
    monkeypatch.setenv("PL_FRAMEWORKS_PATH", str(tmp_path))
    assert "district-own" in {fw.id for fw in list_frameworks()}
    assert load_framework("district-own").items[0].descriptors(1) == ("Learners wait to be told what to do.",)


# --- text provenance -------------------------------------------------------------------------------------------

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def fold(text: str) -> str:
    """Fold what PDF extraction changes: quotes, whitespace, bullets, and hyphens at line breaks."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = re.sub(r"[●•]", " ", text)
    text = re.sub(r"(?<=\w)-\s*(?=\w)", "", text)  # "co-\ndesign", "co-design" and "codesign" all fold alike
    return re.sub(r"\s+", " ", text).strip().lower()


MIN_PIECE = 10  # characters; a cell cut by a column or page break leaves pieces at least this long (or a tail)


def found_in_order(sentence: str, seed: str, tries: int = 4) -> bool:
    """True if the sentence is in the seed whole, or as pieces (>= MIN_PIECE chars, any tail) found in order.

    Depth-first over how long each piece is (longest first) and where it occurs (its first `tries`
    places after the previous piece), so a later repeat of common words cannot derail the search.
    """
    if seed.find(sentence) >= 0:
        return True
    seen: set[tuple[int, int]] = set()

    def longest(i: int, pos: int) -> int:
        lo, hi = i, len(sentence)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if seed.find(sentence[i:mid], pos) >= 0:
                lo = mid
            else:
                hi = mid - 1
        return lo - i

    def search(i: int, pos: int) -> bool:
        if i == len(sentence):
            return True
        if (i, pos) in seen:
            return False
        seen.add((i, pos))
        shortest = min(MIN_PIECE, len(sentence) - i)
        for length in range(longest(i, pos), shortest - 1, -1):
            piece = sentence[i : i + length]
            at = seed.find(piece, pos)
            for _ in range(tries):
                if at < 0:
                    break
                if search(i + length, at + length):
                    return True
                at = seed.find(piece, at + 1)
        return False

    return search(0, 0)


def shipped_texts(fw):
    for item in fw.items:
        for level in item.described_levels:
            content = item.content(level)
            for text in content.descriptors:
                yield f"{item.id} level {level} descriptor", text
            if content.statement:
                yield f"{item.id} level {level} statement", content.statement
            if content.look_fors:
                for text in (*content.look_fors.learners, *content.look_fors.educators):
                    yield f"{item.id} level {level} look-for", text
        for move in item.moves:
            for step in move.steps:
                yield f"{item.id} move {move.from_level}->{move.to_level} step", step.text
                for example in step.examples:
                    yield f"{item.id} step example", example


SEED_OF = {
    "dps-driver-model": ["dps-pl-driver-model-continuum.txt", "dps-driver-model-action-steps.txt"],
    "pillars-of-pl": ["pillars-of-personalized-learning.txt"],
    "leap-learning-framework": ["leap-learning-framework-2017.txt"],
}


@pytest.mark.parametrize("framework_id", sorted(SEED_OF))
def test_every_shipped_sentence_comes_from_its_seed(framework_id):
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent, so provenance cannot be checked here")
    if framework_id not in SHIPPED:
        pytest.fail(f"frameworks/{framework_id}.yaml is missing")
    seed = fold(" ".join((SEEDS / name).read_text(encoding="utf-8") for name in SEED_OF[framework_id]))
    fw = load_framework(framework_id)
    texts = list(shipped_texts(fw))
    assert texts, "the framework ships no text at all"
    missing = [(where, text) for where, text in texts if not found_in_order(fold(text), seed)]
    assert missing == []


def test_provenance_check_rejects_invented_text():
    seed = fold("Learners and teachers have\nno opportunities to share\ntheir life experiences with others.")
    assert found_in_order(fold("Learners and teachers have no opportunities to share their life experiences"), seed)
    assert not found_in_order(fold("Learners and teachers have many chances to share"), seed)
    assert not found_in_order(fold("their life experiences with others. Learners and teachers have"), seed)
    split = fold("Instructional design and deliv-  Instructional design and\nery are educator driven. delivery")
    assert found_in_order(fold("Instructional design and delivery are educator driven."), split)


# --- malformed files ------------------------------------------------------------------------------------------

MINIMAL = """\
id: district-own
name: District framework
publisher: Example District
year: 2026
source: {title: Our rubric}
scales:
  - id: four
    name: Four levels
    levels:
      - {number: 1, label: Emerging, short_label: Emerging}
      - {number: 2, label: Developing, short_label: Developing}
      - {number: 3, label: Demonstrating, short_label: Demonstrating}
      - {number: 4, label: Applying, short_label: Applying}
domains:
  - id: practice
    name: Practice
    items:
      - id: voice
        name: Learner Voice
        levels:
          - level: 1
            descriptors: ["Learners wait to be told what to do."]
          - level: 4
            descriptors: ["Learners choose how to show what they know."]
        next_steps:
          - from_level: 1
            to_level: 2
            steps: ["Offer two ways to complete each task."]
"""


def problems_of(text):
    with pytest.raises(FrameworkError) as caught:
        parse_framework(text, "district.yaml")
    return [(p.path, p.line) for p in caught.value.problems], caught.value.problems


def test_minimal_example_validates():
    doc = parse_framework(MINIMAL, "district.yaml")
    assert doc.domains[0].items[0].next_steps[0].steps[0].text == "Offer two ways to complete each task."


def test_missing_levels_key_is_reported_with_path_and_line():
    text = MINIMAL.replace("        levels:\n          - level: 1\n", "        levelz:\n          - level: 1\n", 1)
    located, problems = problems_of(text)
    assert ("domains[0].items[0].levels", 18) in located
    assert ("domains[0].items[0].levelz", 20) in located
    assert all(p.file == "district.yaml" for p in problems)


def test_level_outside_the_scale_is_reported():
    located, problems = problems_of(MINIMAL.replace("- level: 4", "- level: 5"))
    assert located == [("domains[0].items[0].levels[1].level", 23)]
    assert "not on scale 'four' [1, 2, 3, 4]" in problems[0].message


def test_duplicate_item_id_is_reported():
    second = MINIMAL[MINIMAL.index("      - id: voice") :]
    located, _ = problems_of(MINIMAL + second)
    assert located == [("domains[0].items[1].id", 29)]


def test_unknown_key_is_reported():
    located, problems = problems_of(MINIMAL.replace("    name: Practice\n", "    name: Practice\n    colour: red\n"))
    assert located == [("domains[0].colour", 17)]
    assert "unknown key" in problems[0].message


def test_yaml_syntax_error_names_the_line():
    located, problems = problems_of(MINIMAL.replace("name: Practice", "name: [Practice"))
    assert problems[0].path == "" and "YAML syntax error" in problems[0].message
    assert located[0][1] is not None


def test_every_mistake_is_listed_not_just_the_first():
    text = MINIMAL.replace("year: 2026", "year: twenty").replace(
        "    name: Practice\n", "    name: Practice\n    x: 1\n"
    )
    located, _ = problems_of(text)
    assert {path for path, _ in located} == {"year", "domains[0].x"}


def test_schema_and_cross_file_mistakes_are_reported_together():
    text = MINIMAL.replace("    name: Practice\n", "    name: Practice\n    colour: red\n").replace(
        "- level: 4", "- level: 7"
    )
    located, problems = problems_of(text)
    assert {path for path, _ in located} == {"domains[0].colour", "domains[0].items[0].levels[1].level"}


def test_validate_command_prints_summary_or_errors(tmp_path, capsys):
    good = tmp_path / "good.yaml"
    good.write_text(MINIMAL)
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace("- level: 4", "- level: 9"))
    assert cli_main(["validate", str(good)]) == 0
    out = capsys.readouterr().out
    assert "district-own: 1 domains, 1 items, four: 4 levels, 2 descriptors, 1 next steps" in out
    assert cli_main(["validate", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "domains[0].items[0].levels[1].level" in out


def test_default_validate_covers_every_shipped_file(capsys):
    assert cli_main(["validate"]) == 0
    out = capsys.readouterr().out
    assert out.count("ok   ") == len(SHIPPED)


def test_readme_example_is_the_minimal_file_and_validates():
    readme = (Path(__file__).resolve().parents[1] / "frameworks" / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    doc = parse_framework(example, "README example")
    assert doc.id == "district-own" and doc.domains[0].items[0].levels[1].level == 4


# --- labels that are ours --------------------------------------------------------------------------------------

OURS_SCALE = MINIMAL.replace(
    "      - {number: 2, label: Developing, short_label: Developing}\n",
    "      - {number: 2, label: Developing, short_label: Dev, ours: true}\n",
).replace(
    "    name: Four levels\n", "    name: Four levels\n    ours_note: label added by us; the rubric names three\n"
)


def test_a_level_marked_ours_carries_its_mark_and_the_files_footnote(tmp_path):
    path = tmp_path / "ours.yaml"
    path.write_text(OURS_SCALE)
    scale = read_framework_file(path).scales["four"]
    assert scale.ours_levels == (2,)
    assert (scale.level(2).ours, scale.level(1).ours) == (True, False)
    assert scale.marked_label(2) == "Developing*" and scale.marked_label(2, short=True) == "Dev*"
    assert scale.marked_label(1) == "Emerging" and scale.label(2) == "Developing"
    assert scale.legend(short=True) == (("Emerging", "Dev*", "Demonstrating", "Applying"), scale.footnote())
    assert scale.footnote() == "* label added by us; the rubric names three"
    assert scale.footnote([3, 4]) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (OURS_SCALE.replace("    ours_note: label added by us; the rubric names three\n", ""), "add `ours_note:`"),
        (OURS_SCALE.replace(", ours: true}", "}"), "no level is marked `ours: true`"),
    ],
    ids=["ours-without-footnote", "footnote-without-ours"],
)
def test_ours_labels_and_their_footnote_come_together(text, expected):
    located, problems = problems_of(text)
    assert located == [("scales[0]", 7)]
    assert expected in problems[0].message


def test_a_file_can_name_what_its_alignment_codes_refer_to():
    text = MINIMAL.replace("source: {title: Our rubric}\n", "source: {title: Our rubric}\naligned_to: {name: State}\n")
    assert parse_framework(text).aligned_to.name == "State"
    assert parse_framework(MINIMAL).aligned_to is None


# --- broken files cost only themselves ---------------------------------------------------------------------------

BROKEN_FILES = {
    "draft-level-off-scale.yaml": (
        MINIMAL.replace("- level: 4", "- level: 9"),
        "domains[0].items[0].levels[1].level",
        23,
    ),
    "bad-date.yaml": (MINIMAL.replace("year: 2026", "year: 2026-13-45"), "year", 4),
    "self-alias.yaml": (MINIMAL.replace("name: Practice", "name: &x [*x]"), "domains[0].name", 16),
    "copy-of-dps.yaml": (MINIMAL.replace("id: district-own", "id: dps-driver-model"), "id", None),
}


@pytest.fixture
def framework_folder(tmp_path, monkeypatch):
    """A PL_FRAMEWORKS_PATH folder with one good file and one broken file of each kind."""
    (tmp_path / "good.yaml").write_text(MINIMAL)
    for name, (text, _, _) in BROKEN_FILES.items():
        (tmp_path / name).write_text(text)
    monkeypatch.setenv("PL_FRAMEWORKS_PATH", str(tmp_path))
    return tmp_path


def test_broken_files_are_skipped_and_the_good_ones_listed(framework_folder):
    assert {fw.id for fw in list_frameworks()} == {"dps-driver-model", "pillars-of-pl", "leap-learning-framework"} | {
        "district-own"
    }
    assert load_framework("dps-driver-model").path.startswith(str(Path(__file__).resolve().parents[1]))


@pytest.mark.parametrize("name", sorted(BROKEN_FILES))
def test_each_broken_file_is_listed_with_where_its_problem_is(framework_folder, name):
    broken = {path.name: problems for path, problems in broken_frameworks()}
    assert set(broken) == set(BROKEN_FILES)
    _, path, line = BROKEN_FILES[name]
    problems = broken[name]
    assert problems and all(p.file == str(framework_folder / name) for p in problems)
    assert (problems[0].path, problems[0].line) == (path, line)


def test_loading_by_id_skips_broken_files_with_that_id(framework_folder):
    # draft-level-off-scale.yaml sorts before good.yaml and has the same id; the good file is the one loaded.
    assert load_framework("district-own").path == str((framework_folder / "good.yaml").resolve())
    assert load_framework("good").id == "district-own"


def test_loading_a_broken_file_by_its_name_says_what_is_wrong(framework_folder):
    with pytest.raises(FrameworkError) as caught:
        load_framework("draft-level-off-scale")
    assert [p.path for p in caught.value.problems] == ["domains[0].items[0].levels[1].level"]


def test_a_second_file_with_a_shipped_id_is_broken_not_a_silent_replacement(framework_folder):
    [problem] = dict(broken_frameworks())[framework_folder / "copy-of-dps.yaml"]
    assert "already used by" in problem.message and "dps-driver-model.yaml" in problem.message


def test_a_folder_named_twice_does_not_make_its_files_duplicates(framework_folder, monkeypatch):
    monkeypatch.setenv("PL_FRAMEWORKS_PATH", os.pathsep.join([str(framework_folder), str(framework_folder)]))
    assert sorted(path.name for path, _ in broken_frameworks()) == sorted(BROKEN_FILES)


def test_validate_reports_every_file_and_fails_the_broken_ones(framework_folder, capsys):
    assert cli_main(["validate"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("ok   ") for line in lines) == len(SHIPPED) + 1
    failed = {line.split()[1].rstrip(":") for line in lines if line.startswith("FAIL ")}
    assert failed == {str(framework_folder / name) for name in BROKEN_FILES}
    assert f"  - {framework_folder / 'bad-date.yaml'}:4: year: YAML value error: month must be in 1..12" in "\n".join(
        lines
    )
