"""The funnel of opportunity stages (kit.kpis.stages) on hand-sized frames, on pandas,
polars and DuckDB inputs. Every expected value is computed by hand next to it."""

from __future__ import annotations

import pandas as pd
import pytest

import kit
from kit.errors import ParameterError
from kit.kpis.stages import stage_funnel
from kit.stats import wilson_interval
from tests.kpis.helpers import assert_rows, convert

T = pd.Timestamp
NAN = float("nan")

# O1 won (new -> qualified -> proposal -> Closed Won); O2 lost at qualified (new ->
# qualified -> Closed Lost); O3 open in proposal, skipped qualified; O4 open in new;
# O5 lost straight from new; O6 won with no history at all (won counts everywhere)
OPPS = pd.DataFrame({
    "opportunity_id": ["O1", "O2", "O3", "O4", "O5", "O6"],
    "created_at": pd.to_datetime(["2026-01-05", "2026-01-10", "2026-01-20", "2026-02-03",
                                  "2026-02-05", "2026-02-10"]),
    "status": ["won", "lost", "open", "open", "lost", "won"],
    "team": ["Nord", "Nord", "Sud", "Sud", "Nord", None],
    "stage": ["Closed Won", "Closed Lost", "proposal", "new", "Closed Lost", "Closed Won"],
    "closed_at": pd.to_datetime(["2026-02-01", "2026-01-25", None, None, "2026-02-07",
                                 "2026-02-20"]),
})
HISTORY = pd.DataFrame({
    "opportunity_id": ["O1", "O1", "O1", "O1", "O2", "O2", "O2", "O3", "O3", "O4", "O5", "O5",
                       "O9"],
    "stage": ["new", "qualified", "proposal", "Closed Won", "new", "qualified", "Closed Lost",
              "new", "proposal", "new", "new", "Closed Lost", "new"],
    "entered_at": pd.to_datetime([
        "2026-01-05", "2026-01-08", "2026-01-15", "2026-02-01", "2026-01-10", "2026-01-12",
        "2026-01-25", "2026-01-20", "2026-01-28", "2026-02-03", "2026-02-05", "2026-02-07",
        "2026-01-01"]),  # O9 is not an opportunity of the table: ignored
})


def test_stage_funnel_from_the_history(engine):
    t = convert(engine, opportunities=OPPS, stage_history=HISTORY)
    out = stage_funnel(t["opportunities"], stage_history=t["stage_history"])
    # order by mean entry rank: new 0, qualified 1, proposal (2 + 1) / 2 = 1.5;
    # Closed Won / Closed Lost are closing stages (last stage of won / lost deals only)
    # reached: new 6; qualified O1 O2 O3 (skipped it) O6 = 4; proposal O1 O3 O6 = 3; won O1 O6 = 2
    lo, hi = wilson_interval([4, 3, 2], [6, 4, 3])
    assert_rows(out, {
        "stage": ["new", "qualified", "proposal", "won"],
        "value": [6.0, 4.0, 3.0, 2.0],
        "numerator": [6.0, 4.0, 3.0, 2.0],
        "denominator": [NAN, 6.0, 4.0, 3.0],
        "step_rate": [NAN, 4 / 6, 3 / 4, 2 / 3],
        "ci_low": [NAN, *lo], "ci_high": [NAN, *hi],
        "low_sample": [False, True, True, True],
        "rate_from_first": [1.0, 4 / 6, 3 / 6, 2 / 6],
    })
    assert list(out["stage"].cat.categories) == ["new", "qualified", "proposal", "won"]


def test_stage_funnel_from_the_current_stage(engine):
    t = convert(engine, opportunities=OPPS)
    out = stage_funnel(t["opportunities"], as_of="2026-03-01")
    # Closed Won / Closed Lost hold only won / only lost deals: closing stages. Open deals:
    # O3 in proposal, 40 days old on 1 March; O4 in new, 26 days: proposal after new.
    # new: all 6; proposal: O3 and the won O1 O6 = 3; won 2
    assert_rows(out, {"stage": ["new", "proposal", "won"], "value": [6.0, 3.0, 2.0],
                      "step_rate": [NAN, 0.5, 2 / 3]})


def test_stage_funnel_by_group_and_cohort_month(engine):
    t = convert(engine, opportunities=OPPS, stage_history=HISTORY)
    out = stage_funnel(t["opportunities"], stage_history=t["stage_history"], by="team")
    # Nord O1 O2 O5: new 3, qualified O1 O2 = 2, proposal O1, won O1; Sud O3 O4: new 2,
    # qualified O3 (reached proposal), proposal O3, won 0; no team O6 (won): 1 everywhere
    assert_rows(out, {
        "team": ["Nord"] * 4 + ["Sud"] * 4 + [None] * 4,
        "stage": ["new", "qualified", "proposal", "won"] * 3,
        "value": [3.0, 2.0, 1.0, 1.0, 2.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0],
        "step_rate": [NAN, 2 / 3, 0.5, 1.0, NAN, 0.5, 1.0, 0.0, NAN, 1.0, 1.0, 1.0],
    })
    monthly = stage_funnel(t["opportunities"], stage_history=t["stage_history"], freq="M",
                           start="2026-01-01", end="2026-02-08")
    # January: O1 O2 O3; February up to the 8th: O4 O5 (O6 created after end)
    assert_rows(monthly, {
        "period": [T("2026-01-01")] * 4 + [T("2026-02-01")] * 4,
        "stage": ["new", "qualified", "proposal", "won"] * 2,
        "value": [3.0, 3.0, 2.0, 1.0, 2.0, 0.0, 0.0, 0.0],
    })


def test_stage_funnel_with_given_stages_and_empty_input(engine):
    t = convert(engine, opportunities=OPPS, stage_history=HISTORY)
    out = stage_funnel(t["opportunities"], stage_history=t["stage_history"],
                       stages=["new", "proposal"])
    # qualified is not listed: O2 (furthest: qualified) counts in the first step only
    assert_rows(out, {"stage": ["new", "proposal", "won"], "value": [6.0, 3.0, 2.0]})
    empty = convert(engine, opportunities=OPPS.iloc[:0], stage_history=HISTORY.iloc[:0])
    out = stage_funnel(empty["opportunities"], stage_history=empty["stage_history"])
    assert_rows(out, {"stage": ["won"], "value": [0.0], "step_rate": [NAN]})


def test_stage_funnel_errors_say_what_to_do():
    with pytest.raises(ParameterError, match=r"needs the stage_history table or a 'stage' column.*"
                                             r"Add stage_history.csv"):
        stage_funnel(OPPS.drop(columns="stage"))
    with pytest.raises(ParameterError, match=r"stages='new' is not allowed; pass the stage names"):
        stage_funnel(OPPS, stages="new")


def test_compute_passes_the_stage_history_when_the_dataset_has_it():
    both = kit.compute(kit.Dataset({"opportunities": OPPS, "stage_history": HISTORY}), "stage_funnel")
    current = kit.compute(kit.Dataset({"opportunities": OPPS}), "stage_funnel")
    assert both["stage"].astype(str).tolist() == ["new", "qualified", "proposal", "won"]
    assert current["stage"].astype(str).tolist() == ["new", "proposal", "won"]
