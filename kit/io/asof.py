"""The end of the data (``as_of``) set at load, and the events that come after it.

By default a dataset ends at the latest timestamp of any of its date columns
(:meth:`kit.dataset.Dataset.latest_timestamp`). When the user gives ``as_of``,
the rows dated after it are kept but are not known at that date: cohort KPIs
ignore them. :func:`with_as_of` sets ``as_of`` and adds one ``ds.issues`` row per
table with such rows (rule ``after_as_of``, severity ``info``), which the
data-quality notebook shows.

Examples
--------
>>> import pandas as pd
>>> from kit.dataset import Dataset
>>> ds = Dataset({"leads": pd.DataFrame({"lead_id": ["L1", "L2", "L3"],
...     "created_at": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-02-03"]),
...     "converted_at": pd.to_datetime([None, "2026-02-10", None])})})
>>> cut = with_as_of(ds, "2026-01-31")
>>> str(cut.as_of), cut.issues[["table", "column", "rule", "severity", "count"]].to_dict("records")
('2026-01-31 00:00:00', [{'table': 'leads', 'column': 'created_at, converted_at', 'rule': 'after_as_of', 'severity': 'info', 'count': 2}])
>>> with_as_of(ds, None).as_of == ds.latest_timestamp()
True
"""

from __future__ import annotations

from dataclasses import replace

import narwhals as nw
import pandas as pd

from kit.dataset import PLANNED_TABLES
from kit.frames import to_pandas
from kit.io.issues import Issue, issues_frame

RULE = "after_as_of"


def after_as_of(ds, as_of) -> list[Issue]:
    """One info :class:`~kit.io.issues.Issue` per table with rows dated after ``as_of``.

    Its ``count`` is the rows with any date column after ``as_of``; its message gives
    the count of each column.

    Tables of planned dates (targets) are left out: they are set ahead on purpose.

    Examples
    --------
    >>> import pandas as pd
    >>> from kit.dataset import Dataset
    >>> ds = Dataset({"orders": pd.DataFrame({"order_id": ["A", "B"],
    ...     "ordered_at": pd.to_datetime(["2026-01-05", "2026-03-01"])})})
    >>> [(i.table, i.column, i.count) for i in after_as_of(ds, "2026-02-01")]
    [('orders', 'ordered_at', 1)]
    """
    if as_of is None:
        return []
    as_of = pd.Timestamp(as_of)
    span = ds.date_span(skip=PLANNED_TABLES)
    late = span[span["last"] > as_of]
    issues = []
    for table, group in late.groupby("table", sort=False, observed=True):
        cols = list(group["column"])
        f = nw.from_native(ds.tables[table])
        lit = nw.lit(as_of.to_pydatetime())
        after = [(nw.col(c) > lit).fill_null(False) for c in cols]
        out = f.select(*[a.cast(nw.Int64).sum().alias(c) for a, c in zip(after, cols)],
                       nw.any_horizontal(*after, ignore_nulls=True).cast(nw.Int64).sum().alias("__rows"))
        out = to_pandas(out)
        n = int(out["__rows"].iloc[0])
        if not n:
            continue
        per_column = ", ".join(f"{c} {int(out[c].iloc[0])}" for c in cols if int(out[c].iloc[0]))
        issues.append(Issue(
            table, ", ".join(c for c in cols if int(out[c].iloc[0])), RULE, "info", n, [],
            f"{n} row(s) of {table} have a date after the end of the data you set (as_of "
            f"{as_of:%Y-%m-%d %H:%M}): {per_column}, up to {group['last'].max():%Y-%m-%d}. They are "
            "kept, but not known at that date: KPIs up to as_of leave them out. Leave as_of empty "
            "to use every row, or check the dates."))
    return issues


def with_as_of(ds, as_of):
    """``ds`` ending at ``as_of`` (default: its latest timestamp), with the rows after it noted.

    Returns a new dataset; ``ds`` is not changed. See the module's example.
    """
    if as_of is None or (isinstance(as_of, str) and not as_of.strip()):
        return replace(ds, as_of=None)
    as_of = pd.Timestamp(as_of)
    notes = after_as_of(ds, as_of)
    if not notes:
        return replace(ds, as_of=as_of)
    issues = issues_frame(notes)
    if len(ds.issues):
        issues = pd.concat([ds.issues, issues], ignore_index=True)
    return replace(ds, as_of=as_of, issues=issues)
