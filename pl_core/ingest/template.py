"""Our upload template: one row per respondent, one column per item, as CSV or Excel."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from ..frameworks.model import Framework

TEMPLATE_METADATA = ("respondent", "role", "grade_band")


def template_headers(framework: Framework) -> list[str]:
    """The template's header row: respondent, role, grade_band, then every item by name."""
    return [*TEMPLATE_METADATA, *(item.name for item in framework.items)]


def write_template(framework: Framework, fmt: str = "csv", rows: list[list[object]] | None = None) -> bytes:
    """The upload template as CSV (UTF-8 with BOM, so Excel shows accents) or XLSX bytes, optionally with rows."""
    if fmt == "csv":
        return _template_csv(framework, rows or [])
    if fmt == "xlsx":
        return _template_xlsx(framework, rows or [])
    raise ValueError(f"unknown template format {fmt!r}; use 'csv' or 'xlsx'")


def _template_csv(framework: Framework, rows: list[list[object]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(template_headers(framework))
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _template_xlsx(framework: Framework, rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Responses"
    headers = template_headers(framework)
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col, value=header)
        # Force text: an item name starting with "=" must never become a live formula.
        cell.data_type = "s"
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=col, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
    first = len(TEMPLATE_METADATA) + 1
    for offset, item in enumerate(framework.items):
        letter = ws.cell(row=1, column=first + offset).column_letter
        rule = DataValidation(
            type="whole",
            operator="between",
            formula1=str(item.scale.low),
            formula2=str(item.scale.high),
            allow_blank=True,
            showErrorMessage=True,
            error=f"Enter a level from {item.scale.low} to {item.scale.high} (see the Levels sheet).",
        )
        rule.add(f"{letter}2:{letter}5000")
        ws.add_data_validation(rule)
    ws.freeze_panes = "B2"
    levels = wb.create_sheet("Levels")
    levels.append(["scale", "level", "label", "short label"])
    for scale in framework.scales.values():
        for lv in scale.levels:
            levels.append([scale.name, lv.number, lv.label, lv.short_label])
    items = wb.create_sheet("Items")
    items.append(["column", "item id", "domain", "scale"])
    for item in framework.items:
        items.append([item.name, item.id, item.domain_name, item.scale.name])
    for sheet in (levels, items):
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
