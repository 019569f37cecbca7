"""Each survey tool's export, laid out as the tool writes it, imports with hand-computed figures.

Every fixture has a resubmission (the later one counts), a blank row (skipped and counted), a
"don't know" answer (missing, not a level), and per-item n and mean worked out by hand beside it.
Where each layout comes from (public documentation and public examples of the files):

- Google Forms CSV download: `Timestamp`, then `Email Address` or, on a form restricted to a Google
  Workspace domain, `Username` ("Timestamp","Username",... in an Arizona State University class survey
  export on GitHub); grid rows headed `Question [Row]`; times `2022/10/17 6:31:58 PM EST` (same repo),
  `2022/06/22 11:07:29 AM AST` (a public sustainability survey); checkbox answers joined with ";".
- Google Sheets download: the same columns, dates in the spreadsheet's locale (Google's Sheets API:
  formatted values "depend on the spreadsheet locale"), a `Form Responses 1` tab in .xlsx.
- Microsoft Forms: `ID`/`Id`, `Start time`, `Completion time`, `Email`, `Name`, `Last modified time`
  (Microsoft's "Check and share your form results"; public parsers list these built-ins); a Likert
  question's statements as headers, a repeated block suffixed "2" (a public vendor-evaluation parser
  reads `vendor`, `vendor2`, ...); quiz columns `Total points`, `Quiz feedback`, `Points - Q`,
  `Feedback - Q` (a public importer skips these as Forms' metadata).
- Qualtrics CSV: three header rows (export tags, question text, `{"ImportId":...}`), `Status`
  `IP Address`/`Survey Preview`, `Finished`, `RecipientEmail`, `ResponseId`; matrix rows as
  `Question - Statement` (public exports in R and Python analysis repositories and their parsers).
- SurveyMonkey: two header rows, `Respondent ID, Collector ID, Start Date, End Date, IP Address, Email
  Address, First Name, Last Name, Custom Data 1`, then questions; row 2 holds `Response`,
  `Open-Ended Response` or a matrix row's label (documented row by row in GGWash's public parser).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from workbooks import xlsx

from pl_core.frameworks import read_framework_file
from pl_core.ingest import SOURCE_LABELS, load_label_map, read_upload, respondent_key

HERE = Path(__file__).parent
MINI = read_framework_file(HERE / "fixtures" / "frameworks" / "mini.yaml")
FIXTURES = HERE / "fixtures" / "ingest"
SECRET = b"test-secret"
TD, LC, MLC, LD = "Teacher Driven", "Learner Centered", "More Learner Centered", "Learner Driven"


def item_stats(parsed) -> dict[str, tuple[int, float]]:
    """Per item: how many answered (n) and their mean level, from the tidy responses."""
    r = parsed.responses
    grouped = r.groupby(r["item"].astype(str))["level"].agg(["count", "mean"])
    return {item: (int(row["count"]), round(float(row["mean"]), 4)) for item, row in grouped.iterrows()}


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# -- Google Forms ---------------------------------------------------------------------------------------


def test_google_forms_restricted_form_keys_people_by_username():
    # Kept: ben (row 3), ana's later answers (row 5), cy (row 6); ana's row 2 is superseded, row 4 blank.
    # culture 3,2,4 -> 3.0; relationships 3,2,(not sure) -> 2.5; voice 4,3,3 -> 3.3333;
    # mindset 2,3,4 -> 3.0; flexible pacing 2,3,1 -> 2.0
    parsed = read_upload(fixture("google_forms/restricted-username.csv"), "r.csv", MINI, secret=SECRET)
    report = parsed.report
    assert report.valid
    assert (report.source, report.source_label) == ("google-forms", "a Google Forms export")
    assert report.respondents == 3
    assert report.superseded == 1
    assert report.blank_rows == 1 and report.skipped("blank") == 1
    assert item_stats(parsed) == {
        "culture": (3, 3.0),
        "relationships": (2, 2.5),
        "voice-choice": (3, 3.3333),
        "mindset": (3, 3.0),
        "flexible-pacing": (3, 2.0),
    }
    ana = parsed.responses[parsed.responses["respondent"] == respondent_key(SECRET, "ana@school.org")]
    assert set(ana["source_row"]) == {5}
    assert ("Username", "metadata", "username") in {(c.header, c.kind, c.item) for c in report.columns}


def test_google_forms_checkbox_grid_cell_with_two_levels_is_missing_with_a_warning():
    # Kept: eli (row 3), dee's later answers (row 5). Two ticked levels count as no answer.
    # culture 4,(two) -> 4.0; relationships 3,(two) -> 3.0; voice 3,(don't know) -> 3.0;
    # mindset 2,2 -> 2.0; flexible pacing 4,1 -> 2.5
    parsed = read_upload(fixture("google_forms/checkbox-grid.csv"), "c.csv", MINI, secret=SECRET)
    assert parsed.report.valid
    assert item_stats(parsed) == {
        "culture": (1, 4.0),
        "relationships": (1, 3.0),
        "voice-choice": (1, 3.0),
        "mindset": (2, 2.0),
        "flexible-pacing": (2, 2.5),
    }
    multiple = [(w.row, w.column, w.value) for w in parsed.report.warnings if w.type == "multiple-levels"]
    assert multiple == [
        (2, "Learner Profile [Culture]", "2 - Learner Centered;3 - More Learner Centered"),
        (5, "Learner Profile [Culture]", "2 - Learner Centered;3 - More Learner Centered"),
        (5, "Learner Profile [Relationships]", "1 - Teacher Driven;2 - Learner Centered"),
    ]


# -- Google Sheets --------------------------------------------------------------------------------------


def test_google_sheets_day_first_download_keeps_the_later_submission():
    # 13/09/2024 (row 3) can only be 13 September, so the file is day-first: ana's 01/10/2024 (1 October,
    # row 5) is later than her 10/09/2024 (10 September, row 2). Kept: ben, ana row 5, cy; row 4 cleared.
    # culture 3,3,4 -> 3.3333; relationships 2,(don't know),4 -> 3.0; voice 3,3,4 -> 3.3333;
    # mindset 3,4,3 -> 3.3333; flexible pacing 2,3,(not observed) -> 2.5
    parsed = read_upload(fixture("google_sheets/day-first.csv"), "d.csv", MINI, secret=SECRET)
    report = parsed.report
    assert report.valid
    assert report.source == "google-sheets"
    assert report.date_order == "day-first"
    assert "13/09/2024" in report.date_order_reason and "row 3" in report.date_order_reason
    assert item_stats(parsed) == {
        "culture": (3, 3.3333),
        "relationships": (2, 3.0),
        "voice-choice": (3, 3.3333),
        "mindset": (3, 3.3333),
        "flexible-pacing": (2, 2.5),
    }
    ana = parsed.responses[parsed.responses["respondent"] == respondent_key(SECRET, "ana@school.org")]
    assert set(ana["source_row"]) == {5}
    assert ana["submitted_at"].iloc[0] == pd.Timestamp("2024-10-01 16:45:10")


def test_google_sheets_cleared_row_is_skipped_and_a_principals_column_is_not_comments():
    parsed = read_upload(fixture("google_sheets/day-first.csv"), "d.csv", MINI, secret=SECRET)
    report = parsed.report
    assert report.respondents == 3  # the cleared row 4 is nobody
    assert report.skipped_rows == (("blank", 1),)
    assert [(w.row, w.type, w.rows) for w in report.warnings if w.type == "blank-rows"] == [(4, "blank-rows", (4,))]
    assert parsed.comments.empty
    assert report.unused_columns == ("Notes",)
    assert ("Notes", "ignored") in {(c.header, c.kind) for c in report.columns}
    assert (1, "Notes", "unknown-column") in report.warning_locations()


def test_the_caller_may_mark_a_column_as_comments():
    parsed = read_upload(
        fixture("google_sheets/day-first.csv"), "d.csv", MINI, secret=SECRET, column_overrides={"Notes": "comments"}
    )
    assert parsed.report.comment_columns == ("Notes",)
    assert list(parsed.comments["text"]) == ["second try after coaching"]  # ana's row 2 was superseded


def sheets_workbook() -> bytes:
    """A Google Sheets .xlsx download whose first tab is the principal's summary."""
    headers = [
        "Timestamp",
        "Email Address",
        "Your role",
        "Learner Profile [Culture]",
        "Learner Profile [Relationships]",
        "Learner Profile [Voice and Choice]",
        "Instruction [Mindset]",
        "Instruction [Flexible Pacing]",
        "Notes",
    ]
    summary = [["Item", "Average"], ["Culture", 2.7], ["Relationships", 3.1], ["Mindset", 2.2]]
    responses = [
        headers,
        [datetime(2024, 10, 2, 8, 0, 5), "ana@school.org", "Teacher", "2 - Learner Centered", TD, LC, LC, LC, "late"],
        [
            datetime(2024, 10, 2, 9, 0, 0),
            "ben@school.org",
            "Coach",
            "4 - Learner Driven",
            MLC,
            LD,
            "Don't know",
            TD,
            "",
        ],
        [None] * 9,
        [
            datetime(2024, 10, 3, 7, 30, 0),
            "ana@school.org",
            "Teacher",
            "3 - More Learner Centered",
            LC,
            MLC,
            MLC,
            LC,
            "",
        ],
    ]
    return xlsx({"Summary": summary, "Form Responses 1": responses})


def test_google_sheets_workbook_reads_the_form_responses_tab_not_the_summary_before_it():
    # Kept: ben (row 3), ana (row 5); ana's row 2 superseded, row 4 cleared.
    # culture 4,3 -> 3.5; relationships 3,2 -> 2.5; voice 4,3 -> 3.5; mindset (don't know),3 -> 3.0;
    # flexible pacing 1,2 -> 1.5
    parsed = read_upload(sheets_workbook(), "responses.xlsx", MINI, secret=SECRET)
    report = parsed.report
    assert report.valid, report.summary()
    assert (report.sheet, report.sheets) == ("Form Responses 1", ("Summary", "Form Responses 1"))
    assert report.source == "google-sheets"
    assert report.date_order == "year-first"  # real dates in the workbook
    assert report.blank_rows == 1 and report.superseded == 1
    assert item_stats(parsed) == {
        "culture": (2, 3.5),
        "relationships": (2, 2.5),
        "voice-choice": (2, 3.5),
        "mindset": (1, 3.0),
        "flexible-pacing": (2, 1.5),
    }


def test_another_sheet_can_be_chosen():
    parsed = read_upload(sheets_workbook(), "responses.xlsx", MINI, secret=SECRET, sheet="Summary")
    assert parsed.report.sheet == "Summary"
    assert parsed.report.error_locations() == [(1, None, "no-items")]


# -- Microsoft Forms ----------------------------------------------------------------------------------------

MS_QUIZ_HEADERS = [
    "Id",
    "Start time",
    "Completion time",
    "Email",
    "Name",
    "Last modified time",
    "Total points",
    "Quiz feedback",
    "Your role",
]
for _item in ("Culture", "Relationships", "Voice and Choice", "Mindset", "Flexible Pacing"):
    MS_QUIZ_HEADERS += [_item, f"Points - {_item}", f"Feedback - {_item}"]


def ms_quiz_row(id_, start, done, email, name, modified, role, answers):
    row = [id_, start, done, email, name, modified, 0, "", role]
    for answer in answers:
        row += [answer, 0, "Thanks for answering" if answer else ""]
    return row


def ms_quiz_workbook() -> bytes:
    rows = [
        MS_QUIZ_HEADERS,
        ms_quiz_row(
            1,
            datetime(2025, 10, 6, 9, 0),
            datetime(2025, 10, 6, 9, 4),
            "fay@school.org",
            "Fay Ali",
            datetime(2025, 10, 6, 15, 0),
            "Teacher",
            [LC, TD, MLC, "Don't know", LD],
        ),
        ms_quiz_row(
            2,
            datetime(2025, 10, 6, 10, 5),
            datetime(2025, 10, 6, 10, 10),
            "anonymous",
            None,
            None,
            "Coach",
            [LD, LD, MLC, LC, TD],
        ),
        [None] * len(MS_QUIZ_HEADERS),
        ms_quiz_row(
            3,
            datetime(2025, 10, 7, 7, 55),
            datetime(2025, 10, 7, 8, 0),
            "fay@school.org",
            "Fay Ali",
            None,
            "Teacher",
            [MLC, LC, MLC, LC, LD],
        ),
        ms_quiz_row(
            4,
            datetime(2025, 10, 7, 9, 25),
            datetime(2025, 10, 7, 9, 30),
            "anonymous",
            None,
            None,
            "Aide",
            [TD, "Not sure", LD, MLC, LC],
        ),
    ]
    return xlsx({"Sheet1": rows})


def test_microsoft_forms_quiz_export_ignores_points_and_feedback_columns():
    # Kept: anonymous Id 2 (row 3), fay's second response (row 5), anonymous Id 4 (row 6). Fay's first
    # response was last modified on 6 October 15:00, before her second on 7 October. Row 4 is blank.
    # culture 4,3,1 -> 2.6667; relationships 4,2,(not sure) -> 3.0; voice 3,3,4 -> 3.3333;
    # mindset 2,2,3 -> 2.3333; flexible pacing 1,4,2 -> 2.3333
    parsed = read_upload(ms_quiz_workbook(), "quiz.xlsx", MINI, secret=SECRET)
    report = parsed.report
    assert report.valid, report.summary()
    assert report.source == "microsoft-forms"
    assert (report.respondents, report.superseded, report.blank_rows) == (3, 1, 1)
    assert item_stats(parsed) == {
        "culture": (3, 2.6667),
        "relationships": (2, 3.0),
        "voice-choice": (3, 3.3333),
        "mindset": (3, 2.3333),
        "flexible-pacing": (3, 2.3333),
    }
    quiz = {c.header for c in report.columns if c.how == "quiz"}
    assert quiz == {"Total points", "Quiz feedback"} | {
        h for h in MS_QUIZ_HEADERS if h.startswith(("Points", "Feedback"))
    }
    assert parsed.comments.empty  # "Feedback - Culture" is the quiz's text, not a person's comment
    assert report.warnings and all(w.type in ("superseded", "blank-rows") for w in report.warnings)
    assert ("Last modified time", "last_modified") in {(c.header, c.item) for c in report.columns}


def ms_likert_blocks() -> bytes:
    """Two Likert questions over the same five statements: today (block 1) and in a year (block 2)."""
    items = ["Culture", "Relationships", "Voice and Choice", "Mindset", "Flexible Pacing"]
    headers = ["ID", "Start time", "Completion time", "Email", "Name", *items, *(f"{i}2" for i in items)]
    rows = [
        headers,
        [
            1,
            datetime(2025, 10, 6, 9),
            datetime(2025, 10, 6, 9, 5),
            "gil@school.org",
            "Gil",
            TD,
            LC,
            LC,
            "Don't know",
            TD,
        ]
        + [LD, LD, MLC, MLC, LD],
        [2, datetime(2025, 10, 6, 10), datetime(2025, 10, 6, 10, 5), "hal@school.org", "Hal", MLC, MLC, LC, LC, LC]
        + [LD, LD, LD, LD, LD],
        [None] * len(headers),
        [3, datetime(2025, 10, 8, 9), datetime(2025, 10, 8, 9, 5), "gil@school.org", "Gil", LC, LC, MLC, LC, TD]
        + [LD, MLC, MLC, MLC, LD],
    ]
    return xlsx({"Sheet1": rows})


def test_microsoft_forms_repeated_likert_block_is_offered_as_a_choice():
    parsed = read_upload(ms_likert_blocks(), "blocks.xlsx", MINI, secret=SECRET)
    report = parsed.report
    assert not report.valid
    assert report.error_locations() == [(1, "Culture", "ambiguous-block")]
    (issue,) = report.errors
    assert "Microsoft Forms" in issue.message and "self-assessment" in issue.message
    assert issue.choice == "block"
    assert [o.value for o in issue.options] == [1, 2]
    assert issue.options[1].label.startswith("block 2: 'Culture2' ... 'Flexible Pacing2' (5 columns from column K)")
    assert report.choices == (issue,)
    assert len(report.blocks) == 2


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        # Kept: hal (row 3), gil's second response (row 5); gil's row 2 superseded, row 4 blank.
        # Block 1: culture 3,2 -> 2.5; relationships 3,2 -> 2.5; voice 2,3 -> 2.5; mindset 2,2 -> 2.0;
        # flexible pacing 2,1 -> 1.5
        (
            1,
            {
                "culture": (2, 2.5),
                "relationships": (2, 2.5),
                "voice-choice": (2, 2.5),
                "mindset": (2, 2.0),
                "flexible-pacing": (2, 1.5),
            },
        ),
        # Block 2: culture 4,4 -> 4.0; relationships 4,3 -> 3.5; voice 4,3 -> 3.5; mindset 4,3 -> 3.5;
        # flexible pacing 4,4 -> 4.0
        (
            2,
            {
                "culture": (2, 4.0),
                "relationships": (2, 3.5),
                "voice-choice": (2, 3.5),
                "mindset": (2, 3.5),
                "flexible-pacing": (2, 4.0),
            },
        ),
    ],
)
def test_choosing_a_block_imports_that_block(block, expected):
    parsed = read_upload(ms_likert_blocks(), "blocks.xlsx", MINI, secret=SECRET, block=block)
    assert parsed.report.valid, parsed.report.summary()
    assert parsed.report.block == block
    assert item_stats(parsed) == expected
    other = {c.header for c in parsed.report.columns if c.how == "other-block"}
    assert len(other) == 5


def test_a_block_that_does_not_exist_is_refused_with_the_options():
    parsed = read_upload(ms_likert_blocks(), "blocks.xlsx", MINI, secret=SECRET, block=3)
    assert parsed.report.error_locations() == [(1, "Culture", "unknown-block")]
    assert [o.value for o in parsed.report.errors[0].options] == [1, 2]


# -- Qualtrics ----------------------------------------------------------------------------------------------

QUALTRICS_STATS = {
    # Kept: ben (row 7), ana's later response (row 8), dee (row 10). Left out: the Survey Preview (row 4),
    # ana's first response (row 5, superseded), the blank row 6, cy's unfinished response (row 9).
    # culture 3,2,4 -> 3.0; relationships 3,2,(not applicable) -> 2.5; voice 4,3,4 -> 3.6667;
    # mindset 2,3,3 -> 2.6667; flexible pacing 3,3,1 -> 2.3333
    "culture": (3, 3.0),
    "relationships": (2, 2.5),
    "voice-choice": (3, 3.6667),
    "mindset": (3, 2.6667),
    "flexible-pacing": (3, 2.3333),
}


def test_qualtrics_choice_text_export_matches_on_the_question_text_row():
    parsed = read_upload(fixture("qualtrics/choice-text.csv"), "q.csv", MINI, secret=SECRET)
    report = parsed.report
    assert report.valid, report.summary()
    assert (report.source, report.header_rows) == ("qualtrics", 3)
    assert item_stats(parsed) == QUALTRICS_STATS
    assert dict(report.skipped_rows) == {"survey-preview": 1, "unfinished": 1, "blank": 1}
    assert [(w.type, w.rows) for w in report.warnings if w.type in ("survey-preview", "unfinished")] == [
        ("survey-preview", (4,)),
        ("unfinished", (9,)),
    ]
    assert report.rows_read == 7
    assert ("Where is our school on instruction? - Mindset", "item", "mindset", "statement") in {
        (c.header, c.kind, c.item, c.how) for c in report.columns
    }
    assert list(parsed.comments["text"]) == ["Good start"]


def test_qualtrics_numeric_recodes_out_of_range_say_so_and_a_recode_map_fixes_them():
    data = fixture("qualtrics/numeric-values.csv")
    rejected = read_upload(data, "n.csv", MINI, secret=SECRET)
    assert rejected.report.error_locations() == [
        (5, "Where is our school on instruction? - Mindset", "level-out-of-range"),
        (10, "Where is our school on the learner profile? - Relationships", "level-out-of-range"),
    ]
    assert all('"5": null' in e.hint and "Qualtrics" in e.hint for e in rejected.report.errors)
    assert all("numeric recode" in e.message for e in rejected.report.errors)
    labels = load_label_map(FIXTURES / "qualtrics" / "recodes.yaml")
    assert labels == {"5": None}
    fixed = read_upload(data, "n.csv", MINI, secret=SECRET, label_map=labels)
    assert fixed.report.valid
    assert item_stats(fixed) == QUALTRICS_STATS


def test_qualtrics_ip_addresses_and_locations_are_never_kept():
    parsed = read_upload(fixture("qualtrics/choice-text.csv"), "q.csv", MINI, secret=SECRET)
    ignored = {c.header for c in parsed.report.columns if c.kind == "ignored"}
    assert {"IP Address", "Location Latitude", "Location Longitude", "Recipient Last Name"} <= ignored
    text = parsed.responses.astype(str).to_csv() + parsed.comments.to_csv() + parsed.report.summary()
    assert "203.0.113.7" not in text and "Lopez" not in text and "ana@school.org" not in text


# -- SurveyMonkey -------------------------------------------------------------------------------------------


def test_surveymonkey_matrix_export_merges_its_two_header_rows():
    # Kept: ben (row 4), ana's later response (row 6), cy (row 7); ana's row 3 superseded, row 5 blank.
    # 09/13/2024 (row 7) can only be month-first. culture 3,2,4 -> 3.0; relationships 3,2,(N/A) -> 2.5;
    # voice 4,3,3 -> 3.3333; mindset 2,3,4 -> 3.0; flexible pacing 3,3,1 -> 2.3333
    parsed = read_upload(fixture("surveymonkey/matrix.csv"), "sm.csv", MINI, secret=SECRET)
    report = parsed.report
    assert report.valid, report.summary()
    assert (report.source, report.header_rows, report.date_order) == ("surveymonkey", 2, "month-first")
    assert item_stats(parsed) == {
        "culture": (3, 3.0),
        "relationships": (2, 2.5),
        "voice-choice": (3, 3.3333),
        "mindset": (3, 3.0),
        "flexible-pacing": (3, 2.3333),
    }
    assert (report.superseded, report.blank_rows) == (1, 1)
    matched = {(c.header, c.kind, c.item) for c in report.columns}
    assert ("What is your role?", "metadata", "role") in matched
    # A matrix's question spans its columns; each column's header is the question and its row's label.
    assert ("Where is our school on the learner profile? - Relationships", "item", "relationships") in matched
    assert ("Where is our school on instruction? - Flexible Pacing", "item", "flexible-pacing") in matched
    assert list(parsed.comments["text"]) == ["Keep going"]


def surveymonkey_one_question_per_item() -> bytes:
    items = ["Culture", "Relationships", "Voice and Choice", "Mindset", "Flexible Pacing"]
    top = [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
        *items,
    ]
    sub = [None] * 9 + ["Response"] * 5

    def row(rid, end, email, answers):
        return [rid, 431234567, end, end, "198.51.100.23", email, None, None, None, *answers]

    return xlsx(
        {
            "Sheet": [
                top,
                sub,
                row(114000001, "09/10/2024 08:04:40 AM", "ivy@school.org", [TD, TD, LC, LC, "Unsure"]),
                row(114000002, "09/10/2024 09:07:12 AM", "jo@school.org", [LD, MLC, LD, MLC, LD]),
                [None] * 14,
                row(114000003, "09/14/2024 02:05:30 PM", "ivy@school.org", [LC, MLC, LC, "Prefer not to say", LC]),
            ]
        }
    )


def test_surveymonkey_one_question_per_item_workbook_reads_response_as_a_header():
    # Kept: jo (row 4), ivy's later response (row 6); ivy's row 3 superseded, row 5 blank.
    # culture 4,2 -> 3.0; relationships 3,3 -> 3.0; voice 4,2 -> 3.0; mindset 3,(prefer not to say) -> 3.0;
    # flexible pacing 4,2 -> 3.0
    parsed = read_upload(surveymonkey_one_question_per_item(), "sm.xlsx", MINI, secret=SECRET)
    report = parsed.report
    assert report.valid, report.summary()
    assert report.source == "surveymonkey"
    assert item_stats(parsed) == {
        "culture": (2, 3.0),
        "relationships": (2, 3.0),
        "voice-choice": (2, 3.0),
        "mindset": (1, 3.0),
        "flexible-pacing": (2, 3.0),
    }
    assert not any(e.value == "Response" for e in report.errors + report.warnings)


# -- our template ----------------------------------------------------------------------------------------------


def test_template_wide_file_with_a_resubmission_a_blank_row_and_dont_knows():
    # Kept: T2 (row 3), "t1 " (row 5, the same person as T1 in row 2), T3 (row 6); row 4 blank.
    # culture 4,2,3 -> 3.0; relationships 2,2,4 -> 2.6667; voice 3,2,(N/A) -> 2.5;
    # mindset (prefer not to say),3,2 -> 2.5; flexible pacing 2,3,1 -> 2.0
    parsed = read_upload(fixture("template/wide.csv"), "t.csv", MINI, secret=SECRET)
    report = parsed.report
    assert report.valid
    assert (report.source, report.format, report.source_label) == ("template", "template-wide", "our template")
    assert item_stats(parsed) == {
        "culture": (3, 3.0),
        "relationships": (3, 2.6667),
        "voice-choice": (2, 2.5),
        "mindset": (2, 2.5),
        "flexible-pacing": (3, 2.0),
    }
    assert list(parsed.comments["text"]) == ["Stations are working", "Updated after the staff meeting"]


# -- detection --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "source"),
    [
        (fixture("google_forms/restricted-username.csv"), "google-forms"),
        (fixture("google_sheets/day-first.csv"), "google-sheets"),
        (sheets_workbook(), "google-sheets"),
        (ms_quiz_workbook(), "microsoft-forms"),
        (fixture("qualtrics/choice-text.csv"), "qualtrics"),
        (fixture("surveymonkey/matrix.csv"), "surveymonkey"),
        (surveymonkey_one_question_per_item(), "surveymonkey"),
        (fixture("template/wide.csv"), "template"),
    ],
    ids=[
        "forms",
        "sheets-csv",
        "sheets-xlsx",
        "ms-forms",
        "qualtrics",
        "surveymonkey-csv",
        "surveymonkey-xlsx",
        "template",
    ],
)
def test_the_report_names_the_source_detected(data, source):
    report = read_upload(data, "upload.bin", MINI, secret=SECRET).report
    assert report.source == source
    assert report.source_label == SOURCE_LABELS[source]
    assert report.source_label in report.summary()


def test_every_source_has_a_label():
    assert SOURCE_LABELS == {
        "qualtrics": "a Qualtrics export",
        "surveymonkey": "a SurveyMonkey export",
        "microsoft-forms": "a Microsoft Forms export",
        "google-forms": "a Google Forms export",
        "google-sheets": "a Google Sheets download of form responses",
        "template": "our template",
    }
