"""Writing the tables: CSV with fixed formats, or Parquet.

CSV files are UTF-8, comma-separated, with ``YYYY-MM-DD HH:MM:SS`` times,
``YYYY-MM-DD`` dates, ``.`` decimals with two digits for money, ``true`` /
``false`` booleans and empty cells for missing values. Parquet files are
compressed with zstd and carry the
pandas metadata, so ``pandas.read_parquet`` gives back the frames of
:func:`kit.sample.generate` whether they were written from pandas or Arrow.

Examples
--------
>>> import tempfile
>>> from kit.sample.reference import Reps
>>> from kit.sample.timeline import window
>>> with tempfile.TemporaryDirectory() as d:
...     path = write_arrow({"reps": Reps(window("2026-10")).table()}, d, "parquet")[0]
...     pd.read_parquet(path)["hired_at"].dtype
dtype('<M8[ns]')
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from kit.contract import CONTRACT, TABLE_NAMES
from kit.errors import ParameterError, check_choice
from kit.sample.columns import to_pandas

FORMATS = ("csv", "parquet")


def write(tables: dict, out, format: str = "csv") -> list[Path]:
    """Write tables to ``out/<table>.csv`` (or ``.parquet``) and return the paths.

    CSV files are UTF-8, comma-separated, with ``YYYY-MM-DD HH:MM:SS`` times,
    ``YYYY-MM-DD`` dates, ``.`` decimals with two digits for money, ``true`` /
    ``false`` booleans and empty cells for missing values. Parquet files are
    written with pyarrow (zstd compression). The folder is created when needed;
    other files in it are left alone.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        Usually the result of :func:`kit.sample.generate`; keys must be contract tables.
    out : str or Path
        Destination folder.
    format : {"csv", "parquet"}
        File format.

    Returns
    -------
    list of Path
        The files written, in the order of ``tables``.

    Raises
    ------
    ParameterError
        On an unknown format or table name.

    Examples
    --------
    >>> import tempfile
    >>> tables = {"reps": pd.DataFrame({"rep_id": ["R1"], "name": ["Ana"], "team": ["Nord"],
    ...     "manager": [None], "region": [None], "hired_at": pd.to_datetime(["2024-01-02"])})}
    >>> with tempfile.TemporaryDirectory() as d:
    ...     paths = write(tables, d)
    ...     print(paths[0].read_text(encoding="utf-8"), end="")
    rep_id,name,team,manager,region,hired_at
    R1,Ana,Nord,,,2024-01-02 00:00:00
    """
    out = _prepare(tables, out, format)
    paths = []
    for name, df in tables.items():
        path = out / f"{name}.{format}"
        if format == "csv":
            _csv_frame(name, df).to_csv(path, index=False, encoding="utf-8", lineterminator="\n",
                                        float_format="%.2f")
        else:
            _write_parquet(name, pa.Table.from_pandas(df, preserve_index=False), path)
        paths.append(path)
    return paths


def write_arrow(tables: dict, out, format: str = "parquet") -> list[Path]:
    """:func:`write` for the Arrow tables of :func:`kit.sample.build.build_arrow`.

    Parquet is written straight from Arrow (the quick path for large samples);
    CSV goes through pandas so that the files are the same as :func:`write`'s.
    """
    out = _prepare(tables, out, format)
    if format == "csv":
        return write({name: to_pandas(name, t) for name, t in tables.items()}, out)
    paths = []
    for name, table in tables.items():
        path = out / f"{name}.parquet"
        _write_parquet(name, table.replace_schema_metadata(_pandas_metadata(name, table)), path)
        paths.append(path)
    return paths


def _prepare(tables, out, format) -> Path:
    check_choice("format", format, FORMATS, what_next="Use format='csv' or format='parquet'.")
    unknown = [t for t in tables if t not in CONTRACT]
    if unknown:
        raise ParameterError(
            f"write() received unknown table(s) {unknown}; allowed tables: {list(TABLE_NAMES)}. "
            "Pass the dict returned by kit.sample.generate()."
        )
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    return out


def _write_parquet(name: str, table: pa.Table, path: Path) -> None:
    """Parquet with zstd compression; unique identifiers are not dictionary-encoded
    (a dictionary as long as the column only costs time)."""
    spec = CONTRACT[name]
    unique = set(spec.key) if len(spec.key) == 1 and spec.unique_key else set()
    pq.write_table(table, path, compression="zstd",
                   use_dictionary=[c for c in table.column_names if c not in unique])


def _pandas_metadata(name: str, table: pa.Table) -> dict:
    """The schema metadata pandas would write for the frame of ``table`` (dtypes, no index)."""
    head = to_pandas(name, table.slice(0, 1))
    return pa.Schema.from_pandas(head, preserve_index=False).metadata


def _csv_frame(name: str, df: pd.DataFrame) -> pd.DataFrame:
    spec = CONTRACT[name]
    out = df.copy()
    for c in spec.columns:
        if c.name not in out:
            continue
        s = out[c.name]
        if c.kind in ("datetime", "date"):
            text = np.datetime_as_string(s.to_numpy().astype("datetime64[s]"),
                                         unit="s" if c.kind == "datetime" else "D")
            text = np.char.replace(text, "T", " ").astype(object)
            text[s.isna().to_numpy()] = None
            out[c.name] = text
        elif c.kind == "bool":
            out[c.name] = s.map({True: "true", False: "false"}).astype(object).where(s.notna(), None)
    return out
