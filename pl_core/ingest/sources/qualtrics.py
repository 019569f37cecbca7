"""Qualtrics' CSV export (Data & Analysis -> Export & Import -> Export data -> CSV).

Layout, from public exports and parsers: three header rows. Row 1 holds export tags (`StartDate`,
`EndDate`, `Status`, `IPAddress`, `Progress`, `Duration (in seconds)`, `Finished`, `RecordedDate`,
`ResponseId`, `RecipientLastName`, `RecipientFirstName`, `RecipientEmail`, `ExternalReference`,
`LocationLatitude`, `LocationLongitude`, `DistributionChannel`, `UserLanguage`, then `Q1`, `Q2_1`, ...);
row 2 the question text (`Start Date`, `Response Type`, ..., and `Question - Statement` for a matrix
row); row 3 `{"ImportId":"startDate","timeZone":"America/Denver"}`-style JSON. Dates are ISO
(`2024-09-10 08:00:05`). With "Use choice text" answers are the choices' text and `Status` is
`IP Address` or `Survey Preview`; with "Use numeric values" answers are recode values, `Status` is 0 or 1
and `Finished` 1 or 0. Responses in progress are exported only on request, with `Finished` false.
The legacy export (before 2017) has two header rows and `ResponseID`, `ResponseSet`.
"""

from __future__ import annotations

import numpy as np

from ..canonical import CanonicalTable, SourceColumn, body
from ..grid import Grid
from ..levels import normalise
from ..report import ColumnMatch, ImportIssue
from .base import IGNORED, assigner, field, first_cells

ID = "qualtrics"
LABEL = "a Qualtrics export"

KNOWN = {
    "startdate": field("start_time"),
    "enddate": field("end_time"),
    "recordeddate": field("recorded_at"),
    "responseid": field("response_id"),
    "recipientemail": field("email"),
    "status": IGNORED,
    "ipaddress": IGNORED,
    "progress": IGNORED,
    "durationinseconds": IGNORED,
    "finished": IGNORED,
    "recipientlastname": IGNORED,
    "recipientfirstname": IGNORED,
    "externalreference": IGNORED,
    "externaldatareference": IGNORED,
    "locationlatitude": IGNORED,
    "locationlongitude": IGNORED,
    "distributionchannel": IGNORED,
    "userlanguage": IGNORED,
}
_TAGS = frozenset(KNOWN)
_PREVIEW = frozenset({"surveypreview", "1", "offlinesurveypreview", "17"})
_TEST = frozenset({"surveytest", "2"})
_UNFINISHED = frozenset({"false", "0"})


def _import_id_row(grid: Grid) -> bool:
    return any(cell.startswith('{"ImportId"') for cell in grid.row(2))


def detect(grid: Grid) -> int:
    tags = first_cells(grid.row(0))
    if {"responseid", "responseset"} <= tags and not _import_id_row(grid):
        return 95  # legacy layout, refused with a way out
    if _import_id_row(grid):
        return 100
    return 90 if len(tags & _TAGS) >= 4 and "startdate" in tags else 0


def read(grid: Grid) -> CanonicalTable:
    tags = grid.row(0)
    if {"responseid", "responseset"} <= first_cells(tags) and not _import_id_row(grid):
        return _legacy(grid)
    texts = grid.row(1)
    # The question-text row is the one to match on; without it (a file someone trimmed) only the tags remain.
    if _import_id_row(grid):
        header_rows = 3
    elif "startdate" in (t := [normalise(x) for x in tags]) and normalise(texts[t.index("startdate")]) == "startdate":
        header_rows = 2
    else:
        header_rows = 1
    values, rows = body(grid, header_rows)
    assign = assigner(KNOWN)
    columns: list[SourceColumn] = []
    for pos, (tag, col) in enumerate(zip(tags, values, strict=True)):
        text = texts[pos] if header_rows >= 2 and texts[pos] else tag
        match = assign(tag)
        if match is not None:
            match = ColumnMatch(text or tag, match.kind, match.item, match.how)
        statement = text.rsplit(" - ", 1)[1].strip() if " - " in text else None
        columns.append(SourceColumn(pos, text or f"(column {pos + 1})", col, match, statement))
    table = CanonicalTable(
        ID,
        LABEL,
        ID,
        columns,
        rows,
        header_rows=header_rows,
        identity_order=("email", "response_id"),
        time_order=("recorded_at", "end_time", "start_time"),
    )
    by_tag = {normalise(tag): col for tag, col in zip(tags, columns, strict=True)}
    status, finished = by_tag.get("status"), by_tag.get("finished")
    numeric = finished is not None and _values(finished) <= {"0", "1", ""}
    table.numeric_recodes = numeric
    for reason, col, tokens, what in (
        ("survey-preview", status, _PREVIEW, ("Survey Preview response", "the survey's author trying it")),
        ("survey-test", status, _TEST, ("Survey Test response", "made by Qualtrics' test tool")),
        ("unfinished", finished, _UNFINISHED, ("unfinished response", "Finished is false")),
    ):
        if col is not None:
            _drop(table, col, tokens, reason, what)
    if header_rows == 1:
        table.warnings.append(
            ImportIssue(
                "missing-header-row",
                1,
                None,
                None,
                "This Qualtrics export has no question-text row, so questions are matched by their export tags.",
                "Export again with Qualtrics' default CSV layout (three header rows) so questions match by their text.",
            )
        )
    return table


def _values(col: SourceColumn) -> set[str]:
    return {str(c).strip().casefold() for c in col.values.cat.categories}


def _drop(table: CanonicalTable, col: SourceColumn, tokens: frozenset[str], reason: str, what: tuple[str, str]) -> None:
    flags = np.array([normalise(str(c)) in tokens for c in col.values.cat.categories] + [False])
    drop = flags[col.values.cat.codes.to_numpy()]
    if not drop.any():
        return
    dropped = table.rows[drop]
    table.skipped[reason] = tuple(int(r) for r in dropped)
    table.keep(~drop)
    listed = ", ".join(str(r) for r in dropped[:10]) + (" ..." if len(dropped) > 10 else "")
    table.warnings.append(
        ImportIssue(
            reason,
            int(dropped[0]),
            None,
            None,
            f"Left out {len(dropped)} {what[0]}{'s' if len(dropped) > 1 else ''} ({what[1]}): "
            f"row{'s' if len(dropped) > 1 else ''} {listed}.",
            None,
            rows=tuple(int(r) for r in dropped),
        )
    )


def _legacy(grid: Grid) -> CanonicalTable:
    table = CanonicalTable(ID, LABEL, ID, [], np.zeros(0, dtype=np.int64), header_rows=2)
    table.errors.append(
        ImportIssue(
            "unsupported-export",
            None,
            None,
            None,
            "This looks like a Qualtrics export in the legacy layout (two header rows, `ResponseID` and "
            "`ResponseSet`), which cannot be read.",
            "In Qualtrics, open Data & Analysis -> Export & Import -> Export data, choose CSV and download again; "
            "the current layout has three header rows.",
        )
    )
    return table
