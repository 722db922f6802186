"""Orders derived from won opportunities, for datasets that hold deals only.

Many CRM exports have opportunities but no order lines. When a dataset has no
``orders`` table, each won opportunity with a ``closed_at`` and an ``amount``
becomes one order line: ``order_id`` = ``opportunity_id``, ``ordered_at`` =
``closed_at``, with the deal's ``amount``, ``customer_id``, ``product_id``, ``rep_id``
and ``opportunity_id``. ``ds.issues`` gets an info row saying so, and a warning
for won deals that cannot become orders.

Examples
--------
>>> import duckdb
>>> con = duckdb.connect()
>>> con.execute("CREATE VIEW kept_opportunities AS SELECT * FROM (VALUES "
...     "('O1', 'won', TIMESTAMP '2026-01-05', 100.0::DOUBLE, 'C1', 2), "
...     "('O2', 'lost', TIMESTAMP '2026-01-06', 50.0, 'C2', 3)) "
...     "t(opportunity_id, status, closed_at, amount, customer_id, _line)") is not None
True
>>> cols, issues = derive_orders(con, ["opportunity_id", "status", "closed_at", "amount", "customer_id"])
>>> con.sql("SELECT order_id, ordered_at, amount FROM kept_orders").fetchall()
[('O1', datetime.datetime(2026, 1, 5, 0, 0), 100.0)]
>>> [i.rule for i in issues]
['derived']
"""

from __future__ import annotations

from kit.io._sqltext import ident
from kit.io.files import LINE
from kit.io.issues import EXAMPLES, Issue

#: order column <- opportunity column
DERIVED_COLUMNS = {
    "order_id": "opportunity_id",
    "ordered_at": "closed_at",
    "customer_id": "customer_id",
    "amount": "amount",
    "product_id": "product_id",
    "rep_id": "rep_id",
    "opportunity_id": "opportunity_id",
}


def can_derive(tables: dict) -> bool:
    """Whether orders should be derived: no ``orders`` table but opportunities with a status.

    ``tables`` maps table names to their column lists.

    Examples
    --------
    >>> can_derive({"opportunities": ["opportunity_id", "status", "closed_at", "amount"]})
    True
    >>> can_derive({"opportunities": ["opportunity_id", "status"], "orders": ["order_id"]})
    False
    """
    opps = tables.get("opportunities")
    return ("orders" not in tables and opps is not None
            and all(c in opps for c in ("status", "closed_at", "amount")))


def derive_orders(con, opp_columns: list) -> tuple[list, list]:
    """Create the view ``kept_orders`` from ``kept_opportunities``.

    Returns the columns of the derived orders and the issues to report.
    """
    select = []
    for order_col, opp_col in DERIVED_COLUMNS.items():
        if opp_col in opp_columns:
            select.append(f"{ident(opp_col)} AS {ident(order_col)}")
        elif order_col == "customer_id":
            select.append(f"CAST(NULL AS VARCHAR) AS {ident(order_col)}")
    cols = [c.rsplit(" AS ", 1)[1].strip('"') for c in select]
    usable = "status = 'won' AND closed_at IS NOT NULL AND amount IS NOT NULL"
    con.execute(f"CREATE OR REPLACE TEMP VIEW kept_orders AS SELECT {', '.join(select)}, "
                f"{ident(LINE)} FROM kept_opportunities WHERE {usable}")
    n_ok, lines_ok, n_bad, lines_bad = con.sql(
        f"SELECT count(*) FILTER (WHERE {usable}), "
        f"list({ident(LINE)} ORDER BY {ident(LINE)}) FILTER (WHERE {usable})[1:{EXAMPLES}], "
        f"count(*) FILTER (WHERE status = 'won' AND NOT ({usable})), "
        f"list({ident(LINE)} ORDER BY {ident(LINE)}) FILTER (WHERE status = 'won' AND NOT ({usable}))"
        f"[1:{EXAMPLES}] FROM kept_opportunities").fetchall()[0]
    issues = [Issue("orders", None, "derived", "info", int(n_ok), list(lines_ok or []),
                    f"The dataset has no orders table: {n_ok} order line(s) were derived from the "
                    "won opportunities (one per deal, at closed_at, with its amount, customer, "
                    "product and rep; order_id = opportunity_id). Example rows are lines of the "
                    "opportunities file. Add an orders file to use real order lines.")]
    if n_bad:
        issues.append(Issue("orders", None, "derived", "warning", int(n_bad), list(lines_bad),
                            f"{n_bad} won opportunit{'y has' if n_bad == 1 else 'ies have'} no "
                            "closed_at or no amount and could not become orders (lines of the "
                            "opportunities file); revenue misses them. Fill closed_at and amount "
                            "for won deals."))
    if "customer_id" in cols:
        n_nocust = con.sql("SELECT count(*) FROM kept_orders WHERE customer_id IS NULL").fetchall()[0][0]
        if n_nocust:
            issues.append(Issue("orders", "customer_id", "derived", "warning", int(n_nocust), [],
                                f"{n_nocust} derived order line(s) have no customer_id (their "
                                "opportunity had none): they count in revenue but not in customer "
                                "KPIs (basket, repeat purchase, LTV)."))
    return cols, issues
