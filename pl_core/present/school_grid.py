"""Schools x items as an HTML table of coloured cells: the District page's "where each school stands".

A district is read school by school, so each school is a row (lowest overall mean first, as the page ranks
them) and each item a column under its domain. Every figure is text in a table cell (th scope for schools,
items and domains), so the chart is its own table: nothing to hover, nothing cut off, and no chart library
for the browser to load. Hidden cells say "n<5"; a cell without answers shows a dash.

Cells take one of TONES shades of the heatmap colour scale by CSS class rather than inline style, so a
1,000-school table stays a few hundred kilobytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ..frameworks import Framework
from .chart_text import heatmap_text
from .heatmaps import items_by_school
from .report import continuous_colour, environment, ink_on, scale_view

TONES = 21  # shades from the lowest level to the highest: a step of 0.15 on a 1-4 scale


@dataclass(frozen=True)
class GridCell:
    text: str  # "2.7", "n<5" or "\u2013"
    state: str  # "value", "hidden" or "none"
    tone: int | None  # 0..TONES-1 for a value


@dataclass(frozen=True)
class SchoolGrid:
    title: str
    domains: tuple[tuple[str, tuple[str, ...]], ...]  # (domain name, its item names) in framework order
    rows: tuple[tuple[str, tuple[GridCell, ...]], ...]  # (school, one cell per item) in the order given
    hidden: int  # cells withheld by the disclosure control
    summary: str
    low: int  # the scale the colours run over (the first domain's)
    high: int
    footnotes: tuple[str, ...]  # "Domain, Domain: * note" for level labels that are ours

    @property
    def columns(self) -> int:
        return sum(len(items) for _, items in self.domains)


def _tone(value: float, low: int, high: int) -> int:
    t = min(max((value - low) / (high - low), 0.0), 1.0)
    return round(t * (TONES - 1))


def school_grid(
    scores: pd.DataFrame, fw: Framework, round_name: str, *, schools: Sequence[str], min_group: int, title: str
) -> SchoolGrid:
    """`schools` (in that order) x the framework's items, from whole-school `scores` of `round_name`."""
    values, labels, domains = [], [], []
    notes: dict[str, list[str]] = {}  # footnote -> the domains whose scale it explains
    hidden = 0
    for domain in fw.domains:
        part = scores[scores["domain"] == domain.id]
        if part.empty:
            continue
        table = items_by_school(part, fw, round_name, schools=schools, min_group=min_group)
        if table.values.empty:
            continue
        scale = fw.item(domain.item_ids[0]).scale
        view = scale_view(scale)
        tones = table.values.map(lambda v, lo=view.low, hi=view.high: None if pd.isna(v) else _tone(v, lo, hi))
        values.append(table.values)
        labels.append(table.labels)
        domains.append((domain.name, tuple(str(i) for i in table.values.index), tones))
        hidden += table.suppressed_cells
        if view.footnote:
            notes.setdefault(view.footnote, []).append(domain.name)
    rows = []
    for school in schools:
        cells = []
        for (_, items, tones), label in zip(domains, labels, strict=True):
            for item in items:
                text, tone = str(label.at[item, school]), tones.at[item, school]
                if tone is not None and not pd.isna(tone):
                    cells.append(GridCell(text, "value", int(tone)))
                elif text:
                    cells.append(GridCell(text, "hidden", None))
                else:
                    cells.append(GridCell("\u2013", "none", None))
        rows.append((school, tuple(cells)))
    summary = ""
    if values:
        summary = heatmap_text(pd.concat(values), pd.concat(labels), columns="Schools", hidden=hidden).summary
    first = scale_view(fw.item(fw.domains[0].item_ids[0]).scale)
    return SchoolGrid(
        title,
        tuple((name, items) for name, items, _ in domains),
        tuple(rows),
        hidden,
        summary,
        first.low,
        first.high,
        tuple(f"{', '.join(names)}: {note}" for note, names in notes.items()),
    )


def tone_colours() -> tuple[tuple[str, str], ...]:
    """(fill, ink) of each tone: the heatmap scale's colour and black or white text, whichever reads better."""
    fills = [continuous_colour(i / (TONES - 1)) for i in range(TONES)]
    return tuple((fill, ink_on(fill)) for fill in fills)


def render_school_grid(grid: SchoolGrid) -> str:
    """The grid as a scrollable, keyboard-reachable HTML table with its legend (autoescaped)."""
    tones = tone_colours()
    return (
        environment()
        .get_template("school_grid.html.j2")
        .render(grid=grid, tones=tones, colour_ramp=[fill for fill, _ in tones])
    )
