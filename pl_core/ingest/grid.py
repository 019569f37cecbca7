"""Bytes to a grid of text cells: encodings, delimiters, workbooks and their sheets, within bounds.

A grid keeps every row of the file (header rows included, so a source can read two or three of them)
and stores each column as a categorical of strings: a 500,000-row export holds a few thousand distinct
answers, so later steps work per distinct value instead of per cell.
"""

from __future__ import annotations

import codecs
import csv
import ctypes
import io
import math
import re
import sys
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from . import limits
from .categoricals import categorical, without_unused
from .limits import megabytes
from .report import ImportIssue

DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .doc)
_SNIFF_LINES = 30
_SAMPLE_BYTES = 1 << 20
_CHUNK_ROWS = 100_000
_XML_PROBE_BYTES = 4096
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_SHEET_DATA = re.compile(rb"<(\w+:)?(?:sheetData|worksheet)[\s>/]")  # gives a worksheet's namespace prefix
_TEXT = re.compile(rb"[^ \t\r\n\x00\xef\xbb\xbf\xff\xfe]")  # found without copying the upload

try:  # pyarrow comes with Streamlit; without it the pandas reader below does the same job, more slowly
    import pyarrow as _pa
    import pyarrow.compute as _pc
    import pyarrow.csv as _arrow_csv

    _arrow_errors: tuple[type[Exception], ...] = (_pa.ArrowInvalid, _pa.ArrowNotImplementedError)
except ImportError:  # pragma: no cover - exercised by forcing the fallback in tests
    _pa = None
    _arrow_csv = None
    _arrow_errors = ()
_ARROW_ENCODINGS = {"utf-8-sig": "utf8", "utf-8": "utf8"}


def release_memory() -> None:
    """Hand freed memory back to the operating system between the steps of a big import.

    Parsing half a million rows frees hundreds of megabytes of short-lived blocks; arrow's pools and
    glibc's malloc keep such memory for reuse, so the process's resident size would carry every step's
    peak into the next. Cheap (milliseconds) and harmless where unsupported.
    """
    if _pa is not None:
        for pool in {_pa.default_memory_pool(), _arrow_pool()}:
            pool.release_unused()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _load_libc():
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:  # not glibc (macOS, Windows, musl)
        return None


_LIBC = _load_libc() if sys.platform.startswith("linux") else None


def _arrow_pool():
    """jemalloc, returning freed memory at once, for our own arrow work; arrow's default pool keeps freed
    blocks for reuse, which after a 500,000-row file is a few hundred megabytes the process never needs
    again. Passed to each call, never installed globally. Where jemalloc is not built in, the default pool."""
    try:
        pool = _pa.jemalloc_memory_pool()
        _pa.jemalloc_set_decay_ms(0)
    except (NotImplementedError, AttributeError):
        pool = _pa.default_memory_pool()
    return pool


class UnreadableFile(Exception):
    """The bytes are not a table we can read, or are beyond a limit; `issue` says why and what to do."""

    def __init__(self, issue: ImportIssue):
        super().__init__(issue.message)
        self.issue = issue


def fail(type_: str, message: str, hint: str | None = None, **extra) -> UnreadableFile:
    """An UnreadableFile for the whole file (no row, no column)."""
    return UnreadableFile(ImportIssue(type_, None, None, None, message, hint, **extra))


@dataclass(frozen=True)
class Grid:
    """One sheet (or the CSV) as text: every row, each column a categorical of strings ("" when empty).

    Leading and trailing blank rows are dropped, and so are columns with nothing in them at all;
    `first_row` is the spreadsheet row number of `cells.iloc[0]`.
    """

    cells: pd.DataFrame
    first_row: int
    kind: str  # "csv" or "xlsx"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()

    @property
    def width(self) -> int:
        return self.cells.shape[1]

    def __len__(self) -> int:
        return len(self.cells)

    def row(self, i: int) -> list[str]:
        """Row `i` of the grid (0 = first non-blank row) as stripped text."""
        if i >= len(self.cells):
            return [""] * self.width
        return [str(self.cells[c].iat[i]).strip() for c in self.cells.columns]

    def head(self, n: int) -> list[list[str]]:
        return [self.row(i) for i in range(min(n, len(self.cells)))]


def grid_from_rows(rows: list[list[str]], *, kind: str, sheet: str | None = None) -> Grid:
    """A small grid from rows of text (a sheet's first rows, to recognise its export)."""
    width = max((len(r) for r in rows), default=0)
    columns = {}
    for j in range(width):
        codes, uniques = pd.factorize(pd.Series([r[j] if j < len(r) else "" for r in rows], dtype="str"))
        columns[j] = categorical(codes, uniques)
    return Grid(pd.DataFrame(columns, copy=False), first_row=1, kind=kind, sheet=sheet)


class Upload:
    """An opened upload: the sheets it has, a quick look at each, and the full grid of one."""

    kind = ""
    sheets: tuple[str, ...] = ()

    def probe(self, sheet: str | None) -> list[list[str]]:
        """The first few non-blank rows of a sheet, to tell which sheet holds the responses."""
        raise NotImplementedError

    def grid(self, sheet: str | None) -> Grid:
        raise NotImplementedError


def open_upload(data: bytes) -> Upload:
    """Check the size and kind of the bytes and open them as a CSV or a workbook (`UnreadableFile` if not)."""
    if len(data) > limits.MAX_FILE_BYTES:
        raise fail(
            "file-too-large",
            f"The file is {megabytes(len(data))}; uploads are limited to {megabytes(limits.MAX_FILE_BYTES)}.",
            "Split the export into smaller files (for example by date), or export only the survey's questions.",
        )
    if not _TEXT.search(data):
        raise fail("empty-file", "The file is empty.", "Export the responses again and upload the new file.")
    if data.startswith(_XLSX_MAGIC):
        return XlsxUpload(data)
    if data.startswith(_OLE_MAGIC):
        raise fail(
            "not-a-table",
            "This is an old-style Excel (.xls) or Office file, which cannot be read.",
            "Open it in Excel and save it as .xlsx or CSV.",
        )
    if data.startswith(b"%PDF"):
        raise fail("not-a-table", "This is a PDF, not a spreadsheet.", "Upload the CSV or Excel export instead.")
    return CsvUpload(data)


# -- text files ---------------------------------------------------------------------------------------


def detect_encoding(data: bytes) -> str:
    """BOM, then UTF-8 (checked in slices, never decoding the whole file at once), then Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if data.startswith(b"\xef\xbb\xbf") and _is_utf8(data, 3):
        return "utf-8-sig"
    if _looks_utf16_without_bom(data):
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data[:4000].decode(enc, errors="strict")
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return enc
    if _is_utf8(data, 0):
        return "utf-8"
    # cp1252 leaves five bytes undefined; latin-1 maps every byte, so it is the last resort.
    if any(b in data for b in (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")):
        return "latin-1"
    return "cp1252"


def _is_utf8(data: bytes, start: int) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for pos in range(start, len(data), _SAMPLE_BYTES):
            decoder.decode(view[pos : pos + _SAMPLE_BYTES], final=False)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode by BOM, then UTF-8, then Windows-1252 (Excel's default 'CSV' on Windows)."""
    encoding = detect_encoding(data)
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        raise fail("not-a-table", f"The file says it is {encoding} text but cannot be decoded.") from None


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


def _too_many_columns(n: int | str) -> UnreadableFile:
    return fail(
        "too-many-columns",
        f"The file has {n} columns; at most {limits.MAX_COLUMNS:,} can be read.",
        "Export only the survey's answers (a form export has one column per question), or check that the "
        "file is a survey export and not another table.",
    )


def _too_many_rows(n: int, what: str = "rows") -> UnreadableFile:
    return fail(
        "too-many-rows",
        f"The file has about {n:,} {what}; at most {limits.MAX_ROWS:,} rows can be imported at once.",
        "Split the export into smaller files (for example by school or by date) and import each.",
    )


def _too_many_cells(n: int, limit: int, kind: str) -> UnreadableFile:
    hint = "Split the export into smaller files and import each."
    if kind == "xlsx":
        hint = f"Save the sheet as CSV (CSV files may hold up to {limits.MAX_CELLS:,} cells), or split it."
    return fail(
        "too-many-cells",
        f"The {'workbook sheet' if kind == 'xlsx' else 'file'} has about {n:,} cells; at most {limit:,} can be "
        f"read from {'an Excel file' if kind == 'xlsx' else 'one file'}.",
        hint,
    )


class CsvUpload(Upload):
    """A CSV or tab-separated text file: one sheet, parsed by pandas' C reader in chunks."""

    kind = "csv"

    def __init__(self, data: bytes):
        self.data = data
        self.encoding = detect_encoding(data)
        self.sample = _decode_sample(data, self.encoding)
        if _looks_binary(self.sample):
            raise fail(
                "not-a-table",
                "This file is not a spreadsheet or CSV (it contains binary data).",
                "Upload the CSV or Excel export of the form responses.",
            )
        self.delimiter = sniff_delimiter(self.sample)
        first = _first_record(self.sample, self.delimiter)
        self.width = len(first)
        if len(first) > limits.MAX_COLUMNS:
            raise _too_many_columns(f"{len(first):,}")
        self.lines = _count_lines(data, self.encoding)
        # Quoted cells may hold line breaks, so these counts are upper bounds: refuse only far above the limit
        # here, and check the exact figures once the file is read.
        if self.lines > 1.5 * limits.MAX_ROWS:
            raise _too_many_rows(self.lines, "lines")
        if self.lines * max(1, len(first)) > 1.5 * limits.MAX_CELLS:
            raise _too_many_cells(self.lines * len(first), limits.MAX_CELLS, "csv")

    def probe(self, sheet: str | None) -> list[list[str]]:
        rows = csv.reader(io.StringIO(self.sample, newline=""), delimiter=self.delimiter)
        return [r for r in _take_nonblank(rows, limits.SHEET_PROBE_ROWS)]

    def grid(self, sheet: str | None) -> Grid:
        width = max(1, self.width)  # from the first non-blank record: a blank first line has no columns
        columns = None
        if _arrow_csv is not None:
            try:
                columns = self._read_arrow(width)
            except _arrow_errors:
                columns = None  # rows of different widths, or quoting pyarrow rejects: the pandas reader copes
        if columns is None:
            try:
                columns = _union(self._read(width))
            except pd.errors.ParserError:
                # A row wider than the first one: find the widest row, then read again with that many columns.
                columns = _union(self._read(self._widest_row()))
        cells = pd.DataFrame(dict(enumerate(columns)), copy=False)
        return _trimmed(cells, kind="csv", encoding=self.encoding, delimiter=self.delimiter)

    def _read_arrow(self, width: int) -> list[pd.Categorical]:
        """pyarrow's streaming reader, dictionary-encoding each block: no Python object per cell."""
        import pyarrow as pa

        names = [f"c{i}" for i in range(width)]
        pool = _arrow_pool()
        reader = _arrow_csv.open_csv(
            pa.BufferReader(pa.py_buffer(self.data)),
            memory_pool=pool,
            read_options=_arrow_csv.ReadOptions(
                column_names=names, encoding=_ARROW_ENCODINGS.get(self.encoding, self.encoding), block_size=4 << 20
            ),
            parse_options=_arrow_csv.ParseOptions(
                delimiter=self.delimiter, quote_char='"', newlines_in_values=True, ignore_empty_lines=False
            ),
            convert_options=_arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        encoded: list[list] = [[] for _ in range(width)]
        rows = 0
        for batch in reader:
            rows += batch.num_rows
            if rows > limits.MAX_ROWS + 10:
                raise _too_many_rows(rows)
            if rows * width > limits.MAX_CELLS:
                raise _too_many_cells(rows * width, limits.MAX_CELLS, "csv")
            for j in range(width):
                encoded[j].append(_pc.dictionary_encode(batch.column(j), memory_pool=pool))
        out = []
        for j in range(width):
            if not encoded[j]:
                out.append(categorical(np.zeros(0, dtype=np.int8), [""]))
                continue
            chunked = pa.chunked_array(encoded[j]).unify_dictionaries(memory_pool=pool)
            encoded[j] = None
            codes = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in chunked.chunks])
            categories = pd.Index(pd.array(chunked.chunks[0].dictionary, dtype="str"))
            out.append(categorical(codes, categories))
        return out

    def _read(self, width: int) -> list[list[pd.Categorical]]:
        reader = pd.read_csv(
            io.BytesIO(self.data),
            header=None,
            names=range(width),
            dtype=str,
            na_filter=False,
            skip_blank_lines=False,
            sep=self.delimiter,
            quotechar='"',
            encoding=self.encoding,
            engine="c",
            chunksize=_CHUNK_ROWS,
        )
        pieces: list[list[pd.Categorical]] = []
        rows = 0
        with reader:
            for chunk in reader:
                rows += len(chunk)
                if rows > limits.MAX_ROWS + 10:
                    raise _too_many_rows(rows)
                if chunk.shape[1] > limits.MAX_COLUMNS:
                    raise _too_many_columns(f"{chunk.shape[1]:,}")
                if rows * chunk.shape[1] > limits.MAX_CELLS:
                    raise _too_many_cells(rows * chunk.shape[1], limits.MAX_CELLS, "csv")
                pieces.append([_categorical(chunk[c].fillna("")) for c in chunk.columns])
        return pieces

    def _widest_row(self) -> int:
        text = io.TextIOWrapper(io.BytesIO(self.data), encoding=self.encoding, errors="replace", newline="")
        widest = 0
        for row in csv.reader(text, delimiter=self.delimiter):
            if len(row) > widest:
                widest = len(row)
                if widest > limits.MAX_COLUMNS:
                    raise _too_many_columns(f"more than {limits.MAX_COLUMNS:,}")
        return widest


def _decode_sample(data: bytes, encoding: str) -> str:
    chunk = data[:_SAMPLE_BYTES]
    if encoding.startswith("utf-16") and len(chunk) % 2:
        chunk = chunk[:-1]
    return chunk.decode(encoding, errors="ignore")


def _first_record(sample: str, delimiter: str) -> list[str]:
    for row in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter):
        if any(c.strip() for c in row):
            return row
    return []


def _count_lines(data: bytes, encoding: str) -> int:
    if encoding.startswith("utf-16"):
        return data.count(b"\n\x00") + data.count(b"\x00\n")
    return data.count(b"\n") + 1


def _take_nonblank(rows: Iterable[list], n: int) -> list[list[str]]:
    out: list[list[str]] = []
    try:
        for row in rows:
            cells = [_cell_text(v).strip() for v in row]
            if any(cells):
                out.append(cells)
                if len(out) >= n:
                    break
    except csv.Error:
        pass
    return out


# -- workbooks ----------------------------------------------------------------------------------------


class XlsxUpload(Upload):
    """An .xlsx workbook: sizes checked in the zip directory first, then streamed with openpyxl read-only."""

    kind = "xlsx"

    def __init__(self, data: bytes):
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            members = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            raise _not_a_workbook("BadZipFile") from None
        _check_zip(self.zip, members)
        try:
            from openpyxl import load_workbook

            self.book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # any failure inside a zip means "not a workbook we can read"
            raise _not_a_workbook(type(exc).__name__) from None
        self.sheets = tuple(self.book.sheetnames)

    def _worksheet(self, sheet: str | None):
        ws = self.book[sheet] if sheet is not None else self.book.worksheets[0]
        if not hasattr(ws, "iter_rows"):  # a chart sheet
            return None
        return ws

    def probe(self, sheet: str | None) -> list[list[str]]:
        ws = self._worksheet(sheet)
        if ws is None:
            return []
        try:
            ws.reset_dimensions()
            rows = ws.iter_rows(max_row=limits.SHEET_PROBE_ROWS + 20, values_only=True)
            return _take_nonblank(rows, limits.SHEET_PROBE_ROWS)
        except Exception:  # noqa: BLE001 - a sheet we cannot read has nothing to offer
            return []

    def grid(self, sheet: str | None) -> Grid:
        ws = self._worksheet(sheet)
        name = sheet if sheet is not None else self.sheets[0]
        if ws is None:
            raise fail("not-a-table", f"Sheet {name!r} is a chart, not a table.", "Choose the responses sheet.")
        self._check_sheet(ws)
        ws.reset_dimensions()  # a wrong <dimension> would otherwise cut rows off silently
        pieces: list[list[pd.Categorical]] = []
        chunk: list[tuple] = []
        cells = 0
        try:
            for row in ws.iter_rows(values_only=True):
                cells += len(row)
                if cells > limits.MAX_XLSX_CELLS:
                    raise _too_many_cells(cells, limits.MAX_XLSX_CELLS, "xlsx")
                if len(row) > limits.MAX_COLUMNS:
                    raise _too_many_columns(f"{len(row):,}")
                chunk.append(row)
                if len(chunk) >= _CHUNK_ROWS // 4:
                    pieces.append(_xlsx_columns(chunk))
                    chunk = []
        except UnreadableFile:
            raise
        except Exception as exc:  # noqa: BLE001 - a broken sheet is reported, never a crash
            raise _not_a_workbook(type(exc).__name__) from None
        if chunk:
            pieces.append(_xlsx_columns(chunk))
        cells_frame = _frame(pieces)
        return _trimmed(cells_frame, kind="xlsx", sheet=name, sheets=self.sheets)

    def _check_sheet(self, ws) -> None:
        # The declared size (free); the cells themselves were counted in the zip before openpyxl opened it.
        if ws.max_row and ws.max_column and ws.max_row * ws.max_column > limits.MAX_XLSX_CELLS:
            raise _too_many_cells(ws.max_row * ws.max_column, limits.MAX_XLSX_CELLS, "xlsx")


def _not_a_workbook(what: str) -> UnreadableFile:
    return fail(
        "not-a-table",
        f"This looks like a zip or Office file but is not a readable Excel workbook ({what}).",
        "Upload an .xlsx workbook or a CSV export.",
    )


def _check_zip(zf: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    if len(members) > limits.MAX_XLSX_MEMBERS:
        raise _not_a_workbook(f"{len(members):,} files inside")
    total = sum(m.file_size for m in members)
    if total > limits.MAX_XLSX_UNCOMPRESSED:
        raise fail(
            "file-too-large",
            f"The workbook unpacks to {megabytes(total)}; at most {megabytes(limits.MAX_XLSX_UNCOMPRESSED)} "
            "can be read.",
            "Save the responses sheet as CSV and upload that.",
        )
    cells = 0
    for m in members:
        if not m.filename.endswith((".xml", ".rels")):
            continue
        try:
            with zf.open(m) as fh:
                head = fh.read(_XML_PROBE_BYTES)
                # Office files never declare entities; a DTD in one is an entity-expansion attack.
                if _DTD.search(head):
                    raise _not_a_workbook(f"{m.filename} declares XML entities")
                if m.filename.startswith("xl/worksheets/"):
                    if m.file_size > limits.MAX_XLSX_SHEET_XML:
                        raise _too_many_cells(m.file_size // 20, limits.MAX_XLSX_CELLS, "xlsx")
                    # openpyxl parses a whole sheet to size it when the sheet does not declare its size, so
                    # cells are counted here, in the raw XML, before openpyxl sees the file.
                    cells = _count_cells(fh, head, cells)
        except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, zlib.error, EOFError):
            raise _not_a_workbook("damaged zip") from None


def _count_cells(fh, head: bytes, counted: int) -> int:
    """Add the <c> elements of a worksheet's XML to `counted`; stop as soon as the total is over the limit.

    Counted with bytes.count (no object per cell), after reading the sheet's namespace prefix, if any.
    """
    found = _SHEET_DATA.search(head)
    prefix = (found.group(1) or b"") if found else b""
    marks = [b"<" + prefix + b"c" + end for end in (b" ", b">", b"/", b"\n", b"\t", b"\r")]
    tail = b""
    block = head
    while block:
        text = tail + block
        counted += sum(text.count(m) - tail.count(m) for m in marks)
        if counted > limits.MAX_XLSX_CELLS:
            raise _too_many_cells(counted, limits.MAX_XLSX_CELLS, "xlsx")
        tail = text[-16:]
        block = fh.read(_SAMPLE_BYTES)
    return counted


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
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


def _xlsx_columns(rows: list[tuple]) -> list[pd.Categorical]:
    width = max((len(r) for r in rows), default=0)
    out = []
    for j in range(width):
        values = np.empty(len(rows), dtype=object)
        values[:] = [r[j] if j < len(r) else None for r in rows]
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        # One text per distinct value; two values may give the same text ("3" and 3), so factorise again.
        texts = [_cell_text(u) for u in uniques] + [""]
        text_codes, categories = pd.factorize(pd.Index(texts, dtype="str"))
        out.append(categorical(text_codes[codes], categories))
    return out


# -- shared --------------------------------------------------------------------------------------------


def _categorical(values: pd.Series) -> pd.Categorical:
    codes, categories = pd.factorize(values)
    return categorical(codes, categories)


def _frame(pieces: list[list[pd.Categorical]]) -> pd.DataFrame:
    return pd.DataFrame(dict(enumerate(_union(pieces))), copy=False) if pieces else pd.DataFrame()


def _union(pieces: list[list[pd.Categorical]]) -> list[pd.Categorical]:
    """Chunks of columns to whole columns (a chunk narrower than the widest one is padded with blanks)."""
    if not pieces:
        return []
    width = max(len(p) for p in pieces)
    columns = []
    for j in range(width):
        parts = []
        for p in pieces:
            if j < len(p):
                parts.append(p[j])
            else:
                n = len(p[0]) if p else 0
                parts.append(categorical(np.zeros(n, dtype=np.int8), [""]))
        columns.append(parts[0] if len(parts) == 1 else union_categoricals(parts, sort_categories=False))
    return columns


def blank_categories(values: pd.Series) -> np.ndarray:
    """For a categorical column: which categories are blank (empty or spaces only)."""
    cats = values.cat.categories
    if len(cats) == 0:
        return np.zeros(0, dtype=bool)
    return np.asarray(pd.Series(cats, dtype="str").str.strip().eq(""), dtype=bool)


def blank_mask(values: pd.Series) -> np.ndarray:
    """For a categorical column: True where the cell is blank."""
    codes = values.cat.codes.to_numpy()
    blank = blank_categories(values)
    if len(blank) == 0:
        return np.ones(len(values), dtype=bool)
    out = blank[codes]
    out[codes < 0] = True
    return out


def blank_rows(cells: pd.DataFrame) -> np.ndarray:
    """True for rows whose every cell is blank."""
    out = np.ones(len(cells), dtype=bool)
    for c in cells.columns:
        out &= blank_mask(cells[c])
        if not out.any():
            break
    return out


def _trimmed(cells: pd.DataFrame, *, kind: str, **provenance) -> Grid:
    if cells.empty or not len(cells):
        raise fail("empty-file", "The file has no text in it.", "Export the responses again.")
    blank = blank_rows(cells)
    if blank.all():
        raise fail("empty-file", "The file has no text in it.", "Export the responses again.")
    # Blank rows above the header are counted so row numbers match what the person sees; blank rows
    # after the last response are not part of the table.
    first = int(np.argmax(~blank))
    last = len(blank) - int(np.argmax(~blank[::-1]))
    trimmed = first > 0 or last < len(blank)
    # Columns with nothing in them at all (stray trailing delimiters, formatted empty Excel columns).
    columns = {}
    for c in cells.columns:
        values = cells[c].iloc[first:last] if trimmed else cells[c]
        if blank_mask(values).all():
            continue
        if trimmed:
            values = without_unused(values).reset_index(drop=True)
        columns[len(columns)] = values
    cells = pd.DataFrame(columns, copy=False)
    return Grid(cells=cells, first_row=first + 1, kind=kind, **provenance)
