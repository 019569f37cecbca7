"""AppTest of the District page: the sample district, a bigger synthetic one, and an empty database."""

from __future__ import annotations

import re

import pytest
from conftest import APP, TIMEOUT, open_page, texts
from html_table import read_table
from streamlit.testing.v1 import AppTest

from pl_core import settings, store
from pl_core.fixtures import bigsample

PAGE = "views/district.py"
SAMPLE_DOGWOOD = "Dogwood Middle"


def grid(at: AppTest):
    """The schools x items table: one row per school, one column per item (tests/html_table.py)."""
    [html] = [h.value for h in at.get("html") if 'data-testid="school-grid"' in h.value]
    return read_table(html)


def grid_schools(at: AppTest) -> list[str]:
    return [row[0][1] for row in grid(at).rows]


def stat_cards(at: AppTest) -> dict[str, str]:
    html = "".join(h.value for h in at.get("html"))
    return dict(re.findall(r'<div class="lbl">(.*?)</div><div class="val[^"]*">(.*?)</div>', html))


def frames(at: AppTest) -> dict[str, object]:
    return {d.proto.id: d.value for d in at.dataframe} if at.dataframe else {}


def frame(at: AppTest, *columns: str):
    """The one table on the page whose columns include `columns`."""
    [found] = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    return found


def test_district_page_shows_every_school_of_the_round_in_the_heatmap(app):
    at = open_page(app, PAGE, ctx_round="Fall 2026")
    table = grid(at)
    assert [h for scope, h in table.headers if scope == "colgroup"] == ["Foundational Practices", "Primary Drivers"]
    assert [h for scope, h in table.headers if scope == "col"][:2] == ["School", "Relationships"]
    assert set(grid_schools(at)) == {
        "Aspen Elementary",
        "Birch Elementary",
        "Cedar Elementary",
        "Dogwood Middle",
        "Elm Middle",
        "Fir High",
    }
    assert not at.get("plotly_chart")  # the page loads no chart library
    assert stat_cards(at)["Schools with answers"] == "6"


def test_district_page_ranks_growth_and_names_cedars_leadership_gap_first(app):
    at = open_page(app, PAGE, ctx_round="Fall 2026")
    growth, gaps = frame(at, "School", "Growth"), frame(at, "School", "Mean gap")
    assert list(growth.columns[:3]) == ["School", "Spring 2026", "Fall 2026"]
    assert growth["Growth"].is_monotonic_decreasing and len(growth) == 6
    # the sample district's Cedar Elementary leadership team rates itself far above its staff
    assert gaps["School"].iloc[0] == "Cedar Elementary" and gaps["Mean gap"].iloc[0] > 0.5


def test_district_page_lists_the_sample_goals_with_a_status(app):
    at = open_page(app, PAGE, ctx_round="Fall 2026")
    goals = frame(at, "School", "Goal", "Status")
    assert len(goals) >= 1
    assert set(goals["Status"]) <= {"behind", "on track", "ahead", "achieved", "done", "not yet measured", "paused"}
    assert "Goals behind plan" in stat_cards(at)


def test_district_page_first_round_has_no_growth_to_show(app):
    at = open_page(app, PAGE, ctx_round="Fall 2025")
    assert "first round with answers" in texts(at)


def test_district_page_empty_state(empty_app):
    at = open_page(empty_app, PAGE)
    assert "No staff responses yet" in texts(at)
    assert not at.get("plotly_chart")


@pytest.fixture
def big_app(tmp_path, monkeypatch):
    """The app on a synthetic district of 40 schools, 8 staff each, with PL_MIN_GROUP_SIZE raised to 9."""
    import streamlit as st

    db = tmp_path / "big.db"
    monkeypatch.setenv("PL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PL_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("PL_MIN_GROUP_SIZE", "9")
    engine = store.make_engine(settings.database_url())
    store.upgrade(engine)
    bigsample.build_district(engine, schools=40, staff=8, rounds=2)
    engine.dispose()
    st.cache_data.clear()
    st.cache_resource.clear()
    yield AppTest.from_file(APP, default_timeout=TIMEOUT)
    st.cache_data.clear()
    st.cache_resource.clear()


def test_district_page_with_many_schools_shows_the_lowest_first_and_hides_small_groups(big_app):
    at = open_page(big_app, PAGE, ctx_round="Spring 2026")
    rows = grid(at).rows
    assert len(rows) == 30  # the lowest 30 of 40, not every school at once
    # every school has 8 staff and the minimum group is 9: every cell is hidden, none shows a figure
    assert {(kind.split()[0], text) for row in rows for kind, text in row[1:]} == {("hidden", "n<9")}
    assert "Cells with fewer than 9 answers are hidden" in texts(at)
    assert "420 cell(s) hidden: fewer than 9 staff answered." in texts(at)  # 30 schools x 14 items
    at.segmented_control(key="district_show").set_value("all").run()
    assert len(grid(at).rows) == 40


AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-secret",
    "client_id": "pl",
    "client_secret": "pl",
    "server_metadata_url": "http://127.0.0.1:1/.well-known/openid-configuration",
}


def test_district_page_shows_a_coach_only_their_own_schools(app):
    from pl_core.store import users

    engine = store.make_engine(settings.database_url())
    users.add_user(
        engine, "cole@district.org", users.COACH, name="Cole", schools=["Aspen Elementary", "Cedar Elementary"]
    )
    engine.dispose()
    app.secrets["auth"] = AUTH
    app.user = {"is_logged_in": True, "email": "cole@district.org"}
    at = open_page(app, PAGE, ctx_round="Fall 2026")
    assert set(grid_schools(at)) == {"Aspen Elementary", "Cedar Elementary"}
    listed = {school for d in at.dataframe if "School" in d.value for school in d.value["School"]}
    assert listed <= {"Aspen Elementary", "Cedar Elementary"} and "Cedar Elementary" in listed
    assert stat_cards(at)["Schools with answers"] == "2"
