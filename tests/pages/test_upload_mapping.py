"""Upload asks what the file cannot settle and saves exactly what the person chose.

Answers that are not levels are mapped on their own item's scale (the DPS foundational practices and the
drivers have different level names); the date order of a Google Sheets download is asked, never guessed;
a workbook with two response sheets asks which one; and a school's mappings are kept for its next upload.
Every test reads what was stored, not only what the page said.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import open_page, texts
from sqlalchemy import text
from workbooks import xlsx

from dashboard.components.text import plain
from pl_core import settings, store
from pl_core.services import imports
from pl_core.services.access import LOCAL

SCHOOL, ROUND = "Dogwood Middle", "Fall 2026"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# "Emerging" is not a level name on either scale: the principal says it is level 2 of the foundational
# practices (Developing) and level 3 of the drivers (More Learner Centered).
EMERGING = (
    b"Timestamp,Email Address,Learner Profile [Culture],Strategic Components [Strategic Time]\n"
    b"2026/10/01 9:00:00 AM EST,ana@school.org,Emerging,Emerging\n"
    b"2026/10/01 9:05:00 AM EST,ben@school.org,4,Emerging\n"
    b"2026/10/01 9:07:00 AM EST,cam@school.org,3,2\n"
)

# A Google Sheets download (no AM/PM, no zone): 10/09 and 01/10 read both ways, and ana answered twice.
# Day-first, her 1 October answers (Culture 3) are her latest; month-first, her October 9 ones (Culture 1).
SHEETS_DATES = (
    b"Timestamp,Email Address,Learner Profile [Culture],Learner Profile [Mindset]\n"
    b"10/09/2024 08:00:05,ana@school.org,1,1\n"
    b"11/09/2024 09:30:00,ben@school.org,3,4\n"
    b"01/10/2024 16:45:10,ana@school.org,3,2\n"
)


def upload(at, data: bytes, name: str, mime: str = "text/csv"):
    at.session_state["upload_school"] = SCHOOL
    at.session_state["upload_round"] = ROUND
    return at.file_uploader[0].set_value((name, data, mime)).run()


def stored(file_name: str) -> list[tuple[str, str, int | None]]:
    """(item, level) of every answer of the active import of `file_name`, sorted."""
    engine = store.make_engine(settings.database_url())
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT r.item, r.level FROM responses r JOIN import_batches b ON b.id = r.batch_id "
                "WHERE b.file_name = :f AND b.status = 'active' ORDER BY r.item, r.level"
            ),
            {"f": file_name},
        ).all()
    engine.dispose()
    return [(r[0], r[1]) for r in rows]


def label_question(at, scale: str):
    [question] = [s for s in at.selectbox if (s.key or "").startswith(f"upload_label_{scale}_")]
    return question


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_answers_are_mapped_on_their_own_items_scale_then_kept_for_the_next_upload(app):
    at = upload(open_page(app, "views/upload.py"), EMERGING, "emerging.csv")
    assert not at.exception
    foundational = label_question(at, "foundational")
    driver = label_question(at, "driver")
    # each question lists its own scale's levels, never the first item's
    assert foundational.options == ["(choose)", "Missing answer", "1 · Beginning", "2 · Developing",
                                    "3 · Proficient", "4 · Advanced"]  # fmt: skip
    assert "3 · More Learner Centered" in driver.options and "3 · Proficient" not in driver.options
    assert f"“Emerging” · 2 answers in {plain('Strategic Components [Strategic Time]')}" in driver.label
    assert not [b for b in at.button if b.key == "upload_import"]

    foundational.set_value("2")
    driver.set_value("3")
    next(b for b in at.button if b.label == "Apply these levels").click().run()  # one form: both apply
    assert not at.exception
    assert metrics(at)["Answers"] == "6" and metrics(at)["Missing answers"] == "0"
    at.button(key="upload_import").click().run()
    assert "Imported 6 answers from 3 respondents" in texts(at)
    assert stored("emerging.csv") == [
        ("culture", 2), ("culture", 3), ("culture", 4),
        ("strategic-time", 2), ("strategic-time", 3), ("strategic-time", 3),
    ]  # fmt: skip

    engine = store.make_engine(settings.database_url())
    kept = imports.saved_mapping(engine, LOCAL, school=SCHOOL, framework_id="dps-driver-model")
    engine.dispose()
    assert kept.labels == {"driver": {"Emerging": 3}, "foundational": {"Emerging": 2}}

    # The next export of the same form needs no mapping: the page says whose mapping it applied.
    again = upload(at, EMERGING.replace(b"cam@school.org,3,2", b"cam@school.org,Emerging,2"), "emerging-2.csv")
    assert "Applied the mappings saved with this school's last upload" in texts(again)
    assert not [s for s in again.selectbox if (s.key or "").startswith("upload_label_")]
    assert metrics(again)["Answers"] == "6"
    again.button(key="upload_import").click().run()
    assert [lv for item, lv in stored("emerging-2.csv") if item == "culture"] == [2, 2, 4]


def test_the_date_order_is_asked_and_the_answer_decides_which_submission_counts(app):
    at = upload(open_page(app, "views/upload.py"), SHEETS_DATES, "sheets.csv")
    assert "Google Sheets" in texts(at)
    question = at.radio(key="upload_choice_dayfirst")
    assert question.options[0].startswith(plain("day-first: 10/09/2024 08:00:05 is 10 September 2024"))
    assert question.options[1].startswith(plain("month-first: 10/09/2024 08:00:05 is October 9, 2024"))
    assert not [b for b in at.button if b.key == "upload_import"]
    question.set_value(0).run()
    at.button(key="upload_choice_apply_dayfirst").click().run()
    assert not at.exception
    assert "You chose: dates day-first" in texts(at)
    assert metrics(at)["Resubmissions replaced"] == "1"
    at.button(key="upload_import").click().run()
    # day-first: ana's latest is 1 October (Culture 3, Mindset 2); ben's Culture 3, Mindset 4
    assert stored("sheets.csv") == [("culture", 3), ("culture", 3), ("mindset", 2), ("mindset", 4)]


def test_the_date_order_month_first_keeps_the_other_submission(app):
    at = upload(open_page(app, "views/upload.py"), SHEETS_DATES, "sheets.csv")
    at.radio(key="upload_choice_dayfirst").set_value(1).run()
    at.button(key="upload_choice_apply_dayfirst").click().run()
    at.button(key="upload_import").click().run()
    # month-first: ana's latest is October 9 (Culture 1, Mindset 1)
    assert stored("sheets.csv") == [("culture", 1), ("culture", 3), ("mindset", 1), ("mindset", 4)]


def test_two_response_sheets_ask_which_one_and_the_chosen_sheet_is_imported(app):
    header = ["Respondent", "Culture", "Mindset"]
    data = xlsx(
        {
            "Responses": [header, ["ana", 1, 1], ["ben", 1, 2]],
            "Responses (cleaned)": [header, ["ana", 4, 4], ["ben", 3, 4]],
        }
    )
    at = upload(open_page(app, "views/upload.py"), data, "two-sheets.xlsx", XLSX)
    question = at.radio(key="upload_choice_sheet")
    assert [o.split(" ")[0] for o in question.options] == ["Responses", "Responses"]
    assert "cleaned" in question.options[1]
    question.set_value(1).run()
    at.button(key="upload_choice_apply_sheet").click().run()
    assert f"sheet “{plain('Responses (cleaned)')}”" in texts(at)
    # the other sheet stays one choice away
    assert at.selectbox(key="upload_sheet_two-sheets.xlsx").value == "Responses (cleaned)"
    at.button(key="upload_import").click().run()
    assert stored("two-sheets.xlsx") == [("culture", 3), ("culture", 4), ("mindset", 4), ("mindset", 4)]


# -- every source, through the page -------------------------------------------------------------------------
# The same exports as tests/test_ingest_sources.py (where each layout's public source is named), uploaded
# through the page on the test framework and read back from the database. The n and mean per item are the
# figures worked out by hand there (the comments beside each test list the kept rows and the arithmetic).
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def ms_quiz() -> bytes:
    from test_ingest_sources import ms_quiz_workbook

    return ms_quiz_workbook()


SOURCES = {
    "google-forms (Username)": (
        "google_forms/restricted-username.csv",
        {"culture": (3, 3.0), "relationships": (2, 2.5), "voice-choice": (3, 3.3333), "mindset": (3, 3.0),
         "flexible-pacing": (3, 2.0)},
    ),
    "google-sheets (day-first)": (
        "google_sheets/day-first.csv",
        {"culture": (3, 3.3333), "relationships": (2, 3.0), "voice-choice": (3, 3.3333), "mindset": (3, 3.3333),
         "flexible-pacing": (2, 2.5)},
    ),
    "microsoft-forms (quiz)": (
        ms_quiz,
        {"culture": (3, 2.6667), "relationships": (2, 3.0), "voice-choice": (3, 3.3333), "mindset": (3, 2.3333),
         "flexible-pacing": (3, 2.3333)},
    ),
    "qualtrics (choice text)": (
        "qualtrics/choice-text.csv",
        {"culture": (3, 3.0), "relationships": (2, 2.5), "voice-choice": (3, 3.6667), "mindset": (3, 2.6667),
         "flexible-pacing": (3, 2.3333)},
    ),
    "surveymonkey (matrix)": (
        "surveymonkey/matrix.csv",
        {"culture": (3, 3.0), "relationships": (2, 2.5), "voice-choice": (3, 3.3333), "mindset": (3, 3.0),
         "flexible-pacing": (3, 2.3333)},
    ),
    "our template (wide)": (
        "template/wide.csv",
        {"culture": (3, 3.0), "relationships": (3, 2.6667), "voice-choice": (2, 2.5), "mindset": (2, 2.5),
         "flexible-pacing": (3, 2.0)},
    ),
}  # fmt: skip


def item_figures(rows: list[tuple[str, int | None]]) -> dict[str, tuple[int, float]]:
    levels: dict[str, list[int]] = {}
    for item, level in rows:
        if level is not None:
            levels.setdefault(item, []).append(level)
    return {item: (len(v), round(sum(v) / len(v), 4)) for item, v in levels.items()}


@pytest.mark.parametrize("source", list(SOURCES))
def test_every_source_imports_through_the_page_with_the_hand_checked_figures(app, monkeypatch, source):
    what, expected = SOURCES[source]
    monkeypatch.setenv("PL_FRAMEWORKS_PATH", str(FIXTURES / "frameworks"))
    at = open_page(app, "views/upload.py", ctx_framework="mini")
    assert at.selectbox(key="ctx_framework").value == "mini"
    name = "quiz.xlsx" if callable(what) else Path(what).name
    data = what() if callable(what) else (FIXTURES / "ingest" / what).read_bytes()
    at = upload(at, data, name, XLSX if name.endswith(".xlsx") else "text/csv")
    assert not at.exception
    assert "Read as" in texts(at)
    at.button(key="upload_import").click().run()
    assert "Imported" in texts(at), texts(at)
    assert item_figures(stored(name)) == expected
