"""The validated tables in the chosen backend: pandas, polars or DuckDB relations.

pandas types follow the contract: identifiers, text and enums are Python ``str``
(object dtype, ``None`` when missing); times are ``datetime64[ns]``, timezone-naive;
money and numbers ``float64``; booleans the nullable ``"boolean"``; ``int`` columns
``"Int64"``. polars tables are converted from those frames. With DuckDB, tables read
from Parquet files or a DuckDB database stay lazy views (nothing is read before a
query); other tables are stored in the loader's in-memory DuckDB database.

Examples
--------
>>> import pandas as pd
>>> df = conform(pd.DataFrame({"lead_id": ["L1", float("nan")],
...                            "created_at": ["2026-01-05", None]}), "leads")
>>> df["lead_id"].tolist(), str(df["created_at"].dtype)
(['L1', None], 'datetime64[ns]')
"""

from __future__ import annotations

import pandas as pd

from kit.contract import CONTRACT, ENRICHED
from kit.io._sqltext import ident
from kit.io.files import LINE

BACKENDS = ("pandas", "polars", "duckdb")
_TEXT_ENRICHED = {c for cols in ENRICHED.values() for c in cols}


def _text(s: pd.Series) -> pd.Series:
    if s.dtype != object:
        s = s.astype(object).where(s.isna(), s.astype(str))
    return s.astype(object).where(s.notna(), None)


def conform(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Give each contract column of ``df`` the pandas dtype of its kind."""
    contract = CONTRACT[table]
    out = df.copy()
    for c in out.columns:
        kind = contract.column(c).kind if contract.has(c) else ("str" if c in _TEXT_ENRICHED else None)
        if kind in ("id", "str", "enum"):
            out[c] = _text(out[c])
        elif kind in ("datetime", "date"):
            out[c] = pd.to_datetime(out[c]).astype("datetime64[ns]")
        elif kind in ("money", "number"):
            out[c] = pd.to_numeric(out[c]).astype("float64")
        elif kind == "int":
            out[c] = pd.to_numeric(out[c]).astype("Int64")
        elif kind == "bool":
            out[c] = out[c].astype("boolean")
    return out


def materialise(con, table: str, backend: str, lazy: bool):
    """The table ``final_<table>`` of ``con`` as a frame of ``backend`` (rows in file order).

    Examples
    --------
    >>> import duckdb
    >>> con = duckdb.connect()
    >>> _ = con.execute("CREATE VIEW final_reps AS SELECT * FROM (VALUES ('R2', 3), ('R1', 2)) t(rep_id, _line)")
    >>> materialise(con, "reps", "pandas", lazy=False)["rep_id"].tolist()
    ['R1', 'R2']
    >>> materialise(con, "reps", "polars", lazy=False).columns
    ['rep_id']
    """
    view = ident("final_" + table)
    if backend == "duckdb":
        if lazy:
            return con.sql(f"SELECT * EXCLUDE ({ident(LINE)}) FROM {view}")
        store = ident("table_" + table)
        con.execute(f"CREATE OR REPLACE TABLE {store} AS SELECT * EXCLUDE ({ident(LINE)}) "
                    f"FROM {view} ORDER BY {ident(LINE)}")
        return con.table("table_" + table)
    df = con.sql(f"SELECT * EXCLUDE ({ident(LINE)}) FROM {view} ORDER BY {ident(LINE)}").df()
    df = conform(df, table)
    if backend == "polars":
        import polars as pl

        return pl.from_pandas(df)
    return df
