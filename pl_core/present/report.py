"""The coach's school report: one self-contained HTML file that opens offline and prints cleanly to PDF.

`pl_core.services.reports.gather_report` reads everything the report shows into a `SchoolReport`
(plain data, published figures only); `render_report` here turns it into HTML. The dashboard's download
and `pl-diag report` both call `pl_core.services.reports.build_report`, so they are the same file.

Every string that came from a person (school, round, role and goal names, comments, consensus
rationale and evidence) is escaped on its way into the page, and charts get plotly.js embedded once,
so the file needs no network at all.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import count

import pandas as pd
import plotly.graph_objects as go

from ..domain.goals import GoalProgress, gantt_rows
from ..domain.recommend import NOTABLE_GAP, Recommendation
from ..domain.summary import SchoolSummary
from ..frameworks import Framework, FrameworkItem
from . import charts
from .heatmaps import heatmap_table
from .palette import FONT, LEVEL_TEXT, level_colours

REPORT_WIDTH = 700  # px: within the printable width of Letter and A4 at 12 mm margins, so charts print as seen
CHART_FONT = dict(FONT, size=13)
TOP_STEPS = 3  # fidelity-inventory action plans usually focus on one to three items

SECTIONS = (
    ("continuum", "Where the school stands"),
    ("next-steps", "Where to start"),
    ("leadership", "Leadership team and staff"),
    ("growth", "Growth since last round"),
    ("heatmaps", "Heatmaps"),
    ("distributions", "How staff answered"),
    ("goals", "Goals and timeline"),
    ("descriptors", "What the levels look like"),
    ("comments", "What staff wrote"),
)


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


# ---------------------------------------------------------------- rendering


def esc(value: object) -> str:
    """Text for an HTML element or attribute, escaped."""
    return html.escape("" if value is None else str(value), quote=True)


def _plot_text(value: object) -> str:
    """Text for a plotly label, as typed: the charts escape every label themselves (charts.plain_label)."""
    return str(value)


def _num(value, digits: int = 2, signed: bool = False) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "\u2013"
    return f"{float(value):+.{digits}f}" if signed else f"{float(value):.{digits}f}"


def _isnan(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


class _Figures:
    """Turns figures into <div>s; plotly.js goes into the first one only, so the file carries it once."""

    def __init__(self) -> None:
        self._ids = count(1)
        self.embedded = False

    def html(self, fig: go.Figure, caption: str = "") -> str:
        fig.update_layout(width=REPORT_WIDTH)
        height = int(fig.layout.height or 400)
        div = fig.to_html(
            full_html=False,
            include_plotlyjs=not self.embedded,
            config={**charts.PLOT_CONFIG, "responsive": False, "displayModeBar": False},
            div_id=f"figure-{next(self._ids)}",  # stable ids: the same data gives the same file
            default_width=f"{REPORT_WIDTH}px",
            default_height=f"{height}px",
        )
        self.embedded = True
        note = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
        return f'<figure class="chart">{div}{note}</figure>'


def render_report(data: SchoolReport) -> str:
    """The HTML document for a gathered report."""
    figures = _Figures()
    fw = data.framework
    body = [
        _header(data),
        _continuum(data, figures),
        _next_steps(data),
        _leadership(data),
        _growth(data),
        _heatmaps(data, figures),
        _distributions(data, figures),
        _goals(data, figures),
        _descriptors(data),
        _comments(data),
        _footer(data),
    ]
    title = f"{data.school} \u00b7 {data.round} \u00b7 {fw.short_name} report"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head>"
        f'<body><main class="report">{"".join(body)}</main></body></html>\n'
    )


def _section(anchor: str, intro: str, content: str) -> str:
    heading = dict(SECTIONS)[anchor]
    lead = f'<p class="lead">{intro}</p>' if intro else ""
    return f'<section id="{anchor}"><h2>{esc(heading)}</h2>{lead}{content}</section>'


def _empty(text: str) -> str:
    return f'<p class="empty">{esc(text)}</p>'


def _header(data: SchoolReport) -> str:
    fw = data.framework
    edition = f", {fw.source.edition}" if fw.source.edition else (f", {fw.year}" if fw.year else "")
    now_mean = data.summary.overall_mean
    before = data.summary.overall_before
    change = (
        f"{now_mean - before:+.2f} since {data.previous_round}" if now_mean is not None and before is not None else ""
    )
    ranked = data.now.dropna(subset=["mean"]).sort_values("mean")
    summary = data.summary
    before_n = f"{summary.respondents_before} in {summary.previous_round}" if summary.previous_round else "first round"
    cards = [
        ("Staff who answered", "hidden" if summary.respondents is None else str(summary.respondents), before_n),
        ("Overall mean level", _num(now_mean), change or "first round with staff answers"),
        ("Leadership consensus", f"{data.leadership['item'].nunique()} of {len(fw.items)}", "items rated"),
        ("Goals", str(len(data.goals)), ", ".join(sorted({p.status for p in data.goals})) or "none yet"),
    ]
    if len(ranked):
        cards.append(("Strongest item", ranked.iloc[-1]["item_name"], f"mean {ranked.iloc[-1]['mean']:.2f}"))
        cards.append(("Weakest item", ranked.iloc[0]["item_name"], f"mean {ranked.iloc[0]['mean']:.2f}"))
    card_html = "".join(
        f'<div class="card"><div class="label">{esc(label)}</div><div class="value">{esc(value)}</div>'
        f'<div class="sub">{esc(sub)}</div></div>'
        for label, value, sub in cards
    )
    toc = "".join(f'<li><a href="#{anchor}">{esc(name)}</a></li>' for anchor, name in SECTIONS)
    scale = fw.items[0].scale
    levels = ", ".join(f"{lv.number} {lv.label}" for lv in scale.levels)
    return (
        '<header class="cover">'
        '<p class="kicker">Personalized Learning \u00b7 school report</p>'
        f"<h1>{esc(data.school)}</h1>"
        f'<p class="meta"><strong>{esc(data.round)}</strong> \u00b7 {esc(fw.name)} ({esc(fw.publisher)}{esc(edition)})'
        f" \u00b7 generated {esc(f'{data.today:%B} {data.today.day}, {data.today.year}')}</p>"
        f'<div class="cards">{card_html}</div>'
        '<div class="how"><h2 id="how-to-read">How to read this report</h2><ul>'
        f"<li>Each item of the {esc(fw.short_name)} is rated on a continuum of levels: {esc(levels)}. "
        "Charts colour the levels from light (early) to dark (far along).</li>"
        "<li><strong>Staff</strong> figures come from the staff self-assessment: the <em>mean</em> of their "
        "answers, and the <em>stage</em>, the level whose band holds the mean (2.50\u20133.49 is level 3).</li>"
        "<li><strong>Leadership consensus</strong> is the level the leadership team agreed in its workshop; "
        "the <em>gap</em> is consensus minus the staff mean (positive: leaders rate the school higher).</li>"
        "<li><strong>Agreement</strong> (r<sub>wg</sub>) is 1 when every staff member gave the same level and 0 "
        "when answers are as spread as random ones; below 0.5 staff see the item differently.</li>"
        f"<li>Breakdowns by role hide any group with fewer than {data.min_group} answers (shown as "
        f"\u201cn&lt;{data.min_group}\u201d), so no one can be singled out. Missing answers such as "
        "\u201cDon't know\u201d are left out of every figure, never counted as zero.</li>"
        "<li>Charts are interactive on screen: hover for figures. Each section starts on a new page when "
        "printed.</li></ul></div>"
        f'<nav class="toc"><h2>Contents</h2><ol>{toc}</ol></nav>'
        "</header>"
    )


def _with_leadership(data: SchoolReport) -> pd.DataFrame:
    if data.leadership.empty:
        return data.now.assign(leadership=float("nan"))
    lead = data.leadership.rename(columns={"level": "leadership"})[["item", "leadership"]]
    return data.now.merge(lead, on="item", how="left")


def _continuum(data: SchoolReport, figures: _Figures) -> str:
    fw = data.framework
    rows = _with_leadership(data)
    parts = []
    for domain in fw.domains:
        part = rows[(rows["domain"] == domain.id) & (rows["n"] > 0)]
        if part.empty:
            continue
        scale = fw.item(domain.item_ids[0]).scale
        fig = charts.continuum_strip(part, scale, CHART_FONT)
        # on a page-wide chart long level names would be drawn slanted: break them over two lines instead
        fig.update_xaxes(ticktext=_level_ticks(scale, 16))
        parts.append(f"<h3>{esc(domain.name)}</h3>")
        parts.append(figures.html(fig))
    content = "".join(parts) or _empty(f"No staff answers for {data.round}.")
    intro = (
        "Each row is one item; the coloured bands are its levels. Grey dots show how staff answered (bigger dot, "
        "more staff), the orange diamond is the staff mean and the black bar the leadership team's consensus."
    )
    return _section("continuum", intro, content)


def _steps_html(steps) -> str:
    items = []
    for step in steps:
        examples = "".join(f"<li><em>Example:</em> {esc(e)}</li>" for e in step.examples)
        items.append(f"<li>{esc(step.text)}" + (f"<ul>{examples}</ul>" if examples else "") + "</li>")
    return f"<ul>{''.join(items)}</ul>"


def _next_steps(data: SchoolReport) -> str:
    parts = []
    for rec in data.recommendations:
        plan = rec.plan
        badge = '<span class="badge">foundational</span>' if rec.foundational else ""
        steps = (
            f'<p class="move"><strong>{esc(plan.move_label)}</strong> \u2014 steps from the framework:</p>'
            + _steps_html(plan.steps)
            if plan.steps
            else _empty("The source gives no steps for this move.")
        )
        parts.append(
            f'<article class="rec" id="rec-{esc(rec.item_id)}">'
            f"<h3>{rec.rank}. {esc(rec.item_name)} {badge}</h3>"
            f'<p class="sub">{esc(rec.domain_name)} \u00b7 now {esc(rec.stage_label)} '
            f"(level {_num(rec.level)})</p>"
            f'<p class="reason">{esc(rec.reason)}</p>{steps}'
            f'<p class="source">Source: {esc(plan.source)}</p></article>'
        )
    intro = (
        "The short list, in order: foundational practices below the middle of the scale first, then the lowest "
        "stage, ties broken by the larger leadership-vs-staff gap and the lower agreement among staff."
    )
    return _section("next-steps", intro, "".join(parts) or _empty("Nothing rated yet, so nothing to recommend."))


def _leadership(data: SchoolReport) -> str:
    fw = data.framework
    if data.leadership.empty:
        return _section(
            "leadership",
            "",
            _empty(f"No leadership consensus is recorded for {data.round}: run a workshop to add one."),
        )
    rows = []
    for row in data.comparison.itertuples(index=False):
        item = fw.item(row.item)
        note = data.consensus.get(row.item)
        gap = row.gap
        notable = not _isnan(gap) and abs(gap) >= NOTABLE_GAP
        votes = (
            f"{_num(min(note.votes), 1)}\u2013{_num(max(note.votes), 1)} ({len(note.votes)} votes)"
            if (note and note.votes)
            else "\u2013"
        )
        why = []
        if note and note.rationale:
            why.append(f"<p><strong>Why:</strong> {esc(note.rationale)}</p>")
        if note and note.evidence:
            why.append(f"<p><strong>Evidence:</strong> {esc(note.evidence)}</p>")
        staff = (
            "\u2013" if _isnan(row.staff_mean) else f"{row.staff_mean:.2f} <span class=n>(n={int(row.staff_n)})</span>"
        )
        rows.append(
            f"<tr><td>{esc(item.name)}</td><td class=num>{staff}</td>"
            f"<td class=num>{_num(row.leadership, 1)}</td>"
            f'<td class="num{" notable" if notable else ""}">{_num(gap, 2, signed=True)}</td>'
            f"<td class=num>{_num(row.agreement)}</td><td class=num>{votes}</td>"
            f"<td class=notes>{''.join(why)}</td></tr>"
        )
    table = (
        "<table><thead><tr><th>Item</th><th>Staff mean</th><th>Consensus</th><th>Gap</th><th>Staff agreement</th>"
        "<th>Team votes</th><th>Rationale and evidence</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    intro = (
        f"The leadership team's consensus beside the staff mean for {esc(data.round)}. Gaps of "
        f"{NOTABLE_GAP:g} levels or more are highlighted: they are worth a conversation with staff."
    )
    return _section("leadership", intro, table)


def _growth(data: SchoolReport) -> str:
    if data.growth is None:
        return _section("growth", "", _empty(f"{data.round} is the first round with staff answers for this school."))
    fw = data.framework
    rows = []
    for row in data.growth.itertuples(index=False):
        name = row.item_name if isinstance(row.item_name, str) else fw.item(row.item).name
        growth = row.growth
        trend = "" if _isnan(growth) or abs(growth) < 0.25 else (" up" if growth > 0 else " down")
        rows.append(
            f"<tr><td>{esc(name)}</td>"
            f"<td class=num>{_num(row.mean_before)} <span class=n>(n={_num(row.n_before, 0)})</span></td>"
            f"<td class=num>{_num(row.mean_after)} <span class=n>(n={_num(row.n_after, 0)})</span></td>"
            f'<td class="num{trend}">{_num(growth, 2, signed=True)}</td></tr>'
        )
    before, after = data.summary.overall_before, data.summary.overall_mean
    total = (
        f"<tfoot><tr><td>Whole framework (weighted mean of domains)</td><td class=num>{_num(before)}</td>"
        f"<td class=num>{_num(after)}</td><td class=num>{_num(_diff(after, before), 2, signed=True)}</td></tr></tfoot>"
    )
    table = (
        f"<table><thead><tr><th>Item</th><th>{esc(data.previous_round)}</th><th>{esc(data.round)}</th>"
        f"<th>Change</th></tr></thead><tbody>{''.join(rows)}</tbody>{total}</table>"
    )
    intro = (
        f"Staff means in {esc(data.previous_round)} and {esc(data.round)}. Changes of a quarter level or more "
        "are coloured; with few answers (small n) a change can be noise."
    )
    return _section("growth", intro, table)


def _diff(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def _level_ticks(scale, width: int) -> list[str]:
    return ["<br>".join(textwrap.wrap(f"{lv.number} {lv.short_label}", width)) for lv in scale.levels]


def _heatmap_figure(table, scale, x_title: str) -> go.Figure:
    """A heatmap whose column names (roles, rounds: typed by people) are shown as text."""
    fig = charts.heatmap(
        table.values.rename(columns=_plot_text),
        scale,
        text=table.labels.rename(columns=_plot_text),
        font=CHART_FONT,
        x_title=x_title,
    )
    # The colour bar goes under the chart, so the columns get the full width and their names stay level.
    height = int(fig.layout.height) + 90
    fig.update_traces(
        colorbar=dict(
            orientation="h",
            x=0.05,
            xanchor="left",
            len=0.9,
            y=-40 / height,
            yanchor="top",
            thickness=12,
            title=dict(text="Mean level", side="top"),
            ticktext=_level_ticks(scale, 14),
            tickangle=0,
            ticklabeloverflow="allow",
        )
    )
    fig.update_xaxes(tickangle=0, tickfont_size=12)
    fig.update_layout(height=height, margin_b=100)
    return fig


def _heatmaps(data: SchoolReport, figures: _Figures) -> str:
    fw = data.framework
    parts = [f"<h3>By staff role, {esc(data.round)}</h3>"]
    hidden = 0
    drawn = False
    for domain in fw.domains:
        part = data.by_role[data.by_role["domain"] == domain.id]
        if part.empty:
            continue
        table = heatmap_table(part, fw, "role", min_group=data.min_group)
        if table.values.notna().sum().sum() == 0 and table.suppressed_cells == 0:
            continue
        hidden += table.suppressed_cells
        drawn = True
        scale = fw.item(domain.item_ids[0]).scale
        parts.append(f"<h4>{esc(domain.name)}</h4>" + figures.html(_heatmap_figure(table, scale, "Role")))
    if not drawn:
        parts.append(_empty("No roles were given with the staff answers, so there is no breakdown by role."))
    elif hidden:
        parts.append(
            f'<p class="note">{hidden} cell(s) hidden: fewer than {data.min_group} staff in the group answered, '
            "so showing them could identify individuals.</p>"
        )
    parts.append("<h3>By round</h3>")
    if len(data.rounds) < 2:
        parts.append(_empty("Only one round has staff answers so far; the comparison appears from the next one."))
    else:
        for domain in fw.domains:
            part = data.scores[data.scores["domain"] == domain.id]
            if part.empty:
                continue
            table = heatmap_table(part, fw, "round", order=list(data.rounds))
            scale = fw.item(domain.item_ids[0]).scale
            parts.append(f"<h4>{esc(domain.name)}</h4>" + figures.html(_heatmap_figure(table, scale, "Round")))
    intro = "Mean level per item and group, on the same colours as the continuum; grey cells have no figure."
    return _section("heatmaps", intro, "".join(parts))


def _distributions(data: SchoolReport, figures: _Figures) -> str:
    fw = data.framework
    parts = []
    for domain in fw.domains:
        part = data.now[(data.now["domain"] == domain.id) & ((data.now["n"] + data.now["missing"]) > 0)]
        if part.empty:
            continue
        scale = fw.item(domain.item_ids[0]).scale
        parts.append(f"<h3>{esc(domain.name)}</h3>")
        parts.append(figures.html(charts.likert_bars(part, scale, CHART_FONT)))
    intro = (
        "The share of staff answers at each level. Levels below the middle of the scale extend left of the centre "
        "line, the rest extend right; missing answers are shown apart on the right."
    )
    return _section("distributions", intro, "".join(parts) or _empty(f"No staff answers for {data.round}."))


def _goals(data: SchoolReport, figures: _Figures) -> str:
    fw = data.framework
    if not data.goals:
        return _section("goals", "", _empty("No goals are set for this school yet."))
    rows = gantt_rows(data.goals, fw, data.today)
    for row in rows:  # goal names and milestones are typed by people: plotly must show them as text
        row["label"] = _plot_text(row["label"])
        if "description" in row:
            row["description"] = _plot_text(row["description"])
    parts = [figures.html(charts.gantt(rows, data.today, CHART_FONT))]
    for p in data.goals:
        goal = p.goal
        item = fw.item(goal.item_id)
        milestones = "".join(
            f'<li class="{"done" if m.done else ("overdue" if m in p.overdue else "upcoming")}">'
            f"{esc(m.due.isoformat())} \u2014 {esc(m.description)}"
            f" <span class=n>({'done' if m.done else ('overdue' if m in p.overdue else 'upcoming')})</span></li>"
            for m in goal.milestones
        )
        checkpoints = "".join(
            f"<tr><td>{esc(c.round)}</td><td class=num>{_num(c.planned)}</td><td class=num>{_num(c.measured)}</td>"
            f"<td>{esc(c.status)}</td></tr>"
            for c in p.checkpoints
        )
        checks = (
            "<table class=small><thead><tr><th>Round</th><th>Planned</th><th>Measured</th><th>Status</th></tr>"
            f"</thead><tbody>{checkpoints}</tbody></table>"
            if checkpoints
            else ""
        )
        steps = "".join(f"<li>{esc(s)}</li>" for s in goal.steps)
        parts.append(
            f'<article class="goal"><h3>{esc(goal.title or item.name)} '
            f'<span class="status s-{esc(p.status.replace(" ", "-"))}">{esc(p.status)}</span></h3>'
            f'<p class="sub">{esc(item.name)} \u00b7 level {_num(goal.baseline_level, 1)} \u2192 '
            f"{_num(goal.target_level, 1)} \u00b7 {esc(goal.start_date.isoformat())} \u2192 "
            f"{esc(goal.target_date.isoformat())} \u00b7 owner: {esc(goal.owner or 'not set')}</p>"
            f'<p class="statement">{esc(goal.statement)}</p>'
            + (f"<h4>Action steps</h4><ul>{steps}</ul>" if steps else "")
            + (f"<h4>Milestones</h4><ul class=milestones>{milestones}</ul>" if milestones else "")
            + checks
            + "</article>"
        )
    intro = (
        f"Status as of {esc(data.today.isoformat())}, comparing each round's staff mean up to {esc(data.round)} "
        "with the straight-line plan from baseline to target (a quarter level either side is on track)."
    )
    return _section("goals", intro, "".join(parts))


def _level_box(item: FrameworkItem, number: int, marker: str) -> str:
    colours = level_colours(item.scale.numbers)
    position = item.scale.numbers.index(number)
    head = (
        f'<div class="level-head" style="background:{colours[number]};color:{LEVEL_TEXT.get(position + 1, "#111")}">'
        f"{number} \u00b7 {esc(item.scale.label(number))} {esc(marker)}</div>"
    )
    content = item.content(number)
    if content is None:
        return f'<div class="level">{head}{_empty("The source does not describe this level.")}</div>'
    body = []
    if content.statement and list(content.descriptors) != [content.statement]:
        body.append(f"<p><strong>{esc(content.statement)}</strong></p>")
    if content.descriptors:
        body.append("<ul>" + "".join(f"<li>{esc(d)}</li>" for d in content.descriptors) + "</ul>")
    return f'<div class="level">{head}{"".join(body)}</div>'


def _descriptors(data: SchoolReport) -> str:
    fw = data.framework
    staff = data.now.set_index("item")["mean"].astype(float) if len(data.now) else pd.Series(dtype=float)
    lead = data.leadership.set_index("item")["level"].astype(float) if len(data.leadership) else pd.Series()
    parts = []
    for domain in fw.domains:
        parts.append(f"<h3>{esc(domain.name)}</h3>")
        for item in fw.items_in(domain.id):
            level = staff.get(item.id)
            who = "staff mean"
            if _isnan(level):
                level, who = lead.get(item.id), "leadership consensus"
            if _isnan(level):
                parts.append(f'<div class="item-levels"><h4>{esc(item.name)}</h4>{_empty("Not rated yet.")}</div>')
                continue
            stage = item.scale.stage(level)
            boxes = [_level_box(item, stage, "(now)")]
            if stage < item.scale.high:
                boxes.append(_level_box(item, item.scale.numbers[item.scale.numbers.index(stage) + 1], "(next)"))
            else:
                boxes.append('<div class="level"><p class="empty">The top of the continuum: sustain it.</p></div>')
            parts.append(
                f'<div class="item-levels"><h4>{esc(item.name)} <span class=n>({who} {float(level):.2f})</span></h4>'
                f'<div class="levels">{"".join(boxes)}</div></div>'
            )
    intro = f"For each item, the {esc(fw.short_name)}'s description of the level the school is at now and the next one."
    return _section("descriptors", intro, "".join(parts))


def _comments(data: SchoolReport) -> str:
    if data.comments is None:
        threshold = data.min_group
        return _section(
            "comments",
            "",
            _empty(
                f"Comments are not shown: fewer than {threshold} staff responded in "
                f"{data.round}, so a comment could point to who wrote it."
            ),
        )
    comments = data.comments.dropna(subset=["text"])
    comments = comments[comments["text"].astype(str).str.strip() != ""]
    if comments.empty:
        return _section("comments", "", _empty(f"No staff comments were written in {data.round}."))
    parts = []
    for question, group in comments.groupby("column", sort=False):
        quotes = "".join(f"<li>{esc(t)}</li>" for t in group["text"])
        parts.append(f"<h3>{esc(question)}</h3><ul class=quotes>{quotes}</ul>")
    intro = "Comments as staff wrote them, without names or roles."
    return _section("comments", intro, "".join(parts))


def _footer(data: SchoolReport) -> str:
    fw = data.framework
    source = fw.source
    bits: Iterable[str] = filter(None, [source.title, source.edition, source.url])
    cited = " \u00b7 ".join(bits)
    return (
        '<footer class="colophon"><p>'
        f"Framework: {esc(fw.name)} \u00b7 {esc(fw.publisher)} \u00b7 source: {esc(cited)}. "
        "Agreement is r<sub>wg</sub> (James, Demaree &amp; Wolf, 1984). "
        f"Made with PL Diagnostics on {esc(data.today.isoformat())}.</p></footer>"
    )


CSS = """
:root { --ink: #1b1b1b; --muted: #5f6368; --line: #d9dde3; --accent: #253494; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #eef0f3; color: var(--ink);
       font: 15px/1.5 "Source Sans Pro", "Segoe UI", Arial, Helvetica, sans-serif; }
main.report { width: 780px; margin: 24px auto; background: #fff; padding: 36px 40px 28px;
              box-shadow: 0 1px 4px rgba(0,0,0,0.12); }
h1 { font-size: 32px; line-height: 1.15; margin: 0 0 6px; overflow-wrap: anywhere; }
h2 { font-size: 22px; margin: 0 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--accent); }
h3 { font-size: 17px; margin: 22px 0 6px; overflow-wrap: anywhere; }
h4 { font-size: 15px; margin: 12px 0 4px; }
section { margin-top: 44px; }
p { margin: 6px 0; }
ul { margin: 4px 0 8px; padding-left: 20px; }
.kicker { text-transform: uppercase; letter-spacing: 0.08em; color: var(--accent); font-weight: 700;
          font-size: 12px; margin: 0; }
.meta { color: var(--muted); margin: 0 0 16px; overflow-wrap: anywhere; }
.lead { color: var(--muted); }
.sub, .n, .note, figcaption, .source { color: var(--muted); font-size: 13px; }
.empty { color: var(--muted); font-style: italic; }
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 10px; margin: 10px 0 18px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; background: #fafcfe; }
.card .label { color: var(--muted); font-size: 13px; }
.card .value { font-size: 20px; font-weight: 700; line-height: 1.2; overflow-wrap: anywhere; }
.how { background: #f5f7fb; border-left: 4px solid var(--accent); padding: 10px 14px; margin: 16px 0; }
.how h2 { border: 0; font-size: 17px; margin: 0 0 4px; padding: 0; }
.how li { margin-bottom: 3px; }
.toc h2 { font-size: 17px; border: 0; margin: 0; }
.toc ol { columns: 2; margin: 4px 0 0; }
.toc a { color: var(--accent); }
figure.chart { margin: 6px 0 16px; }
figcaption { margin-top: 2px; }
table { width: 100%; border-collapse: collapse; font-size: 13px; margin: 8px 0 12px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 6px; text-align: left; vertical-align: top; }
th { background: #f2f4f7; font-weight: 600; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.notable { background: #fde0c5; font-weight: 700; }
td.up { color: #1a7f37; font-weight: 700; } td.down { color: #b42318; font-weight: 700; }
td.notes p { margin: 0 0 4px; overflow-wrap: anywhere; }
tfoot td { font-weight: 700; border-top: 2px solid var(--line); }
table.small { width: auto; min-width: 60%; }
.rec, .goal { border: 1px solid var(--line); border-radius: 8px; padding: 4px 14px 8px; margin: 12px 0; }
.rec h3, .goal h3 { margin-top: 8px; }
.reason, .statement { overflow-wrap: anywhere; }
.badge { font-size: 12px; font-weight: 600; background: #fff3cd; color: #7a5a00; border-radius: 10px;
         padding: 1px 8px; vertical-align: middle; }
.status { font-size: 12px; font-weight: 700; border-radius: 10px; padding: 1px 8px; color: #fff;
          background: #6b7280; vertical-align: middle; white-space: nowrap; }
.s-on-track { background: #2c7fb8; } .s-ahead { background: #253494; } .s-achieved, .s-done { background: #1a7f37; }
.s-behind { background: #c2410c; }
ul.milestones li.done { color: #1a7f37; } ul.milestones li.overdue { color: #b42318; font-weight: 600; }
ul.milestones li { overflow-wrap: anywhere; }
.item-levels { margin: 8px 0 14px; }
.levels { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; font-size: 13.5px; }
.level-head { border-radius: 5px; padding: 3px 8px; font-weight: 700; margin-bottom: 4px; }
ul.quotes li { margin-bottom: 4px; overflow-wrap: anywhere; }
footer.colophon { margin-top: 40px; border-top: 1px solid var(--line); padding-top: 8px;
                  color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
@page { margin: 12mm; }
@media print {
  body { background: #fff; font-size: 11pt; }
  main.report { width: auto; margin: 0; padding: 0; box-shadow: none; }
  section { break-before: page; margin-top: 0; }
  nav.toc, .modebar-container { display: none !important; }
  figure.chart, .rec, .goal, .item-levels, .card, tr { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""
