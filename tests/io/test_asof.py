"""The end of the data: default ``as_of`` over every date column, events after a given
``as_of`` noted, conversions dated before creation (kit.io.asof, Dataset.date_span)."""

from __future__ import annotations

import pandas as pd
import pytest

import kit
from kit.dataset import Dataset
from tests.conftest import to_engine
from tests.io.helpers import issue

LEADS = pd.DataFrame({
    "lead_id": ["L1", "L2", "L3"],
    "created_at": ["2026-01-05", "2026-01-10", "2026-02-01"],
    "converted_at": ["2026-01-20", "2026-03-15 17:30", "2026-01-25"],  # L3 "before" creation
})
OPPS = pd.DataFrame({
    "opportunity_id": ["O1", "O2"], "created_at": ["2026-01-06", "2026-01-12"],
    "rep_id": ["R1", "R1"], "status": ["won", "lost"], "amount": [100.0, 50.0],
    "closed_at": ["2026-02-10", "2026-04-02 09:00"],
})
SURVEYS = pd.DataFrame({"response_id": ["S1"], "responded_at": ["2026-03-30"], "kind": ["csat"],
                        "score": [4]})
TARGETS = pd.DataFrame({"period": ["2026-12-01"], "team": ["Nord"], "revenue_target": [1000.0]})


@pytest.mark.parametrize("backend", ["pandas", "polars", "duckdb"])
def test_default_as_of_is_the_latest_timestamp_of_any_date_column(backend):
    ds = kit.load_dataset({"leads": LEADS, "opportunities": OPPS, "surveys": SURVEYS,
                           "targets": TARGETS}, backend=backend)
    # main dates end on 1 February; closed_at of O2 (2 April 09:00) is the latest event;
    # the target of December is planned, not an event
    assert ds.as_of == pd.Timestamp("2026-04-02 09:00")
    assert not (ds.issues["rule"] == "after_as_of").any()


def test_date_span_lists_every_date_column_with_its_first_and_last_value(engine):
    ds = Dataset({"leads": to_engine(kit.load_dataset({"leads": LEADS}).leads, engine)})
    span = ds.date_span()
    assert span[["table", "column", "main"]].values.tolist() == [
        ["leads", "created_at", True], ["leads", "converted_at", False]]
    assert span["first"].tolist() == [pd.Timestamp("2026-01-05"), pd.Timestamp("2026-01-20")]
    assert span["last"].tolist() == [pd.Timestamp("2026-02-01"), pd.Timestamp("2026-03-15 17:30")]
    assert ds.date_span(main_only=True)["column"].tolist() == ["created_at"]
    assert ds.date_span(skip=("leads",)).empty
    assert ds.as_of == pd.Timestamp("2026-03-15 17:30")


def test_targets_alone_still_give_an_end():
    ds = Dataset({"targets": pd.DataFrame({"period": pd.to_datetime(["2026-12-01"])})})
    assert ds.as_of == pd.Timestamp("2026-12-01")


@pytest.mark.parametrize("backend", ["pandas", "duckdb"])
def test_events_after_a_given_as_of_are_counted_in_an_info_note(backend):
    ds = kit.load_dataset({"leads": LEADS, "opportunities": OPPS, "surveys": SURVEYS,
                           "targets": TARGETS}, backend=backend, as_of="2026-02-28")
    assert ds.as_of == pd.Timestamp("2026-02-28")
    leads = issue(ds, "leads", "after_as_of")
    # L2's conversion on 15 March only
    assert (leads["severity"], leads["count"], leads["column"]) == ("info", 1, "converted_at")
    assert "converted_at 1, up to 2026-03-15" in leads["message"]
    opps = issue(ds, "opportunities", "after_as_of")
    assert (opps["count"], opps["column"]) == (1, "closed_at")  # O2 closed on 2 April
    assert issue(ds, "surveys", "after_as_of")["count"] == 1
    assert not ((ds.issues["table"] == "targets") & (ds.issues["rule"] == "after_as_of")).any()
    # none after an as_of at the end of the data
    later = kit.load_dataset({"leads": LEADS}, as_of="2026-03-31")
    assert not (later.issues["rule"] == "after_as_of").any()


def test_the_note_is_shown_by_the_data_quality_section():
    from kit.story import Collector, Report

    ds = kit.load_dataset({"leads": LEADS}, as_of="2026-02-28")
    sink = Collector()
    shown = sink.objects
    Report(ds, month="2026-01", display=sink).quality()
    tables = [o.frame for o in shown if hasattr(o, "frame")]
    rows = [r for f in tables if "Rule" in f.columns for r in f.to_dict("records")]
    assert [(r["Table"], r["Rule"], r["Severity"]) for r in rows if r["Rule"] == "after_as_of"] == [
        ("leads", "after_as_of", "info")]


def test_the_load_cache_applies_each_as_of_with_its_own_note(tmp_path, monkeypatch):
    folder = tmp_path / "crm"
    folder.mkdir()
    LEADS.to_csv(folder / "leads.csv", index=False)
    monkeypatch.setenv("KIT_LOAD_CACHE", str(tmp_path / "cache"))
    first = kit.load_dataset(folder, as_of="2026-02-28")
    again = kit.load_dataset(folder)  # read from the cache: no as_of, no note
    third = kit.load_dataset(folder, as_of="2026-01-31")
    assert len(list((tmp_path / "cache").glob("*.pkl"))) == 1
    assert issue(first, "leads", "after_as_of")["count"] == 1
    assert again.as_of == pd.Timestamp("2026-03-15 17:30")
    assert not (again.issues["rule"] == "after_as_of").any()
    assert issue(third, "leads", "after_as_of")["count"] == 2  # L2 converted and L3 created


def test_a_conversion_before_creation_counts_as_converted_flagged_and_out_of_durations():
    ds = kit.load_dataset({"leads": LEADS})
    flagged = issue(ds, "leads", "order", "converted_at")
    assert flagged["count"] == 1 and flagged["rows"] == [4]  # L3, line 4
    assert "They count as converted" in flagged["message"]
    rate = kit.compute(ds, "lead_conversion_rate")
    # L1, L2 and L3 converted: 3 / 3, L3 flagged
    assert rate[["numerator", "denominator", "n_inconsistent"]].values.tolist() == [[3.0, 3.0, 1.0]]
    ttc = kit.compute(ds, "time_to_convert")
    # durations: L1 15 days, L2 64.7 days; L3 left out of them only
    assert ttc[["n", "n_leads", "n_inconsistent"]].values.tolist() == [[2.0, 3.0, 1.0]]
    assert ttc["value"].iloc[0] == pytest.approx((15 + 64 + 17.5 / 24) / 2)
