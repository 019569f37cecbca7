"""The failures reported in the issue, each reduced to the smallest file that shows it.

Four were silent (wrong figures, no error): a `Username` column ignored, day-first dates read month
first, a checkbox cell with two levels read as its first, and a cleared row or a principal's column
taken for a respondent or for comments. Five were refused with messages pointing the wrong way:
Microsoft Forms in quiz mode, Microsoft Forms with a repeated Likert block (`Relationships2`), Qualtrics'
three header rows, SurveyMonkey's two, and a Google Sheets workbook whose first tab is a summary.
Each test checks figures worked out by hand, or the structured error that now asks the right question.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from workbooks import xlsx

from pl_core.frameworks import load_framework, read_framework_file
from pl_core.ingest import read_upload

MINI = read_framework_file(Path(__file__).parent / "fixtures" / "frameworks" / "mini.yaml")
DPS = load_framework("dps-driver-model")
SECRET = b"test-secret"
ITEMS = "Learner Profile [Culture],Learner Profile [Relationships],Instruction [Mindset]"


def stats(parsed) -> dict[str, tuple[int, float]]:
    r = parsed.responses
    grouped = r.groupby(r["item"].astype(str))["level"].agg(["count", "mean"])
    return {item: (int(row["count"]), round(float(row["mean"]), 4)) for item, row in grouped.iterrows()}


# -- silent ---------------------------------------------------------------------------------------------


def test_username_of_a_restricted_google_form_identifies_a_resubmission():
    data = (
        f"Timestamp,Username,{ITEMS}\n"
        "2024/09/10 8:00:05 AM GMT-6,ana@school.org,1,1,1\n"
        "2024/09/10 9:00:00 AM GMT-6,ben@school.org,3,3,Not sure\n"
        "2024/09/11 8:00:00 AM GMT-6,ana@school.org,4,4,4\n"
    ).encode()
    parsed = read_upload(data, "forms.csv", MINI, secret=SECRET)
    assert parsed.report.valid
    assert parsed.report.respondents == 2
    assert parsed.report.superseded == 1
    # ben 3, ana's second answers 4: culture (3+4)/2, relationships (3+4)/2, mindset only ana's 4
    assert stats(parsed) == {"culture": (2, 3.5), "relationships": (2, 3.5), "mindset": (1, 4.0)}


def test_day_first_sheets_download_keeps_the_newer_submission():
    # 10/09 then 01/10, day-first: 10 September then 1 October, so ana's second row counts.
    # Read month-first they would be 9 October and 10 January, and her first row would win.
    data = (
        f"Timestamp,Email Address,{ITEMS}\n"
        "10/09/2024 08:00:05,ana@school.org,1,1,1\n"
        "13/09/2024 09:30:00,ben@school.org,3,3,3\n"
        "01/10/2024 16:45:10,ana@school.org,4,4,2\n"
    ).encode()
    parsed = read_upload(data, "sheets.csv", MINI, secret=SECRET)
    assert parsed.report.valid
    assert stats(parsed) == {"culture": (2, 3.5), "relationships": (2, 3.5), "mindset": (2, 2.5)}
    assert parsed.report.date_order == "day-first"


def test_checkbox_grid_cell_with_two_levels_is_no_answer():
    data = (
        f"Timestamp,Email Address,{ITEMS}\n"
        '2024/09/10 8:00:05 AM GMT-6,ana@school.org,"2 - Learner Centered;3 - More Learner Centered",2,4\n'
        "2024/09/10 9:00:00 AM GMT-6,ben@school.org,4,3,3\n"
    ).encode()
    parsed = read_upload(data, "grid.csv", MINI, secret=SECRET)
    assert stats(parsed) == {"culture": (1, 4.0), "relationships": (2, 2.5), "mindset": (2, 3.5)}
    assert [(w.row, w.column, w.type) for w in parsed.report.warnings] == [
        (2, "Learner Profile [Culture]", "multiple-levels")
    ]


def test_cleared_row_is_nobody_and_a_principals_notes_column_is_not_comments():
    data = (
        f"Timestamp,Email Address,{ITEMS},Notes\n"
        "2024/09/10 8:00:05 AM GMT-6,ana@school.org,1,2,3,needs a nudge about the deadline\n"
        ",,,,,\n"
        "2024/09/10 9:00:00 AM GMT-6,ben@school.org,3,3,3,\n"
    ).encode()
    parsed = read_upload(data, "sheets.csv", MINI, secret=SECRET)
    assert parsed.report.valid
    assert parsed.report.respondents == 2
    assert len(parsed.responses) == 6
    assert parsed.comments.empty
    assert stats(parsed) == {"culture": (2, 2.0), "relationships": (2, 2.5), "mindset": (2, 3.0)}


# -- refused, and wrongly explained --------------------------------------------------------------------------


def test_microsoft_forms_quiz_mode_imports():
    headers = ["Id", "Start time", "Completion time", "Email", "Name", "Total points", "Quiz feedback"]
    for item in ("Culture", "Relationships", "Mindset"):
        headers += [item, f"Points - {item}", f"Feedback - {item}"]
    row1 = [1, datetime(2025, 10, 6, 9), datetime(2025, 10, 6, 9, 5), "ana@school.org", "Ana", 0, None]
    row1 += ["Learner Centered", 0, "Well done"] * 3
    row2 = [2, datetime(2025, 10, 6, 10), datetime(2025, 10, 6, 10, 5), "ben@school.org", "Ben", 0, None]
    row2 += ["Learner Driven", 0, None] * 3
    parsed = read_upload(xlsx({"Sheet1": [headers, row1, row2]}), "quiz.xlsx", MINI, secret=SECRET)
    assert parsed.report.valid, parsed.report.summary()
    assert stats(parsed) == {"culture": (2, 3.0), "relationships": (2, 3.0), "mindset": (2, 3.0)}
    assert parsed.comments.empty


def test_microsoft_forms_second_likert_over_the_same_statements_asks_which_block():
    statements = ["Relationships", "Culture", "Mindset", "Metacognition"]
    headers = ["ID", "Start time", "Completion time", "Email", "Name", *statements, *(f"{s}2" for s in statements)]
    row = [1, datetime(2025, 10, 6, 9), datetime(2025, 10, 6, 9, 5), "ana@school.org", "Ana"]
    row += ["Developing", "Proficient", "Beginning", "Developing", "Advanced", "Advanced", "Proficient", "Advanced"]
    data = xlsx({"Sheet1": [headers, row]})
    parsed = read_upload(data, "likert.xlsx", DPS, secret=SECRET)
    assert parsed.report.error_locations() == [(1, "Relationships", "ambiguous-block")]
    issue = parsed.report.errors[0]
    assert "Microsoft Forms" in issue.message
    assert "misspel" not in issue.message and "did you mean" not in (issue.hint or "")
    assert (issue.choice, [o.value for o in issue.options]) == ("block", [1, 2])
    today = read_upload(data, "likert.xlsx", DPS, secret=SECRET, block=1)
    assert stats(today) == {
        "relationships": (1, 2.0),
        "culture": (1, 3.0),
        "mindset": (1, 1.0),
        "metacognition": (1, 2.0),
    }


def test_qualtrics_three_header_rows_are_headers_not_answers():
    data = (
        b"StartDate,EndDate,Status,Progress,Finished,RecordedDate,ResponseId,RecipientEmail,Q1_1,Q1_2,Q1_3\n"
        b"Start Date,End Date,Response Type,Progress,Finished,Recorded Date,Response ID,Recipient Email,"
        b"Rate - Culture,Rate - Relationships,Rate - Mindset\n"
        b'"{""ImportId"":""startDate""}","{""ImportId"":""endDate""}","{""ImportId"":""status""}",'
        b'"{""ImportId"":""progress""}","{""ImportId"":""finished""}","{""ImportId"":""recordedDate""}",'
        b'"{""ImportId"":""_recordId""}","{""ImportId"":""recipientEmail""}","{""ImportId"":""QID1_1""}",'
        b'"{""ImportId"":""QID1_2""}","{""ImportId"":""QID1_3""}"\n'
        b"2024-09-10 08:00,2024-09-10 08:05,IP Address,100,True,2024-09-10 08:05,R_1,ana@school.org,"
        b"Learner Centered,Learner Driven,Teacher Driven\n"
        b"2024-09-10 09:00,2024-09-10 09:05,Survey Preview,100,True,2024-09-10 09:05,R_2,,"
        b"Learner Driven,Learner Driven,Learner Driven\n"
    )
    parsed = read_upload(data, "qualtrics.csv", MINI, secret=SECRET)
    assert parsed.report.valid, parsed.report.summary()
    assert stats(parsed) == {"culture": (1, 2.0), "relationships": (1, 4.0), "mindset": (1, 1.0)}


def test_surveymonkey_two_header_rows_match_items():
    data = (
        b"Respondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,First Name,Last Name,"
        b"Custom Data 1,Where are we?,,\n"
        b",,,,,,,,,Culture,Relationships,Mindset\n"
        b"1141,4312,09/10/2024 08:00:05 AM,09/10/2024 08:04:40 AM,198.51.100.1,ana@school.org,,,,"
        b"Learner Centered,Learner Driven,Teacher Driven\n"
    )
    parsed = read_upload(data, "surveymonkey.csv", MINI, secret=SECRET)
    assert parsed.report.valid, parsed.report.summary()
    assert stats(parsed) == {"culture": (1, 2.0), "relationships": (1, 4.0), "mindset": (1, 1.0)}


def test_sheets_workbook_with_a_summary_first_reads_the_responses_tab():
    summary = [["Item", "Average"], ["Culture", 2.5], ["Relationships", 3.0]]
    responses = [
        ["Timestamp", "Email Address", "Learner Profile [Culture]", "Learner Profile [Relationships]"],
        [datetime(2024, 10, 2, 8), "ana@school.org", "2", "3"],
        [datetime(2024, 10, 2, 9), "ben@school.org", "3", "3"],
    ]
    parsed = read_upload(xlsx({"Summary": summary, "Form Responses 1": responses}), "s.xlsx", MINI, secret=SECRET)
    assert parsed.report.valid, parsed.report.summary()
    assert stats(parsed) == {"culture": (2, 2.5), "relationships": (2, 3.0)}


@pytest.mark.parametrize(
    ("data", "tool"),
    [
        (
            b"Respondent ID,Collector ID,Start Date,End Date,How was lunch?\n,,,,Response\n1,2,x,y,Fine\n",
            "SurveyMonkey export with 2 header rows",
        ),
        (
            b"StartDate,EndDate,Status,Finished,Q1\nStart Date,End Date,Response Type,Finished,How was lunch?\n"
            b'"{""ImportId"":""startDate""}",x,x,x,"{""ImportId"":""QID1""}"\n'
            b"2024-01-01,2024-01-01,IP Address,True,Fine\n",
            "Qualtrics export with 3 header rows",
        ),
    ],
    ids=["surveymonkey", "qualtrics"],
)
def test_a_survey_with_no_item_questions_is_refused_naming_the_tool(data, tool):
    parsed = read_upload(data, "other.csv", MINI, secret=SECRET)
    assert parsed.report.error_locations() == [(1, None, "no-items")]
    assert f"looks like a {tool}" in parsed.report.errors[0].message
