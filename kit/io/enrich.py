"""Enrichment at load: columns copied from the lookup tables (``docs/data-contract.md``).

* every table with ``rep_id`` gains ``team``, ``manager``, ``region`` from ``reps``;
* every table with ``product_id`` gains ``product_category`` (``products.category``);
* ``orders`` gains the customer's ``source`` and ``segment`` from ``customers``;
* customers without ``acquired_at`` get the date of their first purchase order
  (a return is not a purchase: ``docs/data-contract.md``, :mod:`kit.orders`).

Every join is a LEFT JOIN **many-to-one**: the lookup tables are unique on their
key after validation (duplicates are rejected), so a table keeps exactly its rows.
A column the table already has is kept and only its missing values are filled
(``targets.team`` set for team targets stays as it is).

Examples
--------
>>> import duckdb
>>> con = duckdb.connect()
>>> _ = con.execute("CREATE VIEW kept_reps AS SELECT * FROM (VALUES ('R1', 'Nord', 1)) t(rep_id, team, _line)")
>>> _ = con.execute("CREATE VIEW kept_leads AS SELECT * FROM (VALUES ('L1', 'R1', 2), ('L2', NULL, 3)) "
...                 "t(lead_id, rep_id, _line)")
>>> cols = {"reps": ["rep_id", "team"], "leads": ["lead_id", "rep_id"]}
>>> new_cols, issues = enrich(con, cols)
>>> new_cols["leads"]
['lead_id', 'rep_id', 'team']
>>> con.sql("SELECT lead_id, team FROM final_leads ORDER BY _line").fetchall()
[('L1', 'Nord'), ('L2', None)]
"""

from __future__ import annotations

import narwhals as nw

from kit.io._sqltext import ident
from kit.io.files import LINE
from kit.io.issues import Issue
from kit.orders import purchase_lines

#: (lookup table, key, {new column: lookup column}, tables it applies to or None for all)
LOOKUPS = (
    ("reps", "rep_id", {"team": "team", "manager": "manager", "region": "region"}, None),
    ("products", "product_id", {"product_category": "category"}, None),
    ("customers", "customer_id", {"source": "source", "segment": "segment"}, ("orders",)),
)


def fill_acquired_at(con, columns: dict) -> tuple[str, list]:
    """Create ``filled_customers``: ``kept_customers`` where a missing ``acquired_at`` is
    the date of the customer's first purchase order (returns are not purchases).

    Returns the name of the customers view to use and the info issues.

    Examples
    --------
    >>> import duckdb
    >>> con = duckdb.connect()
    >>> _ = con.execute("CREATE VIEW kept_customers AS SELECT 'C1' AS customer_id, 2 AS _line")
    >>> _ = con.execute("CREATE VIEW kept_orders AS SELECT 'C1' AS customer_id, "
    ...                 "TIMESTAMP '2026-01-05' AS ordered_at, 2 AS _line")
    >>> view, issues = fill_acquired_at(con, {"customers": ["customer_id"],
    ...                                       "orders": ["customer_id", "ordered_at"]})
    >>> con.sql(f"SELECT customer_id, acquired_at FROM {view}").fetchall()
    [('C1', datetime.datetime(2026, 1, 5, 0, 0))]
    >>> issues[0].count
    1
    """
    if "customers" not in columns or "orders" not in columns:
        return "kept_customers", []
    if "ordered_at" not in columns["orders"] or "customer_id" not in columns["orders"]:
        return "kept_customers", []
    cols = columns["customers"]
    purchases = purchase_lines(con.sql("SELECT * FROM kept_orders"), keep=()).filter(
        ~nw.col("customer_id").is_null()).group_by("customer_id").agg(
        nw.col("ordered_at").min().alias("_first")).select(nw.col("customer_id").alias("_cid"), "_first")
    first = f"({nw.to_native(purchases).sql_query()})"
    if "acquired_at" in cols:
        missing = "c.acquired_at IS NULL"
        select = ["coalesce(c.acquired_at, f._first) AS acquired_at" if c == "acquired_at"
                  else f"c.{ident(c)}" for c in cols]
    else:
        missing = "TRUE"
        select = [f"c.{ident(c)}" for c in cols] + ["f._first AS acquired_at"]
        cols.append("acquired_at")
    con.execute(f"CREATE OR REPLACE TEMP VIEW filled_customers AS SELECT {', '.join(select)}, "
                f"c.{ident(LINE)} FROM kept_customers c LEFT JOIN {first} f ON f._cid = c.customer_id")
    n = con.sql(f"SELECT count(*) FROM kept_customers c JOIN {first} f ON f._cid = c.customer_id "
                f"WHERE {missing}").fetchall()[0][0]
    if not n:
        return "filled_customers", []
    return "filled_customers", [Issue(
        "customers", "acquired_at", "derived", "info", int(n), [],
        f"{n} customer(s) had no acquired_at: it was set to the date of their first order.")]


def enrich(con, columns: dict, views: dict | None = None) -> tuple[dict, list]:
    """Build ``final_<table>`` views from ``kept_<table>`` with the lookup columns added.

    ``columns`` maps each table to its column list (without ``_line``); ``views``
    names another view to start from for some tables (``{"leads": "converted_leads"}``).
    Returns the new column lists and info issues.
    """
    customers_view, issues = fill_acquired_at(con, columns)
    base = {t: customers_view if t == "customers" else (views or {}).get(t, f"kept_{t}")
            for t in columns}
    out = {}
    for t, cols in columns.items():
        select = {c: f"b.{ident(c)}" for c in cols}
        joins = []
        for k, (lookup, key, copy, only) in enumerate(LOOKUPS):
            if lookup == t or lookup not in columns or key not in cols:
                continue
            if only is not None and t not in only:
                continue
            available = {new: src for new, src in copy.items() if src in columns[lookup]}
            if not available:
                continue
            alias = f"j{k}"
            cols_sql = ", ".join(f"{ident(src)} AS {ident(new)}" for new, src in available.items())
            joins.append(f"LEFT JOIN (SELECT {ident(key)} AS _k, {cols_sql} FROM "
                         f"{ident('kept_' + lookup)}) {alias} ON {alias}._k = b.{ident(key)}")
            for new in available:
                mine = select.get(new)
                select[new] = (f"coalesce({mine}, {alias}.{ident(new)})" if mine
                               else f"{alias}.{ident(new)}")
        sql = (", ".join(f"{expr} AS {ident(c)}" for c, expr in select.items())
               + f", b.{ident(LINE)} FROM {ident(base[t])} b " + " ".join(joins))
        con.execute(f"CREATE OR REPLACE TEMP VIEW {ident('final_' + t)} AS SELECT {sql}")
        out[t] = list(select)
    return out, issues
