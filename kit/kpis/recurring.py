"""Recurring revenue: the share of revenue from customers who bought before (family revenue).

Orders are compared, not lines, with the purchase and return split of
``docs/data-contract.md`` (:func:`kit.orders.split_orders`).
"""

from __future__ import annotations

import datetime

import narwhals as nw
import pandas as pd

from kit.errors import ParameterError
from kit.kpis._common import aggregate, as_list, as_ts, collect, flag, group_keys, lazy, ratio, window
from kit.kpis._docs import fill_doc, window_params
from kit.kpis._options import is_count
from kit.orders import split_orders
from kit.registry import kpi

#: Stands for "no purchase yet" in the running latest purchase of recurring_revenue.
_BEFORE_ANY_DATA = datetime.datetime(1900, 1, 1)


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
@fill_doc(window=window_params("ordered_at", "order lines placed", by="Columns to break down by."))
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
    {window}
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
    if not is_count(lookback):
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


__all__ = ["recurring_revenue"]
