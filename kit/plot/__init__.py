"""Plot helpers: a tidy KPI frame in, a matplotlib Axes out.

One module per kind of figure: lines over periods and the conversion curve
(:mod:`~kit.plot.lines`), bars by category (:mod:`~kit.plot.bars`), the funnel
(:mod:`~kit.plot.funnel`), the waterfall of a change (:mod:`~kit.plot.waterfall`);
what they share (colours, tick labels, frame checks) is in :mod:`~kit.plot.style`.

They draw and never compute: the frame holds one row per point or bar, as
:func:`kit.compute` returns it (``period``, ``by`` columns, ``value``, and when
present ``ci_low``/``ci_high``, ``low_sample``, ``differs``, ``target``). Every
argument after ``data`` is keyword-only; ``ax=None`` draws on a new figure. Titles,
axis labels (with the unit of the KPI from the registry), tick labels and legends
follow ``lang``: months are written ``oct. 2026`` in French, ratios ``12,5 %``.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> df = pd.DataFrame({"period": pd.to_datetime(["2026-08-01", "2026-09-01", "2026-10-01"]),
...                    "value": [0.30, 0.35, 0.32]})
>>> ax = plot_kpi(df, x="period", name="win_rate", lang="fr")
>>> ax.get_title(), ax.get_ylabel()
('Taux de réussite', 'Taux de réussite (%)')
>>> [t.get_text() for t in ax.get_xticklabels()]
['août 2026', 'sept. 2026', 'oct. 2026']
"""

from __future__ import annotations

from kit.plot.bars import plot_bars
from kit.plot.funnel import plot_funnel
from kit.plot.lines import plot_kpi, plot_survival, plot_trend
from kit.plot.style import BAD, GOOD, GREY, HIGHLIGHT_EDGE, MAX_TICKS, NEUTRAL, ValueFormatter
from kit.plot.waterfall import TOTAL, plot_explanation, plot_waterfall, waterfall_title
from kit.present.styled import style_scorecard  # the styled scorecard, kept as kit.plot's

__all__ = ["BAD", "GOOD", "GREY", "HIGHLIGHT_EDGE", "MAX_TICKS", "NEUTRAL", "TOTAL", "ValueFormatter",
           "plot_bars", "plot_explanation", "plot_funnel", "plot_kpi", "plot_survival", "plot_trend",
           "plot_waterfall", "style_scorecard", "waterfall_title"]
