"""The data-quality report of a loaded dataset (printed by ``kit check``).

Examples
--------
>>> import pandas as pd, kit
>>> ds = kit.load_dataset({"leads": pd.DataFrame({"lead_id": ["L1", "L2", ""],
...     "created_at": ["2026-01-05", "2026-02-05", "2026-02-06"]})})
>>> table_summary(ds)[["table", "read", "kept", "rejected"]].to_dict("records")
[{'table': 'leads', 'read': 3, 'kept': 2, 'rejected': 1}]
>>> print(quality_report(ds))  # doctest: +ELLIPSIS
Data-quality report: dict of tables (leads)
...
ERROR    leads.lead_id  rule required: 1 row (lines 4)
...
"""

from __future__ import annotations

import textwrap

import narwhals as nw
import pandas as pd

from kit.contract import CONTRACT
from kit.frames import to_pandas
from kit.io.issues import format_lines
from kit.orders import return_counts

WIDTH = 100
#: Tables whose dates (acquisition, launch) may precede the period of the data.
REFERENCE_TABLES = ("customers", "products", "reps")


def _frame_stats(frame, date_col):
    f = nw.from_native(frame)
    has_date = date_col is not None and date_col in f.collect_schema().names()
    aggs = [nw.len().alias("n")]
    if has_date:
        aggs += [nw.col(date_col).min().alias("start"), nw.col(date_col).max().alias("end")]
    out = f.select(*aggs)
    out = to_pandas(out)
    n = int(out["n"].iloc[0])
    start = pd.Timestamp(out["start"].iloc[0]) if has_date and pd.notna(out["start"].iloc[0]) else None
    end = pd.Timestamp(out["end"].iloc[0]) if has_date and pd.notna(out["end"].iloc[0]) else None
    return n, start, end


def table_summary(ds) -> pd.DataFrame:
    """One row per table: rows read, kept, rejected, and the period of its date column."""
    read = getattr(ds, "rows_read", None) or {}
    rows = []
    for t, frame in ds.tables.items():
        date_col = CONTRACT[t].date_column if t in CONTRACT else None
        n, start, end = _frame_stats(frame, date_col)
        rej = ds.rejected.get(t)
        rows.append({"table": t, "read": read.get(t), "kept": n,
                     "rejected": 0 if rej is None else len(rej),
                     "date column": date_col or "", "from": start, "to": end})
    out = pd.DataFrame(rows, columns=["table", "read", "kept", "rejected", "date column", "from", "to"])
    out["read"] = out["read"].astype("Int64")
    return out


def problems(ds) -> pd.DataFrame:
    """The problems found at load (``ds.issues``), with a fresh index.

    Examples
    --------
    >>> import pandas as pd, kit
    >>> ds = kit.load_dataset({"reps": pd.DataFrame({"rep_id": ["R1", "R1"]})})
    >>> problems(ds)[["table", "rule", "severity"]].to_dict("records")
    [{'table': 'reps', 'rule': 'duplicate', 'severity': 'error'}]
    >>> has_errors(ds)
    True
    """
    return ds.issues.reset_index(drop=True)


def _day(ts) -> str:
    return "" if ts is None or pd.isna(ts) else f"{pd.Timestamp(ts):%Y-%m-%d}"


def quality_report(ds) -> str:
    """Plain-text report: tables, rows read/kept/rejected, period covered, problems."""
    lines = [f"Data-quality report: {ds.source}",
             f"backend {ds.backend}, currency {ds.currency}, time zone {ds.timezone}, "
             f"as_of {'-' if ds.as_of is None else f'{ds.as_of:%Y-%m-%d %H:%M}'}", ""]
    summary = table_summary(ds)
    shown = summary.assign(
        read=[("derived" if pd.isna(v) else str(int(v))) for v in summary["read"]],
        **{"from": summary["from"].map(_day), "to": summary["to"].map(_day)})
    lines += shown.to_string(index=False).splitlines()
    events = summary[~summary["table"].isin(REFERENCE_TABLES)]
    starts = [s for s in events["from"] if s is not None and pd.notna(s)]
    ends = [e for e in events["to"] if e is not None and pd.notna(e)]
    if starts:
        lines += ["", f"Period covered: {_day(min(starts))} to {_day(max(ends))}"]
    returns = returns_line(ds)
    if returns:
        lines += ["", returns]
    probs = problems(ds)
    counts = probs["severity"].value_counts() if len(probs) else pd.Series(dtype=int)
    n_err, n_warn, n_info = (int(counts.get(s, 0)) for s in ("error", "warning", "info"))
    lines += ["", f"Problems: {n_err} error(s), {n_warn} warning(s), {n_info} note(s)"]
    for _, p in probs.iterrows():
        where = p["table"] + (f".{p['column']}" if p["column"] else "")
        n = int(p["count"])
        head = f"{p['severity'].upper():8s} {where}  rule {p['rule']}: {n} row{'s' if n != 1 else ''}"
        if len(p["rows"]):
            head += f" (lines {format_lines(p['rows'])})"
        lines.append(head)
        lines += textwrap.wrap(p["message"], WIDTH, initial_indent=" " * 9,
                               subsequent_indent=" " * 9)
    lines += ["", "Result: " + (f"{n_err} error(s): rows were set aside, see ds.rejected."
                                if n_err else "no error.")]
    return "\n".join(lines)


def returns_line(ds) -> str:
    """The line of the report counting return lines and return orders (empty without orders).

    Returns are defined in ``docs/data-contract.md`` (table ``orders``) and split by
    :func:`kit.orders.split_orders`.

    Examples
    --------
    >>> import pandas as pd, kit
    >>> ds = kit.load_dataset({"orders": pd.DataFrame({"order_id": ["A", "A", "R"],
    ...     "ordered_at": ["2026-01-05"] * 3, "customer_id": ["C1"] * 3,
    ...     "amount": [100.0, 50.0, -50.0]})})
    >>> returns_line(ds)
    'Returns: 1 return line of 3 order lines; 1 return order (credit note) of 2 orders; returned amount 50.00 EUR.'
    """
    frame = ds.tables.get("orders")
    if frame is None:
        return ""
    c = return_counts(frame)

    def n(k, word):
        return f"{c[k]} {word}{'' if c[k] == 1 else 's'}"

    return (f"Returns: {n('return_lines', 'return line')} of {n('lines', 'order line')}; "
            f"{n('return_orders', 'return order')} (credit note{'' if c['return_orders'] == 1 else 's'}) "
            f"of {n('orders', 'order')}; returned amount {c['returned_amount']:,.2f} {ds.currency}.")


def has_errors(ds) -> bool:
    """Whether ``ds.issues`` has an error-severity problem (example in :func:`problems`)."""
    return bool(len(ds.issues)) and bool((ds.issues["severity"] == "error").any())
