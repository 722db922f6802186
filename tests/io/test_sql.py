"""Round trips through SQLite and DuckDB files (kit.io.sql); PostgreSQL: test_postgres.py."""

from __future__ import annotations

import sqlite3

import duckdb
import pandas as pd
import pytest

import kit
from kit.errors import DataError
from tests.io.helpers import canonical, checksums, small_frames


@pytest.fixture(scope="module")
def reference():
    frames = small_frames()
    return frames, kit.load_dataset(frames)


def assert_same_tables(ds, ref):
    assert sorted(ds.tables) == sorted(ref.tables)
    for t in ref.tables:
        pd.testing.assert_frame_equal(canonical(ds.to_pandas().tables[t], t),
                                      canonical(ref.tables[t], t), check_like=False, obj=t)


def test_reference_dataset_is_clean(reference):
    _, ref = reference
    assert not (ref.issues["severity"] == "error").any(), ref.issues


def test_sqlite_round_trip_keeps_every_row_and_amount(tmp_path, reference):
    frames, ref = reference
    path = tmp_path / "crm.db"
    with sqlite3.connect(path) as con:
        for t, df in frames.items():
            df.to_sql(t, con, index=False)
        pd.DataFrame({"x": [1]}).to_sql("unrelated_table", con, index=False)
    before = checksums(tmp_path)
    ds = kit.load_dataset(f"sqlite:///{path}")
    assert checksums(tmp_path) == before  # opened read-only
    assert_same_tables(ds, ref)
    assert ds.orders["amount"].sum() == pytest.approx(frames["orders"]["amount"].sum())
    assert len(ds.orders) == len(frames["orders"])


def test_duckdb_round_trip_keeps_every_row_and_amount(tmp_path, reference):
    frames, ref = reference
    path = tmp_path / "crm.duckdb"
    con = duckdb.connect(str(path))
    for t, df in frames.items():
        con.register("df", df)
        con.execute(f"CREATE TABLE {t} AS SELECT * FROM df")
        con.unregister("df")
    con.close()
    before = checksums(tmp_path)
    for backend in ("pandas", "duckdb"):
        ds = kit.load_dataset(f"duckdb:///{path}", backend=backend)
        assert_same_tables(ds, ref)
    assert checksums(tmp_path) == before


def test_sqlite_rows_and_mapping_by_table_name(tmp_path):
    path = tmp_path / "crm.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE Commerciaux (rep_id TEXT, nom TEXT)")
        con.execute("INSERT INTO Commerciaux VALUES ('R1', 'Ana'), (NULL, 'Bob')")
    ds = kit.load_dataset(f"sqlite:///{path}", mapping={"reps": {"file": "Commerciaux",
                                                                 "columns": {"nom": "name"}}})
    assert ds.reps["name"].tolist() == ["Ana"]
    assert ds.rejected["reps"]["_line"].tolist() == [3]


def test_missing_database_file(tmp_path):
    with pytest.raises(DataError, match=r"database file '.*nope\.db' .* does not exist"):
        kit.load_dataset(f"sqlite:///{tmp_path / 'nope.db'}")
    assert not (tmp_path / "nope.db").exists()
