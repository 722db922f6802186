"""ipywidgets for notebooks and the Voilà dashboard: filter bar, KPI explorer, dashboard, "why" panel.

One module per job: what the dropdowns offer, read from a dataset (:mod:`~kit.widgets.queries`),
the debouncing of changes (:mod:`~kit.widgets.debounce`), figures and tables rendered to
PNG and escaped HTML (:mod:`~kit.widgets.render`), the figure that fits a KPI result
(:mod:`~kit.widgets.figures`), then the widgets: the filter bar
(:mod:`~kit.widgets.filters`), the KPI explorer (:mod:`~kit.widgets.explorer`), the
dashboard (:mod:`~kit.widgets.board`) and its "why it moved" panel (:mod:`~kit.widgets.why`).

Results are written into ``widgets.HTML`` (tables, text) and ``widgets.Image``
(figures rendered to PNG), never through ``widgets.Output``, which can hang a kernel
run without a browser. Every value from the data is HTML-escaped.

Changes are debounced: a change made in the browser waits ``debounce`` seconds on
the kernel's event loop, and rapid changes are coalesced into one recomputation. A
change made by code (a notebook cell, papermill, a test) runs at once, so the next
cell sees its result. Setting several widgets inside ``with bar.hold():`` gives one
recomputation, and a selection equal to the last one computes nothing.

Examples
--------
>>> import pandas as pd, kit
>>> ds = kit.Dataset({"opportunities": pd.DataFrame({
...     "opportunity_id": ["O1", "O2", "O3", "O4"], "status": ["won", "lost", "won", "won"],
...     "rep_id": ["R1", "R2", "R1", "R2"],
...     "created_at": pd.to_datetime(["2026-05-05", "2026-05-09", "2026-06-01", "2026-06-03"]),
...     "closed_at": pd.to_datetime(["2026-05-20", "2026-06-09", "2026-06-15", "2026-06-20"])}),
...     "reps": pd.DataFrame({"rep_id": ["R1", "R2"], "name": ["Ana", "Bo"]})})
>>> seen = []
>>> bar = kit.widgets.filter_bar(ds, lambda d: seen.append(len(d.opportunities)), lang="fr")
>>> bar.rep.description, [label for label, _ in bar.rep.options]
('Commercial', ['Tous', 'Ana', 'Bo'])
>>> bar.rep.value = "R2"
>>> seen
[2]
"""

from __future__ import annotations

from kit.widgets.board import Dashboard, dashboard
from kit.widgets.explorer import BREAKDOWNS, FREQ_CHOICES, KPIExplorer, kpi_explorer
from kit.widgets.figures import kpi_figure, result_keys
from kit.widgets.filters import ALL, FILTER_COLUMNS, FilterBar, filter_bar
from kit.widgets.queries import column_values, month_options, rep_names
from kit.widgets.render import MAX_TABLE_ROWS, figure_png, keyed_table_html, new_figure, png_data_uri, table_html
from kit.widgets.render import _reason_html  # noqa: F401 - imported from here by kit.story.dashboard
from kit.widgets.why import WhyPanel, explain_window, why_choices, why_panel

__all__ = ["ALL", "BREAKDOWNS", "Dashboard", "FILTER_COLUMNS", "FREQ_CHOICES", "FilterBar",
           "KPIExplorer", "MAX_TABLE_ROWS", "WhyPanel", "column_values", "dashboard",
           "explain_window", "figure_png", "filter_bar", "keyed_table_html", "kpi_explorer",
           "kpi_figure", "month_options", "new_figure", "png_data_uri", "rep_names", "result_keys",
           "table_html", "why_choices", "why_panel"]
