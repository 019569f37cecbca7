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
from plotly.subplots import make_subplots

from ..frameworks import RatingScale
from .palette import (
    CONTINUOUS,
    DIVERGING,
    FONT,
    LEADERSHIP_COLOUR,
    LEVEL_TEXT,
    MISSING_COLOUR,
    STAFF_COLOUR,
    level_colours,
)

PLOT_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def _layout(fig: go.Figure, font: dict | None, height: int) -> go.Figure:
    size = (font or FONT)["size"]
    fig.update_layout(
        font=font or FONT,
        height=height,
        margin=dict(l=10, r=10, t=40, b=10),
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, title_text="", font_size=size),
    )
    # Streamlit's plotly theme sets its own (small) tick fonts; set ours so a projector can be read
    fig.update_xaxes(tickfont_size=size - 1, title_font_size=size)
    fig.update_yaxes(tickfont_size=size - 1, title_font_size=size)
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
                marker=dict(size=(np.sqrt(share) * 34).tolist(), color="rgba(70,70,70,0.30)", line_width=0),
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
            marker=dict(size=14, color="rgba(70,70,70,0.30)"),
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
        ticktext=[_wrap(f"{lv.number} {lv.short_label}", 14) for lv in scale.levels],
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


def heatmap(
    matrix: pd.DataFrame,
    scale: RatingScale | None,
    *,
    text: pd.DataFrame | None = None,
    difference: bool = False,
    font: dict | None = None,
    x_title: str = "",
    zrange: float = 1.5,
) -> go.Figure:
    """A heatmap of mean levels (or differences), every cell annotated; NaN cells show `text` (e.g. 'n<5')."""
    z = matrix.to_numpy(dtype=float)
    labels = (  # figures and "n<5": our own text, never typed (plotly reads "<5" as text, not as a tag)
        text.to_numpy()
        if text is not None
        else np.where(np.isnan(z), "", np.vectorize(lambda v: f"{v:+.1f}" if difference else f"{v:.1f}")(z))
    )
    rows = [_wrap(str(r), 34) for r in matrix.index]
    cols = [_wrap(str(c), 13) for c in matrix.columns]
    if difference:
        colorscale, zmin, zmax = DIVERGING, -zrange, zrange
        colorbar = dict(title="Difference<br>(levels)", tickformat="+.1f")
    else:
        colorscale, zmin, zmax = CONTINUOUS, scale.low, scale.high
        colorbar = dict(
            title="Mean level",
            tickvals=list(scale.numbers),
            ticktext=[plain_label(f"{lv.number} {lv.short_label}") for lv in scale.levels],
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
            texttemplate="%{text}",
            textfont=dict(size=(font or FONT)["size"] - 1),
            hoverongaps=True,
            xgap=2,
            ygap=2,
            hovertemplate="%{y}<br>%{x}<br>%{text}<extra></extra>",
        )
    )
    # grey behind the gaps, so suppressed or empty cells read as "no figure", not as a low level
    fig.update_layout(plot_bgcolor="#e5e5e5")
    fig.update_yaxes(autorange="reversed", fixedrange=True)
    # a few columns read best level and wrapped; many (a district's schools) need plotly's tilt to fit
    fig.update_xaxes(side="top", title=plain_label(x_title), fixedrange=True, tickangle=0 if len(cols) <= 8 else None)
    _layout(fig, font, height=max(320, 90 + 44 * len(rows)))
    fig.update_layout(plot_bgcolor="#e5e5e5")
    return fig


def likert_bars(rows: pd.DataFrame, scale: RatingScale, font: dict | None = None) -> go.Figure:
    """Diverging stacked bars of level shares per item; missing answers as a separate bar on the right.

    Levels below the scale's middle stack to the left of zero, the rest to the right; with an odd
    number of levels the middle one is split across zero. `rows` has item_name, count_<k>, n, missing.
    """
    numbers = list(scale.numbers)
    colours = level_colours(numbers)
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
                name=plain_label(f"{lv.number} {lv.label}"),
                legendgroup=str(lv.number),
                showlegend=legend,
                legendrank=rank,
                marker_color=colours[lv.number],
                text=[f"{abs(v):.0f}%" if abs(v) >= 12 else "" for v in values],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                textfont=dict(color=LEVEL_TEXT.get(rank + 1, "#111")),
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
            marker_color=MISSING_COLOUR,
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
    colour = ["#2c7fb8" if v >= 0.7 else ("#7fcdbb" if v >= 0.5 else "#fdae6b") for v in values.fillna(0)]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=names,
            orientation="h",
            marker_color=colour,
            text=[("" if math.isnan(v) else f"{v:.2f}") for v in values],
            textposition="outside",
            hovertemplate="%{y}<br>Agreement %{x:.2f}<extra></extra>",
        )
    )
    fig.add_vline(
        x=0.7, line_dash="dot", line_color="#555", annotation_text="strong agreement (0.7)", annotation_position="top"
    )
    fig.update_xaxes(
        range=[0, 1.08],
        title="Agreement among staff (r_wg: 0 = as spread as random, 1 = all the same)",
        fixedrange=True,
    )
    fig.update_yaxes(autorange="reversed", fixedrange=True)
    return _layout(fig, font, height=120 + 40 * len(rows))


GOAL_STATUS_COLOURS = {
    "on track": "#2c7fb8",
    "ahead": "#253494",
    "achieved": "#1a9850",
    "done": "#1a9850",
    "behind": "#d95f0e",
    "not yet measured": "#969696",
    "paused": "#bdbdbd",
}
MILESTONE_SYMBOLS = {"done": ("circle", "#1a9850"), "overdue": ("x", "#d7301f"), "upcoming": ("diamond-open", "#333")}


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
                marker_color=GOAL_STATUS_COLOURS.get(status, "#969696"),
                showlegend=status not in seen,
                legendgroup=status,
                text=[plain_label(status)],
                textposition="inside",
                insidetextanchor="start",
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
                    marker=dict(symbol=symbol, size=15, color=colour, line=dict(width=2)),
                    text=[plain_label(m.get("description", "")) for m in ms],
                    hovertemplate="%{text}<br>%{x|%b %d, %Y}<extra></extra>",
                )
            )
    fig.update_xaxes(type="date")
    fig.add_vline(
        x=pd.Timestamp(today).timestamp() * 1000,
        line_dash="dash",
        line_color="#d7301f",
        annotation_text="today",
        annotation_position="top",
    )
    fig.update_yaxes(autorange="reversed", fixedrange=True)
    fig.update_layout(barmode="overlay")
    height = 190 + 56 * max(len(goals), 1)
    _layout(fig, font, height=height)
    _legend_below(fig, height)
    return fig


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
            line=dict(dash="dash", color="#555", width=3),
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
                textposition="top center",
                marker=dict(size=14, color=STAFF_COLOUR),
                line=dict(color=STAFF_COLOUR, width=3),
            )
        )
    fig.update_yaxes(
        range=[scale.low - 0.5, scale.high + 0.5],
        tickvals=list(scale.numbers),
        ticktext=[plain_label(f"{lv.number} {lv.short_label}") for lv in scale.levels],
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
