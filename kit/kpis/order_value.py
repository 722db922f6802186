"""What the orders bring: gross margin and average basket (family revenue).

Both read order lines at their own date (``orders.ordered_at``) with the purchase and
return split of ``docs/data-contract.md``: a return line gives back its amount (and
its cost), a return order is not an order.
"""

from __future__ import annotations

import narwhals as nw

from kit.kpis._common import (
    _num, aggregate, collect, columns, flag, group_keys, lazy, merge_results, ratio, safe_div,
    sort_rows, window,
)
from kit.kpis._docs import fill_doc, window_params
from kit.kpis._sales import sales_by
from kit.kpis._targets import TARGET_FREQS, TARGET_LEVELS, targets_by
from kit.orders import return_line, signed_cost
from kit.registry import kpi


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
@fill_doc(window=window_params(
    "ordered_at", "orders placed (and target months)",
    by="Columns to break down by; nulls form their own group."))
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
    {window}
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
        tgt = targets_by(targets, "margin_target", by, freq, start, end).rename(
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
@fill_doc(window=window_params(
    "ordered_at", "orders placed",
    by='Columns to break down by (with ``by="product_id"`` an order holding two\n'
       "products counts once in each)."))
def average_basket(orders, *, by=None, freq=None, start=None, end=None):
    """Average basket: amount of the purchase orders / number of purchase orders.

    Return orders (credit notes, see ``docs/data-contract.md``) are neither in the
    amount nor in the count; a return line inside a purchase order lowers that
    order's amount.

    Parameters
    ----------
    orders : DataFrame-like
        Needs ``order_id`` (an order is the lines of one ``order_id``), ``ordered_at``
        and ``amount``.
    {window}

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


__all__ = ["gross_margin", "average_basket"]
