"""A KPI by two keys: one line per group over the months, or grouped bars (e.g. activity by rep and type).

``matrix(ctx, name, by=...)`` is ``rep.matrix(name, by=...)`` on a :class:`~kit.story.report.Report`.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> from kit.dataset import Dataset
>>> from kit.story import Collector, ReportContext
>>> opps = pd.DataFrame({"opportunity_id": ["O1", "O2", "O3"], "status": ["won", "lost", "won"],
...     "team": ["A", "B", "A"], "closed_at": pd.to_datetime(["2026-09-05", "2026-10-09", "2026-10-20"])})
>>> ctx = ReportContext(Dataset({"opportunities": opps}), month="2026-10", history=2, display=Collector())
>>> matrix(ctx, "win_rate", by="team")
>>> ctx.display.objects[-1].frame.to_dict("records")
[{'Team': 'A', 'Sep 2026': '100.0%', 'Oct 2026': '100.0%'}, {'Team': 'B', 'Sep 2026': '–', 'Oct 2026': '0.0%'}]
"""

from __future__ import annotations

import pandas as pd

from kit import registry
from kit.i18n import column_label, format_value, kpi_label, t
from kit.story.context import ReportContext
from kit.story.guard import Unavailable, section
from kit.story.table import Table, _cells
from kit.story.texts import month_abbr_year, word


def _matrix_data(ctx: ReportContext, name, by, columns, window, options):
    if columns == "period":
        if window == "history":
            return ctx.monthly(name, by=by, **options)
        return ctx.compute(name, window, by=by, freq="M", **options)
    return ctx.compute(name, window, by=[by, columns], **options)


def _matrix_title(ctx: ReportContext, name, by, columns, window):
    by_text = column_label(by, ctx.lang).lower()
    by_text = word("by_month", ctx.lang, by=by_text) if columns == "period" else \
        f"{by_text} × {column_label(columns, ctx.lang).lower()}"
    return word("breakdown_title", ctx.lang, label=kpi_label(name, ctx.lang), by=by_text,
                period=ctx.period_text(window))


def matrix_figure(ctx: ReportContext, name: str, *, by: str, columns: str = "period", window: str = "history",
                  df=None, **options):
    """Draw KPI ``name`` by ``by`` and ``columns``: one line per ``by`` over months, or grouped bars."""
    from kit.plot import plot_bars, plot_kpi

    lang = ctx.lang
    df = _matrix_data(ctx, name, by, columns, window, options) if df is None else df
    title = _matrix_title(ctx, name, by, columns, window)
    plot_df = df.copy()
    plot_df[by] = plot_df[by].astype(object).where(plot_df[by].notna(), t("missing", lang))
    if columns == "period":
        ax = plot_kpi(plot_df, x="period", y="value", hue=by, name=name, lang=lang, title=title,
                      currency=ctx.currency, band=False)
        ax.set_xlabel(word("month_of", lang))
    else:
        plot_df[columns] = plot_df[columns].astype(object).where(plot_df[columns].notna(),
                                                                  t("missing", lang))
        ax = plot_bars(plot_df, x=by, y="value", group=columns, name=name, lang=lang,
                       title=title, currency=ctx.currency, annotate=False)
    return ax


@section
def matrix(ctx: ReportContext, name: str, *, by: str, columns: str = "period", window: str = "history",
           **options) -> None:
    """Display KPI ``name`` as a table of ``by`` × ``columns`` (months by default), and its figure."""
    lang = ctx.lang
    unit = registry.get(name).unit
    df = _matrix_data(ctx, name, by, columns, window, options)
    if not len(df) or not df["value"].notna().any():
        raise Unavailable(ctx.no_values(name, window))
    if columns != "period":  # e.g. activity types that are never conversations
        totals = df.groupby(columns, dropna=False, observed=True)["value"].sum(min_count=1)
        df = df[~df[columns].isin(totals.index[totals.fillna(0).eq(0)])].reset_index(drop=True)
    if columns != "period":
        df[columns] = _cells(df[columns], "text", lang)
    named = ctx.with_names(df, by)
    if "name" in named.columns:  # reps are shown by name
        df[by] = named["name"].where(named["name"].notna(), df[by])
    title = _matrix_title(ctx, name, by, columns, window)
    ctx.heading(title)
    if len(df):
        ctx.display.figure(matrix_figure(ctx, name, by=by, columns=columns, window=window, df=df))
    wide = df.pivot_table(index=by, columns=columns, values="value", aggfunc="first", dropna=False)
    wide = wide.reindex(sorted(wide.columns), axis=1)
    heads = [month_abbr_year(c, lang) if columns == "period" else str(c) for c in wide.columns]
    wide = wide.dropna(how="all")
    shown = pd.DataFrame({column_label(by, lang): [t("missing", lang) if pd.isna(i) else str(i)
                                                  for i in wide.index]})
    for head, col in zip(heads, wide.columns):
        shown[head] = [format_value(v, unit, lang, currency=ctx.currency) for v in wide[col]]
    ctx.display.show(Table(shown, uid=ctx.uid(name), caption=title))
    ctx.last = df
