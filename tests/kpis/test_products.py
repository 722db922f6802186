"""Product KPIs on hand-sized frames, on pandas, polars and DuckDB inputs."""

from __future__ import annotations


import pandas as pd
import pytest

import kit
from kit.errors import ParameterError
from kit.kpis.products import product_lifetime
from tests.kpis.helpers import assert_rows, convert

D = pd.Timestamp
NAN = float("nan")


ORDERS = pd.DataFrame({
    "product_id": ["P1", "P1", "P2", "P2", "P3", None],
    "ordered_at": pd.to_datetime(["2025-01-10", "2025-12-05", "2025-03-01", "2025-03-20",
                                  "2025-11-15", "2025-06-01"]),
    "amount": [10.0, 20.0, 5.0, 5.0, 7.0, 3.0],
})
PRODUCTS = pd.DataFrame({
    "product_id": ["P1", "P2", "P3", "P4", "P5"],
    "name": ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"],
    "category": ["A", "A", "B", "B", "B"],
    "retired_at": pd.to_datetime([None, None, "2025-12-01", None, "2027-01-01"]),
})


def test_product_lifetime_with_catalogue(engine):
    t = convert(engine, o=ORDERS, p=PRODUCTS)
    out = product_lifetime(t["o"], products=t["p"], as_of="2025-12-31")
    assert list(out.columns) == ["product_id", "name", "category", "retired_at", "first_month",
                                 "last_month", "value", "months_with_sales", "revenue", "last_sale",
                                 "sold_recently", "retired", "active", "status"]
    # recent = after 2025-09-30. P1: Jan..Dec 2025 = 12 months, 2 with sales, sold Dec 5 -> active.
    # P2: March only, not recent -> dormant. P3: sold Nov 15 but retired Dec 1 -> retired.
    # P4 never sold; P5 never sold (retirement planned in 2027). No product: June only -> dormant.
    assert_rows(out, {
        "product_id": ["P1", "P2", "P3", "P4", "P5", None],
        "first_month": [D("2025-01-01"), D("2025-03-01"), D("2025-11-01"), None, None, D("2025-06-01")],
        "last_month": [D("2025-12-01"), D("2025-03-01"), D("2025-11-01"), None, None, D("2025-06-01")],
        "value": [12, 1, 1, NAN, NAN, 1],
        "months_with_sales": [2, 1, 1, 0, 0, 1],
        "revenue": [30.0, 10.0, 7.0, 0.0, 0.0, 3.0],
        "sold_recently": [True, False, True, False, False, False],
        "retired": [False, False, True, False, False, False],
        "active": [True, False, False, False, False, False],
        "status": ["active", "dormant", "retired", "never_sold", "never_sold", "dormant"],
    })


def test_product_lifetime_orders_only_and_default_as_of(engine):
    out = product_lifetime(convert(engine, o=ORDERS)["o"])
    # as_of = last order, 2025-12-05; recent = after 2025-09-05; no retirement known: P3 is active
    assert_rows(out, {"product_id": ["P1", "P2", "P3", None], "value": [12, 1, 1, 1],
                      "status": ["active", "dormant", "active", "dormant"]})


def test_product_lifetime_as_of_in_the_past(engine):
    t = convert(engine, o=ORDERS, p=PRODUCTS)
    out = product_lifetime(t["o"], products=t["p"], as_of="2025-06-30", recent_months=3)
    # orders after June 30 are unknown then: P1 sold in January only; recent = after 2025-03-30:
    # P2 (March 20) is not recent, the June order without product is. P3 not yet sold nor retired.
    assert_rows(out, {"product_id": ["P1", "P2", "P3", "P4", "P5", None],
                      "value": [1, 1, NAN, NAN, NAN, 1],
                      "status": ["dormant", "dormant", "never_sold", "never_sold", "never_sold", "active"]})


def test_product_lifetime_one_product_and_empty(engine):
    one = product_lifetime(convert(engine, o=ORDERS[ORDERS["product_id"] == "P2"])["o"])
    assert_rows(one, {"product_id": ["P2"], "value": [1], "months_with_sales": [1], "status": ["active"]})
    t = convert(engine, o=ORDERS.iloc[:0], p=PRODUCTS)
    out = product_lifetime(t["o"], products=t["p"], as_of="2025-12-31")
    # no sale at all: every catalogue product is never_sold, except P3, retired before as_of
    assert out["status"].tolist() == ["never_sold", "never_sold", "retired", "never_sold", "never_sold"]
    empty = product_lifetime(convert(engine, o=ORDERS.iloc[:0])["o"])
    assert len(empty) == 0 and "status" in empty and "value" in empty


def test_product_lifetime_errors():
    with pytest.raises(ParameterError, match=r"recent_months=0 is not allowed; .*whole number >= 1"):
        product_lifetime(ORDERS, recent_months=0)
    with pytest.raises(ParameterError, match=r"table 'orders' lacks column\(s\) \['product_id'\]"):
        product_lifetime(ORDERS.drop(columns="product_id"))


def test_product_lifetime_through_compute_uses_the_catalogue():
    ds = kit.Dataset({"orders": ORDERS, "products": PRODUCTS}, as_of=D("2025-12-31"))
    out = kit.compute(ds, "product_lifetime")
    assert out.loc[out["product_id"] == "P3", "status"].tolist() == ["retired"]
    assert out["product_id"].tolist()[:5] == ["P1", "P2", "P3", "P4", "P5"]
