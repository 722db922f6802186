"""Shared fixtures: every KPI test can run on pandas, polars and DuckDB inputs."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

import matplotlib

# No display in the test process. Not through MPLBACKEND: the kernels that nbval and
# papermill start would inherit it and stop showing figures inline.
matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

ENGINES = ["pandas", "polars", "duckdb"]


def to_engine(df: pd.DataFrame, engine: str):
    """Convert a pandas frame to the native frame of ``engine``."""
    if engine == "pandas":
        return df
    if engine == "polars":
        import polars as pl

        return pl.from_pandas(df)
    if engine == "duckdb":
        import duckdb

        con = duckdb.connect()
        return con.from_df(df)
    raise ValueError(engine)


@pytest.fixture(params=ENGINES)
def engine(request):
    """The name of an engine; use ``to_engine(df, engine)`` to convert inputs."""
    return request.param


@pytest.fixture(params=ENGINES)
def native(request):
    """A function converting a pandas frame to each engine in turn."""
    return lambda df: to_engine(df, request.param)


def require(module: str):
    """Import ``module`` or skip, except in CI where a missing dependency fails."""
    try:
        return __import__(module)
    except ImportError:
        if IN_CI:
            pytest.fail(f"{module} is required in CI (CI=true) but is not installed")
        pytest.skip(f"{module} not installed")


def pytest_collection_modifyitems(config, items):
    """Run the browser tests last: Playwright's sync API leaves an asyncio loop
    registered in the main thread, which breaks later tests that call asyncio.run."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


#: Test files that share one process under ``pytest -n --dist loadscope`` (``make test``):
#: the PySpark tests and the examples of kit/spark.py start one local Spark session (a
#: JVM, 10 s or more on 2 cores) instead of one in each worker.
SHARED_SCOPES = {"tests/test_spark.py": "spark", "kit/spark.py": "spark"}


def pytest_xdist_make_scheduler(config, log):
    """``--dist loadscope`` with the files of :data:`SHARED_SCOPES` in one work unit."""
    if config.getoption("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedScopes(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return SHARED_SCOPES.get(nodeid.split("::", 1)[0]) or super()._split_scope(nodeid)

    return SharedScopes(config, log)

