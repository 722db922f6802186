"""Customers and products over their life: cohort KPIs by month of acquisition, the second
purchase of satisfied customers, the life of each product.

Functions of a :class:`~kit.story.context.ReportContext`, methods of a :class:`~kit.story.report.Report`.

Examples
--------
>>> import pandas as pd
>>> from kit.dataset import Dataset
>>> from kit.story import Collector, ReportContext
>>> ctx = ReportContext(Dataset({}), month="2026-10", display=Collector())
>>> product_timeline(ctx)
>>> ctx.display.objects[0].data[:60]
'*– Product lifetime cannot be computed: the dataset has no t'
"""

from __future__ import annotations

import numpy as np

from kit.i18n import format_month, format_value, kpi_label, t
from kit.availability import Availability
from kit.dataset import _schema_names
from kit.story.context import ReportContext
from kit.story.guard import Unavailable, section
from kit.story.figures import _draw_timeline
from kit.story.results import _pandas, flag_differences
from kit.story.table import _ci_columns
from kit.story.texts import word


@section
def cohorts(ctx: ReportContext, name: str, **options) -> None:
    """Display a cohort KPI by month of acquisition over ``history`` months, with censoring."""
    from kit.plot import plot_trend

    lang = ctx.lang
    df = ctx.monthly(name, months=ctx.history + 12, **options)  # old enough cohorts included
    if not df["value"].notna().any():
        raise Unavailable(ctx.no_values(name, "history"))
    df = _ci_columns(df)
    known = df.index[df["value"].notna()]
    young = df.loc[known.max() + 1:] if len(known) else df.iloc[-ctx.history:]
    df = df.loc[known.min():known.max()].reset_index(drop=True) if len(known) else df.iloc[:0]
    title = word("cohort_title", lang, label=kpi_label(name, lang))
    ctx.heading(title)
    data = df[[c for c in ("period", "value", "ci_low", "ci_high", "low_sample") if c in df.columns]]
    if data["value"].notna().any():
        ax = plot_trend(data, x="period", y="value", target=None, name=name, lang=lang,
                        title=title, currency=ctx.currency)
        ax.set_xlabel(word("cohort_axis", lang))
        ctx.display.figure(ax)
    ctx.table_of(name, df, caption=title)
    if len(young):
        n = young["n_censored"].sum() if "n_censored" in young.columns else np.nan
        ctx.display.markdown(word("young_cohorts", lang, k=len(young),
                                  first=format_month(young["period"].min(), lang),
                                  n=format_value(float(n), "count", lang)))
    ctx.last = df


@section
def satisfaction_vs_repeat(ctx: ReportContext) -> None:
    """Repeat purchase within 90 days of customers satisfied or not (their CSAT answers).

    A customer is satisfied when the mean of their CSAT scores is 4 or more.
    The KPI :func:`~kit.kpis.loyalty.repeat_purchase_rate` is computed by
    that flag, so its censoring rules apply unchanged.
    """
    from dataclasses import replace

    from kit.plot import plot_bars

    lang = ctx.lang
    ctx.require("csat", "repeat_purchase_rate")
    if "customer_id" not in _schema_names(ctx.ds.tables, "surveys"):
        raise Unavailable(Availability("csat", ok=False, missing_columns={"surveys": ("customer_id",)}))
    surveys = _pandas(ctx.ds.tables["surveys"])
    csat = surveys[(surveys["kind"] == "csat") & surveys["customer_id"].notna()]
    mean = csat.groupby("customer_id", observed=True)["score"].mean()
    orders = _pandas(ctx.ds.tables["orders"])
    flag_ = orders["customer_id"].map(mean >= 4)
    orders["satisfied"] = flag_.map({True: t("yes", lang), False: t("no", lang)})
    tables = dict(ctx.ds.tables, orders=orders)
    if "customers" in tables:
        cust = _pandas(tables["customers"])
        cust["satisfied"] = cust["customer_id"].map(mean >= 4).map({True: t("yes", lang), False: t("no", lang)})
        tables["customers"] = cust
    saved = ctx.ds
    ctx.ds = replace(saved, tables=tables)
    try:
        df = ctx.compute("repeat_purchase_rate", "all", by="satisfied")
    finally:
        ctx.ds = saved
    ctx.used.add("surveys")
    df = flag_differences(df)
    title = word("sat_repeat_title", lang)
    ctx.heading(title)
    plot_df = df.copy()
    plot_df["satisfied"] = plot_df["satisfied"].astype(object).where(plot_df["satisfied"].notna(),
                                                                      word("no_answer", lang))
    ax = plot_bars(plot_df, x="satisfied", y="value", name="repeat_purchase_rate", lang=lang, title=title)
    ax.set_xlabel(word("satisfied_axis", lang))
    ctx.display.figure(ax)
    ctx.table_of("repeat_purchase_rate", df.rename(columns={"satisfied": "satisfied"}), caption=title)
    ctx.last = df


@section
def product_timeline(ctx: ReportContext) -> None:
    """Display each product's life: first and last month with sales, active months."""
    lang = ctx.lang
    df = ctx.compute("product_lifetime", "all")
    if not len(df):
        raise Unavailable(ctx.no_values("product_lifetime", "all"))
    title = f"{kpi_label('product_lifetime', lang)}, {ctx.period_text('all')}"
    ctx.heading(title)
    if len(df):
        ax = _draw_timeline(df, lang, title)
        ctx.display.figure(ax)
    ctx.table_of("product_lifetime", df, caption=title)
    ctx.last = df
