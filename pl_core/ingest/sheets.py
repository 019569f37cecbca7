"""Which sheet of a workbook holds the responses: Google's `Form Responses 1`, or the one naming items."""

from __future__ import annotations

import re

from ..frameworks.model import Framework
from . import sources
from .columns import ItemIndex
from .grid import Upload, fail, grid_from_rows
from .report import Option

FORM_RESPONSES = re.compile(r"^\s*form\s+responses\s*\d*\s*$", re.IGNORECASE)


def _items_named(row: list[str], index: ItemIndex) -> int:
    found = set()
    for cell in row:
        statement = cell.rsplit(" - ", 1)[1] if " - " in cell else None
        item = index.mentions(cell, statement) if cell else None
        if item:
            found.add(item)
    return len(found)


def _this_workbook(upload: Upload, sheet: str) -> str:
    """'This workbook', or 'This looks like a Google Sheets download ..., and the workbook' when a sheet says so."""
    source = sources.detect(grid_from_rows(upload.probe(sheet), kind="xlsx", sheet=sheet))
    return "This workbook" if source is sources.template else f"This looks like {source.LABEL}, and the workbook"


def sheet_scores(upload: Upload, framework: Framework) -> dict[str, int]:
    """For each sheet with anything on it: how many items its header rows name."""
    index = ItemIndex(framework)
    scores = {}
    for name in upload.sheets:
        probe = upload.probe(name)
        if probe:
            scores[name] = max(_items_named(row, index) for row in probe)
    return scores


def choose_sheet(upload: Upload, framework: Framework, requested: str | None) -> str | None:
    """The sheet to read: the one asked for, else `Form Responses N`, else the one whose headers name items.

    Raises UnreadableFile with a choice (`sheet`) when the sheet asked for does not exist, or when two
    sheets look equally like the responses.
    """
    if upload.kind != "xlsx":
        return None
    sheets = upload.sheets
    if requested is not None:
        if requested in sheets:
            return requested
        raise fail(
            "unknown-sheet",
            f"{_this_workbook(upload, sheets[0])} has no sheet {requested!r}; its sheets are "
            f"{', '.join(map(repr, sheets))}.",
            "Choose one of the workbook's sheets.",
            choice="sheet",
            options=tuple(Option(s, s) for s in sheets),
        )
    scores = sheet_scores(upload, framework)
    if not scores:
        return sheets[0] if sheets else None
    if len(scores) == 1:
        return next(iter(scores))
    named = {s: n for s, n in scores.items() if n > 0}
    if not named:
        return next(iter(scores))
    for pool in ({s: n for s, n in named.items() if FORM_RESPONSES.match(s)}, named):
        if not pool:
            continue
        best = max(pool.values())
        top = [s for s, n in pool.items() if n == best]
        if len(top) == 1:
            return top[0]
        raise fail(
            "ambiguous-sheet",
            f"{_this_workbook(upload, top[0])} has {len(top)} sheets ({', '.join(map(repr, top))}) each with "
            f"columns for {best} items; which one holds the responses?",
            "Choose the sheet with the staff responses (pass sheet=NAME, or pick it on the Upload page).",
            choice="sheet",
            options=tuple(Option(s, f"{s} ({scores[s]} item columns)") for s in top),
        )
    return None
