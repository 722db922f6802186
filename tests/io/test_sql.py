"""Round trips through SQLite and DuckDB files, and PostgreSQL when available (kit.io.sql)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

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


def _postgres_bin() -> Path | None:
    for p in sorted(Path("/usr/lib/postgresql").glob("*/bin")):
        if (p / "initdb").exists():
            return p
    return None


@pytest.fixture(scope="module")
def postgres_url():
    """A throw-away PostgreSQL server (Debian's binaries, run as the postgres user)."""
    pytest.importorskip("psycopg")
    bindir = _postgres_bin()
    if bindir is None or shutil.which("runuser") is None or os.geteuid() != 0:
        pytest.skip("PostgreSQL binaries (or root to run them as postgres) not available")
    base = Path(tempfile.mkdtemp(prefix="kitpg", dir="/tmp"))
    shutil.chown(base, "postgres")
    base.chmod(0o700)
    port = 55432 + os.getpid() % 1000
    run = ["runuser", "-u", "postgres", "--"]
    subprocess.run(run + [str(bindir / "initdb"), "-D", str(base / "data"), "-U", "postgres",
                          "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
                   check=True, capture_output=True)
    subprocess.run(run + [str(bindir / "pg_ctl"), "-D", str(base / "data"), "-l", str(base / "log"),
                          "-w", "-o", f"-p {port} -k {base} -c listen_addresses=127.0.0.1", "start"],
                   check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(run + [str(bindir / "pg_ctl"), "-D", str(base / "data"), "-m", "fast", "-w",
                              "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def test_postgresql_round_trip(postgres_url, reference):
    import sqlalchemy as sa

    frames, ref = reference
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as con:
        for t, df in frames.items():
            df.to_sql(t, con, index=False, if_exists="replace")
    engine.dispose()
    ds = kit.load_dataset(postgres_url)
    assert_same_tables(ds, ref)
