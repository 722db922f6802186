"""Funnel KPIs on hand-sized frames, on pandas, polars and DuckDB inputs.

The KPIs of :mod:`kit.kpis.funnel` and the family's registration; the durations
(:mod:`kit.kpis.funnel_time`) are in ``test_funnel_time.py``. Every expected value is
computed by hand in the comment next to it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

import kit
from kit.errors import ParameterError
from kit.kpis.funnel import (call_to_meeting_rate, funnel, lead_conversion_rate, leads_generated,
                             offer_loss_rate)
from kit.kpis.funnel_time import pipeline_velocity
from tests.kpis.helpers import dt, one, rec, tables, wilson

T = pd.Timestamp
NAN = float("nan")


# ---------------------------------------------------------------------------- leads

LEADS = pd.DataFrame({
    "lead_id": ["L1", "L2", "L3", "L4", "L5", "L6"],
    "created_at": dt(["2026-01-05", "2026-01-10", "2026-01-20", "2026-02-03", "2026-02-10",
                      "2026-02-15"]),
    "source": ["web", "web", "salon", None, "web", "salon"],
    "engaged_at": dt(["2026-01-06", "2026-01-12", None, "2026-02-04", None, "2026-03-30"]),
    "qualified_at": dt(["2026-01-10", None, None, "2026-02-05", None, None]),
    # L5 converted "before" it was created: still converted, flagged, out of durations
    "converted_at": dt(["2026-01-25", None, None, "2026-03-05", "2026-02-01", None]),
})


def test_leads_generated_total_month_and_source(engine):
    f = one(engine, LEADS)
    assert rec(leads_generated(f), ["value"]) == [{"value": 6.0}]
    # January: L1 L2 L3; February: L4 L5 L6
    assert rec(leads_generated(f, freq="M"), ["period", "value"]) == [
        {"period": T("2026-01-01"), "value": 3.0}, {"period": T("2026-02-01"), "value": 3.0}]
    # salon: L3 L6; web: L1 L2 L5; no source: L4 (own group, last)
    assert rec(leads_generated(f, by="source"), ["source", "value"]) == [
        {"source": "salon", "value": 2.0}, {"source": "web", "value": 3.0},
        {"source": None, "value": 1.0}]
    # window [2026-01-10, 2026-02-10): L2 L3 L4
    assert rec(leads_generated(f, start="2026-01-10", end="2026-02-10"), ["value"]) == [
        {"value": 3.0}]


def test_leads_generated_empty(engine):
    f = one(engine, LEADS.iloc[:0])
    assert rec(leads_generated(f), ["value"]) == [{"value": 0.0}]
    out = leads_generated(f, by="source", freq="M")
    assert out.empty and list(out.columns) == ["source", "period", "value"]


def test_leads_generated_bad_freq_and_by(engine):
    f = one(engine, LEADS)
    with pytest.raises(ParameterError, match=r"freq='month' is not allowed.*'M'"):
        leads_generated(f, freq="month")
    with pytest.raises(ParameterError, match=r"column\(s\) \['sourc'\] not found.*did you mean 'source'"):
        leads_generated(f, by="sourc")


def test_lead_conversion_rate_counts_a_conversion_before_creation_and_flags_it(engine):
    out = lead_conversion_rate(one(engine, LEADS))
    # converted: L1, L4 and L5 (converted "before" its creation: it still converted, and is
    # flagged in n_inconsistent); 3 / 6
    assert rec(out, ["value", "numerator", "denominator", "n_inconsistent"]) == [
        {"value": 0.5, "numerator": 3.0, "denominator": 6.0, "n_inconsistent": 1.0}]
    # within=30: L5's conversion (9 days before creation) is within any horizon
    out30 = lead_conversion_rate(one(engine, LEADS), within=30, as_of="2026-12-31")
    assert rec(out30, ["numerator", "denominator", "n_inconsistent"]) == [
        {"numerator": 3.0, "denominator": 6.0, "n_inconsistent": 1.0}]  # L4: 30 days
    lo, hi = wilson(3, 6)
    assert out["ci_low"][0] == pytest.approx(lo) and out["ci_high"][0] == pytest.approx(hi)
    assert bool(out["low_sample"][0]) is True  # 6 < 30
    assert list(out.columns) == ["value", "numerator", "denominator", "ci_low", "ci_high",
                                 "low_sample", "n_inconsistent", "n_censored"]


def test_lead_conversion_rate_by_cohort_month_and_source(engine):
    f = one(engine, LEADS)
    # January cohort: L1 converted of L1 L2 L3; February: L4 and L5 of L4 L5 L6, L5 flagged
    assert rec(lead_conversion_rate(f, freq="M"), ["period", "numerator", "denominator",
                                                    "n_inconsistent"]) == [
        {"period": T("2026-01-01"), "numerator": 1.0, "denominator": 3.0, "n_inconsistent": 0.0},
        {"period": T("2026-02-01"), "numerator": 2.0, "denominator": 3.0, "n_inconsistent": 1.0}]
    # salon 0/2; web L1 and L5 of L1 L2 L5 = 2/3; null source L4 = 1/1
    assert rec(lead_conversion_rate(f, by="source"), ["source", "value", "numerator",
                                                       "denominator"]) == [
        {"source": "salon", "value": 0.0, "numerator": 0.0, "denominator": 2.0},
        {"source": "web", "value": round(2 / 3, 6), "numerator": 2.0, "denominator": 3.0},
        {"source": None, "value": 1.0, "numerator": 1.0, "denominator": 1.0}]


def test_lead_conversion_rate_empty_and_zero_denominator(engine):
    out = lead_conversion_rate(one(engine, LEADS.iloc[:0]))
    assert rec(out, ["value", "numerator", "denominator", "ci_low"]) == [
        {"value": None, "numerator": 0.0, "denominator": 0.0, "ci_low": None}]
    # a window with no lead: zero denominator, missing value, never inf
    out = lead_conversion_rate(one(engine, LEADS), start="2027-01-01")
    assert out["denominator"].tolist() == [0.0] and np.isnan(out["value"][0])
    out = lead_conversion_rate(one(engine, LEADS.iloc[:0]), by="source")
    assert out.empty and "value" in out.columns and "n_inconsistent" in out.columns


def test_lead_conversion_rate_needs_converted_at(engine):
    with pytest.raises(ParameterError, match=r"lacks column\(s\) \['converted_at'\].*mapping"):
        lead_conversion_rate(one(engine, LEADS.drop(columns="converted_at")))


# ---------------------------------------------------------------------------- funnel

OPPS_FUNNEL = pd.DataFrame({
    "opportunity_id": ["O1", "O2", "O3", "O4", "O5"],
    "lead_id": ["L1", "L2", "L4", None, "L1"],  # L1 has two opportunities; O4 no lead
    "status": ["won", "lost", "open", "won", "lost"],
    "proposal_at": dt(["2026-01-20", None, "2026-02-20", "2026-01-01", None]),
})
STAGE_COLS = ["stage", "value", "step_rate", "numerator", "denominator", "rate_from_created"]


def test_funnel_counts_and_step_rates(engine):
    leads, opps = tables(engine, leads=LEADS, opps=OPPS_FUNNEL)
    out = funnel(leads, opps)
    # deepest stage per lead: L1 won (O1), L2 opportunity (counts as engaged and qualified
    # too), L3 created, L4 proposal (O3), L5 created, L6 engaged.
    # created 6; engaged L1 L2 L4 L6 = 4; qualified L1 L2 L4 = 3; opportunity 3;
    # proposal L1 L4 = 2; won L1 = 1. Step rates: -, 4/6, 3/4, 3/3, 2/3, 1/2.
    assert rec(out, STAGE_COLS) == [
        {"stage": "created", "value": 6.0, "step_rate": None, "numerator": 6.0,
         "denominator": None, "rate_from_created": 1.0},
        {"stage": "engaged", "value": 4.0, "step_rate": round(4 / 6, 6), "numerator": 4.0,
         "denominator": 6.0, "rate_from_created": round(4 / 6, 6)},
        {"stage": "qualified", "value": 3.0, "step_rate": 0.75, "numerator": 3.0,
         "denominator": 4.0, "rate_from_created": 0.5},
        {"stage": "opportunity", "value": 3.0, "step_rate": 1.0, "numerator": 3.0,
         "denominator": 3.0, "rate_from_created": 0.5},
        {"stage": "proposal", "value": 2.0, "step_rate": round(2 / 3, 6), "numerator": 2.0,
         "denominator": 3.0, "rate_from_created": round(2 / 6, 6)},
        {"stage": "won", "value": 1.0, "step_rate": 0.5, "numerator": 1.0, "denominator": 2.0,
         "rate_from_created": round(1 / 6, 6)},
    ]
    lo, hi = wilson(3, 4)
    assert out["ci_low"][2] == pytest.approx(lo) and out["ci_high"][2] == pytest.approx(hi)
    assert np.isnan(out["ci_low"][0])
    assert out["stage"].cat.ordered and list(out["stage"].cat.categories) == list(kit.kpis.funnel.STAGES)


def test_funnel_by_source_with_null_group_and_zero_step(engine):
    leads, opps = tables(engine, leads=LEADS, opps=OPPS_FUNNEL)
    out = funnel(leads, opps, by="source")
    assert len(out) == 18 and out["source"].iloc[:6].tolist() == ["salon"] * 6
    # salon: L3 (created), L6 (engaged): 2, 1, 0, 0, 0, 0; step 1/2, 0/1, then 0/0 missing
    assert rec(out.iloc[:6], ["value", "step_rate"]) == [
        {"value": 2.0, "step_rate": None}, {"value": 1.0, "step_rate": 0.5},
        {"value": 0.0, "step_rate": 0.0}, {"value": 0.0, "step_rate": None},
        {"value": 0.0, "step_rate": None}, {"value": 0.0, "step_rate": None}]
    # web: L1 won, L2 opportunity, L5 created: 3, 2, 2, 2, 1, 1
    assert out["value"].iloc[6:12].tolist() == [3.0, 2.0, 2.0, 2.0, 1.0, 1.0]
    # null source: L4 proposal: 1, 1, 1, 1, 1, 0
    assert out["source"].iloc[12:].isna().all()
    assert out["value"].iloc[12:].tolist() == [1.0, 1.0, 1.0, 1.0, 1.0, 0.0]


def test_funnel_by_month_and_empty(engine):
    leads, opps = tables(engine, leads=LEADS, opps=OPPS_FUNNEL)
    out = funnel(leads, opps, freq="M")
    # January: L1 won, L2 opportunity, L3 created: 3, 2, 2, 2, 1, 1
    jan = out[out["period"] == T("2026-01-01")]
    assert jan["value"].tolist() == [3.0, 2.0, 2.0, 2.0, 1.0, 1.0]
    # February: L4 proposal, L5 created, L6 engaged: 3, 2, 1, 1, 1, 0
    assert out[out["period"] == T("2026-02-01")]["value"].tolist() == [3.0, 2.0, 1.0, 1.0, 1.0, 0.0]
    leads, opps = tables(engine, leads=LEADS.iloc[:0], opps=OPPS_FUNNEL.iloc[:0])
    empty = funnel(leads, opps)
    assert empty["value"].tolist() == [0.0] * 6 and empty["step_rate"].isna().all()
    leads, opps = tables(engine, leads=LEADS.iloc[:0], opps=OPPS_FUNNEL)
    grouped = funnel(leads, opps, by="source")
    assert grouped.empty and list(grouped.columns)[:3] == ["source", "stage", "value"]


def test_funnel_without_optional_stage_columns(engine):
    leads, opps = tables(engine, leads=LEADS[["lead_id", "created_at"]],
                         opps=OPPS_FUNNEL.drop(columns="proposal_at"))
    # no engaged_at/qualified_at/proposal_at: only the opportunity and won stages are known;
    # L1 won, L2 and L4 opportunity: 6, 3, 3, 3, 1, 1
    assert funnel(leads, opps)["value"].tolist() == [6.0, 3.0, 3.0, 3.0, 1.0, 1.0]


def test_funnel_needs_lead_id_on_opportunities(engine):
    leads, opps = tables(engine, leads=LEADS, opps=OPPS_FUNNEL.drop(columns="lead_id"))
    with pytest.raises(ParameterError, match=r"'opportunities' lacks column\(s\) \['lead_id'\]"):
        funnel(leads, opps)


# ---------------------------------------------------------------------------- calls

def test_call_to_meeting_rate_seed_000(engine):
    # seed 000: 50 prospects phoned, 15 appointments: 30 %
    acts = pd.DataFrame({"type": ["call"] * 50, "purpose": ["prospecting"] * 50,
                         "outcome": ["appointment_set"] * 15 + ["no_answer"] * 35,
                         "occurred_at": pd.date_range("2026-03-02", periods=50, freq="h")})
    out = call_to_meeting_rate(one(engine, acts))
    assert rec(out, ["value", "numerator", "denominator", "low_sample"]) == [
        {"value": 0.3, "numerator": 15.0, "denominator": 50.0, "low_sample": False}]
    lo, hi = wilson(15, 50)
    assert out["ci_low"][0] == pytest.approx(lo) and out["ci_high"][0] == pytest.approx(hi)


ACTS = pd.DataFrame({
    "activity_id": ["A1", "A2", "A3", "A4", "A5", "A6"],
    "occurred_at": dt(["2026-01-15", "2026-01-20", "2026-02-01", "2026-02-02", "2026-02-03",
                       "2026-02-04"]),
    "rep_id": ["R1", "R1", "R2", "R2", None, "R1"],
    "type": ["call", "call", "call", "voicemail", "meeting", "call"],
    "lead_id": ["L2", "L1", "L1", "L3", "L2", None],
    "customer_id": [None, None, None, None, None, "C1"],
    "outcome": ["appointment_set", "no_answer", "appointment_set", None, "appointment_set",
                "appointment_set"],
})


def test_call_to_meeting_rate_derives_purpose_from_leads(engine):
    acts, leads = tables(engine, acts=ACTS, leads=LEADS)
    # L1 converted 2026-01-25: A2 (01-20) is prospecting, A3 (02-01) is sales; A1 and A4 are
    # on unconverted leads; A5 is a meeting, A6 a customer call. Calls: A1 A2 A4; set: A1.
    out = call_to_meeting_rate(acts, leads=leads)
    assert rec(out, ["value", "numerator", "denominator"]) == [
        {"value": round(1 / 3, 6), "numerator": 1.0, "denominator": 3.0}]
    # voicemails excluded: A1 A2, set A1
    assert rec(call_to_meeting_rate(acts, leads=leads, types=("call",)), ["value"]) == [
        {"value": 0.5}]
    # by rep: R1 has A1 A2 (1/2); R2 has A4 (0/1)
    assert rec(call_to_meeting_rate(acts, leads=leads, by="rep_id"),
               ["rep_id", "numerator", "denominator"]) == [
        {"rep_id": "R1", "numerator": 1.0, "denominator": 2.0},
        {"rep_id": "R2", "numerator": 0.0, "denominator": 1.0}]
    # by month: January A1 A2 (1/2); February A4 (0/1)
    assert rec(call_to_meeting_rate(acts, leads=leads, freq="M"),
               ["period", "numerator", "denominator"]) == [
        {"period": T("2026-01-01"), "numerator": 1.0, "denominator": 2.0},
        {"period": T("2026-02-01"), "numerator": 0.0, "denominator": 1.0}]


def test_call_to_meeting_rate_without_leads_uses_customer_id(engine):
    # without leads, A3 (lead, no customer) is prospecting too: A1 A2 A3 A4, set A1 A3 = 2/4
    out = call_to_meeting_rate(one(engine, ACTS))
    assert rec(out, ["value", "numerator", "denominator"]) == [
        {"value": 0.5, "numerator": 2.0, "denominator": 4.0}]


def test_call_to_meeting_rate_purpose_column_wins_and_fills(engine):
    acts = ACTS.assign(purpose=[None, "sales", None, None, None, "prospecting"])
    acts, leads = tables(engine, acts=acts, leads=LEADS)
    # A2 given sales; A6 given prospecting (set); A1 A4 derived prospecting, A3 derived sales
    # calls: A1 A4 A6; set: A1 A6 = 2/3
    out = call_to_meeting_rate(acts, leads=leads)
    assert rec(out, ["numerator", "denominator"]) == [{"numerator": 2.0, "denominator": 3.0}]


def test_call_to_meeting_rate_empty_and_errors(engine):
    out = call_to_meeting_rate(one(engine, ACTS.iloc[:0]))
    assert rec(out, ["value", "numerator", "denominator"]) == [
        {"value": None, "numerator": 0.0, "denominator": 0.0}]
    with pytest.raises(ParameterError, match=r"neither 'purpose' nor 'lead_id'.*Add a 'purpose'"):
        call_to_meeting_rate(one(engine, ACTS.drop(columns=["lead_id"])))


# ---------------------------------------------------------------------------- offers

def _offers():
    # January 1 lost of 4, February 2 of 4, March 4 of 4 (all with a proposal);
    # plus a lost deal without proposal and an open one, which never count
    rows = []
    for month, lost in (("2026-01", 1), ("2026-02", 2), ("2026-03", 4)):
        for i in range(4):
            rows.append({"status": "lost" if i < lost else "won", "team": "A" if i % 2 else "B",
                         "proposal_at": T(f"{month}-02"), "closed_at": T(f"{month}-1{i}")})
    rows.append({"status": "lost", "team": "A", "proposal_at": pd.NaT, "closed_at": T("2026-01-20")})
    rows.append({"status": "open", "team": "A", "proposal_at": T("2026-01-02"), "closed_at": pd.NaT})
    return pd.DataFrame(rows)


def test_offer_loss_rate_level_and_monthly_trend(engine):
    f = one(engine, _offers())
    # 7 lost of 12 closed with a proposal
    out = offer_loss_rate(f)
    assert rec(out, ["value", "numerator", "denominator", "trend_slope"]) == [
        {"value": round(7 / 12, 6), "numerator": 7.0, "denominator": 12.0, "trend_slope": None}]
    out = offer_loss_rate(f, freq="M")
    assert out["value"].tolist() == [0.25, 0.5, 1.0]
    # equal weights (4 each): ordinary least squares, slope (1 - 0.25) / 2 = 0.375 per month;
    # compared with scipy's linregress
    ref = st.linregress([1, 2, 3], [0.25, 0.5, 1.0])
    assert out["trend_slope"].tolist() == pytest.approx([0.375] * 3)
    assert out["trend_p_value"].tolist() == pytest.approx([ref.pvalue] * 3)


def test_offer_loss_rate_trend_per_group(engine):
    out = offer_loss_rate(one(engine, _offers()), by="team", freq="M")
    # team A holds rows i = 1, 3; team B i = 0, 2 of each month.
    # A: Jan 0/2, Feb 1/2 (i=1 lost), Mar 2/2 -> slope 0.5; B: Jan 1/2, Feb 1/2, Mar 2/2
    a, b = out[out["team"] == "A"], out[out["team"] == "B"]
    assert a["value"].tolist() == [0.0, 0.5, 1.0] and b["value"].tolist() == [0.5, 0.5, 1.0]
    assert a["trend_slope"].tolist() == pytest.approx([0.5] * 3)
    assert b["trend_slope"].tolist() == pytest.approx([0.25] * 3)
    assert b["trend_p_value"].iloc[0] == pytest.approx(st.linregress([1, 2, 3], [.5, .5, 1]).pvalue)


def test_offer_loss_rate_empty_and_short_trend(engine):
    out = offer_loss_rate(one(engine, _offers().iloc[:0]), freq="M")
    assert out.empty and {"trend_slope", "trend_p_value", "ci_low"} <= set(out.columns)
    # two months only: no trend
    out = offer_loss_rate(one(engine, _offers()), freq="M", end="2026-03-01")
    assert out["trend_slope"].isna().all() and len(out) == 2


# ---------------------------------------------------------------------------- registry

FUNNEL_KPIS = ["leads_generated", "lead_conversion_rate", "funnel", "call_to_meeting_rate",
               "win_rate", "offer_loss_rate", "never_engaged_rate", "time_to_convert",
               "sales_cycle", "conversations_to_close", "pipeline_velocity"]


def test_funnel_family_is_registered_with_french_metadata():
    cat = kit.catalog("fr").set_index("name")
    assert set(FUNNEL_KPIS) <= set(cat.index)
    assert (cat.loc[FUNNEL_KPIS, "family"] == "funnel").all()
    assert cat.loc["never_engaged_rate", "label"] == "Taux de leads jamais engagés"
    assert "création" in cat.loc["lead_conversion_rate", "definition"]
    spec = kit.registry.get("call_to_meeting_rate")
    assert spec.optional_tables == ("leads",) and spec.seeds == ("000",)


def test_compute_passes_optional_leads_table():
    ds = kit.Dataset({"activities": ACTS, "leads": LEADS})
    # with leads from the dataset, A3 is a sales call: 1/3 as in the direct call
    assert kit.compute(ds, "call_to_meeting_rate")["denominator"].tolist() == [3.0]


def test_compute_errors_point_to_the_module_of_the_kpi():
    # the family funnel spans kit.kpis.funnel and kit.kpis.funnel_time: the help the
    # message points to is where the function is
    ds = kit.Dataset({"leads": LEADS})
    with pytest.raises(kit.ParameterError, match=r"See help\(kit\.kpis\.funnel_time\.time_to_convert\)"):
        kit.compute(ds, "time_to_convert", nope=1)
    from kit.kpis import funnel_time

    assert funnel_time.pipeline_velocity is pipeline_velocity
    assert funnel_time.time_to_convert.kpi.family == "funnel"


# -- lead_conversion_rate with a conversion window ------------------------------------

def test_lead_conversion_rate_within_censors_recent_leads(native):
    # as_of 2026-04-30. within=90 -> cutoff 2026-01-30: L4 (created 02-15) is censored.
    # L1 converted after 10 days (counts), L2 after 100 days (outside the window),
    # L3 never: numerator 1, denominator 3, n_censored 1.
    leads = pd.DataFrame({
        "lead_id": ["L1", "L2", "L3", "L4"],
        "created_at": pd.to_datetime(["2026-01-01", "2026-01-05", "2026-01-30", "2026-02-15"]),
        "converted_at": pd.to_datetime(["2026-01-11", "2026-04-15", None, "2026-02-20"]),
    })
    from kit.kpis.funnel import lead_conversion_rate

    out = lead_conversion_rate(native(leads), within=90, as_of="2026-04-30")
    row = out.iloc[0]
    assert (row["numerator"], row["denominator"], row["n_censored"]) == (1, 3, 1)
    # without a window: every conversion up to as_of counts (L1, L2, L4) over 4 leads
    plain = lead_conversion_rate(native(leads), as_of="2026-04-30").iloc[0]
    assert (plain["numerator"], plain["denominator"], plain["n_censored"]) == (3, 4, 0)
    # a report as of 2026-03-01 does not see L2's April conversion
    past = lead_conversion_rate(native(leads), as_of="2026-03-01").iloc[0]
    assert past["numerator"] == 2


def test_lead_conversion_rate_within_must_be_days():
    from kit.kpis.funnel import lead_conversion_rate

    leads = pd.DataFrame({"created_at": pd.to_datetime(["2026-01-01"]), "converted_at": pd.NaT})
    with pytest.raises(kit.ParameterError, match=r"within='90' is not allowed; pass a whole number of days"):
        lead_conversion_rate(leads, within="90")
