"""Revenue KPIs: revenue, the average won deal, attainment of the target, shares, seasonality.

Revenue is attributed to the order date (``orders.ordered_at``); won deals to their
close date (``opportunities.closed_at``). Targets (``targets``) are monthly, per rep
(``rep_id``) or per team (``team``), read by :mod:`kit.kpis._targets`. What an order
brings (margin, basket) is in :mod:`kit.kpis.order_value`, the deals still needed in
:mod:`kit.kpis.deals`, the recurring revenue in :mod:`kit.kpis.recurring`.
"""

from __future__ import annotations

import narwhals as nw
import numpy as np
import pandas as pd

from kit.errors import ParameterError
from kit.kpis._common import (
    _num, as_list, as_ts, empty_result, is_month_end, lazy, merge_results, ratio, resolve_as_of,
    sort_rows, window,
)
from kit.kpis._docs import fill_doc, window_params
from kit.kpis._sales import revenue_by, sales_by, won_deals_by
from kit.kpis._targets import check_target_options, targets_by
from kit.registry import kpi


@kpi(
    name="average_won_deal", family="revenue",
    needs={"opportunities": ("status", "closed_at", "amount")},
    label={"en": "Average won deal", "fr": "Montant moyen d'une affaire gagnée"},
    definition={
        "en": "Mean amount of the opportunities won, attributed to their close date.",
        "fr": "Montant moyen des opportunités gagnées, rattachées à leur date de clôture.",
    },
    unit="currency", direction="higher", tables=("opportunities",), date="opportunities.closed_at",
    headline=False, seeds=("003",),
    columns={"numerator": ("currency", "amount"), "denominator": ("count", "won_deals")},
)
@fill_doc(window=window_params(
    "closed_at", "opportunities closed",
    by="Columns to break down by (``rep_id``, ``team``...); nulls form their own group."))
def average_won_deal(opportunities, *, by=None, freq=None, start=None, end=None):
    """Mean amount of won opportunities.

    Won opportunities without an ``amount`` are left out of the mean and counted in
    ``won_without_amount``.

    Parameters
    ----------
    opportunities : DataFrame-like
        Needs ``status``, ``closed_at`` and ``amount``.
    {window}

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value`` (mean amount), ``numerator`` (sum of
        amounts), ``denominator`` (won deals with an amount), ``won_without_amount``.

    Examples
    --------
    >>> import pandas as pd
    >>> opps = pd.DataFrame({"status": ["won", "won", "lost"], "amount": [1000.0, 3000.0, 500.0],
    ...                      "closed_at": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-01-09"])})
    >>> average_won_deal(opps)[["value", "numerator", "denominator"]].to_dict("records")
    [{'value': 2000.0, 'numerator': 4000.0, 'denominator': 2.0}]
    """
    return won_deals_by(opportunities, by=by, freq=freq, start=start, end=end)


@kpi(
    name="revenue", family="revenue",
    needs={"orders": ("order_id", "ordered_at", "amount")},
    label={"en": "Revenue", "fr": "Chiffre d'affaires"},
    definition={
        "en": "Sum of the amounts of order lines net of returns (return lines are negative), each line "
              "at its own date; gross sales and returns are given apart.",
        "fr": "Somme des montants des lignes de commande nette des retours (les lignes de retour sont "
              "négatives), chaque ligne à sa propre date ; ventes brutes et retours sont donnés à part.",
    },
    unit="currency", direction="higher", tables=("orders",), date="orders.ordered_at",
    headline=True, seeds=("002", "003"),
    target=("revenue_vs_target", "denominator"),
)
@fill_doc(window=window_params(
    "ordered_at", "orders placed",
    by="Columns to break down by (``rep_id``, ``team``, ``product_category``...)."))
def revenue(orders, *, by=None, freq=None, start=None, end=None):
    """Revenue net of returns: the sum of ``orders.amount``, each line at its own date.

    A return line (negative ``amount``, see ``docs/data-contract.md``) lowers the
    revenue of the period of its own date, not of the order it gives back.

    Parameters
    ----------
    orders : DataFrame-like
        Needs ``order_id``, ``ordered_at`` and ``amount``.
    {window}

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value`` (net revenue, 0 when there is no order),
        ``gross_sales`` (lines that are not return lines), ``returns`` (amount
        returned, positive: ``value = gross_sales - returns``), ``n_orders``
        (purchase orders), ``n_returns`` (return orders, i.e. credit notes).

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"order_id": ["A", "A", "B", "R"], "amount": [100.0, 50.0, 80.0, -50.0],
    ...                        "ordered_at": pd.to_datetime(["2026-01-05", "2026-01-05", "2026-02-03",
    ...                                                      "2026-02-10"])})
    >>> revenue(orders, freq="M")[["period", "value", "returns", "n_orders", "n_returns"]].to_dict("records")
    [{'period': Timestamp('2026-01-01 00:00:00'), 'value': 150.0, 'returns': 0.0, 'n_orders': 1, 'n_returns': 0},
     {'period': Timestamp('2026-02-01 00:00:00'), 'value': 30.0, 'returns': 50.0, 'n_orders': 1, 'n_returns': 1}]
    """
    keys, out = sales_by(orders, by, freq, start, end)
    return out[keys + ["value", "gross_sales", "returns", "n_orders", "n_returns"]]


@kpi(
    name="revenue_vs_target", family="revenue",
    needs={"orders": ("ordered_at", "amount"), "targets": ("period", "revenue_target")},
    label={"en": "Revenue vs target", "fr": "Chiffre d'affaires par rapport à l'objectif"},
    definition={
        "en": "Revenue divided by the revenue target of the same rep or team and month, with the gap "
              "revenue minus target.",
        "fr": "Chiffre d'affaires divisé par l'objectif de chiffre d'affaires du même commercial ou de "
              "la même équipe et du même mois, avec l'écart chiffre d'affaires moins objectif.",
    },
    unit="ratio", direction="higher", tables=("orders", "targets"), date="orders.ordered_at",
    headline=True, seeds=("003",),
    columns={"numerator": ("currency", "revenue"), "denominator": ("currency", "target"),
             "gap": ("currency", "gap")},
    target=1.0,
)
def revenue_vs_target(orders, targets, *, by=None, freq="M", start=None, end=None):
    """Attainment of the revenue target: revenue / ``revenue_target``, and the gap.

    Targets are monthly rows with a ``rep_id`` (rep target) or a ``team`` and no
    ``rep_id`` (team target). With ``by="team"`` (or ``None``) team rows are used when
    the table has any, otherwise the rep targets are summed per team (or in total).

    Parameters
    ----------
    orders : DataFrame-like
        Needs ``ordered_at``, ``amount`` and the ``by`` column.
    targets : DataFrame-like
        Needs ``period`` (month) and ``revenue_target``; ``rep_id`` and/or ``team``.
    by : {None, "rep_id", "team"}
        Level of the comparison; None compares the whole company.
    freq : {"M", "Q", "Y", None}
        Period of the comparison (targets are summed over it); None: the whole window.
    start, end : date-like, optional
        Keep orders and target months in ``[start, end)``.

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value`` (attainment, missing without a target or
        with a zero target), ``numerator`` (revenue), ``denominator`` (target), ``gap``
        (revenue - target). A month with a target and no revenue has revenue 0; a
        month with revenue and no target keeps its revenue with a missing target.

    Raises
    ------
    ParameterError
        For ``by`` outside None, "rep_id", "team" or ``freq="W"``.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"rep_id": ["R1", "R1", "R2"], "amount": [600.0, 300.0, 500.0],
    ...                        "ordered_at": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-01-09"])})
    >>> targets = pd.DataFrame({"period": pd.to_datetime(["2026-01-01", "2026-01-01"]),
    ...                         "rep_id": ["R1", "R2"], "revenue_target": [1000.0, 400.0]})
    >>> revenue_vs_target(orders, targets, by="rep_id")[["rep_id", "value", "gap"]].to_dict("records")
    [{'rep_id': 'R1', 'value': 0.9, 'gap': -100.0}, {'rep_id': 'R2', 'value': 1.25, 'gap': 100.0}]
    """
    check_target_options("revenue_vs_target", by, freq)
    keys = as_list(by) + (["period"] if freq else [])
    rev = revenue_by(orders, by, freq, start, end)
    tgt = targets_by(targets, "revenue_target", by, freq, start, end)
    out = merge_results(rev, tgt, keys)
    out["revenue"] = _num(out["revenue"]).fillna(0.0)
    out["gap"] = out["revenue"] - _num(out["target"])
    out = ratio(out, keys, numerator="revenue", denominator="target", fill_zero=False)
    return out[keys + ["value", "numerator", "denominator", "gap"]]


@kpi(
    name="revenue_share", family="revenue",
    needs={"orders": ("ordered_at", "amount")},
    label={"en": "Revenue share", "fr": "Répartition du chiffre d'affaires"},
    definition={
        "en": "Share of the revenue of each product, category or other group in the revenue of the "
              "period; the shares sum to 1.",
        "fr": "Part du chiffre d'affaires de chaque produit, catégorie ou autre groupe dans le chiffre "
              "d'affaires de la période ; les parts ont pour somme 1.",
    },
    unit="ratio", direction="neutral", tables=("orders",), date="orders.ordered_at",
    headline=False, seeds=("003",),
    columns={"numerator": ("currency", "revenue"), "denominator": ("currency", "total_revenue")},
)
def revenue_share(orders, *, by="product_id", freq=None, start=None, end=None):
    """Share of revenue by group (the pie chart of seed 003).

    Parameters
    ----------
    orders : DataFrame-like
        Needs ``ordered_at``, ``amount`` and the ``by`` column(s).
    by : str or list of str
        The groups sharing the revenue (``product_id``, ``product_category``, ``team``...).
        Nulls form their own group.
    freq : {None, "W", "M", "Q", "Y"}
        Shares within each period (they sum to 1 in each period).
    start, end : date-like, optional
        Keep orders placed in ``[start, end)``.

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value`` (share), ``numerator`` (revenue of the
        group), ``denominator`` (revenue of the period). A period whose revenue is 0
        has missing shares.

    Raises
    ------
    ParameterError
        When ``by`` is None (a share needs groups).

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"product_id": ["P1", "P2", "P1"], "amount": [100.0, 100.0, 200.0],
    ...                        "ordered_at": pd.to_datetime(["2026-01-05", "2026-01-06", "2026-01-07"])})
    >>> revenue_share(orders)[["product_id", "value"]].to_dict("records")
    [{'product_id': 'P1', 'value': 0.75}, {'product_id': 'P2', 'value': 0.25}]
    """
    if not as_list(by):
        raise ParameterError(
            f"revenue_share: by={by!r} is not allowed; a share needs the groups that share the "
            "revenue. Pass by='product_id', by='product_category' or another column of orders."
        )
    out = revenue_by(orders, by, freq, start, end, name="numerator")
    keys = as_list(by) + (["period"] if freq else [])
    if freq:
        out["denominator"] = out.groupby("period", dropna=False, observed=True)["numerator"].transform("sum")
    else:
        out["denominator"] = out["numerator"].sum()
    return ratio(out, keys)


@kpi(
    name="seasonality_index", family="revenue",
    needs={"orders": ("ordered_at", "amount")},
    label={"en": "Seasonality index", "fr": "Indice de saisonnalité"},
    definition={
        "en": "Mean revenue of a calendar month divided by the mean monthly revenue, over complete months.",
        "fr": "Chiffre d'affaires moyen d'un mois du calendrier divisé par le chiffre d'affaires mensuel "
              "moyen, sur les mois complets.",
    },
    unit="ratio", direction="neutral", tables=("orders",), date="orders.ordered_at",
    headline=False, seeds=("003",),
)
def seasonality_index(orders, *, by=None, start=None, end=None, as_of=None):
    """Seasonality of revenue: one row per calendar month 1..12 (1.0 is an average month).

    Months are those from the month of the first order (or the first complete month
    from ``start``) to the last complete month: the month holding ``as_of`` counts
    only when ``as_of`` is on its last day. Months without revenue count as 0.

    Parameters
    ----------
    orders : DataFrame-like
        Needs ``ordered_at`` and ``amount``.
    by : str or list of str, optional
        One index per group (e.g. ``product_category``), each against its own mean.
    start, end : date-like, optional
        Keep orders placed in ``[start, end)``; a partial first or last month is dropped.
    as_of : date-like, optional
        End of the data; default the latest ``ordered_at``.

    Returns
    -------
    DataFrame
        ``by`` columns, ``month`` (1..12), ``value`` (index), ``numerator`` (mean
        revenue of that calendar month), ``denominator`` (mean monthly revenue),
        ``n_months`` (how many such months were seen: with 1 the index is one year's
        noise). A calendar month never seen has a missing value.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"amount": [100.0, 300.0, 200.0],
    ...                        "ordered_at": pd.to_datetime(["2026-01-05", "2026-02-10", "2026-03-31"])})
    >>> seasonality_index(orders)[["month", "value", "n_months"]].head(3).to_dict("records")
    [{'month': 1, 'value': 0.5, 'n_months': 1}, {'month': 2, 'value': 1.5, 'n_months': 1},
     {'month': 3, 'value': 1.0, 'n_months': 1}]
    """
    keys = as_list(by)
    f = lazy(orders, "orders", needs=["ordered_at", "amount"])
    as_of = resolve_as_of(as_of, (orders, "ordered_at"))
    f = window(f, "ordered_at", start, end)
    if as_of is not None:
        f = f.filter(nw.col("ordered_at") <= nw.lit(as_of))
    monthly = revenue_by(f, by, "M")
    first = monthly["period"].min() if len(monthly) else pd.NaT
    cols = keys + ["month", "value", "numerator", "denominator", "n_months"]
    if pd.isna(first) or as_of is None:
        return _empty_seasonality(keys, cols)
    s = as_ts(start)
    if s is not None:
        s = pd.Timestamp(s)
        first = max(first, s if s == s.to_period("M").start_time else (s.to_period("M") + 1).start_time)
    last = pd.Timestamp(as_of).to_period("M")
    if not is_month_end(pd.Timestamp(as_of)):
        last = last - 1  # as_of is not on the last day: its month is partial
    e = as_ts(end)
    if e is not None:
        e = pd.Timestamp(e)
        last = min(last, e.to_period("M") - 1)  # end is excluded: a month is complete before it
    months = pd.period_range(first.to_period("M"), last, freq="M") if first.to_period("M") <= last else []
    if len(months) == 0:
        return _empty_seasonality(keys, cols)
    grid = pd.DataFrame({"period": months.to_timestamp().astype("datetime64[ns]")})
    if keys:
        groups = monthly[keys].drop_duplicates()
        grid = groups.merge(grid, how="cross")
    full = grid.merge(monthly, on=keys + ["period"], how="left")
    full["revenue"] = _num(full["revenue"]).fillna(0.0)
    full["month"] = full["period"].dt.month
    per_month = (full.groupby(keys + ["month"], dropna=False, observed=True)["revenue"]
                 .agg(numerator="mean", n_months="size").reset_index())
    overall = full.groupby(keys, dropna=False, observed=True)["revenue"].mean() if keys else full["revenue"].mean()
    cal = pd.DataFrame({"month": range(1, 13)})
    if keys:
        overall = overall.rename("denominator").reset_index()
        cal = overall.merge(cal, how="cross")
        out = cal.merge(per_month, on=keys + ["month"], how="left")
    else:
        out = cal.merge(per_month, on="month", how="left")
        out["denominator"] = overall
    out["n_months"] = _num(out["n_months"]).fillna(0).astype("int64")
    out = ratio(out, keys + ["month"], fill_zero=False)
    return sort_rows(out[cols], keys + ["month"])


def _empty_seasonality(keys, cols) -> pd.DataFrame:
    if keys:
        return empty_result(keys, cols[len(keys):])
    return pd.DataFrame({"month": range(1, 13), "value": np.nan, "numerator": np.nan,
                         "denominator": np.nan, "n_months": 0})



__all__ = ["average_won_deal", "revenue", "revenue_vs_target", "revenue_share", "seasonality_index"]
