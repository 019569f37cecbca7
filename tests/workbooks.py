"""Excel workbooks built in memory for tests: sheets by title, rows as lists (what openpyxl appends)."""

from __future__ import annotations

import io

from openpyxl import Workbook


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    """The bytes of a workbook with these sheets, in this order."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
