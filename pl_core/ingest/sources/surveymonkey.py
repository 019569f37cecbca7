"""SurveyMonkey's response export (Analyze results -> Save as -> All individual responses, CSV or XLSX).

Layout, from public parsers of the file (e.g. GGWash's election-questionnaire parser documents both
rows): two header rows. Row 1: `Respondent ID`, `Collector ID`, `Start Date`, `End Date`, `IP Address`,
`Email Address`, `First Name`, `Last Name`, `Custom Data 1`, then each question's text over its first
column, blank over the rest of a matrix's columns. Row 2: blank under the built-in columns, `Response`
under a one-answer question, `Open-Ended Response` under a text box, and each row's label under a
matrix (or each choice under a checkbox question). Dates are US style (`09/10/2024 08:00:05 AM`).
The "summary" export is a different file: answer counts per question, not responses.
"""

from __future__ import annotations

import re

import numpy as np

from ..canonical import CanonicalTable, SourceColumn, body
from ..grid import Grid
from ..levels import normalise
from ..report import ColumnMatch, ImportIssue
from .base import IGNORED, assigner, field

ID = "surveymonkey"
LABEL = "a SurveyMonkey export"

KNOWN = {
    "respondentid": field("response_id"),
    "collectorid": IGNORED,
    "startdate": field("start_time"),
    "enddate": field("end_time"),
    "ipaddress": IGNORED,
    "emailaddress": field("email"),
    "firstname": IGNORED,
    "lastname": IGNORED,
}
_CUSTOM = re.compile(r"^custom\s*data\s*\d*$", re.IGNORECASE)
# What row 2 says under a question whose row 1 text is the whole question.
_PLAIN = frozenset({"", "response", "openendedresponse"})


def _summary(grid: Grid) -> bool:
    for row in grid.head(6):
        cells = {normalise(c) for c in row}
        if "answerchoices" in cells and "responses" in cells:
            return True
    return False


def detect(grid: Grid) -> int:
    first = grid.row(0)
    if first and normalise(first[0]) == "respondentid" and "collectorid" in {normalise(c) for c in first}:
        return 100
    return 90 if _summary(grid) else 0


def read(grid: Grid) -> CanonicalTable:
    if detect(grid) != 100:
        return _summary_export()
    top, sub = grid.row(0), grid.row(1)
    # Every response has a Respondent ID, so a blank one under the header is SurveyMonkey's second header row.
    header_rows = 2 if not sub[0] else 1
    values, rows = body(grid, header_rows)
    assign = assigner(KNOWN)
    columns: list[SourceColumn] = []
    question = ""
    for pos, col in enumerate(values):
        title = top[pos]
        label = sub[pos] if header_rows == 2 else ""
        question = title or question  # a matrix's question spans its columns
        if title and normalise(label) in _PLAIN:
            header, statement = title, None
        elif question:
            header, statement = f"{question} - {label}" if label else question, label or None
        else:
            header, statement = label or f"(column {pos + 1})", None
        match = assign(header) if title else None
        if match is None and _CUSTOM.match(header):
            match = ColumnMatch(header, "ignored", None, "source")
        columns.append(SourceColumn(pos, header, col, match, statement))
    return CanonicalTable(
        ID,
        LABEL,
        ID,
        columns,
        rows,
        header_rows=header_rows,
        identity_order=("email", "response_id"),
        time_order=("end_time", "start_time"),
    )


def _summary_export() -> CanonicalTable:
    table = CanonicalTable(ID, LABEL, ID, [], np.zeros(0, dtype=np.int64))
    table.errors.append(
        ImportIssue(
            "summary-export",
            None,
            None,
            None,
            "This looks like a SurveyMonkey summary export (answer counts per question), not the individual "
            "responses, so there is nothing to import per person.",
            "In SurveyMonkey, open Analyze results -> Save as -> Export file -> All individual responses, "
            "choose CSV or XLSX, and upload that file.",
        )
    )
    return table
