"""Choices the file cannot settle are asked, never guessed: date order, question block, sheet.

Each is an error whose `choice` names the `read_upload` keyword that settles it (`dayfirst`, `block`,
`sheet`) and whose `options` are the values to offer; passing one imports the file. Date order is
settled by the file itself when any date reads only one way (a 13 or more in the first place is a day).
Timestamp layouts: Google Forms' CSV (`2022/10/17 6:31:58 PM EST`, `2022/06/22 11:07:29 AM AST` in public
exports), Google Sheets downloads in the spreadsheet's locale, ISO (Qualtrics, Excel dates).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from workbooks import xlsx

from pl_core.frameworks import read_framework_file
from pl_core.ingest import read_upload, respondent_key

HERE = Path(__file__).parent
MINI = read_framework_file(HERE / "fixtures" / "frameworks" / "mini.yaml")
SECRET = b"test-secret"
AMBIGUOUS = (HERE / "fixtures" / "ingest" / "google_sheets" / "ambiguous-dates.csv").read_bytes()
HEADER = "Timestamp,Email Address,Learner Profile [Culture],Instruction [Mindset]\n"


def stats(parsed) -> dict[str, tuple[int, float]]:
    r = parsed.responses
    grouped = r.groupby(r["item"].astype(str))["level"].agg(["count", "mean"])
    return {item: (int(row["count"]), round(float(row["mean"]), 4)) for item, row in grouped.iterrows()}


# -- date order ------------------------------------------------------------------------------------------------


def test_ambiguous_dates_with_a_resubmission_ask_for_the_date_order():
    parsed = read_upload(AMBIGUOUS, "a.csv", MINI, secret=SECRET)
    report = parsed.report
    assert not report.valid and parsed.responses.empty
    assert report.error_locations() == [(2, "Timestamp", "ambiguous-date-order")]
    (issue,) = report.errors
    assert issue.value == "10/09/2024 08:00:05"
    assert issue.rows == (2, 5)  # ana's two submissions, the ones whose order is in question
    assert "Google Sheets" in issue.message
    assert "10 September 2024" in issue.message and "9 October 2024" in issue.message
    assert issue.choice == "dayfirst"
    assert [(o.value, o.label) for o in issue.options] == [
        (True, "day-first: 10/09/2024 08:00:05 is 10 September 2024"),
        (False, "month-first: 10/09/2024 08:00:05 is October 9, 2024"),
    ]
    assert report.choices == (issue,)
    assert report.date_order is None


@pytest.mark.parametrize(
    ("dayfirst", "ana_row", "expected"),
    [
        # Day-first: 10 September, then 1 October, so ana's row 5 counts. Kept: ana row 5, ben row 3.
        # culture 3,3 -> 3.0; relationships 2,(unsure) -> 2.0; voice 3,3 -> 3.0; mindset 3,4 -> 3.5;
        # flexible pacing 2,3 -> 2.5
        (
            True,
            5,
            {
                "culture": (2, 3.0),
                "relationships": (1, 2.0),
                "voice-choice": (2, 3.0),
                "mindset": (2, 3.5),
                "flexible-pacing": (2, 2.5),
            },
        ),
        # Month-first: 9 October, then 10 January, so ana's row 2 counts. Kept: ana row 2, ben row 3.
        # culture 1,3 -> 2.0; relationships 1 -> 1.0; voice 2,3 -> 2.5; mindset 2,4 -> 3.0; flexible 2,3 -> 2.5
        (
            False,
            2,
            {
                "culture": (2, 2.0),
                "relationships": (1, 1.0),
                "voice-choice": (2, 2.5),
                "mindset": (2, 3.0),
                "flexible-pacing": (2, 2.5),
            },
        ),
    ],
)
def test_the_caller_settles_the_date_order(dayfirst, ana_row, expected):
    parsed = read_upload(AMBIGUOUS, "a.csv", MINI, secret=SECRET, dayfirst=dayfirst)
    report = parsed.report
    assert report.valid
    assert report.date_order == ("day-first" if dayfirst else "month-first")
    assert report.date_order_reason == f"chosen: dayfirst={dayfirst}"
    assert stats(parsed) == expected
    ana = parsed.responses[parsed.responses["respondent"] == respondent_key(SECRET, "ana@school.org")]
    assert set(ana["source_row"]) == {ana_row}


@pytest.mark.parametrize(
    ("stamps", "order", "settled_by"),
    [
        (["10/09/2024 08:00", "25/09/2024 08:00", "01/10/2024 08:00"], "day-first", "25/09/2024 08:00"),
        (["09/10/2024 8:00 AM", "09/25/2024 8:00 AM", "10/01/2024 8:00 AM"], "month-first", "09/25/2024 8:00 AM"),
        (["10.09.2024 08:00:05", "13.09.2024 09:00:00", "01.10.2024 10:00:00"], "day-first", "13.09.2024 09:00:00"),
    ],
    ids=["uk", "us", "german"],
)
def test_a_date_that_reads_one_way_only_settles_the_order(stamps, order, settled_by):
    rows = [f"{stamps[0]},ana@school.org,1,1", f"{stamps[1]},ben@school.org,2,2", f"{stamps[2]},ana@school.org,4,4"]
    parsed = read_upload((HEADER + "\n".join(rows) + "\n").encode(), "d.csv", MINI, secret=SECRET)
    report = parsed.report
    assert report.valid
    assert report.date_order == order
    assert report.date_order_reason.startswith("decided by the file") and settled_by in report.date_order_reason
    assert stats(parsed) == {"culture": (2, 3.0), "mindset": (2, 3.0)}  # ana's later answers (4) count


def test_ambiguous_dates_nobody_resubmitted_are_read_month_first_and_the_report_says_so():
    data = (HEADER + "10/09/2024 08:00,ana@school.org,1,1\n11/09/2024 08:00,ben@school.org,3,3\n").encode()
    parsed = read_upload(data, "d.csv", MINI, secret=SECRET)
    report = parsed.report
    assert report.valid
    assert (report.date_order, report.date_order_reason) == (
        "month-first",
        "assumed: no date settles it and no resubmission depends on it",
    )
    assert report.warning_locations() == [(None, "Timestamp", "assumed-date-order")]
    assert parsed.responses["submitted_at"].iloc[0] == pd.Timestamp("2024-10-09 08:00")


def test_dates_that_contradict_each_other_ask_for_the_order():
    data = (HEADER + "25/09/2024 08:00,ana@school.org,1,1\n09/25/2024 08:00,ben@school.org,3,3\n").encode()
    report = read_upload(data, "d.csv", MINI, secret=SECRET).report
    assert report.error_locations() == [(2, "Timestamp", "ambiguous-date-order")]
    assert report.errors[0].rows == (2, 3)
    chosen = read_upload(data, "d.csv", MINI, secret=SECRET, dayfirst=True).report
    assert chosen.valid
    assert chosen.warning_locations() == [(3, "Timestamp", "bad-timestamp")]  # 09/25 has no 25th month


@pytest.mark.parametrize(
    "stamp",
    [
        "2024/09/10 8:00:05 AM GMT-6",
        "2024/09/10 8:00:05 am GMT-6",
        "2024/09/10 8:00:05 a.m. GMT-6",
        "2022/10/17 6:31:58 PM EST",
        "2022/06/22 11:07:29 AM AST",
        "2024/09/10 20:00:05 CEST",
        "2024/09/10 20:00:05 GMT+5:30",
        "2024-09-10 20:00:05",
        "2024-09-10T20:00:05Z",
    ],
)
def test_google_and_iso_timestamps_are_year_first_and_never_ambiguous(stamp):
    data = (HEADER + f"{stamp},ana@school.org,1,1\n2024/09/11 8:00:00 AM GMT-6,ana@school.org,4,4\n").encode()
    parsed = read_upload(data, "g.csv", MINI, secret=SECRET)
    assert parsed.report.valid
    assert parsed.report.date_order == "year-first"
    assert parsed.report.warnings[0].type == "superseded" and parsed.report.warnings[0].row == 2
    assert list(parsed.responses["level"]) == [4, 4]


def test_the_date_order_is_never_asked_when_there_are_no_dates():
    parsed = read_upload(b"respondent,Culture\nA,1\nA,2\n", "t.csv", MINI, secret=SECRET)
    assert parsed.report.valid
    assert parsed.report.date_order is None


# -- sheets ----------------------------------------------------------------------------------------------------

RESPONSES = [
    ["Timestamp", "Email Address", "Learner Profile [Culture]", "Instruction [Mindset]"],
    [datetime(2024, 10, 2, 8), "ana@school.org", "2", "3"],
    [datetime(2024, 10, 2, 9), "ben@school.org", "4", "1"],
]


def test_form_responses_wins_over_another_sheet_with_the_same_columns():
    copy = [RESPONSES[0], [datetime(2024, 10, 2, 8), "ana@school.org", "1", "1"]]
    data = xlsx({"Copy of Form Responses": copy, "Form Responses 1": RESPONSES})
    report = read_upload(data, "w.xlsx", MINI, secret=SECRET).report
    assert report.valid
    assert report.sheet == "Form Responses 1"
    assert report.sheets == ("Copy of Form Responses", "Form Responses 1")


def test_two_equally_likely_sheets_ask_which_one():
    data = xlsx({"Responses": RESPONSES, "Responses (before cleaning)": RESPONSES, "Notes": [["to do"]]})
    report = read_upload(data, "w.xlsx", MINI, secret=SECRET).report
    assert report.error_locations() == [(None, None, "ambiguous-sheet")]
    (issue,) = report.errors
    assert "Google Sheets" in issue.message
    assert issue.choice == "sheet"
    assert [o.value for o in issue.options] == ["Responses", "Responses (before cleaning)"]
    assert report.sheets == ("Responses", "Responses (before cleaning)", "Notes")
    chosen = read_upload(data, "w.xlsx", MINI, secret=SECRET, sheet="Responses (before cleaning)").report
    assert chosen.valid and chosen.sheet == "Responses (before cleaning)"


def test_a_sheet_that_does_not_exist_is_refused_with_the_sheets_there_are():
    data = xlsx({"Summary": [["Item", "Average"]], "Form Responses 1": RESPONSES})
    report = read_upload(data, "w.xlsx", MINI, secret=SECRET, sheet="Form responses").report
    assert report.error_locations() == [(None, None, "unknown-sheet")]
    assert [o.value for o in report.errors[0].options] == ["Summary", "Form Responses 1"]


def test_a_single_sheet_workbook_needs_no_choice():
    report = read_upload(xlsx({"Sheet1": RESPONSES}), "w.xlsx", MINI, secret=SECRET).report
    assert report.valid
    assert (report.sheet, report.sheets) == ("Sheet1", ("Sheet1",))
