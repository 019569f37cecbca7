"""Bytes to a grid of strings: encodings, delimiters, Excel, and telling a table from anything else."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from datetime import date, datetime, time

import pandas as pd

from .report import ImportIssue

DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .doc)
_SNIFF_LINES = 30


@dataclass(frozen=True)
class RawTable:
    """A file read as text cells: `headers` (row 1) and `cells` (data rows, columns numbered 0..n-1)."""

    headers: tuple[str, ...]
    cells: pd.DataFrame
    kind: str  # "csv" or "xlsx"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    first_row: int = 2  # spreadsheet row number of cells.iloc[0]


class UnreadableFile(Exception):
    """The bytes are not a table we can read; `issue` says why."""

    def __init__(self, issue: ImportIssue):
        super().__init__(issue.message)
        self.issue = issue


def _fail(type_: str, message: str, hint: str | None = None) -> UnreadableFile:
    return UnreadableFile(ImportIssue(type_, None, None, None, message, hint))


def read_table(data: bytes) -> RawTable:
    """Read CSV/TSV text or an .xlsx workbook into a `RawTable`, raising `UnreadableFile` with a clear issue."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise _fail("empty-file", "The file is empty.", "Export the responses again and upload the new file.")
    if data.startswith(_XLSX_MAGIC):
        rows, sheet = _xlsx_rows(data)
        return _table_from_rows(rows, kind="xlsx", sheet=sheet)
    if data.startswith(_OLE_MAGIC):
        raise _fail(
            "not-a-table",
            "This is an old-style Excel (.xls) or Office file, which cannot be read.",
            "Open it in Excel and save it as .xlsx or CSV.",
        )
    if data.startswith(b"%PDF"):
        raise _fail("not-a-table", "This is a PDF, not a spreadsheet.", "Upload the CSV or Excel export instead.")
    text, encoding = decode_text(data)
    if _looks_binary(text):
        raise _fail(
            "not-a-table",
            "This file is not a spreadsheet or CSV (it contains binary data).",
            "Upload the CSV or Excel export of the form responses.",
        )
    delimiter = sniff_delimiter(text)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return _table_from_rows(rows, kind="csv", encoding=encoding, delimiter=delimiter)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode by BOM, then UTF-8, then Windows-1252 (Excel's default 'CSV' on Windows)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise _fail("not-a-table", "The file says it is UTF-16 text but cannot be decoded.") from None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    if _looks_utf16_without_bom(data):
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return text, enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # cp1252 leaves five bytes undefined; latin-1 maps every byte, so it is the last resort.
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _looks_utf16_without_bom(data: bytes) -> bool:
    # ASCII text in UTF-16 has a NUL in every other byte; random binary does not line up like that.
    sample = data[:4000]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return odd.count(0) > 0.9 * len(odd) or even.count(0) > 0.9 * len(even)


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    if "\x00" in sample:
        return True
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f")
    return controls > max(2, len(sample) // 200)


def sniff_delimiter(text: str) -> str:
    """Pick comma, semicolon or tab: the one giving the most columns, consistently, over the first lines."""
    lines = [ln for ln in text.splitlines()[:_SNIFF_LINES] if ln.strip()]
    sample = "\n".join(lines)
    best, best_score = ",", (-1, -1.0)
    for delim in DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO(sample), delimiter=delim))
        except csv.Error:
            continue
        if not rows:
            continue
        width = len(rows[0])
        if width < 2:
            continue
        consistent = sum(1 for r in rows if len(r) == width) / len(rows)
        score = (1 if consistent >= 0.8 else 0, width * consistent)
        if score > best_score:
            best, best_score = delim, score
    return best


def _xlsx_rows(data: bytes) -> tuple[list[list[str]], str]:
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object, engine="openpyxl")
    except Exception as exc:  # any failure inside a zip means "not a workbook we can read"
        raise _fail(
            "not-a-table",
            f"This looks like a zip or Office file but is not a readable Excel workbook ({type(exc).__name__}).",
            "Upload an .xlsx workbook or a CSV export.",
        ) from None
    for name, frame in sheets.items():
        rows = [[_cell_text(v) for v in row] for row in frame.itertuples(index=False, name=None)]
        if any(any(c for c in row) for row in rows):
            return rows, str(name)
    raise _fail("empty-file", "The workbook has no data on any sheet.", "Export the responses again.")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def _table_from_rows(
    rows: list[list[str]],
    *,
    kind: str,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> RawTable:
    # Skip blank lines above the header but count them, so row numbers match what the person sees.
    start = 0
    while start < len(rows) and not any(c.strip() for c in rows[start]):
        start += 1
    if start == len(rows):
        raise _fail("empty-file", "The file has no text in it.", "Export the responses again.")
    header = [c.strip() for c in rows[start]]
    body = rows[start + 1 :]
    width = max([len(header)] + [len(r) for r in body])
    # Trailing blank rows (Excel leaves many) are not responses.
    end = len(body)
    while end > 0 and not any(c.strip() for c in body[end - 1]):
        end -= 1
    body = [r + [""] * (width - len(r)) for r in body[:end]]
    header += [""] * (width - len(header))
    cells = pd.DataFrame(body, columns=range(width), dtype="str") if body else pd.DataFrame(columns=range(width))
    # Drop columns with neither a header nor any value (stray trailing delimiters).
    keep = [i for i in range(width) if header[i] or (len(cells) and cells[i].str.strip().ne("").any())]
    if len(keep) != width:
        cells = cells[keep]
        cells.columns = range(len(keep))
        header = [header[i] for i in keep]
    header = [h if h else f"(column {i + 1})" for i, h in enumerate(header)]
    return RawTable(
        headers=tuple(header),
        cells=cells.fillna("") if len(cells) else cells,
        kind=kind,
        encoding=encoding,
        delimiter=delimiter,
        sheet=sheet,
        first_row=start + 2,
    )
