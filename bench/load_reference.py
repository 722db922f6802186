"""The reference of the ``load`` task: plain DuckDB SQL loading a Parquet folder with the same checks.

What a DuckDB user would write by hand to load the dataset's Parquet files and
check them as the kit does: every contract column cast to its type (a value that
cannot be read is a problem), required values, allowed values of enums, ranges,
unique ids (the first row of a key is kept), references to the other tables
(orphans counted) and the order of dates within a row (counted). The rows kept
end where the backend wants them: DuckDB tables (in a temporary database file,
with the DuckDB backend's memory limit), or pandas / polars frames through Arrow.

It does not do what the kit does beyond the checks (value maps, day-first or
decimal-comma text, the columns copied from reps, products and customers, tables
derived from others, the messages of ``ds.issues``): the ratio kit / reference is
an upper bound of the kit's own overhead.

Examples
--------
>>> import pathlib, tempfile, pandas as pd
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> pd.DataFrame({"rep_id": ["R1", "R1", None]}).to_parquet(folder / "reps.parquet")
>>> pd.DataFrame({"lead_id": ["L1"], "created_at": pd.to_datetime(["2026-01-05"]),
...               "rep_id": ["R9"]}).to_parquet(folder / "leads.parquet")
>>> out = load_reference(folder, "pandas")
>>> len(out["tables"]["reps"]), out["problems"]["reps"], out["problems"]["leads"]
(1, {'required': 1, 'duplicate': 1}, {'orphan': 1})
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from kit.contract import CONTRACT, SIGNED_BY_AMOUNT, TABLE_NAMES

SQL_TYPES = {"id": "VARCHAR", "str": "VARCHAR", "enum": "VARCHAR", "datetime": "TIMESTAMP",
             "date": "TIMESTAMP", "money": "DOUBLE", "number": "DOUBLE", "int": "BIGINT",
             "bool": "BOOLEAN"}
#: table: (earlier date, later dates that cannot come before it), as the kit checks them
ORDER = {"leads": ("created_at", ("engaged_at", "qualified_at", "converted_at", "lost_at")),
         "opportunities": ("created_at", ("qualified_at", "proposal_at", "closed_at")),
         "products": ("launched_at", ("retired_at",))}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _typed(col, name: str) -> str:
    c = _q(name)
    if col.kind in ("id", "str"):
        return f"NULLIF(trim(CAST({c} AS VARCHAR)), '')"
    if col.kind == "enum":
        return f"lower(NULLIF(trim(CAST({c} AS VARCHAR)), ''))"
    typed = f"TRY_CAST({c} AS {SQL_TYPES[col.kind]})"
    return f"date_trunc('day', {typed})" if col.kind == "date" else typed


def _checked_sql(table: str, path: Path, columns: list) -> tuple[str, list]:
    """SELECT of the typed columns, ``_line`` and one flag per rule; the rule names."""
    contract = CONTRACT[table]
    select, flags = [], []
    for name in columns:
        col = contract.column(name)
        raw, typed = _q(name), _typed(col, name)
        out = typed
        if not col.required and (col.min_value is not None or col.max_value is not None):
            # an optional value out of range is set to missing (negative cost and
            # quantity are allowed on return lines, whose amount is negative)
            low = (f"{typed} < {col.min_value!r}" if col.min_value is not None else "FALSE")
            if name in SIGNED_BY_AMOUNT.get(table, ()) and "amount" in columns:
                low = f"({low} AND NOT coalesce(TRY_CAST(amount AS DOUBLE) < 0, FALSE))"
            high = f"{typed} > {col.max_value!r}" if col.max_value is not None else "FALSE"
            out = f"CASE WHEN {low} OR {high} THEN NULL ELSE {typed} END"
        select.append(f"{out} AS {_q(name)}")
        if col.required:
            flags.append(("required", f"{typed} IS NULL"))
        if col.kind not in ("id", "str", "enum"):
            flags.append(("unparseable", f"{raw} IS NOT NULL AND {typed} IS NULL"))
        if col.kind == "enum":
            allowed = ", ".join("'" + v + "'" for v in col.values)
            flags.append(("enum", f"{typed} NOT IN ({allowed})"))
        if col.min_value is not None and col.required:
            flags.append(("range", f"{typed} < {col.min_value!r}"))
        if col.max_value is not None and col.required:
            flags.append(("range", f"{typed} > {col.max_value!r}"))
    select += [f"coalesce({cond}, FALSE) AS _f{k}" for k, (_, cond) in enumerate(flags)]
    rejected = " OR ".join(f"_f{k}" for k in range(len(flags))) or "FALSE"
    sql = (f"SELECT *, ({rejected}) AS _bad FROM (SELECT {', '.join(select)}, file_row_number AS _line "
           f"FROM read_parquet('{path}', file_row_number = true))")
    return sql, [rule for rule, _ in flags]


def load_reference(folder, backend: str) -> dict:
    """Load and check the Parquet files of ``folder`` by hand; ``{"tables", "problems", "rows_read"}``.

    ``tables`` holds the rows kept as ``backend`` wants them (DuckDB relations for
    ``"duckdb"``), ``problems`` per table the number of rows per rule broken.
    """
    import duckdb

    from kit.io.output import MEMORY_LIMIT, arrow_to_pandas

    folder = Path(folder)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    store = None
    if backend == "duckdb":  # as the DuckDB backend of the kit: out of core, in a temporary file
        store = tempfile.mkdtemp(prefix="bench-ref-")
        con.execute(f"SET temp_directory = '{store}'")
        con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        con.execute(f"ATTACH '{os.path.join(store, 'ref.duckdb')}' AS ref")
    target = "ref." if store else ""
    files = {t: folder / f"{t}.parquet" for t in TABLE_NAMES if (folder / f"{t}.parquet").exists()}
    problems, rows_read, columns = {}, {}, {}
    for t, path in files.items():
        present = [c for c in con.sql(f"SELECT * FROM read_parquet('{path}') LIMIT 0").columns]
        cols = [c for c in CONTRACT[t].names if c in present]
        columns[t] = cols
        sql, rules = _checked_sql(t, path, cols)
        con.execute(f"CREATE TEMP TABLE checked_{t} AS {sql}")
        key = [k for k in CONTRACT[t].key if k in cols]
        dedup = ""
        if CONTRACT[t].unique_key and key:
            dedup = (f" QUALIFY row_number() OVER (PARTITION BY {', '.join(map(_q, key))} "
                     "ORDER BY _line) = 1")
        out = ", ".join(_q(c) for c in cols)
        con.execute(f"CREATE TABLE {target}{_q(t)} AS SELECT {out} FROM checked_{t} WHERE NOT _bad"
                    f"{dedup} ORDER BY _line")
        counts = con.sql(f"SELECT count(*), {', '.join(f'count(*) FILTER (WHERE _f{k})' for k in range(len(rules))) or '0'}, "
                         f"(SELECT count(*) FROM {target}{_q(t)}) FROM checked_{t}").fetchall()[0]
        rows_read[t] = counts[0]
        found = {}
        for rule, n in zip(rules, counts[1:-1]):
            found[rule] = found.get(rule, 0) + n
        good = counts[0] - con.sql(f"SELECT count(*) FROM checked_{t} WHERE _bad").fetchall()[0][0]
        found["duplicate"] = good - counts[-1]
        problems[t] = {r: n for r, n in found.items() if n}
    for t, cols in columns.items():  # references and dates, on the rows kept
        aggs, joins = [], []
        for k, c in enumerate(cols):
            ref = CONTRACT[t].column(c).references
            if ref and ref.split(".")[0] in columns:
                other, key = ref.split(".")
                joins.append(f"LEFT JOIN (SELECT DISTINCT {_q(key)} AS k FROM {target}{_q(other)}) r{k} "
                             f"ON r{k}.k = t.{_q(c)}")
                aggs.append(("orphan", f"t.{_q(c)} IS NOT NULL AND r{k}.k IS NULL"))
        earlier, later_dates = ORDER.get(t, (None, ()))
        for later in later_dates:
            if later in cols and earlier in cols:
                aggs.append(("order", f"t.{_q(later)} < t.{_q(earlier)}"))
        if not aggs:
            continue
        row = con.sql(f"SELECT {', '.join(f'count(*) FILTER (WHERE {c})' for _, c in aggs)} "
                      f"FROM {target}{_q(t)} t {' '.join(joins)}").fetchall()[0]
        for (rule, _), n in zip(aggs, row):
            if n:
                problems[t][rule] = problems[t].get(rule, 0) + n
    tables = {}
    for t in columns:
        rel = con.sql(f"FROM {target}{_q(t)}")
        if backend == "duckdb":
            tables[t] = rel
        elif backend == "polars":
            tables[t] = rel.pl()
        else:
            fetch = getattr(rel, "to_arrow_table", None) or rel.fetch_arrow_table
            tables[t] = arrow_to_pandas(fetch())
    if store is None:
        con.close()
    else:
        import atexit

        atexit.register(shutil.rmtree, store, ignore_errors=True)
    return {"tables": tables, "problems": problems, "rows_read": rows_read}
