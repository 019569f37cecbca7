"""One AppTest per page against the seeded sample district: its main interaction and its empty state."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import open_page, texts

from dashboard.components.text import plain
from pl_core import store

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "uploads"
# "![x](http://evil.example/t.png)" as typed text reaches Markdown: every punctuation mark escaped, and a word
# joiner after "http" so that GitHub-flavoured Markdown cannot turn the bare URL into a link
ESCAPED_IMAGE = r"\!\[x\]\(http" + "\u2060" + r"\:\/\/evil\.example\/t\.png\)"


def chart_specs(at):
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def stat_cards(at) -> dict[str, str]:
    """Headline cards as {label: value}, read from the page's HTML."""
    html = "".join(h.value for h in at.get("html"))
    return dict(re.findall(r'<div class="lbl">(.*?)</div><div class="val[^"]*">(.*?)</div>', html))


def trace_names(at) -> set[str]:
    return {t.get("name") for spec in chart_specs(at) for t in spec["data"]}


# --- Overview -----------------------------------------------------------------------------------------------------


def test_overview_shows_headline_cards_and_a_strip_per_domain(app):
    at = open_page(app, "views/overview.py", ctx_school="Aspen Elementary", ctx_round="Fall 2026")
    cards = stat_cards(at)
    assert cards["Rounds with data"] == "3"
    assert int(cards["Staff who answered"]) >= 30
    assert cards["Strongest area"] == "Relationships"
    assert [s.value for s in at.subheader] == ["Foundational Practices", "Primary Drivers"]
    assert {"Staff mean", "Leadership consensus"} <= trace_names(at)
    ticks = chart_specs(at)[1]["layout"]["xaxis"]["ticktext"]
    assert [t.replace("<br>", " ") for t in ticks] == [
        "1 Teacher Driven",
        "2 Learner Centered",
        "3 More Learner Centered*",  # a label that is ours reads as ours, with its footnote under the chart
        "4 Learner Driven",
    ]
    assert plain("* label added by PL Diagnostics; the continuum leaves the third column unnamed") in texts(at)


def test_overview_shows_staff_comments_without_who_wrote_them(app):
    at = open_page(app, "views/overview.py", ctx_school="Aspen Elementary", ctx_round="Fall 2026")
    [box] = [e for e in at.expander if e.label.startswith("What staff wrote")]
    quotes = [m.value for m in box.markdown]
    assert quotes and all(q.startswith("> ") for q in quotes)
    assert quotes == sorted(quotes)  # sorted text only: file order could point to a person


def test_overview_comments_cannot_carry_markup(app, tmp_path):
    from pl_core import settings as pl_settings
    from pl_core.frameworks import load_framework
    from pl_core.ingest import read_upload
    from pl_core.services import imports
    from pl_core.services.access import LOCAL

    fw = load_framework("dps-driver-model")
    rows = "".join(
        f"r{i}," + ",".join(["2"] * 14) + (",![x](http://evil.example/t.png)\n" if i == 0 else ",\n") for i in range(6)
    )
    data = ("respondent," + ",".join(fw.item_ids) + ",Comments\n" + rows).encode()
    parsed = read_upload(data, "c.csv", fw, secret=pl_settings.respondent_secret())
    imports.save_import(
        store.make_engine(pl_settings.database_url()),
        LOCAL,
        parsed,
        school="Oak Middle",
        round="Fall 2026",
        framework=fw,
        district="Riverbend School District",
    )
    at = open_page(app, "views/overview.py", ctx_school="Oak Middle", ctx_round="Fall 2026")
    [box] = [e for e in at.expander if e.label.startswith("What staff wrote")]
    [quote] = [m.value for m in box.markdown]
    assert quote == "> " + ESCAPED_IMAGE


def test_overview_empty_state_offers_the_sample_district_and_loads_it(empty_app):
    at = open_page(empty_app, "views/overview.py")
    assert "No staff responses yet" in texts(at)
    at.button(key="empty_load_sample").click().run()
    assert not at.exception
    assert "Rounds with data" in stat_cards(at)


# --- Upload -------------------------------------------------------------------------------------------------------


def test_upload_checks_a_google_forms_export_then_imports_it(app):
    at = open_page(app, "views/upload.py")
    data = (SAMPLE / "dogwood-middle-fall-2026-google-forms.csv").read_bytes()
    at.selectbox(key="upload_school").set_value("Dogwood Middle")
    at.selectbox(key="upload_round").set_value("Fall 2026")
    at.file_uploader[0].set_value(("dogwood.csv", data, "text/csv")).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Resubmissions replaced"] == "2"
    assert "Read as a Google Forms export" in texts(at)
    issues = at.dataframe[-1].value
    assert set(issues["Severity"]) == {"warning"} and set(issues["Type"]) == {"superseded"}
    at.button(key="upload_import").click().run()
    assert "Imported" in texts(at) and "Dogwood Middle \u00b7 Fall 2026" in texts(at)


def test_an_import_whose_stored_answers_would_point_elsewhere_says_so_and_saves_nothing(app, tmp_path, monkeypatch):
    """The import's own check of what it stored (store.integrity), met on the page: the rows are bent to point at a
    person of another school, as a fault in assembling them would; the page says so, and nothing is kept."""
    import sqlite3

    from pl_core.store import imports as store_imports

    with sqlite3.connect(tmp_path / "pl.db") as conn:
        elsewhere = conn.execute(
            "SELECT r.id FROM respondents r JOIN schools s ON s.id = r.school_id WHERE s.name = 'Aspen Elementary'"
        ).fetchone()[0]
        batches = conn.execute("SELECT count(*) FROM import_batches").fetchone()[0]
    assembled = store_imports._response_arrays

    def bent(*args):
        rows = assembled(*args)
        rows.person_ids[0] = elsewhere
        return rows

    monkeypatch.setattr(store_imports, "_response_arrays", bent)
    at = open_page(app, "views/upload.py")
    at.selectbox(key="upload_school").set_value("Dogwood Middle")
    at.selectbox(key="upload_round").set_value("Fall 2026")
    data = (SAMPLE / "dogwood-middle-fall-2026-google-forms.csv").read_bytes()
    at.file_uploader[0].set_value(("dogwood.csv", data, "text/csv")).run()
    at.button(key="upload_import").click().run()
    assert not at.exception
    [error] = [e.value.replace("\\", "") for e in at.error]  # as shown: plain() escapes Markdown's punctuation
    assert "importing 'dogwood.csv': 14 stored answer(s) point nowhere" in error
    assert "14 with a respondent of another school" in error
    assert "nothing was saved" in error and "Imported" not in texts(at)
    with sqlite3.connect(tmp_path / "pl.db") as conn:
        assert conn.execute("SELECT count(*) FROM import_batches").fetchone()[0] == batches


def test_upload_rejects_a_bad_file_with_a_located_report(app):
    at = open_page(app, "views/upload.py")
    bad = b"respondent,Cultur,Mindset\nr1,2,9\n"
    at.file_uploader[0].set_value(("bad.csv", bad, "text/csv")).run()
    table = at.dataframe[-1].value
    assert set(zip(table["Row"].fillna(0).astype(int), table["Column"], table["Type"], strict=True)) >= {
        (1, "Cultur", "unknown-item"),
        (2, "Mindset", "level-out-of-range"),
    }
    assert not [b for b in at.button if b.key == "upload_import"]


def test_upload_empty_state_explains_what_to_upload(empty_app):
    at = open_page(empty_app, "views/upload.py")
    assert "Choose a file" in texts(at)


# --- Workshop: tests/pages/test_workshop_page.py ------------------------------------------------------------


# --- Heatmap ------------------------------------------------------------------------------------------------------


def test_heatmap_by_role_hides_small_groups(app):
    at = open_page(app, "views/heatmap.py", ctx_school="Fir High", ctx_round="Fall 2026")
    specs = chart_specs(at)
    assert len(specs) == 2
    cells = [t for spec in specs for row in spec["data"][0]["text"] for t in row]
    assert "n<5" in cells
    assert any(c and c[0].isdigit() for c in cells)
    assert specs[0]["data"][0]["colorbar"]["ticktext"][0] == "1 Beginning"


def test_heatmap_of_schools_covers_the_district(app):
    at = open_page(app, "views/heatmap.py", ctx_round="Fall 2026")
    at.segmented_control(key="heatmap_view").set_value("school").run()
    columns = [x.replace("<br>", " ") for x in chart_specs(at)[0]["data"][0]["x"]]
    assert columns == [
        "Aspen Elementary",
        "Birch Elementary",
        "Cedar Elementary",
        "Dogwood Middle",
        "Elm Middle",
        "Fir High",
    ]
    at.segmented_control(key="heatmap_versus").set_value("district").run()
    assert chart_specs(at)[0]["data"][0]["colorscale"][0][1].startswith("rgb")  # diverging scale in use
    assert "difference from the district" in texts(at)


def test_heatmap_empty_state(empty_app):
    assert "No staff responses yet" in texts(open_page(empty_app, "views/heatmap.py"))


# --- Distribution -------------------------------------------------------------------------------------------------


def test_distribution_shows_likert_bars_with_missing_apart(app):
    at = open_page(app, "views/distribution.py", ctx_school="Cedar Elementary", ctx_round="Fall 2026")
    names = trace_names(at)
    assert {"1 Beginning", "4 Advanced", "1 Teacher Driven", "Missing / don't know"} <= names
    relative = [spec["layout"].get("barmode") for spec in chart_specs(at)]
    assert relative[:2] == ["relative", "relative"]


def test_distribution_empty_state(empty_app):
    assert "No staff responses yet" in texts(open_page(empty_app, "views/distribution.py"))


# --- Next steps ---------------------------------------------------------------------------------------------------


def test_next_steps_lists_three_with_reasons_and_makes_a_goal(app):
    at = open_page(app, "views/next_steps.py", ctx_school="Elm Middle", ctx_round="Fall 2025")
    headings = [m.value for m in at.markdown if m.value.startswith("### ")]
    assert len(headings) == 3
    assert "Source: Personalized Learning Driver Model" in texts(at)
    first = [b for b in at.button if b.key and b.key.startswith("next_goal_")][0]
    first.click().run()
    assert not at.exception
    assert at.session_state["goal_draft"]["item_id"] == first.key.removeprefix("next_goal_")


def test_next_steps_empty_state(empty_app):
    assert "No staff responses yet" in texts(open_page(empty_app, "views/next_steps.py"))


# --- Goals --------------------------------------------------------------------------------------------------------


def test_goal_created_in_the_form_appears_on_the_timeline(app):
    at = open_page(
        app,
        "views/goals.py",
        ctx_school="Birch Elementary",
        ctx_round="Fall 2026",
        goal_draft={
            "school": "Birch Elementary",
            "round": "Fall 2026",
            "framework": "dps-driver-model",
            "item_id": "strategic-time",
            "baseline": 1.6,
            "steps": [],
        },
    )
    at.text_input[0].input("Protect learner-scheduled time")
    at.text_input[1].input("Ms. Ortiz")
    [b for b in at.form_submit_button if b.label == "Save goal"][0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    gantt = [s for s in chart_specs(at) if s["layout"].get("barmode") == "overlay"][0]
    assert any("Protect learner-scheduled time" in str(t.get("y")) for t in gantt["data"])


def test_goals_empty_state_points_to_next_steps(empty_app):
    at = open_page(empty_app, "views/goals.py")
    assert "Pick a school" in texts(at)


# --- Framework browser --------------------------------------------------------------------------------------------


def test_framework_browser_shows_an_items_continuum_and_steps(app):
    at = open_page(app, "views/framework_browser.py")
    at.selectbox(key="browser_item").set_value("culture").run()
    html = "".join(h.value for h in at.get("html"))
    assert "Learners and teachers do not have high expectations of one another." in html or "1 \u00b7 Beginning" in html
    assert [t.label for t in at.tabs] == [
        "Moving to learner centered",
        "Moving more learner centered",
        "Moving to learner driven",
    ]
    at.button(key="browser_next").click().run()
    assert at.selectbox(key="browser_item").value == "mindset"


def test_framework_browser_switches_framework_from_the_sidebar(app):
    at = open_page(app, "views/framework_browser.py")
    at.sidebar.selectbox(key="ctx_framework").set_value("leap-learning-framework").run()
    assert at.title[0].value == "LEAP Learning Framework"
    assert "The source gives no level descriptors for this item" in texts(at)
