"""What the widgets offer, read from a dataset: the months, the values of a column, rep names.

Examples
--------
>>> import pandas as pd, kit
>>> ds = kit.Dataset({"leads": pd.DataFrame({"lead_id": ["L1", "L2"], "source": ["web", "salon"],
...     "created_at": pd.to_datetime(["2026-01-20", "2026-02-02"])})})
>>> [m.strftime("%Y-%m") for m in month_options(ds)], column_values(ds, "source")
(['2026-01', '2026-02'], ['salon', 'web'])
"""

from __future__ import annotations

import narwhals as nw
import pandas as pd

from kit.frames import to_pandas as _collect

#: Tables whose dates give the months of the period filter.
_EVENT_TABLES_SKIP = ("reps", "products", "customers", "targets")


def _columns(frame) -> list[str]:
    return nw.from_native(frame).collect_schema().names()


def month_options(ds) -> list[pd.Timestamp]:
    """First days of every month from the earliest to the latest event of ``ds``.

    Events are the date columns of the contract (``created_at`` of leads,
    ``ordered_at`` of orders...); reps, products, customers and targets are left out.

    Examples
    --------
    >>> import pandas as pd, kit
    >>> ds = kit.Dataset({"leads": pd.DataFrame({"lead_id": ["L1", "L2"],
    ...     "created_at": pd.to_datetime(["2026-01-20", "2026-03-02"])})})
    >>> [m.strftime("%Y-%m") for m in month_options(ds)]
    ['2026-01', '2026-02', '2026-03']
    """
    span = ds.date_span(main_only=True, skip=_EVENT_TABLES_SKIP).dropna(subset=["first"])
    if not len(span):
        return []
    first, last = span["first"].min().to_period("M"), span["last"].max().to_period("M")
    return list(pd.period_range(first, last, freq="M").to_timestamp())


def column_values(ds, column: str) -> list:
    """Sorted distinct non-null values of ``column`` over every table that has it.

    Examples
    --------
    >>> import pandas as pd, kit
    >>> ds = kit.Dataset({"leads": pd.DataFrame({"lead_id": ["L1", "L2", "L3"],
    ...     "created_at": pd.to_datetime(["2026-01-05"] * 3), "source": ["web", None, "salon"]})})
    >>> column_values(ds, "source")
    ['salon', 'web']
    """
    return ds.distinct(column)


def rep_names(ds) -> dict:
    """``{rep_id: name}`` from the ``reps`` table (empty without one or without names).

    Examples
    --------
    >>> import pandas as pd, kit
    >>> ds = kit.Dataset({"reps": pd.DataFrame({"rep_id": ["R1", "R2"], "name": ["Ana", None]})})
    >>> rep_names(ds)
    {'R1': 'Ana'}
    """
    reps = ds.tables.get("reps")
    if reps is None or not {"rep_id", "name"} <= set(_columns(reps)):
        return {}
    df = _collect(nw.from_native(reps).select("rep_id", "name"))
    return {r: n for r, n in zip(df["rep_id"], df["name"]) if n is not None and not pd.isna(n)}


def _rep_choices(ds, ids) -> list[tuple[str, object]]:
    names = rep_names(ds)
    labels = [names.get(r, str(r)) for r in ids]
    dup = {lab for lab in labels if labels.count(lab) > 1}
    return sorted(((f"{lab} ({r})" if lab in dup else lab, r) for lab, r in zip(labels, ids)),
                  key=lambda p: p[0].lower())



__all__ = ["column_values", "month_options", "rep_names"]
