"""Bounds on what an upload may cost: every limit is named here, and every refusal quotes it."""

from __future__ import annotations

# Half a million submissions of a 14-item Google Form with labelled answers ("2 - Learner Centered") is
# about 170 MB; the limit leaves a little room above that and refuses a 200 MB file (Streamlit's own
# default upload limit) before reading it.
MAX_FILE_BYTES = 180_000_000
# A survey export has tens of columns (a Qualtrics export with every metadata field, a few hundred).
MAX_COLUMNS = 2_000
MAX_ROWS = 1_000_000
# Rows x columns: a million submissions of a 20-column form.
MAX_CELLS = 20_000_000

# Excel files are read cell by cell by openpyxl (about 100,000 cells a second), so their limit is lower;
# bigger exports should be saved as CSV.
MAX_XLSX_CELLS = 1_000_000
MAX_XLSX_MEMBERS = 10_000
# Uncompressed size of the whole workbook and of the one sheet read: a zip of a few kilobytes can
# declare gigabytes of XML, and a sheet's declared <dimension> can lie, so both are checked first.
MAX_XLSX_UNCOMPRESSED = 400_000_000
MAX_XLSX_SHEET_XML = 200_000_000
# Rows read from each sheet to tell which one holds the responses.
SHEET_PROBE_ROWS = 4

# Labels files are a few lines of `label: level`; framework files are a few hundred kilobytes.
MAX_LABELS_FILE_BYTES = 1_000_000
MAX_LABELS_DEPTH = 4
MAX_YAML_NODES = 200_000
MAX_YAML_DEPTH = 32

# The report lists at most this many issues of one type in one column, then one line counting the rest.
MAX_LISTED_ISSUES = 100


def megabytes(n: int) -> str:
    """150000000 -> '150 MB' (decimal megabytes, as file browsers show them)."""
    return f"{n / 1_000_000:,.0f} MB" if n >= 1_000_000 else f"{n / 1000:,.0f} kB"
