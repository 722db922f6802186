"""Enrichment (kit.io.enrich) and orders derived from won opportunities (kit.io.derive)."""

from __future__ import annotations

import pandas as pd
import pytest

import kit
from tests.io.helpers import issue, small_frames


@pytest.fixture(scope="module")
def ds():
    return kit.load_dataset(small_frames())


def _values(s: pd.Series) -> list:
    """The values of ``s``, ``None`` where missing (text columns hold NaN there)."""
    return s.astype(object).where(s.notna(), None).tolist()


def test_tables_with_rep_id_gain_team_manager_region(ds):
    frames = small_frames()
    reps = frames["reps"].set_index("rep_id")
    for t in ("leads", "opportunities", "activities", "orders"):
        table = ds.tables[t]
        assert len(table) == len(frames[t])  # many-to-one: rows unchanged
        want = table["rep_id"].map(reps["team"])
        assert _values(table["team"]) == want.where(want.notna(), None).tolist(), t
        assert _values(table["manager"]) == table["rep_id"].map(reps["manager"]).where(
            table["rep_id"].notna(), None).tolist()
        assert "region" in table.columns


def test_existing_columns_are_only_filled(ds):
    # targets: the team target keeps its team, rep targets get the rep's team
    assert ds.targets["team"].tolist() == ["Nord", "Sud", "Sud"]


def test_product_category_and_customer_source_segment(ds):
    frames = small_frames()
    cat = frames["products"].set_index("product_id")["category"]
    assert ds.orders["product_category"].tolist() == ds.orders["product_id"].map(cat).tolist()
    assert ds.opportunities["product_category"].tolist() == ds.opportunities["product_id"].map(cat).tolist()
    cust = ds.customers.set_index("customer_id")
    assert ds.orders["segment"].tolist() == ds.orders["customer_id"].map(cust["segment"]).tolist()
    src = ds.orders["customer_id"].map(cust["source"])
    assert ds.orders["source"].tolist() == src.where(src.notna(), None).tolist()
    assert "product_category" not in ds.leads.columns  # leads have no product_id


def test_acquired_at_from_first_order(ds):
    frames = small_frames()
    first = frames["orders"].groupby("customer_id")["ordered_at"].min()
    given = frames["customers"].set_index("customer_id")["acquired_at"]
    got = ds.customers.set_index("customer_id")["acquired_at"]
    for cid in given.index:
        want = given[cid] if pd.notna(given[cid]) else first.get(cid, pd.NaT)
        assert (pd.isna(want) and pd.isna(got[cid])) or got[cid] == want, cid
    n = int(given.isna().sum() - (~given[given.isna()].index.isin(first.index)).sum())
    assert issue(ds, "customers", "derived", "acquired_at")["count"] == n


def test_duplicate_rep_does_not_multiply_rows(tmp_path):
    frames = small_frames()
    frames["reps"] = pd.concat([frames["reps"], frames["reps"].iloc[[0]].assign(team="Est")])
    ds = kit.load_dataset(frames)
    assert len(ds.leads) == len(frames["leads"])
    assert (ds.leads.loc[ds.leads["rep_id"] == "R1", "team"] == "Nord").all()  # first row kept
    assert issue(ds, "reps", "duplicate", "rep_id")["rows"] == [5]


def test_derived_orders_one_per_won_deal(tmp_path):
    frames = small_frames()
    opps = frames["opportunities"].copy()
    won = opps["status"] == "won"
    opps.loc[won.idxmax(), "closed_at"] = pd.NaT  # a won deal without close date
    ds = kit.load_dataset({"opportunities": opps, "reps": frames["reps"],
                           "products": frames["products"]})
    usable = opps[won & opps["closed_at"].notna()]
    orders = ds.orders
    assert orders["order_id"].tolist() == usable["opportunity_id"].tolist()
    assert orders["ordered_at"].tolist() == usable["closed_at"].tolist()
    assert orders["amount"].tolist() == usable["amount"].tolist()
    assert orders["customer_id"].tolist() == usable["customer_id"].tolist()
    assert orders["team"].notna().all() and orders["product_category"].notna().all()
    info = ds.issues[(ds.issues["table"] == "orders") & (ds.issues["rule"] == "derived")]
    assert info["severity"].tolist() == ["warning", "info"]
    assert info["count"].tolist() == [1, len(usable)]
    assert "could not become orders" in info["message"].iloc[0]
    assert kit.compute(ds, "win_rate")["numerator"].iloc[0] == won.sum()


def test_no_derivation_when_orders_exist(ds):
    assert not ((ds.issues["table"] == "orders") & (ds.issues["rule"] == "derived")).any()
    assert len(ds.orders) == len(small_frames()["orders"])


def test_derived_orders_without_customer_column():
    opps = pd.DataFrame({"opportunity_id": ["O1"], "created_at": ["2026-01-01"], "rep_id": ["R1"],
                         "status": ["won"], "amount": ["10"], "closed_at": ["2026-01-10"]})
    ds = kit.load_dataset({"opportunities": opps})
    assert ds.orders[["order_id", "amount"]].to_dict("records") == [{"order_id": "O1", "amount": 10.0}]
    assert "no customer_id" in issue(ds, "orders", "derived", "customer_id")["message"]
