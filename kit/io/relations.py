"""Cross-table checks of the loaded tables: orphan references, events out of order, future dates.

They run on the ``kept_<table>`` views that :func:`kit.io.validate.stage_table`
leaves in the loader's DuckDB connection, one query per table (each reference a
join on the distinct kept keys of the other table), and flag rows without
removing them: every problem is an :class:`~kit.io.issues.Issue` of severity
warning.

Examples
--------
>>> ORDER_RULES["products"]
[('retired_at', 'launched_at')]
"""

from __future__ import annotations

import pandas as pd

from kit.contract import CONTRACT
from kit.io._sqltext import ident, literal
from kit.io.files import LINE
from kit.io.issues import EXAMPLES, Issue

#: Events that cannot come before another event of the same row: (later, earlier).
ORDER_RULES = {
    "leads": [("engaged_at", "created_at"), ("qualified_at", "created_at"),
              ("converted_at", "created_at"), ("lost_at", "created_at")],
    "opportunities": [("qualified_at", "created_at"), ("proposal_at", "created_at"),
                      ("closed_at", "created_at")],
    "products": [("retired_at", "launched_at")],
}

#: Tables whose date column may lie in the future (objectives are set ahead).
FUTURE_ALLOWED = ("targets",)



def rows_text(n: int) -> str:
    """``n`` rows in words, for messages.

    Examples
    --------
    >>> rows_text(1), rows_text(3)
    ('1 row', '3 rows')
    """
    return f"{n} row{'s' if n != 1 else ''}"


def check_relations(con, stages: dict, now=None) -> list:
    """Cross-table and soft checks on the ``kept_`` views: orphans, order, future dates.

    Rows are kept; each problem is an :class:`Issue` (severity warning).

    Examples
    --------
    >>> import duckdb, pandas as pd
    >>> from kit.io.raw import RawTable, with_lines
    >>> from kit.io.validate import stage_table
    >>> con = duckdb.connect()
    >>> frames = {"reps": pd.DataFrame({"rep_id": ["R1"]}),
    ...           "leads": pd.DataFrame({"lead_id": ["L1", "L2"], "created_at": ["2026-01-05"] * 2,
    ...                                  "rep_id": ["R1", "R9"]})}
    >>> stages = {t: stage_table(con, RawTable(t, f"{t}.csv", frame=with_lines(f)), None)
    ...           for t, f in frames.items()}
    >>> [(i.table, i.column, i.rule, i.rows) for i in check_relations(con, stages)]
    [('leads', 'rep_id', 'orphan', [3])]
    """
    issues = []
    for t, st in stages.items():
        checks = _relation_checks(t, st, stages, now)
        if not checks:
            continue
        # one query per table: every check a filtered count, each reference a LEFT
        # JOIN on the distinct kept keys of its table; a second one for the example
        # lines of the checks that found rows
        joins = " ".join(join for *_, join in checks if join)
        source = f"FROM {ident('kept_' + t)} k {joins}"
        found = con.sql("SELECT " + ", ".join(f"count(*) FILTER (WHERE {cond})" for _, _, cond, _, _ in checks)
                        + f" {source}").fetchall()[0]
        failed = [check for check, n in zip(checks, found) if n]
        if not failed:
            continue
        aggs = []
        for _, _, cond, extra, _ in failed:
            aggs += [f"count(*) FILTER (WHERE {cond})",
                     f"list(k.{ident(LINE)} ORDER BY k.{ident(LINE)}) FILTER (WHERE {cond})[1:{EXAMPLES}]",
                     extra]
        row = con.sql(f"SELECT {', '.join(aggs)} {source}").fetchall()[0]
        for k, (kind, what, _, _, _) in enumerate(failed):
            n, lines, extra = row[3 * k], row[3 * k + 1], row[3 * k + 2]
            issues.append(_relation_issue(t, st, kind, what, int(n), list(lines), extra, now))
    return issues


def _relation_checks(t, st, stages, now) -> list:
    """``(kind, what, condition, extra aggregate, join)`` of each cross-table check of ``t``."""
    contract = CONTRACT[t]
    checks = []
    for c in st.columns:
        if not contract.has(c) or not contract.column(c).references:
            continue
        target, key = contract.column(c).references.split(".")
        if target not in stages:
            continue
        alias = f"r{len(checks)}"
        cond = f"k.{ident(c)} IS NOT NULL AND {alias}._k IS NULL"
        checks.append(("orphan", (c, target, key), cond,
                       f"list(DISTINCT k.{ident(c)}) FILTER (WHERE {cond})[1:3]",
                       f"LEFT JOIN (SELECT DISTINCT {ident(key)} AS _k FROM {ident('kept_' + target)}) "
                       f"{alias} ON {alias}._k = k.{ident(c)}"))
    for later, earlier in ORDER_RULES.get(t, []):
        if later in st.columns and earlier in st.columns:
            checks.append(("order", (later, earlier), f"k.{ident(later)} < k.{ident(earlier)}",
                           "NULL", None))
    date_col = contract.date_column
    if now is not None and date_col in st.columns and t not in FUTURE_ALLOWED:
        cond = f"k.{ident(date_col)} > TIMESTAMP {literal(str(now))}"
        checks.append(("future", date_col, cond,
                       f"max(k.{ident(date_col)}) FILTER (WHERE {cond})", None))
    return checks


def _relation_issue(t, st, kind, what, n, lines, extra, now) -> Issue:
    if kind == "orphan":
        c, target, key = what
        return Issue(t, c, "orphan", "warning", n, lines,
                     f"{st.origin}: {rows_text(n)} with a {c} that is not a {key} of {target}, e.g. "
                     f"{', '.join(repr(e) for e in extra)}; the rows are kept. Add the missing "
                     f"{target} rows, or correct the {c} values.")
    if kind == "order":
        later, earlier = what
        counted = (" They count as converted (lead conversion rate, funnel); only the "
                   "time to convert leaves them out." if later == "converted_at" else
                   f" Durations from {earlier} to {later} would be negative for them.")
        return Issue(t, later, "order", "warning", n, lines,
                     f"{st.origin}: {rows_text(n)} with {later} before {earlier}; the rows are "
                     f"kept.{counted} Check the dates in the source.")
    return Issue(t, what, "future", "warning", n, lines,
                 f"{st.origin}: {rows_text(n)} with {what} after the time of loading "
                 f"({pd.Timestamp(now):%Y-%m-%d %H:%M}), up to {pd.Timestamp(extra):%Y-%m-%d}; "
                 "the rows are kept. Check the dates or the time zone of the export.")
