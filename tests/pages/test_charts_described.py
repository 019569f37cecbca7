"""Every chart on every page comes with a title, a summary in words and its figures as a table (AppTest)."""

from __future__ import annotations

import pytest
from conftest import open_page

from dashboard.components.charts import TABLE_LABEL

PAGES = ["views/overview.py", "views/distribution.py", "views/heatmap.py", "views/goals.py"]


@pytest.mark.parametrize("page", PAGES)
def test_every_chart_has_a_title_a_summary_and_a_table(app, page):
    at = open_page(app, page, ctx_school="Aspen Elementary", ctx_round="Fall 2026")
    charts = at.get("plotly_chart")
    tables = [e for e in at.expander if e.label == TABLE_LABEL]
    assert charts and len(tables) == len(charts)
    for box in tables:
        assert len(box.dataframe) == 1 and len(box.dataframe[0].value) > 0


def test_the_district_chart_is_its_own_table_with_a_title_and_a_summary(app):
    """The District page draws schools x items as an HTML table (pl_core.present.school_grid), no plotly."""
    at = open_page(app, "views/district.py", ctx_round="Fall 2026")
    assert not at.get("plotly_chart")
    assert [h for h in at.get("html") if 'data-testid="school-grid"' in h.value]
    assert "Mean level of each item by school, Fall 2026" in [m.value.strip("*").replace("\\", "") for m in at.markdown]
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert any(c.startswith("Mean level of 14 items across 6 schools: highest") for c in captions)


def test_the_overview_table_and_summary_carry_the_same_figures_as_its_cards(app):
    at = open_page(app, "views/overview.py", ctx_school="Aspen Elementary", ctx_round="Fall 2026")
    [table] = [e for e in at.expander if e.label == TABLE_LABEL][:1]
    figures = table.dataframe[0].value.set_index("Item")
    assert figures.loc["Relationships", "Staff mean"] == pytest.approx(3.72, abs=0.005)  # the "Strongest area" card
    assert figures.loc["Relationships", "Stage"] == "Advanced"
    captions = [c.value.replace("\\", "") for c in at.caption]  # typed-text escapes off, as the page reads
    assert any(c.startswith("Staff place 4 items: highest Relationships (3.72, Advanced)") for c in captions)
    assert any(c.startswith("Where staff place each item") for c in [m.value.strip("*") for m in at.markdown])
