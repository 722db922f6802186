"""Customer loyalty KPIs (family satisfaction): repeat purchases, referrals, returning customers.

They are cohort KPIs: a customer too recent to tell at ``as_of`` counts neither as
yes nor as no, and the result says how many were left out (``n_censored``). Only
purchase orders are purchases (``docs/data-contract.md``, :func:`kit.orders.purchase_lines`).
"""

from __future__ import annotations

import datetime as _dt

import narwhals as nw
import numpy as np
import pandas as pd

from kit.errors import ParameterError
from kit.kpis._common import (
    _order, absent, aggregate, as_list, collect, columns, days_between, flag, floor_day, group_keys,
    is_month_end, latest_date, lazy, month_index, proportion, resolve_as_of, window,
)
from kit.kpis._options import is_count, is_number
from kit.orders import purchase_lines
from kit.registry import kpi


def _positive(name: str, value, unit: str, example) -> None:
    """Raise ParameterError unless ``value`` is a positive number."""
    if not is_number(value) or not value > 0:
        raise ParameterError(
            f"{name}={value!r} is not allowed: {name} is a number of {unit} and must be positive "
            f"(received {value!r}). Pass e.g. {name}={example}."
        )


def _check_by_columns(by, available: list[str], tables: str) -> None:
    available = [c for c in available if not c.startswith("_")]
    bad, hints = absent(as_list(by), available)
    if bad:
        raise ParameterError(
            f"by={by!r}: column(s) {bad} not found in {tables}{hints}; available columns: "
            f"{sorted(set(available))}. Pass by= one of the available columns."
        )


def _cohort_rate(cust: nw.LazyFrame, by, freq, start, end) -> pd.DataFrame:
    """The rate of a customer cohort KPI from one row per customer.

    ``cust`` has ``_acquired`` (the acquisition day), ``_hit`` (1 when the customer
    did it), ``_eligible`` (1 when old enough to tell and acquired within the data)
    and ``_before`` (1 when acquired before the data). Customers acquired in
    ``[start, end)`` are counted per ``by`` and period of ``_acquired``:
    :func:`proportion` of hits among the eligible, with ``n_censored`` (customers -
    eligible - acquired before the data) and ``n_before_data``.
    """
    cust = window(cust, "_acquired", start, end)
    keys, cust = group_keys(cust, by, freq, "_acquired")
    out = proportion(collect(aggregate(cust, keys, [
        nw.col("_hit").sum().alias("numerator"),
        nw.col("_eligible").sum().alias("denominator"),
        nw.len().alias("_n"),
        nw.col("_before").sum().alias("n_before_data"),
    ]), keys), keys)
    total = pd.to_numeric(out.pop("_n"), errors="coerce").fillna(0)
    before = pd.to_numeric(out["n_before_data"], errors="coerce").fillna(0)
    out["n_censored"] = (total - out["denominator"] - before).astype("int64")
    out["n_before_data"] = before.astype("int64")
    return _order(out, keys, ["value", "numerator", "denominator", "ci_low", "ci_high", "low_sample",
                              "n_censored", "n_before_data"])


@kpi(
    name="repeat_purchase_rate", family="satisfaction",
    needs={"orders": ("order_id", "customer_id", "ordered_at")},
    label={"en": "Repeat purchase rate (90 days)", "fr": "Taux de réachat (90 jours)"},
    definition={
        "en": "New customers who place a second purchase order within 90 days of their first purchase "
              "order, divided by the new customers whose first purchase is at least 90 days old; "
              "returns are not purchases.",
        "fr": "Nouveaux clients passant une deuxième commande d’achat dans les 90 jours suivant leur "
              "première commande d’achat, divisés par les nouveaux clients dont le premier achat date "
              "d’au moins 90 jours ; les retours ne sont pas des achats.",
    },
    unit="ratio", direction="higher", tables=("orders",), optional_tables=("customers",),
    date="orders.ordered_at", headline=True, seeds=("004",),
)
def repeat_purchase_rate(orders, *, customers=None, by=None, freq=None, start=None, end=None,
                         window=90, as_of=None):
    """Share of new customers who buy again within ``window`` days of their first order.

    Only purchase orders are purchases (``docs/data-contract.md``): a return or a
    credit note is never a first nor a second purchase, and a customer with returns
    only is in no cohort. A customer's acquisition date is the day of their first
    purchase order. A second purchase is another purchase order whose first line is
    on a later calendar day, at most ``window`` days after the first; another order
    on the first day does not count.
    Customers whose first order is less than ``window`` days before ``as_of`` cannot
    be judged yet: they are left out of both counts and reported in ``n_censored``.
    Days are calendar days, so a customer exactly ``window`` days old counts.

    The orders only say who is new when they go back to the customer's real first
    purchase. When ``customers`` has ``acquired_at``, a customer acquired before the
    first day of the orders table is not new in these data: it is left out and
    reported in ``n_before_data``. Without it, every customer's first order in the
    data is taken as their first purchase, which overstates the earliest cohorts.

    Parameters
    ----------
    orders : DataFrame-like
        Needs ``order_id``, ``customer_id`` and ``ordered_at``. Orders after ``as_of``
        are ignored.
    customers : DataFrame-like, optional
        Its ``acquired_at`` detects customers acquired before the orders start (see
        above). ``by`` columns it has (``segment``, ``source``, ``region``) are read
        from it; other ``by`` columns from the lines of the customer's first order
        day (a customer whose first-day lines disagree counts in each value).
    by : str or list of str, optional
        Columns to break down by (nulls form their own group).
    freq : {None, "W", "M", "Q", "Y"}
        Adds a ``period`` column: the start of the period of the acquisition date.
    start, end : date-like, optional
        Keep customers acquired in ``[start, end)``; their first order is searched
        over all orders, so an older customer never passes for a new one.
    window : int, default 90
        Days after the first order within which the second must come.
    as_of : date-like, optional
        End of the data (``kit.compute`` passes ``ds.as_of``); by default the latest
        ``ordered_at``.

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value``, ``numerator`` (customers who bought
        again), ``denominator`` (customers old enough to tell), ``ci_low``,
        ``ci_high``, ``low_sample``, ``n_censored`` (customers too recent),
        ``n_before_data`` (customers acquired before the orders start).

    Examples
    --------
    >>> import pandas as pd
    >>> o = pd.DataFrame({"order_id": ["A", "B", "C"], "customer_id": ["C1", "C1", "C2"],
    ...                   "ordered_at": pd.to_datetime(["2026-01-05", "2026-02-01", "2026-01-10"])})
    >>> repeat_purchase_rate(o, as_of="2026-06-30")[["value", "numerator", "denominator", "n_censored"]].to_dict("records")
    [{'value': 0.5, 'numerator': 1.0, 'denominator': 2.0, 'n_censored': 0}]
    """
    _positive("window", window, "days", 90)
    o = lazy(orders, "orders", needs=["order_id", "customer_id", "ordered_at"])
    o = o.filter(~nw.col("customer_id").is_null() & ~nw.col("ordered_at").is_null())
    as_of = resolve_as_of(as_of, (o, "ordered_at"))
    if as_of is not None:
        o = o.filter(nw.col("ordered_at") <= nw.lit(as_of))

    data_start = latest_date((o, "ordered_at"), earliest=True)
    by_list = as_list(by)
    c = None
    if customers is not None:
        c = lazy(customers, "customers", needs=["customer_id"])
    from_customers = [k for k in by_list if c is not None and k in columns(c)]
    from_orders = [k for k in by_list if k not in from_customers]
    _check_by_columns(by, columns(o) + (columns(c) if c is not None else []),
                      "orders" + (" or customers" if c is not None else ""))
    o = purchase_lines(o, keep=from_orders)

    o = o.with_columns(_day=nw.col("ordered_at").dt.truncate("1d"))
    per_order = o.group_by("customer_id", "order_id").agg(nw.col("_day").min())
    first = per_order.group_by("customer_id").agg(nw.col("_day").min().alias("_acquired"))
    j = per_order.join(first, on="customer_id", how="inner")
    j = j.with_columns(_gap=days_between("_day", "_acquired", j))
    j = j.with_columns(_second=flag((nw.col("_gap") > 0) & (nw.col("_gap") <= window)))
    cust = j.group_by("customer_id").agg(nw.col("_acquired").min(), nw.col("_second").max())

    if as_of is None:
        eligible = nw.lit(False)
    else:
        eligible = nw.col("_acquired") <= nw.lit(floor_day(as_of) - _dt.timedelta(days=window))
    if c is not None and "acquired_at" in columns(c) and data_start is not None:
        acquired = c.filter(~nw.col("customer_id").is_null()).group_by("customer_id").agg(
            nw.col("acquired_at").min().alias("_acquired_at"))
        cust = cust.join(acquired, on="customer_id", how="left").with_columns(_before=flag(
            nw.col("_acquired_at").dt.truncate("1d") < nw.lit(floor_day(data_start)))).drop("_acquired_at")
    else:
        cust = cust.with_columns(_before=nw.lit(0).cast(nw.Int64))
    cust = cust.with_columns(_eligible=flag(eligible & (nw.col("_before") == 0)))
    cust = cust.with_columns(_hit=flag((nw.col("_eligible") == 1) & (nw.col("_second") == 1)))

    if from_orders:
        first_lines = o.join(first, on="customer_id", how="inner").filter(
            nw.col("_day") == nw.col("_acquired"))
        attrs = first_lines.group_by("customer_id", *from_orders, drop_null_keys=False).agg(
            nw.len().alias("_lines")).select("customer_id", *from_orders)
        cust = cust.join(attrs, on="customer_id", how="inner")
    if from_customers:
        attrs = c.filter(~nw.col("customer_id").is_null()).group_by(
            "customer_id", *from_customers, drop_null_keys=False).agg(
            nw.len().alias("_rows")).select("customer_id", *from_customers)
        cust = cust.join(attrs, on="customer_id", how="left")

    return _cohort_rate(cust, by, freq, start, end)


def _acquisition(customers, orders) -> nw.LazyFrame:
    """Customers with ``_acquired``: ``acquired_at``, else the day of the first purchase order."""
    c = lazy(customers, "customers", needs=["customer_id"])
    c = c.filter(~nw.col("customer_id").is_null())
    has_acq = "acquired_at" in columns(c)
    if not has_acq and orders is None:
        raise ParameterError(
            "table 'customers' has no 'acquired_at' column and no orders were given to derive it "
            f"(available columns: {columns(c)}). Pass orders= (the first order is the acquisition "
            "date), or add acquired_at to customers."
        )
    if orders is not None:
        o = purchase_lines(lazy(orders, "orders", needs=["customer_id", "ordered_at"]), keep=())
        first = o.filter(~nw.col("customer_id").is_null()).group_by("customer_id").agg(
            nw.col("ordered_at").min().alias("_first_order"))
        c = c.join(first, on="customer_id", how="left")
        acq = nw.coalesce(nw.col("acquired_at"), nw.col("_first_order")) if has_acq else nw.col("_first_order")
    else:
        acq = nw.col("acquired_at")
    return c.with_columns(_acquired=acq.dt.truncate("1d"))


@kpi(
    name="referral_rate", family="satisfaction",
    needs={"customers": ("customer_id",), "referrals": ("referrer_id", "referred_at", "valid")},
    label={"en": "Referral rate (6 months)", "fr": "Taux de recommandation (6 mois)"},
    definition={
        "en": "New customers who give a valid referral within 6 months of their acquisition, divided "
              "by the customers acquired at least 6 months ago.",
        "fr": "Nouveaux clients fournissant une recommandation valide dans les 6 mois suivant leur "
              "acquisition, divisés par les clients acquis depuis au moins 6 mois.",
    },
    unit="ratio", direction="higher", tables=("customers", "referrals"), optional_tables=("orders",),
    date="customers.acquired_at", seeds=("004",),
)
def referral_rate(customers, referrals, *, orders=None, by=None, freq=None, start=None, end=None,
                  months=6, as_of=None):
    """Share of new customers who give a valid referral within ``months`` of acquisition.

    A customer counts when ``referrals`` holds a row with ``referrer_id`` equal to
    the customer, ``valid`` true, and ``referred_at`` between the acquisition day and
    the same day ``months`` calendar months later (the 31st maps to the month's last
    day). Customers acquired less than ``months`` months before ``as_of`` are left out
    of both counts and reported in ``n_censored``; customers with no acquisition
    date, or acquired after ``as_of``, are left out.

    The referrals table is taken to cover the time from its first ``referred_at``
    on (e.g. the start of the export or of the referral programme): a customer whose
    ``months`` months ended before that day cannot be judged, and is left out and
    reported in ``n_before_data``.

    Parameters
    ----------
    customers : DataFrame-like
        Needs ``customer_id`` and ``acquired_at`` (or ``orders`` to derive it).
    referrals : DataFrame-like
        Needs ``referrer_id``, ``referred_at`` and ``valid``.
    orders : DataFrame-like, optional
        Fills a missing ``acquired_at`` with the day of the customer's first order.
    by : str or list of str, optional
        Columns of ``customers`` to break down by (nulls form their own group).
    freq : {None, "W", "M", "Q", "Y"}
        Adds a ``period`` column: the start of the period of the acquisition date.
    start, end : date-like, optional
        Keep customers acquired in ``[start, end)``.
    months : int, default 6
        Calendar months after acquisition within which the referral must come.
    as_of : date-like, optional
        End of the data (``kit.compute`` passes ``ds.as_of``); by default the latest
        acquisition or referral date.

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value``, ``numerator`` (customers who
        referred), ``denominator`` (customers old enough to tell), ``ci_low``,
        ``ci_high``, ``low_sample``, ``n_censored``, ``n_before_data``.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"customer_id": ["C1", "C2", "C3"],
    ...                   "acquired_at": pd.to_datetime(["2025-01-10", "2025-02-01", "2025-12-01"])})
    >>> r = pd.DataFrame({"referrer_id": ["C1"], "referred_at": pd.to_datetime(["2025-03-01"]),
    ...                   "valid": [True]})
    >>> referral_rate(c, r, as_of="2026-01-31")[["value", "numerator", "denominator", "n_censored"]].to_dict("records")
    [{'value': 0.5, 'numerator': 1.0, 'denominator': 2.0, 'n_censored': 1}]
    """
    if not is_count(months):
        raise ParameterError(
            f"months={months!r} is not allowed: months is a whole number of calendar months and must "
            f"be positive (received {months!r}). Pass e.g. months=6."
        )
    months = int(months)
    c = _acquisition(customers, orders)
    r = lazy(referrals, "referrals", needs=["referrer_id", "referred_at", "valid"])
    r = r.filter((nw.col("valid") == nw.lit(True)) & ~nw.col("referred_at").is_null()
                 & ~nw.col("referrer_id").is_null())
    as_of = resolve_as_of(as_of, (c, "_acquired"), (r, "referred_at"))
    _check_by_columns(by, columns(c), "customers")
    covered = lazy(referrals, "referrals").filter(~nw.col("referred_at").is_null())
    if as_of is not None:
        covered = covered.filter(nw.col("referred_at") <= nw.lit(as_of))
    data_start = latest_date((covered, "referred_at"), earliest=True)

    c = c.filter(~nw.col("_acquired").is_null())
    if as_of is None:
        eligible = nw.lit(False)
    else:
        day = floor_day(as_of)
        c = c.filter(nw.col("_acquired") <= nw.lit(day))
        r = r.filter(nw.col("referred_at") <= nw.lit(as_of))
        # acquired + months (calendar) <= as_of
        k = day.year * 12 + day.month - months
        last_day = 31 if is_month_end(day) else day.day
        eligible = (month_index("_acquired") < k) | (
            (month_index("_acquired") == k) & (nw.col("_acquired").dt.day() <= last_day))
    if data_start is None:
        before = nw.lit(False)
    else:
        # acquired + months (calendar) < first referral day
        first = floor_day(data_start)
        k0 = first.year * 12 + first.month - months
        before = (month_index("_acquired") < k0) | (
            (month_index("_acquired") == k0) & (nw.col("_acquired").dt.day() < first.day))
    c = c.with_columns(_before=flag(before))
    c = c.with_columns(_eligible=flag(eligible & (nw.col("_before") == 0)))

    r = r.select(nw.col("referrer_id").alias("customer_id"),
                 nw.col("referred_at").dt.truncate("1d").alias("_rday"))
    hits = r.join(c.select("customer_id", "_acquired"), on="customer_id", how="inner")
    gap = month_index("_rday") - month_index("_acquired")
    hits = hits.with_columns(_within=flag(
        (nw.col("_rday") >= nw.col("_acquired"))
        & ((gap < months) | ((gap == months) & (nw.col("_rday").dt.day() <= nw.col("_acquired").dt.day())))
    ))
    hits = hits.group_by("customer_id").agg(nw.col("_within").max().alias("_referred"))
    c = c.join(hits, on="customer_id", how="left").with_columns(
        _hit=flag((nw.col("_eligible") == 1) & (nw.col("_referred") == 1)))

    return _cohort_rate(c, by, freq, start, end)


@kpi(
    name="returning_customer_rate", family="satisfaction",
    needs={"orders": ("customer_id", "ordered_at")},
    label={"en": "Returning customer rate", "fr": "Taux de clients fidèles d’une année sur l’autre"},
    definition={
        "en": "Customers who placed a purchase order in a calendar year and place one again the next "
              "year, divided by the customers of that year; returns are not purchases.",
        "fr": "Clients ayant passé une commande d’achat pendant une année civile et qui en passent de "
              "nouveau une l’année suivante, divisés par les clients de cette année ; les retours ne "
              "sont pas des achats.",
    },
    unit="ratio", direction="higher", tables=("orders",), date="orders.ordered_at", seeds=("003",),
)
def returning_customer_rate(orders, *, by=None, start=None, end=None, as_of=None, partial=False):
    """Share of a year's customers who buy again the following calendar year.

    One row per year ``Y`` (``period`` is 1 January of ``Y``). A year can only be
    judged once ``Y + 1`` is complete at ``as_of`` (``as_of`` on or after 31 December
    of ``Y + 1``); other years are left out, or shown with ``complete=False`` when
    ``partial=True`` (their value is then a lower bound). Only purchase orders are
    purchases (``docs/data-contract.md``): a customer who only returned something in
    ``Y`` is not a customer of ``Y``, and a return in ``Y + 1`` is not buying again.

    Parameters
    ----------
    orders : DataFrame-like
        Needs ``customer_id`` and ``ordered_at``. Orders after ``as_of`` are ignored.
    by : str or list of str, optional
        Columns of ``orders`` to break down by; a customer counts in every value it
        bought under in year ``Y`` (e.g. each ``rep_id``) and returns when it buys
        anything in ``Y + 1``.
    start, end : date-like, optional
        Keep years whose 1 January is in ``[start, end)``.
    as_of : date-like, optional
        End of the data (``kit.compute`` passes ``ds.as_of``); by default the latest
        ``ordered_at``.
    partial : bool, default False
        Also show years whose next year is not complete yet.

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value``, ``numerator`` (customers of ``Y``
        buying in ``Y + 1``), ``denominator`` (customers of ``Y``), ``ci_low``,
        ``ci_high``, ``low_sample``, ``complete``.

    Examples
    --------
    >>> import pandas as pd
    >>> o = pd.DataFrame({"customer_id": ["C1", "C2", "C1"],
    ...                   "ordered_at": pd.to_datetime(["2024-03-01", "2024-05-01", "2025-02-01"])})
    >>> returning_customer_rate(o, as_of="2025-12-31")[["period", "value", "numerator", "denominator"]].to_dict("records")
    [{'period': Timestamp('2024-01-01 00:00:00'), 'value': 0.5, 'numerator': 1.0, 'denominator': 2.0}]
    """
    if not isinstance(partial, (bool, np.bool_)):
        raise ParameterError(
            f"partial={partial!r} is not allowed; allowed values: True, False. Pass partial=True to "
            "also show years whose next year is not complete."
        )
    o = lazy(orders, "orders", needs=["customer_id", "ordered_at"])
    o = o.filter(~nw.col("customer_id").is_null() & ~nw.col("ordered_at").is_null())
    as_of = resolve_as_of(as_of, (o, "ordered_at"))
    group_keys(o, by, None, "ordered_at")  # checks by on the table's own columns
    keys, o = group_keys(purchase_lines(o, keep=as_list(by)), by, None, "ordered_at")
    if as_of is not None:
        o = o.filter(nw.col("ordered_at") <= nw.lit(as_of))
        day = floor_day(as_of)
        last_judged = day.year - 2 + (1 if (day.month, day.day) == (12, 31) else 0)
    else:
        last_judged = None
    o = o.with_columns(_year=nw.col("ordered_at").dt.year().cast(nw.Int64),
                       period=nw.col("ordered_at").dt.truncate("1y"))
    base = o.group_by("customer_id", "_year", "period", *keys, drop_null_keys=False).agg(
        nw.len().alias("_lines")).select("customer_id", "_year", "period", *keys)
    back = o.group_by("customer_id", "_year").agg(nw.len().alias("_lines")).select(
        "customer_id", (nw.col("_year") - 1).alias("_year"), nw.lit(1).cast(nw.Int64).alias("_back"))
    f = base.join(back, on=["customer_id", "_year"], how="left").with_columns(
        _back=flag(nw.col("_back") == 1))
    if not partial:
        # no as_of means no data: nothing can be judged
        f = f.filter(nw.col("_year") <= (last_judged if last_judged is not None else -1))
    f = window(f, "period", start, end)
    keys = keys + ["period"]
    out = collect(aggregate(f, keys, [
        nw.col("_back").sum().alias("numerator"),
        nw.len().alias("denominator"),
    ]), keys)
    out = proportion(out, keys)
    years = pd.to_datetime(out["period"]).dt.year
    out["complete"] = (years <= last_judged) if last_judged is not None else False
    return out


__all__ = ["repeat_purchase_rate", "referral_rate", "returning_customer_rate"]
