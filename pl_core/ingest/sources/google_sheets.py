"""A Google Sheets download of a form's responses sheet (File -> Download -> CSV or Microsoft Excel).

Same columns as the Forms CSV (`Timestamp`, `Email Address` or `Username`, questions, `Question [Row]`),
but the sheet is a working copy: principals add their own columns (a `Notes` column is theirs, not
staff comments) and clear rows, and the timestamps are written in the spreadsheet's locale, month first
in the US (`9/10/2024 8:00:05`) and day first in the UK and most of the world (`10/09/2024 08:00:05`);
Sheets formats dates by the file's locale (Google's Sheets API: FORMATTED_STRING "depends on the
spreadsheet locale"). In an .xlsx download the times are real dates and the responses are on the
`Form Responses 1` tab, which need not be the first one.
"""

from __future__ import annotations

from ..canonical import CanonicalTable
from ..grid import Grid
from . import google_forms

ID = "google-sheets"
LABEL = "a Google Sheets download of form responses"


def detect(grid: Grid) -> int:
    return 80 if google_forms.timestamp_column(grid) is not None else 0


def read(grid: Grid) -> CanonicalTable:
    return google_forms.read(grid, ID, LABEL)
