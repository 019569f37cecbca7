"""The coach's school report: one self-contained HTML file that opens offline and prints to at most 12 Letter pages.

`pl_core.services.reports.gather_report` reads everything the report shows into a `SchoolReport` (plain
data, published figures only); `render_report` here lays it out and fills the Jinja2 templates in
`templates/` (autoescaped: every string a person typed reaches the page as text). The dashboard's download
and `pl-diag report` both call `pl_core.services.reports.build_report`, so they are the same file.

Charts are tables with small inline SVG graphics: every label, tick and figure is HTML text in a table
cell, which wraps instead of being cut off, prints sharply, reads in black and white, and gives screen
readers the figures the graphic draws. The SVGs hold shapes only (no text) and are hidden from assistive
technology. No script and no network: the file is the same bytes for the same data.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..domain.goals import GoalProgress
from ..domain.recommend import NOTABLE_GAP, Recommendation
from ..domain.summary import SchoolSummary
from ..frameworks import Framework, FrameworkItem, RatingScale
from .heatmaps import heatmap_table
from .palette import CONTINUOUS, LEADERSHIP_COLOUR, STAFF_COLOUR, level_colours

# The core report; each section flows on from the one before when printed (no half-empty pages).
SECTIONS = (
    ("continuum", "Where the school stands"),
    ("next-steps", "Where to start"),
    ("leadership", "Leadership team and staff"),
    ("growth", "Growth since last round"),
    ("heatmaps", "Staff roles side by side"),
    ("distributions", "How staff answered"),
    ("goals", "Goals and timeline"),
    ("comments", "What staff wrote"),
)
# Long material, printed only when asked for (`appendices=True`), each starting on a new page.
APPENDICES = (
    ("appendix-heatmaps", "Appendix A \u00b7 Every heatmap"),
    ("appendix-descriptors", "Appendix B \u00b7 What every level looks like"),
    ("appendix-more", "Appendix C \u00b7 More goals and comments"),
)
# Bounds that keep the core report within 12 Letter pages whatever a school has typed; the rest goes to an appendix.
CORE_GOALS = 3
CORE_COMMENTS = 20
CORE_COMMENT_CHARS = 1800  # about a quarter of a page of comments
CORE_NOTE_CHARS = 1800  # the leadership team's rationale and evidence, about a quarter of a page
SMALL_FIGURE = 8  # rows: a chart this short is kept on one printed page; a longer one may continue, its header repeated
TREND = 0.25  # a change of a quarter level or more is coloured in the growth table
DOT_RADIUS = 10  # px: the dot for a level every staff member chose
# Goal status chips and bars: white text on each reads at 4.5:1 or better (WCAG AA), in colour or in grey.
STATUS_COLOURS = {
    "on track": "#1d6996",
    "ahead": "#253494",
    "achieved": "#1a7f37",
    "done": "#1a7f37",
    "behind": "#b93c06",
    "not yet measured": "#5f6368",
    "paused": "#5f6368",
}


@dataclass(frozen=True)
class ConsensusNote:
    """What the leadership team recorded for one item: the agreed level, why, and the votes behind it."""

    level: float
    rationale: str
    evidence: str
    votes: tuple[float, ...]


@dataclass(frozen=True)
class SchoolReport:
    """Everything one school's report shows, all of it published figures (see pl_core.services.reports)."""

    framework: Framework
    today: dt.date
    min_group: int
    summary: SchoolSummary  # the same headline figures as the Overview
    scores: pd.DataFrame  # whole-school scores by round x item, for the rounds up to the report's
    now: pd.DataFrame  # the report round's rows of `scores`
    by_role: pd.DataFrame  # scores by role for the report round, hidden groups blank and `suppressed`
    leadership: pd.DataFrame  # school, round, item, level (consensus)
    consensus: dict[str, ConsensusNote]
    comparison: pd.DataFrame  # scoring.compare_leadership
    growth: pd.DataFrame | None  # scoring.compare_rounds from the previous round, None without one
    recommendations: list[Recommendation]
    goals: list[GoalProgress]
    comments: pd.DataFrame | None  # column, text; None when too few staff responded to show any
    by_grade_band: pd.DataFrame | None = None  # scores by grade band (appendix), hidden groups blank

    @property
    def school(self) -> str:
        return self.summary.school

    @property
    def round(self) -> str:
        return self.summary.round

    @property
    def rounds(self) -> tuple[str, ...]:
        """Rounds up to the report's with staff answers for this school, oldest first."""
        return self.summary.rounds_with_data

    @property
    def previous_round(self) -> str | None:
        return self.summary.previous_round


# ---------------------------------------------------------------- small helpers


def missing(value) -> bool:
    """True for None, pandas' NA and NaN: a figure that is not there (hidden or never measured)."""
    if value is None or value is pd.NA:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def _float(value) -> float | None:
    return None if missing(value) else float(value)


def _int(value) -> int | None:
    return None if missing(value) else int(value)


def fmt_num(value, digits: int = 2, signed: bool = False) -> str:
    """A figure as the report prints it; an en dash when there is none."""
    if missing(value):
        return "\u2013"
    return f"{float(value):+.{digits}f}" if signed else f"{float(value):.{digits}f}"


def css_string(value: object) -> Markup:
    """A CSS string literal for typed text (the printed page footer): everything but ASCII letters and digits
    as six-digit escapes, so nothing typed can end the string or the style sheet (a space is escaped too: CSS
    would swallow a literal one after an escape)."""
    text = "".join(ch if ch.isascii() and ch.isalnum() else f"\\{ord(ch):06x}" for ch in str(value))
    return Markup(f'"{text}"')


SOFT_HYPHEN = "\u00ad"
_ONSETS = frozenset(
    "bl br ch cl cr dr fl fr gl gr ph pl pr sc sh sk sl sm sn sp st sw th tr tw wh wr "
    "sch scr shr spl spr str thr".split()
)


def _hyphenate(word: str) -> str:
    """Soft hyphens between the syllables of a long word (vowel-consonant rules, never within 3 letters of an end)."""
    lower = word.lower()
    vowels = [(m.start(), m.end()) for m in re.finditer(r"[aeiouy]+", lower)]
    cuts = []
    for (_, end), (start, _) in itertools.pairwise(vowels):
        cluster = lower[end:start]
        if not cluster:
            continue
        onset = next((k for k in range(len(cluster), 1, -1) if cluster[-k:] in _ONSETS), 1)
        cut = start - onset
        if 3 <= cut <= len(word) - 3:
            cuts.append(cut)
    pieces = [word[a:b] for a, b in itertools.pairwise([0, *cuts, len(word)])]
    return SOFT_HYPHEN.join(pieces)


def soft_hyphens(value: object, shortest: int = 9) -> str:
    """`value` with soft hyphens in words of `shortest` letters or more, so a narrow column breaks them cleanly."""
    return re.sub(rf"[A-Za-z]{{{shortest},}}", lambda m: _hyphenate(m.group()), str(value))


def long_date(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _hex(rgb: Sequence[float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a #rrggbb colour."""
    channels = [c / 255 for c in _rgb(colour)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink_on(fill: str) -> str:
    """Black or white, whichever reads better on `fill`: one of them always reaches 4.58:1 (near-black may not)."""
    dark, light = "#000000", "#ffffff"
    return dark if contrast(fill, dark) >= contrast(fill, light) else light


def tint(colour: str, amount: float) -> str:
    """`colour` mixed with white (`amount` of the colour): light band fills that print without transparency."""
    r, g, b = _rgb(colour)
    return _hex([255 + (c - 255) * amount for c in (r, g, b)])


def continuous_colour(t: float) -> str:
    """The heatmap colour at `t` (0 = lowest level, 1 = highest) on the palette's continuous scale."""
    t = min(max(t, 0.0), 1.0)
    for (t0, c0), (t1, c1) in zip(CONTINUOUS, CONTINUOUS[1:], strict=False):
        if t <= t1:
            f = 0 if t1 == t0 else (t - t0) / (t1 - t0)
            a, b = _rgb(c0), _rgb(c1)
            return _hex([x + (y - x) * f for x, y in zip(a, b, strict=True)])
    return CONTINUOUS[-1][1]


# ---------------------------------------------------------------- what the templates draw


@dataclass(frozen=True)
class LevelView:
    number: int
    label: str  # numbered and marked when ours: "3 More Learner Centered*"
    colour: str  # the level's colour (swatches, descriptor heads)
    band: str  # the light tint a chart's band uses
    ink: str  # text colour on `colour`


@dataclass(frozen=True)
class ScaleView:
    """A rating scale as charts lay it out: equal bands from low - 0.5 to high + 0.5."""

    levels: tuple[LevelView, ...]
    footnote: str | None
    low: int
    high: int

    def x(self, value: float | None) -> float | None:
        """Where `value` sits across a chart, in percent of its width."""
        if value is None:
            return None
        span = self.high - self.low + 1
        return round(min(max((value - self.low + 0.5) / span, 0.0), 1.0) * 100, 2)

    @property
    def band_width(self) -> float:
        return round(100 / len(self.levels), 4)


def scale_view(scale: RatingScale) -> ScaleView:
    colours = level_colours(scale.numbers)
    labels = scale.legend(short=True, numbered=True).labels
    levels = tuple(
        LevelView(lv.number, label, colours[lv.number], tint(colours[lv.number], 0.3), ink_on(colours[lv.number]))
        for lv, label in zip(scale.levels, labels, strict=True)
    )
    return ScaleView(levels, scale.footnote(), scale.low, scale.high)


def _domain_scale(fw: Framework, domain) -> RatingScale:
    return fw.item(domain.item_ids[0]).scale


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    sub: str


@dataclass(frozen=True)
class ScaleNote:
    """How to read one scale: which domains use it, its levels and the footnote for labels that are ours."""

    domains: str
    labels: tuple[str, ...]
    footnote: str | None


@dataclass(frozen=True)
class StripRow:
    item: str
    mean: float | None
    n: int | None
    stage: str  # the stage's marked label, "" without a staff mean
    leadership: float | None
    hidden: bool  # staff figures withheld by the disclosure control
    dots: tuple[tuple[float, float], ...]  # (x %, radius px) per level with answers
    mean_x: float | None
    lead_x: float | None


@dataclass(frozen=True)
class ChartGroup:
    """One chart: the rows of one domain, or of consecutive domains on the same scale (one part each, so a long
    framework does not repeat a header per domain), with the scale its header shows and a one-sentence summary."""

    title: str
    scale: ScaleView
    parts: tuple[tuple[str, tuple], ...]  # (domain name, rows)
    summary: str

    @property
    def rows(self) -> tuple:
        return tuple(row for _, rows in self.parts for row in rows)


def _charts(parts: Sequence[tuple[str, RatingScale, tuple]], summarise) -> tuple[ChartGroup, ...]:
    """Domains' rows as charts, consecutive domains on the same scale sharing one chart; `summarise(rows, scale)`."""
    merged: list[tuple[RatingScale, list]] = []
    for name, scale, rows in parts:
        if merged and merged[-1][0] == scale:
            merged[-1][1].append((name, rows))
        else:
            merged.append((scale, [(name, rows)]))
    return tuple(
        ChartGroup(
            " \u00b7 ".join(name for name, _ in domains),
            scale_view(scale),
            tuple(domains),
            summarise([row for _, rows in domains for row in rows], scale),
        )
        for scale, domains in merged
    )


@dataclass(frozen=True)
class Segment:
    x: float  # %
    width: float  # %
    colour: str


@dataclass(frozen=True)
class ShareRow:
    item: str
    shares: tuple[float | None, ...]  # percent of answers per level, ascending
    missing: float | None  # percent of all answers and non-answers
    n: int | None
    hidden: bool
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class GrowthRow:
    item: str
    before: float | None
    n_before: int | None
    after: float | None
    n_after: int | None
    change: float | None
    trend: str  # "up", "down" or ""
    x_before: float | None
    x_after: float | None


@dataclass(frozen=True)
class HeatCell:
    text: str
    fill: str
    ink: str
    state: str  # "value", "hidden" or "none"


@dataclass(frozen=True)
class Heatmap:
    title: str
    corner: str  # the first column's header
    columns: tuple[str, ...]
    groups: tuple[tuple[str, tuple[tuple[str, tuple[HeatCell, ...]], ...]], ...]  # (domain, ((item, cells), ...))
    hidden: int
    summary: str
    whole: bool  # the first column is the whole school

    names: str = "items-s"  # how long the item names are (see item_column)

    @property
    def first_width(self) -> int:
        """Percent of the width for item names: more for long names, less as more groups need room."""
        base = {"items-s": 32, "items-m": 36, "items-l": 40}[self.names]
        return base if len(self.columns) <= 4 else (base - 6 if len(self.columns) <= 6 else base - 12)

    @property
    def all_hidden(self) -> bool:
        """Every group's cell is hidden (the whole-school column aside)."""
        skip = 1 if self.whole else 0
        cells = [c for _, rows in self.groups for _, row in rows for c in row[skip:]]
        return bool(cells) and all(c.state == "hidden" for c in cells)


@dataclass(frozen=True)
class LeadershipRow:
    item: str
    staff_mean: float | None
    staff_n: int | None
    staff_hidden: bool
    consensus: float | None
    gap: float | None
    notable: bool
    agreement: float | None
    votes: str
    rationale: str
    evidence: str


@dataclass(frozen=True)
class RecView:
    rec: Recommendation
    stage: str  # marked
    move: str
    steps: tuple
    levels: tuple[int, ...]  # the levels whose labels the view shows (for their footnote)


@dataclass(frozen=True)
class MilestoneMark:
    x: float
    state: str  # done, overdue, upcoming


@dataclass(frozen=True)
class TimelineRow:
    title: str
    item: str
    status: str
    start: dt.date
    end: dt.date
    x0: float
    x1: float
    milestones: tuple[MilestoneMark, ...]


@dataclass(frozen=True)
class Timeline:
    rows: tuple[TimelineRow, ...]
    ticks: tuple[tuple[float, str, str], ...]  # (x %, label, align) for the year ticks
    today_x: float
    summary: str


@dataclass(frozen=True)
class GoalView:
    progress: GoalProgress
    title: str
    item: str
    milestones: tuple[tuple[str, str, str], ...]  # (due, description, state)


@dataclass(frozen=True)
class LevelText:
    level: LevelView
    statement: str
    descriptors: tuple[str, ...]
    mark: str  # "now", "next" or ""


@dataclass(frozen=True)
class ItemLevels:
    item: str
    basis: str  # "staff mean 2.55", "leadership consensus 3.0" or "not rated yet"
    levels: tuple[LevelText, ...]


# ---------------------------------------------------------------- building the views


def _hidden(row) -> bool:
    return bool(row.get("suppressed", False)) and missing(row.get("mean"))


def _strip_row(row, lead: float | None, item: FrameworkItem, view: ScaleView) -> StripRow:
    mean = _float(row.get("mean"))
    dots = []
    if mean is not None:
        for lv in item.scale.levels:
            share = _float(row.get(f"share_{lv.number}"))
            if share:
                dots.append((view.x(lv.number), round(math.sqrt(share) * DOT_RADIUS, 2)))
    return StripRow(
        item=item.name,
        mean=mean,
        n=_int(row.get("n")),
        stage="" if mean is None else item.scale.marked_label(item.scale.stage(mean), short=True),
        leadership=lead,
        hidden=_hidden(row),
        dots=tuple(dots),
        mean_x=view.x(mean),
        lead_x=view.x(lead),
    )


def continuum_groups(data: SchoolReport) -> tuple[ChartGroup, ...]:
    """Per domain, each item's staff spread, staff mean and leadership consensus on the item's levels."""
    fw = data.framework
    now = {r["item"]: r for _, r in data.now.iterrows()}
    lead = {r["item"]: _float(r["level"]) for _, r in data.leadership.iterrows()}
    groups = []
    for domain in fw.domains:
        view = scale_view(_domain_scale(fw, domain))
        strips = []
        for item in fw.items_in(domain.id):
            row = now.get(item.id, {})
            answered = (_float(row.get("n")) or 0) > 0
            if answered or _hidden(row) or lead.get(item.id) is not None:
                strips.append(_strip_row(row, lead.get(item.id), item, view))
        if strips:
            groups.append((domain.name, _domain_scale(fw, domain), tuple(strips)))
    return _charts(groups, _continuum_summary)


def _continuum_summary(rows: Sequence[StripRow], scale: RatingScale | None = None) -> str:
    means = [r for r in rows if r.mean is not None]
    parts = []
    if means:
        low = min(means, key=lambda r: r.mean)
        high = max(means, key=lambda r: r.mean)
        parts.append(
            f"Staff means run from {low.mean:.2f} ({low.item}) to {high.mean:.2f} ({high.item})."
            if len(means) > 1
            else f"The staff mean is {high.mean:.2f} ({high.item})."
        )
    hidden = sum(r.hidden for r in rows)
    if hidden:
        parts.append(f"Staff figures for {hidden} item(s) are hidden: too few staff answered to show them.")
    both = [r for r in means if r.leadership is not None]
    if both:
        higher = sum(r.leadership > r.mean for r in both)
        parts.append(f"The leadership team rates {higher} of {len(both)} item(s) higher than staff do.")
    return " ".join(parts)


def share_groups(data: SchoolReport) -> tuple[ChartGroup, ...]:
    """Per domain, the share of staff answers at each level as diverging bars (low levels left of centre)."""
    fw = data.framework
    now = data.now
    groups = []
    for domain in fw.domains:
        part = now[now["domain"] == domain.id]
        if "suppressed" in part:
            part = part[((part["n"].fillna(0) + part["missing"].fillna(0)) > 0) | part["suppressed"].astype(bool)]
        else:
            part = part[(part["n"].fillna(0) + part["missing"].fillna(0)) > 0]
        if part.empty:
            continue
        scale = _domain_scale(fw, domain)
        view = scale_view(scale)
        rows = tuple(_share_row(r, fw.item(r["item"]), scale, view) for _, r in part.iterrows())
        groups.append((domain.name, scale, rows))
    return _charts(groups, _share_summary)


def _share_row(row, item: FrameworkItem, scale: RatingScale, view: ScaleView) -> ShareRow:
    n = _int(row["n"])
    hidden = _hidden(row) or n is None
    if hidden or not n:
        shares = tuple(None for _ in scale.levels)
    else:
        shares = tuple(100 * float(row[f"count_{lv.number}"]) / n for lv in scale.levels)
    answered, not_answered = _float(row["n"]), _float(row.get("missing"))
    total = (answered or 0) + (not_answered or 0)
    missing_share = None if hidden or not total else 100 * (not_answered or 0) / total
    return ShareRow(item.name, shares, missing_share, n, hidden, _segments(shares, scale, view))


def _segments(shares: Sequence[float | None], scale: RatingScale, view: ScaleView) -> tuple[Segment, ...]:
    """Bars from the centre line: levels below the middle stack leftward, the rest rightward (a middle level splits)."""
    if any(s is None for s in shares):
        return ()
    colour = {lv.number: lv.colour for lv in view.levels}
    share = dict(zip(scale.numbers, shares, strict=True))
    segments = []
    left = right = 50.0
    for number in sorted(scale.numbers, reverse=True):  # nearest the middle first on the left
        if number < scale.middle:
            width = share[number] / 2
            left -= width
            segments.append(Segment(round(left, 3), round(width, 3), colour[number]))
    for number in scale.numbers:
        if number == scale.middle:
            width = share[number] / 4
            segments.append(Segment(round(left - width, 3), round(width, 3), colour[number]))
            segments.append(Segment(round(right, 3), round(width, 3), colour[number]))
            left, right = left - width, right + width
    for number in scale.numbers:
        if number > scale.middle:
            width = share[number] / 2
            segments.append(Segment(round(right, 3), round(width, 3), colour[number]))
            right += width
    return tuple(s for s in segments if s.width > 0)


def _share_summary(rows: Sequence[ShareRow], scale: RatingScale) -> str:
    shown = [r for r in rows if not r.hidden and r.n]
    if not shown:
        return "Every item's answers are hidden: too few staff answered to show them."
    upper = [n for n in scale.numbers if n > scale.middle]
    idx = [scale.numbers.index(n) for n in upper]
    share_upper = [(sum(r.shares[i] for i in idx), r) for r in shown]
    low = min(share_upper, key=lambda t: t[0])
    high = max(share_upper, key=lambda t: t[0])
    above = scale.marked_label(upper[0], short=True)
    return (
        f"The share of staff at {above} or above runs from {low[0]:.0f}% ({low[1].item}) "
        f"to {high[0]:.0f}% ({high[1].item})."
    )


def growth_groups(data: SchoolReport) -> tuple[ChartGroup, ...]:
    """Per domain, each item's staff mean in the previous round and now, with the change."""
    if data.growth is None:
        return ()
    fw = data.framework
    groups = []
    for domain in fw.domains:
        part = data.growth[data.growth["domain"] == domain.id]
        if part.empty:
            continue
        view = scale_view(_domain_scale(fw, domain))
        rows = []
        for _, r in part.iterrows():
            before, after = _float(r["mean_before"]), _float(r["mean_after"])
            change = _float(r["growth"])
            trend = "" if change is None or abs(change) < TREND else ("up" if change > 0 else "down")
            rows.append(
                GrowthRow(
                    fw.item(r["item"]).name,
                    before,
                    _int(r["n_before"]),
                    after,
                    _int(r["n_after"]),
                    change,
                    trend,
                    view.x(before),
                    view.x(after),
                )
            )
        groups.append((domain.name, _domain_scale(fw, domain), tuple(rows)))
    return _charts(groups, _growth_summary)


def _growth_summary(rows: Sequence[GrowthRow], scale: RatingScale | None = None) -> str:
    changed = [r for r in rows if r.change is not None]
    if not changed:
        return "No item has a staff mean in both rounds to compare."
    up = sum(r.trend == "up" for r in changed)
    down = sum(r.trend == "down" for r in changed)
    best = max(changed, key=lambda r: r.change)
    return (
        f"{up} item(s) rose and {down} fell by a quarter level or more; "
        f"the largest change is {best.change:+.2f} ({best.item})."
    )


def _heatmap(
    scores: pd.DataFrame,
    fw: Framework,
    column: str,
    *,
    title: str,
    corner: str,
    order: Sequence[str] | None = None,
    min_group: int | None = None,
    whole: pd.DataFrame | None = None,
) -> Heatmap | None:
    """Items (grouped by domain) x `column` as coloured cells; hidden cells say so ("n<5"), empty ones a dash."""
    table = heatmap_table(scores, fw, column, order=order, min_group=min_group)
    if table.values.empty:
        return None
    columns = [str(c) for c in table.values.columns]
    whole_by_name = {}
    if whole is not None:
        whole_by_name = {fw.item(r["item"]).name: r for _, r in whole.iterrows()}
        columns = ["Whole school", *columns]
    groups = []
    for domain in fw.domains:
        scale = _domain_scale(fw, domain)
        names = [fw.item(i).name for i in domain.item_ids if fw.item(i).name in table.values.index]
        rows = []
        for name in names:
            cells = []
            if whole is not None:
                w = whole_by_name.get(name)
                hidden = w is not None and _hidden(w)
                cells.append(_heat_cell(None if w is None else _float(w["mean"]), "hidden" if hidden else "", scale))
            for col in table.values.columns:
                cells.append(_heat_cell(_float(table.values.at[name, col]), str(table.labels.at[name, col]), scale))
            rows.append((name, tuple(cells)))
        if rows:
            groups.append((domain.name, tuple(rows)))
    cells = [c for _, rows in groups for _, row in rows for c in row]
    shown = sum(c.state == "value" for c in cells)
    summary = f"{shown} of {len(cells)} cells have a figure"
    summary += f"; {table.suppressed_cells} are hidden." if table.suppressed_cells else "."
    return Heatmap(
        title,
        corner,
        tuple(columns),
        tuple(groups),
        table.suppressed_cells,
        summary,
        whole is not None,
        item_column(fw),
    )


def _heat_cell(value: float | None, label: str, scale: RatingScale) -> HeatCell:
    if value is None:
        hidden = label.startswith("n<") or label == "hidden"
        return HeatCell(
            label if hidden else "\u2013", "#eeeeee" if hidden else "#f7f7f7", "#333333", "hidden" if hidden else "none"
        )
    fill = continuous_colour((value - scale.low) / (scale.high - scale.low))
    return HeatCell(f"{value:.1f}", fill, ink_on(fill), "value")


def role_heatmap(data: SchoolReport) -> Heatmap | None:
    if data.by_role is None or data.by_role.empty:
        return None
    return _heatmap(
        data.by_role,
        data.framework,
        "role",
        title=f"Mean level by staff role, {data.round}",
        corner="Item",
        min_group=data.min_group,
        whole=data.now,
    )


def appendix_heatmaps(data: SchoolReport) -> tuple[Heatmap, ...]:
    """The heatmaps the core report leaves out: every round side by side, and grade bands."""
    maps = []
    if len(data.rounds) >= 2:
        maps.append(
            _heatmap(
                data.scores,
                data.framework,
                "round",
                title="Whole-school mean level by round",
                corner="Item",
                order=list(data.rounds),
                min_group=data.min_group,
            )
        )
    if data.by_grade_band is not None and not data.by_grade_band.empty:
        maps.append(
            _heatmap(
                data.by_grade_band,
                data.framework,
                "grade_band",
                title=f"Mean level by grade band, {data.round}",
                corner="Item",
                min_group=data.min_group,
                whole=data.now,
            )
        )
    return tuple(m for m in maps if m is not None)


def leadership_rows(data: SchoolReport) -> tuple[LeadershipRow, ...]:
    fw = data.framework
    rows = []
    for _, row in data.comparison.iterrows():
        note = data.consensus.get(row["item"])
        gap = _float(row["gap"])
        votes = (
            f"{fmt_num(min(note.votes), 1)}\u2013{fmt_num(max(note.votes), 1)} ({len(note.votes)} votes)"
            if note and note.votes
            else "\u2013"
        )
        rows.append(
            LeadershipRow(
                item=fw.item(row["item"]).name,
                staff_mean=_float(row["staff_mean"]),
                staff_n=_int(row["staff_n"]),
                staff_hidden=bool(row.get("suppressed", False)) and missing(row["staff_mean"]),
                consensus=_float(row["leadership"]),
                gap=gap,
                notable=gap is not None and abs(gap) >= NOTABLE_GAP,
                agreement=_float(row["agreement"]),
                votes=votes,
                rationale=note.rationale if note else "",
                evidence=note.evidence if note else "",
            )
        )
    return tuple(rows)


def rec_views(data: SchoolReport) -> tuple[RecView, ...]:
    fw = data.framework
    views = []
    for rec in data.recommendations:
        scale = fw.item(rec.item_id).scale
        stage = scale.marked_label(rec.stage, short=True) if rec.stage is not None else (rec.stage_label or "")
        levels = [rec.stage] if rec.stage is not None else []
        plan = rec.plan
        move = plan.move_label
        if plan.to_level is not None and move == f"{scale.label(plan.from_level)} \u2192 {scale.label(plan.to_level)}":
            # the move is named after the scale's labels (the source names none): mark them like everywhere else
            move = f"{scale.marked_label(plan.from_level)} \u2192 {scale.marked_label(plan.to_level)}"
            levels += [plan.from_level, plan.to_level]
        views.append(RecView(rec, stage, move, tuple(plan.steps), tuple(levels)))
    return tuple(views)


def rec_footnotes(views: Sequence[RecView], fw: Framework) -> tuple[str, ...]:
    """Footnotes for the labels that are ours among the levels the recommendations name."""
    notes = []
    for view in views:
        note = fw.item(view.rec.item_id).scale.footnote(view.levels)
        if note and note not in notes:
            notes.append(note)
    return tuple(notes)


def _milestone_state(progress: GoalProgress, milestone) -> str:
    return "done" if milestone.done else ("overdue" if milestone in progress.overdue else "upcoming")


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def timeline(data: SchoolReport, goals: Sequence[GoalProgress]) -> Timeline | None:
    """One bar per goal from its start to its target date, its milestones on it, and a line for today."""
    if not goals:
        return None
    fw = data.framework
    days = [p.goal.start_date for p in goals] + [p.goal.target_date for p in goals] + [data.today]
    days += [m.due for p in goals for m in p.goal.milestones]
    first, last = min(days), max(days)
    # whole months, with one to spare at each end so a marker on the first or last day is drawn whole
    start = _add_months(dt.date(first.year, first.month, 1), -1)
    end = _add_months(dt.date(last.year, last.month, 1), 2)
    span = (end - start).days or 1

    def x(day: dt.date) -> float:
        return round((day - start).days / span * 100, 2)

    rows = tuple(
        TimelineRow(
            title=p.goal.title or fw.item(p.goal.item_id).name,
            item=fw.item(p.goal.item_id).name,
            status=p.status,
            start=p.goal.start_date,
            end=p.goal.target_date,
            x0=x(p.goal.start_date),
            x1=x(p.goal.target_date),
            milestones=tuple(MilestoneMark(x(m.due), _milestone_state(p, m)) for m in p.goal.milestones),
        )
        for p in goals
    )
    ticks = []
    for year in range(start.year + (start.month > 1), end.year + 1):
        tick = x(dt.date(year, 1, 1))
        if 0 <= tick <= 100:
            align = "start" if tick < 8 else ("end" if tick > 92 else "middle")
            ticks.append((tick, str(year), align))
    statuses = sorted({p.status for p in goals})
    summary = (
        f"{len(goals)} goal(s) between {long_date(min(p.goal.start_date for p in goals))} and "
        f"{long_date(max(p.goal.target_date for p in goals))}: {', '.join(statuses)}."
    )
    return Timeline(rows, tuple(ticks), x(data.today), summary)


def goal_views(data: SchoolReport, goals: Sequence[GoalProgress]) -> tuple[GoalView, ...]:
    fw = data.framework
    return tuple(
        GoalView(
            progress=p,
            title=p.goal.title or fw.item(p.goal.item_id).name,
            item=fw.item(p.goal.item_id).name,
            milestones=tuple(
                (m.due.isoformat(), m.description, _milestone_state(p, m))
                for m in sorted(p.goal.milestones, key=lambda m: m.due)
            ),
        )
        for p in goals
    )


def comment_groups(comments: pd.DataFrame) -> tuple[tuple[str, tuple[str, ...]], ...]:
    written = comments.dropna(subset=["text"])
    written = written[written["text"].astype(str).str.strip() != ""]
    return tuple(
        (str(question), tuple(str(t) for t in group["text"]))
        for question, group in written.groupby("column", sort=False)
    )


def _split_comments(groups, limit: int, chars: int):
    """Comments for the core report (in the service's order, at most `limit` and about `chars` characters, at least
    one), and the rest for the appendix."""
    core, rest, count, size = [], [], 0, 0
    for question, texts in groups:
        kept = []
        for text in texts:
            if count and (count >= limit or size + len(text) > chars):
                break
            kept.append(text)
            count, size = count + 1, size + len(text)
        if kept:
            core.append((question, tuple(kept)))
        if texts[len(kept) :]:
            rest.append((question, texts[len(kept) :]))
    return tuple(core), tuple(rest)


def _split_notes(rows: Sequence[LeadershipRow], chars: int):
    """Rows with a rationale or evidence: those whose notes fit in about `chars` characters (at least one) for the
    core report, the rest for the appendix."""
    noted = [r for r in rows if r.rationale or r.evidence]
    core, size = [], 0
    for row in noted:
        length = len(row.rationale) + len(row.evidence)
        if core and size + length > chars:
            break
        core.append(row)
        size += length
    return tuple(core), tuple(noted[len(core) :])


def item_column(fw: Framework) -> str:
    """How wide item names need their column: "items-s", "items-m" or "items-l" by the framework's longest name."""
    longest = max((len(i.name) for i in fw.items), default=0)
    return "items-s" if longest <= 36 else ("items-m" if longest <= 70 else "items-l")


def item_levels(data: SchoolReport) -> tuple[tuple[str, tuple[ItemLevels, ...]], ...]:
    """Every level's description for every item, the level the school is at now and the next one marked."""
    fw = data.framework
    staff = {r["item"]: _float(r["mean"]) for _, r in data.now.iterrows()}
    lead = {r["item"]: _float(r["level"]) for _, r in data.leadership.iterrows()}
    domains = []
    for domain in fw.domains:
        view = scale_view(_domain_scale(fw, domain))
        levels_by_number = {lv.number: lv for lv in view.levels}
        items = []
        for item in fw.items_in(domain.id):
            level, basis = staff.get(item.id), "staff mean"
            if level is None:
                level, basis = lead.get(item.id), "leadership consensus"
            now = item.scale.stage(level) if level is not None else None
            nxt = (
                item.scale.numbers[item.scale.numbers.index(now) + 1]
                if now is not None and now < item.scale.high
                else None
            )
            texts = []
            for lv in item.scale.levels:
                content = item.content(lv.number)
                statement = content.statement if content and content.statement else ""
                descriptors = tuple(content.descriptors) if content else ()
                if descriptors == (statement,):
                    statement = ""
                mark = "now" if lv.number == now else ("next" if lv.number == nxt else "")
                texts.append(LevelText(levels_by_number[lv.number], statement, descriptors, mark))
            where = f"{basis} {level:.2f}" if level is not None else "not rated yet"
            items.append(ItemLevels(item.name, where, tuple(texts)))
        domains.append((domain.name, tuple(items)))
    return tuple(domains)


def summary_cards(data: SchoolReport) -> tuple[Card, ...]:
    """The Overview's headline figures (SchoolSummary), worded for print."""
    s = data.summary
    fw = data.framework
    if s.respondents is None:
        answered = Card("Staff who answered", "hidden", f"fewer than {data.min_group}: figures are withheld")
    else:
        if s.response_rate is not None:
            sub = f"of {s.expected_staff} expected ({s.response_rate:.0%})"
        elif s.previous_round:
            before = "hidden" if s.respondents_before is None else str(s.respondents_before)
            sub = f"{before} in {s.previous_round}"
        else:
            sub = "first round with staff answers"
        answered = Card("Staff who answered", str(s.respondents), sub)
    change = s.change
    if change is not None:
        mean_sub = f"{change:+.2f} since {s.previous_round}" if abs(change) >= 0.005 else f"same as {s.previous_round}"
    elif s.overall_mean is None:
        mean_sub = "no staff figure to show"
    else:
        mean_sub = "first round with staff answers"
    statuses = ", ".join(sorted({p.status for p in data.goals})) or "none set yet"
    cards = [
        answered,
        Card("Overall mean level", fmt_num(s.overall_mean), mean_sub),
        Card("Leadership consensus", f"{s.leadership_items} of {len(fw.items)}", "items rated"),
        Card("Goals", str(len(data.goals)), statuses),
    ]
    for label, figure in (("Strongest item", s.strongest), ("Weakest item", s.weakest)):
        if figure is not None:
            stage = fw.item(figure.item_id).scale.marked_label(figure.stage, short=True)
            cards.append(Card(label, figure.item_name, f"mean {figure.mean:.2f} \u00b7 {stage}"))
    return tuple(cards)


def card_footnotes(data: SchoolReport) -> tuple[str, ...]:
    """Footnotes for labels that are ours among the cover's strongest and weakest stages."""
    notes = []
    for figure in (data.summary.strongest, data.summary.weakest):
        if figure is not None:
            note = data.framework.item(figure.item_id).scale.footnote([figure.stage])
            if note and note not in notes:
                notes.append(note)
    return tuple(notes)


def scale_notes(fw: Framework) -> tuple[ScaleNote, ...]:
    by_scale: dict[str, list[str]] = {}
    scales: dict[str, RatingScale] = {}
    for domain in fw.domains:
        scale = _domain_scale(fw, domain)
        by_scale.setdefault(scale.id, []).append(domain.name)
        scales[scale.id] = scale
    return tuple(
        ScaleNote(", ".join(names), scales[sid].legend(numbered=True).labels, scales[sid].footnote())
        for sid, names in by_scale.items()
    )


def footnotes(groups: Sequence[ChartGroup]) -> tuple[str, ...]:
    """The distinct footnotes of the scales a chart shows, in order."""
    seen = []
    for g in groups:
        if g.scale.footnote and g.scale.footnote not in seen:
            seen.append(g.scale.footnote)
    return tuple(seen)


# ---------------------------------------------------------------- rendering


@functools.cache
def environment() -> Environment:
    """The report's Jinja2 environment: autoescaped, strict about undefined names, templates from the package."""
    env = Environment(
        loader=PackageLoader("pl_core.present", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = fmt_num
    env.filters["css_string"] = css_string
    env.filters["long_date"] = long_date
    env.filters["missing"] = missing
    env.filters["hy"] = soft_hyphens
    env.globals["bar_tint"] = lambda colour: tint(colour, 0.35)
    return env


def render_report(data: SchoolReport, *, appendices: bool = False) -> str:
    """The HTML document for a gathered report; `appendices` adds every heatmap, every level and the overflow."""
    fw = data.framework
    goals = list(data.goals)
    core_goals, more_goals = goals[:CORE_GOALS], goals[CORE_GOALS:]
    comments = comment_groups(data.comments) if data.comments is not None else None
    core_comments, more_comments = _split_comments(comments or (), CORE_COMMENTS, CORE_COMMENT_CHARS)
    leadership = leadership_rows(data)
    core_notes, more_notes = _split_notes(leadership, CORE_NOTE_CHARS)
    continuum = continuum_groups(data)
    recs = rec_views(data)
    shares = share_groups(data)
    growth = growth_groups(data)
    sections = list(SECTIONS)
    extra = []
    if appendices:
        extra = [APPENDICES[0], APPENDICES[1]]
        if more_goals or more_comments or more_notes:
            extra.append(APPENDICES[2])
    edition = fw.source.edition or (str(fw.year) if fw.year else "")
    context = dict(
        data=data,
        fw=fw,
        summary=data.summary,
        edition=edition,
        sections=sections,
        appendices=extra,
        cards=summary_cards(data),
        card_notes=card_footnotes(data),
        scale_notes=scale_notes(fw),
        continuum=continuum,
        continuum_notes=footnotes(continuum),
        all_hidden=bool(continuum) and all(r.hidden for g in continuum for r in g.rows),
        no_staff=bool(continuum) and all(r.mean is None and not r.hidden for g in continuum for r in g.rows),
        recs=recs,
        rec_notes=rec_footnotes(recs, fw),
        leadership=leadership,
        core_notes=core_notes,
        more_notes=more_notes,
        items=item_column(fw),
        growth=growth,
        growth_notes=footnotes(growth),
        roles=role_heatmap(data),
        shares=shares,
        share_notes=footnotes(shares),
        timeline=timeline(data, goals),
        goals=goal_views(data, core_goals),
        more_goals=goal_views(data, more_goals),
        comments=comments,
        core_comments=core_comments,
        more_comments=more_comments,
        comment_count=sum(len(t) for _, t in comments or ()),
        heatmaps_appendix=appendix_heatmaps(data) if appendices else (),
        levels_appendix=item_levels(data) if appendices else (),
        notable_gap=NOTABLE_GAP,
        trend=TREND,
        small_figure=SMALL_FIGURE,
        staff_colour=STAFF_COLOUR,
        leadership_colour=LEADERSHIP_COLOUR,
        colour_ramp=[continuous_colour(i / 20) for i in range(21)],
        level_range=scale_view(_domain_scale(fw, fw.domains[0])),
        status_colours=STATUS_COLOURS,
    )
    return environment().get_template("report.html.j2").render(**context)
