"""The charts the pages draw: the figure builders live in pl_core.present.charts (the report draws them too)."""

from pl_core.present.charts import (  # noqa: F401 - re-exported for the pages
    PLOT_CONFIG,
    agreement_bars,
    continuum_strip,
    gantt,
    heatmap,
    likert_bars,
    progress_chart,
    vote_histogram,
)
