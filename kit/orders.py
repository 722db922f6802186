"""Purchases and returns: the one rule of the data contract that says which order is which.

The rule (``docs/data-contract.md``, table ``orders``):

* a **return line** is an order line whose ``amount`` is negative, or a line the
  source flags as a return (``is_return`` true, or ``status`` cancelled / canceled /
  returned) — :func:`return_line`, decided on the line alone;
* a **return order** (a credit note) is an order with a flagged line, or
  whose net amount (the sum of its lines) is zero or negative while it holds a
  return line: it is not a purchase;
* every other order is a **purchase order**; its first line (earliest
  ``ordered_at``) dates it.

An order is the set of lines sharing an ``order_id``; a table without ``order_id``
treats the lines of one customer at one time as one order. Every KPI that counts
orders, customers' purchases or returns reads this split from :func:`split_orders`,
and ``kit check`` counts it with :func:`return_counts`. The module depends on
narwhals only, so the loader and the KPIs (pandas, polars, DuckDB...) share it.

Examples
--------
>>> import pandas as pd
>>> lines = pd.DataFrame({"order_id": ["A", "A", "R"], "amount": [100.0, 50.0, -50.0],
...                       "ordered_at": pd.to_datetime(["2026-01-05", "2026-01-05", "2026-01-09"])})
>>> out = split_orders(lines).collect().to_pandas()
>>> out[["order_id", "_return_line", "_purchase"]].to_dict("records")
[{'order_id': 'A', '_return_line': 0, '_purchase': 1}, {'order_id': 'A', '_return_line': 0, '_purchase': 1},
 {'order_id': 'R', '_return_line': 1, '_purchase': 0}]
"""

from __future__ import annotations

import narwhals as nw
import pandas as pd

from kit.contract import RETURN_STATUSES

#: Columns :func:`split_orders` adds to the order lines.
SPLIT_COLUMNS = ("_return_line", "_purchase", "_order_start")
#: Columns the split reads when present.
SPLIT_INPUTS = ("order_id", "customer_id", "ordered_at", "amount", "is_return", "status")


def _lazy(native) -> nw.LazyFrame:
    f = native if isinstance(native, (nw.LazyFrame, nw.DataFrame)) else nw.from_native(native)
    return f.lazy() if isinstance(f, nw.DataFrame) else f


def _flag(expr) -> nw.Expr:
    return nw.when(expr).then(nw.lit(1)).otherwise(nw.lit(0)).cast(nw.Int64)


def order_keys(cols) -> list[str]:
    """The columns that identify an order: ``order_id``, else ``customer_id`` and ``ordered_at``.

    Examples
    --------
    >>> order_keys(["order_id", "amount"]), order_keys(["customer_id", "ordered_at", "amount"])
    (['order_id'], ['customer_id', 'ordered_at'])
    """
    cols = list(cols)
    if "order_id" in cols:
        return ["order_id"]
    return [c for c in ("customer_id", "ordered_at") if c in cols]


def flagged_return(cols) -> nw.Expr:
    """1 when the source flags the line's order as a return (``is_return`` or ``status``), else 0.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"status": ["Cancelled", "shipped", None]})
    >>> _lazy(df).select(flagged_return(df.columns).alias("r")).collect()["r"].to_list()
    [1, 0, 0]
    """
    cols = list(cols)
    cond = None
    if "is_return" in cols:
        cond = nw.col("is_return") == nw.lit(True)
    if "status" in cols:
        by_status = nw.col("status").cast(nw.String).str.to_lowercase().is_in(list(RETURN_STATUSES))
        cond = by_status if cond is None else (cond | by_status)
    return nw.lit(0).cast(nw.Int64) if cond is None else _flag(cond)


def return_line(cols) -> nw.Expr:
    """1 for a return line (negative ``amount`` or flagged line), else 0: no order needed.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"amount": [10.0, -5.0, 3.0, None], "is_return": [False, False, True, None]})
    >>> _lazy(df).select(return_line(df.columns).alias("r")).collect()["r"].to_list()
    [0, 1, 1, 0]
    """
    cols = list(cols)
    cond = (nw.col("amount") < 0) if "amount" in cols else None
    if "is_return" in cols or "status" in cols:
        flagged = flagged_return(cols) == 1
        cond = flagged if cond is None else (cond | flagged)
    return nw.lit(0).cast(nw.Int64) if cond is None else _flag(cond)


def has_returns(orders) -> bool:
    """Whether ``orders`` holds a return line (one pass, no order needed).

    Examples
    --------
    >>> import pandas as pd
    >>> has_returns(pd.DataFrame({"amount": [10.0, -5.0]})), has_returns(pd.DataFrame({"amount": [1.0]}))
    (True, False)
    """
    f = _lazy(orders)
    r = f.select(return_line(f.collect_schema().names()).max().alias("r")).collect().to_pandas()["r"]
    return bool(len(r)) and not pd.isna(r.iloc[0]) and int(r.iloc[0]) == 1


def split_orders(orders, keep=None) -> nw.LazyFrame:
    """The order lines with the purchase/return split of the data contract.

    Adds ``_return_line`` (1 for a return line, else 0), ``_purchase`` (1 when the
    line belongs to a purchase order, 0 for a return order) and ``_order_start``
    (the time of the first line of the line's order). A line whose order key is
    missing is an order of its own.

    Parameters
    ----------
    orders : DataFrame-like or narwhals frame
        Order lines; ``amount``, ``order_id``, ``ordered_at``, ``is_return`` and
        ``status`` are used when present (without ``amount`` only the flags make
        returns).
    keep : list of str, optional
        Keep only these columns (and :data:`SPLIT_INPUTS`): less to carry on an
        eager engine such as pandas. Default: every column.

    Returns
    -------
    narwhals.LazyFrame
        The lines (same rows, any order) with the three columns added.

    Examples
    --------
    >>> import pandas as pd
    >>> lines = pd.DataFrame({"order_id": ["A", "A", "B"], "amount": [100.0, -30.0, 80.0],
    ...                       "ordered_at": pd.to_datetime(["2026-01-05 10:00", "2026-01-05 10:01",
    ...                                                     "2026-01-07 09:00"])})
    >>> out = split_orders(lines).collect().to_pandas().sort_values(["order_id", "amount"])
    >>> out[["order_id", "amount", "_return_line", "_purchase"]].to_dict("records")
    [{'order_id': 'A', 'amount': -30.0, '_return_line': 1, '_purchase': 1},
     {'order_id': 'A', 'amount': 100.0, '_return_line': 0, '_purchase': 1},
     {'order_id': 'B', 'amount': 80.0, '_return_line': 0, '_purchase': 1}]
    """
    f = _lazy(orders)
    cols = f.collect_schema().names()
    if keep is not None:
        wanted = set(keep) | set(SPLIT_INPUTS)
        cols = [c for c in cols if c in wanted]
        f = f.select(*cols)
    keys = order_keys(cols)
    flags = "is_return" in cols or "status" in cols
    # few, numeric steps: on an eager engine (pandas) each expression is a pass
    zero = nw.lit(0).cast(nw.Int64)
    neg = (nw.col("amount") < 0).fill_null(False).cast(nw.Int64) if "amount" in cols else zero
    f = f.with_columns(_sp_neg=neg, _sp_flag=flagged_return(cols) if flags else zero)
    start = nw.col("ordered_at").min() if "ordered_at" in cols else None
    if keys:  # per-order values: one aggregation joined back (null keys: no order, filled below)
        aggs = [nw.col("_sp_neg").max().alias("_sp_has_neg")]
        if "amount" in cols:
            aggs.append(nw.col("amount").sum().alias("_sp_net"))
        if flags:
            aggs.append(nw.col("_sp_flag").max().alias("_sp_flagged"))
        if start is not None:
            aggs.append(start.alias("_order_start"))
        f = f.join(f.group_by(*keys).agg(*aggs), on=keys, how="left")
        per = [] if "amount" in cols else [nw.lit(0.0).alias("_sp_net")]
    else:
        per = [nw.col("_sp_neg").alias("_sp_has_neg"),
               (nw.col("amount") if "amount" in cols else nw.lit(0.0)).alias("_sp_net")]
        if start is not None:
            per.append(nw.col("ordered_at").alias("_order_start"))
    if not flags or not keys:
        per.append(nw.col("_sp_flag").alias("_sp_flagged"))
    if start is None:
        per.append(nw.lit(None).alias("_order_start"))
    if per:
        f = f.with_columns(*per)
    # a return order: flagged, or holding a return line with a net amount <= 0 (0/1
    # arithmetic: max(a, b) = a + b - a * b); a line without an order key (null after
    # the join) is an order of its own
    flagged = nw.col("_sp_flagged").fill_null(nw.col("_sp_flag")) if flags and keys else nw.col("_sp_flagged")
    has_neg = nw.col("_sp_has_neg").fill_null(nw.col("_sp_neg")) if keys else nw.col("_sp_has_neg")
    net = nw.col("_sp_net").fill_null(nw.col("amount")) if keys and "amount" in cols else nw.col("_sp_net")
    bad = has_neg * (net <= 0).fill_null(True).cast(nw.Int64)
    ret_order = flagged + bad - flagged * bad
    line_flag = nw.col("_sp_flag")
    f = f.with_columns(_return_line=nw.col("_sp_neg") + line_flag - nw.col("_sp_neg") * line_flag,
                       _purchase=1 - ret_order)
    return f.drop("_sp_neg", "_sp_flag", "_sp_has_neg", "_sp_net", "_sp_flagged")


def purchase_lines(orders, keep=None) -> nw.LazyFrame:
    """Only the lines of purchase orders (see :func:`split_orders`, which ``keep`` is passed
    to), split columns dropped.

    Examples
    --------
    >>> import pandas as pd
    >>> lines = pd.DataFrame({"order_id": ["A", "R"], "customer_id": ["C1", "C2"],
    ...                       "amount": [100.0, -40.0]})
    >>> purchase_lines(lines).collect().to_pandas()["customer_id"].tolist()
    ['C1']
    """
    return split_orders(orders, keep).filter(nw.col("_purchase") == 1).drop(*SPLIT_COLUMNS)


def signed_cost() -> nw.Expr:
    """The cost of a line with the sign of its amount: a return line's cost comes back.

    A source may write the cost of a return line as a positive number (the goods'
    cost) or a negative one; either way the margin of the line is ``amount - cost``
    with the cost counted negative when the amount is negative.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"amount": [100.0, -100.0, -100.0], "cost": [60.0, 60.0, -60.0]})
    >>> _lazy(df).select(signed_cost().alias("c")).collect()["c"].to_list()
    [60.0, -60.0, -60.0]
    """
    return (nw.when((nw.col("amount") < 0) & (nw.col("cost") > 0)).then(-nw.col("cost"))
            .otherwise(nw.col("cost")))


def return_counts(orders) -> dict:
    """How many lines and orders of ``orders`` are returns (what ``kit check`` reports).

    Returns
    -------
    dict
        ``lines``, ``return_lines``, ``orders``, ``return_orders`` (ints) and
        ``returned_amount`` (minus the sum of the return lines' amounts; 0.0 without
        return lines).

    Examples
    --------
    >>> import pandas as pd
    >>> lines = pd.DataFrame({"order_id": ["A", "A", "B", "R"], "amount": [100.0, -20.0, 80.0, -80.0]})
    >>> return_counts(lines)
    {'lines': 4, 'return_lines': 2, 'orders': 3, 'return_orders': 1, 'returned_amount': 100.0}
    """
    f = split_orders(orders, keep=())
    cols = f.collect_schema().names()
    keys = order_keys([c for c in cols if c not in SPLIT_COLUMNS])
    amount = nw.col("amount") if "amount" in cols else nw.lit(0.0)
    f = f.with_columns(_rc_ret=nw.when(nw.col("_return_line") == 1).then(-amount).otherwise(nw.lit(0.0)))
    lines = f.select(nw.len().alias("lines"), nw.col("_return_line").sum().alias("return_lines"),
                     nw.col("_rc_ret").sum().alias("returned_amount")).collect().to_pandas()
    if keys:
        per = f.group_by(*keys, drop_null_keys=False).agg(nw.col("_purchase").min().alias("_p"))
        n = per.select(nw.len().alias("orders"),
                       (nw.len() - nw.col("_p").sum()).alias("return_orders")).collect().to_pandas()
        n_orders, n_ret = n["orders"].iloc[0], n["return_orders"].iloc[0]
    else:
        n_orders, n_ret = lines["lines"].iloc[0], 0
    returned = lines["returned_amount"].iloc[0]
    return {"lines": int(lines["lines"].iloc[0]),
            "return_lines": int(0 if pd.isna(lines["return_lines"].iloc[0]) else lines["return_lines"].iloc[0]),
            "orders": int(n_orders), "return_orders": int(0 if pd.isna(n_ret) else n_ret),
            "returned_amount": 0.0 if pd.isna(returned) else float(returned) + 0.0}


__all__ = ["SPLIT_COLUMNS", "SPLIT_INPUTS", "flagged_return", "has_returns", "order_keys",
           "purchase_lines", "return_counts", "return_line",
           "signed_cost", "split_orders"]
