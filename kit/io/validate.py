"""The rules of the data contract, checked in DuckDB, every problem collected at once.

For each table, :func:`stage_table` makes a few set-based passes in DuckDB::

    raw_<t>      view: the table as read (text for CSV/Excel, typed for Parquet/SQL), with _line
    src_<t>      view: columns renamed (mapping, snake case), value maps applied
    (decide)     one aggregate over the cleaned text: day-first dates, decimal
                 commas and the shapes of the date cells (kit.io.parse)
    checked_<t>  one pass over the source: each cell trimmed, read as its kind,
                 every row rule computed at once and the row tagged with _r0, its
                 reasons (NULL when usable); a temporary table, computed once,
                 unless the source is lazy (then a view)
    dups_<t>     the rows whose key an earlier usable row has (grouped on the
                 keys of the usable rows; usually empty)
    kept_<t>     view: the usable rows, out-of-range optional values set to missing

and one aggregate query counts each rule's failures with example line numbers.
Cross-table checks (:func:`kit.io.relations.check_relations`: orphan references,
events out of order, future dates) run on the ``kept_`` views, one query per table
(references as joins on the kept keys of the other table), and flag rows without
removing them.

Rules, severities and what happens to the row:

====================  ========  ===============================================
rule                  severity  row
====================  ========  ===============================================
required              error     rejected (a required value is empty)
unparseable           error     rejected when the column is required
unparseable           warning   kept, value set to missing, when it is optional
enum                  error     rejected (value outside the allowed set)
range                 error     rejected when the column is required
range                 warning   kept, value set to missing, when it is optional
duplicate             error     rejected; the first row with the key is kept
orphan                warning   kept (reference to a row that is not there)
order                 warning   kept (e.g. converted_at before created_at)
future                warning   kept (date after the time of loading)
unknown_column        info      column not in the contract, kept as it is
====================  ========  ===============================================

Examples
--------
>>> import duckdb, pandas as pd
>>> from kit.io.raw import RawTable, with_lines
>>> con = duckdb.connect()
>>> raw = RawTable("leads", "leads.csv", frame=with_lines(pd.DataFrame(
...     {"lead_id": ["L1", "L1", ""], "created_at": ["2026-01-05", "2026-01-06", "2026-01-07"]})))
>>> st = stage_table(con, raw, None)
>>> st.kept_rows, len(st.rejected), st.rows_read
(1, 2, 3)
>>> sorted((i.rule, i.count, i.rows) for i in st.issues if i.severity == "error")
[('duplicate', 1, [3]), ('required', 1, [4])]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from kit.contract import CONTRACT, SIGNED_BY_AMOUNT, Table
from kit.errors import did_you_mean
from kit.io._sqltext import ident, literal
from kit.io.files import LINE
from kit.io.issues import EXAMPLES, Issue, Structural
from kit.io.mapping import rename_plan, value_maps
from kit.io.parse import chain_levels, decide, family, null_tokens, one_of, parse_column, prepare
from kit.io.relations import rows_text

FALLIBLE = ("datetime", "date", "money", "number", "int", "bool")

@dataclass
class TableStage:
    """What :func:`stage_table` found for one table."""

    table: str
    origin: str
    columns: list = field(default_factory=list)
    rows_read: int = 0
    kept_rows: int = 0
    rejected: pd.DataFrame | None = None
    issues: list = field(default_factory=list)
    structural: list = field(default_factory=list)
    lazy: bool = False
    store: bool = True
    source_columns: list = field(default_factory=list)  # of src_<table>, _line included


def _view(con, name: str, sql: str, *, store: bool = False) -> None:
    # store=True computes the rows once (tables read into memory anyway); views
    # keep Parquet and DuckDB sources lazy
    what = "TABLE" if store else "VIEW"
    con.execute(f"CREATE OR REPLACE TEMP {what} {ident(name)} AS {sql}")


def _columns(con, name: str) -> tuple[list, list]:
    rel = con.sql(f"SELECT * FROM {ident(name)} LIMIT 0")
    return list(rel.columns), [str(t) for t in rel.types]


def register_raw(con, raw) -> None:
    """Make ``raw_<table>`` a DuckDB view of the raw table (frame or lazy SQL).

    Examples
    --------
    >>> import duckdb, pandas as pd
    >>> from kit.io.raw import RawTable, with_lines
    >>> con = duckdb.connect()
    >>> register_raw(con, RawTable("reps", "reps.csv", frame=with_lines(pd.DataFrame({"rep_id": ["R1"]}))))
    >>> con.sql("SELECT * FROM raw_reps").fetchall()
    [('R1', 2)]
    """
    name = f"raw_{raw.table}"
    if raw.lazy:
        _view(con, name, f"SELECT * FROM {raw.sql}")
    else:
        con.register(f"frame_{raw.table}", raw.frame)
        _view(con, name, f"SELECT * FROM {ident('frame_' + raw.table)}")


def stage_table(con, raw, spec: dict | None, *, locale="auto", timezone="Europe/Paris",
                currency="EUR", store: bool | None = None) -> TableStage:
    """Rename, type and check one raw table; leave ``kept_<table>`` in ``con``.

    ``spec`` is the table's entry of the mapping (or ``None``). Structural
    problems (a required column missing) are returned in ``.structural`` and no
    view beyond ``src_<table>`` is built. ``store``: compute the checked rows
    once into a temporary table (default: unless the source is lazy, a Parquet
    file or a database table kept out of memory); the cross-table checks and
    the output then read that table instead of parsing the source again.
    """
    t = raw.table
    contract = CONTRACT[t]
    st = TableStage(t, raw.origin, lazy=raw.lazy,
                    store=(not raw.lazy) if store is None else bool(store))
    register_raw(con, raw)
    raw_cols, raw_types = _columns(con, f"raw_{t}")
    raw_cols_nl = [c for c in raw_cols if c != LINE]
    plan = rename_plan(t, raw_cols_nl, spec)
    for p in plan.problems:
        st.structural.append(Structural(t, raw.origin, None, "column_names", p + "."))
    vmaps = value_maps(spec, plan)
    select = []
    for c in raw_cols_nl:
        new = plan.new_name(c)
        expr = ident(c)
        if new in vmaps:
            text = f"trim(CAST({expr} AS VARCHAR))"
            cases = " ".join(f"WHEN {literal(k)} THEN {literal(v)}" for k, v in vmaps[new].items())
            expr = f"CASE {text} {cases} ELSE CAST({expr} AS VARCHAR) END"
        select.append(f"{expr} AS {ident(new)}")
    select.append(ident(LINE))
    _view(con, f"src_{t}", "SELECT " + ", ".join(select) + f" FROM {ident('raw_' + t)}")
    src_cols, src_types = _columns(con, f"src_{t}")
    st.source_columns = src_cols
    dtypes = dict(zip(src_cols, src_types))
    present = [c for c in src_cols if c != LINE]
    missing = [c for c in contract.required if c not in present]
    for c in missing:
        hint = did_you_mean(c, present)
        mapped = [old for old, new in plan.unmatched.items() if new == c]
        note = (f" The mapping renames {mapped[0]!r} to {c!r}, but there is no column {mapped[0]!r}."
                if mapped else "")
        st.structural.append(Structural(
            t, raw.origin, c, "required_column",
            f"the required column {c!r} is missing{hint}.{note} Available columns: {present}. "
            f"Rename the column in the file, or map it: mapping={{{t!r}: {{'columns': "
            f"{{'<your column>': {c!r}}}}}}}."))
    if st.structural:
        return st
    contract_cols = [c for c in contract.names if c in present]
    extras = [c for c in present if not contract.has(c)]
    if extras:
        hints = "".join(did_you_mean(e, contract.names) for e in extras)
        st.issues.append(Issue(t, None, "unknown_column", "info", len(extras), [],
                               f"{raw.origin}: column(s) {extras} are not in the contract of {t!r} and "
                               f"are kept as they are{hints}. Known columns: {contract.names}."))
    st.columns = contract_cols + extras
    typed = _typed_sql(con, st, contract, contract_cols, extras, dtypes, locale, timezone, currency)
    _build_checked(con, st, contract, contract_cols, extras, typed)
    return st


def _typed_sql(con, st, contract: Table, cols, extras, dtypes, locale, timezone, currency) -> str:
    # nested projections, each expression computed once per cell: the trimmed text
    # (blanks as NULL), then the null tokens (NA, null...) of typed kinds, then the
    # typed value of each cell with its raw text
    t = st.table
    kinds = {c: contract.column(c).kind for c in cols}
    keep = [ident(e) for e in extras] + [ident(LINE)]

    def cleaned(columns, raw=True, kept=()):
        level1 = [f"{prepare(c, 'id', dtypes[c])} AS {ident('_t:' + c)}" for c in columns]
        level1 += [(ident(c) if dtypes[c] == "VARCHAR" else f"CAST({ident(c)} AS VARCHAR)")
                   + f" AS {ident('_raw:' + c)}" for c in columns if raw]
        level2 = [f"{null_tokens('_t:' + c)} AS {ident('_t:' + c)}"
                  if kinds[c] not in ("id", "str") and family(dtypes[c]) in ("text", "other")
                  else ident("_t:" + c) for c in columns]
        level2 += [ident("_raw:" + c) for c in columns if raw]
        return (f"SELECT {', '.join(level2 + list(kept))} FROM (SELECT {', '.join(level1 + list(kept))} "
                f"FROM {ident('src_' + t)})")

    # the reading decisions (day-first dates, decimal commas) in one pass over the
    # text of the columns that need one
    asked = [c for c in cols if family(dtypes[c]) == "text"
             and kinds[c] in ("datetime", "date", "money", "number", "int")]
    decisions = decide(con.sql(cleaned(asked, raw=False)), {"_t:" + c: kinds[c] for c in asked},
                       {"_t:" + c: dtypes[c] for c in asked}, locale, prepared=True) if asked else {}
    sql = cleaned(cols, kept=keep)
    # each value computed step by step, one projection per step (kit.io.parse.chain_levels)
    chains, passed = {}, {}
    for c in cols:
        p = parse_column("_t:" + c, kinds[c], dtypes[c], decisions.get("_t:" + c),
                         timezone=timezone, currency=currency, prepared=True)
        chains[c] = p.steps
        passed.update({"_present:" + c: p.present, "_raw:" + c: None})
    passed.update(dict.fromkeys(extras + [LINE]))
    for level in chain_levels(chains, passed):
        sql = f"SELECT {', '.join(level)} FROM ({sql})"
    return sql


@dataclass
class _Rule:
    rule: str
    column: str | None
    severity: str
    condition: str
    reason: str | None  # SQL text of the _reason part when the row is rejected
    message: str
    example: str | None = None


def _rules(st, contract: Table, cols) -> list:
    t, origin = st.table, st.origin
    rules = []
    for c in cols:
        col = contract.column(c)
        v, present, raw = ident(c), ident("_present:" + c), ident("_raw:" + c)
        if col.required:
            rules.append(_Rule("required", c, "error", f"NOT {present}", literal(f"missing {c}"),
                               f"{origin}: {{n}} with no {c}, a required value; they are in "
                               f"ds.rejected[{t!r}]. Fill the value in the source or remove the rows."))
        if col.kind in FALLIBLE:
            allowed = _allowed_text(col.kind)
            cond = f"{present} AND {v} IS NULL"
            if col.required:
                rules.append(_Rule("unparseable", c, "error", cond,
                                   f"'unreadable {c}: ' || {raw}",
                                   f"{origin}: {{n}} where {c} cannot be read as {col.kind}, e.g. "
                                   f"{{examples}}; allowed: {allowed}. The rows are in "
                                   f"ds.rejected[{t!r}]; correct the values in the source.", raw))
            else:
                rules.append(_Rule("unparseable", c, "warning", cond, None,
                                   f"{origin}: {{n}} where {c} cannot be read as {col.kind}, e.g. "
                                   f"{{examples}}; allowed: {allowed}. The rows are kept with {c} "
                                   "missing; correct the values in the source.", raw))
        if col.kind == "enum":
            rules.append(_Rule("enum", c, "error", f"{v} IS NOT NULL AND NOT {one_of(v, col.values)}",
                               f"{literal(c)} || ' ' || {raw} || ' not allowed'",
                               f"{origin}: {{n}} where {c} is not one of {', '.join(col.values)}, "
                               f"e.g. {{examples}}. The rows are in ds.rejected[{t!r}]; map the "
                               f"values: mapping={{{t!r}: {{'values': {{{c!r}: {{'<value>': "
                               f"'{col.values[0]}'}}}}}}}}.", raw))
        if col.min_value is not None or col.max_value is not None:
            parts = []
            signed = c in SIGNED_BY_AMOUNT.get(t, ()) and "amount" in cols
            if col.min_value is not None and signed:
                # a return line (negative amount) gives goods back: its value may be negative
                parts.append(f"({v} < {col.min_value!r} AND NOT coalesce({ident('amount')} < 0, FALSE))")
            elif col.min_value is not None:
                parts.append(f"{v} < {col.min_value!r}")
            if col.max_value is not None:
                parts.append(f"{v} > {col.max_value!r}")
            cond = f"{v} IS NOT NULL AND ({' OR '.join(parts)})"
            rng = (f"at least {col.min_value:g}" if col.max_value is None
                   else f"between {col.min_value:g} and {col.max_value:g}")
            if signed:
                rng += " (negative values are allowed on return lines, whose amount is negative)"
            if col.required:
                rules.append(_Rule("range", c, "error", cond, f"{literal(c)} || ' ' || {raw} || ' out of range'",
                                   f"{origin}: {{n}} where {c} is not {rng}, e.g. {{examples}}. "
                                   f"The rows are in ds.rejected[{t!r}].", raw))
            else:
                rules.append(_Rule("range", c, "warning", cond, None,
                                   f"{origin}: {{n}} where {c} is not {rng}, e.g. {{examples}}. "
                                   f"The rows are kept with {c} missing.", raw))
    return rules


def _allowed_text(kind: str) -> str:
    return {
        "datetime": "dates such as 2025-12-31, 2025-12-31 14:05, 31/12/2025 or 31/12/2025 14:05",
        "date": "dates such as 2025-12-31, 31/12/2025 or 2025-12",
        "money": "numbers such as 1234.56, 1 234,56 or 1 234,56 €",
        "number": "numbers such as 1234.5 or 1 234,5",
        "int": "whole numbers",
        "bool": "true/false, oui/non, vrai/faux, yes/no, 1/0",
    }[kind]


def _build_checked(con, st, contract: Table, cols, extras, typed: str):
    t = st.table
    rules = _rules(st, contract, cols)
    reasons = [f"CASE WHEN {r.condition} THEN {r.reason} END" for r in rules if r.reason]
    r0 = f"NULLIF(concat_ws('; ', {', '.join(reasons)}), '')" if reasons else "CAST(NULL AS VARCHAR)"
    # the raw text of a cell is kept only where one of its column's rules fails (the
    # examples of the messages)
    failing = {}
    for r in rules:
        if r.example:
            failing.setdefault(r.column, []).append(r.condition)
    out = [x for c in cols for x in (ident(c), ident("_present:" + c))]
    out += [f"CASE WHEN {' OR '.join(f'({cond})' for cond in conds)} THEN {ident('_raw:' + c)} END "
            f"AS {ident('_ex:' + c)}" for c, conds in failing.items()]
    out += [ident(e) for e in extras] + [ident(LINE), f"{r0} AS _r0"]
    # one pass over the source: every row typed and tagged with its reasons, stored
    # once (a view when the source is lazy)
    checked = ident("checked_" + t)
    _view(con, f"checked_{t}", "SELECT " + ", ".join(out) + f" FROM ({typed})", store=st.store)
    key = [k for k in contract.key if k in cols]
    unique = contract.unique_key and bool(key)
    keys = ", ".join(ident(k) for k in key)
    # a first, small query counts the rows, the usable ones, those breaking each rule
    # and the duplicate keys among the usable rows: the details (lines, examples,
    # reasons) are asked for only when something is wrong
    counts = ["count(*)", "count(*) FILTER (WHERE _r0 IS NULL)"]
    counts += [f"count(*) FILTER (WHERE {r.condition if r.reason else f'({r.condition}) AND _r0 IS NULL'})"
               for r in rules]
    if unique:
        # a required key is never missing in a usable row: its plain values are
        # counted (faster than rows of the key columns, where missing values count)
        plain = len(key) == 1 and contract.column(key[0]).required
        counts.append(f"count(*) FILTER (WHERE _r0 IS NULL) - count(DISTINCT "
                      f"{keys if plain else f'row({keys})'}) FILTER (WHERE _r0 IS NULL)")
    first = con.sql(f"SELECT {', '.join(counts)} FROM {checked}").fetchall()[0]
    n_dups = int(first[-1]) if unique else 0
    source = checked
    reason = "_r0"
    if n_dups:
        # duplicates among the rows with no other problem: the first line of each key
        # is kept, the others are kept aside (the rows of dups_<t>)
        on = " AND ".join(f"c.{ident(k)} IS NOT DISTINCT FROM g.{ident(k)}" for k in key)
        _view(con, f"dups_{t}", f"WITH c AS MATERIALIZED (SELECT {keys}, {ident(LINE)} FROM {checked} "
              f"WHERE _r0 IS NULL) SELECT c.{ident(LINE)}, g._first FROM c JOIN (SELECT {keys}, "
              f"min({ident(LINE)}) AS _first FROM c GROUP BY {keys} HAVING count(*) > 1) g ON {on} "
              f"WHERE c.{ident(LINE)} > g._first", store=True)
        key_text = " || '/' || ".join(f"CAST({ident(k)} AS VARCHAR)" for k in key)
        reason = (f"coalesce(_r0, CASE WHEN _first IS NOT NULL THEN 'duplicate {'/'.join(key)} ' || "
                  f"{key_text} || ' (first on line ' || CAST(_first AS VARCHAR) || ')' END)")
        source = f"{checked} LEFT JOIN {ident('dups_' + t)} USING ({ident(LINE)})"
    with_reason = f"(SELECT *, {reason} AS _reason FROM {source})"
    # kept rows: optional values out of range are set to missing
    nulled = {r.column: r.condition for r in rules if r.rule == "range" and r.reason is None}
    kept = []
    for c in cols:
        kept.append(f"CASE WHEN {nulled[c]} THEN NULL ELSE {ident(c)} END AS {ident(c)}"
                    if c in nulled else ident(c))
    kept += [ident(e) for e in extras] + [ident(LINE)]
    where = "WHERE _r0 IS NULL" + (f" AND {ident(LINE)} NOT IN (SELECT {ident(LINE)} FROM "
                                   f"{ident('dups_' + t)})" if n_dups else "")
    _view(con, f"kept_{t}", "SELECT " + ", ".join(kept) + f" FROM {checked} {where}")
    st.rows_read, st.kept_rows = int(first[0]), int(first[1]) - n_dups
    if not n_dups and not any(first[2:2 + len(rules)]):
        st.rejected = _no_rows(st.source_columns)
        return
    # the details: one aggregate query for every rule, plus duplicates
    aggs = ["count(*)", "count(*) FILTER (WHERE _reason IS NULL)"]
    for r in rules:
        # a rule that keeps the row counts the rows kept; those rejected for another
        # reason are counted apart (they are in ds.rejected with that reason)
        cond = r.condition if r.reason else f"({r.condition}) AND _reason IS NULL"
        example = ident("_ex:" + r.column) if r.example else None
        aggs += [f"count(*) FILTER (WHERE {cond})",
                 f"list({ident(LINE)} ORDER BY {ident(LINE)}) FILTER (WHERE {cond})[1:{EXAMPLES}]",
                 (f"list(DISTINCT {example}) FILTER (WHERE {cond})[1:3]" if example else "NULL"),
                 ("0" if r.reason else
                  f"count(*) FILTER (WHERE ({r.condition}) AND _reason IS NOT NULL)")]
    aggs += ["count(*) FILTER (WHERE _r0 IS NULL AND _reason IS NOT NULL)",
             f"list({ident(LINE)} ORDER BY {ident(LINE)}) FILTER (WHERE _r0 IS NULL AND _reason "
             f"IS NOT NULL)[1:{EXAMPLES}]",
             "list(_reason ORDER BY _line) FILTER (WHERE _r0 IS NULL AND _reason IS NOT NULL)[1:3]"]
    row = con.sql(f"SELECT {', '.join(aggs)} FROM {with_reason}").fetchall()[0]
    st.rows_read, st.kept_rows = int(row[0]), int(row[1])
    k = 2
    for r in rules:
        n, lines, examples, elsewhere = row[k], row[k + 1], row[k + 2], int(row[k + 3] or 0)
        k += 4
        if n:
            shown = ", ".join(repr(e) for e in (examples or [])) or "-"
            message = r.message.replace("{n}", rows_text(int(n))).replace("{examples}", shown)
            if elsewhere:
                message += (f" {rows_text(elsewhere)} more with this problem were rejected for another "
                            f"reason (see ds.rejected[{t!r}]).")
            st.issues.append(Issue(t, r.column, r.rule, r.severity, int(n), list(lines), message))
    n, lines, examples = row[k], row[k + 1], row[k + 2]
    if n:
        st.issues.append(Issue(
            t, "/".join(key), "duplicate", "error", int(n), list(lines),
            f"{st.origin}: {rows_text(int(n))} with the same {'/'.join(key)} as an earlier row "
            f"({'; '.join(examples)}); the first row is kept, the others are in "
            f"ds.rejected[{t!r}]. Remove the duplicates in the source."))
    rejected_n = st.rows_read - st.kept_rows
    if rejected_n:
        st.rejected = con.sql(
            f"SELECT s.*, c._reason FROM {ident('src_' + t)} s JOIN {with_reason} c "
            f"USING ({ident(LINE)}) WHERE c._reason IS NOT NULL ORDER BY s.{ident(LINE)}").df()
        ordered = [c for c in st.rejected.columns if c not in (LINE, "_reason")] + ["_reason", LINE]
        st.rejected = st.rejected[ordered]
    else:
        st.rejected = _no_rows(st.source_columns)


def _no_rows(source_columns: list) -> pd.DataFrame:
    # the empty ds.rejected[t]: the columns of the source, _reason and _line
    src_cols = [c for c in source_columns if c != LINE]
    return pd.DataFrame({c: pd.Series(dtype="object") for c in src_cols + ["_reason"]}).assign(
        **{LINE: pd.Series(dtype="int64")})


def release(con, stages: dict) -> None:
    """Drop the views and temporary tables :func:`stage_table` left in ``con`` for ``stages``.

    Examples
    --------
    >>> import duckdb, pandas as pd
    >>> from kit.io.sources import RawTable, with_lines
    >>> con = duckdb.connect()
    >>> st = stage_table(con, RawTable("reps", "reps.csv", frame=with_lines(pd.DataFrame({"rep_id": ["R1"]}))), None)
    >>> release(con, {"reps": st})
    >>> con.sql("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchall()
    [(0,)]
    """
    for t, st in stages.items():
        for view in (f"kept_{t}", f"src_{t}", f"raw_{t}"):
            con.execute(f"DROP VIEW IF EXISTS {ident(view)}")
        con.execute(f"DROP TABLE IF EXISTS {ident('dups_' + t)}")
        con.execute(f"DROP {'TABLE' if st.store else 'VIEW'} IF EXISTS {ident('checked_' + t)}")
