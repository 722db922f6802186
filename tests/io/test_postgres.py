"""A real PostgreSQL source: the sample dataset loaded from a server equals the CSV load (kit.io.sql).

The session fixture starts Debian's PostgreSQL (``initdb``/``pg_ctl`` run as the
``postgres`` user) on a free loopback port in a temporary folder, and always stops
it. Without the binaries the tests are skipped, except in CI (``CI=true``) where
that is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import pytest

import kit
from kit.contract import CONTRACT
from kit.errors import DataError
from tests.conftest import IN_CI, SAMPLE, require
from tests.io.helpers import canonical

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"PostgreSQL is required in CI (CI=true): {reason}. Install it with "
                    "apt-get install postgresql-15.")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server():
    """``postgresql+psycopg://postgres@127.0.0.1:PORT/postgres`` of a throw-away server."""
    require("psycopg")
    require("sqlalchemy")
    if not (PG_BIN / "initdb").exists():
        _unavailable(f"no initdb in {PG_BIN}")
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        _unavailable("the server is started as the postgres user with runuser, which needs root")
    base = Path(tempfile.mkdtemp(prefix="kpg", dir="/tmp"))  # short: the socket lives here
    shutil.chown(base, "postgres")
    base.chmod(0o700)
    run = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    data = base / "data"
    started = False
    try:
        subprocess.run(run + [str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres",
                              "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
                       check=True, capture_output=True)
        subprocess.run(run + [str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"),
                              "-w", "-o", f"-p {port} -k {base} -c listen_addresses=127.0.0.1",
                              "start"], check=True, capture_output=True)
        started = True
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        if started:
            subprocess.run(run + [str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w",
                                  "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def _sample_frames() -> dict:
    """The sample CSV files as pandas reads them: numbers typed, contract dates as timestamps."""
    frames = {}
    for path in sorted(SAMPLE.glob("*.csv")):
        t = path.stem
        dates = [c.name for c in CONTRACT[t].columns if c.kind in ("datetime", "date")]
        ids = {c.name: str for c in CONTRACT[t].columns if c.kind in ("id", "str", "enum")}
        frames[t] = pd.read_csv(path, dtype=ids, parse_dates=dates)
    return frames


@pytest.fixture(scope="session")
def sample_in_postgres(postgres_server):
    """The sample dataset written into schema ``crm`` of the server (plain ``to_sql``)."""
    import sqlalchemy as sa

    if not (SAMPLE / "leads.csv").exists():
        pytest.fail("data/sample is missing: run `make sample` (python -m kit.sample)")
    engine = sa.create_engine(postgres_server)
    with engine.begin() as con:
        con.execute(sa.text("CREATE SCHEMA IF NOT EXISTS crm"))
        for t, df in _sample_frames().items():
            df.to_sql(t, con, schema="crm", index=False, if_exists="replace")
        con.execute(sa.text("CREATE TABLE IF NOT EXISTS crm.audit_log (x integer)"))
        con.execute(sa.text("CREATE TABLE IF NOT EXISTS public.commerciaux AS "
                            "SELECT rep_id AS code, name AS nom FROM crm.reps"))
    engine.dispose()
    return postgres_server + "?options=-csearch_path%3Dcrm"


@pytest.fixture(scope="session")
def csv_load():
    return kit.load_dataset(SAMPLE)


def test_sample_from_postgres_equals_csv_load_table_by_table(sample_in_postgres, csv_load):
    ds = kit.load_dataset(sample_in_postgres)
    assert sorted(ds.tables) == sorted(csv_load.tables)
    for t in csv_load.tables:
        got, want = canonical(ds.tables[t], t), canonical(csv_load.tables[t], t)
        assert list(got.columns) == list(want.columns), t
        pd.testing.assert_frame_equal(got, want, obj=t)
    problems = ["table", "column", "rule", "severity", "count", "rows"]
    got = ds.issues[problems].sort_values(["table", "rule"]).reset_index(drop=True)
    want = csv_load.issues[problems].sort_values(["table", "rule"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)
    assert {t: len(r) for t, r in ds.rejected.items()} == {t: len(r) for t, r in csv_load.rejected.items()}
    assert "audit_log" not in ds.tables  # other tables of the schema are not read


def test_mapping_names_a_table_of_the_database(postgres_server, sample_in_postgres):
    ds = kit.load_dataset(postgres_server, mapping={"reps": {"file": "commerciaux", "columns": {
        "code": "rep_id", "nom": "name"}}})
    reps = pd.read_csv(SAMPLE / "reps.csv", dtype=str)
    assert sorted(ds.tables) == ["reps"]  # the public schema holds this table only
    assert ds.reps.sort_values("rep_id")["name"].tolist() == reps.sort_values("rep_id")["name"].tolist()


def test_password_hidden_and_errors_explained(postgres_server):
    bad = postgres_server.replace("postgres@", "nobody:s3cret@") + "?connect_timeout=3"
    with pytest.raises(DataError, match=r"cannot read the database \(OperationalError: .*\)\. Check the "
                                        r"URL, the server and the credentials") as err:
        kit.load_dataset(bad)
    assert "s3cret" not in str(err.value)
    with pytest.raises(DataError, match=r"reads table 'orders' from 'ventes', which .* does not have; "
                                        r"its tables: commerciaux"):
        kit.load_dataset(postgres_server, mapping={"orders": {"file": "ventes"}})
