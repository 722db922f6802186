"""Cost KPIs on hand-sized frames, on pandas, polars and DuckDB inputs."""

from __future__ import annotations

import math
import statistics

import pandas as pd
import pytest

import kit
from kit.errors import ParameterError
from kit.kpis.cost import cac
from kit.kpis.lifetime import cac_payback_months, ltv, ltv_cac_ratio
from tests.kpis.helpers import assert_rows, convert

D = pd.Timestamp
NAN = float("nan")
JAN, FEB, MAR = D("2026-01-01"), D("2026-02-01"), D("2026-03-01")


# --------------------------------------------------------------------------- cac

COSTS = pd.DataFrame({
    "period": pd.to_datetime(["2026-01-01", "2026-01-01", "2026-01-01", "2026-02-01", "2026-02-01",
                              "2026-03-01"]),
    "amount": [1000.0, 500.0, 200.0, 600.0, 300.0, 400.0],
    "category": ["marketing", "sales", "retention", "prospecting", "outsourcing", "marketing"],
    "source": ["web", "salon", "web", "web", None, "fair"],
})
CUSTOMERS = pd.DataFrame({
    "customer_id": ["C1", "C2", "C3", "C4", "C5", "C6"],
    "acquired_at": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-01-25", "2026-02-10",
                                   "2026-02-11", None]),
    "source": ["web", "web", "salon", "web", None, "web"],
})


def test_cac_total_and_categories(engine):
    t = convert(engine, k=COSTS, c=CUSTOMERS)
    out = cac(t["k"], t["c"])
    # acquisition costs 1000 + 500 + 600 + 300 + 400 = 2800 (retention left out) / 5 customers
    # (C6 has no acquisition date)
    assert list(out.columns) == ["value", "numerator", "denominator"]
    assert_rows(out, {"value": [560.0], "numerator": [2800.0], "denominator": [5.0]})
    assert_rows(cac(t["k"], t["c"], categories=["marketing"]), {"value": [1400 / 5]})
    assert_rows(cac(t["k"], t["c"], categories="retention"), {"value": [200 / 5]})


def test_cac_monthly_with_a_month_without_customers(engine):
    t = convert(engine, k=COSTS, c=CUSTOMERS)
    out = cac(t["k"], t["c"], freq="M")
    # Jan 1500 / 3; Feb 900 / 2; Mar 400 / 0 -> missing, never inf
    assert_rows(out, {"period": [JAN, FEB, MAR], "value": [500.0, 450.0, NAN],
                      "numerator": [1500.0, 900.0, 400.0], "denominator": [3.0, 2.0, 0.0]})
    assert_rows(cac(t["k"], t["c"], start="2026-01-01", end="2026-02-01"),
                {"value": [500.0], "numerator": [1500.0], "denominator": [3.0]})


def test_cac_by_source_with_costs_without_source(engine):
    t = convert(engine, k=COSTS, c=CUSTOMERS)
    out = cac(t["k"], t["c"], by="source", shared="separate")
    # fair: 400 and no customer -> missing; salon 500 / 1; web 1600 / 3 (C1, C2, C4);
    # costs without source (300) go with customers without source (C5)
    assert_rows(out, {"source": ["fair", "salon", "web", None], "value": [NAN, 500.0, 1600 / 3, 300.0],
                      "numerator": [400.0, 500.0, 1600.0, 300.0], "denominator": [0.0, 1.0, 3.0, 1.0]})


def test_cac_shared_costs_allocated_over_channels(engine):
    t = convert(engine, k=COSTS, c=CUSTOMERS)
    out = cac(t["k"], t["c"], by="source")  # shared="allocate" is the default
    # the 300 without source is spread over the 5 customers: 60 each. fair keeps 400 / 0;
    # salon 500 + 60; web 1600 + 3 * 60; no source: 60 for C5. Total still 2800.
    assert_rows(out, {"source": ["fair", "salon", "web", None], "value": [NAN, 560.0, 1780 / 3, 60.0],
                      "numerator": [400.0, 560.0, 1780.0, 60.0]})
    assert out["numerator"].sum() == pytest.approx(2800.0)
    monthly = cac(t["k"], t["c"], by="source", freq="M", shared="allocate")
    # the 300 is in February: shared by C4 (web) and C5 (no source), 150 each
    feb = monthly[monthly["period"] == FEB]
    assert_rows(feb.reset_index(drop=True), {"source": ["web", None], "numerator": [750.0, 150.0]})


def test_cac_ignores_customers_older_than_the_cost_history(engine):
    old = pd.concat([CUSTOMERS, pd.DataFrame({"customer_id": ["C0"], "acquired_at": [D("2019-05-01")],
                                              "source": ["web"]})])
    t = convert(engine, k=COSTS, c=old)
    # costs start in January 2026: C0 (2019) is not a customer these costs acquired
    assert_rows(cac(t["k"], t["c"]), {"value": [560.0], "denominator": [5.0]})


def test_cac_one_group_and_empty(engine):
    t = convert(engine, k=COSTS[COSTS["source"] == "salon"], c=CUSTOMERS[CUSTOMERS["source"] == "salon"])
    assert_rows(cac(t["k"], t["c"], by="source"), {"source": ["salon"], "value": [500.0]})
    t = convert(engine, k=COSTS.iloc[:0], c=CUSTOMERS)
    assert_rows(cac(t["k"], t["c"]), {"value": [0.0], "numerator": [0.0], "denominator": [5.0]})
    t = convert(engine, k=COSTS, c=CUSTOMERS.iloc[:0])
    assert_rows(cac(t["k"], t["c"]), {"value": [NAN], "numerator": [2800.0], "denominator": [0.0]})
    t = convert(engine, k=COSTS.iloc[:0], c=CUSTOMERS.iloc[:0])
    empty = cac(t["k"], t["c"], freq="M")
    assert len(empty) == 0 and list(empty.columns) == ["period", "value", "numerator", "denominator"]


def test_cac_errors():
    with pytest.raises(ParameterError, match=r"cac: by='source' needs column\(s\) \['source'\] in table "
                                             r"'costs'.*Costs without a 'source' cannot be split by channel"):
        cac(COSTS.drop(columns="source"), CUSTOMERS, by="source")
    with pytest.raises(ParameterError, match=r"\['marketting'\] not allowed \(did you mean 'marketing'"
                                             r".*allowed cost categories: marketing"):
        cac(COSTS, CUSTOMERS, categories=["marketting"])
    with pytest.raises(ParameterError, match=r"cac: shared='split' is not allowed; "
                                             r"allowed values: 'separate'"):
        cac(COSTS, CUSTOMERS, by="source", shared="split")
    with pytest.raises(ParameterError, match=r"shared='allocate' works with one by column"):
        cac(COSTS.assign(segment="x"), CUSTOMERS.assign(segment="x"), by=["source", "segment"],
            shared="allocate")
    with pytest.raises(ParameterError, match=r"cac: freq='W' is not allowed, because costs are monthly"):
        cac(COSTS, CUSTOMERS, freq="W")
    with pytest.raises(ParameterError,
                       match=r"by='segment' needs column\(s\) \['segment'\] in table 'costs'"):
        cac(COSTS, CUSTOMERS, by="segment")


# --------------------------------------------------------------------------- ltv

LTV_CUSTOMERS = pd.DataFrame({
    "customer_id": ["A1", "A2", "A3", "A4", "A5"],
    "acquired_at": pd.to_datetime(["2025-01-10", "2025-02-01", "2025-02-02", "2024-06-01", "2026-03-01"]),
    "source": ["web", "web", "salon", "salon", "web"],
})
LTV_ORDERS = pd.DataFrame({
    "customer_id": ["A1", "A1", "A1", "A2", "A2", "A3", "A4"],
    "ordered_at": pd.to_datetime(["2025-01-10", "2025-06-01", "2026-01-10", "2025-03-01", "2025-04-01",
                                  "2025-02-02", "2023-01-01"]),
    "amount": [100.0, 50.0, 500.0, 200.0, 80.0, 1000.0, 300.0],
    "cost": [60.0, 20.0, 0.0, 100.0, None, 0.0, 0.0],
    "source": ["x"] * 7,  # enrichment columns of orders must not clash with the customers' ones
})
# as_of 2026-02-01, horizon 12 -> old enough = acquired on or before 2025-02-01.
# A1: 40 + 30 (the 2026-01-10 order is exactly 12 months later: outside); A2: 100 (+ a line without
# cost); A3 acquired one day too late: censored; A4: no order in its 12 months: 0; A5 after as_of.


def test_ltv_total_with_censoring_boundary(engine):
    t = convert(engine, o=LTV_ORDERS, c=LTV_CUSTOMERS)
    out = ltv(t["o"], t["c"], as_of="2026-02-01")
    assert list(out.columns) == ["value", "numerator", "denominator", "n_censored", "n_before_data",
                                 "value_ci_low", "value_ci_high", "low_sample", "lines_without_cost"]
    half = 1.959963984540054 * statistics.stdev([70, 100, 0]) / math.sqrt(3)
    assert_rows(out, {"value": [170 / 3], "numerator": [170.0], "denominator": [3.0], "n_censored": [1],
                      "value_ci_low": [170 / 3 - half], "value_ci_high": [170 / 3 + half],
                      "low_sample": [True], "lines_without_cost": [1]})
    # one day later A3 (acquired 2025-02-02) is old enough too: (70 + 100 + 1000 + 0) / 4
    later = ltv(t["o"], t["c"], as_of="2026-02-02")
    assert_rows(later, {"value": [1170 / 4], "denominator": [4.0], "n_censored": [0]})


def test_ltv_by_source_and_cohort(engine):
    t = convert(engine, o=LTV_ORDERS, c=LTV_CUSTOMERS)
    out = ltv(t["o"], t["c"], by="source", as_of="2026-02-01")
    # salon: A4 = 0 (A3 censored); web: (70 + 100) / 2 (A5 acquired after as_of is ignored)
    assert_rows(out, {"source": ["salon", "web"], "value": [0.0, 85.0], "denominator": [1.0, 2.0],
                      "n_censored": [1, 0]})
    cohorts = ltv(t["o"], t["c"], freq="M", as_of="2026-02-01")
    # 2024-06: A4 0; 2025-01: A1 70; 2025-02: A2 100 and A3 censored
    assert_rows(cohorts, {"period": [D("2024-06-01"), D("2025-01-01"), D("2025-02-01")],
                          "value": [0.0, 70.0, 100.0], "n_censored": [0, 0, 1]})


def test_ltv_everyone_censored_and_empty(engine):
    t = convert(engine, o=LTV_ORDERS, c=LTV_CUSTOMERS)
    out = ltv(t["o"], t["c"], start="2025-02-02", as_of="2026-02-01")  # only A3 (A5 is after as_of)
    assert_rows(out, {"value": [NAN], "denominator": [0.0], "n_censored": [1]})
    t = convert(engine, o=LTV_ORDERS.iloc[:0], c=LTV_CUSTOMERS.iloc[:0])
    assert_rows(ltv(t["o"], t["c"]), {"value": [NAN], "denominator": [0.0], "n_censored": [0]})
    empty = ltv(t["o"], t["c"], by="source")
    assert len(empty) == 0 and list(empty.columns)[:2] == ["source", "value"]


def test_ltv_leaves_out_customers_acquired_before_the_orders_begin(engine):
    orders = LTV_ORDERS[LTV_ORDERS["customer_id"] != "A4"]  # orders now begin on 2025-01-10
    t = convert(engine, o=orders, c=LTV_CUSTOMERS)
    out = ltv(t["o"], t["c"], as_of="2026-02-01")
    # A4 (acquired 2024-06-01) has no observed first months: left out, not counted as 0
    assert_rows(out, {"value": [85.0], "denominator": [2.0], "n_censored": [1], "n_before_data": [1]})


def test_ltv_default_as_of_is_the_latest_date(engine):
    t = convert(engine, o=LTV_ORDERS, c=LTV_CUSTOMERS)
    # latest date: A5 acquired 2026-03-01 -> old enough: acquired on or before 2025-03-01: A1..A4
    assert_rows(ltv(t["o"], t["c"]), {"denominator": [4.0], "n_censored": [1]})


def test_ltv_errors():
    with pytest.raises(ParameterError, match=r"ltv: horizon=0 is not allowed; .*whole number >= 1"):
        ltv(LTV_ORDERS, LTV_CUSTOMERS, horizon=0)
    with pytest.raises(ParameterError,
                       match=r"ltv: by='team' needs column\(s\) \['team'\] in table 'customers'"):
        ltv(LTV_ORDERS, LTV_CUSTOMERS, by="team")
    with pytest.raises(ParameterError, match=r"table 'orders' lacks column\(s\) \['cost'\]"):
        ltv(LTV_ORDERS.drop(columns="cost"), LTV_CUSTOMERS)


# --------------------------------------------------------------------------- ltv_cac_ratio, payback

LTV_COSTS = pd.DataFrame({
    "period": pd.to_datetime(["2024-06-01", "2025-01-01", "2025-02-01", "2025-02-01", "2025-02-01"]),
    "amount": [100.0, 200.0, 100.0, 300.0, 50.0],
    "category": ["marketing", "marketing", "sales", "marketing", "marketing"],
    "source": ["salon", "web", "web", "salon", "fair"],
})
WINDOW = {"start": "2024-01-01", "end": "2025-03-01", "as_of": "2026-02-01"}
# in the window: web A1, A2 and costs 300 -> CAC 150, LTV 85; salon A3, A4 and costs 400 -> CAC 200,
# LTV 0 (A3 censored); fair: 50 of costs and no customer -> CAC missing.


def test_ltv_cac_ratio_by_channel(engine):
    t = convert(engine, o=LTV_ORDERS, c=LTV_CUSTOMERS, k=LTV_COSTS)
    out = ltv_cac_ratio(t["o"], t["c"], t["k"], by="source", **WINDOW)
    assert list(out.columns) == ["source", "value", "numerator", "denominator", "n_customers",
                                 "n_censored", "new_customers"]
    assert_rows(out, {"source": ["fair", "salon", "web"], "value": [NAN, 0.0, 85 / 150],
                      "numerator": [NAN, 0.0, 85.0], "denominator": [NAN, 200.0, 150.0],
                      "n_customers": [0.0, 1.0, 2.0], "n_censored": [0.0, 1.0, 0.0],
                      "new_customers": [0.0, 2.0, 2.0]})
    total = ltv_cac_ratio(t["o"], t["c"], t["k"], **WINDOW)
    # LTV 170 / 3; CAC 750 / 4
    assert_rows(total, {"value": [(170 / 3) / (750 / 4)], "numerator": [170 / 3], "denominator": [187.5]})


def test_cac_payback_months(engine):
    t = convert(engine, o=LTV_ORDERS, c=LTV_CUSTOMERS, k=LTV_COSTS)
    out = cac_payback_months(t["o"], t["c"], t["k"], by="source", **WINDOW)
    assert list(out.columns) == ["source", "value", "cac", "monthly_margin", "n_customers", "n_censored",
                                 "new_customers"]
    # web: 150 / (85 / 12) = 21.18 months; salon: margin 0 never pays back -> missing; fair: no CAC
    assert_rows(out, {"source": ["fair", "salon", "web"], "value": [NAN, NAN, 150 / (85 / 12)],
                      "cac": [NAN, 200.0, 150.0], "monthly_margin": [NAN, 0.0, 85 / 12]})
    total = cac_payback_months(t["o"], t["c"], t["k"], **WINDOW)
    assert_rows(total, {"value": [187.5 / ((170 / 3) / 12)]})
    six = cac_payback_months(t["o"], t["c"], t["k"], horizon=6, **WINDOW)
    # horizon 6: old enough = acquired on or before 2025-08-01, so A3 counts now (1000);
    # A1 keeps 40 + 30 (June 1 is within 6 months of Jan 10), A2 100, A4 0 -> 1170 / 4 / 6 a month
    assert_rows(six, {"monthly_margin": [1170 / 4 / 6], "n_censored": [0.0],
                      "value": [187.5 / (1170 / 4 / 6)]})


def test_ratio_kpis_monthly_and_empty(engine):
    t = convert(engine, o=LTV_ORDERS, c=LTV_CUSTOMERS, k=LTV_COSTS)
    out = ltv_cac_ratio(t["o"], t["c"], t["k"], freq="M", **WINDOW)
    # 2024-06: LTV 0 (A4), CAC 100 / 1; 2025-01: 70 / (200 / 1); 2025-02: 100 / (450 / 2)
    assert_rows(out, {"period": [D("2024-06-01"), D("2025-01-01"), D("2025-02-01")],
                      "value": [0.0, 70 / 200, 100 / 225]})
    t = convert(engine, o=LTV_ORDERS.iloc[:0], c=LTV_CUSTOMERS.iloc[:0], k=LTV_COSTS.iloc[:0])
    assert_rows(ltv_cac_ratio(t["o"], t["c"], t["k"]), {"value": [NAN]})
    assert_rows(cac_payback_months(t["o"], t["c"], t["k"]), {"value": [NAN]})


def test_ratio_kpis_errors():
    with pytest.raises(ParameterError, match=r"ltv_cac_ratio: freq='W' is not allowed"):
        ltv_cac_ratio(LTV_ORDERS, LTV_CUSTOMERS, LTV_COSTS, freq="W")
    with pytest.raises(ParameterError, match=r"cac_payback_months: horizon=-1 is not allowed"):
        cac_payback_months(LTV_ORDERS, LTV_CUSTOMERS, LTV_COSTS, horizon=-1)


def test_compute_passes_as_of_to_cohort_kpis():
    ds = kit.Dataset({"orders": LTV_ORDERS, "customers": LTV_CUSTOMERS, "costs": LTV_COSTS},
                     as_of=D("2026-02-01"))
    out = kit.compute(ds, "ltv")
    # ds.as_of, not the latest date (2026-03-01): A3 censored, A5 ignored, as in the first ltv test
    assert out["denominator"].tolist() == [3.0] and out["n_censored"].tolist() == [1]
    pd.testing.assert_frame_equal(out, ltv(LTV_ORDERS, LTV_CUSTOMERS, as_of="2026-02-01"))
