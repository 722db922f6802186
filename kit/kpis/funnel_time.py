"""Funnel KPIs about time: engagement, conversion delays, sales cycle, velocity.

Split from :mod:`kit.kpis.funnel` (family ``funnel``), registered right after it
(:mod:`kit.kpis` imports the KPI modules in catalogue order). The censored-cohort
KPIs here (``never_engaged_rate``, ``time_to_convert``) take ``as_of``: a lead
created less than N days before ``as_of`` cannot tell whether it converts within N
days, so it is excluded and counted instead.
"""

from __future__ import annotations

import datetime as _dt

import narwhals as nw
import numpy as np
import pandas as pd

from kit.kpis._activity_rules import is_conversation
from kit.kpis._common import (aggregate, collect, columns, counts, days_between, flag, group_keys,
                              lazy, merge_results, proportion, resolve_as_of, window, with_trend)
from kit.kpis._docs import fill_doc, window_params
from kit.kpis._sales import won_deals_by
from kit.kpis.funnel import _check_days, win_rate
from kit.registry import kpi
from kit.stats import km_median


def _as_of_lit(as_of) -> nw.Expr:
    # an empty input without as_of has no date at all: any literal will do
    return nw.lit(as_of if as_of is not None else _dt.datetime(1970, 1, 1))


@kpi(
    name="never_engaged_rate", family="funnel",
    needs={"leads": ("created_at", "engaged_at")},
    label={"en": "Never-engaged lead rate", "fr": "Taux de leads jamais engagés"},
    definition={
        "en": "Leads with no engagement within N days of creation (30 by default) divided by "
              "the leads created at least N days before the end of the data.",
        "fr": "Leads sans engagement dans les N jours suivant leur création (30 par défaut) "
              "divisés par les leads créés au moins N jours avant la fin des données.",
    },
    unit="ratio", direction="lower", tables=("leads",), date="leads.created_at", seeds=("004",),
    headline_form="month",
)
@fill_doc(window=window_params(
    "created_at", "leads created",
    by='Columns to break down by, e.g. ``"source"`` (nulls form their own group).', cohort=True))
def never_engaged_rate(leads, *, days=30, as_of=None, by=None, freq=None, start=None, end=None):
    """Share of leads that did not engage within ``days`` days of their creation.

    Censoring: a lead created less than ``days`` days before ``as_of`` may still
    engage in time, so it is left out of both numerator and denominator and counted
    in ``n_censored``. A lead created exactly ``days`` days before ``as_of``
    counts; a lead engaged exactly ``days`` days after creation is engaged in time.
    Leads created after ``as_of`` are ignored.

    Parameters
    ----------
    leads : DataFrame-like
        Needs ``created_at`` and ``engaged_at`` (missing when never engaged).
    days : int, default 30
        The delay N, in days.
    as_of : date-like, optional
        End of the data (``kit.compute`` passes ``ds.as_of``); by default the
        latest ``created_at`` or ``engaged_at`` of the input.
    {window}

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value``, ``numerator`` (never engaged in
        time), ``denominator`` (leads old enough), ``ci_low``, ``ci_high``,
        ``low_sample``, ``n_censored`` (leads too recent to tell).

    Raises
    ------
    ParameterError
        When ``days`` is not a positive number.

    Examples
    --------
    >>> import pandas as pd
    >>> leads = pd.DataFrame({
    ...     "created_at": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-03-20"]),
    ...     "engaged_at": pd.to_datetime(["2026-01-03", None, None])})
    >>> never_engaged_rate(leads, as_of="2026-03-31")[
    ...     ["value", "numerator", "denominator", "n_censored"]].to_dict("records")
    [{'value': 0.5, 'numerator': 1.0, 'denominator': 2.0, 'n_censored': 1.0}]
    """
    n_days = _check_days("days", days)
    f = lazy(leads, "leads", needs=["created_at", "engaged_at"])
    as_of = resolve_as_of(as_of, (f, "created_at"), (f, "engaged_at"))
    f = window(f, "created_at", start, end)
    if as_of is not None:
        f = f.filter(nw.col("created_at") <= nw.lit(as_of))
        old = nw.col("created_at") <= nw.lit(as_of - _dt.timedelta(days=n_days))
    else:
        old = nw.lit(False)
    in_time = ~nw.col("engaged_at").is_null() & (days_between("engaged_at", "created_at", f) <= n_days)
    f = f.with_columns(_old=flag(old), _in_time=flag(in_time))
    f = f.with_columns(_never=flag((nw.col("_old") == 1) & (nw.col("_in_time") == 0)),
                       _young=flag(nw.col("_old") == 0))
    keys, f = group_keys(f, by, freq, "created_at")
    out = collect(aggregate(f, keys, [nw.col("_never").sum().alias("numerator"),
                                      nw.col("_old").sum().alias("denominator"),
                                      nw.col("_young").sum().alias("n_censored")]), keys)
    return proportion(counts(out, ["n_censored"]), keys)


@kpi(
    name="time_to_convert", family="funnel",
    needs={"leads": ("created_at", "converted_at")},
    label={"en": "Time to convert", "fr": "Délai de conversion"},
    definition={
        "en": "Median number of days from a lead's creation to its conversion into a customer, "
              "among converted leads.",
        "fr": "Nombre médian de jours entre la création d'un lead et sa conversion en client, "
              "parmi les leads convertis.",
    },
    unit="days", direction="lower", tables=("leads",), date="leads.created_at", seeds=("004",),
)
@fill_doc(window=window_params("created_at", "leads created", cohort=True))
def time_to_convert(leads, *, by=None, freq=None, start=None, end=None, as_of=None,
                    horizons=(30, 90)):
    """Days from lead creation to conversion, with censoring-aware companions.

    ``value`` is the median delay among leads converted by ``as_of``: it ignores
    the leads still open, so it is biased low for recent cohorts. Two
    censoring-aware figures complete it: the Kaplan-Meier median, where each lead
    still open at ``as_of`` is censored at its age, and for each horizon H the
    share of leads converted within H days among leads created at least H days
    before ``as_of``. A conversion after ``as_of`` is treated as not yet happened.
    A lead converted before it was created is inconsistent: it is left out of
    every figure and counted in ``n_inconsistent``.

    Parameters
    ----------
    leads : DataFrame-like
        Needs ``created_at`` and ``converted_at`` (missing while open).
    {window}
    as_of : date-like, optional
        End of the data (``kit.compute`` passes ``ds.as_of``); by default the
        latest ``created_at`` or ``converted_at`` of the input.
    horizons : tuple of int, default (30, 90)
        Horizons H in days of the ``share_<H>d`` columns.

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value`` (median days), ``mean``, ``n``
        (converted leads), ``km_median`` (Kaplan-Meier median in whole days:
        ``inf`` when fewer than half of the leads converted by ``as_of``, e.g.
        all censored, i.e. the median is not reached yet; missing when the group
        has no lead), ``n_leads``, ``n_censored`` (leads still open at ``as_of``),
        ``n_inconsistent``, then per horizon ``share_<H>d`` and ``share_<H>d_n``
        (leads old enough for that horizon).

    Raises
    ------
    ParameterError
        When a horizon is not a positive number.

    Examples
    --------
    >>> import pandas as pd
    >>> leads = pd.DataFrame({
    ...     "created_at": pd.to_datetime(["2026-01-01", "2026-01-01", "2026-01-01"]),
    ...     "converted_at": pd.to_datetime(["2026-01-11", "2026-03-02", None])})
    >>> out = time_to_convert(leads, as_of="2026-06-30")
    >>> out[["value", "mean", "n", "km_median", "share_30d", "share_90d"]].round(3).to_dict("records")
    [{'value': 35.0, 'mean': 35.0, 'n': 2.0, 'km_median': 60.0, 'share_30d': 0.333, 'share_90d': 0.667}]
    """
    if isinstance(horizons, (int, float)):
        horizons = (horizons,)
    hs = [_check_days("horizons", h) for h in horizons]
    f = lazy(leads, "leads", needs=["created_at", "converted_at"])
    as_of = resolve_as_of(as_of, (f, "created_at"), (f, "converted_at"))
    f = window(f, "created_at", start, end)
    if as_of is not None:
        f = f.filter(nw.col("created_at") <= nw.lit(as_of))
    done = ~nw.col("converted_at").is_null() & (nw.col("converted_at") <= _as_of_lit(as_of))
    bad = done & (nw.col("converted_at") < nw.col("created_at"))
    f = f.with_columns(_asof=_as_of_lit(as_of), _ok=flag(done & ~bad), _bad=flag(bad),
                       _open=flag(~done))
    f = f.with_columns(
        _days=nw.when(nw.col("_ok") == 1).then(days_between("converted_at", "created_at", f))
        .otherwise(nw.lit(None)).cast(nw.Float64),
        _age=days_between("_asof", "created_at", f),
    )
    aggs = [nw.col("_days").median().alias("value"), nw.col("_days").mean().alias("mean"),
            nw.col("_ok").sum().alias("n"), nw.len().alias("n_leads"),
            nw.col("_open").sum().alias("n_censored"), nw.col("_bad").sum().alias("n_inconsistent")]
    share_cols = []
    for h in hs:
        name = f"share_{h:g}d"
        old = nw.col("created_at") <= nw.lit((as_of or _dt.datetime(1970, 1, 1))
                                             - _dt.timedelta(days=h))
        f = f.with_columns(**{
            f"_{name}_n": flag(old & (nw.col("_bad") == 0)),
            f"_{name}_k": flag(old & (nw.col("_ok") == 1) & (nw.col("_days") <= h)),
        })
        aggs += [nw.col(f"_{name}_k").sum().alias(f"{name}_k"),
                 nw.col(f"_{name}_n").sum().alias(f"{name}_n")]
        share_cols.append(name)
    keys, f = group_keys(f, by, freq, "created_at")
    out = collect(aggregate(f, keys, aggs), keys)
    count_cols = ["n", "n_leads", "n_censored", "n_inconsistent"]
    out = counts(out, count_cols + [f"{s}_{x}" for s in share_cols for x in ("k", "n")])
    for s in share_cols:
        k, n = out.pop(f"{s}_k"), out[f"{s}_n"]
        out[s] = np.where(n > 0, k / n.where(n > 0, 1.0), np.nan)
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype(float)
    out["mean"] = pd.to_numeric(out["mean"], errors="coerce").astype(float)
    # Kaplan-Meier per group, on durations aggregated to whole days (small frame)
    km = f.filter(nw.col("_bad") == 0).with_columns(
        _dur=nw.when(nw.col("_ok") == 1).then(nw.col("_days")).otherwise(nw.col("_age")).floor())
    km = collect(km.group_by(*keys, "_dur", "_ok", drop_null_keys=False)
                 .agg(nw.len().alias("_w")), keys)
    out = merge_results(out, _km_by_group(km, keys), keys, how="left")
    tail = [c for s in share_cols for c in (s, f"{s}_n")]
    return out[keys + ["value", "mean", "n", "km_median", "n_leads", "n_censored",
                       "n_inconsistent"] + tail].reset_index(drop=True)


def _km_one(km: pd.DataFrame) -> float:
    return km_median(pd.to_numeric(km["_dur"]).astype(float),
                     pd.to_numeric(km["_ok"]).astype(float) == 1,
                     weights=pd.to_numeric(km["_w"]).astype("int64"))


def _km_by_group(km: pd.DataFrame, keys) -> pd.DataFrame:
    """Kaplan-Meier median per group of a ``keys, _dur, _ok, _w`` frame."""
    if not keys:
        return pd.DataFrame({"km_median": [_km_one(km)]})
    rows = []
    for key, idx in km.groupby(keys, dropna=False, sort=False, observed=True).indices.items():
        key = key if isinstance(key, tuple) else (key,)
        rows.append((*key, _km_one(km.iloc[idx])))
    return pd.DataFrame(rows, columns=list(keys) + ["km_median"])


@kpi(
    name="sales_cycle", family="funnel",
    needs={"opportunities": ("status", "created_at", "closed_at")},
    label={"en": "Sales cycle", "fr": "Cycle de vente"},
    definition={
        "en": "Median number of days from an opportunity's creation to its closing, won or lost.",
        "fr": "Nombre médian de jours entre la création d'une opportunité et sa clôture, "
              "gagnée ou perdue.",
    },
    unit="days", direction="lower", tables=("opportunities",), date="opportunities.closed_at",
    headline=True, seeds=("003",),
)
@fill_doc(window=window_params(
    "closed_at", "opportunities closed",
    by='Columns to break down by; ``by="status"`` compares won and lost deals.'))
def sales_cycle(opportunities, *, by=None, freq=None, start=None, end=None):
    """Days from opportunity creation to close, for won and lost opportunities.

    An opportunity closed before it was created is inconsistent: it is left out
    and counted in ``n_inconsistent``. Open opportunities are not counted.

    Parameters
    ----------
    opportunities : DataFrame-like
        Needs ``status``, ``created_at`` and ``closed_at``.
    {window}

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value`` (median days), ``mean``, ``n``
        (closed opportunities), ``n_inconsistent``.

    Examples
    --------
    >>> import pandas as pd
    >>> opps = pd.DataFrame({"status": ["won", "lost", "open"],
    ...     "created_at": pd.to_datetime(["2026-01-01", "2026-01-01", "2026-01-01"]),
    ...     "closed_at": pd.to_datetime(["2026-01-11", "2026-01-31", None])})
    >>> sales_cycle(opps)[["value", "mean", "n"]].to_dict("records")
    [{'value': 20.0, 'mean': 20.0, 'n': 2.0}]
    """
    f = lazy(opportunities, "opportunities", needs=["status", "created_at", "closed_at"])
    f = f.filter(nw.col("status").is_in(["won", "lost"]) & ~nw.col("closed_at").is_null())
    f = window(f, "closed_at", start, end)
    bad = nw.col("closed_at") < nw.col("created_at")
    f = f.with_columns(_bad=flag(bad), _ok=flag(~bad))
    f = f.with_columns(_days=nw.when(nw.col("_ok") == 1)
                       .then(days_between("closed_at", "created_at", f))
                       .otherwise(nw.lit(None)).cast(nw.Float64))
    keys, f = group_keys(f, by, freq, "closed_at")
    out = collect(aggregate(f, keys, [nw.col("_days").median().alias("value"),
                                      nw.col("_days").mean().alias("mean"),
                                      nw.col("_ok").sum().alias("n"),
                                      nw.col("_bad").sum().alias("n_inconsistent")]), keys)
    out = counts(out, ["n", "n_inconsistent"])
    for c in ("value", "mean"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    return out[keys + ["value", "mean", "n", "n_inconsistent"]]


@kpi(
    name="conversations_to_close", family="funnel",
    needs={"opportunities": ("opportunity_id", "status", "created_at", "closed_at"),
           "activities": ("opportunity_id", "occurred_at", "type", "outcome")},
    label={"en": "Conversations to close", "fr": "Conversations pour conclure"},
    definition={
        "en": "Mean number of conversations with the prospect between qualification and "
              "closing of won deals.",
        "fr": "Nombre moyen de conversations avec le prospect entre la qualification et la "
              "clôture des affaires gagnées.",
    },
    unit="count", direction="lower", tables=("opportunities", "activities"),
    date="opportunities.closed_at", seeds=("004",),
)
@fill_doc(window=window_params(
    "closed_at", "deals closed",
    by='Opportunity columns to break down by, e.g. ``"rep_id"``.'))
def conversations_to_close(opportunities, activities, *, by=None, freq=None, start=None,
                           end=None):
    """Conversations needed to close a deal once the prospect is qualified, with its trend.

    For each won opportunity, counts its activities (``activities.opportunity_id``)
    that are conversations as counted by the ``conversations`` KPI
    (:func:`kit.kpis._activity_rules.is_conversation`: calls with outcome
    ``connected`` or ``appointment_set``, meetings and video calls that took place;
    not ``customer_service``) with ``occurred_at`` between ``qualified_at``
    and ``closed_at``, both included. ``qualified_at`` falls back to
    ``created_at`` when missing (an opportunity is a qualified prospect). A won
    deal with no conversation logged counts 0.

    Parameters
    ----------
    opportunities : DataFrame-like
        Needs ``opportunity_id``, ``status``, ``created_at``, ``closed_at``;
        ``qualified_at`` when present.
    activities : DataFrame-like
        Needs ``opportunity_id``, ``occurred_at``, ``type``, ``outcome``;
        ``purpose`` when present.
    {window}

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value`` (mean conversations per won deal),
        ``median``, ``n`` (won deals), ``trend_slope`` and ``trend_p_value``
        (change of the mean per month, fit weighted by ``n``, the same on every
        row of a ``by`` group; missing without ``freq`` or under three periods).

    Examples
    --------
    >>> import pandas as pd
    >>> opps = pd.DataFrame({"opportunity_id": ["O1", "O2"], "status": ["won", "won"],
    ...     "created_at": pd.to_datetime(["2026-01-01", "2026-01-01"]),
    ...     "closed_at": pd.to_datetime(["2026-01-31", "2026-01-31"])})
    >>> acts = pd.DataFrame({"opportunity_id": ["O1", "O1", "O2"],
    ...     "type": ["call", "meeting", "call"], "outcome": ["connected", None, "no_answer"],
    ...     "occurred_at": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-01-06"])})
    >>> conversations_to_close(opps, acts)[["value", "median", "n"]].to_dict("records")
    [{'value': 1.0, 'median': 1.0, 'n': 2.0}]
    """
    o = lazy(opportunities, "opportunities",
             needs=["opportunity_id", "status", "created_at", "closed_at"])
    a = lazy(activities, "activities", needs=["opportunity_id", "occurred_at", "type", "outcome"])
    o = o.filter((nw.col("status") == "won") & ~nw.col("closed_at").is_null())
    o = window(o, "closed_at", start, end)
    since = nw.col("created_at")
    if "qualified_at" in columns(o):
        since = nw.when(nw.col("qualified_at").is_null()).then(nw.col("created_at")) \
            .otherwise(nw.col("qualified_at"))
    o = o.with_columns(_since=since)
    talks = (a.filter(~nw.col("opportunity_id").is_null() & is_conversation(columns(a)))
             .select("opportunity_id", "occurred_at"))
    per_deal = (o.select("opportunity_id", "_since", "closed_at")
                .join(talks, on="opportunity_id", how="inner")
                .filter((nw.col("occurred_at") >= nw.col("_since"))
                        & (nw.col("occurred_at") <= nw.col("closed_at")))
                .group_by("opportunity_id").agg(nw.len().alias("_talks")))
    o = o.join(per_deal, on="opportunity_id", how="left")
    o = o.with_columns(_talks=nw.col("_talks").fill_null(0).cast(nw.Float64))
    keys, o = group_keys(o, by, freq, "closed_at")
    out = collect(aggregate(o, keys, [nw.col("_talks").mean().alias("value"),
                                      nw.col("_talks").median().alias("median"),
                                      nw.len().alias("n")]), keys)
    out = counts(out, ["n"])
    for c in ("value", "median"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    out = with_trend(out[keys + ["value", "median", "n"]], keys, weights="n")
    return out.reset_index(drop=True)


@kpi(
    name="pipeline_velocity", family="funnel",
    needs={"opportunities": ("status", "created_at", "closed_at", "amount")},
    label={"en": "Pipeline velocity", "fr": "Vélocité du pipeline"},
    definition={
        "en": "Expected revenue per day: open opportunities times win rate times average won deal, "
              "divided by the median sales cycle in days.",
        "fr": "Chiffre d'affaires attendu par jour : opportunités ouvertes multipliées par le taux "
              "de réussite et l'affaire gagnée moyenne, divisées par le cycle de vente médian en "
              "jours.",
    },
    unit="currency", direction="higher", tables=("opportunities",), date="opportunities.closed_at",
)
def pipeline_velocity(opportunities, *, by=None, start=None, end=None):
    """Expected revenue per day flowing out of the open pipeline.

    ``value = n_open x win_rate x average_won_deal / sales_cycle_days``, where
    ``n_open`` counts the opportunities whose status is ``open`` (a snapshot of
    the input, whatever their dates) and the three other factors are the KPIs
    :func:`~kit.kpis.funnel.win_rate`, :func:`~kit.kpis.revenue.average_won_deal`
    and :func:`sales_cycle` (median) on the opportunities closed in
    ``[start, end)``. Missing when a factor is missing (no closed deal: win rate
    unknown) or the cycle is 0 days; never inf.

    Parameters
    ----------
    opportunities : DataFrame-like
        Needs ``status``, ``created_at``, ``closed_at`` and ``amount``.
    by : str or list of str, optional
        Columns to break down by, e.g. ``"rep_id"`` or ``"team"``.
    start, end : date-like, optional
        Closing window of the deals the rates are learnt from.

    Returns
    -------
    DataFrame
        ``by`` columns, ``value`` (currency per day), ``n_open``, ``win_rate``,
        ``average_won_deal``, ``sales_cycle_days``.

    Examples
    --------
    >>> import pandas as pd
    >>> opps = pd.DataFrame({"status": ["won", "lost", "open"], "amount": [9000.0, 4000.0, 5000.0],
    ...     "created_at": pd.to_datetime(["2026-01-01", "2026-01-01", "2026-02-01"]),
    ...     "closed_at": pd.to_datetime(["2026-01-31", "2026-01-31", None])})
    >>> pipeline_velocity(opps)[["value", "n_open", "win_rate", "sales_cycle_days"]].to_dict("records")
    [{'value': 150.0, 'n_open': 1.0, 'win_rate': 0.5, 'sales_cycle_days': 30.0}]
    """
    f = lazy(opportunities, "opportunities", needs=["status", "created_at", "closed_at", "amount"])
    keys, o = group_keys(f.filter(nw.col("status") == "open"), by, None, None)
    n_open = counts(collect(aggregate(o, keys, [nw.len().alias("n_open")]), keys), ["n_open"])
    parts = [
        n_open,
        win_rate(opportunities, by=by, start=start, end=end)[keys + ["value"]]
        .rename(columns={"value": "win_rate"}),
        won_deals_by(opportunities, by=by, start=start, end=end)[keys + ["value"]]
        .rename(columns={"value": "average_won_deal"}),
        sales_cycle(opportunities, by=by, start=start, end=end)[keys + ["value"]]
        .rename(columns={"value": "sales_cycle_days"}),
    ]
    out = parts[0]
    for part in parts[1:]:
        out = merge_results(out, part, keys)
    out["n_open"] = out["n_open"].fillna(0.0)
    factors = ["win_rate", "average_won_deal", "sales_cycle_days"]
    for c in factors:
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    cycle = out["sales_cycle_days"]
    with np.errstate(divide="ignore", invalid="ignore"):
        value = out["n_open"] * out["win_rate"] * out["average_won_deal"] / cycle.where(cycle > 0)
    out["value"] = value.where(np.isfinite(value))
    return out[keys + ["value", "n_open"] + factors].reset_index(drop=True)
