"""Revenue KPIs: revenue, targets, shares, seasonality, margin, basket, deals.

Revenue is attributed to the order date (``orders.ordered_at``); won deals to their
close date (``opportunities.closed_at``). Targets (``targets``) are monthly, per rep
(``rep_id``) or per team (``team``).
"""

from __future__ import annotations

import datetime

import narwhals as nw
import numpy as np
import pandas as pd

from kit.errors import ParameterError, did_you_mean
from kit.kpis._common import (
    _num, aggregate, as_list, as_ts, collect, columns, empty_result, flag, group_keys,
    is_month_end, lazy, merge_results, ratio, resolve_as_of, safe_div, sort_rows, window,
)
from kit.kpis._sales import sales_by, won_deals_by
from kit.kpis.funnel import win_rate
from kit.orders import return_line, signed_cost, split_orders
from kit.registry import kpi

#: ``by`` values a target can be compared with: the company, a rep, a team.
TARGET_LEVELS = (None, "rep_id", "team")
#: ``freq`` values a monthly target can be summed to.
TARGET_FREQS = (None, "M", "Q", "Y")
_PANDAS_FREQ = {"M": "M", "Q": "Q", "Y": "Y"}
#: Stands for "no purchase yet" in the running latest purchase of recurring_revenue.
_BEFORE_ANY_DATA = datetime.datetime(1900, 1, 1)


# --------------------------------------------------------------------------- helpers


def _check_target_options(kpi_name: str, by, freq) -> None:
    if by not in TARGET_LEVELS:
        raise ParameterError(
            f"{kpi_name}: by={by!r} is not allowed, because targets are set per rep or per team; "
            f"allowed values: None (whole company), 'rep_id', 'team'."
            f"{did_you_mean(str(by), ['rep_id', 'team'])} "
            "For another breakdown use kit.compute(ds, 'revenue', by=...)."
        )
    if freq not in TARGET_FREQS:
        raise ParameterError(
            f"{kpi_name}: freq={freq!r} is not allowed, because targets are monthly; allowed values: "
            "None, 'M', 'Q', 'Y'. Use freq='M' for monthly attainment."
        )


def _targets_by(targets, column: str, by, freq, start=None, end=None) -> pd.DataFrame:
    """Sum the monthly ``column`` of ``targets`` per ``by`` (None, rep_id, team) and period.

    Rep rows have a ``rep_id``; team rows have a ``team`` and no ``rep_id``. For
    ``by="rep_id"`` rep rows are used. For ``by="team"`` or ``None``, team rows are
    used when the table has any, otherwise rep rows (summed per their ``team``).
    Returns the keys and ``target`` (missing when every target of the key is missing).
    """
    t = lazy(targets, "targets", needs=["period", column])
    cols = columns(t)
    if by == "rep_id" and "rep_id" not in cols:
        raise ParameterError(
            f"by='rep_id' needs targets per rep, but table 'targets' has no 'rep_id' column; "
            f"available columns: {cols}. Use by='team' or by=None."
        )
    is_rep = ~nw.col("rep_id").is_null() if "rep_id" in cols else nw.lit(False)
    if by == "rep_id":
        t = t.filter(is_rep)
    else:
        team_rows = t.filter(~is_rep & ~nw.col("team").is_null()) if "team" in cols else None
        n_team = 0 if team_rows is None else collect(team_rows.select(nw.len().alias("n")))["n"].iloc[0]
        if n_team:
            t = team_rows
        else:
            t = t.filter(is_rep)
        if by == "team" and "team" not in cols:
            raise ParameterError(
                f"by='team' needs a 'team' column in table 'targets' (set on team rows, or added "
                f"from reps at load); available columns: {cols}. "
                "Load reps with the dataset or use by='rep_id'."
            )
    t = window(t, "period", start, end)
    keys, t = group_keys(t, by, freq, "period")
    out = collect(aggregate(t, keys, [nw.col(column).sum().alias("target"),
                                      nw.col(column).count().alias("_n_target")]), keys)
    out["target"] = _num(out["target"]).where(_num(out["_n_target"]).fillna(0) > 0)
    return out.drop(columns="_n_target")


def _revenue_by(orders, by, freq, start=None, end=None, *, name="revenue") -> pd.DataFrame:
    f = lazy(orders, "orders", needs=["ordered_at", "amount"])
    f = window(f, "ordered_at", start, end)
    keys, f = group_keys(f, by, freq, "ordered_at")
    out = collect(aggregate(f, keys, [nw.col("amount").sum().alias(name)]), keys)
    out[name] = _num(out[name]).fillna(0.0)
    return out


# --------------------------------------------------------------------------- KPIs


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
def average_won_deal(opportunities, *, by=None, freq=None, start=None, end=None):
    """Mean amount of won opportunities.

    Won opportunities without an ``amount`` are left out of the mean and counted in
    ``won_without_amount``.

    Parameters
    ----------
    opportunities : DataFrame-like
        Needs ``status``, ``closed_at`` and ``amount``.
    by : str or list of str, optional
        Columns to break down by (``rep_id``, ``team``...); nulls form their own group.
    freq : {None, "W", "M", "Q", "Y"}
        Adds a ``period`` column: the start of the period of ``closed_at``.
    start, end : date-like, optional
        Keep opportunities closed in ``[start, end)``.

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
def revenue(orders, *, by=None, freq=None, start=None, end=None):
    """Revenue net of returns: the sum of ``orders.amount``, each line at its own date.

    A return line (negative ``amount``, see ``docs/data-contract.md``) lowers the
    revenue of the period of its own date, not of the order it gives back.

    Parameters
    ----------
    orders : DataFrame-like
        Needs ``order_id``, ``ordered_at`` and ``amount``.
    by : str or list of str, optional
        Columns to break down by (``rep_id``, ``team``, ``product_category``...).
    freq : {None, "W", "M", "Q", "Y"}
        Adds a ``period`` column: the start of the period of ``ordered_at``.
    start, end : date-like, optional
        Keep orders placed in ``[start, end)``.

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
    _check_target_options("revenue_vs_target", by, freq)
    keys = as_list(by) + (["period"] if freq else [])
    rev = _revenue_by(orders, by, freq, start, end)
    tgt = _targets_by(targets, "revenue_target", by, freq, start, end)
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
    out = _revenue_by(orders, by, freq, start, end, name="numerator")
    keys = as_list(by) + (["period"] if freq else [])
    if freq:
        out["denominator"] = out.groupby("period", dropna=False)["numerator"].transform("sum")
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
    monthly = _revenue_by(f, by, "M")
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
    per_month = (full.groupby(keys + ["month"], dropna=False)["revenue"]
                 .agg(numerator="mean", n_months="size").reset_index())
    overall = full.groupby(keys, dropna=False)["revenue"].mean() if keys else full["revenue"].mean()
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


@kpi(
    name="gross_margin", family="revenue",
    needs={"orders": ("ordered_at", "amount", "cost")},
    label={"en": "Gross margin", "fr": "Marge commerciale"},
    definition={
        "en": "Sum of amount minus cost of the order lines whose cost is known, net of returns (a return "
              "line gives back its amount and its cost), each line at its own date, with the margin "
              "rate (margin / revenue) and the margin target when targets are given.",
        "fr": "Somme du montant moins le coût des lignes de commande dont le coût est connu, nette des "
              "retours (une ligne de retour rend son montant et son coût), chaque ligne à sa propre "
              "date, avec le taux de marge (marge / chiffre d'affaires) et l'objectif de marge quand "
              "les objectifs sont fournis.",
    },
    unit="currency", direction="higher", tables=("orders",), date="orders.ordered_at",
    optional_tables=("targets",), headline=True, seeds=("002", "003"),
    columns={"revenue": ("currency", "revenue"), "margin_target": ("currency", "target"),
             "gap": ("currency", "gap"), "revenue_without_cost": ("currency", "revenue_without_cost")},
    target=("gross_margin", "margin_target"),
)
def gross_margin(orders, *, by=None, freq=None, start=None, end=None, targets=None):
    """Gross margin: sum of ``amount - cost``, the margin rate and the margin target.

    Lines without a ``cost`` have an unknown margin: they are left out of ``value``
    and ``revenue`` (so the rate compares like with like) and counted in
    ``lines_without_cost`` and ``revenue_without_cost``.

    Net of returns, each line at its own date: a return line (negative ``amount``)
    gives back its amount and its cost, whether the source writes that cost
    positive or negative (:func:`kit.orders.signed_cost`).

    Parameters
    ----------
    orders : DataFrame-like
        Needs ``ordered_at``, ``amount`` and ``cost``.
    by : str or list of str, optional
        Columns to break down by; nulls form their own group.
    freq : {None, "W", "M", "Q", "Y"}
        Adds a ``period`` column: the start of the period of ``ordered_at``.
    start, end : date-like, optional
        Keep orders placed (and target months) in ``[start, end)``.
    targets : DataFrame-like, optional
        With a ``margin_target`` column; compared when ``by`` is None, "rep_id" or
        "team" and ``freq`` is not "W" (targets are monthly per rep or team). With
        another breakdown the targets are not used and no target columns are added.

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value`` (margin), ``revenue``, ``margin_rate``
        (missing when revenue is 0), ``lines_without_cost``, ``revenue_without_cost``,
        ``gross_sales`` and ``returns`` (the costed lines' revenue before returns and
        the amount returned: ``revenue = gross_sales - returns``);
        with targets also ``margin_target``, ``gap`` (margin - target) and
        ``attainment`` (margin / target, missing for a zero or missing target).

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"amount": [100.0, 200.0, 50.0], "cost": [60.0, 120.0, None],
    ...                        "ordered_at": pd.to_datetime(["2026-01-05", "2026-01-06", "2026-01-07"])})
    >>> gross_margin(orders)[["value", "revenue", "margin_rate", "lines_without_cost"]].to_dict("records")
    [{'value': 120.0, 'revenue': 300.0, 'margin_rate': 0.4, 'lines_without_cost': 1}]
    """
    f = lazy(orders, "orders", needs=["ordered_at", "amount", "cost"])
    f = window(f.with_columns(_return_line=return_line(columns(f))), "ordered_at", start, end)
    costed = ~nw.col("cost").is_null() & ~nw.col("amount").is_null()
    ret = nw.col("_return_line") == 1
    f = f.with_columns(
        _margin=nw.when(costed).then(nw.col("amount") - signed_cost()).otherwise(nw.lit(0.0)),
        _rev=nw.when(costed).then(nw.col("amount")).otherwise(nw.lit(0.0)),
        _gross=nw.when(costed & ~ret).then(nw.col("amount")).otherwise(nw.lit(0.0)),
        _ret=nw.when(costed & ret).then(-nw.col("amount")).otherwise(nw.lit(0.0)),
        _rev_nc=nw.when(costed).then(nw.lit(0.0)).otherwise(nw.col("amount")),
        _nc=flag(~costed),
    )
    keys, f = group_keys(f, by, freq, "ordered_at")
    out = collect(aggregate(f, keys, [nw.col("_margin").sum().alias("value"),
                                      nw.col("_rev").sum().alias("revenue"),
                                      nw.col("_nc").sum().alias("lines_without_cost"),
                                      nw.col("_rev_nc").sum().alias("revenue_without_cost"),
                                      nw.col("_gross").sum().alias("gross_sales"),
                                      nw.col("_ret").sum().alias("returns")]), keys)
    money = ("value", "revenue", "revenue_without_cost", "gross_sales", "returns")
    for c in money:
        out[c] = _num(out[c]).fillna(0.0) + 0.0
    out["lines_without_cost"] = _num(out["lines_without_cost"]).fillna(0).astype("int64")
    cols = keys + ["value", "revenue", "margin_rate", "lines_without_cost", "revenue_without_cost",
                   "gross_sales", "returns"]
    use_targets = (targets is not None and by in TARGET_LEVELS and freq in TARGET_FREQS
                   and "margin_target" in columns(lazy(targets, "targets")))
    if use_targets:
        tgt = _targets_by(targets, "margin_target", by, freq, start, end).rename(
            columns={"target": "margin_target"})
        out = merge_results(out, tgt, keys)
        for c in money:
            out[c] = _num(out[c]).fillna(0.0)
        out["lines_without_cost"] = _num(out["lines_without_cost"]).fillna(0).astype("int64")
        out["gap"] = out["value"] - out["margin_target"]
        out["attainment"] = safe_div(out["value"], out["margin_target"])
        cols += ["margin_target", "gap", "attainment"]
    out["margin_rate"] = safe_div(out["value"], out["revenue"])
    return sort_rows(out[cols], keys)


@kpi(
    name="average_basket", family="revenue",
    needs={"orders": ("order_id", "ordered_at", "amount")},
    label={"en": "Average basket", "fr": "Panier moyen"},
    definition={
        "en": "Amount of the purchase orders divided by their number; returns (credit notes) are not "
              "orders.",
        "fr": "Montant des commandes d'achat divisé par leur nombre ; les retours (avoirs) ne sont pas "
              "des commandes.",
    },
    unit="currency", direction="higher", tables=("orders",), date="orders.ordered_at",
    headline=True, seeds=("002",),
    columns={"numerator": ("currency", "revenue"), "denominator": ("count", "orders")},
)
def average_basket(orders, *, by=None, freq=None, start=None, end=None):
    """Average basket: amount of the purchase orders / number of purchase orders.

    Return orders (credit notes, see ``docs/data-contract.md``) are neither in the
    amount nor in the count; a return line inside a purchase order lowers that
    order's amount.

    Parameters
    ----------
    orders : DataFrame-like
        Needs ``order_id``, ``ordered_at`` and ``amount``.
    by : str or list of str, optional
        Columns to break down by (with ``by="product_id"`` an order holding two
        products counts once in each).
    freq : {None, "W", "M", "Q", "Y"}
        Adds a ``period`` column: the start of the period of ``ordered_at``.
    start, end : date-like, optional
        Keep orders placed in ``[start, end)``.

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value``, ``numerator`` (amount of the
        purchase orders), ``denominator`` (purchase orders), ``n_returns`` (return
        orders left out).

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"order_id": ["A", "A", "B", "R"], "amount": [100.0, 50.0, 90.0, -90.0],
    ...                        "ordered_at": pd.to_datetime(["2026-01-05", "2026-01-05", "2026-01-07",
    ...                                                      "2026-01-09"])})
    >>> average_basket(orders)[["value", "numerator", "denominator", "n_returns"]].to_dict("records")
    [{'value': 120.0, 'numerator': 240.0, 'denominator': 2.0, 'n_returns': 1}]
    """
    keys, out = sales_by(orders, by, freq, start, end)
    out = out.rename(columns={"purchase_amount": "numerator", "n_orders": "denominator"})
    return ratio(out[keys + ["numerator", "denominator", "n_returns"]], keys)


@kpi(
    name="deals_needed", family="revenue",
    needs={"orders": ("ordered_at", "amount"),
           "targets": ("period", "revenue_target"),
           "opportunities": ("status", "closed_at", "amount")},
    label={"en": "Deals needed to reach target", "fr": "Affaires nécessaires pour atteindre l'objectif"},
    definition={
        "en": "Remaining target of the current period divided by the average won deal, and the "
              "opportunities needed at the recent win rate.",
        "fr": "Objectif restant de la période en cours divisé par le montant moyen d'une affaire gagnée, "
              "et les opportunités nécessaires au taux de réussite récent.",
    },
    unit="count", direction="lower", tables=("orders", "targets", "opportunities"),
    date="orders.ordered_at", headline=False, seeds=("003",),
    columns={"opportunities_needed": ("count", "opportunities_needed"),
             "target": ("currency", "target"), "revenue": ("currency", "revenue"),
             "remaining": ("currency", "remaining"),
             "average_won_deal": ("currency", "average_won_deal"), "win_rate": ("ratio", "win_rate")},
    dropped=("period", "won_deals", "closed_deals"),
)
def deals_needed(orders, targets, opportunities, *, by=None, freq="M", as_of=None, history=12):
    """Deals (and opportunities) still needed to reach the revenue target of the current period.

    The current period is the month (quarter, year) holding ``as_of``. Remaining
    target = target of the period - revenue ordered from its start up to ``as_of``
    (never below 0). Deals needed = remaining / average won deal, opportunities
    needed = deals / win rate, both over the ``history`` months before ``as_of``, and
    rounded up (a fraction of a deal still has to be signed).

    Parameters
    ----------
    orders : DataFrame-like
        Needs ``ordered_at``, ``amount`` and the ``by`` column.
    targets : DataFrame-like
        Needs ``period`` and ``revenue_target``; ``rep_id`` and/or ``team``.
    opportunities : DataFrame-like
        Needs ``status``, ``closed_at``, ``amount`` and the ``by`` column.
    by : {None, "rep_id", "team"}
        Level of the target.
    freq : {"M", "Q", "Y"}
        Length of the target period.
    as_of : date-like, optional
        Today for the computation; default the latest order or close date.
    history : int
        Months of closed deals used for the average won deal and the win rate.

    Returns
    -------
    DataFrame
        ``by`` columns, ``period`` (start of the current period), ``value`` (deals
        needed; 0 once the target is reached; missing without a target or without a
        won deal in the history), ``opportunities_needed`` (missing when the win
        rate is 0), ``target``, ``revenue``, ``remaining``, ``average_won_deal``,
        ``win_rate``, ``won_deals``, ``closed_deals``.

    Raises
    ------
    ParameterError
        For ``by`` outside None, "rep_id", "team", ``freq`` outside M, Q, Y or a
        ``history`` that is not a positive whole number of months.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"amount": [3000.0], "ordered_at": pd.to_datetime(["2026-03-04"])})
    >>> targets = pd.DataFrame({"period": pd.to_datetime(["2026-03-01"]), "team": ["Nord"],
    ...                         "revenue_target": [10000.0]})
    >>> opps = pd.DataFrame({"status": ["won", "won", "lost"], "amount": [2000.0, 1000.0, 900.0],
    ...                      "closed_at": pd.to_datetime(["2026-01-05", "2026-02-10", "2026-02-20"])})
    >>> out = deals_needed(orders, targets, opps, as_of="2026-03-10")
    >>> out[["remaining", "average_won_deal", "value", "opportunities_needed"]].to_dict("records")
    [{'remaining': 7000.0, 'average_won_deal': 1500.0, 'value': 5.0, 'opportunities_needed': 7.0}]
    """
    _check_target_options("deals_needed", by, freq)
    if freq is None:
        raise ParameterError(
            "deals_needed: freq=None is not allowed; the remaining target is that of the current "
            "period. Allowed values: 'M', 'Q', 'Y'."
        )
    if isinstance(history, bool) or not isinstance(history, (int, np.integer)) or history < 1:
        raise ParameterError(
            f"deals_needed: history={history!r} is not allowed; it is the number of months of closed "
            "deals used for the average deal and the win rate, a whole number >= 1 (default 12)."
        )
    keys = as_list(by)
    as_of = resolve_as_of(as_of, (orders, "ordered_at"), (opportunities, "closed_at"))
    cols = keys + ["period", "value", "opportunities_needed", "target", "revenue", "remaining",
                   "average_won_deal", "win_rate", "won_deals", "closed_deals"]
    if as_of is None:
        return empty_result(keys, cols[len(keys):])
    as_of = pd.Timestamp(as_of)
    p_start = pd.Timestamp(as_of).to_period(_PANDAS_FREQ[freq]).start_time
    p_end = (pd.Timestamp(as_of).to_period(_PANDAS_FREQ[freq]) + 1).start_time
    upto = as_of + pd.Timedelta(microseconds=1)  # as_of itself is included
    since = as_of - pd.DateOffset(months=int(history))
    rev = _revenue_by(orders, by, None, p_start, upto)
    tgt = _targets_by(targets, "revenue_target", by, None, p_start, p_end)
    out = merge_results(rev, tgt, keys)
    awd = average_won_deal(opportunities, by=by, start=since, end=upto)
    awd = awd[keys + ["value", "denominator"]].rename(
        columns={"value": "average_won_deal", "denominator": "won_deals"})
    wr = win_rate(opportunities, by=by, start=since, end=upto)
    wr = wr[keys + ["value", "denominator"]].rename(columns={"value": "win_rate",
                                                            "denominator": "closed_deals"})
    out = merge_results(out, awd, keys, how="left")
    out = merge_results(out, wr, keys, how="left")
    out["revenue"] = _num(out["revenue"]).fillna(0.0)
    out["target"] = _num(out["target"])
    out["remaining"] = (out["target"] - out["revenue"]).clip(lower=0.0)
    avg, rate = _num(out["average_won_deal"]), _num(out["win_rate"])
    exact = safe_div(out["remaining"], avg.where(avg > 0))
    reached = out["remaining"] == 0
    out["value"] = np.ceil(exact.where(~reached, 0.0) - 1e-9)
    opp = safe_div(exact, rate.where(rate > 0))
    out["opportunities_needed"] = np.ceil(opp.where(~reached, 0.0) - 1e-9)
    out["value"] = out["value"].clip(lower=0.0) + 0.0  # + 0.0 turns -0.0 into 0.0
    out["opportunities_needed"] = out["opportunities_needed"].clip(lower=0.0) + 0.0
    for c in ("won_deals", "closed_deals"):
        out[c] = _num(out[c]).fillna(0.0)
    out["period"] = pd.Timestamp(p_start)
    out["period"] = out["period"].astype("datetime64[ns]")
    return sort_rows(out[cols], keys)


@kpi(
    name="recurring_revenue", family="revenue",
    needs={"orders": ("ordered_at", "customer_id", "amount")},
    label={"en": "Recurring revenue share", "fr": "Part du chiffre d'affaires récurrent"},
    definition={
        "en": "Share of revenue (net of returns) from customers who had already placed another purchase "
              "order in the 12 months before the order; returns are not purchases, and a return counts "
              "as the latest purchase before it.",
        "fr": "Part du chiffre d'affaires (net des retours) réalisée avec des clients qui avaient déjà "
              "passé une autre commande d'achat dans les 12 mois précédant la commande ; les retours ne "
              "sont pas des achats, et un retour compte comme le dernier achat qui le précède.",
    },
    unit="ratio", direction="higher", tables=("orders",), date="orders.ordered_at",
    headline=False, seeds=("003",),
)
def recurring_revenue(orders, *, by=None, freq=None, start=None, end=None, lookback=12):
    """Recurring revenue: revenue of customers who also bought in the previous ``lookback`` months.

    Orders are compared, not lines: an order starts at its first line. An order
    line is recurring when its customer has another *purchase* order (see
    ``docs/data-contract.md``: returns are not purchases) that starts strictly
    before the line's order, at most ``lookback`` months before it; lines of the
    same order, even stamped minutes apart, never make each other recurring.
    A return order (credit note) is recurring when the customer's latest purchase
    order before it was (the purchase it most likely gives back), so returning a
    first purchase never lowers the recurring revenue. Amounts are net: the share
    is of revenue net of returns. Earlier orders before ``start`` are looked at too.

    Parameters
    ----------
    orders : DataFrame-like
        Needs ``ordered_at``, ``customer_id`` and ``amount``; ``order_id`` groups
        lines into orders (without it, the lines of a customer at one time are one
        order).
    by : str or list of str, optional
        Columns to break down by.
    freq : {None, "W", "M", "Q", "Y"}
        Adds a ``period`` column: the start of the period of ``ordered_at``.
    start, end : date-like, optional
        Keep order lines placed in ``[start, end)``.
    lookback : int
        Months before an order in which an earlier purchase makes it recurring.

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value`` (share of revenue that is recurring),
        ``numerator`` (recurring revenue), ``denominator`` (revenue),
        ``history_complete`` (False when the data does not reach ``lookback`` months
        before the period: the share is then underestimated).

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"customer_id": ["C1", "C1", "C2"], "amount": [100.0, 300.0, 100.0],
    ...                        "ordered_at": pd.to_datetime(["2025-03-01", "2026-02-01", "2026-02-03"])})
    >>> out = recurring_revenue(orders, start="2026-01-01")
    >>> out[["value", "numerator", "denominator"]].to_dict("records")
    [{'value': 0.75, 'numerator': 300.0, 'denominator': 400.0}]
    """
    if isinstance(lookback, bool) or not isinstance(lookback, (int, np.integer)) or lookback < 1:
        raise ParameterError(
            f"recurring_revenue: lookback={lookback!r} is not allowed; it is a whole number of months "
            ">= 1 (default 12)."
        )
    f = lazy(orders, "orders", needs=["ordered_at", "customer_id", "amount"])
    first = collect(f.select(nw.col("ordered_at").min().alias("m")))["m"].iloc[0]
    group_keys(f, by, freq, "ordered_at")  # checks by and freq on the table's own columns
    f = split_orders(f, keep=["ordered_at", "customer_id", "amount"] + as_list(by))
    # one row per customer, order start and kind; the latest purchase start strictly
    # before each: a running max of the purchases' starts (returns count as a time
    # before any data), taken from the previous row (returns sort before purchases
    # at the same time, so a purchase never precedes itself)
    moments = (f.filter(~nw.col("customer_id").is_null() & ~nw.col("_order_start").is_null())
               .select("customer_id", "_order_start", "_purchase").unique()
               .with_columns(_pstart=nw.when(nw.col("_purchase") == 1).then(nw.col("_order_start"))
                             .otherwise(nw.lit(_BEFORE_ANY_DATA))))
    order = ["_order_start", "_purchase"]
    none = nw.lit(_BEFORE_ANY_DATA)

    def previous(col, out):  # latest value of `col` over the customer's earlier rows
        running = nw.col(col).cum_max().over("customer_id", order_by=order)
        return lambda m: m.with_columns(_run=running).with_columns(
            nw.col("_run").shift(1).over("customer_id", order_by=order).alias(out)).drop("_run")

    moments = previous("_pstart", "_prev")(moments)
    known = ~nw.col("_prev").is_null() & (nw.col("_prev") > none)
    moments = moments.with_columns(_rec_p=flag(
        (nw.col("_purchase") == 1) & known
        & (nw.col("_prev") >= nw.col("_order_start").dt.offset_by(f"-{int(lookback)}mo"))))
    # a return follows the purchase it most likely gives back: the latest one before it
    moments = moments.with_columns(_rstart=nw.when(nw.col("_rec_p") == 1).then(nw.col("_order_start"))
                                   .otherwise(none))
    moments = previous("_rstart", "_prev_rec")(moments)
    moments = moments.with_columns(_rec_o=nw.when(nw.col("_purchase") == 1).then(nw.col("_rec_p"))
                                   .otherwise(flag(known & (nw.col("_prev_rec") == nw.col("_prev")))))
    f = f.join(moments.select("customer_id", "_order_start", "_purchase", "_rec_o"),
               on=["customer_id", "_order_start", "_purchase"], how="left")
    recurring = nw.col("_rec_o") == 1
    f = f.with_columns(_rec=nw.when(recurring).then(nw.col("amount")).otherwise(nw.lit(0.0)))
    f = window(f, "ordered_at", start, end)
    keys, f = group_keys(f, by, freq, "ordered_at")
    out = collect(aggregate(f, keys, [nw.col("_rec").sum().alias("numerator"),
                                      nw.col("amount").sum().alias("denominator"),
                                      nw.col("ordered_at").min().alias("_first")]), keys)
    out = ratio(out, keys)
    if pd.isna(first):
        out["history_complete"] = pd.Series(False, index=out.index, dtype=bool)
    else:
        ref = out["period"] if freq else pd.Series(
            as_ts(start) if start is not None else pd.to_datetime(out["_first"]), index=out.index)
        ref = pd.to_datetime(ref)
        out["history_complete"] = (ref - pd.DateOffset(months=int(lookback))) >= pd.Timestamp(first)
    return out[keys + ["value", "numerator", "denominator", "history_complete"]]


__all__ = [
    "average_won_deal", "revenue", "revenue_vs_target", "revenue_share", "seasonality_index",
    "gross_margin", "average_basket", "deals_needed", "recurring_revenue",
]
