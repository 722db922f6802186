"""Activity KPIs on hand-sized frames, on every engine.

Expected values are counted by hand from the literal frames; the comment next to
each assertion says how.
"""

from __future__ import annotations

import math

import narwhals as nw
import pandas as pd
import pytest

import kit
from kit.errors import ParameterError
from kit.kpis.activity import (
    activity_profile, conversations, email_call_balance, email_response_rate, prospect_calls,
    prospecting_emails, social_engagement_rate, with_purpose,
)
from tests.conftest import to_engine
from tests.kpis.helpers import convert, records

D = pd.Timestamp


def _acts(rows):
    cols = ["activity_id", "occurred_at", "rep_id", "team", "type", "purpose", "direction",
            "outcome", "replied"]
    df = pd.DataFrame(rows, columns=cols)
    df["occurred_at"] = pd.to_datetime(df["occurred_at"])
    df["replied"] = df["replied"].astype("boolean")
    return df


ACTS = _acts([
    # R1, team Nord
    ("A01", "2026-01-05", "R1", "Nord", "call", "sales", "outbound", "connected", None),
    ("A02", "2026-01-06", "R1", "Nord", "call", "prospecting", "outbound", "no_answer", None),
    ("A03", "2026-01-07", "R1", "Nord", "meeting", "prospecting", None, None, None),
    ("A04", "2026-01-08", "R1", "Nord", "video_call", "customer_service", None, None, None),
    ("A05", "2026-02-02", "R1", "Nord", "email", "prospecting", "outbound", None, True),
    ("A06", "2026-02-03", "R1", "Nord", "call", "prospecting", "outbound", "Connected", None),
    ("A07", "2026-02-04", "R1", "Nord", "voicemail", "prospecting", "outbound", None, None),
    ("A08", "2026-02-05", "R1", "Nord", "email", "prospecting", "outbound", None, False),
    ("A09", "2026-02-06", "R1", "Nord", "email", "prospecting", "inbound", None, True),
    ("A10", "2026-02-07", "R1", "Nord", "email", "sales", "outbound", None, True),
    # R2, team Nord: customer service only
    ("A11", "2026-01-12", "R2", "Nord", "call", "customer_service", "inbound", "connected", None),
    ("A12", "2026-02-12", "R2", "Nord", "meeting", "customer_service", None, None, None),
    # R3, no team
    ("A13", "2026-01-20", "R3", None, "video_call", "sales", None, None, None),
    ("A14", "2026-01-21", "R3", None, "email", "prospecting", None, None, None),
    ("A15", "2026-01-22", "R3", None, "call", "prospecting", "inbound", "connected", None),
    ("A16", "2026-01-23", "R3", None, "meeting", "sales", None, "no_show", None),
    ("A17", "2026-02-09", "R1", "Nord", "call", "prospecting", "outbound", "appointment_set", None),
])


# --------------------------------------------------------------------------- purpose

def test_with_purpose_derives_missing_purpose(engine):
    acts = pd.DataFrame({
        "activity_id": ["A1", "A2", "A3", "A4", "A5", "A6"],
        "occurred_at": pd.to_datetime(["2026-01-05", "2026-03-01", "2026-01-05", "2026-01-05",
                                       "2026-01-05", "2026-01-05"]),
        "purpose": [None, None, "customer_service", None, None, None],
        "lead_id": ["L1", "L1", "L1", None, "L9", "L9"],
        "customer_id": [None, None, None, "C1", None, "C2"],
    })
    leads = pd.DataFrame({"lead_id": ["L1", "L2"], "converted_at": pd.to_datetime(["2026-02-01", None])})
    t = convert(engine, activities=acts, leads=leads)
    got = with_purpose(t["activities"], t["leads"]).collect().to_pandas().sort_values("activity_id")
    # A1 lead open on 01-05 -> prospecting; A2 lead converted 02-01 < 03-01 -> sales;
    # A3 keeps its purpose; A4 no lead -> sales; A5/A6 lead unknown to leads: customer rule
    assert got["purpose"].tolist() == ["prospecting", "sales", "customer_service", "sales",
                                       "prospecting", "sales"]
    assert sorted(got.columns) == sorted(acts.columns)
    t = convert(engine, activities=acts.drop(columns="purpose"))
    got = with_purpose(t["activities"]).collect().to_pandas().sort_values("activity_id")
    # without leads: lead_id set and no customer_id -> prospecting
    assert got["purpose"].tolist() == ["prospecting", "prospecting", "prospecting", "sales",
                                       "prospecting", "sales"]


def test_with_purpose_on_arrow_text_as_loaded_matches_python_text():
    # the loader's pandas frames hold text in Arrow (kit.dtypes.TEXT): the same purposes,
    # with the kept ones untouched, as with Python strings
    from kit.dtypes import conform
    from kit.kpis._activity_rules import _purpose_pandas
    from kit.kpis._common import lazy

    acts = pd.DataFrame({"activity_id": ["A1", "A2", "A3", "A4", "A5"],
                         "occurred_at": pd.to_datetime(["2026-01-05", "2026-03-01", "2026-01-05",
                                                        "2026-01-05", "2026-01-05"]),
                         "purpose": [None, None, "customer_service", None, "sales"],
                         "lead_id": ["L1", "L1", "L1", None, "L9"],
                         "customer_id": [None, None, None, "C1", None]})
    leads = pd.DataFrame({"lead_id": ["L1"], "converted_at": pd.to_datetime(["2026-02-01"])})
    arrow_acts, arrow_leads = conform(acts, "activities"), conform(leads, "leads")
    assert str(arrow_acts["lead_id"].dtype) == "str" and str(arrow_acts["purpose"].dtype) == "category"
    f = lazy(arrow_acts, "activities")
    assert _purpose_pandas(f, arrow_leads, list(arrow_acts.columns)) is not None  # the fast path
    got = with_purpose(arrow_acts, arrow_leads).collect().to_pandas()["purpose"].tolist()
    want = with_purpose(acts, leads).collect().to_pandas()["purpose"].tolist()
    # A1 open lead -> prospecting; A2 converted before -> sales; A3, A5 kept; A4 no lead -> sales
    assert got == want == ["prospecting", "sales", "customer_service", "sales", "sales"]
    full = arrow_acts.assign(purpose="sales")  # nothing to derive: the frame itself
    assert nw.to_native(with_purpose(full, arrow_leads)) is full


def test_with_purpose_with_an_empty_leads_table_uses_the_customer_rule(engine):
    acts = pd.DataFrame({"activity_id": ["A1", "A2", "A3"],
                         "occurred_at": pd.to_datetime(["2026-01-05"] * 3),
                         "purpose": [None, None, "sales"], "lead_id": ["L1", "L2", "L1"],
                         "customer_id": [None, "C1", None]})
    leads = pd.DataFrame({"lead_id": pd.Series([None], dtype=object),
                          "converted_at": pd.to_datetime([None])})
    t = convert(engine, activities=acts, leads=leads)
    got = with_purpose(t["activities"], t["leads"]).collect().to_pandas().sort_values("activity_id")
    assert got["purpose"].tolist() == ["prospecting", "sales", "sales"]


def test_with_purpose_without_lead_column_is_sales(engine):
    acts = pd.DataFrame({"occurred_at": pd.to_datetime(["2026-01-05", "2026-01-06"]),
                         "purpose": ["prospecting", None]})
    got = with_purpose(to_engine(acts, engine)).collect().to_pandas()
    assert got["purpose"].tolist() == ["prospecting", "sales"]


# --------------------------------------------------------------------------- counts

def test_conversations_by_rep_includes_customer_service_only_rep(engine):
    out = conversations(to_engine(ACTS, engine), by="rep_id")
    # R1: A01 connected call, A03 meeting, A06 "Connected" call, A17 appointment set
    #     (A04 is customer service) = 4
    # R2: only customer service = 0; R3: A13 video call + A15 inbound connected call
    #     (A16 meeting was a no-show) = 2
    assert records(out, ["rep_id", "value"]) == [
        {"rep_id": "R1", "value": 4}, {"rep_id": "R2", "value": 0}, {"rep_id": "R3", "value": 2}]


def test_conversations_total_team_nulls_and_freq(engine):
    acts = to_engine(ACTS, engine)
    assert conversations(acts)["value"].tolist() == [6]
    out = conversations(acts, by="team", freq="M")
    # Nord Jan: A01, A03 = 2 (A11 is service); Nord Feb: A06, A17 = 2; null Jan: A13, A15 = 2
    got = out.assign(team=out["team"].fillna("<null>"))
    assert records(got, ["team", "period", "value"]) == [
        {"team": "Nord", "period": D("2026-01-01"), "value": 2},
        {"team": "Nord", "period": D("2026-02-01"), "value": 2},
        {"team": "<null>", "period": D("2026-01-01"), "value": 2},
    ]


def test_conversations_empty_and_window(engine):
    out = conversations(to_engine(ACTS.iloc[0:0], engine))
    assert out["value"].tolist() == [0]
    out = conversations(to_engine(ACTS.iloc[0:0], engine), by="rep_id", freq="M")
    assert len(out) == 0 and list(out.columns) == ["rep_id", "period", "value"]
    # February only: A06, A17
    assert conversations(to_engine(ACTS, engine), start="2026-02-01", end="2026-03-01")["value"].tolist() == [2]


def test_conversations_needs_outcome(engine):
    with pytest.raises(ParameterError, match=r"lacks column\(s\) \['outcome'\]"):
        conversations(to_engine(ACTS.drop(columns="outcome"), engine))


def test_prospect_calls(engine):
    out = prospect_calls(to_engine(ACTS, engine), by="rep_id")
    # R1: A02 call, A06 call, A07 voicemail, A17 call = 4; R2: 0; R3: A15 is inbound -> 0
    assert records(out, ["rep_id", "value"]) == [
        {"rep_id": "R1", "value": 4}, {"rep_id": "R2", "value": 0}, {"rep_id": "R3", "value": 0}]


def test_prospecting_emails(engine):
    out = prospecting_emails(to_engine(ACTS, engine), freq="M")
    # Jan: A14 (direction null counts as outbound) = 1; Feb: A05, A08 (A09 inbound, A10 sales) = 2
    assert records(out, ["period", "value"]) == [
        {"period": D("2026-01-01"), "value": 1}, {"period": D("2026-02-01"), "value": 2}]


def test_counts_derive_purpose_from_leads(engine):
    acts = pd.DataFrame({
        "activity_id": ["A1", "A2", "A3"], "rep_id": ["R1"] * 3, "type": ["call"] * 3,
        "occurred_at": pd.to_datetime(["2026-01-05", "2026-03-01", "2026-01-06"]),
        "lead_id": ["L1", "L1", None], "customer_id": [None, None, "C1"],
    })
    leads = pd.DataFrame({"lead_id": ["L1"], "converted_at": pd.to_datetime(["2026-02-01"])})
    t = convert(engine, activities=acts, leads=leads)
    # with leads: A1 only (A2 happens after the conversion); without: A1 and A2
    assert prospect_calls(t["activities"], leads=t["leads"])["value"].tolist() == [1]
    assert prospect_calls(t["activities"])["value"].tolist() == [2]


# --------------------------------------------------------------------------- email / call balance

def _weekly_acts():
    rows = []
    # R1 weekly prospecting emails (1, 3, 2, 0) and calls (1, 2, 3, 0); week 4 only a sales meeting
    weeks = ["2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"]
    for week, n_email, n_call in zip(weeks, (1, 3, 2, 0), (1, 2, 3, 0)):
        day = pd.Timestamp(week) + pd.Timedelta(days=2)
        rows += [("R1", day, "email", "prospecting")] * n_email
        rows += [("R1", day, "call", "prospecting")] * n_call
    rows.append(("R1", pd.Timestamp("2026-01-27"), "meeting", "sales"))
    # R2: two emails, no call in one week
    rows += [("R2", pd.Timestamp("2026-01-06"), "email", "prospecting")] * 2
    df = pd.DataFrame(rows, columns=["rep_id", "occurred_at", "type", "purpose"])
    df["activity_id"] = [f"A{i}" for i in range(len(df))]
    return df


def test_email_call_balance_hand_computed(engine):
    out = email_call_balance(to_engine(_weekly_acts(), engine))
    # R1: 6 emails / 6 calls = 1. Weekly (1,3,2,0) vs (1,2,3,0): means 1.5, deviations
    # (-.5, 1.5, .5, -1.5) and (-.5, .5, 1.5, -1.5): cov 4, variances 5 and 5 -> r = 0.8;
    # t = 0.8 sqrt(2 / 0.36) with 2 df: two-sided p = 1 - t / sqrt(2 + t^2) = 0.2
    r1 = out[out["rep_id"] == "R1"].iloc[0]
    assert (r1["value"], r1["numerator"], r1["denominator"], r1["n_weeks"]) == (1.0, 6.0, 6.0, 4)
    assert r1["r"] == pytest.approx(0.8) and r1["p_value"] == pytest.approx(0.2)
    # R2: 2 emails, 0 calls -> missing value; one week -> no correlation
    r2 = out[out["rep_id"] == "R2"].iloc[0]
    assert r2["numerator"] == 2 and r2["denominator"] == 0 and math.isnan(r2["value"])
    assert math.isnan(r2["r"]) and r2["n_weeks"] == 1
    assert list(out.columns) == ["rep_id", "value", "numerator", "denominator", "r", "p_value", "n_weeks"]


def test_email_call_balance_overall_and_empty(engine):
    acts = _weekly_acts()
    out = email_call_balance(to_engine(acts[acts["rep_id"] == "R1"], engine), by=None)
    assert records(out, ["value", "n_weeks"]) == [{"value": 1.0, "n_weeks": 4}]
    assert out["r"][0] == pytest.approx(0.8)
    out = email_call_balance(to_engine(acts.iloc[0:0], engine))
    assert len(out) == 0 and "r" in out.columns and "rep_id" in out.columns


# --------------------------------------------------------------------------- email response

def test_email_response_rate(engine):
    out = email_response_rate(to_engine(ACTS, engine), by="rep_id")
    # R1 sent prospecting emails A05 (replied), A08 (not): 1/2 (A09 inbound, A10 sales excluded)
    # R2 sent none: 0/0 -> missing; R3: A14 (replied null = no): 0/1
    assert out["rep_id"].tolist() == ["R1", "R2", "R3"]
    assert out["numerator"].tolist() == [1.0, 0.0, 0.0] and out["denominator"].tolist() == [2.0, 0.0, 1.0]
    assert out["value"][0] == 0.5 and math.isnan(out["value"][1]) and out["value"][2] == 0.0
    assert math.isnan(out["ci_low"][1]) and bool(out["low_sample"][0])


def test_email_response_rate_team_freq_and_empty(engine):
    out = email_response_rate(to_engine(ACTS, engine), by="team", freq="M")
    got = out.assign(team=out["team"].fillna("<null>"))
    # Nord Jan: no prospecting email sent (0/0); Nord Feb 1/2; null Jan 0/1
    assert records(got, ["team", "period", "numerator", "denominator"]) == [
        {"team": "Nord", "period": D("2026-01-01"), "numerator": 0.0, "denominator": 0.0},
        {"team": "Nord", "period": D("2026-02-01"), "numerator": 1.0, "denominator": 2.0},
        {"team": "<null>", "period": D("2026-01-01"), "numerator": 0.0, "denominator": 1.0},
    ]
    out = email_response_rate(to_engine(ACTS.iloc[0:0], engine))
    assert records(out, ["numerator", "denominator"]) == [{"numerator": 0.0, "denominator": 0.0}]
    assert math.isnan(out["value"][0])


# --------------------------------------------------------------------------- social

SOCIAL = pd.DataFrame({
    "post_id": ["P1", "P2", "P3", "P4"],
    "published_at": pd.to_datetime(["2026-01-05", "2026-02-10", "2026-01-07", "2026-01-08"]),
    "impressions": [1000.0, 500.0, 0.0, None],
    "network": ["linkedin", "linkedin", None, "x"],
    "reactions": [10.0, None, 0.0, 5.0],
    "comments": [5.0, 5.0, 0.0, 1.0],
    "shares": [2.0, 0.0, 0.0, 1.0],
    "clicks": [3.0, 10.0, 0.0, 1.0],
})


def test_social_engagement_rate(engine):
    out = social_engagement_rate(to_engine(SOCIAL, engine), by="network")
    # linkedin: (10+5+2+3) + (0+5+0+10) = 35 over 1500; null network: 0 over 0 impressions -> NaN;
    # P4 has no impressions and is left out (so "x" has no row)
    got = out.assign(network=out["network"].fillna("<null>"))
    assert got["network"].tolist() == ["linkedin", "<null>"]
    assert got["numerator"].tolist() == [35.0, 0.0] and got["denominator"].tolist() == [1500.0, 0.0]
    assert got["value"][0] == pytest.approx(35 / 1500) and math.isnan(got["value"][1])
    assert got["posts"].tolist() == [2, 1]


def test_social_engagement_rate_freq_total_and_empty(engine):
    out = social_engagement_rate(to_engine(SOCIAL, engine), freq="M")
    # Jan: P1 20 / 1000 and P3 0 / 0 -> 20/1000; Feb: P2 15 / 500
    assert records(out, ["period", "numerator", "denominator"]) == [
        {"period": D("2026-01-01"), "numerator": 20.0, "denominator": 1000.0},
        {"period": D("2026-02-01"), "numerator": 15.0, "denominator": 500.0},
    ]
    out = social_engagement_rate(to_engine(SOCIAL.drop(columns=["comments", "shares"]), engine))
    # reactions + clicks only: 13 + 10 = 23 over 1500
    assert out["numerator"].tolist() == [23.0]
    out = social_engagement_rate(to_engine(SOCIAL.iloc[0:0], engine))
    assert records(out, ["numerator", "denominator", "posts"]) == [
        {"numerator": 0.0, "denominator": 0.0, "posts": 0}]
    assert math.isnan(out["value"][0])


def test_social_engagement_rate_needs_an_interaction_column(engine):
    bare = SOCIAL[["post_id", "published_at", "impressions", "network"]]
    with pytest.raises(ParameterError, match=r"none of the interaction columns.*Map at least one"):
        social_engagement_rate(to_engine(bare, engine))


# --------------------------------------------------------------------------- profile

def _profile_acts(step=1):
    rows = ([("R1", "prospecting")] * 3 + [("R1", "sales")]            # 3/4 = 0.75 hunter
            + [("R2", "prospecting")] + [("R2", "sales")] * 3          # 1/4 farmer
            + [("R3", "prospecting"), ("R3", "sales")]                 # 1/2 mixed
            + [("R4", "customer_service")] * 2                         # no commercial activity
            + [("R5", "prospecting")] * 3 + [("R5", "sales")] * 2      # 0.6 exactly: hunter
            + [("R6", "prospecting")] * 2 + [("R6", "sales")] * 3      # 0.4 exactly: farmer
            + [("R1", "customer_service")])
    df = pd.DataFrame(rows, columns=["rep_id", "purpose"])
    df["occurred_at"] = pd.Timestamp("2026-01-05") + pd.to_timedelta([step * i for i in range(len(df))], unit="D")
    df["type"] = "call"
    return df


def test_activity_profile(engine):
    out = activity_profile(to_engine(_profile_acts(), engine))
    assert out["rep_id"].tolist() == ["R1", "R2", "R3", "R4", "R5", "R6"]
    assert out["profile"].tolist() == ["hunter", "farmer", "mixed", None, "hunter", "farmer"]
    assert out["numerator"].tolist() == [3.0, 1.0, 1.0, 0.0, 3.0, 2.0]
    assert out["denominator"].tolist() == [4.0, 4.0, 2.0, 0.0, 5.0, 5.0]
    assert out["n_customer_service"].tolist() == [1, 0, 0, 2, 0, 0]
    # R4 only did customer service: no share, no profile, no interval
    assert math.isnan(out["value"][3]) and math.isnan(out["ci_low"][3])
    assert list(out.columns) == ["rep_id", "value", "numerator", "denominator", "ci_low", "ci_high",
                                 "low_sample", "profile", "n_customer_service"]


def test_activity_profile_thresholds_freq_and_errors(engine):
    acts = to_engine(_profile_acts(), engine)
    out = activity_profile(acts, hunter=0.8, farmer=0.3)
    assert out["profile"].tolist() == ["mixed", "farmer", "mixed", None, "mixed", "mixed"]
    out = activity_profile(to_engine(_profile_acts(step=2), engine), by=None, freq="M")
    # one activity every 2 days from 5 January: rows 0-13 in January, 14-22 in February.
    # January: prospecting rows 0,1,2,4,8,12,13 = 7, sales rows 3,5,6,7,9 = 5, service 10,11
    # February: prospecting 14,17,18 = 3, sales 15,16,19,20,21 = 5, service 22
    assert records(out, ["period", "numerator", "denominator", "profile", "n_customer_service"]) == [
        {"period": D("2026-01-01"), "numerator": 7.0, "denominator": 12.0, "profile": "mixed",
         "n_customer_service": 2},
        {"period": D("2026-02-01"), "numerator": 3.0, "denominator": 8.0, "profile": "farmer",
         "n_customer_service": 1},
    ]
    with pytest.raises(ParameterError, match=r"hunter=0.4, farmer=0.6 are not allowed.*0 <= farmer < hunter <= 1"):
        activity_profile(acts, hunter=0.4, farmer=0.6)
    with pytest.raises(ParameterError, match=r"by='rep'.*did you mean 'rep_id'"):
        activity_profile(acts, by="rep")


def test_activity_profile_empty(engine):
    out = activity_profile(to_engine(_profile_acts().iloc[0:0], engine))
    assert len(out) == 0 and "profile" in out.columns


# --------------------------------------------------------------------------- registry

@pytest.mark.parametrize("name", ["conversations", "prospect_calls", "prospecting_emails",
                                  "email_call_balance", "email_response_rate",
                                  "social_engagement_rate", "activity_profile"])
def test_registered(name):
    spec = kit.registry.get(name)
    assert spec.family == "activity" and spec.func.__name__ == name
    assert spec.definition["fr"].endswith(".") and spec.label["fr"]
    if spec.tables == ("activities",):
        assert spec.optional_tables == ("leads",)


def test_compute_passes_leads_from_the_dataset():
    acts = pd.DataFrame({
        "activity_id": ["A1", "A2"], "rep_id": ["R1", "R1"], "type": ["call", "call"],
        "occurred_at": pd.to_datetime(["2026-01-05", "2026-03-01"]), "lead_id": ["L1", "L1"],
    })
    leads = pd.DataFrame({"lead_id": ["L1"], "created_at": pd.to_datetime(["2026-01-01"]),
                          "converted_at": pd.to_datetime(["2026-02-01"])})
    ds = kit.Dataset({"activities": acts, "leads": leads})
    assert kit.compute(ds, "prospect_calls")["value"].tolist() == [1]
