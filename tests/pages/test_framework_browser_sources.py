"""Framework browser: labels that are ours are marked, DPS alignment codes say whose, broken files are named."""

from __future__ import annotations

import re

from conftest import open_page, texts

GOOD = """\
id: district-own
name: District framework
publisher: Example District
source: {title: Our rubric}
scales:
  - id: two
    name: Two levels
    levels:
      - {number: 1, label: Start, short_label: Start}
      - {number: 2, label: Further, short_label: Further}
domains:
  - id: practice
    name: Practice
    items:
      - id: voice
        name: Learner Voice
        levels:
          - {level: 1, descriptors: ["Learners wait to be told what to do."]}
"""

# Five problems: a level off the scale, then four unknown keys.
BROKEN = GOOD.replace("level: 1,", "level: 7,").replace(
    "    name: Practice\n", "    name: Practice\n    colour: red\n    size: 2\n    shape: x\n    mood: y\n"
)


def as_read(text: str) -> str:
    """Markdown as people read it: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", text)


def browse(app, item: str | None = None, framework: str | None = None):
    at = open_page(app, "views/framework_browser.py")
    if framework:
        at.sidebar.selectbox(key="ctx_framework").set_value(framework).run()
    if item:
        at.selectbox(key="browser_item").set_value(item).run()
    assert not at.exception
    return at


def html_of(at) -> str:
    return "".join(h.value for h in at.get("html"))


def test_dps_foundational_headers_mark_our_middle_labels_and_the_footnote_says_why(app):
    at = browse(app, item="culture")
    html = html_of(at)
    assert "1 \u00b7 Beginning</div>" in html and "4 \u00b7 Advanced</div>" in html
    assert re.search(r"2 \u00b7 Developing<abbr title=\"\* label added by PL Diagnostics[^\"]*\">\*</abbr>", html)
    assert re.search(r"3 \u00b7 Proficient<abbr title=\"[^\"]*\">\*</abbr>", html)
    footnote = "* label added by PL Diagnostics; the source names only the first and last columns (Beginning, Advanced)"
    assert footnote in as_read(texts(at))


def test_dps_driver_headers_mark_only_the_third_column(app):
    at = browse(app, item="learner-profile-data")
    html = html_of(at)
    assert "2 \u00b7 Learner Centered</div>" in html
    assert re.search(r"3 \u00b7 More Learner Centered<abbr title=\"[^\"]*Learner Centered 3[^\"]*\">\*</abbr>", html)
    assert "Moving from Learner Centered to More Learner Centered*" in as_read(texts(at))


def test_about_lists_each_scale_with_marked_labels(app):
    at = browse(app)
    read = as_read(texts(at))
    assert (
        "**Foundational practice continuum:** 1 Beginning \u2192 2 Developing* \u2192 3 Proficient* \u2192 4 Advanced"
        in read
    )
    assert "3 More Learner Centered* \u2192 4 Learner Driven" in read


def test_dps_alignment_codes_are_headed_dps_leap_not_leap(app):
    at = browse(app, item="relationships")
    markdown = [m.value for m in at.markdown]
    assert "**DPS LEAP alignment:** `LE.1` `LE.2` `LE.3` `P.1`" in [as_read(m) for m in markdown]
    assert not any(m.startswith("**LEAP alignment") for m in markdown)
    assert "not LEAP Innovations' LEAP Learning Framework" in as_read(texts(at))


def test_leap_implementation_labels_are_all_marked_ours(app):
    at = browse(app, framework="leap-learning-framework")
    read = as_read(texts(at))
    assert "1 Not Yet*, 2 Emerging*, 3 Developing*, 4 Embedded*" in read
    assert "* label added by PL Diagnostics; the LEAP Learning Framework has no continuum or rating levels" in read


def test_pillars_labels_are_the_sources_so_nothing_is_marked(app):
    at = browse(app, framework="pillars-of-pl")
    assert "label added by PL Diagnostics" not in texts(at)
    assert "<abbr" not in html_of(at)


def test_a_broken_framework_file_is_named_with_its_first_problems_and_the_rest_still_shown(app, tmp_path, monkeypatch):
    folder = tmp_path / "frameworks"
    folder.mkdir()
    (folder / "good.yaml").write_text(GOOD)
    (folder / "broken.yaml").write_text(BROKEN)
    monkeypatch.setenv("PL_FRAMEWORKS_PATH", str(folder))
    at = browse(app)
    [warning] = [as_read(w.value) for w in at.warning]
    assert "1 framework file(s) could not be loaded" in warning
    assert f"**broken.yaml** in {folder}: line 14, domains[0].colour: unknown key" in warning
    assert "domains[0].mood" not in warning  # the fourth and fifth problems are counted, not listed
    assert "(and 2 more)" in warning
    options = at.sidebar.selectbox(key="ctx_framework").options
    assert {"DPS Driver Model", "District framework"} <= set(options)
    at = browse(app, framework="district-own")
    assert at.title[0].value == "District framework"


def test_no_warning_when_every_framework_file_loads(app):
    assert not browse(app).warning


def _continuum_script(framework_id: str, item_id: str) -> None:
    from dashboard.components.continuum import levels_side_by_side
    from pl_core.frameworks import load_framework

    levels_side_by_side(load_framework(framework_id).item(item_id))


def _continuum(framework_id: str, item_id: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_continuum_script, args=(framework_id, item_id)).run()
    assert not at.exception
    return at


def test_a_continuum_with_labels_of_ours_carries_their_footnote_under_it():
    at = _continuum("dps-driver-model", "culture")
    assert [as_read(c.value) for c in at.caption] == [
        "* label added by PL Diagnostics; the source names only the first and last columns (Beginning, Advanced)"
    ]


def test_a_continuum_of_source_labels_has_no_footnote():
    assert not _continuum("pillars-of-pl", "learner-voice").caption
