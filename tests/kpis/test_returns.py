"""Returns and cancellations in every order KPI, on hand-sized frames, on pandas, polars and DuckDB.

One frame holds purchases, a full return (credit note R2 of the whole of O2), a partial
return (R3 gives back one line of O3), a customer with returns only (C3) and an order
whose lines straddle a minute (O1 at 10:00 and 10:01). Every expected number is
computed by hand; the comment next to it shows the arithmetic.
"""

from __future__ import annotations

import pandas as pd
import pytest

from kit.kpis.lifetime import ltv
from kit.kpis.loyalty import repeat_purchase_rate, returning_customer_rate
from kit.kpis.order_value import average_basket, gross_margin
from kit.kpis.recurring import recurring_revenue
from kit.kpis.returns import return_rate
from kit.kpis.revenue import revenue
from tests.kpis.helpers import assert_rows, convert

D = pd.Timestamp
JAN, FEB, MAR = D("2026-01-01"), D("2026-02-01"), D("2026-03-01")

ORDERS = pd.DataFrame({
    "order_id": ["O1", "O1", "O2", "R2", "O3", "O3", "R3", "R9", "O4"],
    "ordered_at": pd.to_datetime([
        "2026-01-05 10:00:00", "2026-01-05 10:01:00",  # O1: one order, two minutes
        "2026-01-10 09:00:00", "2026-01-20 09:00:00",  # O2 and its full return R2
        "2026-02-03 11:00:00", "2026-02-03 11:00:00", "2026-02-10 11:00:00",  # O3 and the partial return R3
        "2026-03-15 08:00:00",  # R9: C3 only ever returns
        "2026-03-01 16:00:00"]),
    "customer_id": ["C1", "C1", "C2", "C2", "C1", "C1", "C1", "C3", "C4"],
    "product_id": ["P1", "P2", "P1", "P1", "P1", "P3", "P3", "P2", "P2"],
    "amount": [100.0, 50.0, 200.0, -200.0, 80.0, 40.0, -40.0, -30.0, 60.0],
    # R2 writes its cost positive, R3 and R9 negative: both mean the goods come back
    "cost": [60.0, 20.0, 120.0, 120.0, 40.0, 10.0, -10.0, -12.0, 30.0],
    "returned_order_id": [None, None, None, "O2", None, None, "O3", None, None],
})
# margins per line: 40, 30, 80, -80, 40, 30, -30, -18, 30


def _orders(engine):
    return convert(engine, o=ORDERS)["o"]


# --------------------------------------------------------------------------- revenue, margin


def test_revenue_is_net_of_returns_with_gross_sales_and_returns(engine):
    out = revenue(_orders(engine))
    # net 100 + 50 + 200 - 200 + 80 + 40 - 40 - 30 + 60 = 260; gross 530; returned 200 + 40 + 30
    # purchase orders O1 O2 O3 O4; return orders R2 R3 R9
    assert_rows(out, {"value": [260.0], "gross_sales": [530.0], "returns": [270.0],
                      "n_orders": [4], "n_returns": [3]})


def test_revenue_monthly_puts_each_return_at_its_own_date(engine):
    out = revenue(_orders(engine), freq="M")
    # Jan: 100 + 50 + 200 - 200; Feb: 80 + 40 - 40; Mar: 60 - 30
    assert_rows(out, {"period": [JAN, FEB, MAR], "value": [150.0, 80.0, 30.0],
                      "gross_sales": [350.0, 120.0, 60.0], "returns": [200.0, 40.0, 30.0],
                      "n_orders": [2, 1, 1], "n_returns": [1, 1, 1]})


def test_gross_margin_gives_back_the_cost_of_returns(engine):
    out = gross_margin(_orders(engine), freq="M")
    # Jan: 40 + 30 + 80 - 80 = 70 on 150; Feb: 40 + 30 - 30 = 40 on 80; Mar: 30 - 18 = 12 on 30
    assert_rows(out, {"period": [JAN, FEB, MAR], "value": [70.0, 40.0, 12.0],
                      "revenue": [150.0, 80.0, 30.0], "margin_rate": [70 / 150, 40 / 80, 12 / 30],
                      "gross_sales": [350.0, 120.0, 60.0], "returns": [200.0, 40.0, 30.0]})


# --------------------------------------------------------------------------- basket, return rate


def test_average_basket_counts_purchase_orders_only(engine):
    out = average_basket(_orders(engine))
    # purchase orders O1 150, O2 200, O3 120, O4 60 -> 530 / 4; the three credit notes are not orders
    assert_rows(out, {"value": [132.5], "numerator": [530.0], "denominator": [4.0], "n_returns": [3]})


def test_average_basket_monthly(engine):
    out = average_basket(_orders(engine), freq="M")
    # Jan: (150 + 200) / 2; Feb: 120 / 1; Mar: 60 / 1 (R9 left out)
    assert_rows(out, {"period": [JAN, FEB, MAR], "value": [175.0, 120.0, 60.0],
                      "denominator": [2.0, 1.0, 1.0], "n_returns": [1, 1, 1]})


def test_average_basket_return_line_inside_a_purchase_order(engine):
    lines = pd.DataFrame({"order_id": ["A", "A", "B"], "amount": [100.0, -20.0, 60.0],
                          "ordered_at": pd.to_datetime(["2026-01-05"] * 3)})
    out = average_basket(convert(engine, o=lines)["o"])
    # A nets 80 and stays a purchase; B 60 -> 140 / 2
    assert_rows(out, {"value": [70.0], "numerator": [140.0], "denominator": [2.0], "n_returns": [0]})


def test_return_rate_total_and_monthly(engine):
    o = _orders(engine)
    assert_rows(return_rate(o), {"value": [270 / 530], "numerator": [270.0], "denominator": [530.0],
                                 "n_returns": [3], "n_orders": [4]})
    # Jan 200 / 350; Feb 40 / 120; Mar 30 / 60
    assert_rows(return_rate(o, freq="M"), {"period": [JAN, FEB, MAR],
                                           "value": [200 / 350, 40 / 120, 0.5],
                                           "numerator": [200.0, 40.0, 30.0]})


def test_return_rate_by_product_and_window(engine):
    o = _orders(engine)
    # P1: 200 returned of 100 + 200 + 80; P2: 30 of 50 + 60; P3: 40 of 40
    assert_rows(return_rate(o, by="product_id"), {
        "product_id": ["P1", "P2", "P3"], "value": [200 / 380, 30 / 110, 1.0],
        "numerator": [200.0, 30.0, 40.0], "denominator": [380.0, 110.0, 40.0]})
    # February alone: P1 sold 80, nothing returned; P3 sold 40, returned 40
    assert_rows(return_rate(o, by="product_id", start="2026-02-01", end="2026-03-01"), {
        "product_id": ["P1", "P3"], "value": [0.0, 1.0]})


def test_return_rate_without_sales_is_unknown(engine):
    lines = pd.DataFrame({"order_id": ["R"], "amount": [-30.0], "ordered_at": pd.to_datetime(["2026-01-05"])})
    # returned 30, sold nothing: unknown, not infinite
    assert_rows(return_rate(convert(engine, o=lines)["o"]),
                {"value": [float("nan")], "numerator": [30.0], "denominator": [0.0]})


# --------------------------------------------------------------------------- customers


def test_recurring_revenue_compares_orders_not_lines(engine):
    out = recurring_revenue(_orders(engine), freq="M")
    # Jan: O1's 10:01 line is not recurring (same order as the 10:00 line), O2 is C2's first
    # purchase and R2 gives it back: 0 of 150. Feb: O3 (C1 bought O1 before) 120, R3 follows
    # O3: -40 -> 80 of 80. Mar: O4 is C4's first purchase, R9 has no purchase before: 0 of 30
    assert_rows(out, {"period": [JAN, FEB, MAR], "value": [0.0, 1.0, 0.0],
                      "numerator": [0.0, 80.0, 0.0], "denominator": [150.0, 80.0, 30.0]})


def test_recurring_revenue_same_order_straddling_a_minute_alone(engine):
    lines = pd.DataFrame({"order_id": ["A", "A"], "customer_id": ["C1", "C1"], "amount": [100.0, 50.0],
                          "ordered_at": pd.to_datetime(["2026-01-05 10:00:59", "2026-01-05 10:01:00"])})
    # one order: nothing is earlier than it (lines compared, the 10:01 line made 50 "recurring")
    assert_rows(recurring_revenue(convert(engine, o=lines)["o"]),
                {"value": [0.0], "numerator": [0.0], "denominator": [150.0]})


def test_repeat_purchase_rate_ignores_returns(engine):
    out = repeat_purchase_rate(_orders(engine), as_of="2026-12-31")
    # cohort: C1 (O1 then O3 29 days later: repeat), C2 (O2; R2 is not a second purchase),
    # C4 (O4 alone); C3 only returned: in no cohort -> 1 / 3
    assert_rows(out, {"value": [1 / 3], "numerator": [1.0], "denominator": [3.0], "n_censored": [0]})


def test_repeat_purchase_rate_acquisition_is_the_first_purchase(engine):
    lines = pd.DataFrame({"order_id": ["R0", "A", "B"], "customer_id": ["C1"] * 3,
                          "amount": [-10.0, 100.0, 50.0],
                          "ordered_at": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-04-15"])})
    out = repeat_purchase_rate(convert(engine, o=lines)["o"], freq="M", as_of="2026-12-31")
    # acquired with A on 1 February (not with the return R0), B 73 days later: a repeat
    assert_rows(out, {"period": [FEB], "value": [1.0], "denominator": [1.0]})


def test_returning_customer_rate_ignores_returns(engine):
    later = pd.DataFrame({"order_id": ["R5", "O5"], "customer_id": ["C2", "C4"],
                          "product_id": ["P1", "P2"], "amount": [-50.0, 60.0], "cost": [-30.0, 30.0],
                          "ordered_at": pd.to_datetime(["2027-02-01", "2027-03-01"]),
                          "returned_order_id": ["O2", None]})
    o = convert(engine, o=pd.concat([ORDERS, later], ignore_index=True))["o"]
    out = returning_customer_rate(o, as_of="2027-12-31")
    # 2026 customers C1, C2, C4 (C3 only returned); in 2027 C4 buys, C2 only returns -> 1 / 3
    assert_rows(out, {"period": [D("2026-01-01")], "value": [1 / 3], "numerator": [1.0],
                      "denominator": [3.0]})


def test_ltv_is_net_of_returns_and_leaves_out_return_only_customers(engine):
    customers = pd.DataFrame({"customer_id": ["C1", "C2", "C3", "C4"],
                              "acquired_at": pd.to_datetime(["2026-01-05", "2026-01-10", "2026-03-15",
                                                             "2026-03-01"])})
    t = convert(engine, o=ORDERS, c=customers)
    out = ltv(t["o"], t["c"], as_of="2027-03-15")
    # C1: 40 + 30 + 40 + 30 - 30 = 110; C2: 80 - 80 = 0; C4: 30; C3 (returns only) in no cohort
    assert_rows(out, {"value": [140 / 3], "numerator": [140.0], "denominator": [3.0],
                      "n_censored": [0], "n_before_data": [0]})


# --------------------------------------------------------------------------- contract flags


@pytest.mark.parametrize("flag", [{"is_return": [False, True]}, {"status": ["shipped", "Returned"]},
                                  {"status": ["completed", "cancelled"]}])
def test_a_flagged_order_is_a_return_whatever_its_sign(engine, flag):
    lines = pd.DataFrame({"order_id": ["A", "B"], "amount": [100.0, 40.0],
                          "ordered_at": pd.to_datetime(["2026-01-05", "2026-01-09"]), **flag})
    o = convert(engine, o=lines)["o"]
    # B is flagged: not an order of the basket, its line a return line (amount as given)
    assert_rows(average_basket(o), {"value": [100.0], "denominator": [1.0], "n_returns": [1]})
    assert_rows(revenue(o), {"value": [140.0], "gross_sales": [100.0], "returns": [-40.0]})
