"""Microsoft Forms' Excel export (Responses -> Open results in Excel / Download a copy).

Layout, from Microsoft's "Check and share your form results" and public parsers of the file: `Id` (or
`ID`), `Start time`, `Completion time`, `Email`, `Name`, and in newer exports `Last modified time`;
then one column per question. A Likert question exports one column per statement, headed by the
statement alone; a second Likert question over the same statements gets the same headers with "2"
appended (`Relationships2`), a third "3". In quiz mode each question is followed by `Points - <question>`
and `Feedback - <question>`, and `Total points` and `Quiz feedback` follow the built-in columns. An
anonymous form writes "anonymous" in `Email` and leaves `Name` blank.
"""

from __future__ import annotations

import re

from ..canonical import CanonicalTable, SourceColumn, headed_columns
from ..grid import Grid
from .base import QUIZ, assigner, field, first_cells

ID = "microsoft-forms"
LABEL = "a Microsoft Forms export"

KNOWN = {
    "id": field("id"),
    "starttime": field("start_time"),
    "completiontime": field("completion_time"),
    "lastmodifiedtime": field("last_modified"),
    "email": field("email"),
    "name": field("name"),
    "totalpoints": QUIZ,
    "quizfeedback": QUIZ,
}
QUIZ_PREFIXES = ((re.compile(r"^\s*(?:Points|Feedback)\s+-\s+", re.IGNORECASE), "quiz"),)
_SUFFIX = re.compile(r"^(.*\D)(\d+)$")


def detect(grid: Grid) -> int:
    header = first_cells(grid.row(0))
    return 90 if {"id", "starttime", "completiontime"} <= header else 0


def read(grid: Grid) -> CanonicalTable:
    columns, rows = headed_columns(grid, grid.row(0), 1, assigner(KNOWN, QUIZ_PREFIXES))
    mark_blocks(columns)
    return CanonicalTable(
        ID,
        LABEL,
        ID,
        columns,
        rows,
        identity_order=("email", "name"),
        time_order=("last_modified", "completion_time", "start_time"),
    )


def mark_blocks(columns: list[SourceColumn]) -> None:
    """Number repeated question blocks: `Culture2` repeats `Culture`, so `Culture` is block 1, it block 2."""
    headers = {c.header for c in columns if c.match is None}
    repeated: set[str] = set()
    for col in columns:
        m = _SUFFIX.match(col.header) if col.match is None else None
        if m and m.group(1) in headers:
            col.block, col.base_header = int(m.group(2)), m.group(1)
            repeated.add(m.group(1))
    for col in columns:
        if col.header in repeated and col.block is None:
            col.block, col.base_header = 1, col.header
