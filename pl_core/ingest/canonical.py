"""The one table every source reader returns, and the shared steps then read.

A reader knows its export's layout: how many header rows, which columns are the respondent's identity,
the submission time, quiz scores or tool metadata, and which rows are not real responses (previews,
unfinished ones). It leaves everything else (which column is which item, role, grade band) to the
shared steps, so a column is understood the same way whichever tool wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .categoricals import without_unused
from .grid import Grid
from .report import ColumnMatch, ImportIssue

# Metadata fields a reader may assign, in the order identities are preferred when a source does not say.
IDENTITY_FIELDS = ("email", "username", "name", "respondent", "response_id")
TIME_FIELDS = ("timestamp", "last_modified", "recorded_at", "completion_time", "end_time", "start_time")


@dataclass
class SourceColumn:
    """One column of the canonical table: its header as the person sees it and its raw answers.

    `values` is a categorical of raw text, one value per record. `match` is what the source already
    knows the column is (identity, time, quiz score, tool metadata), or None for the shared matching.
    `statement` is a sub-question's own text that may name an item (a matrix row); `block` numbers a
    repeated question block, with `base_header` the header without the block's suffix.
    """

    position: int
    header: str
    values: pd.Series
    match: ColumnMatch | None = None
    statement: str | None = None
    block: int | None = None
    base_header: str | None = None


@dataclass
class CanonicalTable:
    """An upload after its source reader: records (one per submission, or per answer in the long form)."""

    source: str
    label: str
    format: str
    columns: list[SourceColumn]
    rows: np.ndarray  # spreadsheet row number of each record
    header_rows: int = 1
    identity_order: tuple[str, ...] = IDENTITY_FIELDS
    time_order: tuple[str, ...] = TIME_FIELDS
    long_form: bool = False
    # Rows the reader left out (previews, unfinished responses), by reason, with the rows for the report.
    skipped: dict[str, tuple[int, ...]] = field(default_factory=dict)
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)
    numeric_recodes: bool = False  # answers are the tool's numeric recodes (Qualtrics "numeric values")

    def keep(self, mask: np.ndarray) -> None:
        """Keep only the records where `mask` is True."""
        if mask.all():
            return
        self.rows = self.rows[mask]
        for col in self.columns:
            col.values = col.values[mask].reset_index(drop=True)


def body(grid: Grid, header_rows: int) -> tuple[list[pd.Series], np.ndarray]:
    """The grid's columns below its header rows, and the spreadsheet row number of each record."""
    # Without the header rows' text among a column's values (Qualtrics' JSON row is no answer anyone gave).
    columns = [without_unused(grid.cells[c].iloc[header_rows:].reset_index(drop=True)) for c in grid.cells.columns]
    rows = np.arange(grid.first_row + header_rows, grid.first_row + len(grid), dtype=np.int64)
    return columns, rows


def headed_columns(
    grid: Grid, headers: list[str], header_rows: int, assign=None
) -> tuple[list[SourceColumn], np.ndarray]:
    """SourceColumns from a grid and one header per column; `assign(header)` may pre-match a column."""
    values, rows = body(grid, header_rows)
    columns = []
    for pos, (header, col) in enumerate(zip(headers, values, strict=True)):
        header = header if header else f"(column {pos + 1})"
        match = assign(header) if assign else None
        columns.append(SourceColumn(pos, header, col, match))
    return columns, rows


def text_values(values: pd.Series) -> pd.Series:
    """A categorical column's values as stripped text (for the few columns read per row)."""
    return values.astype("str").str.strip()


def column_letter(position: int) -> str:
    """0 -> 'A', 27 -> 'AB': how spreadsheets name columns."""
    letters = ""
    n = position + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
