"""Tables derived from the others, for the usual partial exports (deals only, leads plus
closed deals, order lines only): see :func:`derive_tables`.

Orders derived from won opportunities, for datasets that hold deals only.

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


# -- order lines only: customers and products from the columns of the orders --------------

#: products column <- candidate columns of orders (first present wins)
PRODUCT_COLUMNS = {"name": ("product_name", "product"), "category": ("product_category", "category")}
#: customers column <- candidate columns of orders (value of the customer's first order)
CUSTOMER_COLUMNS = {"segment": ("customer_segment", "segment"), "region": ("customer_region", "region"),
                    "source": ("customer_source", "source")}


def _first_present(columns: list, candidates: tuple) -> str | None:
    return next((c for c in candidates if c in columns), None)


def derive_customers(con, order_columns: list) -> tuple[list, list]:
    """Create ``kept_customers`` from ``kept_orders``: one row per ``customer_id``.

    ``acquired_at`` is the date of the customer's first order; ``segment``,
    ``region`` and ``source`` come from the first order when the orders have such a
    column (``customer_segment`` or ``segment``...). Returns the columns and an info issue.

    Examples
    --------
    >>> import duckdb
    >>> con = duckdb.connect()
    >>> _ = con.execute("CREATE VIEW kept_orders AS SELECT * FROM (VALUES "
    ...     "('A', 'C1', TIMESTAMP '2026-02-05', 'PME', 2), ('B', 'C1', TIMESTAMP '2026-01-10', 'ETI', 3), "
    ...     "('C', 'C2', TIMESTAMP '2026-03-01', NULL, 4)) t(order_id, customer_id, ordered_at, segment, _line)")
    >>> cols, issues = derive_customers(con, ["order_id", "customer_id", "ordered_at", "segment"])
    >>> cols, con.sql("SELECT * EXCLUDE (_line) FROM kept_customers ORDER BY customer_id").fetchall()
    (['customer_id', 'acquired_at', 'segment'], [('C1', datetime.datetime(2026, 1, 10, 0, 0), 'ETI'), ('C2', datetime.datetime(2026, 3, 1, 0, 0), None)])
    >>> issues[0].rule, issues[0].count
    ('derived', 2)
    """
    select = ["customer_id", "min(ordered_at) AS acquired_at"]
    cols = ["customer_id", "acquired_at"]
    for target, candidates in CUSTOMER_COLUMNS.items():
        src = _first_present(order_columns, candidates)
        if src is not None:
            select.append(f"arg_min({ident(src)}, ordered_at) AS {ident(target)}")
            cols.append(target)
    select.append(f"min({ident(LINE)}) AS {ident(LINE)}")
    con.execute(f"CREATE OR REPLACE TEMP VIEW kept_customers AS SELECT {', '.join(select)} "
                "FROM kept_orders WHERE customer_id IS NOT NULL GROUP BY customer_id")
    n = con.sql("SELECT count(*) FROM kept_customers").fetchall()[0][0]
    extra = [c for c in cols[2:]]
    return cols, [Issue(
        "customers", None, "derived", "info", int(n), [],
        f"The dataset has no customers table: {n} customer(s) were derived from the customer_id "
        "of the orders, each acquired at the date of its first order"
        + (f", with the {', '.join(extra)} of that order" if extra else "")
        + ". Add a customers file for real acquisition dates (customers who bought before the "
          "data starts count as new here).")]


def derive_products(con, order_columns: list) -> tuple[list, list]:
    """Create ``kept_products`` from ``kept_orders``: one row per ``product_id``.

    ``name`` and ``category`` come from the orders' ``product_name`` / ``product``
    and ``product_category`` / ``category`` columns when present (the most frequent
    value of each product). Returns the columns and an info issue.

    Examples
    --------
    >>> import duckdb
    >>> con = duckdb.connect()
    >>> _ = con.execute("CREATE VIEW kept_orders AS SELECT * FROM (VALUES "
    ...     "('A', 'P1', 'Widget', 'Tools', 2), ('B', 'P1', 'Widget', 'Tools', 3), "
    ...     "('C', 'P2', 'Gadget', NULL, 4)) t(order_id, product_id, product_name, category, _line)")
    >>> cols, issues = derive_products(con, ["order_id", "product_id", "product_name", "category"])
    >>> cols, con.sql("SELECT * EXCLUDE (_line) FROM kept_products ORDER BY product_id").fetchall()
    (['product_id', 'name', 'category'], [('P1', 'Widget', 'Tools'), ('P2', 'Gadget', None)])
    """
    select, cols = ["product_id"], ["product_id"]
    for target, candidates in PRODUCT_COLUMNS.items():
        src = _first_present(order_columns, candidates)
        if src is not None:
            select.append(f"mode({ident(src)}) AS {ident(target)}")
            cols.append(target)
    select.append(f"min({ident(LINE)}) AS {ident(LINE)}")
    con.execute(f"CREATE OR REPLACE TEMP VIEW kept_products AS SELECT {', '.join(select)} "
                "FROM kept_orders WHERE product_id IS NOT NULL GROUP BY product_id")
    n = con.sql("SELECT count(*) FROM kept_products").fetchall()[0][0]
    return cols, [Issue(
        "products", None, "derived", "info", int(n), [],
        f"The dataset has no products table: {n} product(s) were derived from the product_id of "
        "the orders" + (f", with their {' and '.join(cols[1:])}" if cols[1:] else "")
        + ". Add a products file for launch and retirement dates.")]


# -- leads plus closed deals: the conversion comes from the won deal ------------------------

def can_derive_conversions(tables: dict) -> bool:
    """Whether leads can get ``converted_at`` from won opportunities keyed by ``lead_id``.

    Examples
    --------
    >>> can_derive_conversions({"leads": ["lead_id", "created_at"],
    ...     "opportunities": ["opportunity_id", "lead_id", "status", "closed_at"]})
    True
    >>> can_derive_conversions({"leads": ["lead_id", "created_at"]})
    False
    """
    opps = tables.get("opportunities") or []
    return "leads" in tables and all(c in opps for c in ("lead_id", "status", "closed_at"))


def derive_conversions(con, lead_columns: list) -> tuple[str, list, list]:
    """Create ``converted_leads``: ``kept_leads`` whose missing ``converted_at`` is the close
    date of the lead's first won opportunity.

    A lead with a ``converted_at`` keeps it. Returns the view, the leads' columns and
    the issues (info: how many conversions came from deals; warning: those dated
    before the lead's creation, which still count as converted).

    Examples
    --------
    >>> import duckdb
    >>> con = duckdb.connect()
    >>> _ = con.execute("CREATE VIEW kept_leads AS SELECT * FROM (VALUES "
    ...     "('L1', TIMESTAMP '2026-01-05', 2), ('L2', TIMESTAMP '2026-01-09', 3)) t(lead_id, created_at, _line)")
    >>> _ = con.execute("CREATE VIEW kept_opportunities AS SELECT * FROM (VALUES "
    ...     "('O1', 'L1', 'won', TIMESTAMP '2026-02-01', 2), ('O2', 'L2', 'lost', TIMESTAMP '2026-02-03', 3)) "
    ...     "t(opportunity_id, lead_id, status, closed_at, _line)")
    >>> view, cols, issues = derive_conversions(con, ["lead_id", "created_at"])
    >>> con.sql(f"SELECT lead_id, converted_at FROM {view} ORDER BY _line").fetchall()
    [('L1', datetime.datetime(2026, 2, 1, 0, 0)), ('L2', None)]
    >>> cols, [(i.rule, i.count) for i in issues]
    (['lead_id', 'created_at', 'converted_at'], [('derived', 1)])
    """
    won = ("(SELECT lead_id AS _lid, min(closed_at) AS _won FROM kept_opportunities "
           "WHERE status = 'won' AND lead_id IS NOT NULL AND closed_at IS NOT NULL GROUP BY lead_id)")
    has = "converted_at" in lead_columns
    conv = "coalesce(l.converted_at, w._won)" if has else "w._won"
    select = [f"{conv} AS converted_at" if c == "converted_at" else f"l.{ident(c)}"
              for c in lead_columns]
    cols = list(lead_columns)
    if not has:
        select.append(f"{conv} AS converted_at")
        cols.append("converted_at")
    con.execute(f"CREATE OR REPLACE TEMP VIEW converted_leads AS SELECT {', '.join(select)}, "
                f"l.{ident(LINE)} FROM kept_leads l LEFT JOIN {won} w ON w._lid = l.lead_id")
    missing = "l.converted_at IS NULL AND " if has else ""
    n, lines, n_before, lines_before = con.sql(
        f"SELECT count(*), list(l.{ident(LINE)} ORDER BY l.{ident(LINE)})[1:{EXAMPLES}], "
        "count(*) FILTER (WHERE w._won < l.created_at), "
        f"list(l.{ident(LINE)} ORDER BY l.{ident(LINE)}) FILTER (WHERE w._won < l.created_at)"
        f"[1:{EXAMPLES}] FROM kept_leads l JOIN {won} w ON w._lid = l.lead_id "
        f"WHERE {missing}TRUE").fetchall()[0]
    issues = []
    if n:
        issues.append(Issue(
            "leads", "converted_at", "derived", "info", int(n), list(lines or []),
            f"{n} lead(s) with a won opportunity (opportunities.lead_id) and no converted_at were "
            "set converted at the close date of their first won deal."))
    if n_before:
        issues.append(Issue(
            "leads", "converted_at", "order", "warning", int(n_before), list(lines_before or []),
            f"{n_before} lead(s) have a won deal closed before the lead was created; they count as "
            "converted (lead conversion rate, funnel), only the time to convert leaves them out. "
            "Check the dates in the source."))
    return "converted_leads", cols, issues


def derive_tables(con, columns: dict, lazy: dict) -> tuple[dict, dict, list]:
    """Every derivation the tables allow, in order; the usual shapes of partial exports.

    1. no orders but opportunities with status, closed_at and amount: orders from the
       won deals (:func:`derive_orders`);
    2. leads and opportunities keyed by ``lead_id``: a lead with a won deal is converted
       at its close date unless it has a ``converted_at`` (:func:`derive_conversions`);
    3. orders with ``customer_id`` but no customers: customers (:func:`derive_customers`);
    4. orders with ``product_id`` but no products: products (:func:`derive_products`).

    A customers or products table that would have no row is not added.

    ``columns`` maps the tables to their columns and ``lazy`` says which are kept
    out of memory; both are updated. Returns the columns, the views to start the
    enrichment from (``{"leads": "converted_leads"}``) and the issues (one info row
    per derivation).

    Examples
    --------
    >>> import duckdb
    >>> con = duckdb.connect()
    >>> _ = con.execute("CREATE VIEW kept_orders AS SELECT * FROM (VALUES "
    ...     "('A', 'C1', 'P1', TIMESTAMP '2026-01-05', 10.0, 2)) t(order_id, customer_id, product_id, "
    ...     "ordered_at, amount, _line)")
    >>> cols, views, issues = derive_tables(con, {"orders": ["order_id", "customer_id", "product_id",
    ...     "ordered_at", "amount"]}, {"orders": False})
    >>> sorted(cols), [i.table for i in issues]
    (['customers', 'orders', 'products'], ['customers', 'products'])
    """
    columns, issues, views = dict(columns), [], {}
    if can_derive(columns):
        columns["orders"], derived = derive_orders(con, columns["opportunities"])
        lazy["orders"] = lazy.get("opportunities", False)
        issues += derived
    if can_derive_conversions(columns):
        views["leads"], columns["leads"], derived = derive_conversions(con, columns["leads"])
        issues += derived
    orders = columns.get("orders") or []
    if "customers" not in columns and "customer_id" in orders and "ordered_at" in orders:
        cols, derived = derive_customers(con, orders)
        if derived[0].count:  # no customer_id at all (deals without accounts): no table
            columns["customers"], lazy["customers"] = cols, lazy.get("orders", False)
            issues += derived
    if "products" not in columns and "product_id" in orders:
        cols, derived = derive_products(con, orders)
        if derived[0].count:
            columns["products"], lazy["products"] = cols, lazy.get("orders", False)
            issues += derived
    return columns, views, issues
