"""Helpers the source readers share: recognising a tool's own columns by their headers."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..levels import normalise
from ..report import ColumnMatch

Assigner = Callable[[str], ColumnMatch | None]


def field(name: str) -> tuple[str, str | None, str]:
    """A tool column that is a metadata field (identity, time, ...)."""
    return ("metadata", name, "header")


IGNORED = ("ignored", None, "source")  # a tool's own column we do not use (IP address, duration, ...)
QUIZ = ("ignored", None, "quiz")  # quiz scores and feedback


def assigner(
    known: dict[str, tuple[str, str | None, str]], prefixes: tuple[tuple[re.Pattern, str], ...] = ()
) -> Assigner:
    """A function that pre-matches a tool's own columns: `known` maps normalised headers to (kind, field, how).

    `prefixes` are (pattern, how) pairs for columns the tool names after another one ("Points - Culture").
    Ignored tool columns are marked with how="source" (or the prefix's how) so the report says why.
    """

    def assign(header: str) -> ColumnMatch | None:
        for pattern, how in prefixes:
            if pattern.match(header):
                return ColumnMatch(header, "ignored", None, how)
        found = known.get(normalise(header))
        if found is None:
            return None
        kind, name, how = found
        return ColumnMatch(header, kind, name, how)

    return assign


def first_cells(grid_row: list[str]) -> set[str]:
    """A header row as a set of normalised cells."""
    return {normalise(c) for c in grid_row if c}
