"""Plotly figures shared by the dashboard and the school report. Each takes plain data and returns a figure.

Plotly draws a few HTML tags in any text (<b>, <i>, <br>, <a href>, ...) and fills `%{...}` in hover templates, so
every name that reaches a figure (schools, rounds, roles, goal titles, framework labels) goes through `plain_label`.
"""

from __future__ import annotations

import datetime as dt
import html
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import get_colorscale, sample_colorscale
from plotly.subplots import make_subplots

from ..frameworks import RatingScale
from .palette import (
    CONTINUOUS,
    DIVERGING,
    FONT,
    LEADERSHIP_COLOUR,
    MISSING_COLOUR,
    MUTED_TEXT,
    OUTLINE,
    STAFF_COLOUR,
    TEXT,
    level_colours,
    level_patterns,
    text_on,
)

PLOT_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def _layout(fig: go.Figure, font: dict | None, height: int) -> go.Figure:
    font = dict(FONT, **(font or {}))
    font.setdefault("color", TEXT)
    size = font["size"]
    text = dict(size=size, color=TEXT)
    fig.update_layout(
        font=font,
        height=height,
        margin=dict(l=10, r=10, t=40, b=10),
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, title_text="", font=text),
        hoverlabel=dict(font=dict(color=TEXT), bgcolor="white"),
    )
    # Streamlit's plotly theme draws ticks small and grey (about 3.5:1); ours are large and 16:1 (WCAG 1.4.3)
    for update in (fig.update_xaxes, fig.update_yaxes):
        update(tickfont=dict(size=size - 1, color=TEXT), title_font=text, linecolor=MUTED_TEXT)
    return fig


def _legend_below(fig: go.Figure, height: int, top: int = 40, bottom: int = 90) -> None:
    """A horizontal legend a fixed distance below the x-axis labels, whatever the chart's height."""
    plot = max(height - top - bottom, 60)
    fig.update_layout(
        margin=dict(l=10, r=10, t=top, b=bottom),
        legend=dict(orientation="h", y=-48 / plot, yanchor="top", x=0, itemsizing="constant"),
    )


def plain_label(text: object) -> str:
    """Text for a plotly label, legend, title or hover: shown as typed, never as tags, entities or template fields."""
    # "%{" would start a hover-template field; a zero-width space between the two keeps it literal.
    return html.escape(str(text), quote=False).replace("%{", "%\u200b{")


def _wrap(text: object, width: int = 28) -> str:
    """`text` as plain label lines of about `width` characters, joined by plotly's line break."""
    words, lines, line = str(text).split(), [], ""
    for w in words:
        if len(line) + len(w) + 1 > width and line:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "<br>".join(plain_label(x) for x in lines)


# Staff answers as dots: dark enough to keep 3:1 against every level band (WCAG 1.4.11), see-through where they overlap
SPREAD_DOTS = "rgba(51,51,51,0.65)"
GAP_COLOUR = "#e5e5e5"  # behind heatmap cells with no figure


def continuum_strip(rows: pd.DataFrame, scale: RatingScale, font: dict | None = None) -> go.Figure:
    """Items as rows on the scale's bands: staff spread as dots, staff mean and leadership consensus as markers.

    `rows` has item_name, mean, n and share_<k> per level, and optionally `leadership`.
    """
    colours = level_colours(scale.numbers)
    fig = go.Figure()
    for lv in scale.levels:
        fig.add_vrect(
            x0=lv.number - 0.5,
            x1=lv.number + 0.5,
            fillcolor=colours[lv.number],
            opacity=0.28,
            line_width=0,
            layer="below",
        )
    names = [_wrap(n) for n in rows["item_name"]]
    for lv in scale.levels:
        share = rows.get(f"share_{lv.number}", pd.Series(np.nan, index=rows.index)).astype(float).fillna(0)
        fig.add_trace(
            go.Scatter(
                x=[lv.number] * len(rows),
                y=names,
                mode="markers",
                showlegend=False,
                legendgroup="spread",
                name="Staff answers",
                marker=dict(size=(np.sqrt(share) * 34).tolist(), color=SPREAD_DOTS, line_width=0),
                customdata=np.stack([share * 100], axis=-1),
                hovertemplate=f"%{{y}}<br>{plain_label(lv.label)}: %{{customdata[0]:.0f}}% of staff<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(  # legend entry only: the real dots may all be tiny
            x=[None],
            y=[None],
            mode="markers",
            name="Staff answers (dot size = share)",
            legendgroup="spread",
            marker=dict(size=14, color=SPREAD_DOTS),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=rows["mean"].astype(float),
            y=names,
            mode="markers",
            name="Staff mean",
            marker=dict(symbol="diamond", size=17, color=STAFF_COLOUR, line=dict(color="white", width=1.5)),
            customdata=np.stack([rows["n"].astype(float)], axis=-1),
            hovertemplate="%{y}<br>Staff mean %{x:.2f} (n=%{customdata[0]:.0f})<extra></extra>",
        )
    )
    if "leadership" in rows and rows["leadership"].notna().any():
        fig.add_trace(
            go.Scatter(
                x=rows["leadership"].astype(float),
                y=names,
                mode="markers",
                name="Leadership consensus",
                marker=dict(
                    symbol="line-ns", size=26, color=LEADERSHIP_COLOUR, line=dict(color=LEADERSHIP_COLOUR, width=4)
                ),
                hovertemplate="%{y}<br>Leadership consensus %{x:.1f}<extra></extra>",
            )
        )
    fig.update_xaxes(
        range=[scale.low - 0.5, scale.high + 0.5],
        tickvals=list(scale.numbers),
        ticktext=[_wrap(f"{lv.number} {lv.marked_label(short=True)}", 14) for lv in scale.levels],
        tickangle=0,
        side="top",
        showgrid=False,
        zeroline=False,
        fixedrange=True,
    )
    fig.update_yaxes(autorange="reversed", showgrid=True, gridcolor="rgba(0,0,0,0.08)", fixedrange=True)
    row_height = max(62, int((font or FONT)["size"] * 3.6))  # two wrapped lines of a label must fit a row
    height = 120 + row_height * len(rows)
    _layout(fig, font, height=height)
    _legend_below(fig, height, top=50, bottom=50)
    fig.update_layout(legend_y=-10 / max(height - 100, 60))
    return fig


LABELLED_COLUMNS = 30  # more columns than this and a cell's figure is wider than its cell, on a projector too


def _cell_colours(z: np.ndarray, colorscale, zmin: float, zmax: float) -> np.ndarray:
    """The colour of each heatmap cell ('' where there is no value), as plotly draws it."""
    scale = get_colorscale(colorscale) if isinstance(colorscale, str) else colorscale
    out = np.full(z.shape, "", dtype=object)
    for (i, j), v in np.ndenumerate(z):
        if not np.isnan(v):
            out[i, j] = sample_colorscale(scale, [min(max((v - zmin) / (zmax - zmin), 0.0), 1.0)])[0]
    return out


def heatmap(
    matrix: pd.DataFrame,
    scale: RatingScale | None,
    *,
    text: pd.DataFrame | None = None,
    difference: bool = False,
    font: dict | None = None,
    x_title: str = "",
    zrange: float = 1.5,
    cell_text: bool | None = None,
) -> go.Figure:
    """A heatmap of mean levels (or differences), each cell's figure written on it; NaN cells show `text` ('n<5').

    Each cell's text is black or white, whichever reads at 4.5:1 on that cell's colour (plotly's own
    choice of dark grey falls to about 3.5:1 on the middle blues). `cell_text=False` leaves the cells
    bare, the hover still gives each figure; by default cells are labelled when there are at most
    LABELLED_COLUMNS columns (past that a label is wider than its cell, on a projector too).
    """
    z = matrix.to_numpy(dtype=float)
    labels = (  # figures and "n<5": our own text, never typed (plotly reads "<5" as text, not as a tag)
        text.to_numpy()
        if text is not None
        else np.where(np.isnan(z), "", np.vectorize(lambda v: f"{v:+.1f}" if difference else f"{v:.1f}")(z))
    )
    rows = [_wrap(str(r), 26) for r in matrix.index]
    # Column names stay on one line: plotly tilts them (30°, then 90°) only when they would run into each
    # other (a phone, many schools, long role names). Wrapped names that get tilted overlap one another.
    cols = [plain_label(c) for c in matrix.columns]
    if difference:
        colorscale, zmin, zmax = DIVERGING, -zrange, zrange
        colorbar = dict(title="Difference (levels)", tickformat="+.1f")
    else:
        colorscale, zmin, zmax = CONTINUOUS, scale.low, scale.high
        colorbar = dict(
            title="Mean level",
            tickvals=list(scale.numbers),
            ticktext=[_wrap(f"{lv.number} {lv.marked_label(short=True)}", 14) for lv in scale.levels],
        )
    size = (font or FONT)["size"]
    # The colour bar lies under the chart, so the cells get the whole width, on a phone too.
    colorbar.update(
        orientation="h",
        x=0,
        xanchor="left",
        y=-0.04,
        yanchor="top",
        len=0.85,  # room at the right for the last level's name, which plotly drops when it would overflow
        thickness=14,
        title_side="top",
        tickfont=dict(color=TEXT, size=size - 1),
        title_font=dict(color=TEXT, size=size - 1),
    )
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=cols,
            y=rows,
            zmin=zmin,
            zmax=zmax,
            colorscale=colorscale,
            colorbar=colorbar,
            text=labels,
            hoverongaps=True,
            xgap=2,
            ygap=2,
            hovertemplate="%{y}<br>%{x}<br>%{text}<extra></extra>",
        )
    )
    if cell_text is None:
        cell_text = len(cols) <= LABELLED_COLUMNS
    if cell_text:
        colours = _cell_colours(z, colorscale, zmin, zmax)
        # One text trace over the cells, each figure in its own colour: plotly lays out an annotation at a
        # time (420 of them cost the District page most of a second in Chromium), a trace's text at once.
        at = [(i, j) for (i, j), label in np.ndenumerate(labels) if label]
        fig.add_trace(
            go.Scatter(
                x=[cols[j] for _, j in at],
                y=[rows[i] for i, _ in at],
                text=[str(labels[i, j]) for i, j in at],
                mode="text",
                textfont=dict(size=size - 1, color=[text_on(colours[i, j] or GAP_COLOUR) for i, j in at]),
                hoverinfo="skip",
                showlegend=False,
                name="figures",
            )
        )
    # the cells' own extent, first row on top: the text trace must not pad the axes as points would
    fig.update_yaxes(range=[len(rows) - 0.5, -0.5], autorange=False, fixedrange=True)
    fig.update_xaxes(
        range=[-0.5, len(cols) - 0.5], side="top", title=plain_label(x_title), fixedrange=True, automargin=True
    )
    # Plotly grows the top margin for tilted column names but not the figure: reserve that room, so the
    # cells keep their height (two lines of a row label must fit a row, at projector size too).
    tilt_room = int(max((len(c) for c in cols), default=0) * size * 0.3)
    row_height = max(44, int(size * 2.7))
    _layout(fig, font, height=max(320, 90 + row_height * len(rows)) + 110 + tilt_room)
    fig.update_layout(margin_b=110)
    # grey behind the gaps, so suppressed or empty cells read as "no figure", not as a low level
    fig.update_layout(plot_bgcolor=GAP_COLOUR)
    return fig


def likert_bars(rows: pd.DataFrame, scale: RatingScale, font: dict | None = None) -> go.Figure:
    """Diverging stacked bars of level shares per item; missing answers as a separate bar on the right.

    Levels below the scale's middle stack to the left of zero, the rest to the right; with an odd
    number of levels the middle one is split across zero. `rows` has item_name, count_<k>, n, missing.
    """
    numbers = list(scale.numbers)
    colours = level_colours(numbers)
    patterns = level_patterns(numbers)
    names = [_wrap(n) for n in rows["item_name"]]
    total = (rows["n"] + rows["missing"]).astype(float).replace(0, np.nan)
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        column_widths=[0.82, 0.18],
        horizontal_spacing=0.05,
        subplot_titles=("Share of answers at each level", "Missing"),
    )
    middle = scale.middle
    # Relative bars stack outward in trace order, so the levels nearest the middle go first on each side.
    below = [lv for lv in scale.levels if lv.number < middle][::-1]
    centre = [lv for lv in scale.levels if lv.number == middle]
    above = [lv for lv in scale.levels if lv.number > middle]
    rank_of = {lv.number: i for i, lv in enumerate(scale.levels)}
    plan = [(lv, -0.5, True) for lv in centre] + [(lv, 0.5, False) for lv in centre]
    plan += [(lv, -1.0, True) for lv in below] + [(lv, 1.0, True) for lv in above]
    for lv, sign, legend in plan:
        share = rows[f"count_{lv.number}"].astype(float) / rows["n"].astype(float).replace(0, np.nan) * 100
        values = (share.fillna(0) * sign).tolist()
        rank = rank_of[lv.number]
        fig.add_trace(
            go.Bar(
                x=values,
                y=names,
                orientation="h",
                name=plain_label(f"{lv.number} {lv.marked_label()}"),
                legendgroup=str(lv.number),
                showlegend=legend,
                legendrank=rank,
                # an outline keeps the light levels 3:1 against the page; a pattern tells levels apart without colour
                marker=dict(
                    color=colours[lv.number],
                    line=dict(color=OUTLINE, width=1),
                    pattern=dict(
                        shape=patterns[lv.number],
                        fillmode="overlay",
                        fgcolor=text_on(colours[lv.number]),
                        fgopacity=0.25,
                        size=8,
                        solidity=0.25,
                    ),
                ),
                text=[f"{abs(v):.0f}%" if abs(v) >= 12 else "" for v in values],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                textfont=dict(color=text_on(colours[lv.number])),
                customdata=[abs(v) for v in values],
                hovertemplate=f"%{{y}}<br>{plain_label(lv.label)}: %{{customdata:.0f}}%<extra></extra>",
            ),
            row=1,
            col=1,
        )
    missing = (rows["missing"].astype(float) / total * 100).fillna(0)
    fig.add_trace(
        go.Bar(
            x=missing,
            y=names,
            orientation="h",
            name="Missing / don't know",
            marker=dict(color=MISSING_COLOUR, line=dict(color=OUTLINE, width=1)),
            legendrank=len(numbers) + 1,
            text=[f"{v:.0f}%" if v >= 1 else "" for v in missing],
            textposition="outside",
            hovertemplate="%{y}<br>Missing: %{x:.0f}%<extra></extra>",
        ),
        row=1,
        col=2,
    )
    fig.update_layout(barmode="relative", bargap=0.35)
    fig.add_vline(x=0, line_width=2, line_color="#333", row=1, col=1)
    ticks = [-100, -75, -50, -25, 0, 25, 50, 75, 100]
    fig.update_xaxes(
        tickvals=ticks, ticktext=[f"{abs(t)}%" for t in ticks], range=[-100, 100], row=1, col=1, fixedrange=True
    )
    top = max(40.0, float(missing.max()) + 15)
    ticks_missing = [0, 20] if top <= 40 else [0, 25, 50]
    fig.update_xaxes(
        range=[0, top], tickvals=ticks_missing, ticktext=[f"{t}%" for t in ticks_missing], row=1, col=2, fixedrange=True
    )
    fig.update_yaxes(autorange="reversed", fixedrange=True)
    height = 170 + 52 * len(rows)
    _layout(fig, font, height=height)
    _legend_below(fig, height)
    fig.update_layout(legend_traceorder="normal")
    return fig


def agreement_bars(rows: pd.DataFrame, font: dict | None = None) -> go.Figure:
    """Agreement (r_wg) per item, 0-1, with the usual 'strong agreement' line at 0.7."""
    names = [_wrap(n) for n in rows["item_name"]]
    values = rows["agreement"].astype(float)
    bands = [agreement_band(v) for v in values]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=names,
            orientation="h",
            marker=dict(color=[AGREEMENT_COLOURS[b] for b in bands], line=dict(color=OUTLINE, width=1)),
            # the words carry the band, so the colour is never the only way to read it
            text=[("" if math.isnan(v) else f"{v:.2f} {b}") for v, b in zip(values, bands, strict=True)],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}<br>Agreement %{x:.2f}<extra></extra>",
        )
    )
    fig.add_vline(
        x=0.7, line_dash="dot", line_color=MUTED_TEXT, annotation_text="strong (0.7)", annotation_position="top"
    )
    fig.add_vline(
        x=0.5, line_dash="dot", line_color=MUTED_TEXT, annotation_text="low (below 0.5)", annotation_position="top"
    )
    fig.update_xaxes(
        range=[0, 1.25],
        title="Agreement among staff (r_wg: 0 = as spread as random, 1 = all the same)",
        fixedrange=True,
    )
    fig.update_yaxes(autorange="reversed", fixedrange=True)
    _layout(fig, font, height=130 + 40 * len(rows))
    fig.update_layout(margin_t=56)
    return fig


# Agreement bands: each colour 3:1 or more against the page (WCAG 1.4.11); the bar's text names the band too.
AGREEMENT_COLOURS = {"strong": "#253494", "moderate": "#1f78b4", "low": "#c2410c", "": "#ffffff"}


def agreement_band(value: float) -> str:
    """'strong' (0.7 and up), 'moderate' (0.5 up to 0.7), 'low' (below 0.5), '' without a figure."""
    if value is None or math.isnan(value):
        return ""
    return "strong" if value >= 0.7 else ("moderate" if value >= 0.5 else "low")


# Every status colour keeps 4.5:1 with white text on it and 3:1 against the page; the bar also says its status.
GOAL_STATUS_COLOURS = {
    "on track": "#1f78b4",
    "ahead": "#253494",
    "achieved": "#15803d",
    "done": "#15803d",
    "behind": "#c2410c",
    "not yet measured": "#6b7280",
    "paused": "#767676",
}
# Shapes tell milestones apart without colour; a white ring keeps each one visible on any bar.
MILESTONE_SYMBOLS = {"done": ("circle", "#15803d"), "overdue": ("x", "#b91c1c"), "upcoming": ("diamond", TEXT)}


def gantt(rows: list[dict], today: dt.date, font: dict | None = None) -> go.Figure:
    """Goal bars coloured by status, milestone markers on them, and a line for today."""
    goals = [r for r in rows if r["kind"] == "goal"]
    fig = go.Figure()
    labels = [_wrap(r["label"], 30) for r in goals]
    seen = set()
    for r, label in zip(goals, labels, strict=True):
        start = pd.Timestamp(r["start"])
        days = (pd.Timestamp(r["finish"]) - start).days
        status = r["status"]
        fig.add_trace(
            go.Bar(
                base=[start],
                x=[days * 86_400_000],
                y=[label],
                orientation="h",
                name=plain_label(status.capitalize()),
                marker_color=GOAL_STATUS_COLOURS.get(status, "#6b7280"),
                showlegend=status not in seen,
                legendgroup=status,
                text=[plain_label(status)],
                textposition="inside",
                insidetextanchor="start",
                insidetextfont=dict(color="#ffffff"),
                hovertemplate=f"{plain_label(r['label'])}<br>{r['start']} \u2192 {r['finish']}<br>"
                f"{plain_label(status)}<extra></extra>",
            )
        )
        seen.add(status)
    by_goal = {r["goal_id"]: label for r, label in zip(goals, labels, strict=True)}
    for state, (symbol, colour) in MILESTONE_SYMBOLS.items():
        ms = [r for r in rows if r["kind"] == "milestone" and r["status"] == state]
        if ms:
            fig.add_trace(
                go.Scatter(
                    x=[pd.Timestamp(m["start"]) for m in ms],
                    y=[by_goal[m["goal_id"]] for m in ms],
                    mode="markers",
                    name=f"Milestone ({state})",
                    marker=dict(symbol=symbol, size=16, color=colour, line=dict(width=2, color="#ffffff")),
                    text=[plain_label(m.get("description", "")) for m in ms],
                    hovertemplate="%{text}<br>%{x|%b %d, %Y}<extra></extra>",
                )
            )
    fig.update_xaxes(type="date")
    fig.add_vline(
        x=pd.Timestamp(today).timestamp() * 1000,
        line_dash="dash",
        line_color="#b91c1c",
        annotation_text="today",
        annotation_position="top",
    )
    fig.update_yaxes(autorange="reversed", fixedrange=True)
    fig.update_layout(barmode="overlay")
    height = 190 + 56 * max(len(goals), 1)
    _layout(fig, font, height=height)
    _legend_below(fig, height)
    return fig


def _planned_on(planned: list[dict], on) -> float:
    """The straight plan's level on a date, from its first and last point."""
    start, end = planned[0], planned[-1]
    span = (end["on"] - start["on"]).days or 1
    done = min(max((on - start["on"]).days, 0), span)
    return start["level"] + (end["level"] - start["level"]) * done / span


def progress_chart(rows: list[dict], scale: RatingScale, title: str = "", font: dict | None = None) -> go.Figure:
    """Planned trajectory (line) and measured levels by round (markers) on the item's scale."""
    planned = [r for r in rows if r["series"] == "planned"]
    measured = [r for r in rows if r["series"] == "measured"]
    fig = go.Figure()
    colours = level_colours(scale.numbers)
    for lv in scale.levels:
        fig.add_hrect(
            y0=lv.number - 0.5,
            y1=lv.number + 0.5,
            fillcolor=colours[lv.number],
            opacity=0.18,
            line_width=0,
            layer="below",
        )
    fig.add_trace(
        go.Scatter(
            x=[r["on"] for r in planned],
            y=[r["level"] for r in planned],
            mode="lines+markers",
            name="Planned",
            line=dict(dash="dash", color=MUTED_TEXT, width=3),
        )
    )
    if measured:
        fig.add_trace(
            go.Scatter(
                x=[r["on"] for r in measured],
                y=[r["level"] for r in measured],
                mode="lines+markers+text",
                name="Measured",
                text=[plain_label(r["round"]) for r in measured],
                # the round's name on the side away from the plan's line, so the two never cross
                textposition=[
                    "top center" if r["level"] >= _planned_on(planned, r["on"]) else "bottom center" for r in measured
                ],
                marker=dict(size=14, color=STAFF_COLOUR),
                line=dict(color=STAFF_COLOUR, width=3),
            )
        )
    fig.update_yaxes(
        range=[scale.low - 0.5, scale.high + 0.5],
        tickvals=list(scale.numbers),
        ticktext=[plain_label(f"{lv.number} {lv.marked_label(short=True)}") for lv in scale.levels],
        fixedrange=True,
    )
    fig.update_layout(title=plain_label(title))
    return _layout(fig, font, height=360)


def vote_histogram(
    votes: list[float], scale: RatingScale, consensus: float | None = None, font: dict | None = None
) -> go.Figure:
    """How a workshop team voted on one item: one horizontal bar per half-step, lowest level on top, with the
    recorded consensus marked. Level names read left to right on a 390 px phone (never rotated)."""
    steps = np.arange(scale.low, scale.high + 0.5, 0.5)
    counts = [sum(1 for v in votes if abs(v - s) < 1e-9) for s in steps]
    colours = level_colours(scale.numbers)
    # a half-step vote ("between 2 and 3") takes its lower level's colour, lighter, so it never reads as missing
    bar_colours = [colours.get(int(s), "#cccccc") for s in steps]
    opacity = [1.0 if float(s).is_integer() else 0.55 for s in steps]
    labels = [
        plain_label(f"{int(s)} {scale.label(int(s), short=True)}") if float(s).is_integer() else f"{s:g}" for s in steps
    ]
    labels = [_wrap(label, 16) for label in labels]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=counts,
            orientation="h",
            marker=dict(color=bar_colours, opacity=opacity, line=dict(color="#555", width=0.5)),
            text=[c or "" for c in counts],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x} vote(s)<extra></extra>",
        )
    )
    if consensus is not None:  # the agreed row, shaded across the chart and named at its right end
        idx = int(round((consensus - scale.low) * 2))
        fig.add_shape(
            type="rect",
            xref="paper",
            x0=0,
            x1=1,
            yref="y",
            y0=idx - 0.5,
            y1=idx + 0.5,
            fillcolor=LEADERSHIP_COLOUR,
            opacity=0.10,
            line_width=0,
            layer="below",
        )
        fig.add_annotation(
            y=idx,  # the row's position: a label such as "1.5" would be read as a coordinate, between two rows
            x=1,
            xref="paper",
            xanchor="right",
            text="<b>consensus</b>",
            showarrow=False,
            font=dict(color=LEADERSHIP_COLOUR, size=(font or FONT)["size"] - 2),
        )
    top = max(counts + [1])
    fig.update_xaxes(title="votes", dtick=1, range=[0, top + max(1.5, top * 0.6)], fixedrange=True)
    fig.update_yaxes(type="category", autorange="reversed", tickangle=0, automargin=True, fixedrange=True)
    fig = _layout(fig, font, height=60 + 34 * len(steps))
    fig.update_layout(margin=dict(l=10, r=10, t=10, b=10), bargap=0.25)
    return fig
