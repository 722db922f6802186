"""A French Excel export (cp1252, ``;``, ``1 234,56 €``, ``31/12/2025 14:05``) loads to the right values."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

import kit
from kit.io.output import TEXT
from tests.io.helpers import checksums

FRENCH = Path(__file__).resolve().parents[1] / "data" / "french_export"


def test_files_are_really_cp1252_with_non_breaking_spaces():
    raw = (FRENCH / "orders.csv").read_bytes()
    assert b"1\xa0234,56\xa0\x80" in raw  # NBSP and the euro sign in Windows-1252
    assert b";" in raw.splitlines()[0] and b"\r\n" in raw


def test_french_export_values():
    before = checksums(FRENCH)
    ds = kit.load_dataset(FRENCH)
    assert checksums(FRENCH) == before  # input files never written to
    orders = ds.orders
    assert orders["order_id"].tolist() == ["CMD-001", "CMD-002", "CMD-003"]
    assert orders["amount"].tolist() == [1234.56, 12500.0, 99.9]
    assert orders["cost"].tolist()[0] == 800.0 and pd.isna(orders["cost"].iloc[1])
    assert orders["ordered_at"].tolist() == [pd.Timestamp("2025-12-31 14:05"),
                                             pd.Timestamp("2026-01-02 09:30"),
                                             pd.Timestamp("2026-01-15")]
    assert ds.products["unit_price"].tolist() == [12.5, 1250.0]
    assert ds.customers["region"].tolist() == ["Île-de-France", "Hauts-de-France"]
    assert ds.customers["source"].tolist() == ["salon", "réseau"]
    # enrichment: product category, the customer's source and segment
    assert orders["product_category"].tolist() == ["Épicerie", "Épicerie fine", "Épicerie"]
    assert orders["source"].tolist() == ["salon", "réseau", "salon"]
    assert orders["segment"].tolist() == ["PME", "ETI", "PME"]
    # C001 had no acquired_at: it is the date of the first order
    assert ds.customers["acquired_at"].tolist() == [pd.Timestamp("2025-12-31 14:05"),
                                                    pd.Timestamp("2025-12-01")]
    assert not (ds.issues["severity"] == "error").any()


def test_pandas_types(tmp_path):
    ds = kit.load_dataset(FRENCH)
    o = ds.orders
    # text is held by Arrow (pandas' "str" dtype), each value a str
    assert o["order_id"].dtype == TEXT and all(isinstance(v, str) for v in o["order_id"])
    assert str(o["ordered_at"].dtype) == "datetime64[ns]" and o["ordered_at"].dt.tz is None
    assert o["amount"].dtype == "float64"
    # text of a few values (the category the loader adds from products) is categorical, of text
    assert isinstance(o["product_category"].dtype, pd.CategoricalDtype)
    assert o["product_category"].cat.categories.dtype == TEXT
    assert o["product_category"].tolist() == ["Épicerie", "Épicerie fine", "Épicerie"]


def test_utf8_with_bom_and_narrow_spaces(tmp_path):
    (tmp_path / "costs.csv").write_bytes(
        "\ufeffperiod\tamount\tcategory\n2026-01\t1\u202f000,50\u00a0€\tMarketing\n".encode("utf-8"))
    ds = kit.load_dataset(tmp_path)
    assert ds.costs.to_dict("records") == [
        {"period": pd.Timestamp("2026-01-01"), "amount": 1000.5, "category": "marketing"}]


def test_copy_of_export_with_timezone_offsets(tmp_path):
    shutil.copytree(FRENCH, tmp_path / "fr")
    (tmp_path / "fr" / "orders.csv").write_text(
        "order_id,ordered_at,customer_id,amount\nA,2025-07-01T10:00:00Z,C001,1\n", encoding="utf-8")
    ds = kit.load_dataset(tmp_path / "fr", timezone="Europe/Paris")
    assert ds.orders["ordered_at"].tolist() == [pd.Timestamp("2025-07-01 12:00")]
