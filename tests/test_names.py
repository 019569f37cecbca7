"""Names of schools, rounds and what a file brings are checked on entry; principals add answers to existing rounds."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from test_auth import ASPEN, ASPEN_PRINCIPAL, BIRCH, COACH, FW, parsed_upload

from pl_core.cli import main
from pl_core.domain.goals import Goal
from pl_core.domain.names import MAX_CHARS, InvalidName, check_name
from pl_core.services import goals as goal_service
from pl_core.services import imports, rounds
from pl_core.services import workshops as workshop_service
from pl_core.services.access import LOCAL, AccessDenied, Viewer
from pl_core.store import list_rounds, list_schools
from pl_core.store.models import School

# --- the rule -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("school", "Aspen Elementary", "Aspen Elementary"),
        ("school", "  Aspen Elementary \u3000", "Aspen Elementary"),
        ("round", "Winter ![t](http://127.0.0.1:9/x)", "Winter ![t](http://127.0.0.1:9/x)"),  # shown as text
        ("school", "A&B <Elementary>", "A&B <Elementary>"),
        ("school", "\u00c9cole Saint-\u00c9tienne", "\u00c9cole Saint-\u00c9tienne"),
        ("school", "x" * 120, "x" * 120),
        ("round", "r" * 60, "r" * 60),
    ],
)
def test_good_names_come_back_without_surrounding_spaces(kind, text, expected):
    assert check_name(kind, text) == expected


@pytest.mark.parametrize(
    ("kind", "text", "code", "says"),
    [
        ("school", "", "empty", "empty"),
        ("round", " \t ", "empty", "empty"),
        ("school", "x" * 121, "too-long", "121 characters long; the most is 120"),
        ("school", "x" * 100_000, "too-long", "100,000 characters"),
        ("round", "r" * 61, "too-long", "the most is 60"),
        ("school", "Aspen\nElementary", "control-character", "a line break at character 6"),
        ("round", "Fall\t2026", "control-character", "a tab at character 5"),
        ("school", "Aspen\x00", "control-character", "NUL"),
        ("school", "Aspen\x1b[31m", "control-character", "U+001B"),
        ("school", "Aspen\u202eyratnemelE", "control-character", "U+202E"),  # right-to-left override
        ("round", "Fall\u20282026", "control-character", "U+2028"),  # line separator
        ("school", "Aspen\x85Elementary", "control-character", "U+0085"),  # C1 next line
        ("school", None, "not-text", "must be text"),
    ],
)
def test_bad_names_are_refused_with_the_field_and_a_clear_message(kind, text, code, says):
    with pytest.raises(InvalidName) as err:
        check_name(kind, text)
    assert (err.value.field, err.value.code) == (kind, code)
    assert says in str(err.value) and f"the {kind} name" in str(err.value)


def test_every_limit_fits_its_database_column():
    from pl_core.store.models import ImportBatch, Respondent, Round

    columns = {
        "school": School.__table__.c.name,
        "round": Round.__table__.c.name,
        "file": ImportBatch.__table__.c.file_name,
        "role": Respondent.__table__.c.role,
        "grade band": Respondent.__table__.c.grade_band,
    }
    for kind, column in columns.items():
        assert MAX_CHARS[kind] <= column.type.length, kind


# --- used by every write that names a school or round, on both databases ------------------------------------------


def schools_and_rounds(engine) -> tuple[list[str], list[str]]:
    return list_schools(engine), list_rounds(engine)


@pytest.mark.parametrize(
    ("school", "round", "field", "code"),
    [
        ("x" * 100_000, "Fall 2026", "school", "too-long"),
        ("Aspen Elementary", "y" * 100_000, "round", "too-long"),
        ("Aspen\nElementary", "Fall 2026", "school", "control-character"),
        ("Aspen Elementary", "Fall\u202e2026", "round", "control-character"),
        ("   ", "Fall 2026", "school", "empty"),
    ],
)
def test_the_import_service_refuses_bad_names_before_the_database_sees_them(engine, school, round, field, code):
    with pytest.raises(InvalidName) as err:
        imports.save_import(engine, LOCAL, parsed_upload(ASPEN), school=school, round=round, framework=FW)
    assert (err.value.field, err.value.code) == (field, code)
    assert schools_and_rounds(engine) == ([], [])


def test_names_a_file_brings_are_checked_too(engine):
    too_long_role = {f"t{i}": ("r" * 101, 3) for i in range(6)}
    with pytest.raises(InvalidName) as err:
        imports.save_import(engine, LOCAL, parsed_upload(too_long_role), school="Aspen", round="Fall", framework=FW)
    assert (err.value.field, err.value.code) == ("role", "too-long")
    with pytest.raises(InvalidName) as err:
        imports.save_import(
            engine, LOCAL, parsed_upload(ASPEN, file_name="f" * 300 + ".csv"), school="A", round="F", framework=FW
        )
    assert (err.value.field, err.value.code) == ("file", "too-long")
    header = "Any comments? " * 40  # 560 characters: longer than the stored column
    with pytest.raises(InvalidName) as err:
        imports.save_import(
            engine, LOCAL, parsed_upload(ASPEN, comments=[("t1", header, "fine")]), school="A", round="F", framework=FW
        )
    assert (err.value.field, err.value.code) == ("column", "too-long")
    assert schools_and_rounds(engine) == ([], [])


def test_names_are_stored_without_surrounding_spaces(engine):
    imports.save_import(engine, LOCAL, parsed_upload(ASPEN), school=" Aspen ", round="Fall 2026\u3000", framework=FW)
    assert schools_and_rounds(engine) == (["Aspen"], ["Fall 2026"])


def test_other_writes_that_create_a_school_or_round_check_names(engine):
    today = dt.date(2026, 10, 1)
    goal = Goal("x" * 500, FW.id, "culture", 2.0, 3.0, today, today.replace(year=2027))
    with pytest.raises(InvalidName):
        goal_service.save_goal(engine, LOCAL, goal, FW)
    with pytest.raises(InvalidName):
        workshop_service.open_workshop(engine, LOCAL, school="Aspen", round="Fall\n2026", framework=FW)
    with pytest.raises(InvalidName):
        imports.set_expected_staff(engine, LOCAL, school="x" * 200, round="Fall 2026", count=20)
    with pytest.raises(InvalidName):
        rounds.add_round(engine, LOCAL, "r" * 100_000)
    assert schools_and_rounds(engine) == ([], [])


def test_goal_title_and_owner_longer_than_stored_are_refused(engine):
    from pl_core.domain.goals import GoalError

    today = dt.date(2026, 10, 1)
    for field, value in (("title", "t" * 301), ("owner", "o" * 201)):
        goal = Goal("Aspen", FW.id, "culture", 2.0, 3.0, today, today.replace(year=2027), **{field: value})
        with pytest.raises(GoalError) as err:
            goal_service.save_goal(engine, LOCAL, goal, FW)
        assert err.value.field == field
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(School)).scalar_one() == 0


# --- rounds: principals add answers to rounds a coach or an admin created -----------------------------------------


@pytest.fixture
def district(engine):
    imports.save_import(engine, LOCAL, parsed_upload(ASPEN), school="Aspen Elementary", round="Fall 2026", framework=FW)
    imports.save_import(engine, LOCAL, parsed_upload(BIRCH), school="Birch Elementary", round="Fall 2026", framework=FW)
    return engine


def test_a_principal_cannot_create_a_round_by_importing_into_it(district):
    hostile = "Winter ![t](http://127.0.0.1:9/x)"
    with pytest.raises(rounds.NewRoundNotAllowed) as err:
        imports.save_import(
            district, ASPEN_PRINCIPAL, parsed_upload(ASPEN, file_name="w.csv"), school="Aspen Elementary",
            round=hostile, framework=FW,
        )  # fmt: skip
    assert isinstance(err.value, AccessDenied) and "ask your coach or district admin" in str(err.value)
    assert list_rounds(district) == ["Fall 2026"]  # never anyone's newest round


def test_a_principal_imports_into_a_round_that_exists(district):
    result = imports.save_import(
        district, ASPEN_PRINCIPAL, parsed_upload(ASPEN, file_name="again.csv"), school="Aspen Elementary",
        round=" Fall 2026 ", framework=FW,
    )  # fmt: skip
    assert result.answers == len(ASPEN) and list_rounds(district) == ["Fall 2026"]


def test_a_principal_cannot_create_a_round_through_expected_staff_or_a_workshop(district):
    with pytest.raises(rounds.NewRoundNotAllowed):
        imports.set_expected_staff(district, ASPEN_PRINCIPAL, school="Aspen Elementary", round="Spring 2027", count=9)
    with pytest.raises(rounds.NewRoundNotAllowed):
        workshop_service.open_workshop(
            district, ASPEN_PRINCIPAL, school="Aspen Elementary", round="Spring 2027", framework=FW
        )
    assert list_rounds(district) == ["Fall 2026"]


@pytest.mark.parametrize("viewer", [COACH, Viewer("ada@district.org", "district_admin"), LOCAL])
def test_coaches_admins_and_the_local_user_create_rounds(district, viewer):
    assert rounds.add_round(district, viewer, " Spring 2027 ") is True
    assert rounds.add_round(district, viewer, "Spring 2027") is False  # already there: nothing changes
    assert list_rounds(district) == ["Fall 2026", "Spring 2027"]
    imports.save_import(
        district, ASPEN_PRINCIPAL, parsed_upload(ASPEN, file_name="s.csv"), school="Aspen Elementary",
        round="Spring 2027", framework=FW,
    )  # fmt: skip
    history = imports.import_history(district, ASPEN_PRINCIPAL)
    assert history.iloc[0]["round"] == "Spring 2027"


def test_a_principal_cannot_create_a_round_directly(district):
    with pytest.raises(AccessDenied, match="coach or district admin"):
        rounds.add_round(district, ASPEN_PRINCIPAL, "Spring 2027")
    assert list_rounds(district) == ["Fall 2026"]


def test_a_new_round_takes_its_place_in_time(district):
    rounds.add_round(district, COACH, "Spring 2026")
    rounds.add_round(district, COACH, "Fall 2027")
    assert list_rounds(district) == ["Spring 2026", "Fall 2026", "Fall 2027"]


# --- the command line ---------------------------------------------------------------------------------------------


@pytest.fixture
def cli_db(tmp_path, monkeypatch):
    monkeypatch.setenv("PL_DATA_DIR", str(tmp_path / "data"))
    return f"sqlite:///{tmp_path / 'pl.db'}"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_pl_diag_rounds_add_and_list(cli_db, capsys):
    assert run(capsys, "rounds", "list", "--db", cli_db) == (
        0,
        'no rounds yet: create one with  pl-diag rounds add "Fall 2026"\n',
        "",
    )
    assert run(capsys, "rounds", "add", "Spring 2027", "--db", cli_db)[:2] == (0, "created the round 'Spring 2027'\n")
    assert run(capsys, "rounds", "add", "Fall 2026 ", "--db", cli_db)[:2] == (0, "created the round 'Fall 2026'\n")
    assert run(capsys, "rounds", "add", "Fall 2026", "--db", cli_db)[:2] == (
        0,
        "the round 'Fall 2026' already exists\n",
    )
    assert run(capsys, "rounds", "list", "--db", cli_db)[1].splitlines() == ["Fall 2026", "Spring 2027"]


def test_the_command_line_says_what_is_wrong_with_a_name_without_a_traceback(cli_db, capsys, tmp_path):
    code, out, err = run(capsys, "rounds", "add", "Fall\n2026", "--db", cli_db)
    assert (code, out) == (2, "")
    assert err == "error: the round name has a line break at character 5: a name is one line of visible text\n"
    sample = tmp_path / "unused.csv"  # never read: the name is checked first
    code, out, err = run(capsys, "import", sample, "--school", "x" * 100_000, "--round", "Fall", "--db", cli_db)
    assert (code, out) == (2, "")
    assert err == "error: the school name is 100,000 characters long; the most is 120: shorten it\n"


def test_a_school_name_of_100000_characters_is_refused_clearly_on_every_database(db_url, capsys):
    from pathlib import Path

    upload = Path(__file__).parent.parent / "sample_data" / "uploads" / "birch-elementary-fall-2025-template.csv"
    code, out, err = run(capsys, "import", upload, "--school", "x" * 100_000, "--round", "Fall 2025", "--db", db_url)
    assert code == 2 and "Traceback" not in err
    assert err.startswith("error: the school name is 100,000 characters long")


def test_user_emails_and_names_longer_than_stored_are_refused_clearly(engine):
    from pl_core.services import users
    from pl_core.store.users import UserError

    with pytest.raises(UserError) as err:
        users.add_user(engine, LOCAL, "a" * 400 + "@district.org", "coach")
    assert err.value.code == "invalid-email" and "at most 320 characters" in str(err.value)
    with pytest.raises(UserError) as err:
        users.add_user(engine, LOCAL, "ada@district.org", "coach", name="N" * 100_000)
    assert err.value.code == "name-too-long" and "at most 200 characters, not 100,000" in str(err.value)
    assert users.list_users(engine, LOCAL) == []
