"""Chronological order of round names (pure functions, no database)."""

from __future__ import annotations

import pytest

from pl_core.domain.rounds import ordinal_for_new_round, round_sort_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Fall 2025", (2025, 0)),
        ("Autumn 2025", (2025, 0)),
        ("fall 2025 staff survey", (2025, 0)),
        ("Winter 2026", (2025, 1)),
        ("Winter 2025-26", (2025, 1)),
        ("Spring 2026", (2025, 2)),
        ("Summer 2026", (2025, 3)),
        ("Fall 2026", (2026, 0)),
        ("2025-26 BOY", (2025, 0)),
        ("2025-26 MOY", (2025, 1)),
        ("2025-26 EOY", (2025, 2)),
        ("BOY 2025-2026", (2025, 0)),
        ("2025/26 Spring", (2025, 2)),
        ("Spring 2025–26", (2025, 2)),
        ("End of year 2025-26", (2025, 2)),
        ("Pilot", None),
        ("2025-26", None),  # no season
        ("Fall", None),  # no year
        ("Fall 2025 and Spring 2026", None),  # two seasons
        ("Fall 2024-27", None),  # not one school year
        ("Boysenberry 2025", None),  # "boy" only as a whole word
    ],
)
def test_round_sort_key(name, key):
    assert round_sort_key(name) == key


def test_recognisable_names_sort_chronologically():
    names = ["Spring 2027", "2026-27 BOY", "Winter 2026", "Spring 2026", "Fall 2025"]
    assert sorted(names, key=round_sort_key) == [
        "Fall 2025",
        "Winter 2026",
        "Spring 2026",
        "2026-27 BOY",
        "Spring 2027",
    ]


@pytest.mark.parametrize(
    ("existing", "name", "ordinal"),
    [
        ([], "Fall 2025", 1),
        ([], "Pilot", 1),
        ([(1, "Fall 2025")], "Spring 2026", 2),
        ([(1, "Spring 2026")], "Fall 2025", 1),
        ([(1, "Fall 2025"), (2, "Fall 2026")], "Spring 2026", 2),
        ([(1, "Spring 2026"), (2, "Fall 2026")], "Fall 2027", 3),
        ([(1, "Fall 2025"), (2, "Pilot")], "Spring 2026", 3),  # after the unrecognised round, since none is later
        ([(1, "Pilot"), (2, "Spring 2026")], "Fall 2025", 2),  # before the first recognisably later round
        ([(1, "Fall 2025"), (2, "Spring 2026")], "Workshop", 3),  # unrecognised names go last
        ([(3, "Spring 2026"), (1, "Fall 2025")], "Winter 2026", 3),  # order of the input does not matter
    ],
)
def test_ordinal_for_new_round(existing, name, ordinal):
    assert ordinal_for_new_round(existing, name) == ordinal
