"""Satisfaction KPIs on hand-sized frames, on every engine.

Expected values are counted by hand from the literal frames; the comment next to
each assertion says how.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import kit
from kit.errors import DataError, ParameterError
from kit.kpis.loyalty import referral_rate, repeat_purchase_rate, returning_customer_rate
from kit.kpis.satisfaction import csat, nps, nps_interval
from kit.stats import wilson_interval
from tests.conftest import to_engine
from tests.kpis.helpers import convert, records

D = pd.Timestamp


# --------------------------------------------------------------------------- surveys

SURVEYS = pd.DataFrame({
    "response_id": [f"S{i}" for i in range(1, 11)],
    "responded_at": pd.to_datetime([
        "2026-01-03", "2026-01-10", "2026-01-20", "2026-02-02", "2026-02-15",  # csat
        "2026-01-04", "2026-01-05", "2026-02-06", "2026-02-07", "2026-02-08",  # nps
    ]),
    "kind": ["csat"] * 5 + ["nps"] * 5,
    "score": [5.0, 4.0, 3.0, 1.0, 5.0, 10.0, 9.0, 7.0, 6.0, 0.0],
    "channel": ["web", "web", None, "shop", None, "web", "shop", "web", None, "web"],
})


def test_csat_hand_computed(engine):
    out = csat(to_engine(SURVEYS, engine))
    # csat rows score 5, 4, 3, 1, 5: satisfied (4 or 5) = 3 of 5; mean = 18 / 5 = 3.6
    assert records(out, ["value", "numerator", "denominator", "mean_score", "n"]) == [
        {"value": 0.6, "numerator": 3.0, "denominator": 5.0, "mean_score": 3.6, "n": 5}]
    lo, hi = wilson_interval([3], [5])
    assert out["ci_low"][0] == pytest.approx(lo[0]) and out["ci_high"][0] == pytest.approx(hi[0])
    assert bool(out["low_sample"][0]) is True
    assert list(out.columns) == ["value", "numerator", "denominator", "ci_low", "ci_high",
                                 "low_sample", "mean_score", "n"]


def test_csat_by_with_nulls_and_freq(engine):
    out = csat(to_engine(SURVEYS, engine), by="channel", freq="M")
    # Jan: web 5, 4 -> 2/2; null 3 -> 0/1.  Feb: shop 1 -> 0/1; null 5 -> 1/1
    got = out.assign(channel=out["channel"].fillna("<null>"))
    assert records(got, ["channel", "period", "numerator", "denominator", "mean_score"]) == [
        {"channel": "shop", "period": D("2026-02-01"), "numerator": 0.0, "denominator": 1.0, "mean_score": 1.0},
        {"channel": "web", "period": D("2026-01-01"), "numerator": 2.0, "denominator": 2.0, "mean_score": 4.5},
        {"channel": "<null>", "period": D("2026-01-01"), "numerator": 0.0, "denominator": 1.0, "mean_score": 3.0},
        {"channel": "<null>", "period": D("2026-02-01"), "numerator": 1.0, "denominator": 1.0, "mean_score": 5.0},
    ]
    assert out.index.tolist() == [0, 1, 2, 3]


def test_csat_one_group_and_window(engine):
    out = csat(to_engine(SURVEYS, engine), by="kind", start="2026-01-05", end="2026-02-15")
    # csat answers on 01-10 (4), 01-20 (3), 02-02 (1): one satisfied of 3; end is excluded
    assert records(out, ["kind", "numerator", "denominator"]) == [
        {"kind": "csat", "numerator": 1.0, "denominator": 3.0}]


def test_csat_zero_denominator_and_empty(engine):
    only_nps = SURVEYS[SURVEYS["kind"] == "nps"]
    out = csat(to_engine(only_nps, engine))
    assert len(out) == 1 and out["denominator"][0] == 0 and math.isnan(out["value"][0])
    assert math.isnan(out["mean_score"][0]) and math.isnan(out["ci_low"][0])
    empty = csat(to_engine(SURVEYS.iloc[0:0], engine), by="channel", freq="M")
    assert len(empty) == 0
    assert list(empty.columns)[:4] == ["channel", "period", "value", "numerator"]


def test_csat_score_above_five_raises(engine):
    bad = SURVEYS.copy()
    bad.loc[1, "score"] = 8.0
    with pytest.raises(DataError, match=r"1 CSAT answer\(s\) score above 5.*Rescale"):
        csat(to_engine(bad, engine))


def test_by_errors_name_the_user_columns_only(engine):
    with pytest.raises(ParameterError, match=r"by='chanel'.*did you mean 'channel'") as err:
        csat(to_engine(SURVEYS, engine), by="chanel")
    assert "_score" not in str(err.value)
    t = convert(engine, customers=CUSTOMERS, referrals=REFERRALS)
    with pytest.raises(ParameterError, match=r"by='segmnt'.*in customers.*did you mean 'segment'") as err:
        referral_rate(t["customers"], t["referrals"], by="segmnt")
    assert "_acquired" not in str(err.value)


def test_nps_hand_computed(engine):
    out = nps(to_engine(SURVEYS, engine))
    # nps rows 10, 9, 7, 6, 0: promoters 2, passives 1, detractors 2 -> (2 - 2) / 5 = 0
    assert records(out, ["value", "promoters", "passives", "detractors", "n"]) == [
        {"value": 0.0, "promoters": 2, "passives": 1, "detractors": 2, "n": 5}]
    assert out["ci_low"][0] < 0 < out["ci_high"][0]
    assert list(out.columns) == ["value", "ci_low", "ci_high", "promoters", "passives",
                                 "detractors", "n", "low_sample"]


def test_nps_by_and_freq(engine):
    out = nps(to_engine(SURVEYS, engine), by="channel", freq="M")
    # Jan: web 10 -> +100; shop 9 -> +100.  Feb: web 7, 0 -> (0 - 1)/2 = -50; null 6 -> -100
    got = out.assign(channel=out["channel"].fillna("<null>"))
    assert records(got, ["channel", "period", "value", "n"]) == [
        {"channel": "shop", "period": D("2026-01-01"), "value": 100.0, "n": 1},
        {"channel": "web", "period": D("2026-01-01"), "value": 100.0, "n": 1},
        {"channel": "web", "period": D("2026-02-01"), "value": -50.0, "n": 2},
        {"channel": "<null>", "period": D("2026-02-01"), "value": -100.0, "n": 1},
    ]


def test_nps_all_passives_is_zero_with_a_real_interval(engine):
    s = pd.DataFrame({"kind": ["nps"] * 10, "score": [7.0, 8.0] * 5,
                      "responded_at": pd.date_range("2026-01-01", periods=10, freq="D")})
    out = nps(to_engine(s, engine))
    assert out["value"][0] == 0.0 and out["passives"][0] == 10
    # adjusted Wald: p = d = 0.75 / 13, se = sqrt((p + d) / 13) = sqrt(1.5) / 13, 1.96 se = 18.47 points
    half = 1.959963984540054 * math.sqrt(1.5) / 13 * 100
    assert out["ci_low"][0] == pytest.approx(-half) and out["ci_high"][0] == pytest.approx(half)


def test_nps_empty(engine):
    out = nps(to_engine(SURVEYS[SURVEYS["kind"] == "csat"], engine))
    assert out["n"].tolist() == [0] and math.isnan(out["value"][0]) and math.isnan(out["ci_low"][0])


def test_nps_interval_stays_in_bounds():
    lo, hi = nps_interval([50, 0], [0, 50], [50, 50])
    # all promoters: the upper bound is clipped at 100; all detractors: the lower at -100
    assert hi[0] == 100.0 and lo[1] == -100.0 and lo[0] > 80 and hi[1] < -80


# --------------------------------------------------------------------------- repeat purchase

# as_of 2026-04-01:
#   C1 first 2026-01-01 (exactly 90 days old: 31 + 28 + 31): second order 03-15 -> yes
#   C2 first 2026-01-02 (89 days old): censored, its 01-20 order does not count
#   C3 first 2025-12-01 with another order the same day (not a second purchase) and
#      one 2026-04-01 (121 days later, outside the window) -> no
#   C4 first 2025-11-01, second 2026-01-30 (exactly 90 days: 29 + 31 + 30) -> yes
#   C5 order O9 has lines on 2025-10-01 and 2025-10-20: same order, not a second -> no
#   C6 first order after as_of: not a customer yet, not counted anywhere
# -> 2 of 4 eligible, 1 censored
ORDERS = pd.DataFrame({
    "order_id": ["O1", "O2", "O3", "O4", "O5", "O6", "O7", "O8", "O9", "O9", "O10", "O1", "O11"],
    "customer_id": ["C1", "C1", "C2", "C2", "C3", "C3", "C3", "C4", "C5", "C5", "C6", "C1", "C4"],
    "ordered_at": pd.to_datetime([
        "2026-01-01 09:00", "2026-03-15 10:00", "2026-01-02 00:00", "2026-01-20 00:00",
        "2025-12-01 08:00", "2025-12-01 17:00", "2026-04-01 00:00", "2025-11-01 00:00",
        "2025-10-01 00:00", "2025-10-20 00:00", "2026-05-01 00:00", "2026-01-01 09:00",
        "2026-01-30 00:00",
    ]),
    "amount": [10.0] * 13,
    "segment": ["pme", "pme", "pme", "pme", None, None, None, "ge", "ge", "ge", "ge", "pme", "ge"],
})
AS_OF = "2026-04-01"


def test_repeat_purchase_hand_computed(engine):
    out = repeat_purchase_rate(to_engine(ORDERS, engine), as_of=AS_OF)
    assert records(out, ["value", "numerator", "denominator", "n_censored"]) == [
        {"value": 0.5, "numerator": 2.0, "denominator": 4.0, "n_censored": 1}]
    assert list(out.columns) == ["value", "numerator", "denominator", "ci_low", "ci_high",
                                 "low_sample", "n_censored", "n_before_data"]
    assert out["n_before_data"].tolist() == [0]


def test_repeat_purchase_leaves_out_customers_acquired_before_the_orders(engine):
    # the orders start on 2025-10-01 (C5). C4 was acquired in 2024: its first order in the
    # data is not its first purchase -> left out. C5 acquired the day the data start and C1
    # acquired the day before its first order are new.  Eligible C1, C3, C5; yes C1.
    customers = pd.DataFrame({
        "customer_id": ["C1", "C2", "C3", "C4", "C5"],
        "acquired_at": pd.to_datetime(["2025-12-31", "2026-01-02", "2025-12-01", "2024-03-01",
                                       "2025-10-01"]),
    })
    t = convert(engine, orders=ORDERS, customers=customers)
    out = repeat_purchase_rate(t["orders"], customers=t["customers"], as_of=AS_OF)
    assert records(out, ["numerator", "denominator", "n_censored", "n_before_data"]) == [
        {"numerator": 1.0, "denominator": 3.0, "n_censored": 1, "n_before_data": 1}]


def test_repeat_purchase_boundaries(engine):
    orders = to_engine(ORDERS, engine)
    # one day earlier: C1 (89 days old) is censored too -> C3, C4, C5 eligible, C4 yes
    out = repeat_purchase_rate(orders, as_of="2026-03-31")
    assert records(out, ["numerator", "denominator", "n_censored"]) == [
        {"numerator": 1.0, "denominator": 3.0, "n_censored": 2}]
    # a window of 89 days drops C4 (90 days after) and lets C2 (89 days old) in: C2 yes (18 days)
    out = repeat_purchase_rate(orders, as_of=AS_OF, window=89)
    assert records(out, ["numerator", "denominator", "n_censored"]) == [
        {"numerator": 2.0, "denominator": 5.0, "n_censored": 0}]


def test_repeat_purchase_as_of_defaults_to_latest_order(engine):
    # without C6 the latest order is 2026-04-01 (C3): same answer as as_of=AS_OF
    out = repeat_purchase_rate(to_engine(ORDERS[ORDERS["customer_id"] != "C6"], engine))
    assert records(out, ["numerator", "denominator", "n_censored"]) == [
        {"numerator": 2.0, "denominator": 4.0, "n_censored": 1}]


def test_repeat_purchase_by_segment_with_null_and_freq(engine):
    out = repeat_purchase_rate(to_engine(ORDERS, engine), by="segment", as_of=AS_OF)
    # ge: C4 yes, C5 no -> 1/2; pme: C1 yes, C2 censored -> 1/1; null: C3 no -> 0/1
    got = out.assign(segment=out["segment"].fillna("<null>"))
    assert records(got, ["segment", "numerator", "denominator", "n_censored"]) == [
        {"segment": "ge", "numerator": 1.0, "denominator": 2.0, "n_censored": 0},
        {"segment": "pme", "numerator": 1.0, "denominator": 1.0, "n_censored": 1},
        {"segment": "<null>", "numerator": 0.0, "denominator": 1.0, "n_censored": 0},
    ]
    out = repeat_purchase_rate(to_engine(ORDERS, engine), freq="M", as_of=AS_OF)
    # acquisition months: 2025-10 C5, 2025-11 C4, 2025-12 C3, 2026-01 C1 + C2 (censored)
    assert records(out, ["period", "numerator", "denominator", "n_censored"]) == [
        {"period": D("2025-10-01"), "numerator": 0.0, "denominator": 1.0, "n_censored": 0},
        {"period": D("2025-11-01"), "numerator": 1.0, "denominator": 1.0, "n_censored": 0},
        {"period": D("2025-12-01"), "numerator": 0.0, "denominator": 1.0, "n_censored": 0},
        {"period": D("2026-01-01"), "numerator": 1.0, "denominator": 1.0, "n_censored": 1},
    ]


def test_repeat_purchase_start_keeps_first_order_over_all_history(engine):
    # start=2025-11-15 keeps customers acquired from then on: C3, C1, C2 (C4, C5 are older)
    out = repeat_purchase_rate(to_engine(ORDERS, engine), start="2025-11-15", as_of=AS_OF)
    assert records(out, ["numerator", "denominator", "n_censored"]) == [
        {"numerator": 1.0, "denominator": 2.0, "n_censored": 1}]


def test_repeat_purchase_by_customers_table(engine):
    customers = pd.DataFrame({"customer_id": ["C1", "C2", "C3", "C4", "C5"],
                              "region": ["nord", "nord", "sud", None, "sud"]})
    t = convert(engine, orders=ORDERS.drop(columns="segment"), customers=customers)
    out = repeat_purchase_rate(t["orders"], customers=t["customers"], by="region", as_of=AS_OF)
    # nord: C1 yes, C2 censored; sud: C3 no, C5 no; null: C4 yes
    got = out.assign(region=out["region"].fillna("<null>"))
    assert records(got, ["region", "numerator", "denominator", "n_censored"]) == [
        {"region": "nord", "numerator": 1.0, "denominator": 1.0, "n_censored": 1},
        {"region": "sud", "numerator": 0.0, "denominator": 2.0, "n_censored": 0},
        {"region": "<null>", "numerator": 1.0, "denominator": 1.0, "n_censored": 0},
    ]


def test_repeat_purchase_empty_and_errors(engine):
    out = repeat_purchase_rate(to_engine(ORDERS.iloc[0:0], engine))
    assert records(out, ["numerator", "denominator", "n_censored"]) == [
        {"numerator": 0.0, "denominator": 0.0, "n_censored": 0}]
    assert math.isnan(out["value"][0])
    out = repeat_purchase_rate(to_engine(ORDERS.iloc[0:0], engine), by="segment", freq="M")
    assert len(out) == 0 and "n_censored" in out.columns
    with pytest.raises(ParameterError, match=r"window=0 is not allowed.*positive.*window=90"):
        repeat_purchase_rate(to_engine(ORDERS, engine), window=0)
    with pytest.raises(ParameterError, match=r"by='segmnt'.*did you mean 'segment'"):
        repeat_purchase_rate(to_engine(ORDERS, engine), by="segmnt")


def test_repeat_purchase_through_compute_uses_dataset_as_of():
    ds = kit.Dataset({"orders": ORDERS}, as_of=AS_OF)
    out = kit.compute(ds, "repeat_purchase_rate")
    assert out["n_censored"].tolist() == [1] and out["value"].tolist() == [0.5]


# --------------------------------------------------------------------------- referrals

# as_of 2026-07-15, months=6:
#   C1 acquired 2026-01-15 (exactly 6 months): valid referral 2026-07-15 (day 6 months) -> yes
#   C2 acquired 2026-01-16: censored (its referral does not count)
#   C3 acquired 2025-08-31: referral 2026-02-28 = 31 Aug + 6 months (month end) -> yes
#   C4 acquired 2025-06-01: invalid referral 2025-07-01, valid one 2025-12-02 (6 months + 1 day) -> no
#   C5 no acquired_at: left out, unless orders give its first order (2025-05-05, referral same day -> yes)
#   C6 acquired after as_of: left out
#   C7 acquired 2025-09-01, referral 2025-08-15 before acquisition -> no
CUSTOMERS = pd.DataFrame({
    "customer_id": ["C1", "C2", "C3", "C4", "C5", "C6", "C7"],
    "acquired_at": pd.to_datetime(["2026-01-15", "2026-01-16", "2025-08-31", "2025-06-01", None,
                                   "2026-08-01", "2025-09-01"]),
    "segment": ["pme", "pme", "ge", None, "ge", "pme", "ge"],
})
REFERRALS = pd.DataFrame({
    "referral_id": [f"R{i}" for i in range(1, 8)],
    "referrer_id": ["C1", "C2", "C3", "C4", "C4", "C5", "C7"],
    "referred_at": pd.to_datetime(["2026-07-15 18:00", "2026-02-01", "2026-02-28", "2025-07-01",
                                   "2025-12-02", "2025-05-05", "2025-08-15"], format="ISO8601"),
    "valid": [True, True, True, False, True, True, True],
})
R_AS_OF = "2026-07-15 23:00"


def test_referral_rate_hand_computed(engine):
    t = convert(engine, customers=CUSTOMERS, referrals=REFERRALS)
    out = referral_rate(t["customers"], t["referrals"], as_of=R_AS_OF)
    # eligible C1, C3, C4, C7; yes C1, C3
    assert records(out, ["value", "numerator", "denominator", "n_censored"]) == [
        {"value": 0.5, "numerator": 2.0, "denominator": 4.0, "n_censored": 1}]


def test_referral_rate_leaves_out_customers_whose_months_end_before_the_referrals(engine):
    # the referrals start on 2025-05-05: C8 (acquired 2024-11-04, 6 months end 2025-05-04)
    # cannot be judged; C9 (acquired 2024-11-05, ends 2025-05-05) can, and gave none
    extra = pd.DataFrame({"customer_id": ["C8", "C9"],
                          "acquired_at": pd.to_datetime(["2024-11-04", "2024-11-05"]),
                          "segment": ["ge", "ge"]})
    t = convert(engine, customers=pd.concat([CUSTOMERS, extra], ignore_index=True),
                referrals=REFERRALS)
    out = referral_rate(t["customers"], t["referrals"], as_of=R_AS_OF)
    assert records(out, ["numerator", "denominator", "n_censored", "n_before_data"]) == [
        {"numerator": 2.0, "denominator": 5.0, "n_censored": 1, "n_before_data": 1}]


def test_referral_rate_with_orders_fills_acquisition(engine):
    orders = pd.DataFrame({"order_id": ["O1", "O2"], "customer_id": ["C5", "C1"],
                           "ordered_at": pd.to_datetime(["2025-05-05", "2025-01-01"])})
    t = convert(engine, customers=CUSTOMERS, referrals=REFERRALS, orders=orders)
    out = referral_rate(t["customers"], t["referrals"], orders=t["orders"], as_of=R_AS_OF)
    # C5 gets 2025-05-05 -> eligible and yes; C1 keeps its acquired_at
    assert records(out, ["numerator", "denominator", "n_censored"]) == [
        {"numerator": 3.0, "denominator": 5.0, "n_censored": 1}]


def test_referral_rate_month_end_as_of(engine):
    c = pd.DataFrame({"customer_id": ["A", "B", "C"],
                      "acquired_at": pd.to_datetime(["2025-08-31", "2025-08-27", "2025-08-28"])})
    r = REFERRALS.iloc[0:0]
    t = convert(engine, customers=c, referrals=r)
    # 2026-02-28 is a month end: 31 Aug + 6 months is 28 Feb, so all three are old enough
    out = referral_rate(t["customers"], t["referrals"], as_of="2026-02-28")
    assert records(out, ["numerator", "denominator", "n_censored"]) == [
        {"numerator": 0.0, "denominator": 3.0, "n_censored": 0}]
    # on 2026-02-27 only B (27 Aug) is 6 months old
    out = referral_rate(t["customers"], t["referrals"], as_of="2026-02-27")
    assert records(out, ["denominator", "n_censored"]) == [{"denominator": 1.0, "n_censored": 2}]


def test_referral_rate_by_with_null_and_freq(engine):
    t = convert(engine, customers=CUSTOMERS, referrals=REFERRALS)
    out = referral_rate(t["customers"], t["referrals"], by="segment", as_of=R_AS_OF)
    # ge: C3 yes, C7 no -> 1/2; pme: C1 yes, C2 censored -> 1/1; null: C4 no -> 0/1
    got = out.assign(segment=out["segment"].fillna("<null>"))
    assert records(got, ["segment", "numerator", "denominator", "n_censored"]) == [
        {"segment": "ge", "numerator": 1.0, "denominator": 2.0, "n_censored": 0},
        {"segment": "pme", "numerator": 1.0, "denominator": 1.0, "n_censored": 1},
        {"segment": "<null>", "numerator": 0.0, "denominator": 1.0, "n_censored": 0},
    ]
    out = referral_rate(t["customers"], t["referrals"], freq="Y", as_of=R_AS_OF)
    # 2025: C3 yes, C4 no, C7 no; 2026: C1 yes, C2 censored
    assert records(out, ["period", "numerator", "denominator", "n_censored"]) == [
        {"period": D("2025-01-01"), "numerator": 1.0, "denominator": 3.0, "n_censored": 0},
        {"period": D("2026-01-01"), "numerator": 1.0, "denominator": 1.0, "n_censored": 1},
    ]


def test_referral_rate_empty_and_errors(engine):
    t = convert(engine, customers=CUSTOMERS.iloc[0:0], referrals=REFERRALS.iloc[0:0])
    out = referral_rate(t["customers"], t["referrals"])
    assert records(out, ["numerator", "denominator", "n_censored"]) == [
        {"numerator": 0.0, "denominator": 0.0, "n_censored": 0}]
    assert math.isnan(out["value"][0])
    t = convert(engine, customers=CUSTOMERS.drop(columns="acquired_at"), referrals=REFERRALS)
    with pytest.raises(ParameterError, match=r"no 'acquired_at' column.*Pass orders="):
        referral_rate(t["customers"], t["referrals"])
    t = convert(engine, customers=CUSTOMERS, referrals=REFERRALS)
    with pytest.raises(ParameterError, match=r"months=0 is not allowed.*months=6"):
        referral_rate(t["customers"], t["referrals"], months=0)


# --------------------------------------------------------------------------- returning customers

# 2023 customers: C1 (back 2024-02-01), C2 (never back), C3 (two lines, back 2024-12-31) -> 2/3
# 2024 customers: C1, C3 (not back in 2025), C4 (back 2025-03-01) -> 1/3
# 2025 customers: C4, C5 -> 0/2 so far
YEARS = pd.DataFrame({
    "customer_id": ["C1", "C1", "C2", "C3", "C3", "C3", "C4", "C4", "C5"],
    "ordered_at": pd.to_datetime(["2023-03-01", "2024-02-01", "2023-05-01", "2023-06-01",
                                  "2023-06-01", "2024-12-31 18:00", "2024-01-10", "2025-03-01",
                                  "2025-01-01"], format="ISO8601"),
    "segment": ["pme", "pme", None, "ge", "ge", "ge", "ge", "ge", "pme"],
})


def test_returning_customer_rate_only_complete_years(engine):
    out = returning_customer_rate(to_engine(YEARS, engine), as_of="2025-06-30")
    # 2024 cannot be judged before 2025 is over: only 2023
    assert records(out, ["period", "value", "numerator", "denominator", "complete"]) == [
        {"period": D("2023-01-01"), "value": 2 / 3, "numerator": 2.0, "denominator": 3.0,
         "complete": True}]
    out = returning_customer_rate(to_engine(YEARS, engine), as_of="2025-12-31")
    assert out["numerator"].tolist() == [2.0, 1.0] and out["complete"].tolist() == [True, True]


def test_returning_customer_rate_partial(engine):
    out = returning_customer_rate(to_engine(YEARS, engine), as_of="2025-06-30", partial=True)
    assert records(out, ["period", "numerator", "denominator", "complete"]) == [
        {"period": D("2023-01-01"), "numerator": 2.0, "denominator": 3.0, "complete": True},
        {"period": D("2024-01-01"), "numerator": 1.0, "denominator": 3.0, "complete": False},
        {"period": D("2025-01-01"), "numerator": 0.0, "denominator": 2.0, "complete": False},
    ]
    # an as_of inside 2024 ignores later orders: C3 (back 2024-12-31 18:00) is not back yet,
    # and the 2024 customers are C1 and C4 only
    out = returning_customer_rate(to_engine(YEARS, engine), as_of="2024-12-30", partial=True)
    assert records(out, ["period", "numerator", "denominator", "complete"]) == [
        {"period": D("2023-01-01"), "numerator": 1.0, "denominator": 3.0, "complete": False},
        {"period": D("2024-01-01"), "numerator": 0.0, "denominator": 2.0, "complete": False},
    ]
    # on the evening of 31 December 2024, 2024 is complete and 2023 can be judged
    out = returning_customer_rate(to_engine(YEARS, engine), as_of="2024-12-31 23:59")
    assert records(out, ["period", "numerator", "denominator", "complete"]) == [
        {"period": D("2023-01-01"), "numerator": 2.0, "denominator": 3.0, "complete": True}]


def test_returning_customer_rate_by_with_null_and_window(engine):
    out = returning_customer_rate(to_engine(YEARS, engine), by="segment", as_of="2025-12-31",
                                  start="2024-01-01")
    # 2024: ge C3 no, C4 yes -> 1/2; pme C1 no -> 0/1.  2023 is before start.
    assert records(out, ["segment", "period", "numerator", "denominator"]) == [
        {"segment": "ge", "period": D("2024-01-01"), "numerator": 1.0, "denominator": 2.0},
        {"segment": "pme", "period": D("2024-01-01"), "numerator": 0.0, "denominator": 1.0},
    ]
    out = returning_customer_rate(to_engine(YEARS, engine), by="segment", as_of="2025-06-30")
    # 2023: ge C3 yes 1/1; pme C1 yes 1/1; null C2 no 0/1
    got = out.assign(segment=out["segment"].fillna("<null>"))
    assert records(got, ["segment", "numerator", "denominator"]) == [
        {"segment": "ge", "numerator": 1.0, "denominator": 1.0},
        {"segment": "pme", "numerator": 1.0, "denominator": 1.0},
        {"segment": "<null>", "numerator": 0.0, "denominator": 1.0},
    ]


def test_returning_customer_rate_empty_and_errors(engine):
    out = returning_customer_rate(to_engine(YEARS.iloc[0:0], engine))
    assert len(out) == 0 and {"period", "value", "complete"} <= set(out.columns)
    with pytest.raises(ParameterError, match=r"partial='yes' is not allowed.*True, False"):
        returning_customer_rate(to_engine(YEARS, engine), partial="yes")


# --------------------------------------------------------------------------- registry

@pytest.mark.parametrize("name", ["csat", "nps", "repeat_purchase_rate", "referral_rate",
                                  "returning_customer_rate"])
def test_registered(name):
    spec = kit.registry.get(name)
    assert spec.family == "satisfaction" and spec.func.__name__ == name
    assert spec.label["fr"] and spec.definition["fr"].endswith(".")
    assert np.all([t in ("surveys", "orders", "customers", "referrals") for t in spec.tables])
