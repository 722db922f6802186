"""The pandas dtypes of the contract's kinds, the same from every backend.

Identifiers and text are Arrow-backed strings (:data:`TEXT`, pandas'
``"str"``: ``NaN`` when missing), a fraction of the memory of Python ``str``
objects; enums and the text columns the loader adds (``team``, ``region``...,
:func:`is_category`) are categoricals of such text, one byte per row (group by
them with ``observed=True``, the default of pandas 3, so that a value absent
after a filter is no group); times are ``datetime64[ns]``, timezone-naive; money and numbers
``float64``; booleans the nullable ``"boolean"``; ``int`` columns ``"Int64"``.
The loader gives its pandas tables these dtypes (:mod:`kit.io.output`), and
:meth:`kit.dataset.Dataset.to_pandas` gives them to the tables of the polars and
DuckDB backends (:func:`table_to_pandas`), through Arrow.

Examples
--------
>>> import pandas as pd
>>> df = conform(pd.DataFrame({"lead_id": ["L1", float("nan")],
...                            "created_at": ["2026-01-05", None]}), "leads")
>>> df["lead_id"].tolist(), str(df["lead_id"].dtype), str(df["created_at"].dtype)
(['L1', nan], 'str', 'datetime64[ns]')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit.contract import CONTRACT, ENRICHED
from kit.frames import to_pandas

_TEXT_ENRICHED = {c for cols in ENRICHED.values() for c in cols}
#: pandas dtype of text columns: strings held by Arrow, ``NaN`` when missing (pandas' ``"str"``).
try:
    TEXT = pd.StringDtype("pyarrow", na_value=np.nan)
except TypeError:  # pandas < 2.3: the same dtype under its former name
    TEXT = pd.StringDtype("pyarrow_numpy")


def _text(s: pd.Series) -> pd.Series:
    if s.dtype == TEXT:
        return s
    if s.dtype != object:
        s = s.astype(object).where(s.isna(), s.astype(str))
    return s.astype(object).where(s.notna(), None).astype(TEXT)


def is_category(table: str, column: str) -> bool:
    """Whether ``column`` of ``table`` is categorical in pandas: an enum, or a column the loader adds.

    Such columns hold a few values repeated over many rows (an activity's type,
    a rep's team copied onto each of their activities): as categories, a
    column of a long table takes one byte per row instead of one string.

    Examples
    --------
    >>> is_category("activities", "type"), is_category("activities", "team"), is_category("activities", "rep_id")
    (True, True, False)
    """
    contract = CONTRACT.get(table)
    if contract is not None and contract.has(column):
        return contract.column(column).kind == "enum"
    return column in _TEXT_ENRICHED


def categorical(codes, labels, index=None, name=None) -> pd.Series:
    """The text ``labels[codes]`` as a categorical of :data:`TEXT`, its categories sorted.

    ``labels`` may repeat a value (both codes then give the same category); code
    ``-1`` is a missing value. Built on the integer codes: no string per row.

    Examples
    --------
    >>> s = categorical(np.array([2, 0, -1, 1]), ["sales", "call", "call"])
    >>> s.tolist()[:2], list(s.cat.categories), int(s.isna().sum())
    (['call', 'sales'], ['call', 'sales'], 1)
    """
    labels = [str(v) for v in labels]
    cats = pd.Index(sorted(set(labels)), dtype=TEXT)
    at = np.append(cats.get_indexer(labels), -1)  # code -1 (missing) stays -1
    return pd.Series(pd.Categorical.from_codes(at[np.asarray(codes)], dtype=pd.CategoricalDtype(cats)),
                     index=index, name=name)


def _category(s: pd.Series) -> pd.Series:
    # categories of text (TEXT), in sorted order, not ordered: the same whatever the input
    if not isinstance(s.dtype, pd.CategoricalDtype):
        return _text(s).astype("category")
    cats = s.cat.categories
    if cats.dtype == TEXT and cats.is_monotonic_increasing and not s.cat.ordered:
        return s
    return categorical(s.cat.codes.to_numpy(), cats, index=s.index, name=s.name)


def conform(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Give each contract column of ``df`` the pandas dtype of its kind (in a copy)."""
    return _conform(df.copy(), table)


def _conform(out: pd.DataFrame, table: str) -> pd.DataFrame:
    # conform, changing the columns of ``out`` in place
    contract = CONTRACT[table]
    for c in out.columns:
        kind = contract.column(c).kind if contract.has(c) else ("str" if c in _TEXT_ENRICHED else None)
        if kind in ("id", "str", "enum"):
            out[c] = _category(out[c]) if is_category(table, c) else _text(out[c])
        elif kind in ("datetime", "date"):
            s = out[c] if pd.api.types.is_datetime64_dtype(out[c].dtype) else pd.to_datetime(out[c])
            out[c] = s.astype("datetime64[ns]")
        elif kind in ("money", "number"):
            out[c] = pd.to_numeric(out[c]).astype("float64")
        elif kind == "int":
            out[c] = pd.to_numeric(out[c]).astype("Int64")
        elif kind == "bool":
            out[c] = out[c].astype("boolean")
    return out


def arrow_to_pandas(table):
    """A pandas frame of Arrow ``table``: text as :data:`TEXT`, integers as ``Int64``.

    Strings stay in Arrow buffers (no Python object per cell); integer columns keep
    their missing values without going through floats.

    Examples
    --------
    >>> import pyarrow as pa
    >>> df = arrow_to_pandas(pa.table({"id": ["A", None], "n": pa.array([1, None], pa.int64())}))
    >>> [str(t) for t in df.dtypes], df["id"].isna().tolist()
    (['str', 'Int64'], [False, True])
    """
    import pyarrow as pa

    def types(t):
        if t in (pa.string(), pa.large_string(), pa.string_view()):
            return TEXT
        if pa.types.is_integer(t):
            return pd.Int64Dtype()
        return None

    return table.to_pandas(types_mapper=types, split_blocks=True, self_destruct=True)


def table_to_pandas(frame, table: str) -> pd.DataFrame:
    """Table ``table`` of a dataset (a frame of any backend) as pandas, with the dtypes of :func:`conform`.

    A pandas frame is returned as it is; polars frames and DuckDB relations go
    through Arrow (text stays in Arrow buffers), then take the contract's dtypes.

    Examples
    --------
    >>> import polars as pl
    >>> df = table_to_pandas(pl.DataFrame({"lead_id": ["L1", None]}), "leads")
    >>> str(df["lead_id"].dtype), df["lead_id"].isna().tolist()
    ('str', [False, True])
    """
    if isinstance(frame, pd.DataFrame):
        return frame
    # DuckDB relations (fetch_arrow_table before DuckDB 1.4), polars frames
    for name in ("to_arrow_table", "fetch_arrow_table", "to_arrow"):
        if hasattr(frame, name):
            out = arrow_to_pandas(getattr(frame, name)())
            break
    else:  # another engine (PySpark): its own conversion, then the same dtypes
        out = to_pandas(frame)
    return _conform(out, table) if table in CONTRACT else out
