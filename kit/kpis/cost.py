"""The customer acquisition cost (CAC): acquisition costs over new customers.

From the source articles 000 to 002 (see :attr:`kit.registry.KPISpec.seeds`).
New customers are attributed to their acquisition date (``customers.acquired_at``);
costs to their ``period``. The lifetime value and what it repays (LTV, LTV / CAC,
payback) are in :mod:`kit.kpis.lifetime`.
"""

from __future__ import annotations

import narwhals as nw
import numpy as np
import pandas as pd

from kit.kpis._common import (
    _num, aggregate, as_list, as_ts, collect, group_keys, lazy, merge_results, ratio, window,
)
from kit.kpis._cost_rules import (
    ACQUISITION_CATEGORIES, acquisition_categories, check_by, check_freq, check_shared,
)
from kit.registry import kpi


def _allocate(out: pd.DataFrame, key: str, has_period: bool) -> pd.DataFrame:
    """Spread the costs of the row whose ``key`` is missing over all rows of the same period,
    in proportion to their new customers; the total is kept. Periods without a new customer
    keep their costs where they are."""
    out = out.copy()
    missing = out[key].isna()
    grp = out["period"] if has_period else pd.Series(0, index=out.index)
    pool = out["costs"].where(missing, 0.0).groupby(grp, observed=True).transform("sum")
    new = _num(out["new_customers"]).fillna(0.0)
    total_new = new.groupby(grp, observed=True).transform("sum")
    share = new / total_new.where(total_new > 0, 1.0)
    direct = out["costs"].where(~missing, 0.0)
    out["costs"] = np.where(total_new > 0, direct + pool * share, out["costs"])
    return out


def _first_cost(costs, categories):
    f = lazy(costs, "costs", needs=["period", "amount", "category"])
    f = f.filter(nw.col("category").is_in(categories))
    v = collect(f.select(nw.col("period").min().alias("m")))["m"].iloc[0]
    return None if v is None or pd.isna(v) else pd.Timestamp(v)


def _costs_by(costs, by, freq, start, end, categories) -> pd.DataFrame:
    f = lazy(costs, "costs", needs=["period", "amount", "category"])
    f = f.filter(nw.col("category").is_in(acquisition_categories(categories)))
    f = window(f, "period", start, end)
    keys, f = group_keys(f, by, freq, "period")
    out = collect(aggregate(f, keys, [nw.col("amount").sum().alias("costs")]), keys)
    out["costs"] = _num(out["costs"]).fillna(0.0)
    return out


def _new_customers_by(customers, by, freq, start, end) -> pd.DataFrame:
    f = lazy(customers, "customers", needs=["customer_id", "acquired_at"])
    f = f.filter(~nw.col("acquired_at").is_null())
    f = window(f, "acquired_at", start, end)
    keys, f = group_keys(f, by, freq, "acquired_at")
    out = collect(aggregate(f, keys, [nw.col("customer_id").n_unique().alias("new_customers")]), keys)
    out["new_customers"] = _num(out["new_customers"]).fillna(0.0)
    return out


# --------------------------------------------------------------------------- KPIs


@kpi(
    name="cac", family="cost",
    needs={"costs": ("period", "amount", "category"), "customers": ("customer_id", "acquired_at")},
    label={"en": "Customer acquisition cost", "fr": "Coût d'acquisition client"},
    definition={
        "en": "Acquisition costs (marketing, sales, prospecting, outsourcing) of the period divided by "
              "the customers acquired in the period.",
        "fr": "Coûts d'acquisition (marketing, vente, prospection, sous-traitance) de la période divisés "
              "par le nombre de clients acquis sur la période.",
    },
    unit="currency", direction="lower", tables=("costs", "customers"), date="customers.acquired_at",
    headline=True, seeds=("000", "001", "002"),
    columns={"numerator": ("currency", "acquisition_costs"), "denominator": ("count", "new_customers")},
)
def cac(costs, customers, *, by=None, freq=None, start=None, end=None, categories=None,
        shared="allocate"):
    """Customer acquisition cost: acquisition costs / new customers.

    Customers acquired before the first recorded acquisition cost are not counted:
    what they cost is unknown (a customer base older than the cost history would
    otherwise dilute the CAC).

    Parameters
    ----------
    costs : DataFrame-like
        Needs ``period``, ``amount``, ``category`` (and ``source`` for ``by="source"``).
    customers : DataFrame-like
        Needs ``customer_id`` and ``acquired_at``; customers without ``acquired_at``
        are not counted.
    by : str or list of str, optional
        A column of both tables, usually ``"source"`` (the channel): costs of a
        channel over customers of that channel. See ``shared`` for costs without a
        source.
    freq : {None, "M", "Q", "Y"}
        Adds a ``period`` column (costs by their period, customers by ``acquired_at``).
    start, end : date-like, optional
        Keep costs and acquisitions in ``[start, end)``.
    categories : str or list of str, optional
        Cost categories counted; default marketing, sales, prospecting, outsourcing.
    shared : {"separate", "allocate"}
        Costs with a missing ``by`` value (e.g. sales salaries carry no channel).
        ``"allocate"`` (default): they are spread over all rows of the period in
        proportion to their new customers, so each channel carries its share of
        shared costs (fully loaded CAC; the parts still add up to the total).
        ``"separate"``: they form their own row with the customers whose value is
        missing (like any null group), and channel rows show direct costs only.

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value`` (missing without a new customer),
        ``numerator`` (costs), ``denominator`` (new customers).

    Raises
    ------
    ParameterError
        For an unknown category, ``freq="W"``, or a ``by`` column one table lacks
        (e.g. costs without ``source``).

    Examples
    --------
    >>> import pandas as pd
    >>> costs = pd.DataFrame({"period": pd.to_datetime(["2026-01-01"] * 3), "amount": [600.0, 300.0, 50.0],
    ...                       "category": ["marketing", "sales", "retention"]})
    >>> customers = pd.DataFrame({"customer_id": ["C1", "C2", "C3"],
    ...     "acquired_at": pd.to_datetime(["2026-01-05", "2026-01-20", "2025-12-09"])})
    >>> cac(costs, customers, start="2026-01-01")[["value", "numerator", "denominator"]].to_dict("records")
    [{'value': 450.0, 'numerator': 900.0, 'denominator': 2.0}]
    """
    check_freq("cac", freq)
    check_shared("cac", shared, by)
    cats = acquisition_categories(categories)
    check_by("cac", by, {"costs": lazy(costs, "costs"), "customers": lazy(customers, "customers")})
    keys = as_list(by) + (["period"] if freq else [])
    first = _first_cost(costs, cats)
    since = as_ts(start)
    if first is not None and (since is None or pd.Timestamp(since) < first):
        since = first
    out = merge_results(_costs_by(costs, by, freq, start, end, cats),
                 _new_customers_by(customers, by, freq, since, end), keys)
    if shared == "allocate" and as_list(by):
        out = _allocate(out, as_list(by)[0], bool(freq))
    return ratio(out, keys, numerator="costs", denominator="new_customers")[
        keys + ["value", "numerator", "denominator"]]


__all__ = ["cac", "ACQUISITION_CATEGORIES"]
