"""Writing tables for spreadsheets (CSV, XLSX), safe to open in Excel.

The tables come from pl_core.services.exports; `write()` turns one into file bytes and neutralises
spreadsheet formula injection (OWASP "CSV Injection"): a text cell starting with ``=``, ``+``, ``-``,
``@``, tab, carriage return or line feed, or with ``= + - @`` (or their full-width forms) after any
leading whitespace (U+3000 too) or invisible control characters, which some spreadsheet apps skip,
gets a leading ``'`` so Excel, LibreOffice and Google Sheets show it as text instead of running it.
Numbers (and text that is a number, such as "-1.5") are left alone, so numeric columns stay numeric.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMATS = ("csv", "xlsx")
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# OWASP's list plus the full-width forms, which some spreadsheet apps normalise to ASCII before parsing.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Characters that start a formula even after leading whitespace or control characters.
FORMULA_SIGNS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_ALWAYS_QUOTED = ("\t", "\r", "\n")  # a cell starting with one of these is quoted, whatever follows
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


# --- writing -----------------------------------------------------------------------------------------------------


def _skipped(char: str) -> bool:
    """Whitespace (any Unicode space, U+3000 too) or an invisible control or format character."""
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet could read `text` as a formula: see the module's docstring for the rule."""
    if not text or text.startswith(_ALWAYS_QUOTED):
        return bool(text)
    start = 0
    while start < len(text) and _skipped(text[start]):
        start += 1
    rest = text[start:]
    return rest.startswith(FORMULA_SIGNS) and not _NUMBER.fullmatch(rest.rstrip())


def neutralise(value):
    """The value, with a leading ' if it is text a spreadsheet could read as a formula (numbers untouched)."""
    if isinstance(value, str) and formula_like(value):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell (and header) neutralised; numeric, boolean and date columns kept."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
            continue  # booleans count as numeric here; none of these can hold text
        out[column] = series.astype(object).map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """CSV bytes (UTF-8 with a byte-order mark, so Excel reads accents right), formula-safe."""
    # CRLF as RFC 4180 says; it also makes the writer quote a cell holding a lone "\r", which would split the row.
    return neutralise_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _xlsx_value(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)  # Excel has no time zones; exports are in UTC
    if isinstance(value, str):
        # openpyxl refuses control characters; drop them first, then neutralise what is left.
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def to_xlsx(frame: pd.DataFrame, sheet: str = "export") -> bytes:
    """XLSX bytes with one sheet: a bold, frozen header row; text neutralised, numbers as numeric cells."""
    book = Workbook(write_only=True)
    ws = book.create_sheet(re.sub(r"[\[\]:*?/\\]", "-", sheet)[:31] or "export")
    ws.freeze_panes = "A2"
    for i, column in enumerate(frame.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(len(str(column)) + 2, 10), 40)
    bold = Font(bold=True)
    header = []
    for column in frame.columns:
        cell = WriteOnlyCell(ws, value=_xlsx_value(str(column)))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in frame.itertuples(index=False, name=None):
        ws.append([_xlsx_value(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write(frame: pd.DataFrame, fmt: str, sheet: str = "export") -> bytes:
    """The frame as a CSV or XLSX file's bytes."""
    if fmt == "csv":
        return to_csv(frame)
    if fmt == "xlsx":
        return to_xlsx(frame, sheet)
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


def format_for(path: str | Path) -> str:
    """The export format a file name asks for (its extension); ValueError for anything else."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValueError(f"cannot tell the format of {Path(path).name!r}: name it .csv or .xlsx")
    return suffix


def file_name(kind: str, fmt: str, framework_id: str, school: str | None = None, round: str | None = None) -> str:
    """A descriptive download name such as pl-scores-dps-driver-model-aspen-elementary-fall-2026.csv."""
    parts = ["pl", kind, framework_id, school or "", round or ""]
    slug = "-".join(p for p in (re.sub(r"[^a-z0-9]+", "-", x.lower()).strip("-") for x in parts) if p)
    return f"{slug}.{fmt}"
