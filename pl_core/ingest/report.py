"""What an import found: issues, column matches, the report and the parsed upload."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

FORMATS = ("template-wide", "template-long", "google-forms", "microsoft-forms")
COLUMN_KINDS = ("item", "metadata", "comments", "ignored")

RESPONSE_COLUMNS = ("respondent", "role", "grade_band", "submitted_at", "source_row", "item", "level")
COMMENT_COLUMNS = ("respondent", "column", "text")


@dataclass(frozen=True)
class ImportIssue:
    """One problem found in an upload, located the way a person sees the spreadsheet (header = row 1)."""

    type: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    hint: str | None = None

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
    and the field name (`timestamp`, `email`, `name`, `role`, `grade_band`, ...) for metadata columns;
    how says why (`id`, `name`, `grid-row`, `prefix`, `header`, `free-text`, `override`, `unknown`, ...).
    """

    header: str
    kind: str
    item: str | None = None
    how: str = ""


@dataclass(frozen=True)
class ImportReport:
    """Everything validation found, whether or not the upload can be imported."""

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
        """A few lines for the CLI: the verdict, the counts, then every issue."""
        verdict = "ok" if self.valid else "REJECTED"
        lines = [
            f"{verdict} {self.file_name} ({self.format or 'unknown format'}): {self.rows_read} rows, "
            f"{self.respondents} respondents, {self.answers} answers, {self.missing_answers} missing, "
            f"{self.superseded} superseded, {len(self.errors)} errors, {len(self.warnings)} warnings"
        ]
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
    """The report plus tidy responses and comments (both empty when the report is not valid)."""

    report: ImportReport
    responses: pd.DataFrame = field(default_factory=empty_responses)
    comments: pd.DataFrame = field(default_factory=empty_comments)
