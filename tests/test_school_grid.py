"""The District page's schools x items table (pl_core.present.school_grid): hand-checked cells, shades that read,
hidden cells that say so, typed school names escaped, and a table a screen reader can walk."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from html_table import Table

from pl_core.frameworks import load_framework
from pl_core.present.palette import contrast
from pl_core.present.school_grid import TONES, render_school_grid, school_grid, tone_colours

ROUND = "Fall 2026"
HOSTILE = '<img src=x onerror="alert(1)">'


@pytest.fixture(scope="module")
def dps():
    return load_framework("dps-driver-model")


def _domain(fw, item_id):
    [domain] = [d for d in fw.domains if item_id in d.item_ids]
    return domain


@pytest.fixture(scope="module")
def scores(dps):
    rows = [
        ("Aspen", "relationships", 2.7, 40, False),
        ("Aspen", "culture", 4.0, 40, False),
        ("Aspen", "strategic-time", 1.0, 38, False),
        ("Birch", "relationships", np.nan, np.nan, True),  # fewer than the minimum group: withheld
        ("Birch", "culture", 2.05, 12, False),
        (HOSTILE, "relationships", 3.1, 9, False),
    ]
    frame = pd.DataFrame(rows, columns=["school", "item", "mean", "n", "suppressed"])
    frame["round"] = ROUND
    frame["domain"] = [_domain(dps, i).id for i in frame["item"]]
    return frame


@pytest.fixture(scope="module")
def grid(dps, scores):
    return school_grid(scores, dps, ROUND, schools=["Birch", HOSTILE, "Aspen"], min_group=5, title="Mean level")


def test_rows_follow_the_order_given_and_columns_the_framework(grid):
    assert [school for school, _ in grid.rows] == ["Birch", HOSTILE, "Aspen"]
    assert grid.domains == (
        ("Foundational Practices", ("Relationships", "Culture")),
        ("Primary Drivers", ("Strategic Time",)),
    )
    assert grid.columns == 3


def test_each_cell_carries_its_figure_and_its_shade(grid):
    cells = {school: [(c.text, c.state, c.tone) for c in row] for school, row in grid.rows}
    # shade = round((mean - 1) / 3 * 20): 2.7 -> 11.33 -> 11; 4.0 -> 20; 1.0 -> 0; 2.05 -> 7; 3.1 -> 14
    assert cells["Aspen"] == [("2.7", "value", 11), ("4.0", "value", 20), ("1.0", "value", 0)]
    assert cells["Birch"] == [("n<5", "hidden", None), ("2.0", "value", 7), ("\u2013", "none", None)]
    assert cells[HOSTILE] == [("3.1", "value", 14), ("\u2013", "none", None), ("\u2013", "none", None)]
    assert grid.hidden == 1


def test_summary_names_the_highest_and_lowest_cell_and_the_hidden_one(grid):
    assert grid.summary == (
        "Mean level of 3 items across 3 schools: highest 4.0 (Culture, Aspen), lowest 1.0 (Strategic Time, Aspen)."
        " 1 cell(s) are hidden because too few staff answered."
    )


def test_footnotes_say_which_domains_use_labels_that_are_ours(grid):
    assert grid.footnotes[0].startswith("Foundational Practices: * label added by PL Diagnostics")
    assert grid.footnotes[1].startswith("Primary Drivers: * label added by PL Diagnostics")


def test_every_shade_keeps_its_figure_readable():
    shades = tone_colours()
    assert len(shades) == TONES
    assert min(contrast(fill, ink) for fill, ink in shades) >= 4.5


def test_the_html_is_a_table_a_screen_reader_can_walk_with_typed_names_escaped(grid):
    html = render_school_grid(grid)
    assert HOSTILE not in html and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
    table = Table()
    table.feed(html)
    assert table.headers == [
        ("col", "School"),
        ("colgroup", "Foundational Practices"),
        ("colgroup", "Primary Drivers"),
        ("col", "Relationships"),
        ("col", "Culture"),
        ("col", "Strategic Time"),
    ]
    birch, hostile, aspen = table.rows
    assert birch == [("row", "Birch"), ("hidden start", "n<5"), ("t7", "2.0"), ("none start", "\u2013")]
    assert hostile[0] == ("row", HOSTILE)  # the text a reader hears is the name as typed
    assert [text for _, text in aspen] == ["Aspen", "2.7", "4.0", "1.0"]
    assert [cls.split()[0] for cls, _ in aspen[1:]] == ["t11", "t20", "t0"]
    # the scrolling box can be reached and named from the keyboard
    assert re.search(r'<div class="pl-grid-wrap" role="region" tabindex="0" aria-label="Mean level">', html)
    # each shade is defined once, not written into every cell
    assert len(re.findall(r"\.pl-grid td\.t\d+ \{ background: #[0-9a-f]{6}", html)) == TONES
    assert 'style="' not in html
