"""pandas, polars and DuckDB backends give the same tables and KPI results (kit.io.output)."""

from __future__ import annotations

import os

import duckdb
import pandas as pd
import polars as pl
import pytest

import kit
from tests.io.helpers import canonical, checksums, small_frames

BACKENDS = ["pandas", "polars", "duckdb"]


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """The same dataset as a CSV folder and as a Parquet folder."""
    frames = small_frames()
    csv = tmp_path_factory.mktemp("csv")
    parquet = tmp_path_factory.mktemp("parquet")
    for t, df in frames.items():
        df.to_csv(csv / f"{t}.csv", index=False)
        df.to_parquet(parquet / f"{t}.parquet", index=False)
    return {"csv": csv, "parquet": parquet}


@pytest.fixture(scope="module")
def loaded(folders):
    return {(fmt, b): kit.load_dataset(folders[fmt], backend=b)
            for fmt in folders for b in BACKENDS}


def test_native_types(loaded):
    assert isinstance(loaded[("csv", "pandas")].leads, pd.DataFrame)
    assert isinstance(loaded[("csv", "polars")].leads, pl.DataFrame)
    assert isinstance(loaded[("csv", "duckdb")].leads, duckdb.DuckDBPyRelation)
    assert loaded[("csv", "polars")].leads.schema["created_at"] == pl.Datetime("ns")


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_polars_tables_have_the_types_of_the_pandas_ones(loaded, fmt):
    """Polars tables come from DuckDB through Arrow: the same schema as the pandas ones in polars.

    The pandas backend's categories (enums, the columns the loader adds) are text in polars.
    """
    ref = loaded[(fmt, "pandas")]
    got = loaded[(fmt, "polars")]
    for t in ref.tables:
        assert got.tables[t].schema == ref.to_polars().tables[t].schema, t
        assert pl.Categorical not in got.tables[t].schema.dtypes(), t


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize("backend", ["polars", "duckdb"])
def test_same_tables_as_pandas(loaded, fmt, backend):
    ref = loaded[("csv", "pandas")]
    ds = loaded[(fmt, backend)].to_pandas()
    assert sorted(ds.tables) == sorted(ref.tables)
    for t in ref.tables:
        pd.testing.assert_frame_equal(canonical(ds.tables[t], t), canonical(ref.tables[t], t), obj=t)
    assert ds.as_of == ref.as_of
    cols = ["table", "column", "rule", "severity", "count"]
    pd.testing.assert_frame_equal(ds.issues[cols], ref.issues[cols])


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize("backend", ["polars", "duckdb"])
def test_to_pandas_gives_the_dtypes_of_the_pandas_backend(loaded, fmt, backend):
    """Dataset.to_pandas: Arrow-backed text (not object), ns times, nullable booleans."""
    ref = loaded[(fmt, "pandas")]
    ds = loaded[(fmt, backend)].to_pandas()
    for t in ref.tables:
        assert dict(ds.tables[t].dtypes) == dict(ref.tables[t].dtypes), t
        pd.testing.assert_frame_equal(ds.tables[t], ref.tables[t], obj=t)
    assert str(ds.leads["lead_id"].dtype) == "str"


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_same_kpi_results(loaded, fmt, backend):
    ref = kit.compute(loaded[("csv", "pandas")], "win_rate", by="team", freq="M")
    got = kit.compute(loaded[(fmt, backend)], "win_rate", by="team", freq="M")
    pd.testing.assert_frame_equal(got, ref)
    assert ref["denominator"].sum() > 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_filter_on_every_backend(loaded, backend):
    ds = loaded[("csv", backend)].filter(start="2025-03-01", end="2025-06-01", team="Nord")
    ref = loaded[("csv", "pandas")].leads
    want = ref[(ref["created_at"] >= "2025-03-01") & (ref["created_at"] < "2025-06-01")
               & (ref["team"] == "Nord")]
    got = ds.to_pandas().leads
    assert sorted(got["lead_id"]) == sorted(want["lead_id"]) and len(want) > 0
    assert ds.as_of < pd.Timestamp("2025-06-01")


def test_duckdb_over_parquet_is_stored_once_out_of_core(folders):
    # the kept, enriched rows are stored once (queries do not re-read the Parquet
    # files nor re-run the checks), in a DuckDB file rather than in memory
    ds = kit.load_dataset(folders["parquet"], backend="duckdb")
    assert "READ_PARQUET" not in ds.orders.explain().upper()
    con = ds.orders.query("o", "SELECT current_setting('memory_limit') AS m, "
                                "(SELECT path FROM duckdb_databases() WHERE database_name = 'kit_store') AS p")
    limit, path = con.fetchall()[0]
    assert path and path.endswith("dataset.duckdb") and os.path.getsize(path) > 0
    assert "MiB" in limit or "MB" in limit or "GiB" in limit
    csv_ds = kit.load_dataset(folders["csv"], backend="duckdb")
    assert "READ_PARQUET" not in csv_ds.orders.explain().upper()


def test_duckdb_over_parquet_rejects_rows_lazily(tmp_path):
    frames = small_frames()
    leads = frames["leads"].copy()
    leads.loc[3, "lead_id"] = leads.loc[2, "lead_id"]  # a duplicate id
    leads.loc[5, "created_at"] = pd.NaT                 # a missing required value
    leads.to_parquet(tmp_path / "leads.parquet", index=False)
    before = checksums(tmp_path)
    ds = kit.load_dataset(tmp_path, backend="duckdb")
    assert checksums(tmp_path) == before
    assert ds.rejected["leads"]["_line"].tolist() == [5, 7]  # row position + 2
    kept = ds.leads.df()
    assert len(kept) + 2 == len(leads)
    assert set(kept["lead_id"]) == set(leads["lead_id"]) - {leads.loc[5, "lead_id"]}
