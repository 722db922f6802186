"""Sales per group and period, the building blocks of the order and deal KPIs.

:func:`sales_by` sums order lines, every line read at its own date
(``orders.ordered_at``), with the purchase/return split of the data contract
(:func:`kit.orders.split_orders`); :func:`revenue_by` only sums the amounts, for the
KPIs that compare revenue with a target, a total or a mean month. :func:`won_deals_by`
averages the amounts of won opportunities: the average won deal, which the revenue
and funnel KPIs share.
"""

from __future__ import annotations

import datetime as _dt

import narwhals as nw
import pandas as pd

from kit.kpis._common import (_num, aggregate, as_list, as_ts, collect, group_keys, lazy, ratio,
                              window)
from kit.orders import order_keys, signed_cost, split_orders

#: How far apart the lines of one order may be for a windowed split to see them all.
ORDER_SPAN = _dt.timedelta(days=1)

#: Columns of :func:`sales_by` besides the keys.
SALES_COLUMNS = ("value", "gross_sales", "returns", "purchase_amount", "n_orders", "n_returns")


def split_window(f: nw.LazyFrame, start=None, end=None, keep=None) -> nw.LazyFrame:
    """:func:`kit.orders.split_orders` of the lines of ``[start, end)`` (on ``ordered_at``).

    The split reads the lines up to :data:`ORDER_SPAN` around the window (an order
    is judged on all its lines), then the window is applied: far less work than
    splitting the whole table when the window is a month of years of orders.

    Examples
    --------
    >>> import pandas as pd
    >>> lines = pd.DataFrame({"order_id": ["A", "A", "B"], "amount": [100.0, -150.0, 80.0],
    ...     "ordered_at": pd.to_datetime(["2026-01-31 23:59:00", "2026-02-01 00:01:00", "2026-02-03 09:00:00"])})
    >>> out = split_window(lazy(lines, "orders"), start="2026-02-01").collect().to_pandas()
    >>> out[["order_id", "_return_line", "_purchase"]].to_dict("records")
    [{'order_id': 'A', '_return_line': 1, '_purchase': 0}, {'order_id': 'B', '_return_line': 0, '_purchase': 1}]
    """
    s, e = as_ts(start), as_ts(end)
    wide = window(f, "ordered_at", None if s is None else s - ORDER_SPAN, None if e is None else e + ORDER_SPAN)
    return window(split_orders(wide, keep=keep), "ordered_at", s, e)


def sales_by(orders, by=None, freq=None, start=None, end=None, *, costed_only=False):
    """Net revenue, gross sales, returns and orders per ``by`` group and period.

    Parameters
    ----------
    orders : DataFrame-like
        Needs ``order_id``, ``ordered_at`` and ``amount`` (and ``cost`` with
        ``costed_only``).
    by, freq, start, end
        As for :func:`kit.kpis.revenue.revenue`.
    costed_only : bool
        Keep only lines with a known ``cost`` and add ``margin`` (``amount`` minus
        the cost signed like the amount, see :func:`kit.orders.signed_cost`).

    Returns
    -------
    (list, DataFrame)
        The keys, and per key: ``value`` (net revenue, the sum of ``amount``),
        ``gross_sales`` (lines that are not return lines), ``returns`` (minus the
        sum of the return lines: positive), ``purchase_amount`` (net amount of the
        lines of purchase orders), ``n_orders`` (purchase orders), ``n_returns``
        (return orders); with ``costed_only`` also ``margin``. An order with lines
        in two groups or periods counts in each.

    Examples
    --------
    >>> import pandas as pd
    >>> lines = pd.DataFrame({"order_id": ["A", "A", "R"], "amount": [100.0, 50.0, -50.0],
    ...                       "ordered_at": pd.to_datetime(["2026-01-05", "2026-01-05", "2026-01-09"])})
    >>> keys, out = sales_by(lines)
    >>> out.to_dict("records")
    [{'value': 100.0, 'gross_sales': 150.0, 'returns': 50.0, 'purchase_amount': 150.0, 'n_orders': 1, 'n_returns': 1}]
    """
    needs = ["order_id", "ordered_at", "amount"] + (["cost"] if costed_only else [])
    f = lazy(orders, "orders", needs=needs)
    group_keys(f, by, freq, "ordered_at")  # checks by and freq on the table's own columns
    f = split_window(f, start, end, keep=needs + as_list(by))
    if costed_only:
        f = f.filter(~nw.col("cost").is_null() & ~nw.col("amount").is_null())
    keys, f = group_keys(f, by, freq, "ordered_at")
    ret = nw.col("_return_line") == 1
    extra = {"_margin": nw.col("amount") - signed_cost()} if costed_only else {}
    f = f.with_columns(
        _sale=nw.when(ret).then(nw.lit(0.0)).otherwise(nw.col("amount")),
        _ret=nw.when(ret).then(-nw.col("amount")).otherwise(nw.lit(0.0)),
        _pamount=nw.when(nw.col("_purchase") == 1).then(nw.col("amount")).otherwise(nw.lit(0.0)),
        **extra,
    )
    sums = ["amount", "_sale", "_ret", "_pamount"] + list(extra)
    ids = [k for k in order_keys(["order_id"]) if k not in keys]  # by="order_id": one key, not two
    per_order = f.group_by(*keys, *ids, drop_null_keys=False).agg(
        *[nw.col(c).sum() for c in sums], nw.col("_purchase").min())
    out = collect(aggregate(per_order, keys, [
        nw.col("amount").sum().alias("value"), nw.col("_sale").sum().alias("gross_sales"),
        nw.col("_ret").sum().alias("returns"), nw.col("_pamount").sum().alias("purchase_amount"),
        *([nw.col("_margin").sum().alias("margin")] if costed_only else []),
        nw.col("_purchase").sum().alias("n_orders"), nw.len().alias("_n")]), keys)
    for c in ("value", "gross_sales", "returns", "purchase_amount") + (("margin",) if costed_only else ()):
        out[c] = _num(out[c]).fillna(0.0) + 0.0  # + 0.0 turns -0.0 into 0.0
    n = _num(out["_n"]).fillna(0)
    out["n_orders"] = _num(out["n_orders"]).fillna(0).astype("int64")
    out["n_returns"] = (n - out["n_orders"]).astype("int64")
    cols = list(SALES_COLUMNS) + (["margin"] if costed_only else [])
    return keys, out[keys + cols]


def revenue_by(orders, by=None, freq=None, start=None, end=None, *, name="revenue") -> pd.DataFrame:
    """The sum of ``orders.amount`` (net of returns) in ``[start, end)`` per ``by`` group and period.

    Parameters
    ----------
    orders : DataFrame-like
        Needs ``ordered_at`` and ``amount``.
    by, freq, start, end
        As for :func:`kit.kpis.revenue.revenue`.
    name : str
        Name of the column of sums (0 where a group has no amount).

    Returns
    -------
    DataFrame
        The keys (``by`` columns, ``period``) and ``name``.

    Examples
    --------
    >>> import pandas as pd
    >>> lines = pd.DataFrame({"amount": [100.0, 50.0, -30.0],
    ...                       "ordered_at": pd.to_datetime(["2026-01-05", "2026-02-01", "2026-02-09"])})
    >>> revenue_by(lines, freq="M")["revenue"].tolist()
    [100.0, 20.0]
    """
    f = lazy(orders, "orders", needs=["ordered_at", "amount"])
    f = window(f, "ordered_at", start, end)
    keys, f = group_keys(f, by, freq, "ordered_at")
    out = collect(aggregate(f, keys, [nw.col("amount").sum().alias(name)]), keys)
    out[name] = _num(out[name]).fillna(0.0)
    return out


def won_deals_by(opportunities, by=None, freq=None, start=None, end=None):
    """Mean amount of the opportunities won in ``[start, end)``, per ``by`` group and period.

    The body of :func:`kit.kpis.revenue.average_won_deal`, also a factor of
    :func:`kit.kpis.funnel_time.pipeline_velocity`. Won opportunities without an
    ``amount`` are left out of the mean and counted in ``won_without_amount``.

    Examples
    --------
    >>> import pandas as pd
    >>> opps = pd.DataFrame({"status": ["won", "won", "won", "lost"], "amount": [1000.0, 3000.0, None, 500.0],
    ...                      "closed_at": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-01-21", "2026-01-09"])})
    >>> won_deals_by(opps)[["value", "numerator", "denominator", "won_without_amount"]].to_dict("records")
    [{'value': 2000.0, 'numerator': 4000.0, 'denominator': 2.0, 'won_without_amount': 1.0}]
    """
    f = lazy(opportunities, "opportunities", needs=["status", "closed_at", "amount"])
    f = f.filter(nw.col("status") == "won")
    f = window(f, "closed_at", start, end)
    keys, f = group_keys(f, by, freq, "closed_at")
    out = collect(aggregate(f, keys, [nw.col("amount").sum().alias("numerator"),
                                      nw.col("amount").count().alias("denominator"),
                                      nw.len().alias("_n")]), keys)
    out["won_without_amount"] = (_num(out["_n"]).fillna(0) - _num(out["denominator"]).fillna(0))
    return ratio(out.drop(columns="_n"), keys)


__all__ = ["ORDER_SPAN", "SALES_COLUMNS", "revenue_by", "sales_by", "split_window", "won_deals_by"]
