"""The :class:`Dataset`: the tables of the contract plus what the load found.

Examples
--------
>>> import pandas as pd
>>> from kit.dataset import Dataset
>>> ds = Dataset({"leads": pd.DataFrame({"lead_id": ["L1", "L2"],
...     "created_at": pd.to_datetime(["2026-01-05", "2026-02-05"]), "team": ["Nord", "Sud"]})})
>>> ds.leads.shape
(2, 3)
>>> ds.filter(start="2026-02-01").leads["lead_id"].tolist()
['L2']
>>> ds.filter(team="Nord").leads["lead_id"].tolist()
['L1']
>>> ds.filter(team=["Sud", None]).leads["lead_id"].tolist()
['L2']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import narwhals as nw
import pandas as pd

from kit.contract import CONTRACT, TABLE_NAMES
from kit.coverage import coverage
from kit.dates import as_ts
from kit.dtypes import table_to_pandas
from kit.errors import DataError, did_you_mean
from kit.frames import to_pandas

#: Tables whose dates are planned ahead (objectives), not events: left out of the end of the data.
PLANNED_TABLES = ("targets",)

ISSUE_COLUMNS = ["table", "column", "rule", "severity", "count", "rows", "message"]


def empty_issues() -> pd.DataFrame:
    """An empty ``ds.issues`` frame with its columns."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in ISSUE_COLUMNS}).astype({"count": "int64"})


@dataclass
class Dataset:
    """Tables of one dataset, the problems found at load, and its reference date.

    Attributes
    ----------
    tables : dict
        ``{table name: frame}``; frames are pandas, polars or DuckDB relations
        depending on the ``backend`` used at load.
    issues : DataFrame
        One row per problem: table, column, rule, severity (``error``, ``warning``,
        ``info``), count, example rows (file line numbers), message.
    rejected : dict
        ``{table: DataFrame}`` of rows kept aside, with a ``_reason`` and ``_line``.
    as_of : Timestamp
        End of the data: the latest timestamp of any date column (see
        :meth:`latest_timestamp`) unless set at load.
    rows_read : dict
        ``{table: rows read from the source}`` (before any row was set aside); with
        the rows kept and ``rejected`` it accounts for every row read.
    """

    tables: dict
    issues: pd.DataFrame = field(default_factory=empty_issues)
    rejected: dict = field(default_factory=dict)
    as_of: pd.Timestamp | None = None
    backend: str = "pandas"
    currency: str = "EUR"
    timezone: str = "Europe/Paris"
    source: str = ""
    rows_read: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.as_of is None:
            self.as_of = self.latest_timestamp()
        elif self.as_of is not None:
            self.as_of = pd.Timestamp(self.as_of)

    def __getattr__(self, name):
        if name in TABLE_NAMES:
            return self.__dict__["tables"].get(name)
        raise AttributeError(name)

    def __contains__(self, table: str) -> bool:
        return table in self.tables

    def __repr__(self) -> str:
        parts = []
        for t, frame in self.tables.items():
            parts.append(f"{t}={_nrows(frame)}")
        n_err = int((self.issues["severity"] == "error").sum()) if len(self.issues) else 0
        return (f"Dataset({', '.join(parts)}; backend={self.backend!r}, as_of={self.as_of}, "
                f"issues={len(self.issues)} ({n_err} errors))")

    @property
    def names(self) -> list[str]:
        """Names of the tables present."""
        return list(self.tables)

    def date_span(self, *, main_only: bool = False, skip=()) -> pd.DataFrame:
        """First and last value of the date columns of the tables: the one helper for date spans.

        Parameters
        ----------
        main_only : bool
            Only each table's main date column (``created_at`` of leads,
            ``ordered_at`` of orders...); by default every date column of the
            contract that is loaded (``converted_at``, ``closed_at``, ``responded_at``...).
        skip : iterable of str
            Tables left out.

        Returns
        -------
        DataFrame
            One row per (table, date column) present: ``table``, ``column``, ``main``
            (whether it is the table's main date column), ``first``, ``last``
            (``NaT`` when the column has no value), ``rows`` (rows of the table,
            dated or not).

        Examples
        --------
        >>> ds = Dataset({"leads": pd.DataFrame({"lead_id": ["L1", "L2"],
        ...     "created_at": pd.to_datetime(["2026-01-05", "2026-02-05"]),
        ...     "converted_at": pd.to_datetime([None, "2026-03-09"])})})
        >>> span = ds.date_span()
        >>> span[["table", "column", "main"]].to_dict("records")
        [{'table': 'leads', 'column': 'created_at', 'main': True}, {'table': 'leads', 'column': 'converted_at', 'main': False}]
        >>> str(span["last"].max().date()), len(ds.date_span(main_only=True))
        ('2026-03-09', 1)
        """
        rows = []
        for name in self.tables:
            spec = CONTRACT.get(name)
            if spec is None or name in skip:
                continue
            present = set(_schema_names(self.tables, name))
            cols = [c.name for c in spec.columns if c.kind in ("datetime", "date") and c.name in present
                    and (not main_only or c.name == spec.date_column)]
            if not cols:
                continue
            f = nw.from_native(self.tables[name])
            out = f.select(*[e for c in cols for e in (nw.col(c).min().alias(f"{c}__lo"),
                                                       nw.col(c).max().alias(f"{c}__hi"))],
                           nw.len().alias("__rows"))
            out = to_pandas(out)
            n = int(out["__rows"].iloc[0]) if len(out) else 0
            for c in cols:
                lo = out[f"{c}__lo"].iloc[0] if len(out) else None
                hi = out[f"{c}__hi"].iloc[0] if len(out) else None
                rows.append({"table": name, "column": c, "main": c == spec.date_column,
                             "first": pd.Timestamp(lo) if lo is not None and not pd.isna(lo) else pd.NaT,
                             "last": pd.Timestamp(hi) if hi is not None and not pd.isna(hi) else pd.NaT,
                             "rows": n})
        out = pd.DataFrame(rows, columns=["table", "column", "main", "first", "last", "rows"])
        out["main"] = out["main"].astype(bool)
        out["rows"] = out["rows"].astype("int64")
        out["first"] = pd.to_datetime(out["first"])
        out["last"] = pd.to_datetime(out["last"])
        return out

    def distinct(self, column: str) -> list:
        """Sorted distinct values of ``column`` over every table that has it, missing values left out.

        Values are sorted by their text, so that numbers and strings mixed across
        tables still sort; a column no table has gives an empty list.

        Examples
        --------
        >>> ds = Dataset({"reps": pd.DataFrame({"rep_id": ["R1", "R2", "R3"], "team": ["Sud", "Nord", None]}),
        ...               "orders": pd.DataFrame({"order_id": ["A"], "team": ["Est"]})})
        >>> ds.distinct("team"), ds.distinct("region")
        (['Est', 'Nord', 'Sud'], [])
        """
        values = set()
        for name in self.tables:
            if column in _schema_names(self.tables, name):
                found = to_pandas(nw.from_native(self.tables[name]).select(nw.col(column)).unique())
                values |= {v for v in found[column].tolist() if v is not None and not pd.isna(v)}
        return sorted(values, key=str)

    def latest_timestamp(self):
        """Latest value of any date column of the dataset (``None`` when there is none).

        Every date column counts (``converted_at``, ``closed_at``, ``responded_at``...),
        not only each table's main date. Tables of planned dates (:data:`PLANNED_TABLES`:
        targets, set ahead) count only when no other table has a date.

        Examples
        --------
        >>> ds = Dataset({"opportunities": pd.DataFrame({"opportunity_id": ["O1"],
        ...     "created_at": pd.to_datetime(["2026-01-05"]), "closed_at": pd.to_datetime(["2026-02-20"])}),
        ...     "targets": pd.DataFrame({"period": pd.to_datetime(["2026-12-01"])})})
        >>> str(ds.latest_timestamp())
        '2026-02-20 00:00:00'
        """
        span = self.date_span()
        events = span[~span["table"].isin(PLANNED_TABLES)]
        last = events["last"].max() if events["last"].notna().any() else span["last"].max()
        return None if pd.isna(last) else pd.Timestamp(last)

    def filter(self, start=None, end=None, **equals) -> "Dataset":
        """A new dataset restricted to ``[start, end)`` and to column values.

        The period applies to each table's date column (``created_at`` for leads,
        ``ordered_at`` for orders, ...); tables without one (reps) are kept whole.
        ``equals`` applies to every table that has the column (``team="Nord"``);
        a list of values keeps any of them, and ``None`` selects the empty group
        (``source=None`` keeps leads without a source).

        Tables are filtered when first read, then kept: a KPI that reads two
        tables of thirteen pays for two (what makes a widget redraw fast).

        Raises
        ------
        DataError
            When a column of ``equals`` is in no table.
        """
        s, e = as_ts(start), as_ts(end)
        known = set()
        for name in self.tables:
            known |= set(_schema_names(self.tables, name))
        for col in equals:
            if col not in known:
                raise DataError(
                    f"filter({col}=...): no table has a column {col!r}{did_you_mean(col, known)}. "
                    f"Columns available: {sorted(known)}."
                )
        out = FilteredTables(self.tables, s, e, equals)
        as_of = self.as_of
        if e is not None and as_of is not None and pd.Timestamp(e) <= as_of:
            as_of = pd.Timestamp(e) - pd.Timedelta(microseconds=1)
        return replace(self, tables=out, as_of=as_of)

    def to_polars(self) -> "Dataset":
        """The same dataset with every table as a polars DataFrame (in memory).

        Polars computes most KPIs several times faster than pandas, which matters
        for interactive filters; results are identical.

        Examples
        --------
        >>> import pandas as pd
        >>> ds = Dataset({"leads": pd.DataFrame({"lead_id": ["L1"],
        ...     "created_at": pd.to_datetime(["2026-01-05"])})})
        >>> type(ds.to_polars().leads).__module__.split(".")[0], ds.to_polars().backend
        ('polars', 'polars')
        """
        import polars as pl

        def convert(frame):
            if isinstance(frame, pl.DataFrame):
                return frame
            # the pandas backend's categories are text, as in the polars backend's tables
            return pl.from_pandas(to_pandas(frame)).with_columns(pl.col(pl.Categorical).cast(pl.String))

        out = {name: convert(frame) for name, frame in self.tables.items()}
        return replace(self, tables=out, backend="polars")

    def to_pandas(self) -> "Dataset":
        """The same dataset with every table as a pandas DataFrame, with the dtypes of the
        pandas backend (Arrow-backed text, see :mod:`kit.dtypes`) whatever the backend.

        Examples
        --------
        >>> import polars as pl
        >>> ds = Dataset({"leads": pl.DataFrame({"lead_id": ["L1"], "created_at": [None]},
        ...                                     schema={"lead_id": pl.String, "created_at": pl.Datetime})})
        >>> [str(t) for t in ds.to_pandas().leads.dtypes], ds.to_pandas().backend
        (['str', 'datetime64[ns]'], 'pandas')
        """
        out = {name: table_to_pandas(frame, name) for name, frame in self.tables.items()}
        return replace(self, tables=out, backend="pandas")

    def coverage(self) -> pd.DataFrame:
        """First and last date of each dated table: see :func:`kit.coverage.coverage`.

        Examples
        --------
        >>> import pandas as pd
        >>> ds = Dataset({"leads": pd.DataFrame({"lead_id": ["L1", "L2"],
        ...     "created_at": pd.to_datetime(["2026-01-05", "2026-02-05"])})})
        >>> ds.coverage()[["table", "first", "last"]].astype(str).values.tolist()
        [['leads', '2026-01-05', '2026-02-05']]
        """
        return coverage(self)


def _filter_table(name: str, frame, start, end, equals: dict):
    """One table restricted to ``[start, end)`` on its date column and to ``equals``."""
    f = nw.from_native(frame)
    cols = f.collect_schema().names()
    date_col = CONTRACT[name].date_column if name in CONTRACT else None
    if date_col in cols and name not in ("products", "customers"):
        if start is not None:
            f = f.filter(nw.col(date_col) >= nw.lit(start))
        if end is not None:
            f = f.filter(nw.col(date_col) < nw.lit(end))
    for col, value in equals.items():
        if col in cols:
            values = list(value) if isinstance(value, (list, tuple, set)) else [value]
            present = [v for v in values if v is not None]
            cond = nw.col(col).is_in(present)
            if len(present) < len(values):  # None selects the empty group
                cond = cond | nw.col(col).is_null()
            f = f.filter(cond)
    return nw.to_native(f)


class FilteredTables(Mapping):
    """``{table: frame}`` filtered table by table when a table is first read.

    What :meth:`Dataset.filter` returns as ``tables``: the same keys as the
    source, each frame filtered on first access and then cached.

    Examples
    --------
    >>> import pandas as pd
    >>> src = {"leads": pd.DataFrame({"lead_id": ["L1", "L2"], "team": ["Nord", "Sud"]})}
    >>> tables = FilteredTables(src, None, None, {"team": "Sud"})
    >>> tables.filtered
    []
    >>> tables["leads"]["lead_id"].tolist(), tables.filtered
    (['L2'], ['leads'])
    """

    def __init__(self, source, start, end, equals: dict):
        self._source, self._args, self._done = source, (start, end, dict(equals)), {}

    def __getitem__(self, name):
        if name not in self._done:
            self._done[name] = _filter_table(name, self._source[name], *self._args)
        return self._done[name]

    def __iter__(self):
        return iter(self._source)

    def __len__(self) -> int:
        return len(self._source)

    @property
    def filtered(self) -> list[str]:
        """Names of the tables filtered so far."""
        return list(self._done)


def _schema_names(tables, name: str) -> list[str]:
    """Columns of ``tables[name]``, without filtering a :class:`FilteredTables` table."""
    while isinstance(tables, FilteredTables) and name not in tables._done:
        tables = tables._source
    return nw.from_native(tables[name]).collect_schema().names()


def _nrows(frame) -> int:
    f = nw.from_native(frame)
    if isinstance(f, nw.LazyFrame):
        n = f.select(nw.len()).collect().item()
        return int(n)
    return len(f)
