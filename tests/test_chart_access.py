"""Charts people can read: text 4.5:1, marks 3:1, levels told apart without colour, labels that are ours marked,
and each chart's summary and table carrying hand-checked figures (pl_core.present, no Streamlit)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from pl_core.frameworks import load_framework
from pl_core.present import chart_text, charts, palette
from pl_core.present.palette import contrast

WHITE = "#ffffff"


@pytest.fixture(scope="module")
def dps():
    return load_framework("dps-driver-model")


@pytest.fixture(scope="module")
def driver(dps):
    return dps.item("strategic-time").scale  # 3 "More Learner Centered" is ours


def rows(scale, items=("Strategic Time", "Strategic Space"), counts=((2, 6, 1, 1), (0, 2, 5, 3)), missing=(1, 0)):
    frame = pd.DataFrame({"item_name": list(items)})
    for k, number in enumerate(scale.numbers):
        frame[f"count_{number}"] = [c[k] for c in counts]
    frame["n"] = [sum(c) for c in counts]
    frame["missing"] = list(missing)
    for number in scale.numbers:
        frame[f"share_{number}"] = frame[f"count_{number}"] / frame["n"]
    frame["mean"] = [sum(n * c for n, c in zip(scale.numbers, cs, strict=True)) / sum(cs) for cs in counts]
    frame["agreement"] = [0.62, 0.41]
    frame["leadership"] = [2.5, np.nan]
    return frame


def font_colours(fig) -> list[str]:
    """Every text colour the figure sets: layout, axes, legend, colour bars, annotations, bar texts."""
    layout = fig.layout
    found = [layout.font.color, layout.legend.font.color]
    for axis in [a for a in dir(layout) if a.startswith(("xaxis", "yaxis"))]:
        ax = getattr(layout, axis)
        if ax is not None and hasattr(ax, "tickfont"):
            found += [ax.tickfont.color, ax.title.font.color]
    found += [a.font.color for a in layout.annotations]
    for trace in fig.data:
        if getattr(trace, "colorbar", None) is not None and trace.type == "heatmap":
            found += [trace.colorbar.tickfont.color, trace.colorbar.title.font.color]
    return [c for c in found if c]


def cell_figures(fig) -> list[tuple[str, str, str, str]]:
    """(column, row, text, colour) of each figure written on a heatmap's cells."""
    traces = [t for t in fig.data if t.type == "scatter" and t.mode == "text"]
    if not traces:
        return []
    (trace,) = traces
    return list(zip(trace.x, trace.y, trace.text, trace.textfont.color, strict=True))


def test_level_colours_carry_text_at_4_5_to_1_and_the_continuum_text_on_them(driver):
    for rank, colour in palette.LEVEL_COLOURS.items():
        assert contrast(palette.LEVEL_TEXT[rank], colour) >= 4.5, colour
        assert contrast(palette.text_on(colour), colour) >= 4.5


def test_text_on_picks_black_or_white_at_4_5_to_1_for_any_colour():
    for value in range(0, 256, 5):
        grey = f"#{value:02x}{value:02x}{value:02x}"
        assert contrast(palette.text_on(grey), grey) >= 4.5
    assert palette.text_on("#253494") == "#ffffff" and palette.text_on("#c7e9b4") == "#000000"


def test_marks_that_carry_meaning_keep_3_to_1_against_what_they_sit_on():
    bands = [palette.LEVEL_COLOURS[k] for k in (1, 2, 3, 4)]

    def faded(colour, opacity):  # a level band as the continuum strip draws it
        mixed = [round(opacity * int(colour[i : i + 2], 16) + (1 - opacity) * 255) for i in (1, 3, 5)]
        return "#" + "".join(f"{v:02x}" for v in mixed)

    assert min(contrast(palette.STAFF_COLOUR, faded(b, 0.28)) for b in bands) >= 3
    assert contrast(palette.STAFF_COLOUR, WHITE) >= 4.5
    for colour in charts.GOAL_STATUS_COLOURS.values():
        assert contrast(colour, WHITE) >= 4.5  # white status text on the bar, and the bar against the page
    for band, colour in charts.AGREEMENT_COLOURS.items():
        if band:
            assert contrast(colour, WHITE) >= 3
    assert contrast(palette.OUTLINE, WHITE) >= 3  # the outline that keeps the light levels visible


def test_every_chart_draws_its_text_at_4_5_to_1_on_white(driver, dps):
    frame = rows(driver)
    matrix = pd.DataFrame([[2.1, np.nan], [3.4, 1.2]], index=["Strategic Time", "Strategic Space"], columns=["A", "B"])
    progress_rows = [
        {"on": dt.date(2026, 1, 1), "series": "planned", "level": 1.5, "round": "start"},
        {"on": dt.date(2027, 1, 1), "series": "planned", "level": 3.0, "round": "target"},
        {"on": dt.date(2026, 10, 1), "series": "measured", "level": 2.1, "round": "Fall 2026"},
    ]
    figures = [
        charts.continuum_strip(frame, driver),
        charts.likert_bars(frame, driver),
        charts.agreement_bars(frame),
        charts.heatmap(matrix, driver),
        charts.heatmap(matrix - 2, driver, difference=True),
        charts.progress_chart(progress_rows, driver),
    ]
    for fig in figures:
        colours = font_colours(fig)
        assert colours, fig.layout.title
        assert all(contrast(c, WHITE) >= 4.5 for c in colours if c not in ("#ffffff", "#000000")), colours


def test_heatmap_cell_text_is_black_or_white_at_4_5_to_1_on_its_own_cell(driver):
    values = np.linspace(1, 4, 13)
    matrix = pd.DataFrame([values], index=["Item"], columns=[f"c{i}" for i in range(13)])
    fig = charts.heatmap(matrix, driver)
    colours = charts._cell_colours(matrix.to_numpy(), palette.CONTINUOUS, 1, 4)[0]
    figures = cell_figures(fig)
    assert [text for _, _, text, _ in figures] == [f"{v:.1f}" for v in values]
    assert [column for column, _, _, _ in figures] == list(matrix.columns)
    for (_, _, text, colour), cell in zip(figures, colours, strict=True):
        assert contrast(colour, cell) >= 4.5, (text, cell)
    assert fig.data[1].hoverinfo == "skip"  # the hover is the cell's, from the heatmap under the text


def test_heatmap_labels_each_cell_up_to_the_readable_width_and_leaves_wider_ones_to_the_hover(driver):
    values = np.arange(charts.LABELLED_COLUMNS) % 4 + 1.0
    cols = [f"School {i:03d}" for i in range(charts.LABELLED_COLUMNS)]
    matrix = pd.DataFrame([values, values[::-1]], index=["Item A", "Item B"], columns=cols)
    fig = charts.heatmap(matrix, driver)
    notes = cell_figures(fig)
    assert len(notes) == 2 * charts.LABELLED_COLUMNS  # every cell, each where its own figure is
    assert notes[0][:3] == ("School 000", "Item A", "1.0")
    assert notes[-1][:3] == (cols[-1], "Item B", "1.0")
    wider = pd.DataFrame(
        [np.full(1000, 2.5)] * 14, index=[f"Item {i}" for i in range(14)], columns=[f"S{i}" for i in range(1000)]
    )
    fig = charts.heatmap(wider, driver)  # 1,000 schools: the Heatmap's "Schools" view of a big district
    assert cell_figures(fig) == []
    assert fig.data[0].text.shape == (14, 1000)  # the hover still gives each figure
    assert len(cell_figures(charts.heatmap(wider.iloc[:, :40], driver, cell_text=True))) == 14 * 40


def test_levels_are_told_apart_without_colour_and_labels_that_are_ours_are_marked(driver):
    fig = charts.likert_bars(rows(driver), driver)
    levels = [t for t in fig.data if t.name and t.name[0].isdigit()]
    assert len({t.marker.pattern.shape for t in levels}) == len(driver.numbers)  # one pattern per level
    assert "3 More Learner Centered*" in {t.name for t in levels}
    strip = charts.continuum_strip(rows(driver), driver)
    assert [t.replace("<br>", " ") for t in strip.layout.xaxis.ticktext][2] == "3 More Learner Centered*"
    assert driver.footnote().startswith("* label added by PL Diagnostics")
    assert charts.heatmap(pd.DataFrame([[2.0]], index=["x"], columns=["a"]), driver).data[0].colorbar.ticktext[2] == (
        "3 More Learner<br>Centered*"
    )


def test_agreement_bars_name_the_band_in_words(driver):
    fig = charts.agreement_bars(rows(driver))
    assert list(fig.data[0].text) == ["0.62 moderate", "0.41 low"]


# --- summaries and tables, with figures worked out by hand ----------------------------------------------------------


def test_continuum_text_gives_each_items_mean_stage_shares_and_consensus(driver):
    text = chart_text.continuum_text(rows(driver), driver)
    # Strategic Time: (2*1 + 6*2 + 1*3 + 1*4) / 10 = 2.10, stage 2; Strategic Space: (4 + 15 + 12) / 10 = 3.10, stage 3
    table = text.table.set_index("Item")
    assert table.loc["Strategic Time", "Staff mean"] == pytest.approx(2.1)
    assert table.loc["Strategic Space", "Stage"] == "More Learner Centered*"
    assert table.loc["Strategic Time", "2 Learner Centered (%)"] == pytest.approx(60.0)
    assert table.loc["Strategic Time", "Leadership consensus"] == 2.5
    assert text.summary == (
        "Staff place 2 items: highest Strategic Space (3.10, More Learner Centered*), lowest Strategic Time "
        "(2.10, Learner Centered). The leadership team's consensus is marked on 1 of 2 items."
    )


def test_likert_text_gives_shares_and_where_answers_lean(driver):
    text = chart_text.likert_text(rows(driver), driver)
    table = text.table.set_index("Item")
    assert table.loc["Strategic Space", "4 Learner Driven (%)"] == pytest.approx(30.0)
    assert table.loc["Strategic Time", "Missing (%)"] == pytest.approx(100 / 11)  # 1 missing of 11 answers
    # top two levels: Space 50 + 30 = 80 %; bottom two: Time 20 + 60 = 80 %
    assert "More Learner Centered* or Learner Driven: Strategic Space (80%)" in text.summary
    assert "Teacher Driven or Learner Centered: Strategic Time (80%)" in text.summary


def test_agreement_text_counts_the_items_below_half(driver):
    text = chart_text.agreement_text(rows(driver))
    assert text.summary == (
        "Agreement among staff ranges from 0.41 (Strategic Space) to 0.62 (Strategic Time); "
        "1 of 2 items are below 0.5 (low agreement)."
    )


def test_heatmap_text_keeps_hidden_cells_as_they_read_and_names_the_extremes():
    values = pd.DataFrame([[2.1, np.nan], [3.4, 1.2]], index=["Time", "Space"], columns=["Teachers", "Coaches"])
    labels = pd.DataFrame([["2.1", "n<5"], ["3.4", "1.2"]], index=["Time", "Space"], columns=["Teachers", "Coaches"])
    text = chart_text.heatmap_text(values, labels, columns="Roles", hidden=1)
    assert text.table.to_dict("records") == [
        {"Item": "Time", "Teachers": "2.1", "Coaches": "n<5"},
        {"Item": "Space", "Teachers": "3.4", "Coaches": "1.2"},
    ]
    assert text.summary == (
        "Mean level of 2 items across 2 roles: highest 3.4 (Space, Teachers), lowest 1.2 (Space, Coaches). "
        "1 cell(s) are hidden because too few staff answered."
    )


def test_gantt_and_progress_text_say_status_and_dates():
    rows_ = [
        {
            "kind": "goal",
            "goal_id": 1,
            "label": "Grow time",
            "start": dt.date(2026, 1, 1),
            "finish": dt.date(2027, 1, 1),
            "status": "behind",
            "owner": "",
        },
        {
            "kind": "milestone",
            "goal_id": 1,
            "label": "Grow time",
            "start": dt.date(2026, 3, 1),
            "finish": dt.date(2026, 3, 1),
            "status": "overdue",
            "owner": "",
            "description": "Survey",
        },
    ]
    text = chart_text.gantt_text(rows_, dt.date(2026, 4, 1))
    assert text.table.iloc[0][["Goal", "Status", "Milestones overdue"]].tolist() == ["Grow time", "behind", 1]
    assert text.summary.endswith("1 behind. 1 milestone(s) overdue.")
    progress = chart_text.progress_text(
        [
            {"on": dt.date(2026, 1, 1), "series": "planned", "level": 1.5, "round": "Fall 2025"},
            {"on": dt.date(2027, 1, 1), "series": "planned", "level": 3.0, "round": "target"},
            {"on": dt.date(2026, 10, 1), "series": "measured", "level": 2.1, "round": "Fall 2026"},
        ],
        "behind",
    )
    assert progress.summary == (
        "Planned: from 1.5 on January 01, 2026 to 3.0 by January 01, 2027. Latest measured: 2.10 in Fall 2026 (behind)."
    )
    assert progress.table["Round"].tolist() == ["Fall 2025", "Fall 2026", "target"]
