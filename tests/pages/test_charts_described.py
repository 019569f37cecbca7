"""Every chart on every page comes with a title, a summary in words and its figures as a table (AppTest)."""

from __future__ import annotations

import pytest
from conftest import open_page

from dashboard.components.charts import TABLE_LABEL

PAGES = ["views/overview.py", "views/distribution.py", "views/heatmap.py", "views/district.py", "views/goals.py"]


@pytest.mark.parametrize("page", PAGES)
def test_every_chart_has_a_title_a_summary_and_a_table(app, page):
    at = open_page(app, page, ctx_school="Aspen Elementary", ctx_round="Fall 2026")
    charts = at.get("plotly_chart")
    tables = [e for e in at.expander if e.label == TABLE_LABEL]
    assert charts and len(tables) == len(charts)
    for box in tables:
        assert len(box.dataframe) == 1 and len(box.dataframe[0].value) > 0


def test_the_overview_table_and_summary_carry_the_same_figures_as_its_cards(app):
    at = open_page(app, "views/overview.py", ctx_school="Aspen Elementary", ctx_round="Fall 2026")
    [table] = [e for e in at.expander if e.label == TABLE_LABEL][:1]
    figures = table.dataframe[0].value.set_index("Item")
    assert figures.loc["Relationships", "Staff mean"] == pytest.approx(3.72, abs=0.005)  # the "Strongest area" card
    assert figures.loc["Relationships", "Stage"] == "Advanced"
    captions = [c.value.replace("\\", "") for c in at.caption]  # typed-text escapes off, as the page reads
    assert any(c.startswith("Staff place 4 items: highest Relationships (3.72, Advanced)") for c in captions)
    assert any(c.startswith("Where staff place each item") for c in [m.value.strip("*") for m in at.markdown])
