"""The sections of the funnel notebook: the funnel from lead to won deal (or of the opportunity
stages when there are no leads), the time to convert.

The sections take the report context first (``funnel(ctx)`` is ``rep.funnel()`` on a
:class:`~kit.story.report.Report`).

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> from kit.dataset import Dataset
>>> from kit.story import Collector, ReportContext
>>> leads = pd.DataFrame({"lead_id": ["L1", "L2"], "created_at": pd.to_datetime(["2026-10-02", "2026-10-03"]),
...     "converted_at": pd.to_datetime(["2026-10-12", None])})
>>> ctx = ReportContext(Dataset({"leads": leads}, as_of="2026-10-31"), month="2026-10", display=Collector())
>>> time_to_convert(ctx, "month")
>>> ctx.display.objects[0].data, ctx.display.objects[-1].frame.iloc[0].tolist()
('### Time to convert, October 2026', ['Median, converted leads', '10.0\xa0d'])
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from kit.i18n import format_value, has_word, kpi_label, t
from kit.stats import km_curve
from kit.story.context import ReportContext
from kit.story.guard import section
from kit.story.results import _pandas
from kit.story.table import Table, _intervals
from kit.story.texts import word


def funnel_figure(ctx: ReportContext, window: str = "history"):
    """Draw the funnel lead → won of the leads created in ``window``; returns ``(ax, result)``."""
    from kit.plot import plot_funnel

    df = ctx.compute("funnel", window)
    title = f"{t('funnel_title', ctx.lang)}, {ctx.period_text(window)}"
    ax = plot_funnel(df, stage="stage", count="value", rate="step_rate", lang=ctx.lang, title=title)
    ax.set_xlabel(word("leads_axis", ctx.lang))
    return ax, df


@section
def funnel(ctx: ReportContext, window: str = "history") -> None:
    """Display the funnel lead → won of the leads created in ``window``, with step rates.

    Without a leads table, the funnel of the opportunity stages (:meth:`stage_funnel`).
    """
    if "leads" not in ctx.ds.tables and "opportunities" in ctx.ds.tables:
        return stage_funnel(ctx, window)
    title = f"{t('funnel_title', ctx.lang)}, {ctx.period_text(window)}"
    ctx.heading(title)
    ax, df = funnel_figure(ctx, window)
    ctx.display.figure(ax)
    _funnel_table(ctx, df, "funnel", title, count="leads", share="rate_from_created",
                       share_word="of_created")


def stage_funnel_figure(ctx: ReportContext, window: str = "history"):
    """Draw the funnel of the opportunity stages of ``window``; ``(ax, result)``, ``ax``
    None when no opportunity was created in ``window``."""
    from kit.plot import plot_funnel

    df = ctx.compute("stage_funnel", window)
    if not len(df) or not df["value"].iloc[0] > 0:
        return None, df
    title = f"{kpi_label('stage_funnel', ctx.lang)}, {ctx.period_text(window)}"
    ax = plot_funnel(df, stage="stage", count="value", rate="step_rate", lang=ctx.lang,
                     title=title)
    ax.set_xlabel(word("opportunities_axis", ctx.lang))
    return ax, df


@section
def stage_funnel(ctx: ReportContext, window: str = "history") -> None:
    """Display the funnel of the opportunity stages of the opportunities created in ``window``.

    From ``stage_history`` when the dataset has it, else from each opportunity's
    current ``stage`` (:func:`kit.kpis.stages.stage_funnel`), with step rates and
    their 95 % intervals; a sentence says which.
    """
    lang = ctx.lang
    title = f"{kpi_label('stage_funnel', lang)}, {ctx.period_text(window)}"
    ctx.heading(title)
    source = "stage_history" if "stage_history" in ctx.ds.tables else "stage"
    ax, df = stage_funnel_figure(ctx, window)
    if ax is None:
        ctx.display.markdown(word("no_opportunities", lang, period=ctx.period_text(window)))
        ctx.last = df
        return
    ctx.display.markdown(f"*{word('stage_funnel_' + source, lang)}*")
    ctx.display.figure(ax)
    _funnel_table(ctx, df, "stage_funnel", title, count="opportunities", share="rate_from_first",
                       share_word="of_first")


def _funnel_table(ctx: ReportContext, df, uid: str, title: str, *, count: str, share: str, share_word: str) -> None:
    """The table under a funnel figure: stage, count, step rate and its interval, share of the
    first step; small samples grey. Stage names with words of their own are translated, as
    :func:`kit.plot.plot_funnel` does."""
    lang = ctx.lang
    shown = pd.DataFrame({
        t("stage", lang): [t(f"stage_{n}", lang) if has_word(f"stage_{n}") else n
                           for n in map(str, df["stage"])],
        word(count, lang): [format_value(v, "count", lang) for v in df["value"].astype(float)],
        t("rate", lang): [format_value(v, "ratio", lang) for v in df["step_rate"]],
        t("ci_note", lang): _intervals(df, "ratio", lang),
        word(share_word, lang): [format_value(v, "ratio", lang) for v in df[share]],
    })
    grey = df["low_sample"].fillna(False).astype(bool).tolist()
    ctx.display.show(Table(shown, uid=ctx.uid(uid), caption=title, grey=grey))
    if any(grey):
        ctx.display.markdown(f"*{word('legend_grey', lang)}*")
    ctx.last = df


@section
def time_to_convert(ctx: ReportContext, window: str = "history") -> None:
    """Display the time from lead to customer: medians, shares within 30/90 days, KM curve.

    The Kaplan-Meier curve (:func:`kit.stats.km_curve`) counts leads still open at
    the end of the month as censored, not as failures.
    """
    from kit.plot import plot_survival

    lang = ctx.lang
    df = ctx.compute("time_to_convert", window)
    title = f"{kpi_label('time_to_convert', lang)}, {ctx.period_text(window)}"
    ctx.heading(title)
    leads = _pandas(ctx.ds.tables["leads"])
    s, e = ctx.bounds(window)
    leads = leads[(leads["created_at"] >= s) & (leads["created_at"] < e)] if s is not None else \
        leads[leads["created_at"] < e]
    as_of = pd.Timestamp(ctx.ds.as_of)
    conv = pd.to_datetime(leads["converted_at"])
    consistent = conv.isna() | (conv >= leads["created_at"])  # as the KPI: others left out
    leads, conv = leads[consistent], conv[consistent]
    observed = conv.notna() & (conv <= as_of)
    stop = conv.where(observed, as_of)
    days = (stop - leads["created_at"]) / pd.Timedelta(days=1)
    if len(days):
        curve = km_curve(days.to_numpy(float), observed.to_numpy(bool))
        ax = plot_survival(curve, lang=lang, title=f"{t('survival_title', lang)}, {ctx.period_text(window)}")
        ctx.display.figure(ax)
    rec = df.iloc[0] if len(df) else pd.Series(dtype=float)
    rows = [
        (word("median_converted", lang), format_value(rec.get("value"), "days", lang)),
        (word("mean_converted", lang), format_value(rec.get("mean"), "days", lang)),
        (word("km_median", lang), word("not_reached", lang) if np.isinf(rec.get("km_median", np.nan))
         else format_value(rec.get("km_median"), "days", lang)),
        (word("leads", lang), format_value(rec.get("n_leads"), "count", lang)),
        (word("converted", lang), format_value(rec.get("n"), "count", lang)),
        (t("n_censored", lang), format_value(rec.get("n_censored"), "count", lang)),
    ]
    for col in [c for c in df.columns if re.fullmatch(r"share_\d+d", c)]:
        days_ = col[len("share_"):-1]
        rows.append((word("converted_within", lang, days=days_),
                     f"{format_value(rec.get(col), 'ratio', lang)} "
                     f"({word('of_n', lang, n=format_value(rec.get(col + '_n'), 'count', lang))})"))
    shown = pd.DataFrame(rows, columns=[t("kpi", lang), t("value", lang)])
    ctx.display.show(Table(shown, uid=ctx.uid("time_to_convert"), caption=title))
    ctx.last = df
