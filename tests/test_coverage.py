"""Tests of kit.coverage: the first and last date of each table."""

from __future__ import annotations

import pandas as pd

from kit.coverage import coverage, covers, span
from kit.dataset import Dataset
from tests.conftest import SAMPLE


def test_coverage_of_each_dated_table():
    ds = Dataset({
        "opportunities": pd.DataFrame({
            "opportunity_id": ["O1", "O2"], "status": ["won", "open"], "rep_id": ["R1", "R1"],
            "created_at": pd.to_datetime(["2026-01-04", "2026-02-10"]),
            "closed_at": pd.to_datetime(["2026-03-15", None])}),
        "costs": pd.DataFrame({"period": pd.to_datetime(["2026-01-01", "2026-02-01"]),
                               "amount": [1.0, 2.0], "category": ["marketing", "sales"]}),
        "reps": pd.DataFrame({"rep_id": ["R1"]}),
    })
    cov = coverage(ds).set_index("table")
    assert cov.index.tolist() == ["opportunities", "costs"]  # reps: a reference table
    # the last date of the opportunities is their latest closing, after the last creation
    assert (cov.loc["opportunities", "first"], cov.loc["opportunities", "last"]) == (
        pd.Timestamp("2026-01-04"), pd.Timestamp("2026-03-15"))
    assert cov.loc["opportunities", "column"] == "created_at" and cov.loc["opportunities", "rows"] == 2
    assert span(coverage(ds), "costs") == (pd.Timestamp("2026-01-01"), pd.Timestamp("2026-02-01"))
    assert ds.coverage().equals(coverage(ds))


def test_coverage_of_some_tables_scans_only_them(monkeypatch):
    ds = Dataset({
        "orders": pd.DataFrame({"order_id": ["1"], "ordered_at": pd.to_datetime(["2026-02-03"]),
                                "amount": [5.0]}),
        "leads": pd.DataFrame({"lead_id": ["L1"], "created_at": pd.to_datetime(["2026-01-04"])}),
    })
    full = coverage(ds).set_index("table")
    only = coverage(ds, tables=["orders"]).set_index("table")
    assert only.index.tolist() == ["orders"] and only.loc["orders"].equals(full.loc["orders"])
    # what availability() asks for a KPI on orders: the leads are not read
    import kit.availability

    seen = []
    real = Dataset.date_span

    def spy(self, **kw):
        seen.append(kw.get("skip", ()))
        return real(self, **kw)

    monkeypatch.setattr(Dataset, "date_span", spy)
    assert kit.availability.availability(ds, "revenue").ok
    assert seen and all("leads" in skip for skip in seen)


def test_covers_intersects_the_period_with_the_data():
    cov = pd.DataFrame({"table": ["orders"], "column": ["ordered_at"], "first": [pd.Timestamp("2026-02-10")],
                        "last": [pd.Timestamp("2026-04-02")], "rows": [5]})
    assert not covers(cov, "orders", "2026-01-01", "2026-02-01")  # before the first order
    assert covers(cov, "orders", "2026-02-01", "2026-03-01")  # partly covered
    assert covers(cov, "orders", "2026-04-01", "2026-05-01")
    assert not covers(cov, "orders", "2026-05-01", "2026-06-01")  # after the last one
    assert not covers(cov, "orders", "2026-02-10", "2026-02-10")  # empty period: end excluded
    assert covers(cov, "orders", None, "2026-03-01") and covers(cov, "orders", "2026-04-02", None)
    assert covers(cov, "products", "1990-01-01", "1990-02-01")  # not listed: no period of its own


def test_empty_table_covers_nothing():
    ds = Dataset({"surveys": pd.DataFrame({"response_id": pd.Series([], dtype=str),
                                           "responded_at": pd.Series([], dtype="datetime64[ns]"),
                                           "kind": pd.Series([], dtype=str), "score": pd.Series([], dtype=float)})})
    cov = coverage(ds)
    assert cov["rows"].tolist() == [0] and cov["first"].isna().all()
    assert not covers(cov, "surveys") and not covers(cov, "surveys", "2026-01-01", "2026-02-01")


def test_coverage_on_a_filtered_and_a_lazy_dataset():
    import kit

    ds = kit.load_dataset(SAMPLE, backend="duckdb")
    full = coverage(ds).set_index("table")
    assert full.loc["orders", "first"] >= pd.Timestamp("2023-11-01")
    cut = coverage(ds.filter(end="2025-01-01")).set_index("table")
    assert cut.loc["orders", "last"] < pd.Timestamp("2025-01-01") <= full.loc["orders", "last"]
    assert cut.loc["orders", "first"] == full.loc["orders", "first"]
