"""The pl-diag command line: import, score, template, recommend, goals, exit codes and messages."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pl_core.cli import main
from pl_core.domain.goals import Goal, Milestone
from pl_core.frameworks import load_framework
from pl_core.store import goals as goal_store
from pl_core.store import make_engine

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "uploads"


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("PL_DATA_DIR", str(tmp_path / "data"))
    return f"sqlite:///{tmp_path / 'pl.db'}"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_prints_the_report_and_score_prints_json(db, capsys):
    file = SAMPLE / "aspen-elementary-fall-2025-google-forms.csv"
    code, out, _ = run(capsys, "import", file, "--school", "Aspen", "--round", "Fall 2025", "--db", db)
    assert code == 0
    assert "34 respondents" in out and "2 superseded" in out and "imported as #1" in out
    code, out, _ = run(capsys, "score", "--school", "Aspen", "--round", "Fall 2025", "--format", "json", "--db", db)
    assert code == 0
    rows = json.loads(out)
    assert [r["item"] for r in rows] == list(load_framework("dps-driver-model").item_ids)
    first = rows[0]
    assert set(first) >= {"item", "item_name", "n", "mean", "sd", "stage", "agreement", "counts"}
    assert sum(first["counts"].values()) == first["n"]
    assert 1 <= first["mean"] <= 4


def test_reimporting_the_same_file_replaces_it(db, capsys):
    file = SAMPLE / "birch-elementary-fall-2025-template.csv"
    run(capsys, "import", file, "--school", "Birch", "--round", "Fall 2025", "--db", db)
    code, out, _ = run(capsys, "import", file, "--school", "Birch", "--round", "Fall 2025", "--db", db)
    assert code == 0 and "replacing import #1" in out
    _, out, _ = run(capsys, "score", "--school", "Birch", "--round", "Fall 2025", "--format", "csv", "--db", db)
    lines = out.strip().splitlines()
    assert lines[0].startswith("item,item_name,n,missing,mean")
    assert int(lines[1].split(",")[2]) + int(lines[1].split(",")[3]) == 22  # 22 staff, not 44


def test_a_bad_file_prints_every_error_and_imports_nothing(db, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("respondent,Cultur,Mindset\nr1,2,9\nr2,3,Sometimes\n")
    code, out, err = run(capsys, "import", bad, "--school", "Elm", "--round", "Fall 2025", "--db", db)
    assert code == 1
    assert "REJECTED" in out and "unknown-item" in out and "level-out-of-range" in out and "unknown-label" in out
    assert "nothing was imported" in err and "Traceback" not in err
    code, _, err = run(capsys, "score", "--school", "Elm", "--round", "Fall 2025", "--db", db)
    assert code == 2 and "no responses" in err


def test_user_mistakes_exit_2_without_a_traceback(db, capsys):
    code, _, err = run(capsys, "import", "missing.csv", "--school", "A", "--round", "R", "--db", db)
    assert code == 2 and err.startswith("error: no file at missing.csv")
    code, _, err = run(capsys, "score", "--school", "A", "--round", "R", "--framework", "nope", "--db", db)
    assert code == 2 and "no framework with id 'nope'" in err


def test_template_round_trips_through_import(db, tmp_path, capsys):
    out_file = tmp_path / "template.csv"
    code, out, _ = run(capsys, "template", out_file, "--framework", "pillars-of-pl")
    assert code == 0 and "8 items" in out
    header = out_file.read_text(encoding="utf-8-sig").splitlines()[0]
    filled = out_file.parent / "filled.csv"
    filled.write_text(header + "\n" + "".join(f"r{i},teacher,K-5," + ",".join(["3"] * 8) + "\n" for i in range(6)))
    code, out, _ = run(
        capsys,
        "import",
        filled,
        "--school",
        "Harbor",
        "--round",
        "Fall 2025",
        "--framework",
        "pillars-of-pl",
        "--db",
        db,
    )
    assert code == 0, out
    _, out, _ = run(
        capsys,
        "score",
        "--school",
        "Harbor",
        "--round",
        "Fall 2025",
        "--framework",
        "pillars-of-pl",
        "--format",
        "json",
        "--db",
        db,
    )
    assert {(r["n"], r["mean"], r["stage_label"]) for r in json.loads(out)} == {(6, 3.0, "Demonstrating")}


def test_recommend_lists_a_weak_foundation_first_with_its_source(db, tmp_path, capsys):
    fw = load_framework("dps-driver-model")
    header = "respondent," + ",".join(fw.item_ids)
    # culture (foundational) at 2, every driver at 1: the weak foundation still comes first
    levels = {i: ("2" if i == "culture" else "4" if fw.item(i).foundational else "1") for i in fw.item_ids}
    rows = "".join(f"r{n}," + ",".join(levels[i] for i in fw.item_ids) + "\n" for n in range(5))
    file = tmp_path / "staff.csv"
    file.write_text(header + "\n" + rows)
    run(capsys, "import", file, "--school", "Fir", "--round", "Fall 2025", "--db", db)
    code, out, _ = run(
        capsys, "recommend", "--school", "Fir", "--round", "Fall 2025", "--top", "2", "--format", "json", "--db", db
    )
    assert code == 0
    recs = json.loads(out)
    assert [(r["item"], r["rule"]) for r in recs] == [
        ("culture", "weak-foundation"),
        ("learner-profile-data", "lowest-stage"),
    ]
    assert recs[0]["move"] == "Moving more learner centered"
    assert recs[0]["source"] == "Personalized Learning Driver Model \u00b7 Culture \u00b7 Moving more learner centered"
    assert recs[0]["steps"] == [s.text for s in fw.item("culture").next_steps(2)]


def test_goals_lists_status_against_the_plan(db, tmp_path, capsys):
    fw = load_framework("dps-driver-model")
    header = "respondent," + ",".join(fw.item_ids)
    for round_name, level in (("Fall 2025", "1"), ("Spring 2026", "2")):
        file = tmp_path / f"{level}.csv"
        file.write_text(header + "\n" + "".join(f"r{n}," + ",".join([level] * 14) + "\n" for n in range(5)))
        run(capsys, "import", file, "--school", "Dogwood", "--round", round_name, "--db", db)
    goal = Goal(
        school="Dogwood",
        framework_id=fw.id,
        item_id="strategic-time",
        baseline_level=1.0,
        target_level=3.0,
        start_date=dt.date(2025, 10, 1),
        target_date=dt.date(2026, 10, 1),
        owner="Kim",
        title="Time",
        milestones=(Milestone(dt.date(2026, 1, 15), "Plan blocks"),),
    )
    goal_store.save_goal(make_engine(db), goal)
    code, out, _ = run(capsys, "goals", "--school", "Dogwood", "--format", "json", "--today", "2026-04-01", "--db", db)
    assert code == 0
    [row] = json.loads(out)
    # plan on 2026-03-01 (Spring) is 1 + 2 * 151/365 = 1.83; measured 2.0 is within a quarter level
    assert (row["title"], row["status"], row["overdue_milestones"]) == ("Time", "on track", ["Plan blocks"])


AMBIGUOUS = Path(__file__).resolve().parent / "fixtures" / "ingest" / "google_sheets" / "ambiguous-dates.csv"
MINI_PATH = str(Path(__file__).resolve().parent / "fixtures" / "frameworks")


@pytest.mark.parametrize(("flag", "superseded_row"), [("--dayfirst", 2), ("--monthfirst", 5)])
def test_import_asks_for_the_date_order_when_the_file_does_not_settle_it(db, capsys, monkeypatch, flag, superseded_row):
    monkeypatch.setenv("PL_FRAMEWORKS_PATH", MINI_PATH)
    argv = ["import", AMBIGUOUS, "--school", "Oak", "--round", "Fall 2026", "--framework", "mini", "--db", db]
    code, out, err = run(capsys, *argv)
    assert code == 1 and "ambiguous-date-order" in out
    assert "choose with --dayfirst or --monthfirst" in err and "10 September 2024" in err
    code, out, _ = run(capsys, *argv, flag)
    assert code == 0 and "imported as #1" in out
    # ana answered twice: day first, 01/10 (1 October) is her later answer; month first, 10/09 (October 9) is
    assert f"warning row {superseded_row}: superseded" in out


def test_import_maps_a_column_by_hand(db, capsys, tmp_path):
    file = tmp_path / "staff.csv"
    rows = "".join(f"p{i},{lv},Room {i} needs planning time\n" for i, lv in enumerate([1, 2, 3, 4, 2, 3]))
    file.write_text("respondent,Culture,Principal notes\n" + rows)
    argv = ["import", file, "--school", "Oak", "--round", "Fall 2026", "--db", db]
    code, out, _ = run(capsys, *argv)
    assert code == 0 and "unknown-column" in out and "Principal notes" in out  # ignored, never kept as comments
    code, out, _ = run(capsys, *argv, "--column", "Principal notes=comments")
    assert code == 0 and "unknown-column" not in out
    code, _, err = run(capsys, *argv, "--column", "Principal notes")
    assert code == 2 and "HEADER=TARGET" in err
