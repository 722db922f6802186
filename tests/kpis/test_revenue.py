"""Revenue KPIs on hand-sized frames, on pandas, polars and DuckDB inputs.

Every expected number is computed by hand from the literal frames; the comment next to
it shows the arithmetic.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

import kit
from kit.errors import ParameterError
from kit.kpis.deals import deals_needed
from kit.kpis.order_value import average_basket, gross_margin
from kit.kpis.recurring import recurring_revenue
from kit.kpis.revenue import average_won_deal, revenue, revenue_share, revenue_vs_target, seasonality_index
from tests.kpis.helpers import assert_rows, convert

D = pd.Timestamp


# --------------------------------------------------------------------------- data

ORDERS = pd.DataFrame({
    "order_id": ["O1", "O1", "O2", "O3", "O4", "O5"],
    "ordered_at": pd.to_datetime(["2026-01-05", "2026-01-05", "2026-01-20", "2026-02-03",
                                  "2026-02-15", "2026-03-10"]),
    "customer_id": ["C1", "C1", "C2", "C1", "C3", "C2"],
    "rep_id": ["R1", "R1", "R2", "R1", None, "R2"],
    "team": ["Nord", "Nord", "Sud", "Nord", None, "Sud"],
    "product_id": ["P1", "P2", "P1", "P2", "P1", "P3"],
    "product_category": ["A", "B", "A", "B", "A", None],
    "amount": [100.0, 50.0, 200.0, 80.0, 70.0, 100.0],
    "cost": [60.0, 20.0, 150.0, None, 30.0, 50.0],
})
# margins per line: 40, 30, 50, unknown (80 of revenue without cost), 40, 50

TARGETS = pd.DataFrame({
    "period": pd.to_datetime(["2026-01-01", "2026-01-01", "2026-02-01", "2026-02-01", "2026-03-01"]),
    "rep_id": ["R1", "R2", "R1", "R2", "R2"],
    "team": ["Nord", "Sud", "Nord", "Sud", "Sud"],
    "revenue_target": [200.0, 250.0, 100.0, 150.0, 100.0],
    "margin_target": [100.0, 60.0, 50.0, 40.0, None],
})

OPPS = pd.DataFrame({
    "opportunity_id": ["X1", "X2", "X3", "X4", "X5", "X6"],
    "status": ["won", "won", "lost", "won", "won", "open"],
    "amount": [1000.0, 3000.0, 500.0, None, 2000.0, 700.0],
    "closed_at": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-01-09", "2026-02-02",
                                 "2026-02-10", None]),
    "rep_id": ["R1", "R2", "R1", "R1", "R1", "R2"],
})

JAN, FEB, MAR = D("2026-01-01"), D("2026-02-01"), D("2026-03-01")
NAN = float("nan")


# --------------------------------------------------------------------------- average_won_deal


def test_average_won_deal_total(engine):
    t = convert(engine, o=OPPS)
    out = average_won_deal(t["o"])
    # won with an amount: 1000, 3000, 2000 -> 6000 / 3; X4 won without amount
    assert list(out.columns) == ["value", "numerator", "denominator", "won_without_amount"]
    assert_rows(out, {"value": [2000.0], "numerator": [6000.0], "denominator": [3.0],
                      "won_without_amount": [1.0]})


def test_average_won_deal_by_rep_and_month(engine):
    t = convert(engine, o=OPPS)
    out = average_won_deal(t["o"], by="rep_id", freq="M")
    # R1 Jan: 1000; R1 Feb: 2000 (X4 no amount); R2 Jan: 3000
    assert_rows(out, {"rep_id": ["R1", "R1", "R2"], "period": [JAN, FEB, JAN],
                      "value": [1000.0, 2000.0, 3000.0], "won_without_amount": [0.0, 1.0, 0.0]})


def test_average_won_deal_zero_denominator_and_empty(engine):
    only_no_amount = OPPS[OPPS["opportunity_id"] == "X4"]
    out = average_won_deal(convert(engine, o=only_no_amount)["o"])
    assert_rows(out, {"value": [NAN], "numerator": [0.0], "denominator": [0.0], "won_without_amount": [1.0]})
    empty = average_won_deal(convert(engine, o=OPPS.iloc[:0])["o"])
    assert_rows(empty, {"value": [NAN], "numerator": [0.0], "denominator": [0.0]})
    empty_by = average_won_deal(convert(engine, o=OPPS.iloc[:0])["o"], by="rep_id")
    assert len(empty_by) == 0 and list(empty_by.columns)[:2] == ["rep_id", "value"]


# --------------------------------------------------------------------------- revenue


def test_revenue_total_and_window(engine):
    t = convert(engine, o=ORDERS)
    # 100 + 50 + 200 + 80 + 70 + 100 = 600 over 5 orders
    assert_rows(revenue(t["o"]), {"value": [600.0], "n_orders": [5]})
    # February only: 80 + 70
    assert_rows(revenue(t["o"], start="2026-02-01", end="2026-03-01"), {"value": [150.0], "n_orders": [2]})


def test_revenue_monthly(engine):
    out = revenue(convert(engine, o=ORDERS)["o"], freq="M")
    # Jan: 100 + 50 + 200 (O1, O2); Feb: 80 + 70 (O3, O4); Mar: 100 (O5)
    # no return line: gross sales = net revenue, returns 0 (the columns added for returns)
    assert list(out.columns) == ["period", "value", "gross_sales", "returns", "n_orders", "n_returns"]
    assert_rows(out, {"period": [JAN, FEB, MAR], "value": [350.0, 150.0, 100.0], "n_orders": [2, 2, 1],
                      "gross_sales": [350.0, 150.0, 100.0], "returns": [0.0, 0.0, 0.0],
                      "n_returns": [0, 0, 0]})


def test_revenue_by_with_nulls(engine):
    out = revenue(convert(engine, o=ORDERS)["o"], by="rep_id")
    # R1: 100 + 50 + 80; R2: 200 + 100; no rep: 70 (own group, last)
    assert_rows(out, {"rep_id": ["R1", "R2", None], "value": [230.0, 300.0, 70.0], "n_orders": [2, 2, 1]})


def test_revenue_one_group_and_empty(engine):
    one = ORDERS[ORDERS["rep_id"] == "R2"]
    assert_rows(revenue(convert(engine, o=one)["o"], by="team"), {"team": ["Sud"], "value": [300.0]})
    assert_rows(revenue(convert(engine, o=ORDERS.iloc[:0])["o"]), {"value": [0.0], "n_orders": [0]})
    empty = revenue(convert(engine, o=ORDERS.iloc[:0])["o"], by="team", freq="M")
    assert len(empty) == 0 and list(empty.columns) == ["team", "period", "value", "gross_sales",
                                                       "returns", "n_orders", "n_returns"]


def test_revenue_errors():
    with pytest.raises(ParameterError, match=r"by='tem'.*not found \(did you mean 'team'\?\)"):
        revenue(ORDERS, by="tem")
    with pytest.raises(ParameterError, match=r"table 'orders' lacks column\(s\) \['amount'\]"):
        revenue(ORDERS.drop(columns="amount"))
    with pytest.raises(ParameterError, match=r"freq='month' is not allowed"):
        revenue(ORDERS, freq="month")


# --------------------------------------------------------------------------- revenue_vs_target


def test_revenue_vs_target_by_rep_monthly(engine):
    t = convert(engine, o=ORDERS, t=TARGETS)
    out = revenue_vs_target(t["o"], t["t"], by="rep_id", freq="M")
    assert list(out.columns) == ["rep_id", "period", "value", "numerator", "denominator", "gap"]
    assert_rows(out, {
        "rep_id": ["R1", "R1", "R2", "R2", "R2", None],
        "period": [JAN, FEB, JAN, FEB, MAR, FEB],
        # R1 Jan 150/200; R1 Feb 80/100; R2 Jan 200/250; R2 Feb: target, no revenue -> 0/150;
        # R2 Mar 100/100; no rep Feb: revenue 70 and no target -> missing
        "value": [0.75, 0.8, 0.8, 0.0, 1.0, NAN],
        "numerator": [150.0, 80.0, 200.0, 0.0, 100.0, 70.0],
        "denominator": [200.0, 100.0, 250.0, 150.0, 100.0, NAN],
        "gap": [-50.0, -20.0, -50.0, -150.0, 0.0, NAN],
    })


def test_revenue_vs_target_total_and_window(engine):
    t = convert(engine, o=ORDERS, t=TARGETS)
    # no team-only rows: rep targets summed, 200 + 250 + 100 + 150 + 100 = 800; revenue 600
    assert_rows(revenue_vs_target(t["o"], t["t"], freq=None),
                {"value": [0.75], "numerator": [600.0], "denominator": [800.0], "gap": [-200.0]})
    # February: revenue 80 + 70 = 150, targets 100 + 150 = 250
    assert_rows(revenue_vs_target(t["o"], t["t"], freq=None, start="2026-02-01", end="2026-03-01"),
                {"value": [0.6], "numerator": [150.0], "denominator": [250.0], "gap": [-100.0]})


def test_revenue_vs_target_team_rows_win_over_rep_rows(engine):
    targets = pd.DataFrame({
        "period": pd.to_datetime(["2026-01-01", "2026-01-01"]),
        "rep_id": [None, "R1"], "team": ["Nord", "Nord"], "revenue_target": [1000.0, 200.0]})
    t = convert(engine, o=ORDERS[ORDERS["ordered_at"] < FEB], t=targets)
    out = revenue_vs_target(t["o"], t["t"], by="team", freq="M")
    # Nord Jan: 150 / 1000 (team row, not the rep row); Sud Jan: 200 and no team target
    assert_rows(out, {"team": ["Nord", "Sud"], "period": [JAN, JAN], "value": [0.15, NAN],
                      "denominator": [1000.0, NAN], "gap": [-850.0, NAN]})


def test_revenue_vs_target_zero_target_and_empty_orders(engine):
    targets = TARGETS.assign(revenue_target=[0.0, 250.0, 100.0, 150.0, 100.0])
    t = convert(engine, o=ORDERS, t=targets)
    out = revenue_vs_target(t["o"], t["t"], by="rep_id", freq="M")
    assert math.isnan(out["value"].iloc[0]) and out["gap"].iloc[0] == 150.0  # R1 Jan: 150 vs 0
    t = convert(engine, o=ORDERS.iloc[:0], t=TARGETS)
    out = revenue_vs_target(t["o"], t["t"], by="rep_id", freq="Q")
    # no revenue at all: every target row is attained at 0; Q1 sums R1 200+100, R2 250+150+100
    assert_rows(out, {"rep_id": ["R1", "R2"], "period": [JAN, JAN], "value": [0.0, 0.0],
                      "denominator": [300.0, 500.0], "gap": [-300.0, -500.0]})


def test_revenue_vs_target_errors():
    with pytest.raises(ParameterError, match=r"by='product_id' is not allowed, because targets are set "
                                             r"per rep or per team; allowed values: None"):
        revenue_vs_target(ORDERS, TARGETS, by="product_id")
    with pytest.raises(ParameterError, match=r"freq='W' is not allowed, because targets are monthly"):
        revenue_vs_target(ORDERS, TARGETS, freq="W")
    with pytest.raises(ParameterError, match=r"by='rep_id' needs targets per rep.*no 'rep_id' column"):
        revenue_vs_target(ORDERS, TARGETS.drop(columns="rep_id"), by="rep_id")
    with pytest.raises(ParameterError, match=r"table 'targets' lacks column\(s\) \['revenue_target'\]"):
        revenue_vs_target(ORDERS, TARGETS.drop(columns="revenue_target"))


# --------------------------------------------------------------------------- revenue_share


def test_revenue_share_sums_to_one(engine):
    out = revenue_share(convert(engine, o=ORDERS)["o"])
    # P1: 100 + 200 + 70 = 370; P2: 50 + 80 = 130; P3: 100; total 600
    assert list(out.columns) == ["product_id", "value", "numerator", "denominator"]
    assert_rows(out, {"product_id": ["P1", "P2", "P3"], "value": [370 / 600, 130 / 600, 100 / 600],
                      "numerator": [370.0, 130.0, 100.0], "denominator": [600.0] * 3})
    assert out["value"].sum() == pytest.approx(1.0)


def test_revenue_share_monthly_with_null_group(engine):
    t = convert(engine, o=ORDERS)
    out = revenue_share(t["o"], by="product_category", freq="M")
    # Jan: A 300/350, B 50/350; Feb: A 70/150, B 80/150; Mar: no category 100/100 (sorted by key, period)
    assert_rows(out, {"product_category": ["A", "A", "B", "B", None],
                      "period": [JAN, FEB, JAN, FEB, MAR],
                      "value": [300 / 350, 70 / 150, 50 / 350, 80 / 150, 1.0]})
    assert out.groupby("period")["value"].sum().tolist() == pytest.approx([1.0, 1.0, 1.0])


def test_revenue_share_zero_total_and_empty(engine):
    refund = pd.DataFrame({"product_id": ["P1", "P2"], "amount": [50.0, -50.0],
                           "ordered_at": pd.to_datetime(["2026-01-02", "2026-01-03"])})
    out = revenue_share(convert(engine, o=refund)["o"])
    assert_rows(out, {"product_id": ["P1", "P2"], "value": [NAN, NAN], "denominator": [0.0, 0.0]})
    empty = revenue_share(convert(engine, o=ORDERS.iloc[:0])["o"])
    assert len(empty) == 0 and list(empty.columns) == ["product_id", "value", "numerator", "denominator"]


def test_revenue_share_needs_groups():
    with pytest.raises(ParameterError, match=r"revenue_share: by=None is not allowed; a share needs"):
        revenue_share(ORDERS, by=None)


# --------------------------------------------------------------------------- seasonality_index


def _monthly_orders():
    """One order a month, Jan 2024 to Dec 2025: 100, except December 300 and no order in July 2025."""
    months = pd.date_range("2024-01-01", "2025-12-01", freq="MS")
    rows = [(m + pd.Timedelta(days=9), 300.0 if m.month == 12 else 100.0, "A")
            for m in months if m != D("2025-07-01")]
    rows.append((D("2026-01-05"), 999.0, "A"))  # partial month after the last complete one
    return pd.DataFrame(rows, columns=["ordered_at", "amount", "product_category"])


def test_seasonality_index_complete_months(engine):
    out = seasonality_index(convert(engine, o=_monthly_orders())["o"], as_of="2026-01-15")
    # 24 complete months (Jan 2026 is partial): total 11*100*2 - 100 (July 2025 empty) + 2*300 = 2700
    # mean month 2700 / 24 = 112.5; July: (100 + 0) / 2 = 50; December 300; others 100
    assert list(out.columns) == ["month", "value", "numerator", "denominator", "n_months"]
    expected = [100 / 112.5] * 12
    expected[6], expected[11] = 50 / 112.5, 300 / 112.5
    assert_rows(out, {"month": list(range(1, 13)), "value": expected, "denominator": [112.5] * 12,
                      "n_months": [2] * 12})


def test_seasonality_index_as_of_not_on_last_day_drops_the_month(engine):
    orders = _monthly_orders().iloc[:-1]
    t = convert(engine, o=orders)
    on_last_day = seasonality_index(t["o"], as_of="2025-12-31")
    assert on_last_day["n_months"].tolist() == [2] * 12
    out = seasonality_index(t["o"], as_of="2025-12-30")
    # December 2025 is partial: 23 months, total 2700 - 300 = 2400; Dec 2024 only: 300
    assert out["n_months"].tolist() == [2] * 11 + [1]
    assert out["value"].iloc[11] == pytest.approx(300 / (2400 / 23))


def test_seasonality_index_by_group_and_empty(engine):
    orders = pd.concat([_monthly_orders().iloc[:-1], pd.DataFrame({
        "ordered_at": [D("2025-01-15")], "amount": [240.0], "product_category": ["B"]})])
    out = seasonality_index(convert(engine, o=orders)["o"], by="product_category", as_of="2025-12-31")
    b = out[out["product_category"] == "B"]
    # B sells only in January 2025: its mean month is 240 / 24 = 10, January mean 240 / 2 = 120
    assert b["value"].tolist() == pytest.approx([12.0] + [0.0] * 11)
    empty = seasonality_index(convert(engine, o=orders.iloc[:0])["o"])
    assert_rows(empty, {"month": list(range(1, 13)), "value": [NAN] * 12, "n_months": [0] * 12})


# --------------------------------------------------------------------------- gross_margin


def test_gross_margin_total(engine):
    out = gross_margin(convert(engine, o=ORDERS)["o"])
    # margin 40 + 30 + 50 + 40 + 50 = 210 on revenue 600 - 80 (O3 has no cost) = 520
    assert list(out.columns) == ["value", "revenue", "margin_rate", "lines_without_cost",
                                 "revenue_without_cost", "gross_sales", "returns"]
    assert_rows(out, {"value": [210.0], "revenue": [520.0], "margin_rate": [210 / 520],
                      "lines_without_cost": [1], "revenue_without_cost": [80.0],
                      "gross_sales": [520.0], "returns": [0.0]})


def test_gross_margin_monthly_with_margin_targets(engine):
    t = convert(engine, o=ORDERS, t=TARGETS)
    out = gross_margin(t["o"], by="rep_id", freq="M", targets=t["t"])
    assert_rows(out, {
        "rep_id": ["R1", "R1", "R2", "R2", "R2", None],
        "period": [JAN, FEB, JAN, FEB, MAR, FEB],
        # R1 Jan 40+30; R1 Feb only the line without cost; R2 Jan 50; R2 Feb no order; R2 Mar 50; none Feb 40
        "value": [70.0, 0.0, 50.0, 0.0, 50.0, 40.0],
        "margin_rate": [70 / 150, NAN, 0.25, NAN, 0.5, 40 / 70],
        "margin_target": [100.0, 50.0, 60.0, 40.0, NAN, NAN],
        "gap": [-30.0, -50.0, -10.0, -40.0, NAN, NAN],
        "attainment": [0.7, 0.0, 50 / 60, 0.0, NAN, NAN],
        "lines_without_cost": [0, 1, 0, 0, 0, 0],
    })


def test_gross_margin_ignores_targets_for_other_breakdowns(engine):
    t = convert(engine, o=ORDERS, t=TARGETS)
    out = gross_margin(t["o"], by="product_id", targets=t["t"])
    assert "margin_target" not in out
    # P1: 40 + 50 + 40; P2: 30 (P2's O3 line has no cost); P3: 50
    assert_rows(out, {"product_id": ["P1", "P2", "P3"], "value": [130.0, 30.0, 50.0]})


def test_gross_margin_empty_and_errors(engine):
    out = gross_margin(convert(engine, o=ORDERS.iloc[:0])["o"])
    assert_rows(out, {"value": [0.0], "revenue": [0.0], "margin_rate": [NAN], "lines_without_cost": [0]})
    with pytest.raises(ParameterError, match=r"table 'orders' lacks column\(s\) \['cost'\]"):
        gross_margin(ORDERS.drop(columns="cost"))


# --------------------------------------------------------------------------- average_basket


def test_average_basket(engine):
    t = convert(engine, o=ORDERS)
    # 600 over 5 distinct orders
    assert_rows(average_basket(t["o"]), {"value": [120.0], "numerator": [600.0], "denominator": [5.0]})
    # Jan 350 / 2, Feb 150 / 2, Mar 100 / 1
    assert_rows(average_basket(t["o"], freq="M"), {"period": [JAN, FEB, MAR], "value": [175.0, 75.0, 100.0]})
    # R1: 230 / 2 (O1, O3); R2: 300 / 2; no rep: 70 / 1
    assert_rows(average_basket(t["o"], by="rep_id"), {"rep_id": ["R1", "R2", None],
                                                      "value": [115.0, 150.0, 70.0]})


def test_average_basket_empty(engine):
    out = average_basket(convert(engine, o=ORDERS.iloc[:0])["o"])
    assert_rows(out, {"value": [NAN], "numerator": [0.0], "denominator": [0.0]})


# --------------------------------------------------------------------------- deals_needed

DN_ORDERS = pd.DataFrame({
    "ordered_at": pd.to_datetime(["2026-03-02", "2026-03-05", "2026-03-12", "2026-02-20"]),
    "rep_id": ["R1", "R2", "R1", "R1"], "amount": [300.0, 1000.0, 500.0, 400.0],
})
DN_TARGETS = pd.DataFrame({
    "period": pd.to_datetime(["2026-03-01", "2026-03-01", "2026-03-01", "2026-04-01"]),
    "rep_id": ["R1", "R2", "R3", "R1"], "revenue_target": [2000.0, 800.0, 500.0, 9999.0],
})
DN_OPPS = pd.DataFrame({
    "status": ["won", "won", "lost", "lost", "won", "won", "lost"],
    "amount": [500.0, 700.0, 100.0, 100.0, 10000.0, 1000.0, 50.0],
    "closed_at": pd.to_datetime(["2025-06-01", "2025-12-01", "2026-01-10", "2026-02-01",
                                 "2025-02-01", "2025-04-01", "2025-01-01"]),
    "rep_id": ["R1", "R1", "R1", "R1", "R1", "R2", "R2"],
})


def test_deals_needed_by_rep(engine):
    t = convert(engine, o=DN_ORDERS, t=DN_TARGETS, p=DN_OPPS)
    out = deals_needed(t["o"], t["t"], t["p"], by="rep_id", as_of="2026-03-10")
    assert list(out.columns) == ["rep_id", "period", "value", "opportunities_needed", "target", "revenue",
                                 "remaining", "average_won_deal", "win_rate", "won_deals", "closed_deals"]
    # history: closed since 2025-03-10. R1: won 500, 700, lost 2 -> avg 600, win rate 0.5;
    #   target 2000 - revenue 300 (March 12 is after as_of) = 1700 -> 1700/600 = 2.83 -> 3 deals,
    #   2.83 / 0.5 = 5.67 -> 6 opportunities.
    # R2: target 800 already passed by 1000 -> 0 and 0.
    # R3: target 500, no revenue, no deal closed -> missing.
    assert_rows(out, {
        "rep_id": ["R1", "R2", "R3"], "period": [MAR] * 3,
        "value": [3.0, 0.0, NAN], "opportunities_needed": [6.0, 0.0, NAN],
        "target": [2000.0, 800.0, 500.0], "revenue": [300.0, 1000.0, 0.0],
        "remaining": [1700.0, 0.0, 500.0], "average_won_deal": [600.0, 1000.0, NAN],
        "win_rate": [0.5, 1.0, NAN], "won_deals": [2.0, 1.0, 0.0], "closed_deals": [4.0, 1.0, 0.0],
    })
    assert math.copysign(1.0, out["value"].iloc[1]) == 1.0, "a reached target shows 0, not -0"


def test_deals_needed_total_and_quarter(engine):
    t = convert(engine, o=DN_ORDERS, t=DN_TARGETS, p=DN_OPPS)
    out = deals_needed(t["o"], t["t"], t["p"], as_of="2026-03-10")
    # target 3300 - revenue 1300 = 2000; avg (500 + 700 + 1000) / 3 = 733.33 -> 2.73 -> 3 deals;
    # win rate 3 / 5 = 0.6 -> 2.73 / 0.6 = 4.55 -> 5 opportunities
    assert_rows(out, {"period": [MAR], "value": [3.0], "opportunities_needed": [5.0],
                      "remaining": [2000.0], "win_rate": [0.6]})
    q = deals_needed(t["o"], t["t"], t["p"], by="rep_id", freq="Q", as_of="2026-03-10")
    # Q1: R1 revenue 400 (Feb 20) + 300 = 700, remaining 1300 -> 1300/600 = 2.17 -> 3; 4.33 -> 5
    assert_rows(q.iloc[:1], {"rep_id": ["R1"], "period": [JAN], "value": [3.0],
                             "opportunities_needed": [5.0], "revenue": [700.0]})


def test_deals_needed_errors():
    with pytest.raises(ParameterError, match=r"deals_needed: freq=None is not allowed"):
        deals_needed(DN_ORDERS, DN_TARGETS, DN_OPPS, freq=None)
    with pytest.raises(ParameterError, match=r"history=0 is not allowed; .*whole number >= 1"):
        deals_needed(DN_ORDERS, DN_TARGETS, DN_OPPS, history=0)
    with pytest.raises(ParameterError, match=r"by='segment' is not allowed, because targets"):
        deals_needed(DN_ORDERS, DN_TARGETS, DN_OPPS, by="segment")


# --------------------------------------------------------------------------- recurring_revenue

REC = pd.DataFrame({
    "order_id": ["A", "B", "B", "C", "C", "D", "E", "F", "G", "H"],
    "customer_id": ["C1", "C1", "C1", "C2", "C2", "C3", "C3", "C1", "C4", "C4"],
    "ordered_at": pd.to_datetime(["2025-03-01", "2026-02-01", "2026-02-01", "2026-02-03", "2026-02-03",
                                  "2024-12-01", "2026-01-15", "2026-03-01", "2025-01-31", "2026-01-31"]),
    "amount": [100.0, 200.0, 100.0, 100.0, 50.0, 100.0, 400.0, 200.0, 60.0, 80.0],
})


def test_recurring_revenue_share(engine):
    out = recurring_revenue(convert(engine, o=REC)["o"], start="2026-01-01")
    # in 2026: C3 400 (previous order 13.5 months before: no); C4 80 (exactly 12 months: yes);
    # C1 200 + 100 (bought 2025-03-01: yes; two lines of one order); C2 150 (first order: no);
    # C1 200 (bought 2026-02-01: yes). Recurring 80 + 300 + 200 = 580 of 1130.
    assert list(out.columns) == ["value", "numerator", "denominator", "history_complete"]
    assert_rows(out, {"value": [580 / 1130], "numerator": [580.0], "denominator": [1130.0],
                      "history_complete": [True]})


def test_recurring_revenue_monthly_by_and_history(engine):
    t = convert(engine, o=REC)
    out = recurring_revenue(t["o"], freq="M", start="2026-01-01")
    # Jan: 80 / 480; Feb: 300 / 450; Mar: 200 / 200
    assert_rows(out, {"period": [JAN, FEB, MAR], "value": [80 / 480, 300 / 450, 1.0],
                      "history_complete": [True, True, True]})
    whole = recurring_revenue(t["o"])  # from the first order on, nobody has a known past
    assert whole["history_complete"].tolist() == [False]
    by = recurring_revenue(t["o"], by="customer_id", start="2026-01-01")
    assert_rows(by, {"customer_id": ["C1", "C2", "C3", "C4"], "value": [1.0, 0.0, 0.0, 1.0]})


def test_recurring_revenue_empty_and_errors(engine):
    out = recurring_revenue(convert(engine, o=REC.iloc[:0])["o"])
    assert_rows(out, {"value": [NAN], "numerator": [0.0], "denominator": [0.0]})
    with pytest.raises(ParameterError, match=r"lookback=0 is not allowed"):
        recurring_revenue(REC, lookback=0)


# --------------------------------------------------------------------------- through kit.compute


def test_compute_passes_targets_and_as_of():
    ds = kit.Dataset({"orders": ORDERS, "targets": TARGETS, "opportunities": OPPS.assign(
        closed_at=OPPS["closed_at"].fillna(D("2026-03-01")))})
    out = kit.compute(ds, "gross_margin", by="rep_id", freq="M")
    assert "margin_target" in out  # targets of the dataset are used
    # as_of is ds.as_of (2026-03-10, the last order): March of R2 -> target 100, revenue 100
    dn = kit.compute(ds, "deals_needed", by="rep_id")
    assert dn.loc[dn["rep_id"] == "R2", "remaining"].tolist() == [0.0]
