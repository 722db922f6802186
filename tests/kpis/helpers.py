"""Helpers shared by the KPI tests: engine conversion and row-by-row comparison."""

from __future__ import annotations

import math
from numbers import Number

import pandas as pd
import pytest

from tests.conftest import to_engine


def convert(engine, **frames):
    """Convert every table of one KPI call to ``engine`` (one DuckDB connection for all)."""
    if engine == "duckdb":
        import duckdb

        con = duckdb.connect()
        return {k: con.from_df(v) for k, v in frames.items()}
    return {k: to_engine(v, engine) for k, v in frames.items()}


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT or v is pd.NA


def assert_rows(out: pd.DataFrame, expected: dict) -> None:
    """Compare the columns of ``expected`` with ``out`` row by row (floats approx, nulls alike)."""
    assert list(out.index) == list(range(len(out))), "plain 0..n index"
    exp = pd.DataFrame(expected)
    assert len(out) == len(exp), f"{len(out)} rows, expected {len(exp)}:\n{out}"
    for col in exp.columns:
        for i, (got, want) in enumerate(zip(out[col].tolist(), exp[col].tolist())):
            if _missing(want):
                assert _missing(got), f"{col}[{i}]: {got!r}, expected missing\n{out}"
            elif isinstance(want, bool):
                assert bool(got) is want, f"{col}[{i}]: {got!r} != {want!r}\n{out}"
            elif isinstance(want, Number):
                assert got == pytest.approx(want, rel=1e-9, abs=1e-9), f"{col}[{i}]\n{out}"
            elif isinstance(want, pd.Timestamp):
                assert pd.Timestamp(got) == want, f"{col}[{i}]: {got!r} != {want!r}"
            else:
                assert got == want, f"{col}[{i}]: {got!r} != {want!r}\n{out}"
