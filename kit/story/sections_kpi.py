"""The sections of one KPI: the headline table, the trend over the last months, the breakdown by
group, a KPI as a table.

Each section is a function of a :class:`~kit.story.context.ReportContext` (its dataset,
month, language and display sink); :class:`~kit.story.report.Report` has them as methods
(``rep.trend("revenue")`` is ``trend(rep, "revenue")``).

Examples
--------
>>> import pandas as pd
>>> from kit.dataset import Dataset
>>> from kit.story import Collector, ReportContext
>>> opps = pd.DataFrame({"opportunity_id": ["O1", "O2", "O3"], "status": ["won", "lost", "won"],
...     "closed_at": pd.to_datetime(["2026-10-05", "2026-10-09", "2026-10-20"])})
>>> ctx = ReportContext(Dataset({"opportunities": opps}), month="2026-10", display=Collector())
>>> table(ctx, "win_rate")
>>> heading, shown = ctx.display.objects[:2]
>>> heading.data, shown.frame.iloc[0, 0]
('### Win rate, October 2026', '66.7%')
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from kit import registry
from kit.dates import shift
from kit.groups import MAX_GROUPS, OTHERS, others_label, top_groups
from kit.i18n import (MISSING, column_label, format_change, format_month, format_number, format_period,
                      format_value, kpi_label, t)
from kit.present import not_known_yet, note, sample_note
from kit.scorecard import scorecard
from kit.stats import trend as fit_trend
from kit.story.context import ReportContext
from kit.story.figures import _overlay_last_year, _relegend
from kit.story.guard import Unavailable, section
from kit.story.results import flag_differences
from kit.story.sections_why import why_under_headline
from kit.story.table import Table
from kit.story.texts import word


def headline_frame(ctx: ReportContext, names) -> pd.DataFrame:
    """For each KPI: the month's row of :func:`kit.scorecard.scorecard` (value, previous
    month, target, status decided by :func:`kit.present.decide`, note), with the
    same month last year (``last_year``) and the change over a year (``change_year``).

    The number of a KPI is computed the way its
    :attr:`~kit.registry.KPISpec.headline_form` says, as in the scorecard, so that
    every page shows the same value and status. KPIs the dataset cannot compute
    are left out.
    """
    names = [names] if isinstance(names, str) else list(names)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        df = scorecard(ctx.ds, ctx.month.strftime("%Y-%m"), lang=ctx.lang, names=names)
    for name in names:
        spec = registry.get(name)
        ctx.used.update(t_ for t_ in (*spec.tables, *spec.optional_tables) if t_ in ctx.ds.tables)
    df = df.rename(columns={"same_month_last_year": "last_year"})
    df["change_year"] = df["value"] - df["last_year"]
    df["period"] = ctx.month
    return df


def _optional(ctx: ReportContext, name: str, window: str = "month", **options) -> pd.DataFrame:
    """KPI ``name`` as :meth:`~kit.story.context.ReportContext.compute` gives it, or an empty frame when it cannot be
    computed (a target, last year's line: extras a section does without)."""
    try:
        return ctx.compute(name, window, **options)
    except Unavailable:
        return pd.DataFrame()


@section
def headline(ctx: ReportContext, names) -> None:
    """Display the headline table of KPIs ``names`` (styled by direction); a KPI the data
    cannot give is not in the table, and one sentence under it says why.

    Then, for each KPI whose change is beyond noise (status ``better`` or ``worse``)
    and that splits over groups, why it moved: one sentence and the waterfall of the
    largest contributions, over the KPI's default grouping
    (:func:`kit.explain_by.default_grouping`; see :func:`kit.story.sections_why.explanation`). A change
    within noise is never explained.
    """
    full = headline_frame(ctx, names)
    df = full[full["reason"] == ""].reset_index(drop=True)
    if len(df):  # the table holds the KPIs that can be computed
        _headline_table(ctx, df)
    for name, reason in zip(full["name"], full["reason"]):
        if reason:  # one sentence each for the others
            ctx.unknown[name] = reason
            ctx.display.markdown(f"*{MISSING} {reason}*")
    if len(df):
        why_under_headline(ctx, df)


def _headline_table(ctx: ReportContext, df: pd.DataFrame) -> None:
    from kit.plot import style_scorecard

    lang, cur = ctx.lang, ctx.currency
    units = [registry.get(n).unit for n in df["name"]]
    month_text = format_month(ctx.month, lang)
    whole = word("all_data_to", lang, end=month_text)
    shown = pd.DataFrame({
        "name": df["name"], "value": df["value"],
        "period": [whole if registry.get(n).headline_form in ("cohorts", "all") else month_text
                   for n in df["name"]],
        "previous": df["previous"], "change": df["change"],
    })
    shown[word("last_year", lang)] = [format_value(v, u, lang, currency=cur)
                                      for v, u in zip(df["last_year"], units)]
    shown[word("vs_last_year", lang)] = [format_change(v, u, lang, currency=cur)
                                         for v, u in zip(df["change_year"], units)]
    shown["target"] = df["target"]
    for col in ("status", "target_status", "note", "reason"):
        if col in df.columns:
            shown[col] = df[col]
    shown = shown.rename(columns={"period": word("period_of", lang)})
    if df["target"].isna().all():
        shown = shown.drop(columns="target")
    styler = style_scorecard(shown, lang, currency=cur,
                             caption=f"{word('headline', lang)} — {month_text}")
    ctx.display.show(Table(styler.data, uid=ctx.uid("headline"), caption=styler.caption, styler=styler))
    note = ctx.team_note(df["name"].tolist())
    if note:
        ctx.display.markdown(note)


def trend_figure(ctx: ReportContext, name: str, *, column: str = "value", **options):
    """Draw KPI ``name`` (or its ``column``) over the last ``history`` months.

    The target is a dashed line where one exists; last year's values, moved
    forward 12 months, a dotted grey line. Returns ``(ax, data, result)``.
    """
    from kit.plot import ValueFormatter, plot_trend

    df = ctx.monthly(name, **options)
    if column not in df.columns or not df[column].notna().any():  # nothing to draw: say why
        raise Unavailable(ctx.no_values(name, "history"))
    lang = ctx.lang
    label = kpi_label(name, lang) if column == "value" else word(column, lang)
    plot_name = name if column == "value" else None
    data = pd.DataFrame({"period": df["period"], "value": df[column].astype(float)})
    for c in ("ci_low", "ci_high", "low_sample"):
        if c in df.columns and column == "value":
            data[c] = df[c].to_numpy()
    target, spec = "target", registry.get(name)
    if isinstance(spec.target, tuple) and column == "value":
        kpi, col = spec.target
        tgt = df if kpi == name else _optional(ctx, kpi, start=shift(ctx.month, -(ctx.history - 1)),
                                                    end=ctx.end, freq="M")
        if col in tgt.columns:
            data = data.merge(tgt.groupby("period", as_index=False, observed=True)[col].sum(min_count=1)
                              .rename(columns={col: "target"}), on="period", how="left")
    elif isinstance(spec.target, float) and column == "value":
        target = spec.target
    if column == "value" and "n_censored" in df.columns and "denominator" in df.columns:
        # a cohort still mostly too recent to tell is not drawn as a value
        hidden = [not_known_yet(False, n, c) for n, c in zip(df["denominator"], df["n_censored"])]
        data.loc[hidden, [c for c in ("value", "ci_low", "ci_high") if c in data.columns]] = np.nan
    title = word("trend_title", lang, label=label, period=ctx.period_text("history"))
    ax = plot_trend(data, x="period", y="value", target=target, name=plot_name, lang=lang,
                    title=title, currency=ctx.currency)
    if plot_name is None:
        if ax.lines:
            ax.lines[0].set_label(label)
        if column.endswith("rate"):
            ax.yaxis.set_major_formatter(ValueFormatter("ratio", lang))
            ax.set_ylabel(f"{label} (%)")
        else:
            ax.set_ylabel(label)
        _relegend(ax)
    ax.set_xlabel(word("month_of", lang))
    last_year = _optional(ctx, name, start=shift(ctx.start, -12), end=shift(ctx.end, -12), freq="M",
                               **options)
    if len(last_year) and not last_year["period"].duplicated().any():
        _overlay_last_year(ax, data, last_year, column, lang)
    return ax, data, df


@section
def trend(ctx: ReportContext, name: str, *, column: str = "value", **options) -> None:
    """Display KPI ``name`` over the last ``history`` months, last year's line and the target.

    A sentence states the fitted slope per month and whether it is significant.
    """
    ax, data, df = trend_figure(ctx, name, column=column, **options)
    ctx.display.figure(ax)
    w = df["denominator"] if "denominator" in df.columns and column == "value" else None
    if w is not None:
        w = w.where(data["value"].notna().to_numpy())
    ctx.display.markdown(trend_sentence(ctx, name, data["period"], data["value"], w, column))
    young = []
    if column == "value" and "n_censored" in df.columns and "denominator" in df.columns:
        young = [(p, n, c) for p, n, c in zip(df["period"], df["denominator"], df["n_censored"])
                 if not_known_yet(False, n, c)]
        if young:
            months = ", ".join(f"{format_month(p, ctx.lang)} ({sample_note(name, n, c, ctx.lang)})"
                               for p, n, c in young)
            ctx.display.markdown(f"*{word('censored_months', ctx.lang, months=months)}*")
    known = {pd.Timestamp(p) for p, v in zip(df["period"], df[column]) if not pd.isna(v)}
    known |= {pd.Timestamp(y[0]) for y in young}
    empty = [p for p in pd.date_range(ctx.start, ctx.month, freq="MS")
             if p not in known] if column == "value" and "period" in df.columns else []
    if empty:  # a month without observation says why
        reasons = "; ".join(note({"name": name, "status": "nodata", "why": "value"}, p, ctx.lang)
                            for p in empty[-3:])
        ctx.display.markdown(f"*{word('empty_months', ctx.lang, reasons=reasons)}*")


def trend_sentence(ctx: ReportContext, name, periods, values, weights=None, column="value") -> str:
    """The slope per month of a monthly series, in words, with its p-value."""
    lang = ctx.lang
    fit = fit_trend(periods, values, weights)
    n = fit["n_periods"]
    if n < 3 or np.isnan(fit["p_value"]):
        return word("too_short", lang, n=n)
    p = format_number(round(fit["p_value"], 3), lang, decimals=3)
    if fit["p_value"] >= 0.05:
        return word("no_trend", lang, n=n, p=p)
    unit = registry.get(name).unit if column == "value" else ("ratio" if column.endswith("rate") else "count")
    slope = format_change(fit["slope_per_month"], unit, lang, currency=ctx.currency)
    wd = word("rising" if fit["slope_per_month"] > 0 else "falling", lang)
    return word("trend_sentence", lang, n=n, slope=slope, word=wd, p=p)


@section
def returns(ctx: ReportContext, by: str = "product_category") -> None:
    """Display the return rate (:func:`kit.kpis.returns.return_rate`): its trend, then its
    breakdown by ``by`` over the history; when the orders hold no return line, one
    sentence instead (:data:`kit.availability.RECORDED`: a rate of 0 would be a guess).
    """
    trend(ctx, "return_rate")
    breakdown(ctx, "return_rate", by=by, window="history")


@section
def breakdown(ctx: ReportContext, name: str, by: str, *, window: str = "month", figure: bool = True,
              **options) -> None:
    """Display KPI ``name`` by ``by`` over ``window``: table and bars.

    Proportions get a ``differs`` flag (:func:`kit.flags.flag_differences`, Holm's
    correction over the groups): bold rows differ from the rest of the groups; grey
    rows are small samples, never bold; a note under the table says so.
    """
    from kit.plot import plot_bars

    lang = ctx.lang
    df = ctx.compute(name, window, by=by, **options)
    period_text = ctx.period_text(window)
    if "period" in df.columns:  # a KPI by period (a yearly rate): its latest period
        known = pd.to_datetime(df.loc[df["value"].notna(), "period"])
        if known.nunique() > 1:
            last = known.max()
            df = df[pd.to_datetime(df["period"]) == last]
            yearly = last.month == 1 and last.day == 1 and (known.dt.month == 1).all()
            period_text = format_period(last, "Y" if yearly else "M", ctx.lang)
        df = df.drop(columns="period")
    if "denominator" in df.columns:  # a group with nothing to count says nothing
        df = df[~(df["value"].isna() & pd.to_numeric(df["denominator"], errors="coerce").fillna(0).eq(0))]
        df = df.reset_index(drop=True)
    if not len(df) or not df["value"].notna().any():
        raise Unavailable(ctx.no_values(name, window))
    full = ctx.with_names(flag_differences(df), by)
    many = top_groups(df, by, name, label=others_label(len(df) - MAX_GROUPS + 1, lang))
    df = ctx.with_names(flag_differences(many.frame), by)  # with many groups: top + others
    label = kpi_label(name, lang)
    title = word("breakdown_title", lang, label=label, by=column_label(by, lang).lower(),
                 period=period_text)
    ctx.heading(title)
    if figure and len(df):
        plot_df = df.copy()
        if "name" in df.columns:  # reps are shown by name
            plot_df[by] = plot_df["name"].where(plot_df["name"].notna(), plot_df[by])
        plot_df[by] = plot_df[by].astype(object).where(plot_df[by].notna(), t("missing", lang))
        long_labels = sum(len(str(v)) for v in plot_df[by]) > 45
        orient = "h" if len(df) > 6 or long_labels else "v"
        ax = plot_bars(plot_df, x=by, y="value", name=name, lang=lang, title=title,
                       currency=ctx.currency, orient=orient)
        target = registry.get(name).target
        if isinstance(target, float):  # e.g. 100 % of the target
            line = ax.axvline if orient == "h" else ax.axhline
            line(target, color="#1f1f1f", linestyle="--", linewidth=1.2,
                 label=t("target", lang))
            _relegend(ax)
        ctx.display.figure(ax)
    if many.combined:
        rows = df.drop(columns=OTHERS)
        if "name" in rows.columns:
            rows.loc[df[OTHERS].to_numpy(bool), "name"] = ""  # the others have no name
    ctx.table_of(name, rows if many.combined else full, caption=title)
    if many.n_others:  # say which groups the figure (and table) show
        note = word("others_combined" if many.combined else "others_left_out", lang,
                    k=len(df) - many.combined, n=many.n_others, total=len(full))
        ctx.display.markdown(f"*{note}*")
    ctx.last = df


@section
def table(ctx: ReportContext, name: str, *, window: str = "month", **options) -> None:
    """Display KPI ``name`` over ``window`` as a table, with a title (see the module example)."""
    df = ctx.compute(name, window, **options)
    by = options.get("by")
    if isinstance(by, str):
        df = ctx.with_names(df, by)
    title = kpi_label(name, ctx.lang) + (
        " " + word("by_x", ctx.lang, by=column_label(by, ctx.lang).lower()) if isinstance(by, str) else "")
    title += f", {ctx.period_text(window)}"
    ctx.heading(title)
    ctx.table_of(name, df, caption=title)
    ctx.last = df
