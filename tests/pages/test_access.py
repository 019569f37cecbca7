"""Who may see what, through the app: AppTest with `at.user` for each role in shared mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import TIMEOUT, open_page, texts
from streamlit.testing.v1 import AppTest

from pl_core import settings, store
from pl_core.services import access as auth
from pl_core.store import users
from pl_core.store import workshops as ws

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-secret",
    "client_id": "pl",
    "client_secret": "pl",
    "server_metadata_url": "http://127.0.0.1:1/.well-known/openid-configuration",
}
ADMIN, COACH, PRINCIPAL = "ada@district.org", "cole@district.org", "pat@aspen.example.org"
ALL_SCHOOLS = [
    "Aspen Elementary",
    "Birch Elementary",
    "Cedar Elementary",
    "Dogwood Middle",
    "Elm Middle",
    "Fir High",
    "Harbor K-8",
]


@pytest.fixture
def shared(app):
    """The seeded app in shared mode, with an admin, a coach (Aspen, Birch) and Aspen's principal."""
    engine = store.make_engine(settings.database_url())
    users.add_user(engine, ADMIN, users.DISTRICT_ADMIN, name="Ada")
    users.add_user(engine, COACH, users.COACH, name="Cole", schools=["Aspen Elementary", "Birch Elementary"])
    users.add_user(engine, PRINCIPAL, users.PRINCIPAL, name="Pat", schools=["Aspen Elementary"])
    app.secrets["auth"] = AUTH
    return app


def signed_in(at: AppTest, email: str | None) -> AppTest:
    at.user = {"is_logged_in": True, "email": email} if email else {"is_logged_in": False}
    return at


def school_options(at: AppTest) -> list[str]:
    """The sidebar's schools, without the "(no answers)" mark of schools with no answers on the framework."""
    return [o.removesuffix(" (no answers)") for o in at.sidebar.selectbox(key="ctx_school").options]


def page_text_everywhere(at: AppTest) -> str:
    html = "".join(h.value for h in at.get("html"))
    charts = "".join(c.proto.spec for c in at.get("plotly_chart"))
    return texts(at) + html + charts + json.dumps([str(s.options) for s in at.selectbox])


def test_nobody_signed_in_sees_only_the_way_in(shared):
    at = signed_in(shared, None)
    at.run()
    assert not at.exception
    assert "Sign in" in [b.label for b in at.button]
    shown = page_text_everywhere(at)
    assert not any(school in shown for school in ALL_SCHOOLS)


def test_unknown_account_is_told_it_has_no_access(shared):
    at = signed_in(shared, "stranger@example.com")
    at.run()
    assert "has not been given access" in texts(at)
    assert not any(school in page_text_everywhere(at) for school in ALL_SCHOOLS)


def test_principal_sees_only_their_school(shared):
    at = signed_in(shared, PRINCIPAL)
    at = open_page(at, "views/overview.py")
    assert school_options(at) == ["Aspen Elementary"]
    assert "Aspen Elementary \u00b7" in texts(at)
    assert "principal" in texts(at)
    at.switch_page("views/heatmap.py")
    at.run()
    at.segmented_control(key="heatmap_view").set_value("school").run()
    columns = {c for spec in at.get("plotly_chart") for c in json.loads(spec.proto.spec)["data"][0]["x"]}
    columns = {c.replace("<br>", " ") for c in columns}  # long names wrap onto two lines
    assert columns == {"Aspen Elementary"}


def _ask_for_another_school() -> None:
    import streamlit as st

    from dashboard.components import data
    from pl_core.services import access as auth

    try:
        data.school_scores("dps-driver-model", "Birch Elementary")
    except auth.AccessDenied as exc:
        st.error(f"refused: {exc}")
    else:
        st.success("served")


def test_dashboard_reads_refuse_a_school_outside_the_principals(shared):
    at = AppTest.from_function(_ask_for_another_school, default_timeout=TIMEOUT)
    at.session_state["access_viewer"] = auth.Viewer(
        email=PRINCIPAL, role=auth.PRINCIPAL, schools=frozenset({"Aspen Elementary"})
    )
    at.run()
    assert [e.value for e in at.error] == [
        "refused: your account does not give access to 'Birch Elementary'; ask a district administrator to assign "
        "it to you"
    ]
    at.session_state["access_viewer"] = auth.Viewer(email=ADMIN, role=auth.DISTRICT_ADMIN)
    at.run()
    assert [s.value for s in at.success] == ["served"]


def test_coach_sees_the_assigned_schools(shared):
    at = signed_in(shared, COACH)
    at = open_page(at, "views/overview.py")
    assert school_options(at) == ["Aspen Elementary", "Birch Elementary"]


def test_admin_sees_every_school_and_manages_users(shared):
    at = signed_in(shared, ADMIN)
    at = open_page(at, "views/admin.py")
    assert school_options(at) == ALL_SCHOOLS
    emails = list(at.dataframe[0].value["Email"])
    assert emails == sorted([ADMIN, COACH, PRINCIPAL])
    at.text_input[0].input("new@district.org")
    at.form_submit_button[0].click().run()
    assert not at.exception
    engine = store.make_engine(settings.database_url())
    assert users.get_user(engine, "new@district.org") is not None


def test_admin_page_refuses_a_principal(shared):
    at = signed_in(shared, PRINCIPAL)
    at.run()
    page = AppTest.from_file(
        str(Path(__file__).resolve().parents[2] / "dashboard" / "views" / "admin.py"), default_timeout=TIMEOUT
    )
    page.session_state["access_viewer"] = auth.Viewer(
        email=PRINCIPAL, role=auth.PRINCIPAL, schools=frozenset({"Aspen Elementary"})
    )
    page.run()
    assert "Not allowed" in texts(page)
    assert not page.dataframe


def test_workshop_participant_needs_no_account(shared):
    engine = store.make_engine(settings.database_url())
    workshop = ws.open_workshop(
        engine,
        school="Birch Elementary",
        round="Fall 2026",
        framework=__import__("pl_core.frameworks", fromlist=["x"]).load_framework("dps-driver-model"),
        items=["culture"],
    )
    at = signed_in(shared, None)
    at.run()
    at.switch_page("views/workshop.py")
    at.run()
    assert not at.exception
    at.text_input[0].input(workshop.code)
    at.text_input[1].input("Rosa")
    at.form_submit_button[0].click().run()
    assert not at.exception
    assert ws.participants(engine, workshop.id) == ["Rosa"]
    assert not at.sidebar.selectbox  # no school pickers, no data


def test_local_mode_says_sign_in_is_off(app):
    at = open_page(app, "views/overview.py")
    assert "Sign-in is off (local mode)" in texts(at) + "".join(c.value for c in at.sidebar.caption)


EVERY_PAGE = [
    "overview",
    "distribution",
    "heatmap",
    "district",
    "workshop",
    "next_steps",
    "goals",
    "upload",
    "export",
    "framework_browser",
]


@pytest.mark.parametrize("email", [PRINCIPAL, COACH])
@pytest.mark.parametrize("page", EVERY_PAGE)
def test_no_page_shows_a_school_outside_the_viewers(shared, email, page):
    at = signed_in(shared, email)
    at = open_page(at, f"views/{page}.py")
    allowed = {"Aspen Elementary"} if email == PRINCIPAL else {"Aspen Elementary", "Birch Elementary"}
    if page == "heatmap":  # the view that would show every school, if anything did
        at.segmented_control(key="heatmap_view").set_value("school").run()
    shown = page_text_everywhere(at).replace("<br>", " ")
    assert not at.exception
    assert [s for s in ALL_SCHOOLS if s in shown and s not in allowed] == []


def test_users_page_is_not_offered_to_a_coach(shared):
    at = signed_in(shared, COACH)
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page for .*admin.py"):
        at.switch_page("views/admin.py")  # not registered for a coach: there is no way to reach it
    admin = signed_in(shared, ADMIN)
    admin.run()
    admin.switch_page("views/admin.py")  # registered for an admin
    admin.run()
    assert admin.title[0].value == "Users & access"
