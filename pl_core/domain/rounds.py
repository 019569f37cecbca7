"""Chronological order of round names such as "Fall 2025", "Spring 2026" or "2025-26 BOY"."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

# Position inside a school year (which starts in the fall).
_SEASONS: tuple[tuple[str, int], ...] = (
    (r"fall|autumn|boy|beginning[ -]of[ -](?:the[ -])?year", 0),
    (r"winter|moy|mid[ -]?year|middle[ -]of[ -](?:the[ -])?year", 1),
    (r"spring|eoy|end[ -]of[ -](?:the[ -])?year", 2),
    (r"summer", 3),
)
_SEASON_RE = re.compile("|".join(f"(?P<s{i}>\\b(?:{pattern})\\b)" for i, (pattern, _) in enumerate(_SEASONS)))
_SCHOOL_YEAR_RE = re.compile(r"\b((?:19|20)\d\d)\s*[-–/]\s*(\d\d(?:\d\d)?)\b")
_YEAR_RE = re.compile(r"\b((?:19|20)\d\d)\b")


def round_sort_key(name: str) -> tuple[int, int] | None:
    """(school year's first calendar year, season 0–3) for a recognisable round name, else None.

    A school year runs fall → winter → spring → summer, so "Spring 2026" is (2025, 2) and comes
    after "Fall 2025" (2025, 0). A single calendar year with winter means its January: "Winter 2026"
    is (2025, 1). "2025-26 BOY" / "MOY" / "EOY" are fall / winter / spring of 2025-26.
    """
    lowered = name.lower()
    seasons = {next(int(k[1:]) for k, v in m.groupdict().items() if v) for m in _SEASON_RE.finditer(lowered)}
    if len(seasons) != 1:
        return None
    season = _SEASONS[seasons.pop()][1]

    school_years = _SCHOOL_YEAR_RE.findall(lowered)
    if school_years:
        if len(school_years) != 1:
            return None
        start, end = int(school_years[0][0]), int(school_years[0][1])
        expected_end = start + 1 if end >= 100 else (start + 1) % 100
        return (start, season) if end == expected_end else None

    years = set(_YEAR_RE.findall(lowered))
    if len(years) != 1:
        return None
    year = int(years.pop())
    return (year, season) if season == 0 else (year - 1, season)


def ordinal_for_new_round(existing: Iterable[tuple[int, str]], name: str) -> int:
    """The ordinal a new round `name` should take among `existing` (ordinal, name) pairs.

    Rounds whose ordinal is at least the returned one move up by one. A recognisable name goes
    before the first existing round that is recognisably later; anything else goes last.
    """
    ordered = sorted(existing)
    after_last = (ordered[-1][0] + 1) if ordered else 1
    key = round_sort_key(name)
    if key is None:
        return after_last
    for ordinal, other in ordered:
        other_key = round_sort_key(other)
        if other_key is not None and other_key > key:
            return ordinal
    return after_last


def round_date(name: str) -> date | None:
    """The date a recognisable round name implies (Fall → Oct 1, Winter → Jan 15, Spring → Mar 1, Summer → Jul 1)."""
    key = round_sort_key(name)
    if key is None:
        return None
    year, season = key
    # Fall opens the school year; the other seasons fall in the following calendar year.
    month, day = _SEASON_DATES[season]
    return date(year if season == 0 else year + 1, month, day)


_SEASON_DATES = {0: (10, 1), 1: (1, 15), 2: (3, 1), 3: (7, 1)}
