"""Hand-written references for eight KPIs: one in DuckDB SQL, one in idiomatic pandas.

Each reference follows the definition of the kit's KPI (read from its code and
docstring), so that its result can be checked equal to the kit's: the bench fails
its ``equal`` flag when any of them differs. The SQL reads the tables as views
named after them (``leads``, ``orders``...); the pandas version takes the
pandas tables of a dataset loaded with ``backend="pandas"``.

Examples
--------
>>> [r.name for r in REFERENCES][:3]
['revenue_by_month', 'conversion_by_source_month', 'cac_by_channel']
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kit.contract import RETURN_STATUSES

ACQUISITION_CATEGORIES = ("marketing", "sales", "prospecting", "outsourcing")


@dataclass(frozen=True)
class Reference:
    """One KPI computed three ways: the kit, DuckDB SQL and pandas."""

    name: str
    kpi: str
    options: dict
    keys: list
    values: list
    sql: str
    pandas: object = field(repr=False)  # callable(tables: dict, as_of) -> DataFrame


def _sql_as_of(as_of) -> str:
    return f"TIMESTAMP '{pd.Timestamp(as_of).ceil('us').isoformat(sep=' ')}'"


# --------------------------------------------------------------------------- pandas


def revenue_by_month(t, as_of):
    o = t["orders"]
    return (o.assign(period=o["ordered_at"].dt.to_period("M").dt.start_time)
            .groupby("period", as_index=False, observed=True)["amount"].sum().rename(columns={"amount": "value"}))


def conversion_by_source_month(t, as_of):
    leads = t["leads"]
    leads = leads[leads["created_at"] <= as_of]
    ok = leads["converted_at"].notna() & (leads["converted_at"] <= as_of) \
        & (leads["converted_at"] >= leads["created_at"])
    g = (leads.assign(period=leads["created_at"].dt.to_period("M").dt.start_time, _conv=ok)
         .groupby(["source", "period"], dropna=False, as_index=False, observed=True)
         .agg(numerator=("_conv", "sum"), denominator=("_conv", "size")))
    g["value"] = g["numerator"] / g["denominator"]
    return g


def cac_by_channel(t, as_of):
    costs = t["costs"][t["costs"]["category"].isin(ACQUISITION_CATEGORIES)]
    first = costs["period"].min()
    spent = costs.groupby("source", dropna=False, as_index=False, observed=True)["amount"].sum()
    cust = t["customers"]
    cust = cust[cust["acquired_at"].notna() & (cust["acquired_at"] >= first)]
    new = cust.groupby("source", dropna=False, as_index=False, observed=True)["customer_id"].nunique()
    g = spent.merge(new, on="source", how="outer").fillna({"amount": 0.0, "customer_id": 0})
    g = g.rename(columns={"amount": "numerator", "customer_id": "denominator"})
    g["value"] = g["numerator"] / g["denominator"].where(g["denominator"] > 0)
    return g


def _purchases(o: pd.DataFrame) -> pd.DataFrame:
    """The lines of purchase orders (docs/data-contract.md): an order is a return when a line
    is flagged (``is_return``, a cancelled/returned ``status``) or when it holds a negative
    line and its net amount is zero or less."""
    flag = pd.Series(False, index=o.index)
    if "is_return" in o.columns:
        flag |= o["is_return"].astype("boolean").fillna(False).astype(bool)
    if "status" in o.columns:
        flag |= o["status"].astype("string").str.lower().isin(RETURN_STATUSES).fillna(False).astype(bool)
    g = o.assign(_flag=flag, _neg=o["amount"] < 0).groupby("order_id", observed=True).agg(
        net=("amount", "sum"), flag=("_flag", "max"), neg=("_neg", "max"))
    returned = g.index[g["flag"] | (g["neg"] & (g["net"] <= 0))]
    return o[~o["order_id"].isin(returned)]


def average_basket(t, as_of):
    o = _purchases(t["orders"])
    revenue = o["amount"].sum()
    n = o["order_id"].nunique()
    return pd.DataFrame({"value": [revenue / n if n else np.nan], "numerator": [revenue],
                         "denominator": [float(n)]})


def repeat_purchase_90d(t, as_of, window=90):
    o = _purchases(t["orders"])
    o = o[o["customer_id"].notna() & o["ordered_at"].notna() & (o["ordered_at"] <= as_of)]
    day = o["ordered_at"].dt.normalize()
    per_order = o.assign(_day=day).groupby(["customer_id", "order_id"], as_index=False, observed=True)["_day"].min()
    first = per_order.groupby("customer_id", observed=True)["_day"].transform("min")
    gap = (per_order["_day"] - first).dt.days
    per_order["_second"] = (gap > 0) & (gap <= window)
    cust = per_order.assign(_acq=first).groupby("customer_id", observed=True).agg(
        _acq=("_acq", "min"), _second=("_second", "max"))
    acquired = t["customers"].groupby("customer_id", observed=True)["acquired_at"].min()
    before = acquired.reindex(cust.index).dt.normalize() < day.min()
    eligible = (cust["_acq"] <= pd.Timestamp(as_of).normalize() - pd.Timedelta(days=window)) & ~before
    num, den = float((eligible & cust["_second"]).sum()), float(eligible.sum())
    return pd.DataFrame({"value": [num / den if den else np.nan], "numerator": [num],
                         "denominator": [den]})


def _days(later: pd.Series, earlier: pd.Series) -> pd.Series:
    # calendar days with the time of day as a fraction, to the second, like the kit
    return (later.dt.floor("s") - earlier.dt.floor("s")).dt.total_seconds() / 86400.0


def median_days_to_convert_by_rep(t, as_of):
    leads = t["leads"]
    leads = leads[leads["created_at"] <= as_of]
    ok = leads["converted_at"].notna() & (leads["converted_at"] <= as_of) \
        & (leads["converted_at"] >= leads["created_at"])
    days = _days(leads["converted_at"], leads["created_at"]).where(ok)
    return (leads.assign(_days=days).groupby("rep_id", dropna=False, as_index=False, observed=True)
            .agg(value=("_days", "median"), n=("_days", "count")))


def _purpose(a: pd.DataFrame, leads: pd.DataFrame) -> pd.Series:
    conv = a["lead_id"].map(leads.set_index("lead_id")["converted_at"])
    known = a["lead_id"].isin(leads["lead_id"])
    prospect = np.where(known, conv.isna() | (conv > a["occurred_at"]),
                        a["lead_id"].notna() & a["customer_id"].isna())
    derived = pd.Series(np.where(prospect, "prospecting", "sales"), index=a.index)
    return a["purpose"].where(a["purpose"].notna(), derived)


def prospect_calls_by_rep_type(t, as_of):
    a = t["activities"]
    purpose = _purpose(a, t["leads"])
    hit = a["type"].isin(["call", "voicemail"]) & (purpose == "prospecting") \
        & (a["direction"].isna() | (a["direction"] != "inbound"))
    return (a.assign(_hit=hit).groupby(["rep_id", "type"], dropna=False, as_index=False, observed=True)
            .agg(value=("_hit", "sum")))


def email_response_rate(t, as_of):
    a = t["activities"]
    purpose = _purpose(a, t["leads"])
    sent = (a["type"] == "email") & (purpose == "prospecting") \
        & (a["direction"].isna() | (a["direction"] != "inbound"))
    replied = sent & a["replied"].fillna(False).astype(bool)
    num, den = float(replied.sum()), float(sent.sum())
    return pd.DataFrame({"value": [num / den if den else np.nan], "numerator": [num],
                         "denominator": [den]})


# --------------------------------------------------------------------------- SQL

_PURPOSE_SQL = """
    coalesce(a.purpose, CASE
        WHEN l.lead_id IS NOT NULL THEN
            CASE WHEN l.converted_at IS NULL OR l.converted_at > a.occurred_at
                 THEN 'prospecting' ELSE 'sales' END
        WHEN a.lead_id IS NOT NULL AND a.customer_id IS NULL THEN 'prospecting'
        ELSE 'sales' END)"""

#: The lines of purchase orders, as :func:`_purchases` (the columns is_return and status are
#: those of the sample generator).
_PURCHASES_SQL = f"""
    SELECT * FROM orders WHERE order_id NOT IN (
        SELECT order_id FROM orders GROUP BY order_id
        HAVING bool_or(coalesce(is_return, false)
                       OR coalesce(lower(CAST(status AS VARCHAR)) IN {RETURN_STATUSES}, false))
            OR (bool_or(amount < 0) AND sum(amount) <= 0))"""

REFERENCES = [
    Reference(
        "revenue_by_month", "revenue", {"freq": "M"}, ["period"], ["value"],
        "SELECT date_trunc('month', ordered_at) AS period, sum(amount) AS value "
        "FROM orders GROUP BY ALL ORDER BY period", revenue_by_month),
    Reference(
        "conversion_by_source_month", "lead_conversion_rate", {"by": "source", "freq": "M"},
        ["source", "period"], ["numerator", "denominator", "value"],
        "SELECT source, date_trunc('month', created_at) AS period, "
        "count(*) FILTER (WHERE converted_at >= created_at AND converted_at <= {as_of}) AS numerator, "
        "count(*) AS denominator, numerator / denominator AS value FROM leads "
        "WHERE created_at <= {as_of} GROUP BY ALL", conversion_by_source_month),
    Reference(
        "cac_by_channel", "cac", {"by": "source", "shared": "separate"}, ["source"],
        ["numerator", "denominator", "value"],
        f"""WITH c AS (SELECT * FROM costs WHERE category IN {ACQUISITION_CATEGORIES}),
        spent AS (SELECT source, sum(amount) AS numerator FROM c GROUP BY ALL),
        new AS (SELECT source, count(DISTINCT customer_id) AS denominator FROM customers
                WHERE acquired_at >= (SELECT min(period) FROM c) GROUP BY ALL)
        SELECT coalesce(s.source, n.source) AS source, coalesce(numerator, 0) AS numerator,
               coalesce(denominator, 0) AS denominator,
               numerator / nullif(denominator, 0) AS value
        FROM spent s FULL JOIN new n ON s.source IS NOT DISTINCT FROM n.source""",
        cac_by_channel),
    Reference(
        "average_basket", "average_basket", {}, [], ["numerator", "denominator", "value"],
        "WITH p AS (" + _PURCHASES_SQL + ") "
        "SELECT sum(amount) / count(DISTINCT order_id) AS value, sum(amount) AS numerator, "
        "count(DISTINCT order_id) AS denominator FROM p", average_basket),
    Reference(
        "repeat_purchase_90d", "repeat_purchase_rate", {}, [], ["numerator", "denominator", "value"],
        "WITH p AS (" + _PURCHASES_SQL + "), " +
        """o AS (SELECT * FROM p WHERE customer_id IS NOT NULL AND ordered_at <= {as_of}),
        per_order AS (SELECT customer_id, order_id, min(date_trunc('day', ordered_at)) AS d
                      FROM o GROUP BY ALL),
        cust AS (SELECT customer_id, min(d) AS acq FROM per_order GROUP BY ALL),
        hit AS (SELECT c.customer_id, c.acq,
                       bool_or(datediff('day', c.acq, p.d) BETWEEN 1 AND 90) AS second
                FROM cust c JOIN per_order p USING (customer_id) GROUP BY ALL),
        acquired AS (SELECT customer_id, min(acquired_at) AS acquired_at FROM customers GROUP BY ALL),
        flags AS (SELECT h.second, h.acq <= date_trunc('day', {as_of}) - INTERVAL 90 DAY
                         AND NOT coalesce(date_trunc('day', a.acquired_at)
                                          < (SELECT min(date_trunc('day', ordered_at)) FROM o), false)
                         AS eligible
                  FROM hit h LEFT JOIN acquired a USING (customer_id))
        SELECT count(*) FILTER (WHERE eligible AND second) AS numerator,
               count(*) FILTER (WHERE eligible) AS denominator, numerator / denominator AS value
        FROM flags""", repeat_purchase_90d),
    Reference(
        "median_days_to_convert_by_rep", "time_to_convert", {"by": "rep_id"}, ["rep_id"],
        ["value", "n"],
        """SELECT rep_id,
               median(epoch(date_trunc('second', converted_at) - date_trunc('second', created_at))
                      / 86400.0) FILTER (WHERE ok) AS value, count(*) FILTER (WHERE ok) AS n
        FROM (SELECT *, converted_at IS NOT NULL AND converted_at <= {as_of}
                        AND converted_at >= created_at AS ok
              FROM leads WHERE created_at <= {as_of}) GROUP BY ALL""",
        median_days_to_convert_by_rep),
    Reference(
        "prospect_calls_by_rep_type", "prospect_calls", {"by": ["rep_id", "type"]}, ["rep_id", "type"],
        ["value"],
        f"""SELECT a.rep_id, a.type,
               count(*) FILTER (WHERE a.type IN ('call', 'voicemail')
                                AND {_PURPOSE_SQL} = 'prospecting'
                                AND coalesce(a.direction, '') <> 'inbound') AS value
        FROM activities a LEFT JOIN leads l ON l.lead_id = a.lead_id GROUP BY ALL""",
        prospect_calls_by_rep_type),
    Reference(
        "email_response_rate", "email_response_rate", {}, [], ["numerator", "denominator", "value"],
        f"""WITH s AS (SELECT a.replied, a.type = 'email' AND {_PURPOSE_SQL} = 'prospecting'
                          AND coalesce(a.direction, '') <> 'inbound' AS sent
                   FROM activities a LEFT JOIN leads l ON l.lead_id = a.lead_id)
        SELECT count(*) FILTER (WHERE sent AND replied) AS numerator,
               count(*) FILTER (WHERE sent) AS denominator, numerator / denominator AS value FROM s""",
        email_response_rate),
]


def run_sql(con, ref: Reference, as_of) -> pd.DataFrame:
    """Run the SQL of ``ref`` on connection ``con`` (tables as views) into pandas."""
    return con.sql(ref.sql.replace("{as_of}", _sql_as_of(as_of))).df()


def comparable(df: pd.DataFrame, ref: Reference) -> pd.DataFrame:
    """The key and value columns of a result, sorted by key, floats, nulls as None.

    Examples
    --------
    >>> ref = REFERENCES[0]
    >>> comparable(pd.DataFrame({"period": pd.to_datetime(["2026-02-01", "2026-01-01"]),
    ...                          "value": [2, 1], "extra": [0, 0]}), ref)["value"].tolist()
    [1.0, 2.0]
    """
    out = df[ref.keys + ref.values].copy()
    for c in ref.keys:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = pd.to_datetime(out[c]).astype("datetime64[ns]")
        else:
            out[c] = out[c].astype(object).where(out[c].notna(), None)
    for c in ref.values:
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    if ref.keys:
        out = out.sort_values(ref.keys, na_position="last", kind="mergesort")
    return out.reset_index(drop=True)


def same(a: pd.DataFrame, b: pd.DataFrame, ref: Reference) -> tuple[bool, str]:
    """Whether two results agree (relative tolerance 1e-9); the difference when not."""
    try:
        pd.testing.assert_frame_equal(comparable(a, ref), comparable(b, ref), check_dtype=False,
                                      rtol=1e-9, atol=1e-9)
    except AssertionError as exc:
        return False, str(exc).splitlines()[0:6].__str__()
    return True, ""
