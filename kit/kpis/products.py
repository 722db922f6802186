"""Product KPIs: how long products stay in demand (source article 002, see :attr:`kit.registry.KPISpec.seeds`)."""

from __future__ import annotations

import narwhals as nw
import numpy as np
import pandas as pd

from kit.errors import ParameterError
from kit.kpis._common import _num, collect, columns, lazy, month_index, resolve_as_of, sort_rows
from kit.kpis._options import is_count
from kit.registry import kpi

#: Values of the ``status`` column of :func:`product_lifetime`.
STATUSES = ("active", "dormant", "retired", "never_sold")


@kpi(
    name="product_lifetime", family="products",
    needs={"orders": ("product_id", "ordered_at", "amount")},
    label={"en": "Product lifetime", "fr": "Durée de vie d'un produit"},
    definition={
        "en": "Per product, months from the first to the last month with sales, months with sales, "
              "and whether it is still active (sold recently and not retired).",
        "fr": "Par produit, nombre de mois du premier au dernier mois avec des ventes, mois avec des "
              "ventes, et s'il est encore actif (vendu récemment et non retiré).",
    },
    unit="months", direction="higher", tables=("orders",), date="orders.ordered_at",
    optional_tables=("products",), headline=False, seeds=("002",),
    columns={"revenue": ("currency", "revenue"), "status": ("text", "status"),
             "first_month": ("month", "first_month"), "last_month": ("month", "last_month"),
             "launched_at": ("month", "launched_at"), "retired_at": ("month", "retired_at")},
    dropped=("last_sale", "sold_recently", "retired", "active"),
)
def product_lifetime(orders, *, products=None, as_of=None, recent_months=3):
    """Lifetime of each product: first and last month with sales, and whether it is still active.

    A product is ``active`` at ``as_of`` when it sold in the ``recent_months`` months
    before ``as_of`` and is not retired (``products.retired_at`` missing or after
    ``as_of``). ``status`` says why a product is not active: ``retired``,
    ``dormant`` (not retired, no recent sale) or ``never_sold`` (in the catalogue,
    no sale up to ``as_of``). The lifetime of an active product is still running: it
    is a lower bound.

    Parameters
    ----------
    orders : DataFrame-like
        Needs ``product_id``, ``ordered_at`` and ``amount``; orders after ``as_of``
        are ignored. Lines without a product form their own row.
    products : DataFrame-like, optional
        The catalogue: ``product_id`` and, when present, ``name``, ``category``,
        ``launched_at``, ``retired_at``. Products never sold get a row.
    as_of : date-like, optional
        End of the data; default the latest ``ordered_at``.
    recent_months : int
        A product sold within this many months before ``as_of`` is in demand.

    Returns
    -------
    DataFrame
        ``product_id`` (plus ``name``, ``category``, ``launched_at``, ``retired_at`` from
        products), ``first_month``, ``last_month``, ``value`` (months from the first to
        the last month with sales, both included), ``months_with_sales``, ``revenue``,
        ``last_sale``, ``sold_recently``, ``retired``, ``active``, ``status``.

    Raises
    ------
    ParameterError
        When ``recent_months`` is not a whole number >= 1.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"product_id": ["P1", "P1", "P2"], "amount": [10.0, 20.0, 5.0],
    ...                        "ordered_at": pd.to_datetime(["2025-01-10", "2025-12-05", "2025-03-01"])})
    >>> out = product_lifetime(orders, as_of="2025-12-31")
    >>> out[["product_id", "value", "months_with_sales", "status"]].to_dict("records")
    [{'product_id': 'P1', 'value': 12, 'months_with_sales': 2, 'status': 'active'},
     {'product_id': 'P2', 'value': 1, 'months_with_sales': 1, 'status': 'dormant'}]
    """
    if not is_count(recent_months):
        raise ParameterError(
            f"product_lifetime: recent_months={recent_months!r} is not allowed; it is the number of "
            "months before as_of in which a sale keeps a product active, a whole number >= 1 (default 3)."
        )
    f = lazy(orders, "orders", needs=["product_id", "ordered_at", "amount"])
    as_of = resolve_as_of(as_of, (orders, "ordered_at"))
    as_of = None if as_of is None else pd.Timestamp(as_of)
    if as_of is not None:
        f = f.filter(nw.col("ordered_at") <= nw.lit(as_of.to_pydatetime()))
    f = f.with_columns(_ym=month_index("ordered_at"))
    sales = collect(f.group_by("product_id", drop_null_keys=False).agg(
        nw.col("ordered_at").min().alias("_first"),
        nw.col("ordered_at").max().alias("last_sale"),
        nw.col("_ym").min().alias("_first_ym"),
        nw.col("_ym").max().alias("_last_ym"),
        nw.col("_ym").n_unique().alias("months_with_sales"),
        nw.col("amount").sum().alias("revenue"),
    ), ["product_id"])
    info_cols: list[str] = []
    if products is not None:
        p = lazy(products, "products", needs=["product_id"])
        info_cols = [c for c in ("name", "category", "launched_at", "retired_at") if c in columns(p)]
        cat = collect(p.select("product_id", *info_cols).unique(["product_id"], keep="any"), ["product_id"])
        if len(sales) == 0:
            sales["product_id"] = sales["product_id"].astype(object)
        if cat["product_id"].dtype != sales["product_id"].dtype:
            cat["product_id"] = cat["product_id"].astype(object)
            sales["product_id"] = sales["product_id"].astype(object)
        sales = cat.merge(sales, on="product_id", how="outer")
    out = sales
    out["last_sale"] = pd.to_datetime(out["last_sale"]).astype("datetime64[ns]")
    out["first_month"] = pd.to_datetime(out["_first"]).dt.to_period("M").dt.to_timestamp()
    out["last_month"] = out["last_sale"].dt.to_period("M").dt.to_timestamp()
    for c in ("first_month", "last_month"):
        out[c] = out[c].astype("datetime64[ns]")
    sold = out["_first_ym"].notna()
    life = _num(out["_last_ym"]) - _num(out["_first_ym"]) + 1
    out["value"] = life.astype("int64") if sold.all() else life  # never sold: missing
    out["months_with_sales"] = _num(out["months_with_sales"]).fillna(0).astype("int64")
    out["revenue"] = _num(out["revenue"]).fillna(0.0)
    if as_of is not None:
        recent = as_of - pd.DateOffset(months=int(recent_months))
        out["sold_recently"] = (out["last_sale"] > recent).fillna(False).astype(bool)
    else:
        out["sold_recently"] = False
    if "retired_at" in out:
        retired_at = pd.to_datetime(out["retired_at"])
        out["retired"] = (retired_at.notna() & (retired_at <= as_of if as_of is not None else True))
    else:
        out["retired"] = False
    out["retired"] = out["retired"].astype(bool)
    out["active"] = out["sold_recently"] & ~out["retired"]
    out["status"] = np.select(
        [out["retired"], out["active"], ~sold], ["retired", "active", "never_sold"], default="dormant")
    cols = ["product_id"] + info_cols + ["first_month", "last_month", "value", "months_with_sales",
                                         "revenue", "last_sale", "sold_recently", "retired",
                                         "active", "status"]
    return sort_rows(out[cols], ["product_id"])


__all__ = ["product_lifetime", "STATUSES"]
