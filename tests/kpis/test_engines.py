"""Every registered KPI gives the same result on pandas, polars and DuckDB inputs of the sample.

A new KPI is covered automatically: the cases come from the registry.
"""

from functools import lru_cache

import pandas as pd
import pytest

import kit
from kit import registry
from tests.kpis.golden import sample_dataset, variants

CASES = [(n, v, o) for n in registry.names() for v, o in variants(n).items()]


@lru_cache(maxsize=None)
def dataset_on(engine: str) -> kit.Dataset:
    ds = sample_dataset()
    if engine == "polars":
        import polars as pl

        tables = {t: pl.from_pandas(df) for t, df in ds.tables.items()}
    else:
        import duckdb

        con = duckdb.connect()  # one connection, so that joins between tables work
        tables = {t: con.from_df(df) for t, df in ds.tables.items()}
    return kit.Dataset(tables, as_of=ds.as_of, backend=engine)


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
@pytest.mark.parametrize("name,variant,options", CASES, ids=[f"{n}-{v}" for n, v, _ in CASES])
def test_same_result_on_every_engine(name, variant, options, engine):
    expected = kit.compute(sample_dataset(), name, **options)
    got = kit.compute(dataset_on(engine), name, **options)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, rtol=1e-9, atol=1e-12)
