"""The principal's and coach's journeys end to end in real Chromium, as a person takes them.

- goal: on a school that is not the first and a round that is not the newest, Next steps -> "Make this a
  goal" -> Save keeps that school and round (the saved goal is read back through the service);
- presentation: with the sidebar hidden, previous / next and the page picker move between pages and keep
  the context; tables are large;
- keyboard only: a goal is created, and a file uploaded and imported, without the mouse.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import launch_chromium, settled
from conftest import streamlit_server as serve

from pl_core import store
from pl_core.frameworks import load_framework
from pl_core.services import goals as goal_service
from pl_core.services import imports
from pl_core.services.access import LOCAL

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "uploads"

playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


@pytest.fixture(scope="module")
def served(seeded_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("journeys")
    db = folder / "pl.db"
    shutil.copy(seeded_db, db)
    with serve(db, folder) as url:
        yield url, store.make_engine(f"sqlite:///{db}")


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        chromium = launch_chromium(p)
        yield chromium
        chromium.close()


def main_caption(page) -> str:
    return page.get_by_test_id("stMain").get_by_test_id("stCaptionContainer").first.inner_text()


def pick(page, label: str, option: str) -> None:
    """Choose `option` in the sidebar's selectbox `label` as a person does: open it, type, press Enter."""
    box = page.get_by_test_id("stSidebar").get_by_role("combobox", name=label)
    box.click()
    box.fill(option)
    page.keyboard.press("Enter")
    settled(page)


CUT_TEXT = """selector => Array.from(document.querySelectorAll(selector))
  .filter(e => e.scrollWidth > e.clientWidth + 1 || getComputedStyle(e).textOverflow === 'ellipsis')
  .map(e => e.innerText)"""


def heading(page, text: str) -> None:
    page.get_by_role("heading", name=text, level=1).wait_for(timeout=30_000)
    settled(page)


# --- goal ---------------------------------------------------------------------------------------------------------


def test_make_this_a_goal_keeps_the_school_and_round_the_person_chose(served, browser):
    url, engine = served
    dps = load_framework("dps-driver-model")
    before = {g.id for g in goal_service.goals(engine, LOCAL)}
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(url)
    settled(page)
    assert main_caption(page).startswith("Aspen Elementary \u00b7 Fall 2026")  # the first school, the newest round
    pick(page, "School", "Cedar Elementary")
    pick(page, "Round", "Spring 2026")
    page.get_by_test_id("stSidebar").get_by_role("link", name="Next steps").click()
    heading(page, "Next steps")
    assert main_caption(page).startswith("Cedar Elementary \u00b7 Spring 2026")
    # every step the team can commit to reads whole, never cut to one line ending in "..."
    assert page.get_by_test_id("stCheckbox").count() >= 3
    # (Streamlit cuts a label in columns with the stMarkdownContainer's text-overflow: components/theme.py undoes it)
    assert page.evaluate(CUT_TEXT, '[data-testid="stCheckbox"] [data-testid="stMarkdownContainer"]') == []
    first = page.get_by_role("heading", level=3).filter(has_text="1. ").first.inner_text()
    item = next(i for i in dps.items if i.name == first.removeprefix("1. ").strip())
    page.get_by_role("button", name="Make this a goal").first.click()
    heading(page, "Goals & timeline")
    assert "school=Cedar+Elementary" in page.url and "round=Spring+2026" in page.url
    assert "For Cedar Elementary \u00b7 baseline round Spring 2026" in page.get_by_test_id("stForm").first.inner_text()
    page.locator('[data-testid="stMultiSelect"] span[title]').first.wait_for(timeout=30_000)  # the steps carried over
    assert page.evaluate(CUT_TEXT, '[data-testid="stMultiSelect"] span[title]') == []
    page.get_by_role("button", name="Save goal").click()
    settled(page)
    page.get_by_text("Goals of Cedar Elementary from start to target date").wait_for(timeout=30_000)
    [saved] = [g for g in goal_service.goals(engine, LOCAL) if g.id not in before]
    assert (saved.school, saved.baseline_round, saved.item_id) == ("Cedar Elementary", "Spring 2026", item.id)
    assert page.get_by_test_id("stSidebar").get_by_role("combobox", name="School").input_value() == "Cedar Elementary"
    page.close()


# --- presentation ---------------------------------------------------------------------------------------------------


def test_presentation_mode_moves_between_pages_and_keeps_the_context(served, browser):
    url, _ = served
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"{url}/heatmap?school=Birch+Elementary&round=Spring+2026")
    settled(page)
    page.get_by_test_id("stSidebar").get_by_text("Presentation mode").click()
    page.get_by_role("button", name="Exit presentation mode").wait_for()  # the toggle's run has drawn the page
    settled(page)
    assert not page.get_by_test_id("stSidebar").is_visible()
    page.get_by_role("link", name="Next: District").click()
    heading(page, "District")
    assert "school=Birch+Elementary" in page.url and "round=Spring+2026" in page.url
    cells = page.locator('[data-testid="stTable"] td:visible')  # the growth table (the others are folded)
    cells.first.wait_for(timeout=30_000)
    sizes = cells.evaluate_all("cells => cells.map(c => parseFloat(getComputedStyle(c).fontSize))")
    assert min(sizes) >= 20, sizes  # presentation tables: 20 px or more, as HTML that wraps
    assert page.locator('[data-testid="stDataFrame"]').count() == 0  # no grid that cuts columns to "La..."
    page.get_by_role("link", name="Previous: Heatmap").click()
    heading(page, "Heatmap")
    box = page.get_by_role("combobox", name="Go to page")
    box.click()
    box.fill("Goals & timeline")
    page.keyboard.press("Enter")
    heading(page, "Goals & timeline")
    assert main_caption(page).startswith("Birch Elementary")
    assert not page.get_by_test_id("stSidebar").is_visible()  # still presenting
    page.get_by_role("button", name="Exit presentation mode").click()
    settled(page)
    page.get_by_test_id("stSidebar").wait_for(state="visible", timeout=30_000)
    page.close()


# --- keyboard only --------------------------------------------------------------------------------------------------

# The focused control's name: its label, or the text of a button or link (never a container's whole text)
FOCUSED_LABEL = """() => {
  const e = document.activeElement;
  if (!e) return "";
  if (e.getAttribute("aria-label")) return e.getAttribute("aria-label");
  const control = e.tagName === "BUTTON" || e.tagName === "A" || e.getAttribute("role") === "button";
  return control ? (e.innerText || "").trim() : "";
}"""


def tab_to(page, wanted: str, limit: int = 150, inside: str | None = None) -> None:
    """Press Tab until the focused control is named `wanted` (its label or text starts with it), or lies `inside`."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        name = page.evaluate(FOCUSED_LABEL)
        seen.append(name[:40])
        if inside and page.evaluate(f"() => !!document.activeElement.closest('{inside}')"):
            return
        # a button's text starts with its icon's name (a ligature, e.g. "check"): look at every line
        if not inside and any(line.strip().startswith(wanted) for line in name.split("\n")):
            return
    raise AssertionError(f"Tab never reached {wanted!r}; focus went through {seen[-30:]}")


def test_a_goal_is_created_with_the_keyboard_alone(served, browser):
    url, engine = served
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(f"{url}/goals?school=Dogwood+Middle&round=Fall+2026")
    settled(page)
    heading(page, "Goals & timeline")
    tab_to(page, "Goal name")
    page.keyboard.press("Control+A")
    page.keyboard.type("Learners lead their conferences")
    tab_to(page, "Owner")
    page.keyboard.type("Mr. Reyes")
    tab_to(page, "Save goal")
    page.keyboard.press("Enter")
    settled(page)
    page.get_by_text("Goals of Dogwood Middle from start to target date").wait_for(timeout=30_000)
    [goal] = goal_service.goals(engine, LOCAL, school="Dogwood Middle")
    assert (goal.title, goal.owner, goal.baseline_round) == (
        "Learners lead their conferences",
        "Mr. Reyes",
        "Fall 2026",
    )
    page.close()


def test_a_file_is_uploaded_and_imported_with_the_keyboard_alone(served, browser):
    url, engine = served
    before = set(imports.import_history(engine, LOCAL, school="Elm Middle")["batch_id"])
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(f"{url}/upload?school=Elm+Middle&round=Fall+2026")
    settled(page)
    heading(page, "Upload staff self-assessments")
    tab_to(page, "Staff expected to answer")
    page.keyboard.type("45")
    page.keyboard.press("Enter")
    settled(page)
    tab_to(page, "the file uploader's button", inside='[data-testid="stFileUploader"]')
    # A keyboard user's file dialog: the file is chosen for the control that has the focus.
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        str(SAMPLE / "elm-middle-fall-2026-template.csv")
    )
    settled(page)
    page.get_by_text("No problems found.").wait_for(timeout=60_000)
    tab_to(page, "Import ")
    page.keyboard.press("Enter")
    settled(page)
    page.get_by_text("Imported 235 answers from 17 respondents for Elm Middle").wait_for(timeout=60_000)
    history = imports.import_history(engine, LOCAL, school="Elm Middle")
    latest = history.iloc[0]
    assert latest["batch_id"] not in before
    assert (latest["round"], latest["file_name"], latest["status"]) == (
        "Fall 2026",
        "elm-middle-fall-2026-template.csv",
        "active",
    )
    assert imports.expected_staff(engine, LOCAL, school="Elm Middle", round="Fall 2026") == 45
    page.close()
