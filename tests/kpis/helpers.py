"""Helpers shared by the KPI tests: engine conversion, row-by-row comparison, records, intervals."""

from __future__ import annotations

import math
from numbers import Number

import numpy as np
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


def tables(engine, **frames):
    """The frames of one KPI call converted to ``engine``, in order (see :func:`convert`)."""
    return list(convert(engine, **frames).values())


def one(engine, df):
    return tables(engine, t=df)[0]


def rec(out, cols):
    """Records with floats rounded to 6 places and every kind of null as None."""
    rows = []
    for row in out[cols].to_dict("records"):
        clean = {}
        for k, v in row.items():
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                clean[k] = None
            elif isinstance(v, (float, np.floating)):
                clean[k] = round(float(v), 6) if math.isfinite(v) else float(v)
            elif isinstance(v, (bool, np.bool_)):
                clean[k] = bool(v)
            elif isinstance(v, (int, np.integer)):
                clean[k] = float(v)
            else:
                clean[k] = v
        rows.append(clean)
    return rows


def wilson(k, n, z=1.959963984540054):
    """Independent Wilson score interval (textbook formula)."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def dt(values):
    return pd.to_datetime(pd.Series(values, dtype="object"), format="ISO8601")


def records(df, cols):
    """The rows of ``df[cols]`` as dicts."""
    return df[cols].to_dict("records")
