"""The sample dataset (data/sample) loads cleanly and quickly."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

import kit
from tests.io.helpers import checksums, rows_read

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


@pytest.fixture(scope="module")
def loaded():
    before = checksums(SAMPLE)
    t0 = time.perf_counter()
    ds = kit.load_dataset(SAMPLE)
    seconds = time.perf_counter() - t0
    assert checksums(SAMPLE) == before
    return ds, seconds


def test_sample_has_no_error(loaded):
    ds, seconds = loaded
    assert not (ds.issues["severity"] == "error").any(), ds.issues
    assert seconds < 30, f"loading the sample took {seconds:.1f} s"
    assert len(ds.tables) == 13


def test_sample_rows_read_equal_file_rows(loaded):
    ds, _ = loaded
    read = rows_read(ds)
    for path in SAMPLE.glob("*.csv"):
        with path.open(encoding="utf-8") as fh:
            n = sum(1 for line in fh if line.strip()) - 1
        assert read[path.stem] == n == len(ds.tables[path.stem]) + len(ds.rejected[path.stem])


def test_sample_enriched_and_typed(loaded):
    ds, _ = loaded
    assert {"team", "manager", "region"} <= set(ds.activities.columns)
    assert "product_category" in ds.orders.columns and ds.orders["product_category"].notna().all()
    assert str(ds.orders["ordered_at"].dtype) == "datetime64[ns]"
    assert ds.as_of == max(pd.Timestamp(ds.tables[t][c].max()) for t, c in
                           [("leads", "created_at"), ("orders", "ordered_at"),
                            ("activities", "occurred_at")] + [
                               (t, kit.contract.CONTRACT[t].date_column) for t in ds.tables
                               if kit.contract.CONTRACT[t].date_column])


def test_sample_duckdb_backend_gives_same_kpi(loaded):
    ds, _ = loaded
    other = kit.load_dataset(SAMPLE, backend="duckdb")
    pd.testing.assert_frame_equal(kit.compute(other, "win_rate", by="team", freq="Q"),
                                  kit.compute(ds, "win_rate", by="team", freq="Q"))
