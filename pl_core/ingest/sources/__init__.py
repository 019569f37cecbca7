"""One module per survey export: each says whether a file is its own (`detect`) and reads it (`read`).

A source module has `ID` (a stable id such as `google-forms`), `LABEL` ("a Google Forms export"),
`detect(grid) -> int` (0 = not mine, up to 100 = certainly mine) and `read(grid) -> CanonicalTable`.
Adding an export is one module here, one line in SOURCES, and its tests; the shared steps after the
reader (item matching, levels, respondent keys, resubmissions, the report) do not change.
"""

from __future__ import annotations

from types import ModuleType

from ..grid import Grid
from . import google_forms, google_sheets, microsoft_forms, qualtrics, surveymonkey, template

# Most specific first: on equal scores the earlier source wins.
SOURCES: tuple[ModuleType, ...] = (qualtrics, surveymonkey, microsoft_forms, google_forms, google_sheets, template)
LABELS = {s.ID: s.LABEL for s in SOURCES}


def detect(grid: Grid) -> ModuleType:
    """The source module that best recognises the grid (our template when none does)."""
    best, best_score = template, 0
    for source in SOURCES:
        score = source.detect(grid)
        if score > best_score:
            best, best_score = source, score
    return best
