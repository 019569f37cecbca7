"""What an import found: issues, column matches, the report and the parsed upload."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from .limits import MAX_LISTED_ISSUES

FORMATS = (
    "template-wide",
    "template-long",
    "google-forms",
    "google-sheets",
    "microsoft-forms",
    "qualtrics",
    "surveymonkey",
)
COLUMN_KINDS = ("item", "metadata", "comments", "ignored")

RESPONSE_COLUMNS = ("respondent", "role", "grade_band", "submitted_at", "source_row", "item", "level")
COMMENT_COLUMNS = ("respondent", "column", "text")


@dataclass(frozen=True)
class Option:
    """One answer to a choice the import needs: pass `value` as the keyword the issue names."""

    value: object
    label: str


@dataclass(frozen=True)
class ImportIssue:
    """One problem found in an upload, located the way a person sees the spreadsheet (header = row 1).

    `rows` lists every row concerned when there are several (blank rows, previews, resubmissions whose
    dates can be read two ways). An issue that a person resolves by choosing (which date order, which
    question block, which sheet) names the `read_upload` keyword in `choice` and what it may be in `options`.
    """

    type: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    hint: str | None = None
    rows: tuple[int, ...] = ()
    choice: str | None = None
    options: tuple[Option, ...] = ()

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = f"{', '.join(where)}: " if where else ""
        text += f"{self.type}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


@dataclass(frozen=True)
class ColumnMatch:
    """How one header was understood.

    kind is `item`, `metadata`, `comments` or `ignored`; item is the framework item id for item columns
    and the field name (`timestamp`, `email`, `username`, `name`, `role`, `grade_band`, ...) for metadata
    columns; how says why (`id`, `name`, `grid-row`, `statement`, `prefix`, `header`, `source`, `quiz`,
    `override`, `unknown`, `other-block`, ...).
    """

    header: str
    kind: str
    item: str | None = None
    how: str = ""


@dataclass(frozen=True)
class LabelToMap:
    """An answer a person must map to a level of one scale: every distinct value, however many cells.

    `problem` is `unknown-label` (not a level name) or `level-out-of-range` (a number off the scale, such as
    a recode of "Don't know"); `cells` counts the answers and `columns` the headers it was found in.
    """

    scale: str
    value: str
    problem: str
    cells: int
    columns: tuple[str, ...]


@dataclass(frozen=True)
class ImportReport:
    """Everything validation found, whether or not the upload can be imported.

    `source` is the export detected (a stable id: `template`, `google-forms`, `google-sheets`,
    `microsoft-forms`, `qualtrics`, `surveymonkey`) and `source_label` says it for people ("a Google Forms
    export"); `format` adds the template's layout (`template-wide`, `template-long`). `date_order` is
    `day-first`, `month-first` or `year-first` and `date_order_reason` says how it was decided.
    `labels_to_map` lists every distinct answer that is not a level, by scale (the errors list only the
    first cells of each column), so a person can map them all at once.
    """

    valid: bool
    file_name: str
    file_hash: str
    format: str | None
    rows_read: int = 0
    respondents: int = 0
    answers: int = 0
    missing_answers: int = 0
    superseded: int = 0
    errors: tuple[ImportIssue, ...] = ()
    warnings: tuple[ImportIssue, ...] = ()
    columns: tuple[ColumnMatch, ...] = ()
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    source: str | None = None
    source_label: str | None = None
    sheets: tuple[str, ...] = ()
    header_rows: int = 1
    blank_rows: int = 0
    skipped_rows: tuple[tuple[str, int], ...] = ()
    date_order: str | None = None
    date_order_reason: str | None = None
    block: int | None = None
    blocks: tuple[str, ...] = ()
    labels_to_map: tuple[LabelToMap, ...] = ()

    @property
    def choices(self) -> tuple[ImportIssue, ...]:
        """The errors a person resolves by choosing (date order, block, sheet), each with its options."""
        return tuple(e for e in self.errors if e.choice)

    @property
    def unused_columns(self) -> tuple[str, ...]:
        """Headers that were neither items nor fields we use, so nothing in them was imported."""
        return tuple(c.header for c in self.columns if c.kind == "ignored")

    @property
    def comment_columns(self) -> tuple[str, ...]:
        """Headers whose text was kept as staff comments."""
        return tuple(c.header for c in self.columns if c.kind == "comments")

    def skipped(self, reason: str) -> int:
        """How many rows were skipped for `reason` (`blank`, `survey-preview`, `unfinished`, ...)."""
        return dict(self.skipped_rows).get(reason, 0)

    def error_locations(self) -> list[tuple[int | None, str | None, str]]:
        """Each error as `(row, column, type)`, the shape tests and tables compare on."""
        return [(e.row, e.column, e.type) for e in self.errors]

    def warning_locations(self) -> list[tuple[int | None, str | None, str]]:
        """Each warning as `(row, column, type)`."""
        return [(w.row, w.column, w.type) for w in self.warnings]

    def issues_frame(self) -> pd.DataFrame:
        """Errors then warnings as a table for the dashboard."""
        rows = [{"severity": "error", **_issue_dict(e)} for e in self.errors]
        rows += [{"severity": "warning", **_issue_dict(w)} for w in self.warnings]
        cols = ["severity", "type", "row", "column", "value", "message", "hint"]
        return pd.DataFrame(rows, columns=cols)

    def summary(self) -> str:
        """A few lines for the CLI: the verdict, what was read, the counts, then every issue."""
        verdict = "ok" if self.valid else "REJECTED"
        what = self.source_label or self.format or "unknown format"
        lines = [
            f"{verdict} {self.file_name} ({what}): {self.rows_read} rows, "
            f"{self.respondents} respondents, {self.answers} answers, {self.missing_answers} missing, "
            f"{self.superseded} superseded, {len(self.errors)} errors, {len(self.warnings)} warnings"
        ]
        details = []
        if self.sheet:
            others = [s for s in self.sheets if s != self.sheet]
            details.append(f"sheet {self.sheet!r}" + (f" (also: {', '.join(map(repr, others))})" if others else ""))
        if self.date_order:
            details.append(f"dates {self.date_order} ({self.date_order_reason})")
        details += [f"{n} {reason} row{'s' if n != 1 else ''} skipped" for reason, n in self.skipped_rows if n]
        if details:
            lines.append("  " + "; ".join(details))
        lines += [f"  error   {e}" for e in self.errors]
        lines += [f"  warning {w}" for w in self.warnings]
        return "\n".join(lines)


def _issue_dict(issue: ImportIssue) -> dict:
    return {
        "type": issue.type,
        "row": issue.row,
        "column": issue.column,
        "value": issue.value,
        "message": issue.message,
        "hint": issue.hint,
    }


class IssueList:
    """Issues as they are found, listing at most MAX_LISTED_ISSUES of one type in one column.

    A file with a million bad cells must not make a million issue objects; the rest are counted and
    reported in one closing line per type and column.
    """

    def __init__(self) -> None:
        self.items: list[ImportIssue] = []
        self._seen: Counter[tuple[str, str | None]] = Counter()

    def add(self, issue: ImportIssue) -> None:
        key = (issue.type, issue.column)
        self._seen[key] += 1
        if self._seen[key] <= MAX_LISTED_ISSUES:
            self.items.append(issue)

    def room(self, type_: str, column: str | None) -> int:
        """How many more issues of this type and column would still be listed."""
        return max(0, MAX_LISTED_ISSUES - self._seen[(type_, column)])

    def count(self, type_: str, column: str | None, n: int) -> None:
        """Record `n` issues that were not built because the list for this type and column is full."""
        self._seen[(type_, column)] += n

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def finished(self, order=None) -> list[ImportIssue]:
        """The listed issues (sorted by `order`, if given) plus one line per type and column that had more."""
        out = sorted(self.items, key=order) if order else list(self.items)
        for (type_, column), seen in self._seen.items():
            if seen > MAX_LISTED_ISSUES:
                more = seen - MAX_LISTED_ISSUES
                out.append(
                    ImportIssue(
                        type_,
                        None,
                        column,
                        None,
                        f"... and {more:,} more like this (only the first {MAX_LISTED_ISSUES} are listed).",
                        None,
                    )
                )
        return out


def empty_responses() -> pd.DataFrame:
    """The tidy responses frame with no rows but the contract's columns and dtypes."""
    return pd.DataFrame(
        {
            "respondent": pd.Series([], dtype="str"),
            "role": pd.Series([], dtype="str"),
            "grade_band": pd.Series([], dtype="str"),
            "submitted_at": pd.Series([], dtype="datetime64[us]"),
            "source_row": pd.Series([], dtype="int64"),
            "item": pd.Series([], dtype="str"),
            "level": pd.Series([], dtype="Int64"),
        }
    )


def empty_comments() -> pd.DataFrame:
    """The comments frame with no rows."""
    return pd.DataFrame({c: pd.Series([], dtype="str") for c in COMMENT_COLUMNS})


@dataclass(frozen=True, eq=False)
class ParsedUpload:
    """The report plus tidy responses and comments (both empty when the report is not valid).

    `responses` has the columns of RESPONSE_COLUMNS; `respondent`, `role`, `grade_band` and `item` are
    categoricals of strings (compact for big files), `level` is nullable Int64 (NA = missing answer).
    """

    report: ImportReport
    responses: pd.DataFrame = field(default_factory=empty_responses)
    comments: pd.DataFrame = field(default_factory=empty_comments)
