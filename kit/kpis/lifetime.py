"""Customer lifetime value (LTV) and what it repays: LTV / CAC and the CAC payback (family cost).

Lifetime value is attributed to the acquisition cohort of the customer
(``customers.acquired_at``); the acquisition cost is :func:`kit.kpis.cost.cac`.
"""

from __future__ import annotations

import narwhals as nw
import numpy as np
import pandas as pd

from kit.kpis._common import (
    _num, aggregate, as_list, collect, flag, group_keys, lazy, merge_results, ratio, resolve_as_of, safe_div,
    sort_rows, window,
)
from kit.kpis._cost_rules import check_by, check_freq, check_horizon
from kit.kpis._docs import fill_doc
from kit.kpis.cost import cac
from kit.orders import signed_cost, split_orders
from kit.registry import kpi
from kit.stats import LOW_SAMPLE

_Z95 = 1.959963984540054


def _ltv_table(orders, customers, *, by, freq, start, end, horizon, as_of) -> pd.DataFrame:
    """Per group: customers old enough, censored ones, summed margin and its square."""
    c = lazy(customers, "customers", needs=["customer_id", "acquired_at"])
    o = lazy(orders, "orders", needs=["customer_id", "ordered_at", "amount", "cost"])
    cutoff = (pd.Timestamp(as_of) - pd.DateOffset(months=int(horizon))).to_pydatetime()
    first = collect(o.select(nw.col("ordered_at").min().alias("m")))["m"].iloc[0]
    c = c.filter(~nw.col("acquired_at").is_null()
                 & (nw.col("acquired_at") <= nw.lit(pd.Timestamp(as_of).to_pydatetime())))
    # a customer whose orders up to as_of are all returns bought nothing: in no cohort
    buys = (split_orders(o, keep=()).filter(~nw.col("customer_id").is_null()
                                   & (nw.col("ordered_at") <= nw.lit(pd.Timestamp(as_of).to_pydatetime())))
            .group_by("customer_id").agg(nw.col("_purchase").max().alias("_buys")))
    c = c.join(buys, on="customer_id", how="left").filter(
        nw.col("_buys").is_null() | (nw.col("_buys") == 1)).drop("_buys")
    c = window(c, "acquired_at", start, end)
    keys, c = group_keys(c, by, freq, "acquired_at")
    if first is None or pd.isna(first):
        before = nw.lit(False)
    else:  # acquired before the orders begin: their first months are not in the data
        before = nw.col("acquired_at") < nw.lit(pd.Timestamp(first).normalize().to_pydatetime())
    c = c.with_columns(_before=flag(before))
    c = c.with_columns(_old=flag((nw.col("acquired_at") <= nw.lit(cutoff)) & (nw.col("_before") == 0)),
                       _young=flag((nw.col("acquired_at") > nw.lit(cutoff)) & (nw.col("_before") == 0)))
    acq = c.select("customer_id", nw.col("acquired_at").alias("_acq"))
    costed = ~nw.col("cost").is_null() & ~nw.col("amount").is_null()
    o = (o.select("customer_id", "ordered_at", "amount", "cost")
         .join(acq, on="customer_id", how="inner")
         .filter((nw.col("ordered_at") >= nw.col("_acq"))
                 & (nw.col("ordered_at") < nw.col("_acq").dt.offset_by(f"{int(horizon)}mo")))
         .with_columns(_margin=nw.when(costed).then(nw.col("amount") - signed_cost())
                       .otherwise(nw.lit(0.0)), _nc=flag(~costed)))
    per_customer = o.group_by("customer_id").agg(nw.col("_margin").sum().alias("_cm"),
                                                 nw.col("_nc").sum().alias("_cnc"))
    c = c.join(per_customer, on="customer_id", how="left")
    c = c.with_columns(_m=nw.when(nw.col("_old") == 1).then(nw.col("_cm").fill_null(0.0))
                       .otherwise(nw.lit(0.0)),
                       _nc=nw.when(nw.col("_old") == 1).then(nw.col("_cnc").fill_null(0))
                       .otherwise(nw.lit(0)).cast(nw.Int64))
    c = c.with_columns(_m2=nw.col("_m") * nw.col("_m"))
    out = collect(aggregate(c, keys, [nw.col("_m").sum().alias("numerator"),
                                      nw.col("_old").sum().alias("denominator"),
                                      nw.col("_young").sum().alias("n_censored"),
                                      nw.col("_before").sum().alias("n_before_data"),
                                      nw.col("_m2").sum().alias("_sumsq"),
                                      nw.col("_nc").sum().alias("lines_without_cost")]), keys)
    return out


def _ltv_result(out: pd.DataFrame, keys) -> pd.DataFrame:
    out = ratio(out, keys)
    n = out["denominator"]
    sumsq = _num(out["_sumsq"]).fillna(0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        var = np.where(n > 1, (sumsq - n * out["value"] ** 2) / (n - 1).where(n > 1, 1.0), np.nan)
        half = _Z95 * np.sqrt(np.clip(var, 0.0, None) / n.where(n > 0, 1.0))
    out["value_ci_low"] = out["value"] - half
    out["value_ci_high"] = out["value"] + half
    out["low_sample"] = n < LOW_SAMPLE
    for c in ("n_censored", "n_before_data", "lines_without_cost"):
        out[c] = _num(out[c]).fillna(0).astype("int64")
    return out[list(keys) + ["value", "numerator", "denominator", "n_censored", "n_before_data",
                             "value_ci_low",
                             "value_ci_high", "low_sample", "lines_without_cost"]]


@kpi(
    name="ltv", family="cost",
    needs={"orders": ("customer_id", "ordered_at", "amount", "cost"),
           "customers": ("customer_id", "acquired_at")},
    label={"en": "Customer lifetime value", "fr": "Valeur vie client"},
    definition={
        "en": "Mean gross margin (net of returns) per customer over the first 12 months after "
              "acquisition, among customers acquired at least 12 months before the end of the data; a "
              "customer with returns only is in no cohort.",
        "fr": "Marge brute moyenne (nette des retours) par client sur les 12 premiers mois après son "
              "acquisition, parmi les clients acquis au moins 12 mois avant la fin des données ; un "
              "client qui n'a que des retours n'est dans aucune cohorte.",
    },
    unit="currency", direction="higher", tables=("orders", "customers"), date="customers.acquired_at",
    headline=True, seeds=("001",),
    columns={"numerator": ("currency", "total_margin"), "denominator": ("count", "customers")},
    noun={"en": ("customer", "customers"), "fr": ("client", "clients", "m")},
)
def ltv(orders, customers, *, by=None, freq=None, start=None, end=None, horizon=12, as_of=None):
    """Lifetime value: mean cumulative gross margin within ``horizon`` months of acquisition.

    Censoring: a customer acquired less than ``horizon`` months before ``as_of``
    cannot have a complete value yet; it is left out and counted in ``n_censored``.
    A customer acquired exactly ``horizon`` months before ``as_of`` counts. A customer
    acquired before the first day with orders has months missing from the data: it is
    left out and counted in ``n_before_data``. Order lines without a cost add no
    margin and are counted in ``lines_without_cost``.

    Returns (``docs/data-contract.md``): the margin is net of returns, a return line
    giving back its amount and its cost (:func:`kit.orders.signed_cost`). Only
    purchase orders are purchases: a customer whose orders up to ``as_of`` are all
    returns is in no cohort (neither counted nor censored). A missing
    ``acquired_at`` is filled at load from the first purchase order.

    Parameters
    ----------
    orders : DataFrame-like
        Needs ``customer_id``, ``ordered_at``, ``amount`` and ``cost``.
    customers : DataFrame-like
        Needs ``customer_id``, ``acquired_at`` and the ``by`` columns.
    by : str or list of str, optional
        Customer columns, e.g. ``"source"`` (channel) or ``"segment"``.
    freq : {None, "W", "M", "Q", "Y"}
        Adds a ``period`` column: the acquisition cohort.
    start, end : date-like, optional
        Keep customers acquired in ``[start, end)``.
    horizon : int
        Months after acquisition over which margin is summed.
    as_of : date-like, optional
        End of the data; default the latest order or acquisition date.

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value`` (mean margin per customer),
        ``numerator`` (margin), ``denominator`` (customers old enough),
        ``n_censored``, ``n_before_data``, ``value_ci_low`` and ``value_ci_high`` (95 % normal interval of
        the mean), ``low_sample`` (under 30 customers), ``lines_without_cost``.

    Examples
    --------
    >>> import pandas as pd
    >>> customers = pd.DataFrame({"customer_id": ["C1", "C2", "C3"],
    ...     "acquired_at": pd.to_datetime(["2025-01-10", "2025-02-01", "2025-12-01"])})
    >>> orders = pd.DataFrame({"customer_id": ["C1", "C1", "C3"], "amount": [100.0, 50.0, 80.0],
    ...     "cost": [60.0, 20.0, 40.0],
    ...     "ordered_at": pd.to_datetime(["2025-01-10", "2025-06-01", "2025-12-01"])})
    >>> ltv(orders, customers, as_of="2026-02-01")[["value", "denominator", "n_censored"]].to_dict("records")
    [{'value': 35.0, 'denominator': 2.0, 'n_censored': 1}]
    """
    check_horizon("ltv", horizon)
    c = lazy(customers, "customers", needs=["customer_id", "acquired_at"])
    check_by("ltv", by, {"customers": c})
    as_of = resolve_as_of(as_of, (orders, "ordered_at"), (customers, "acquired_at"))
    keys = as_list(by) + (["period"] if freq else [])
    if as_of is None:  # no date in either table: no customer can be placed, any as_of gives 0 rows
        as_of = pd.Timestamp("1970-01-01")
    out = _ltv_table(orders, customers, by=by, freq=freq, start=start, end=end,
                     horizon=horizon, as_of=as_of)
    return _ltv_result(out, keys)


#: What the KPIs setting the LTV against the CAC read: the tables and columns of both.
_LTV_AND_CAC = {"needs": {"orders": ltv.kpi.needs["orders"], "customers": ltv.kpi.needs["customers"],
                          "costs": cac.kpi.needs["costs"]},
                "tables": ("orders", "customers", "costs"), "date": "customers.acquired_at"}
#: The counts behind the two parts, columns of those KPIs' results (``columns`` of :func:`kit.registry.kpi`).
_PART_COUNTS = {"n_customers": ("count", "customers_old_enough"), "new_customers": ("count", "new_customers")}


def _ltv_cac_params(horizon: str) -> str:
    """The Parameters of the KPIs that set the LTV against the CAC; ``horizon`` describes that option."""
    return ("Parameters\n----------\n"
            "orders, customers, costs : DataFrame-like\n    As for :func:`ltv` and :func:`cac`.\n"
            'by : str or list of str, optional\n    A column of customers and costs, usually ``"source"``.\n'
            'freq : {None, "M", "Q", "Y"}\n    Adds a ``period`` column: the acquisition period.\n'
            "start, end : date-like, optional\n    Keep acquisitions and costs in ``[start, end)``.\n"
            f"horizon : int\n    {horizon}\n"
            "as_of : date-like, optional\n"
            "    End of the data; default the latest order or acquisition date.\n"
            "categories : str or list of str, optional\n    Cost categories of the CAC.\n"
            'shared : {"separate", "allocate"}\n'
            "    Costs without a ``by`` value: own row, or spread over the groups (see :func:`cac`).")


@kpi(
    name="ltv_cac_ratio", family="cost",
    label={"en": "LTV / CAC ratio", "fr": "Ratio valeur vie client / coût d'acquisition"},
    definition={
        "en": "Lifetime value of the customers of a channel divided by their acquisition cost.",
        "fr": "Valeur vie des clients d'un canal divisée par leur coût d'acquisition.",
    },
    unit="multiple", direction="higher", **_LTV_AND_CAC, headline=False, seeds=("001",),
    columns={"numerator": ("currency", "ltv"), "denominator": ("currency", "cac"), **_PART_COUNTS},
)
@fill_doc(params=_ltv_cac_params("Months of margin in the LTV."))
def ltv_cac_ratio(orders, customers, costs, *, by=None, freq=None, start=None, end=None,
                  horizon=12, as_of=None, categories=None, shared="allocate"):
    """LTV / CAC: how many times the margin of a customer repays what it cost to acquire.

    ``ltv`` is :func:`ltv` (customers acquired in the window and old enough) and
    ``cac`` is :func:`cac` (costs and acquisitions of the window), per ``by`` group
    and period.

    {params}

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value`` (missing when LTV or CAC is missing or CAC
        is 0), ``numerator`` (LTV), ``denominator`` (CAC), ``n_customers`` (in the LTV),
        ``n_censored``, ``new_customers`` (in the CAC).

    Examples
    --------
    >>> import pandas as pd
    >>> customers = pd.DataFrame({"customer_id": ["C1", "C2"],
    ...     "acquired_at": pd.to_datetime(["2025-01-10", "2025-01-20"])})
    >>> orders = pd.DataFrame({"customer_id": ["C1", "C2", "C2"], "amount": [500.0, 300.0, 400.0],
    ...     "cost": [200.0, 100.0, 100.0],
    ...     "ordered_at": pd.to_datetime(["2025-01-10", "2025-01-20", "2025-05-02"])})
    >>> costs = pd.DataFrame({"period": pd.to_datetime(["2025-01-01"]), "amount": [250.0],
    ...                       "category": ["marketing"]})
    >>> out = ltv_cac_ratio(orders, customers, costs, as_of="2026-02-01")
    >>> out[["value", "numerator", "denominator"]].to_dict("records")
    [{'value': 3.2, 'numerator': 400.0, 'denominator': 125.0}]
    """
    check_freq("ltv_cac_ratio", freq)
    keys = as_list(by) + (["period"] if freq else [])
    life = ltv(orders, customers, by=by, freq=freq, start=start, end=end, horizon=horizon, as_of=as_of)
    cost = cac(costs, customers, by=by, freq=freq, start=start, end=end, categories=categories,
               shared=shared)
    life = life[keys + ["value", "denominator", "n_censored"]].rename(
        columns={"value": "ltv", "denominator": "n_customers"})
    cost = cost[keys + ["value", "denominator"]].rename(
        columns={"value": "cac", "denominator": "new_customers"})
    out = merge_results(life, cost, keys)
    for c in ("n_customers", "n_censored", "new_customers"):
        out[c] = _num(out[c]).fillna(0.0)
    out = ratio(out, keys, numerator="ltv", denominator="cac", fill_zero=False)
    return out[keys + ["value", "numerator", "denominator", "n_customers", "n_censored", "new_customers"]]


@kpi(
    name="cac_payback_months", family="cost",
    label={"en": "CAC payback", "fr": "Délai de récupération du coût d'acquisition"},
    definition={
        "en": "Acquisition cost divided by the mean monthly gross margin of a new customer over its "
              "first 12 months.",
        "fr": "Coût d'acquisition divisé par la marge brute mensuelle moyenne d'un nouveau client sur ses "
              "12 premiers mois.",
    },
    unit="months", direction="lower", **_LTV_AND_CAC, headline=False, seeds=(),
    columns={"cac": ("currency", "cac"), "monthly_margin": ("currency", "monthly_margin"),
             **_PART_COUNTS},
)
@fill_doc(params=_ltv_cac_params("Months over which the monthly margin is averaged."))
def cac_payback_months(orders, customers, costs, *, by=None, freq=None, start=None, end=None,
                       horizon=12, as_of=None, categories=None, shared="allocate"):
    """Months of margin a new customer needs to repay its acquisition cost.

    ``value = cac / (ltv / horizon)``: the CAC over the mean monthly gross margin of a
    customer in its first ``horizon`` months (censored as in :func:`ltv`). A zero or
    negative monthly margin never pays back: the value is missing.

    {params}

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value`` (months), ``cac``, ``monthly_margin``,
        ``n_customers`` (in the margin), ``n_censored``, ``new_customers`` (in the CAC).

    Examples
    --------
    Per channel: the web customer repays its 300 in 12 months of a 25 margin, the
    fair customer its 60 in 6 months of a 10 margin.

    >>> import pandas as pd
    >>> customers = pd.DataFrame({"customer_id": ["C1", "C2"], "source": ["web", "fair"],
    ...     "acquired_at": pd.to_datetime(["2025-01-10", "2025-01-20"])})
    >>> orders = pd.DataFrame({"customer_id": ["C1", "C2"], "amount": [600.0, 240.0],
    ...     "cost": [300.0, 120.0], "ordered_at": pd.to_datetime(["2025-01-10", "2025-02-03"])})
    >>> costs = pd.DataFrame({"period": pd.to_datetime(["2025-01-01"] * 2), "amount": [300.0, 60.0],
    ...                       "category": ["marketing"] * 2, "source": ["web", "fair"]})
    >>> out = cac_payback_months(orders, customers, costs, by="source", as_of="2026-02-01")
    >>> out[["source", "value", "cac", "monthly_margin"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'source': 'fair', 'value': 6.0, 'cac': 60.0, 'monthly_margin': 10.0},
     {'source': 'web', 'value': 12.0, 'cac': 300.0, 'monthly_margin': 25.0}]
    """
    check_freq("cac_payback_months", freq)
    check_horizon("cac_payback_months", horizon)
    keys = as_list(by) + (["period"] if freq else [])
    r = ltv_cac_ratio(orders, customers, costs, by=by, freq=freq, start=start, end=end,
                      horizon=horizon, as_of=as_of, categories=categories, shared=shared)
    r = r.rename(columns={"numerator": "_ltv", "denominator": "cac"})
    r["monthly_margin"] = _num(r["_ltv"]) / float(horizon)
    m = _num(r["monthly_margin"])
    r["value"] = safe_div(_num(r["cac"]), m.where(m > 0))
    return sort_rows(r[keys + ["value", "cac", "monthly_margin", "n_customers", "n_censored",
                           "new_customers"]], keys)


__all__ = ["ltv", "ltv_cac_ratio", "cac_payback_months"]
