"""Date coverage of the tables of a dataset: the first and last date each table holds.

A KPI for a period outside the coverage of a table it needs is unknown, not
zero: there is no revenue before the first order, no "same month last year"
before the data starts. :func:`coverage` reads, from :meth:`kit.Dataset.date_span`,
the first and last value of each table's date column (``leads.created_at``, ``orders.ordered_at``,
``targets.period``...), the last date being the latest of any of its date columns
(an opportunity closed after the last one was created still counts), and :func:`covers` says whether a table covers a period.
:mod:`kit.availability` uses both.

Reference tables (``reps``, ``products``) have no period of their own and are not
listed; nor is a table whose date column is absent.

Examples
--------
>>> import pandas as pd
>>> from kit.dataset import Dataset
>>> ds = Dataset({"orders": pd.DataFrame({"order_id": ["A", "B"], "amount": [1.0, 2.0],
...     "ordered_at": pd.to_datetime(["2026-01-05", "2026-03-20"])})})
>>> cov = coverage(ds)
>>> cov[["table", "column", "first", "last", "rows"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
[{'table': 'orders', 'column': 'ordered_at', 'first': Timestamp('2026-01-05 00:00:00'),
  'last': Timestamp('2026-03-20 00:00:00'), 'rows': 2}]
>>> covers(cov, "orders", "2025-12-01", "2026-01-01"), covers(cov, "orders", "2026-03-01", "2026-04-01")
(False, True)
"""

from __future__ import annotations

import pandas as pd

#: Tables that describe things rather than events in time: no coverage.
REFERENCE_TABLES = ("reps", "products")

COVERAGE_COLUMNS = ["table", "column", "first", "last", "rows"]


def coverage(ds, tables=None) -> pd.DataFrame:
    """One row per dated table of ``ds``: its date column, first and last date, rows.

    ``first`` and ``last`` are missing (``NaT``) when the table has no row with a
    date (an empty table).

    Parameters
    ----------
    ds : Dataset
    tables : iterable of str, optional
        Only these tables (those a KPI reads): the others are not scanned.

    Returns
    -------
    DataFrame
        Columns ``table``, ``column``, ``first``, ``last``, ``rows`` (rows of the
        table, dated or not).

    Examples
    --------
    >>> import pandas as pd
    >>> from kit.dataset import Dataset
    >>> ds = Dataset({"leads": pd.DataFrame({"lead_id": pd.Series([], dtype=str),
    ...     "created_at": pd.Series([], dtype="datetime64[ns]")}),
    ...     "reps": pd.DataFrame({"rep_id": ["R1"]})})
    >>> coverage(ds)[["table", "rows"]].to_dict("records"), bool(coverage(ds)["first"].isna().all())
    ([{'table': 'leads', 'rows': 0}], True)
    >>> len(coverage(ds, tables=["orders"]))
    0
    """
    rows = []
    wanted = None if tables is None else set(tables)
    skip = REFERENCE_TABLES if wanted is None else \
        (*REFERENCE_TABLES, *(t for t in ds.tables if t not in wanted))
    dates = ds.date_span(skip=skip)  # one pass over each table
    for name, cols in dates.groupby("table", sort=False, observed=True):
        main = cols[cols["main"]]
        if not len(main):  # no date column of its own (reps), or it is absent
            continue
        first, last = _ts(main["first"].iloc[0]), _ts(main["last"].iloc[0])
        later = cols.loc[~cols["main"], "last"].dropna()
        if not pd.isna(last) and len(later):  # events recorded later (closings...) extend it
            last = max(last, _ts(later.max()))
        rows.append({"table": name, "column": main["column"].iloc[0], "first": first,
                     "last": last, "rows": int(main["rows"].iloc[0])})
    out = pd.DataFrame(rows, columns=COVERAGE_COLUMNS)
    out["first"] = pd.to_datetime(out["first"])
    out["last"] = pd.to_datetime(out["last"])
    out["rows"] = out["rows"].astype("int64")
    return out


def span(cov: pd.DataFrame, table: str) -> tuple | None:
    """``(first, last)`` of ``table`` in a :func:`coverage` frame; ``None`` when it is not listed.

    Examples
    --------
    >>> cov = pd.DataFrame({"table": ["orders"], "column": ["ordered_at"],
    ...     "first": [pd.Timestamp("2026-01-05")], "last": [pd.Timestamp("2026-03-20")], "rows": [2]})
    >>> span(cov, "orders"), span(cov, "leads")
    ((Timestamp('2026-01-05 00:00:00'), Timestamp('2026-03-20 00:00:00')), None)
    """
    row = cov[cov["table"] == table]
    if not len(row):
        return None
    return row["first"].iloc[0], row["last"].iloc[0]


def covers(cov: pd.DataFrame, table: str, start=None, end=None) -> bool:
    """Whether ``table`` holds data in ``[start, end)``: its first date is before ``end``
    and its last date on or after ``start``.

    A table not listed in ``cov`` (no date column, a reference table) covers every
    period; a listed table without a dated row covers none. A missing bound is open.

    Examples
    --------
    >>> cov = pd.DataFrame({"table": ["costs", "social"], "column": ["period", "published_at"],
    ...     "first": [pd.Timestamp("2026-01-01"), pd.NaT], "last": [pd.Timestamp("2026-06-01"), pd.NaT],
    ...     "rows": [6, 0]})
    >>> covers(cov, "costs", "2026-06-01", "2026-07-01"), covers(cov, "costs", "2026-07-01", "2026-08-01")
    (True, False)
    >>> covers(cov, "social"), covers(cov, "reps", "1990-01-01", "1990-02-01")
    (False, True)
    """
    found = span(cov, table)
    if found is None:
        return True
    first, last = found
    if pd.isna(first) or pd.isna(last):
        return False
    if end is not None and not first < pd.Timestamp(end):
        return False
    if start is not None and not last >= pd.Timestamp(start):
        return False
    return True


def _ts(v):
    if v is None or pd.isna(v):
        return pd.NaT
    return pd.Timestamp(v)
