"""Users and roles in the database, authorisation checks and checked services, and `pl-diag users`."""

from __future__ import annotations

import argparse
import hashlib
from dataclasses import replace
from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest

from pl_core.cli import UserError as CliUserError
from pl_core.cli.common import db_option
from pl_core.cli.users import add_parsers as add_users_parser
from pl_core.domain.goals import Goal, Milestone
from pl_core.frameworks import load_framework
from pl_core.services import access as auth
from pl_core.services import catalog, imports, rounds, scores, users
from pl_core.services import goals as goal_service
from pl_core.services import workshops as workshop_service
from pl_core.services.access import LOCAL, AccessDenied, Viewer
from pl_core.services.releases import republish_all
from pl_core.store import goals as goal_store
from pl_core.store import users as user_store
from pl_core.store import workshops as ws
from pl_core.store.users import UserError

FW = load_framework("dps-driver-model")
ADMIN = Viewer("ada@district.org", "district_admin")
ASPEN_PRINCIPAL = Viewer("pat@aspen.org", "principal", frozenset({"Aspen Elementary"}))
COACH = Viewer("cole@district.org", "coach", frozenset({"Aspen Elementary", "Birch Elementary"}))


def parsed_upload(people: dict[str, tuple[str, int | None]], comments=(), file_name="staff.csv") -> SimpleNamespace:
    """A stand-in for ingest's ParsedUpload: respondent -> (role, level on `culture`)."""
    rows = [
        {
            "respondent": key,
            "role": role,
            "grade_band": pd.NA,
            "submitted_at": pd.NaT,
            "source_row": i + 2,
            "item": "culture",
            "level": level,
        }
        for i, (key, (role, level)) in enumerate(people.items())
    ]
    responses = pd.DataFrame(rows).astype({"level": "Int64"})
    report = SimpleNamespace(
        valid=True,
        file_name=file_name,
        file_hash=hashlib.sha256(repr(people).encode()).hexdigest(),
        format="template-wide",
        rows_read=len(people),
        respondents=len(people),
        answers=int(responses["level"].notna().sum()),
        missing_answers=int(responses["level"].isna().sum()),
        superseded=0,
    )
    return SimpleNamespace(
        report=report,
        responses=responses,
        comments=pd.DataFrame(list(comments), columns=["respondent", "column", "text"]),
    )


ASPEN = {**{f"t{i}": ("teacher", 3) for i in range(9)}, **{f"c{i}": ("coach", 1) for i in range(3)}}
BIRCH = {f"b{i}": ("teacher", 2) for i in range(6)}
CEDAR = {f"x{i}": ("teacher", 4) for i in range(3)}


@pytest.fixture
def seeded(engine):
    for school, people in (("Aspen Elementary", ASPEN), ("Birch Elementary", BIRCH), ("Cedar Elementary", CEDAR)):
        comments = [(key, "Comments", f"{school} note {key}") for key in list(people)[:2]]
        imports.save_import(
            engine, LOCAL, parsed_upload(people, comments), school=school, round="Fall 2026", framework=FW
        )
    return engine


# Users in the database.


def test_users_are_keyed_by_case_folded_email_with_their_schools(seeded):
    user = user_store.add_user(
        seeded, "  Pat.Lee@Aspen.ORG ", "principal", name=" Pat  Lee ", schools=["Aspen Elementary"]
    )
    assert (user.email, user.name, user.role, user.schools) == (
        "pat.lee@aspen.org",
        "Pat Lee",
        "principal",
        ("Aspen Elementary",),
    )
    assert user.created_at.tzinfo is not None and user.updated_at >= user.created_at
    assert user_store.get_user(seeded, "PAT.LEE@aspen.org") == user
    with pytest.raises(UserError) as err:
        user_store.add_user(seeded, "pat.lee@ASPEN.org", "coach")
    assert err.value.code == "user-exists"


@pytest.mark.parametrize(
    ("email", "role", "schools", "code"),
    [
        ("not-an-email", "coach", [], "invalid-email"),
        ("a b@x.org", "coach", [], "invalid-email"),
        ("a@x.org", "superuser", [], "unknown-role"),
        ("a@x.org", "coach", ["Aspen Elementry"], "unknown-school"),
    ],
)
def test_adding_a_user_with_bad_fields_is_refused_and_writes_nothing(seeded, email, role, schools, code):
    with pytest.raises(UserError) as err:
        user_store.add_user(seeded, email, role, schools=schools)
    assert err.value.code == code
    assert user_store.list_users(seeded) == []


def test_an_unknown_school_suggests_the_closest_name(seeded):
    with pytest.raises(UserError, match="did you mean 'Aspen Elementary'"):
        user_store.add_user(seeded, "a@x.org", "coach", schools=["Aspen Elementry"])


def test_assign_unassign_set_role_and_remove(seeded):
    user_store.add_user(seeded, "cole@district.org", "principal", schools=["Aspen Elementary"])
    assert user_store.assign_school(seeded, "cole@district.org", "Birch Elementary").schools == (
        "Aspen Elementary",
        "Birch Elementary",
    )
    assert user_store.assign_school(seeded, "cole@district.org", "Birch Elementary").schools == (
        "Aspen Elementary",
        "Birch Elementary",
    )  # assigning twice changes nothing
    assert user_store.unassign_school(seeded, "Cole@district.org", "Aspen Elementary").schools == ("Birch Elementary",)
    with pytest.raises(UserError) as err:
        user_store.unassign_school(seeded, "cole@district.org", "Aspen Elementary")
    assert err.value.code == "not-assigned"
    assert user_store.set_role(seeded, "cole@district.org", "coach").role == "coach"
    user_store.remove_user(seeded, "cole@district.org")
    assert user_store.get_user(seeded, "cole@district.org") is None
    with pytest.raises(UserError) as err:
        user_store.remove_user(seeded, "cole@district.org")
    assert err.value.code == "unknown-user"


def test_the_last_district_admin_cannot_be_demoted_or_removed(seeded):
    user_store.add_user(seeded, "ada@district.org", "district_admin")
    for change in (
        lambda: user_store.set_role(seeded, "ada@district.org", "coach"),
        lambda: user_store.remove_user(seeded, "ada@district.org"),
    ):
        with pytest.raises(UserError) as err:
            change()
        assert err.value.code == "last-admin"
    user_store.add_user(seeded, "bo@district.org", "district_admin")
    user_store.set_role(seeded, "ada@district.org", "coach")
    assert [(u.email, u.role) for u in user_store.list_users(seeded)] == [
        ("ada@district.org", "coach"),
        ("bo@district.org", "district_admin"),
    ]


def test_removing_a_school_removes_its_assignments(seeded):
    from sqlalchemy import delete

    from pl_core.store import session_scope
    from pl_core.store.models import School

    user_store.add_user(seeded, "pat@x.org", "principal", schools=["Cedar Elementary", "Aspen Elementary"])
    with session_scope(seeded) as session:  # a school without data, so the delete is allowed
        session.execute(School.__table__.insert().values(district_id=1, name="Dogwood Elementary", level=None))
    user_store.assign_school(seeded, "pat@x.org", "Dogwood Elementary")
    with session_scope(seeded) as session:
        session.execute(delete(School).where(School.name == "Dogwood Elementary"))
    assert user_store.get_user(seeded, "pat@x.org").schools == ("Aspen Elementary", "Cedar Elementary")


# Who the viewer is and what they may see.


def test_viewer_for_a_known_email_carries_role_and_schools(seeded):
    user_store.add_user(seeded, "Pat@Aspen.org", "principal", name="Pat", schools=["Aspen Elementary"])
    assert auth.viewer_for(seeded, "PAT@aspen.org") == Viewer(
        "pat@aspen.org", "principal", frozenset({"Aspen Elementary"}), "Pat"
    )


@pytest.mark.parametrize("email", [None, "", "  ", "stranger@else.org"])
def test_an_unknown_or_empty_email_gets_no_viewer(seeded, email):
    assert auth.viewer_for(seeded, email) is None


SCHOOLS = ["Aspen Elementary", "Birch Elementary", "Cedar Elementary"]


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        (LOCAL, SCHOOLS),
        (ADMIN, SCHOOLS),
        (COACH, ["Aspen Elementary", "Birch Elementary"]),
        (ASPEN_PRINCIPAL, ["Aspen Elementary"]),
        (Viewer("nobody@x.org", "principal"), []),
    ],
)
def test_allowed_schools_by_role(viewer, expected):
    assert auth.allowed_schools(viewer, SCHOOLS) == expected


def test_access_denied_names_only_the_school_asked_for():
    for asked in ("Birch Elementary", "No Such School"):
        with pytest.raises(AccessDenied) as err:
            auth.require_school(ASPEN_PRINCIPAL, asked)
        message = str(err.value)
        assert asked in message
        assert not any(s in message for s in SCHOOLS if s != asked)
    # Existing or not, the same words: the message cannot be used to probe for schools.
    messages = []
    for asked in ("Birch Elementary", "Zzz"):
        with pytest.raises(AccessDenied) as err:
            auth.require_school(ASPEN_PRINCIPAL, asked)
        messages.append(str(err.value).replace(repr(asked), "<school>"))
    assert messages[0] == messages[1]


@pytest.mark.parametrize(
    ("viewer", "roles", "allowed"),
    [
        (COACH, ("coach",), True),
        (COACH, ("principal",), False),
        (ASPEN_PRINCIPAL, ("coach", "principal"), True),
        (ASPEN_PRINCIPAL, ("district_admin",), False),
        (ADMIN, ("coach",), True),
        (LOCAL, ("district_admin",), True),
    ],
)
def test_require_role(viewer, roles, allowed):
    if allowed:
        auth.require_role(viewer, *roles)
    else:
        with pytest.raises(AccessDenied):
            auth.require_role(viewer, *roles)


@pytest.mark.parametrize(
    ("viewer", "allowed"), [(LOCAL, True), (ADMIN, True), (COACH, False), (ASPEN_PRINCIPAL, False)]
)
def test_only_district_admins_and_the_local_user_manage_users(viewer, allowed):
    assert auth.can_manage_users(viewer) is allowed


# Checked services.


def test_without_a_school_filter_reads_cover_only_the_viewers_schools(seeded):
    assert set(scores.whole_school_scores(seeded, LOCAL, FW)["school"]) == set(SCHOOLS)
    assert set(scores.whole_school_scores(seeded, COACH, FW)["school"]) == {"Aspen Elementary", "Birch Elementary"}
    assert set(scores.district_scores(seeded, ASPEN_PRINCIPAL, FW)["school"]) == {"Aspen Elementary"}
    assert catalog.list_schools(seeded, ASPEN_PRINCIPAL) == ["Aspen Elementary"]
    assert scores.whole_school_scores(seeded, Viewer("n@x.org", "principal"), FW).empty
    district = scores.district_scores(seeded, COACH, FW)  # a "district" view: only the coach's schools
    assert district.loc[district["item"] == "culture", "n"].sum() == 12 + 6


def test_naming_a_school_the_viewer_may_not_see_is_denied_not_filtered(seeded):
    with pytest.raises(AccessDenied):
        scores.whole_school_scores(seeded, ASPEN_PRINCIPAL, FW, schools=["Aspen Elementary", "Birch Elementary"])
    with pytest.raises(AccessDenied):
        scores.school_scores(seeded, ASPEN_PRINCIPAL, FW, "Birch Elementary")
    with pytest.raises(AccessDenied):
        scores.breakdown_scores(seeded, ASPEN_PRINCIPAL, FW, "Birch Elementary", "Fall 2026", "role")
    with pytest.raises(AccessDenied):
        workshop_service.leadership(seeded, ASPEN_PRINCIPAL, FW.id, schools=["Birch Elementary"])
    with pytest.raises(AccessDenied):
        scores.comments(seeded, ASPEN_PRINCIPAL, FW, "Birch Elementary", "Fall 2026")
    with pytest.raises(AccessDenied):
        goal_service.goal_progress(seeded, ASPEN_PRINCIPAL, FW, "Birch Elementary", date(2027, 1, 1))
    with pytest.raises(AccessDenied):
        imports.import_history(seeded, ASPEN_PRINCIPAL, school="Birch Elementary")


def test_a_role_breakdown_hides_the_small_group_and_its_complement(seeded, monkeypatch):
    monkeypatch.delenv("PL_MIN_GROUP_SIZE", raising=False)
    table = scores.breakdown_scores(seeded, ASPEN_PRINCIPAL, FW, "Aspen Elementary", "Fall 2026", "role")
    culture = table[table["item"] == "culture"].set_index("role")
    assert culture["suppressed"].to_dict() == {"coach": True, "teacher": True}
    assert culture["mean"].isna().all() and culture["n"].isna().all()
    # The configuration may lower the threshold; the releases are decided again under it.
    monkeypatch.setenv("PL_MIN_GROUP_SIZE", "3")
    assert republish_all(seeded) == 3
    shown = scores.breakdown_scores(seeded, ASPEN_PRINCIPAL, FW, "Aspen Elementary", "Fall 2026", "role")
    culture = shown[shown["item"] == "culture"].set_index("role")
    assert culture["mean"].to_dict() == {"coach": 1.0, "teacher": 3.0}


def test_breaking_down_by_anything_but_role_or_grade_band_is_refused(seeded):
    with pytest.raises(ValueError, match="break down by one of role, grade_band"):
        scores.breakdown_scores(seeded, LOCAL, FW, "Aspen Elementary", "Fall 2026", "respondent")


def test_comments_are_bare_text_and_only_for_large_enough_schools(seeded, monkeypatch):
    monkeypatch.delenv("PL_MIN_GROUP_SIZE", raising=False)
    aspen = scores.comments(seeded, LOCAL, FW, "Aspen Elementary", "Fall 2026")
    assert list(aspen.columns) == ["text", "column"]
    assert aspen["text"].tolist() == ["Aspen Elementary note t0", "Aspen Elementary note t1"]
    assert scores.comments(seeded, LOCAL, FW, "Cedar Elementary", "Fall 2026").empty  # 3 people


def test_imports_are_checked_and_record_who_imported(seeded):
    with pytest.raises(AccessDenied):
        imports.save_import(
            seeded,
            ASPEN_PRINCIPAL,
            parsed_upload(BIRCH, file_name="b.csv"),
            school="Birch Elementary",
            round="Fall 2026",
            framework=FW,
        )
    # a principal adds answers to rounds that exist; a coach (or an admin) creates a new one first
    with pytest.raises(rounds.NewRoundNotAllowed, match="ask your coach or district admin"):
        imports.save_import(
            seeded,
            ASPEN_PRINCIPAL,
            parsed_upload(ASPEN, file_name="a2.csv"),
            school="Aspen Elementary",
            round="Spring 2027",
            framework=FW,
        )
    assert rounds.add_round(seeded, COACH, "Spring 2027")
    imports.save_import(
        seeded,
        ASPEN_PRINCIPAL,
        parsed_upload(ASPEN, file_name="a2.csv"),
        school="Aspen Elementary",
        round="Spring 2027",
        framework=FW,
    )
    history = imports.import_history(seeded, ASPEN_PRINCIPAL)
    assert set(history["school"]) == {"Aspen Elementary"}
    assert history.iloc[0]["imported_by"] == "pat@aspen.org"
    assert set(imports.import_history(seeded, COACH)["school"]) == {"Aspen Elementary", "Birch Elementary"}


def a_goal(school: str) -> Goal:
    return Goal(
        school=school,
        framework_id=FW.id,
        item_id="culture",
        baseline_level=2.0,
        target_level=3.0,
        start_date=date(2026, 9, 1),
        target_date=date(2027, 6, 1),
        milestones=(Milestone(date(2027, 1, 15), "Norms drafted"),),
    )


def test_goals_of_other_schools_can_be_neither_read_nor_written(seeded):
    birch_id = goal_service.save_goal(seeded, LOCAL, a_goal("Birch Elementary"), FW)
    aspen_id = goal_service.save_goal(seeded, ASPEN_PRINCIPAL, a_goal("Aspen Elementary"), FW)
    assert [g.id for g in goal_service.goals(seeded, ASPEN_PRINCIPAL)] == [aspen_id]
    assert sorted(g.id for g in goal_service.goals(seeded, COACH)) == sorted([aspen_id, birch_id])
    with pytest.raises(AccessDenied):
        goal_service.goals(seeded, ASPEN_PRINCIPAL, school="Birch Elementary")
    with pytest.raises(AccessDenied):
        goal_service.save_goal(seeded, ASPEN_PRINCIPAL, a_goal("Birch Elementary"), FW)
    # Relabelling another school's goal as one's own would move it: refused.
    with pytest.raises(AccessDenied):
        goal_service.save_goal(seeded, ASPEN_PRINCIPAL, replace(a_goal("Aspen Elementary"), id=birch_id), FW)
    for act in (goal_service.delete_goal, goal_service.restore_goal):
        with pytest.raises(AccessDenied):
            act(seeded, ASPEN_PRINCIPAL, birch_id)
    birch_milestone = goal_store.get_goal(seeded, birch_id).milestones[0].id
    with pytest.raises(AccessDenied):
        goal_service.set_milestone_done(seeded, ASPEN_PRINCIPAL, birch_id, birch_milestone, True)
    with pytest.raises(KeyError):  # a milestone of another goal, through one's own goal
        goal_service.set_milestone_done(seeded, ASPEN_PRINCIPAL, aspen_id, birch_milestone, True)
    assert goal_store.get_goal(seeded, birch_id).school == "Birch Elementary"
    assert not goal_store.get_goal(seeded, birch_id).milestones[0].done
    goal_service.delete_goal(seeded, ASPEN_PRINCIPAL, aspen_id)
    assert goal_service.goals(seeded, ASPEN_PRINCIPAL) == []


def test_workshops_of_other_schools_cannot_be_opened_or_run(seeded):
    birch = ws.open_workshop(seeded, school="Birch Elementary", round="Fall 2026", framework=FW, items=["culture"])
    with pytest.raises(AccessDenied):
        workshop_service.open_workshop(
            seeded, ASPEN_PRINCIPAL, school="Birch Elementary", round="Fall 2026", framework=FW
        )
    for act in (
        lambda: workshop_service.workshop_for(seeded, ASPEN_PRINCIPAL, birch.id),
        lambda: workshop_service.reveal(seeded, ASPEN_PRINCIPAL, birch.id, "culture"),
        lambda: workshop_service.record_consensus(seeded, ASPEN_PRINCIPAL, birch.id, "culture", 3),
        lambda: workshop_service.close_workshop(seeded, ASPEN_PRINCIPAL, birch.id),
        lambda: workshop_service.leadership(seeded, ASPEN_PRINCIPAL, FW.id, schools=["Birch Elementary"]),
    ):
        with pytest.raises(AccessDenied):
            act()
    assert ws.get_workshop(seeded, birch.id).status == "open"
    mine = workshop_service.open_workshop(
        seeded, ASPEN_PRINCIPAL, school="Aspen Elementary", round="Fall 2026", framework=FW, items=["culture"]
    )
    assert mine.facilitator == "pat@aspen.org"
    workshop_service.record_consensus(seeded, ASPEN_PRINCIPAL, mine.id, "culture", 2.5)
    assert [w.id for w in workshop_service.list_workshops(seeded, ASPEN_PRINCIPAL)] == [mine.id]
    assert workshop_service.leadership(seeded, ASPEN_PRINCIPAL, FW.id)[["school", "level"]].values.tolist() == [
        ["Aspen Elementary", 2.5]
    ]
    workshop_service.close_workshop(seeded, ASPEN_PRINCIPAL, mine.id)
    assert ws.get_workshop(seeded, mine.id).status == "closed"


@pytest.mark.parametrize("viewer", [COACH, ASPEN_PRINCIPAL])
def test_only_admins_manage_users(seeded, viewer):
    for act in (
        lambda: users.list_users(seeded, viewer),
        lambda: users.add_user(seeded, viewer, "x@y.org", "district_admin"),
        lambda: users.set_role(seeded, viewer, viewer.email, "district_admin"),
        lambda: users.assign_school(seeded, viewer, viewer.email, "Cedar Elementary"),
        lambda: users.unassign_school(seeded, viewer, viewer.email, "Aspen Elementary"),
        lambda: users.remove_user(seeded, viewer, "x@y.org"),
    ):
        with pytest.raises(AccessDenied):
            act()
    assert user_store.list_users(seeded) == []


def test_an_admin_manages_users_through_the_checked_services(seeded):
    users.add_user(seeded, ADMIN, "pat@aspen.org", "principal", schools=["Aspen Elementary"])
    users.assign_school(seeded, ADMIN, "pat@aspen.org", "Cedar Elementary")
    users.unassign_school(seeded, ADMIN, "pat@aspen.org", "Aspen Elementary")
    users.set_role(seeded, ADMIN, "pat@aspen.org", "coach")
    assert auth.viewer_for(seeded, "pat@aspen.org") == Viewer("pat@aspen.org", "coach", frozenset({"Cedar Elementary"}))
    users.remove_user(seeded, ADMIN, "pat@aspen.org")
    assert users.list_users(seeded, ADMIN) == []


# `pl-diag users`.


def run_users(db_url: str, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="pl-diag")
    add_users_parser(parser.add_subparsers(dest="command", required=True), db_option())
    args = parser.parse_args(["users", "--db", db_url, *argv])
    return args.func(args)


def test_cli_bootstraps_the_first_admin_and_manages_users(seeded, db_url, capsys):
    assert run_users(db_url, "list") == 0
    assert "no users yet" in capsys.readouterr().out
    assert run_users(db_url, "add", "Ada@District.org", "--role", "district_admin", "--name", "Ada Lopez") == 0
    assert "ada@district.org (Ada Lopez): district_admin; sees every school" in capsys.readouterr().out
    assert run_users(db_url, "add", "pat@aspen.org", "--role", "principal") == 0
    assert "sees no school until one is assigned" in capsys.readouterr().out
    run_users(db_url, "assign", "pat@aspen.org", "--school", "Aspen Elementary", "--school", "Birch Elementary")
    run_users(db_url, "unassign", "pat@aspen.org", "--school", "Birch Elementary")
    run_users(db_url, "set-role", "pat@aspen.org", "coach")
    capsys.readouterr()
    run_users(db_url, "list")
    assert capsys.readouterr().out.splitlines() == [
        "ada@district.org (Ada Lopez): district_admin; sees every school",
        "pat@aspen.org: coach; sees Aspen Elementary",
    ]
    assert auth.viewer_for(seeded, "ada@district.org").role == "district_admin"
    run_users(db_url, "remove", "pat@aspen.org")
    assert [u.email for u in user_store.list_users(seeded)] == ["ada@district.org"]


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("add", "ada@district.org", "--role", "coach"), "already a user"),
        (("remove", "ada@district.org"), "last district admin"),
        (("set-role", "nobody@x.org", "coach"), "no user"),
        (("assign", "ada@district.org", "--school", "Aspen Elementry"), "did you mean"),
    ],
)
def test_cli_mistakes_are_user_errors(seeded, db_url, argv, words):
    run_users(db_url, "add", "ada@district.org", "--role", "district_admin")
    with pytest.raises(CliUserError, match=words):
        run_users(db_url, *argv)


def test_cli_rejects_unknown_roles(db_url):
    with pytest.raises(SystemExit):
        run_users(db_url, "add", "x@y.org", "--role", "superuser")
