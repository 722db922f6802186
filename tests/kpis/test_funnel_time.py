"""Funnel KPIs about time (:mod:`kit.kpis.funnel_time`) on hand-sized frames, on pandas,
polars and DuckDB inputs.

Every expected value is computed by hand in the comment next to it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

import kit
from kit.errors import ParameterError
from kit.kpis.funnel_time import (conversations_to_close, never_engaged_rate, pipeline_velocity,
                                  sales_cycle, time_to_convert)
from tests.kpis.helpers import dt, one, rec, tables

T = pd.Timestamp
NAN = float("nan")


# ---------------------------------------------------------------------------- never engaged

NEVER = pd.DataFrame({
    "lead_id": [f"N{i}" for i in range(1, 9)],
    "created_at": dt(["2026-01-05", "2026-01-20", "2026-02-15", "2026-01-01",
                      "2026-03-01 00:00:00", "2026-03-01 12:00:00", "2026-03-20", "2026-04-05"]),
    "engaged_at": dt(["2026-01-06", None, "2026-03-30", "2026-01-31", None, None, "2026-03-21",
                      None]),
    "source": ["web", "web", "salon", None, "web", "web", "web", "web"],
})


def test_never_engaged_rate_censoring_boundary(engine):
    out = never_engaged_rate(one(engine, NEVER), as_of="2026-03-31")
    # cutoff 2026-03-01 00:00: N5 is exactly 30 days old and counts, N6 (12 hours younger)
    # and N7 are censored, N8 is after as_of. N4 engaged exactly 30 days after creation: in
    # time. Never engaged in time: N2, N3 (43 days), N5 -> 3 / 5 (N1..N5)
    assert rec(out, ["value", "numerator", "denominator", "n_censored"]) == [
        {"value": 0.6, "numerator": 3.0, "denominator": 5.0, "n_censored": 2.0}]


def test_never_engaged_rate_default_as_of_is_latest_date(engine):
    # as_of = 2026-04-05 (N8): cutoff 2026-03-06, N6 now old enough and never engaged;
    # N7, N8 censored -> N2 N3 N5 N6 of N1..N6 = 4 / 6
    out = never_engaged_rate(one(engine, NEVER))
    assert rec(out, ["numerator", "denominator", "n_censored"]) == [
        {"numerator": 4.0, "denominator": 6.0, "n_censored": 2.0}]


def test_never_engaged_rate_by_month_source_and_days(engine):
    f = one(engine, NEVER)
    # Jan: N1 N2 N4 -> 1/3; Feb: N3 -> 1/1; Mar: N5 old (1/1), N6 N7 censored; N8 dropped
    assert rec(never_engaged_rate(f, as_of="2026-03-31", freq="M"),
               ["period", "numerator", "denominator", "n_censored"]) == [
        {"period": T("2026-01-01"), "numerator": 1.0, "denominator": 3.0, "n_censored": 0.0},
        {"period": T("2026-02-01"), "numerator": 1.0, "denominator": 1.0, "n_censored": 0.0},
        {"period": T("2026-03-01"), "numerator": 1.0, "denominator": 1.0, "n_censored": 2.0}]
    # salon N3 1/1; web N1 N2 N5 -> 2/3 (N6 N7 censored); null source N4 0/1
    assert rec(never_engaged_rate(f, as_of="2026-03-31", by="source"),
               ["source", "numerator", "denominator", "n_censored"]) == [
        {"source": "salon", "numerator": 1.0, "denominator": 1.0, "n_censored": 0.0},
        {"source": "web", "numerator": 2.0, "denominator": 3.0, "n_censored": 2.0},
        {"source": None, "numerator": 0.0, "denominator": 1.0, "n_censored": 0.0}]
    # days=60: cutoff 2026-01-30: N1 N2 N4 old; N2 never -> 1/3, 4 censored (N3 N5 N6 N7)
    assert rec(never_engaged_rate(f, as_of="2026-03-31", days=60),
               ["numerator", "denominator", "n_censored"]) == [
        {"numerator": 1.0, "denominator": 3.0, "n_censored": 4.0}]


def test_never_engaged_rate_all_censored_and_empty(engine):
    out = never_engaged_rate(one(engine, NEVER), as_of="2026-01-10")
    # only N1 and N4 exist at as_of, both younger than 30 days: 0 / 0, missing value
    assert rec(out, ["value", "numerator", "denominator", "n_censored"]) == [
        {"value": None, "numerator": 0.0, "denominator": 0.0, "n_censored": 2.0}]
    out = never_engaged_rate(one(engine, NEVER.iloc[:0]))
    assert rec(out, ["value", "denominator", "n_censored"]) == [
        {"value": None, "denominator": 0.0, "n_censored": 0.0}]


@pytest.mark.parametrize("days", [0, -5, "30", True, float("nan")])
def test_never_engaged_rate_rejects_bad_days(days):
    with pytest.raises(ParameterError, match=r"days=.* is not allowed; it must be a positive number"):
        never_engaged_rate(NEVER, days=days)


def test_never_engaged_rate_through_compute_uses_dataset_as_of():
    ds = kit.Dataset({"leads": NEVER}, as_of="2026-03-31")
    assert kit.compute(ds, "never_engaged_rate")["numerator"].tolist() == [3.0]


# ---------------------------------------------------------------------------- time to convert

CONV = pd.DataFrame({
    "lead_id": ["T1", "T2", "T3", "T4", "T5", "T6"],
    "created_at": dt(["2026-01-01", "2026-01-01", "2026-01-01", "2026-06-20", "2026-02-01",
                      "2026-05-01"]),
    # T5 converted before creation (inconsistent); T6 converts after as_of (still open)
    "converted_at": dt(["2026-01-11", "2026-03-02", None, None, "2026-01-15", "2026-07-10"]),
    "source": ["a", "a", "b", "b", "a", None],
})
TTC_COLS = ["value", "mean", "n", "km_median", "n_leads", "n_censored", "n_inconsistent",
            "share_30d", "share_30d_n", "share_90d", "share_90d_n"]


def test_time_to_convert_total(engine):
    out = time_to_convert(one(engine, CONV), as_of="2026-06-30")
    # converted by as_of: T1 10 days, T2 60 days -> median 35, mean 35, n 2.
    # Kaplan-Meier without T5: T1 10 event, T4 10 censored, T2 60 event, T6 60 censored,
    # T3 180 censored: S(10) = 4/5, S(60) = 4/5 * 2/3 = 0.53 > 0.5: median not reached, inf.
    # 30 days: created by 2026-05-31 (T1 T2 T3 T6), converted within 30: T1 -> 1/4.
    # 90 days: created by 2026-04-01 (T1 T2 T3), converted within 90: T1 T2 -> 2/3.
    assert rec(out, TTC_COLS) == [{
        "value": 35.0, "mean": 35.0, "n": 2.0, "km_median": math.inf, "n_leads": 6.0,
        "n_censored": 3.0, "n_inconsistent": 1.0, "share_30d": 0.25, "share_30d_n": 4.0,
        "share_90d": round(2 / 3, 6), "share_90d_n": 3.0}]


def test_time_to_convert_by_source_km_all_censored(engine):
    out = time_to_convert(one(engine, CONV), by="source", as_of="2026-06-30")
    rows = rec(out, ["source"] + TTC_COLS)
    # a: T1 10, T2 60 (T5 left out): KM S(10) = 1/2 -> median 10; shares 1/2 and 2/2
    assert rows[0] == {"source": "a", "value": 35.0, "mean": 35.0, "n": 2.0, "km_median": 10.0,
                       "n_leads": 3.0, "n_censored": 0.0, "n_inconsistent": 1.0,
                       "share_30d": 0.5, "share_30d_n": 2.0, "share_90d": 1.0, "share_90d_n": 2.0}
    # b: T3 and T4 both open, all censored: no median among converted, KM median inf;
    # T3 old enough for both horizons, T4 for none
    assert rows[1] == {"source": "b", "value": None, "mean": None, "n": 0.0, "km_median": math.inf,
                       "n_leads": 2.0, "n_censored": 2.0, "n_inconsistent": 0.0,
                       "share_30d": 0.0, "share_30d_n": 1.0, "share_90d": 0.0, "share_90d_n": 1.0}
    # null source: T6 open at as_of (converts later), 60 days old: not old enough for 90 days
    assert rows[2] == {"source": None, "value": None, "mean": None, "n": 0.0,
                       "km_median": math.inf, "n_leads": 1.0, "n_censored": 1.0,
                       "n_inconsistent": 0.0, "share_30d": 0.0, "share_30d_n": 1.0,
                       "share_90d": None, "share_90d_n": 0.0}


def test_time_to_convert_by_cohort_month(engine):
    out = time_to_convert(one(engine, CONV), freq="M", as_of="2026-06-30")
    rows = rec(out, ["period", "value", "n", "km_median", "n_leads", "n_inconsistent"])
    # January: T1 10, T2 60 events, T3 180 censored: S(10) = 2/3, S(60) = 1/3 -> KM median 60
    assert rows[0] == {"period": T("2026-01-01"), "value": 35.0, "n": 2.0, "km_median": 60.0,
                       "n_leads": 3.0, "n_inconsistent": 0.0}
    # February: only T5, inconsistent: nothing to estimate, KM median missing
    assert rows[1] == {"period": T("2026-02-01"), "value": None, "n": 0.0, "km_median": None,
                       "n_leads": 1.0, "n_inconsistent": 1.0}
    assert [r["period"] for r in rows[2:]] == [T("2026-05-01"), T("2026-06-01")]


def test_time_to_convert_empty_custom_horizon_and_errors(engine):
    out = time_to_convert(one(engine, CONV.iloc[:0]))
    assert rec(out, ["value", "n", "km_median", "n_leads", "share_30d"]) == [
        {"value": None, "n": 0.0, "km_median": None, "n_leads": 0.0, "share_30d": None}]
    out = time_to_convert(one(engine, CONV), as_of="2026-06-30", horizons=(7,))
    # 7 days: created by 2026-06-23 (all but T5): T1 T2 T3 T4 T6, none within 7 days
    assert rec(out, ["share_7d", "share_7d_n"]) == [{"share_7d": 0.0, "share_7d_n": 5.0}]
    with pytest.raises(ParameterError, match=r"horizons=0 is not allowed"):
        time_to_convert(CONV, horizons=(30, 0))


def test_time_to_convert_default_as_of_is_latest_date():
    # latest date: T6 converted 2026-07-10, so T6 counts as converted after 70 days
    out = time_to_convert(CONV)
    assert out["n"].tolist() == [3.0] and out["value"].tolist() == [60.0]


# ---------------------------------------------------------------------------- sales cycle

CYCLE = pd.DataFrame({
    "opportunity_id": ["S1", "S2", "S3", "S4", "S5", "S6"],
    "status": ["won", "lost", "won", "open", "won", "lost"],
    "rep_id": ["R1", "R1", "R2", "R2", "R2", None],
    "created_at": dt(["2026-01-01", "2026-01-01", "2026-01-15", "2026-01-20", "2026-02-10",
                      "2026-02-01"]),
    # S5 closed before it was created
    "closed_at": dt(["2026-01-11", "2026-01-31", "2026-02-14", None, "2026-02-01", "2026-03-03"]),
})


def test_sales_cycle(engine):
    f = one(engine, CYCLE)
    # S1 10, S2 30, S3 30, S6 30 days (February 2026 has 28 days): median 30, mean 25
    assert rec(sales_cycle(f), ["value", "mean", "n", "n_inconsistent"]) == [
        {"value": 30.0, "mean": 25.0, "n": 4.0, "n_inconsistent": 1.0}]
    # lost S2 S6: 30, 30; won S1 S3: 10, 30 -> median 20
    assert rec(sales_cycle(f, by="status"), ["status", "value", "n", "n_inconsistent"]) == [
        {"status": "lost", "value": 30.0, "n": 2.0, "n_inconsistent": 0.0},
        {"status": "won", "value": 20.0, "n": 2.0, "n_inconsistent": 1.0}]
    # by close month: Jan S1 S2 -> 20; Feb S3 30 (S5 flagged); Mar S6 30
    assert rec(sales_cycle(f, freq="M"), ["period", "value", "n", "n_inconsistent"]) == [
        {"period": T("2026-01-01"), "value": 20.0, "n": 2.0, "n_inconsistent": 0.0},
        {"period": T("2026-02-01"), "value": 30.0, "n": 1.0, "n_inconsistent": 1.0},
        {"period": T("2026-03-01"), "value": 30.0, "n": 1.0, "n_inconsistent": 0.0}]
    # null rep is its own group, last
    assert rec(sales_cycle(f, by="rep_id"), ["rep_id", "value", "n"]) == [
        {"rep_id": "R1", "value": 20.0, "n": 2.0}, {"rep_id": "R2", "value": 30.0, "n": 1.0},
        {"rep_id": None, "value": 30.0, "n": 1.0}]


def test_sales_cycle_only_open_and_empty(engine):
    only_open = CYCLE[CYCLE["status"] == "open"]
    assert rec(sales_cycle(one(engine, only_open)), ["value", "mean", "n"]) == [
        {"value": None, "mean": None, "n": 0.0}]
    out = sales_cycle(one(engine, CYCLE.iloc[:0]), by="rep_id", freq="M")
    assert out.empty and list(out.columns) == ["rep_id", "period", "value", "mean", "n",
                                               "n_inconsistent"]


# ---------------------------------------------------------------------------- conversations

C_OPPS = pd.DataFrame({
    "opportunity_id": ["C1", "C2", "C3", "C4"],
    "status": ["won", "won", "lost", "won"],
    "rep_id": ["R1", "R2", "R1", "R1"],
    "created_at": dt(["2026-01-01", "2026-01-05", "2026-01-01", "2026-02-01"]),
    "qualified_at": dt(["2026-01-10", None, "2026-01-02", "2026-02-05"]),
    "closed_at": dt(["2026-01-31", "2026-02-15", "2026-01-20", "2026-02-28"]),
})
C_ACTS = pd.DataFrame({
    "opportunity_id": ["C1"] * 8 + ["C2"] * 3 + ["C3", None],
    "type": ["call", "call", "meeting", "video_call", "call", "email", "meeting", "call",
             "meeting", "call", "meeting", "meeting", "meeting"],
    "outcome": ["connected", "connected", None, None, "no_answer", None, None, "connected",
                None, "connected", None, None, None],
    "purpose": [None, "sales", "sales", None, None, "sales", "customer_service", None,
                None, None, None, "sales", "sales"],
    "occurred_at": dt(["2026-01-05", "2026-01-10", "2026-01-20", "2026-01-31", "2026-01-15",
                       "2026-01-16", "2026-01-25", "2026-02-05", "2026-01-06", "2026-02-01",
                       "2026-02-20", "2026-01-10", "2026-01-10"]),
})


def test_conversations_to_close(engine):
    opps, acts = tables(engine, opps=C_OPPS, acts=C_ACTS)
    # C1 (from qualified 01-10 to 01-31, both included): connected call 01-10, meeting 01-20,
    # video call 01-31 = 3 (call 01-05 before qualification, no_answer, email, customer
    # service meeting and call after close do not count).
    # C2 (no qualified_at: from creation 01-05): meeting 01-06, connected call 02-01 = 2.
    # C4: nothing logged = 0. C3 is lost. Mean 5/3, median 2.
    out = conversations_to_close(opps, acts)
    assert rec(out, ["value", "median", "n", "trend_slope"]) == [
        {"value": round(5 / 3, 6), "median": 2.0, "n": 3.0, "trend_slope": None}]
    # by rep: R1 C1 3, C4 0 -> 1.5; R2 C2 2
    assert rec(conversations_to_close(opps, acts, by="rep_id"), ["rep_id", "value", "n"]) == [
        {"rep_id": "R1", "value": 1.5, "n": 2.0}, {"rep_id": "R2", "value": 2.0, "n": 1.0}]
    # by close month: January C1 3; February C2 2, C4 0 -> 1
    assert rec(conversations_to_close(opps, acts, freq="M"), ["period", "value", "median"]) == [
        {"period": T("2026-01-01"), "value": 3.0, "median": 3.0},
        {"period": T("2026-02-01"), "value": 1.0, "median": 1.0}]


def test_conversations_to_close_trend(engine):
    # one won deal a month with 5, 3, then 2 meetings: OLS slope (2 - 5) / 2 = -1.5 per month
    opps = pd.DataFrame({"opportunity_id": ["D1", "D2", "D3"], "status": ["won"] * 3,
                         "created_at": dt(["2026-01-01", "2026-02-01", "2026-03-01"]),
                         "closed_at": dt(["2026-01-28", "2026-02-28", "2026-03-28"])})
    acts = pd.DataFrame({"opportunity_id": ["D1"] * 5 + ["D2"] * 3 + ["D3"] * 2,
                         "type": ["meeting"] * 10, "outcome": [None] * 10,
                         "occurred_at": dt(["2026-01-10"] * 5 + ["2026-02-10"] * 3
                                           + ["2026-03-10"] * 2)})
    o, a = tables(engine, opps=opps, acts=acts)
    out = conversations_to_close(o, a, freq="M")
    assert out["value"].tolist() == [5.0, 3.0, 2.0]
    ref = st.linregress([1, 2, 3], [5, 3, 2])
    assert out["trend_slope"].tolist() == pytest.approx([-1.5] * 3)
    assert out["trend_p_value"].tolist() == pytest.approx([ref.pvalue] * 3)


def test_conversations_to_close_uses_the_conversations_definition(engine):
    # the same definition as the `conversations` KPI: a call that set an appointment is a
    # conversation (someone answered), a meeting marked no_show or cancelled is not, and
    # outcomes compare without case. D1: appointment_set call, Connected call, meeting = 3
    # (the no_show and CANCELLED meetings do not count); D2: a cancelled video call = 0.
    opps = pd.DataFrame({"opportunity_id": ["D1", "D2"], "status": ["won", "won"],
                         "created_at": dt(["2026-01-01", "2026-01-01"]),
                         "closed_at": dt(["2026-01-31", "2026-01-31"])})
    acts = pd.DataFrame({"opportunity_id": ["D1"] * 5 + ["D2"],
                         "type": ["call", "call", "meeting", "meeting", "meeting", "video_call"],
                         "outcome": ["appointment_set", "Connected", None, "no_show", "CANCELLED",
                                     "cancelled"],
                         "occurred_at": dt(["2026-01-05", "2026-01-06", "2026-01-10", "2026-01-12",
                                            "2026-01-14", "2026-01-15"])})
    o, a = tables(engine, opps=opps, acts=acts)
    assert rec(conversations_to_close(o, a), ["value", "median", "n"]) == [
        {"value": 1.5, "median": 1.5, "n": 2.0}]
    from kit.kpis.activity import conversations
    assert conversations(a)["value"].tolist() == [3]


def test_conversations_to_close_empty_and_missing_column(engine):
    opps, acts = tables(engine, opps=C_OPPS.iloc[:0], acts=C_ACTS)
    assert rec(conversations_to_close(opps, acts), ["value", "median", "n"]) == [
        {"value": None, "median": None, "n": 0.0}]
    opps, acts = tables(engine, opps=C_OPPS, acts=C_ACTS.drop(columns="outcome"))
    with pytest.raises(ParameterError, match=r"'activities' lacks column\(s\) \['outcome'\]"):
        conversations_to_close(opps, acts)


# ---------------------------------------------------------------------------- velocity

VELO = pd.DataFrame({
    "opportunity_id": ["P1", "P2", "P3", "P4", "P5"],
    "status": ["won", "lost", "open", "open", "won"],
    "rep_id": ["R1", "R1", "R1", "R2", "R2"],
    "amount": [9000.0, 4000.0, 5000.0, 2000.0, 3000.0],
    "created_at": dt(["2026-01-01", "2026-01-01", "2026-02-01", "2026-02-01", "2026-02-01"]),
    "closed_at": dt(["2026-01-31", "2026-01-31", None, None, "2026-02-11"]),
})
VELO_COLS = ["value", "n_open", "win_rate", "average_won_deal", "sales_cycle_days"]


def test_pipeline_velocity(engine):
    f = one(engine, VELO)
    # 2 open x win rate 2/3 x average won deal (9000 + 3000) / 2 = 6000 / median cycle of
    # 30, 30, 10 days = 30 -> 266.67 per day
    assert rec(pipeline_velocity(f), VELO_COLS) == [
        {"value": round(2 * 2 / 3 * 6000 / 30, 6), "n_open": 2.0, "win_rate": round(2 / 3, 6),
         "average_won_deal": 6000.0, "sales_cycle_days": 30.0}]
    # R1: 1 x 1/2 x 9000 / 30 = 150; R2: 1 x 1 x 3000 / 10 = 300
    assert rec(pipeline_velocity(f, by="rep_id"), ["rep_id"] + VELO_COLS) == [
        {"rep_id": "R1", "value": 150.0, "n_open": 1.0, "win_rate": 0.5,
         "average_won_deal": 9000.0, "sales_cycle_days": 30.0},
        {"rep_id": "R2", "value": 300.0, "n_open": 1.0, "win_rate": 1.0,
         "average_won_deal": 3000.0, "sales_cycle_days": 10.0}]


def test_pipeline_velocity_only_open_opportunities(engine):
    out = pipeline_velocity(one(engine, VELO[VELO["status"] == "open"]))
    # no closed deal: win rate unknown, so velocity is missing (not 0, not inf)
    assert rec(out, VELO_COLS) == [{"value": None, "n_open": 2.0, "win_rate": None,
                                    "average_won_deal": None, "sales_cycle_days": None}]


def test_pipeline_velocity_zero_cycle_and_group_without_open(engine):
    same_day = VELO.assign(closed_at=VELO["created_at"].where(VELO["status"] != "open"))
    out = pipeline_velocity(one(engine, same_day))
    assert out["sales_cycle_days"].tolist() == [0.0] and np.isnan(out["value"][0])
    # R2 has no open deal: velocity 0; a rep with only closed deals still appears
    no_r2_open = VELO[VELO["opportunity_id"] != "P4"]
    out = pipeline_velocity(one(engine, no_r2_open), by="rep_id")
    assert rec(out, ["rep_id", "value", "n_open"]) == [
        {"rep_id": "R1", "value": 150.0, "n_open": 1.0}, {"rep_id": "R2", "value": 0.0, "n_open": 0.0}]
