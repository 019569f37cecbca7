"""Our own upload template: one row per respondent (wide), or one row per answer (long).

The wide layout is `respondent, role, grade_band, <item names...>` (see `pl_core.ingest.template`); the
long layout has an `item` and a `level` column. Any table no other source recognises is read as the wide
template, which is also how a hand-made spreadsheet with item names as headers is read.
"""

from __future__ import annotations

from ..canonical import CanonicalTable, headed_columns
from ..grid import Grid
from ..levels import normalise
from ..report import ColumnMatch
from .base import first_cells

ID = "template"
LABEL = "our template"

_LONG_ITEM = frozenset({"item", "itemid", "itemname"})
_LONG_LEVEL = frozenset({"level", "rating", "score", "answer", "response"})


def detect(grid: Grid) -> int:
    header = first_cells(grid.row(0))
    return 60 if header & _LONG_ITEM and header & _LONG_LEVEL else 5


def read(grid: Grid) -> CanonicalTable:
    headers = grid.row(0)
    if detect(grid) == 60:
        return _long(grid, headers)
    columns, rows = headed_columns(grid, headers, 1)
    return CanonicalTable(ID, LABEL, "template-wide", columns, rows)


def _long(grid: Grid, headers: list[str]) -> CanonicalTable:
    seen: set[str] = set()

    def assign(header: str) -> ColumnMatch | None:
        key = normalise(header)
        for name, keys in (("item", _LONG_ITEM), ("level", _LONG_LEVEL)):
            if key in keys and name not in seen:
                seen.add(name)
                return ColumnMatch(header, "metadata", name, "long-form")
        return None

    columns, rows = headed_columns(grid, headers, 1, assign)
    return CanonicalTable(ID, LABEL, "template-long", columns, rows, long_form=True)
