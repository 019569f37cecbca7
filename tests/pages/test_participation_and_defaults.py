"""AppTest: where the app opens, and the response rate (expected staff entered on Upload, shown as counts)."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import open_page, texts

from pl_core import settings, store
from pl_core.frameworks import load_framework
from pl_core.services import imports
from pl_core.services.access import LOCAL

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "uploads"


def stat_cards(at) -> dict[str, str]:
    html = "".join(h.value for h in at.get("html"))
    return dict(re.findall(r'<div class="lbl">(.*?)</div><div class="val[^"]*">(.*?)</div>', html))


def add_upload(school: str, round_name: str, file: str) -> None:
    engine = store.make_engine(settings.database_url())
    parsed = imports.check_upload((SAMPLE / file).read_bytes(), file, load_framework("dps-driver-model"))
    imports.save_import(
        engine, LOCAL, parsed, school=school, round=round_name, framework=load_framework("dps-driver-model")
    )
    engine.dispose()


def test_the_app_opens_on_a_school_with_answers_in_its_latest_round_not_the_newest_round(app):
    add_upload(
        "Birch Elementary", "Spring 2027", "birch-elementary-spring-2026-template.csv"
    )  # a newer round, one school
    app.run()
    assert not app.exception
    assert (app.session_state["ctx_school"], app.session_state["ctx_round"]) == ("Aspen Elementary", "Fall 2026")
    assert "Aspen Elementary \u00b7 Fall 2026" in texts(app)
    assert stat_cards(app)["Staff who answered"] == "34"
    shown = {name: app.query_params[name] for name in ("framework", "school", "round")}  # a link to this view
    assert {k: v if isinstance(v, str) else v[0] for k, v in shown.items()} == {
        "framework": "dps-driver-model",
        "school": "Aspen Elementary",
        "round": "Fall 2026",
    }


def test_the_app_skips_a_first_school_that_has_no_answers_on_the_framework(app):
    pillars = load_framework("pillars-of-pl")
    file = "harbor-k-8-fall-2026-google-forms.csv"
    engine = store.make_engine(settings.database_url())
    parsed = imports.check_upload((SAMPLE / file).read_bytes(), file, pillars)
    imports.save_import(engine, LOCAL, parsed, school="Acacia Primary", round="Fall 2026", framework=pillars)
    engine.dispose()
    app.run()
    assert app.sidebar.selectbox(key="ctx_school").options[0] == "Acacia Primary (no answers)"
    assert (app.session_state["ctx_school"], app.session_state["ctx_round"]) == ("Aspen Elementary", "Fall 2026")


def test_a_link_with_school_and_round_opens_that_view(app):
    app.query_params["school"] = "Cedar Elementary"
    app.query_params["round"] = "Spring 2026"
    app.run()
    assert "Cedar Elementary \u00b7 Spring 2026" in texts(app)


def test_a_link_to_a_school_opens_its_latest_round_with_answers(app):
    add_upload("Birch Elementary", "Spring 2027", "birch-elementary-spring-2026-template.csv")
    app.query_params["school"] = "Cedar Elementary"
    app.run()
    assert "Cedar Elementary \u00b7 Fall 2026" in texts(app)


def test_expected_staff_entered_on_upload_gives_the_overview_and_district_a_response_rate(app):
    at = open_page(app, "views/upload.py", ctx_school="Aspen Elementary", ctx_round="Fall 2026")
    [count] = [n for n in at.number_input if n.label == "Staff expected to answer"]
    count.set_value(40).run()
    at.button(key="upload_save_expected").click().run()
    assert not at.exception
    engine = store.make_engine(settings.database_url())
    assert imports.expected_staff(engine, LOCAL, school="Aspen Elementary", round="Fall 2026") == 40
    at.switch_page("views/overview.py").run()
    assert stat_cards(at)["Response rate"] == "34 of 40 (85%)"  # 34 staff answered in Aspen, Fall 2026
    at.switch_page("views/district.py").run()
    cards = stat_cards(at)
    assert cards["Response rate"] == "34 of 40 (85%)"
    [table] = [d.value for d in at.dataframe if "Expected" in d.value]
    assert table.to_dict("records") == [
        {"School": "Aspen Elementary", "Answered": 34.0, "Expected": 40, "Response rate (%)": 85.0}
    ]
    assert "Response rate by school, Fall 2026" in [e.label for e in at.expander]


def test_without_an_expected_count_the_overview_shows_no_response_rate(app):
    at = open_page(app, "views/overview.py", ctx_school="Aspen Elementary", ctx_round="Fall 2026")
    assert "Response rate" not in stat_cards(at)


def test_a_school_whose_figures_are_all_hidden_is_told_so_not_that_nobody_answered(app, monkeypatch):
    from dashboard.components import data

    real = data.school_scores

    def hidden(framework_id, school):  # what the published figures of a school under the threshold look like
        frame = real(framework_id, school)
        return frame.assign(suppressed=True, n=float("nan"), mean=float("nan"), agreement=float("nan"))

    monkeypatch.setattr(data, "school_scores", hidden)
    for page in ("views/overview.py", "views/distribution.py"):
        at = open_page(app, page, ctx_school="Aspen Elementary", ctx_round="Fall 2026")
        assert "Too few staff answered for Aspen Elementary in Fall 2026" in texts(at)
        assert "No staff responses" not in texts(at) and not at.get("plotly_chart")
