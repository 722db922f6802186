"""Cost KPIs: acquisition cost, lifetime value and payback.

From the source articles 000 to 002 (see :attr:`kit.registry.KPISpec.seeds`).

New customers are attributed to their acquisition date (``customers.acquired_at``);
costs to their ``period``; lifetime value to the acquisition cohort of the customer.
"""

from __future__ import annotations

import narwhals as nw
import numpy as np
import pandas as pd

from kit.contract import COST_CATEGORIES
from kit.errors import ParameterError, did_you_mean
from kit.kpis._common import (
    _num, aggregate, as_list, as_ts, collect, columns, flag, group_keys, lazy,
    merge_results, ratio, resolve_as_of, safe_div, sort_rows, window,
)
from kit.orders import signed_cost, split_orders
from kit.registry import kpi
from kit.stats import LOW_SAMPLE

#: Cost categories counted as acquisition costs by default.
ACQUISITION_CATEGORIES = ("marketing", "sales", "prospecting", "outsourcing")
#: ``freq`` values that make sense for monthly costs.
COST_FREQS = (None, "M", "Q", "Y")
#: How costs without a ``source`` are treated when CAC is split by channel.
SHARED = ("separate", "allocate")
_Z95 = 1.959963984540054


# --------------------------------------------------------------------------- helpers


def _categories(categories) -> list[str]:
    if categories is None:
        return list(ACQUISITION_CATEGORIES)
    cats = [categories] if isinstance(categories, str) else list(categories)
    bad = [c for c in cats if c not in COST_CATEGORIES]
    if bad or not cats:
        hints = "".join(did_you_mean(b, COST_CATEGORIES) for b in bad)
        raise ParameterError(
            f"categories={categories!r}: {bad or 'an empty list'} not allowed{hints}; allowed cost "
            f"categories: {', '.join(COST_CATEGORIES)}. The default counts "
            f"{', '.join(ACQUISITION_CATEGORIES)}."
        )
    return cats


def _check_freq(kpi_name: str, freq) -> None:
    if freq not in COST_FREQS:
        raise ParameterError(
            f"{kpi_name}: freq={freq!r} is not allowed, because costs are monthly; allowed values: "
            "None, 'M', 'Q', 'Y'. Use freq='M' for monthly results."
        )


def _check_by(kpi_name: str, by, tables: dict) -> None:
    """Each ``by`` column must be in every table of ``tables`` ({name: narwhals frame})."""
    for name, f in tables.items():
        cols = columns(f)
        bad = [k for k in as_list(by) if k not in cols]
        if bad:
            why = (" Costs without a 'source' cannot be split by channel: add a source column to "
                   "costs, or use by=None." if name == "costs" and "source" in bad else
                   f" Pass by= a column of {' and '.join(tables)}.")
            raise ParameterError(
                f"{kpi_name}: by={by!r} needs column(s) {bad} in table {name!r}, which has "
                f"{cols}{''.join(did_you_mean(b, cols) for b in bad)}.{why}"
            )


def _check_horizon(kpi_name: str, horizon) -> None:
    if isinstance(horizon, bool) or not isinstance(horizon, (int, np.integer)) or horizon < 1:
        raise ParameterError(
            f"{kpi_name}: horizon={horizon!r} is not allowed; it is the number of months after "
            "acquisition over which margin is summed, a whole number >= 1 (default 12)."
        )


def _check_shared(kpi_name: str, shared, by) -> None:
    if shared not in SHARED:
        raise ParameterError(
            f"{kpi_name}: shared={shared!r} is not allowed; allowed values: 'separate' (costs without "
            "a value of the by column form their own row) or 'allocate' (they are spread over the "
            "groups in proportion to their new customers)."
        )
    if shared == "allocate" and len(as_list(by)) > 1:
        raise ParameterError(
            f"{kpi_name}: shared='allocate' works with one by column, received by={by!r}. "
            "Pass a single column such as by='source'."
        )


def _allocate(out: pd.DataFrame, key: str, has_period: bool) -> pd.DataFrame:
    """Spread the costs of the row whose ``key`` is missing over all rows of the same period,
    in proportion to their new customers; the total is kept. Periods without a new customer
    keep their costs where they are."""
    out = out.copy()
    missing = out[key].isna()
    grp = out["period"] if has_period else pd.Series(0, index=out.index)
    pool = out["costs"].where(missing, 0.0).groupby(grp).transform("sum")
    new = _num(out["new_customers"]).fillna(0.0)
    total_new = new.groupby(grp).transform("sum")
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
    f = f.filter(nw.col("category").is_in(_categories(categories)))
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
    _check_freq("cac", freq)
    _check_shared("cac", shared, by)
    cats = _categories(categories)
    _check_by("cac", by, {"costs": lazy(costs, "costs"), "customers": lazy(customers, "customers")})
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
    _check_horizon("ltv", horizon)
    c = lazy(customers, "customers", needs=["customer_id", "acquired_at"])
    _check_by("ltv", by, {"customers": c})
    as_of = resolve_as_of(as_of, (orders, "ordered_at"), (customers, "acquired_at"))
    keys = as_list(by) + (["period"] if freq else [])
    if as_of is None:  # no date in either table: no customer can be placed, any as_of gives 0 rows
        as_of = pd.Timestamp("1970-01-01")
    out = _ltv_table(orders, customers, by=by, freq=freq, start=start, end=end,
                     horizon=horizon, as_of=as_of)
    return _ltv_result(out, keys)


@kpi(
    name="ltv_cac_ratio", family="cost",
    needs={"orders": ("customer_id", "ordered_at", "amount", "cost"),
           "customers": ("customer_id", "acquired_at"),
           "costs": ("period", "amount", "category")},
    label={"en": "LTV / CAC ratio", "fr": "Ratio valeur vie client / coût d'acquisition"},
    definition={
        "en": "Lifetime value of the customers of a channel divided by their acquisition cost.",
        "fr": "Valeur vie des clients d'un canal divisée par leur coût d'acquisition.",
    },
    unit="multiple", direction="higher", tables=("orders", "customers", "costs"),
    date="customers.acquired_at", headline=False, seeds=("001",),
    columns={"numerator": ("currency", "ltv"), "denominator": ("currency", "cac"),
             "n_customers": ("count", "customers_old_enough"),
             "new_customers": ("count", "new_customers")},
)
def ltv_cac_ratio(orders, customers, costs, *, by=None, freq=None, start=None, end=None,
                  horizon=12, as_of=None, categories=None, shared="allocate"):
    """LTV / CAC: how many times the margin of a customer repays what it cost to acquire.

    ``ltv`` is :func:`ltv` (customers acquired in the window and old enough) and
    ``cac`` is :func:`cac` (costs and acquisitions of the window), per ``by`` group
    and period.

    Parameters
    ----------
    orders, customers, costs : DataFrame-like
        As for :func:`ltv` and :func:`cac`.
    by : str or list of str, optional
        A column of customers and costs, usually ``"source"``.
    freq : {None, "M", "Q", "Y"}
        Adds a ``period`` column: the acquisition period.
    start, end : date-like, optional
        Keep acquisitions and costs in ``[start, end)``.
    horizon : int
        Months of margin in the LTV.
    as_of : date-like, optional
        End of the data; default the latest order or acquisition date.
    categories : str or list of str, optional
        Cost categories of the CAC.
    shared : {"separate", "allocate"}
        Costs without a ``by`` value: own row, or spread over the groups (see :func:`cac`).

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
    _check_freq("ltv_cac_ratio", freq)
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
    needs={"orders": ("customer_id", "ordered_at", "amount", "cost"),
           "customers": ("customer_id", "acquired_at"),
           "costs": ("period", "amount", "category")},
    label={"en": "CAC payback", "fr": "Délai de récupération du coût d'acquisition"},
    definition={
        "en": "Acquisition cost divided by the mean monthly gross margin of a new customer over its "
              "first 12 months.",
        "fr": "Coût d'acquisition divisé par la marge brute mensuelle moyenne d'un nouveau client sur ses "
              "12 premiers mois.",
    },
    unit="months", direction="lower", tables=("orders", "customers", "costs"),
    date="customers.acquired_at", headline=False, seeds=(),
    columns={"cac": ("currency", "cac"), "monthly_margin": ("currency", "monthly_margin"),
             "n_customers": ("count", "customers_old_enough"),
             "new_customers": ("count", "new_customers")},
)
def cac_payback_months(orders, customers, costs, *, by=None, freq=None, start=None, end=None,
                       horizon=12, as_of=None, categories=None, shared="allocate"):
    """Months of margin a new customer needs to repay its acquisition cost.

    ``value = cac / (ltv / horizon)``: the CAC over the mean monthly gross margin of a
    customer in its first ``horizon`` months (censored as in :func:`ltv`). A zero or
    negative monthly margin never pays back: the value is missing.

    Parameters
    ----------
    orders, customers, costs : DataFrame-like
        As for :func:`ltv` and :func:`cac`.
    by : str or list of str, optional
        A column of customers and costs, usually ``"source"``.
    freq : {None, "M", "Q", "Y"}
        Adds a ``period`` column: the acquisition period.
    start, end : date-like, optional
        Keep acquisitions and costs in ``[start, end)``.
    horizon : int
        Months over which the monthly margin is averaged.
    as_of : date-like, optional
        End of the data; default the latest order or acquisition date.
    categories : str or list of str, optional
        Cost categories of the CAC.
    shared : {"separate", "allocate"}
        Costs without a ``by`` value: own row, or spread over the groups (see :func:`cac`).

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value`` (months), ``cac``, ``monthly_margin``,
        ``n_customers`` (in the margin), ``n_censored``, ``new_customers`` (in the CAC).

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
    >>> out = cac_payback_months(orders, customers, costs, as_of="2026-02-01")
    >>> out[["value", "cac", "monthly_margin"]].round(2).to_dict("records")
    [{'value': 3.75, 'cac': 125.0, 'monthly_margin': 33.33}]
    """
    _check_freq("cac_payback_months", freq)
    _check_horizon("cac_payback_months", horizon)
    keys = as_list(by) + (["period"] if freq else [])
    r = ltv_cac_ratio(orders, customers, costs, by=by, freq=freq, start=start, end=end,
                      horizon=horizon, as_of=as_of, categories=categories, shared=shared)
    r = r.rename(columns={"numerator": "_ltv", "denominator": "cac"})
    r["monthly_margin"] = _num(r["_ltv"]) / float(horizon)
    m = _num(r["monthly_margin"])
    r["value"] = safe_div(_num(r["cac"]), m.where(m > 0))
    return sort_rows(r[keys + ["value", "cac", "monthly_margin", "n_customers", "n_censored",
                           "new_customers"]], keys)


__all__ = ["cac", "ltv", "ltv_cac_ratio", "cac_payback_months", "ACQUISITION_CATEGORIES"]
