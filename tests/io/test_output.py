"""The tables read out of DuckDB into pandas (kit.io.output): values, dtypes and whose memory holds them."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from kit.io import output

ROWS = 200_000


@pytest.fixture
def con():
    con = duckdb.connect()
    # rows in reverse file order: the output follows _line, not the order of the view
    con.execute(f"CREATE VIEW final_activities AS SELECT 'A' || i AS activity_id, "
                f"CASE WHEN i % 2 = 0 THEN 'call' ELSE 'email' END AS type, "
                f"TIMESTAMP '2026-01-01' + INTERVAL (i) SECOND AS occurred_at, "
                f"{ROWS} - i AS _line FROM range({ROWS}) t(i)")
    yield con
    con.close()


def test_pandas_table_values_and_order(con):
    df = output.materialise(con, "activities", "pandas", lazy=False)
    assert len(df) == ROWS
    assert df["activity_id"].iloc[0] == f"A{ROWS - 1}" and df["activity_id"].iloc[-1] == "A0"
    assert str(df["type"].dtype) == "category" and sorted(df["type"].cat.categories) == ["call", "email"]
    assert str(df["occurred_at"].dtype) == "datetime64[ns]"


def test_arrow_batches_are_copied_into_arrows_pool(con, monkeypatch):
    """A batch exported by DuckDB lives as long as any of its columns: the text kept by
    pandas must be a copy in Arrow's pool, or the whole batch stays in DuckDB's memory."""
    monkeypatch.setattr(output, "BATCH_ROWS", 50_000)
    before = pa.total_allocated_bytes()
    table = output._arrow(con.sql("SELECT * EXCLUDE (_line) FROM final_activities ORDER BY _line"),
                          "activities")
    assert table.num_rows == ROWS
    assert pa.total_allocated_bytes() - before >= table.nbytes


def test_pandas_text_is_held_by_arrows_pool(con):
    before = pa.total_allocated_bytes()
    df = output.materialise(con, "activities", "pandas", lazy=False)
    ids = df["activity_id"].array.__arrow_array__()  # the Arrow data behind the column, not a copy
    # what stays allocated in Arrow's pool once the frame is built: at least the ids
    assert pa.total_allocated_bytes() - before >= ids.nbytes > ROWS * 4
