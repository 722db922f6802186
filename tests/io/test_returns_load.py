"""Returns at load: their range rules, the count of ``kit check`` and the derived acquisition date.

Covers kit.io.validate (the range of quantity and cost on return lines, and warnings that
count the rows kept), kit.io.summary (the returns line of the report) and kit.io.enrich
(``acquired_at`` from the first purchase order).
"""

from __future__ import annotations

import pandas as pd

import kit
from kit.io.summary import quality_report, returns_line
from tests.io.helpers import issue, write

ORDERS = """
order_id,ordered_at,customer_id,amount,cost,quantity
A,2026-01-05 10:00,C1,100,60,2
A,2026-01-05 10:01,C1,50,20,-1
B,2026-01-06,,80,40,-3
C,2026-01-07,C2,90,30,-2
RC,2026-01-09,C2,-90,-30,-2
RA,2026-01-10,C3,-50,20,-1
"""
# line 3 (A): quantity -1 on a sale; line 4 (B): quantity -3 and no customer (rejected);
# line 5 (C): quantity -2 on a sale; lines 6, 7: negative quantity on return lines (allowed)


def test_quantity_warning_counts_the_rows_kept(tmp_path):
    write(tmp_path, "orders.csv", ORDERS)
    ds = kit.load_dataset(tmp_path)
    warn = issue(ds, "orders", "range", "quantity")
    # three sale lines have a negative quantity: two are kept (lines 3 and 5), one (line 4)
    # is rejected for its missing customer and is not "kept with quantity missing"
    assert (warn["count"], warn["rows"]) == (2, [3, 5])
    assert "2 rows where quantity is not at least 0" in warn["message"]
    assert "The rows are kept with quantity missing." in warn["message"]
    assert "1 row more with this problem were rejected for another reason" in warn["message"]
    # return lines keep their negative quantity and cost; the sale lines lose theirs
    kept = ds.orders.sort_values(["order_id", "ordered_at"])
    a = kept[kept["order_id"] == "A"]["quantity"]
    assert a.iloc[0] == 2 and pd.isna(a.iloc[1])
    returns = kept[kept["order_id"].isin(["RA", "RC"])].set_index("order_id")
    assert returns.loc["RC", "quantity"] == -2 and returns.loc["RC", "cost"] == -30
    assert returns.loc["RA", "quantity"] == -1 and returns.loc["RA", "cost"] == 20
    assert not ((ds.issues["column"] == "cost") & (ds.issues["rule"] == "range")).any()


def test_a_negative_cost_on_a_sale_line_is_still_out_of_range(tmp_path):
    write(tmp_path, "orders.csv", """
        order_id,ordered_at,customer_id,amount,cost
        A,2026-01-05,C1,100,-60
        R,2026-01-06,C1,-100,-60
    """)
    ds = kit.load_dataset(tmp_path)
    warn = issue(ds, "orders", "range", "cost")
    assert (warn["count"], warn["rows"]) == (1, [2])
    assert "negative values are allowed on return lines" in warn["message"]


def test_kit_check_counts_return_lines_and_orders(tmp_path):
    write(tmp_path, "orders.csv", ORDERS)
    ds = kit.load_dataset(tmp_path)
    # kept lines: A (2, net 150: a purchase), C (a purchase), RC, RA (credit notes); B rejected
    line = ("Returns: 2 return lines of 5 order lines; 2 return orders (credit notes) of 4 orders; "
            "returned amount 140.00 EUR.")
    assert returns_line(ds) == line
    assert line in quality_report(ds)


def test_kit_check_counts_flagged_returns(tmp_path):
    write(tmp_path, "orders.csv", """
        order_id,ordered_at,customer_id,amount,status
        A,2026-01-05,C1,100,expédiée
        B,2026-01-06,C1,40,Cancelled
    """)
    ds = kit.load_dataset(tmp_path)
    assert returns_line(ds) == ("Returns: 1 return line of 2 order lines; 1 return order (credit note) "
                                "of 2 orders; returned amount -40.00 EUR.")


def test_no_orders_no_returns_line():
    ds = kit.load_dataset({"reps": pd.DataFrame({"rep_id": ["R1"]})})
    assert returns_line(ds) == "" and "Returns:" not in quality_report(ds)


def test_acquired_at_is_the_first_purchase_order(tmp_path):
    write(tmp_path, "orders.csv", """
        order_id,ordered_at,customer_id,amount
        R0,2026-01-02,C1,-20
        A,2026-01-05,C1,100
        R9,2026-01-03,C3,-50
    """)
    write(tmp_path, "customers.csv", """
        customer_id,segment
        C1,PME
        C3,PME
    """)
    ds = kit.load_dataset(tmp_path)
    got = ds.customers.set_index("customer_id")["acquired_at"]
    # C1 bought first on 5 January (R0 is a return); C3 only returned: no acquisition date
    assert got["C1"] == pd.Timestamp("2026-01-05") and pd.isna(got["C3"])
    assert issue(ds, "customers", "derived", "acquired_at")["count"] == 1
