"""Frames of any engine as pandas: the one way the kit turns a result into a pandas DataFrame.

The tables of a dataset are pandas, polars, DuckDB or PySpark frames, read through
narwhals; what the kit shows or checks (a KPI result, a date span, a count) is
collected and turned into pandas once, here.

Examples
--------
>>> import pandas as pd, polars as pl
>>> to_pandas(pl.DataFrame({"a": [1, 2]}))["a"].tolist()
[1, 2]
>>> to_pandas(nw.from_native(pl.DataFrame({"a": [3]})).lazy())["a"].tolist()
[3]
"""

from __future__ import annotations

import narwhals as nw
import pandas as pd


def to_pandas(frame) -> pd.DataFrame:
    """``frame`` as a pandas DataFrame: a native frame of any engine or a narwhals frame,
    lazy ones collected first; a pandas DataFrame is returned as it is.

    Raises
    ------
    TypeError
        For an object that is not a data frame.

    Examples
    --------
    >>> import duckdb
    >>> to_pandas(duckdb.sql("SELECT 1 AS n")).to_dict("records")
    [{'n': 1}]
    >>> df = pd.DataFrame({"a": [1]})
    >>> to_pandas(df) is df
    True
    >>> to_pandas([1, 2])
    Traceback (most recent call last):
    ...
    TypeError: a list is not a data frame; pass a pandas or polars DataFrame, a DuckDB relation or a Spark DataFrame.
    """
    if isinstance(frame, pd.DataFrame):
        return frame
    try:
        f = nw.from_native(frame)
    except TypeError:
        raise TypeError(f"a {type(frame).__name__} is not a data frame; pass a pandas or polars "
                        "DataFrame, a DuckDB relation or a Spark DataFrame.") from None
    if isinstance(f, nw.LazyFrame):
        f = f.collect()
    return f.to_pandas()


__all__ = ["to_pandas"]
