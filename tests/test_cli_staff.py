"""`pl-diag staff` and `pl-diag import --expected-staff`: the count behind a school's response rate."""

from __future__ import annotations

from pathlib import Path

import pytest

from pl_core.cli import main
from pl_core.frameworks import load_framework
from pl_core.services import imports, scores
from pl_core.services.access import LOCAL
from pl_core.store import make_engine

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "uploads"
FILE = SAMPLE / "aspen-elementary-fall-2025-google-forms.csv"


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("PL_DATA_DIR", str(tmp_path / "data"))
    return f"sqlite:///{tmp_path / 'pl.db'}"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_with_expected_staff_gives_the_overview_its_response_rate(db, capsys):
    code, out, _ = run(
        capsys, "import", FILE, "--school", "Aspen", "--round", "Fall 2025", "--expected-staff", 40, "--db", db
    )
    assert code == 0
    summary = scores.school_summary(make_engine(db), LOCAL, load_framework("dps-driver-model"), "Aspen", "Fall 2025")
    assert summary.expected_staff == 40
    assert summary.response_rate == pytest.approx(summary.respondents / 40)
    assert f"40 staff expected: {summary.respondents} answered" in out


def test_staff_sets_shows_and_replaces_the_expected_count(db, capsys):
    run(capsys, "import", FILE, "--school", "Aspen", "--round", "Fall 2025", "--db", db)
    assert (
        run(capsys, "staff", "--school", "Aspen", "--round", "Fall 2025", "--db", db)[1]
        .strip()
        .endswith("no expected count yet")
    )
    assert run(capsys, "staff", "--school", "Aspen", "--round", "Fall 2025", "--expected", 38, "--db", db)[0] == 0
    run(capsys, "staff", "--school", "Aspen", "--round", "Fall 2025", "--expected", 36, "--db", db)
    code, out, _ = run(capsys, "staff", "--school", "Aspen", "--round", "Fall 2025", "--db", db)
    assert (code, out.strip()) == (0, "Aspen \u00b7 Fall 2025: 36 staff expected")
    assert imports.expected_staff(make_engine(db), LOCAL, school="Aspen", round="Fall 2025") == 36


@pytest.mark.parametrize("count", [0, -3, 10_001])
def test_an_impossible_count_is_a_user_error_and_stores_nothing(db, capsys, count):
    run(capsys, "import", FILE, "--school", "Aspen", "--round", "Fall 2025", "--db", db)
    code, _, err = run(capsys, "staff", "--school", "Aspen", "--round", "Fall 2025", "--expected", count, "--db", db)
    assert code == 2 and "whole number from 1 to 10,000" in err
    assert imports.expected_staff(make_engine(db), LOCAL, school="Aspen", round="Fall 2025") is None
    code, _, err = run(
        capsys, "import", FILE, "--school", "Aspen", "--round", "Fall 2025", "--expected-staff", count, "--db", db
    )
    assert code == 2 and "--expected-staff" in err
