"""Problems found while loading: row-level issues and structural problems.

Row-level problems become rows of ``ds.issues`` (:class:`Issue`); structural
problems (a missing required column, an unknown table, a file that cannot be
parsed) are collected as :class:`Structural` and raised together, in one
:class:`~kit.errors.DataError`, by :func:`raise_structural`.

Examples
--------
>>> frame = issues_frame([Issue("leads", "created_at", "required", "error", 2, [3, 7],
...                             "leads.csv: 2 rows have no created_at.")])
>>> frame[["table", "rule", "severity", "count", "rows"]].to_dict("records")
[{'table': 'leads', 'rule': 'required', 'severity': 'error', 'count': 2, 'rows': [3, 7]}]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from kit.dataset import ISSUE_COLUMNS, empty_issues
from kit.errors import DataError

SEVERITIES = ("error", "warning", "info")

#: How many example line numbers an issue keeps.
EXAMPLES = 5


@dataclass
class Issue:
    """One row of ``ds.issues``.

    ``rows`` holds example line numbers of the file (header is line 1); for a
    table given as a DataFrame or read from SQL, a row's number counts the same
    way (first row is 2).
    """

    table: str
    column: str | None
    rule: str
    severity: str
    count: int
    rows: list = field(default_factory=list)
    message: str = ""


@dataclass
class Structural:
    """A problem that stops the load (raised with all the others at once)."""

    table: str | None
    origin: str | None
    column: str | None
    rule: str
    message: str


def issues_frame(issues: list[Issue]) -> pd.DataFrame:
    """``ds.issues`` from a list of :class:`Issue` (errors first, then warnings, info)."""
    if not issues:
        return empty_issues()
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    ordered = sorted(enumerate(issues), key=lambda p: (rank[p[1].severity], p[0]))
    rows = [{c: getattr(i, c) for c in ISSUE_COLUMNS} for _, i in ordered]
    out = pd.DataFrame(rows, columns=ISSUE_COLUMNS)
    out["count"] = out["count"].astype("int64")
    out["rows"] = [list(r) for r in out["rows"]]
    return out


def raise_structural(problems: list[Structural], source: str) -> None:
    """Raise one :class:`DataError` listing every structural problem (no-op when none).

    Examples
    --------
    >>> raise_structural([Structural("leads", "leads.csv", "created_at", "required_column",
    ...                              "the required column is missing.")], "data/")
    Traceback (most recent call last):
    ...
    kit.errors.DataError: Cannot load data/: 1 structural problem...
    """
    if not problems:
        return
    n = len(problems)
    lines = [f"Cannot load {source}: {n} structural problem{'s' if n > 1 else ''} "
             "(nothing was loaded; fix them and load again):"]
    for k, p in enumerate(problems, 1):
        where = ", ".join(x for x in (
            f"table {p.table!r}" if p.table else "",
            f"file {p.origin!r}" if p.origin else "",
            f"column {p.column!r}" if p.column else "",
            f"rule {p.rule}",
        ) if x)
        lines.append(f"  {k}. [{where}] {p.message}")
    raise DataError("\n".join(lines))


def raise_strict(issues: list[Issue], source: str) -> None:
    """With ``strict=True``: raise one :class:`DataError` listing every error and warning.

    Examples
    --------
    >>> raise_strict([Issue("leads", "rep_id", "orphan", "warning", 1, [3], "R9 is not a rep.")], "x/")
    Traceback (most recent call last):
    ...
    kit.errors.DataError: strict=True: x/ has 1 data problem(s); ...
    """
    bad = [i for i in issues if i.severity in ("error", "warning")]
    if not bad:
        return
    lines = [f"strict=True: {source} has {len(bad)} data problem(s); nothing is returned "
             "in strict mode. Fix them, or load with strict=False to keep the usable rows "
             "and see them in ds.issues:"]
    for k, i in enumerate(bad, 1):
        col = f".{i.column}" if i.column else ""
        lines.append(f"  {k}. {i.severity} [{i.table}{col}, rule {i.rule}, {i.count} row(s), "
                     f"lines {format_lines(i.rows)}] {i.message}")
    raise DataError("\n".join(lines))


def format_lines(rows) -> str:
    """Example line numbers as text.

    Examples
    --------
    >>> format_lines([2, 5]), format_lines([])
    ('2, 5', '-')
    """
    rows = list(rows or [])
    return ", ".join(str(r) for r in rows) if rows else "-"
