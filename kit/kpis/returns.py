"""Returns KPI: the share of sales that comes back (``docs/data-contract.md``, orders).

A return line is an order line with a negative amount (or a line of an order the
source flags as a return); :func:`kit.orders.split_orders` holds the rule.
"""

from __future__ import annotations

from kit.kpis._common import ratio
from kit.kpis._docs import fill_doc, window_params
from kit.kpis._sales import sales_by
from kit.registry import kpi


@kpi(
    name="return_rate", family="products",
    needs={"orders": ("ordered_at", "amount")},
    label={"en": "Return rate", "fr": "Taux de retour"},
    definition={
        "en": "Amount returned (return lines, at the return's date) divided by the amount sold in "
              "the same period (the other order lines).",
        "fr": "Montant retourné (lignes de retour, à la date du retour) divisé par le montant vendu "
              "sur la même période (les autres lignes de commande).",
    },
    unit="ratio", direction="lower", tables=("orders",), date="orders.ordered_at",
    headline=True, seeds=("002",),
    columns={"numerator": ("currency", "returned"), "denominator": ("currency", "sold")},
)
@fill_doc(window=window_params(
    "ordered_at", "order lines placed",
    by="Columns to break down by (``product_id``, ``product_category``...); nulls\nform their own group."))
def return_rate(orders, *, by=None, freq=None, start=None, end=None):
    """Return rate: amount returned / amount sold, each line at its own date.

    The numerator is minus the sum of the return lines (a positive amount), dated by
    the return; the denominator is the sum of the other lines of the same period
    and group, the gross sales of :func:`kit.kpis.revenue.revenue`. A return is not
    matched to the sale it gives back: a return in March of a February sale counts
    in March.

    Parameters
    ----------
    orders : DataFrame-like
        Needs ``order_id``, ``ordered_at`` and ``amount``; ``is_return`` and
        ``status`` flag returns when present.
    {window}

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value`` (share returned; missing when nothing
        was sold), ``numerator`` (amount returned), ``denominator`` (gross sales),
        ``n_returns`` (return orders), ``n_orders`` (purchase orders).

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"order_id": ["A", "B", "R"], "amount": [300.0, 100.0, -40.0],
    ...                        "ordered_at": pd.to_datetime(["2026-01-05", "2026-01-07", "2026-01-20"])})
    >>> return_rate(orders)[["value", "numerator", "denominator", "n_returns"]].to_dict("records")
    [{'value': 0.1, 'numerator': 40.0, 'denominator': 400.0, 'n_returns': 1}]
    """
    keys, out = sales_by(orders, by, freq, start, end)
    out = out.rename(columns={"returns": "numerator", "gross_sales": "denominator"})
    return ratio(out[keys + ["numerator", "denominator", "n_returns", "n_orders"]], keys)


__all__ = ["return_rate"]
