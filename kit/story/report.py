"""The :class:`Report` the notebooks open: a report context with the sections as methods.

What every section relies on (dataset, month, history, team, language, display
sink, periods, computing a KPI, titles, KPI tables) is declared by
:class:`~kit.story.context.ReportContext`. The sections are plain functions of
such a context, one module per family; each method of :class:`Report` below is
that function (``rep.trend("revenue")`` runs ``sections_kpi.trend(rep, "revenue")``),
so that notebooks and the README call ``rep.section(...)``.

Examples
--------
>>> import pandas as pd
>>> from kit.dataset import Dataset
>>> from kit.story.display import Collector
>>> opps = pd.DataFrame({"opportunity_id": ["O1"], "status": ["won"],
...     "closed_at": pd.to_datetime(["2026-10-05"])})
>>> rep = Report(Dataset({"opportunities": opps}), month="2026-10", history=6, display=Collector())
>>> [str(d.date()) for d in rep.bounds("history")], rep.period_text("history")
(['2026-05-01', '2026-11-01'], 'May 2026 to October 2026')
>>> rep.trend("csat")
>>> rep.display.objects[0].data[:60]
'*– Customer satisfaction (CSAT) cannot be computed: the data'
"""

from __future__ import annotations

from kit.story import dashboard as _dashboard
from kit.story import sections_cohorts as _cohorts
from kit.story import sections_funnel as _funnel
from kit.story import sections_kpi as _kpi
from kit.story import sections_matrix as _matrix
from kit.story import sections_quality as _quality
from kit.story import sections_why as _why
from kit.story.context import ReportContext


class Report(ReportContext):
    """One month of one dataset, restricted to a team, told in ``lang``: a
    :class:`~kit.story.context.ReportContext` (the same parameters: ``ds``, ``month``,
    ``history``, ``team``, ``lang``, ``key``, ``display``) whose sections are methods.
    See the module example.
    """

    # the KPI sections (kit.story.sections_kpi)
    headline_frame = _kpi.headline_frame
    headline = _kpi.headline
    trend_figure = _kpi.trend_figure
    trend = _kpi.trend
    trend_sentence = _kpi.trend_sentence
    returns = _kpi.returns
    breakdown = _kpi.breakdown
    table = _kpi.table
    # the funnel (kit.story.sections_funnel)
    funnel_figure = _funnel.funnel_figure
    funnel = _funnel.funnel
    stage_funnel_figure = _funnel.stage_funnel_figure
    stage_funnel = _funnel.stage_funnel
    time_to_convert = _funnel.time_to_convert
    # a KPI by two keys (kit.story.sections_matrix)
    matrix_figure = _matrix.matrix_figure
    matrix = _matrix.matrix
    # cohorts and product lives (kit.story.sections_cohorts)
    cohorts = _cohorts.cohorts
    satisfaction_vs_repeat = _cohorts.satisfaction_vs_repeat
    product_timeline = _cohorts.product_timeline
    # data quality (kit.story.sections_quality)
    warnings = _quality.warnings
    rows_frame = _quality.rows_frame
    quality = _quality.quality
    rejected = _quality.rejected
    # why a KPI moved (kit.story.sections_why)
    why = _why.why
    explanation = _why.explanation
    why_unknown = _why.why_unknown
    # the scorecard, the explorer and the dashboard (kit.story.dashboard)
    scorecard = _dashboard.scorecard
    window_report = _dashboard.window_report
    explorer = _dashboard.explorer
    dashboard_figures = _dashboard.dashboard_figures
    dashboard = _dashboard.dashboard
