"""The Export page against the sample district: a CSV and an XLSX button per export, files built on click."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from conftest import open_page, texts
from streamlit.runtime.media_file_manager import MediaFileManager

PAGE = "views/export.py"
SCHOOL, ROUND = "Aspen Elementary", "Fall 2026"


@pytest.fixture
def downloads(monkeypatch) -> dict[str, object]:
    """The callables the page hands its download buttons, by file name, so a test can 'click' them."""
    found: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        found[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return found


def test_export_page_offers_csv_and_xlsx_of_each_export_and_builds_them_on_click(app, downloads):
    at = open_page(app, PAGE, ctx_school=SCHOOL, ctx_round=ROUND)
    buttons = {b.key: b for b in at.get("download_button")}
    kinds = ("scores_school", "responses_school", "votes_school", "goals_school", "district_district")
    assert set(buttons) == {f"export_{k}_{fmt}" for k in kinds for fmt in ("csv", "xlsx")}
    assert not any(b.proto.disabled for b in buttons.values())
    assert "34 staff answered in Fall 2026" in texts(at)
    assert "pl-diag export responses --row-level" in texts(at)

    scores = downloads["pl-scores-dps-driver-model-aspen-elementary-fall-2026.csv"]()
    rows = list(csv.DictReader(io.StringIO(scores.decode("utf-8-sig"))))
    assert len(rows) == 14 and {r["school"] for r in rows} == {SCHOOL} and {r["round"] for r in rows} == {ROUND}

    answers = downloads["pl-responses-dps-driver-model-aspen-elementary-fall-2026.csv"]()
    header = next(csv.reader(io.StringIO(answers.decode("utf-8-sig"))))
    assert "respondent" not in header and {"breakdown", "group", "suppressed"} <= set(header)

    district = downloads["pl-district-dps-driver-model.xlsx"]()
    sheet = openpyxl.load_workbook(io.BytesIO(district)).active
    schools = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(schools) == 6  # the sample's schools on the DPS Driver Model (Harbor K-8 uses the Pillars)


def test_export_page_disables_exports_with_nothing_to_export(app):
    at = open_page(app, PAGE, ctx_school="Harbor K-8", ctx_round=ROUND)  # Harbor answers on the Pillars only
    disabled = {b.key for b in at.get("download_button") if b.proto.disabled}
    assert {"export_scores_school_csv", "export_responses_school_xlsx"} <= disabled
    assert "export_district_district_csv" not in disabled
    assert "No staff responses for Harbor K\\-8" in texts(at)  # the school's name as typed text, escaped


def test_export_page_empty_state_offers_the_sample_district(empty_app):
    at = open_page(empty_app, PAGE)
    assert "No staff responses yet" in texts(at)
    assert at.get("download_button") == []
