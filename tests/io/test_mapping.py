"""Mappings: column renames, value maps, files, YAML, presets (kit.io.mapping)."""

from __future__ import annotations

import pandas as pd
import pytest

import kit
from kit.errors import DataError, ParameterError
from kit.io.mapping import load_mapping, rename_plan, resolve, snake
from tests.io.helpers import issue, write

PIPELINE = """
opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value
1C1I7A6R,Moses Frase,GTX Plus Basic,Cancity,Won,2016-10-20,2017-03-01,1054
Z063OYW0,Darcel Schlecht,GTXPro,Isdom,Won,2016-10-25,2017-03-11,4514
EC4QE1BX,Darcel Schlecht,MG Special,Cancity,Engaging,2016-10-25,,
MV1LWRNH,Moses Frase,GTX Basic,Codehow,Lost,2016-10-25,2017-03-07,0
"""

YAML = """
ignore: [data_dictionary.csv]
opportunities:
  file: sales_pipeline.csv
  columns:
    sales_agent: rep_id
    product: product_id
    account: customer_id
    deal_stage: status
    engage_date: created_at
    close_date: closed_at
    close_value: amount
  values:
    deal_stage: {Won: won, Lost: lost, Engaging: open, Prospecting: open}
"""


def test_crm_export_with_yaml_mapping_and_derived_orders(tmp_path):
    write(tmp_path, "sales_pipeline.csv", PIPELINE)
    write(tmp_path, "data_dictionary.csv", "Table,Field\nx,y\n")
    (tmp_path / "conf").mkdir()
    mapping = tmp_path / "conf" / "mapping.yaml"
    mapping.write_text(YAML, encoding="utf-8")
    ds = kit.load_dataset(tmp_path, mapping=mapping)
    opp = ds.opportunities
    assert opp["status"].tolist() == ["won", "won", "open", "lost"]
    assert opp["rep_id"].tolist()[0] == "Moses Frase"
    assert opp["amount"].tolist()[:2] == [1054.0, 4514.0]
    orders = ds.orders  # no orders file: one order per won deal
    assert orders["order_id"].tolist() == ["1C1I7A6R", "Z063OYW0"]
    assert orders["ordered_at"].tolist() == [pd.Timestamp("2017-03-01"), pd.Timestamp("2017-03-11")]
    assert orders["amount"].tolist() == [1054.0, 4514.0]
    assert orders["customer_id"].tolist() == ["Cancity", "Isdom"]
    assert orders["opportunity_id"].tolist() == orders["order_id"].tolist()
    got = issue(ds, "orders", "derived")
    assert got["severity"] == "info" and got["count"] == 2
    assert "derived from the won opportunities" in got["message"]


def test_value_maps_by_new_name_and_header_normalisation(tmp_path):
    write(tmp_path, "opportunities.csv", """
        Opportunity ID,Created At,Rep ID,Statut
        O1,05/01/2026,R1,Gagnée
        O2,06/01/2026,R1,Perdue
    """)
    ds = kit.load_dataset(tmp_path, mapping={"opportunities": {
        "columns": {"Statut": "status"}, "values": {"status": {"Gagnée": "won", "Perdue": "lost"}}}})
    assert list(ds.opportunities.columns[:4]) == ["opportunity_id", "created_at", "rep_id", "status"]
    assert ds.opportunities["status"].tolist() == ["won", "lost"]


def test_mapped_column_absent_from_file_is_explained(tmp_path):
    write(tmp_path, "leads.csv", "lead_id,date\nL1,2026-01-05\n")
    with pytest.raises(DataError, match=r"The mapping renames 'Date de création' to 'created_at', but "
                                        r"there is no column 'Date de création'"):
        kit.load_dataset(tmp_path, mapping={"leads": {"columns": {"Date de création": "created_at"}}})


def test_mapped_file_missing(tmp_path):
    write(tmp_path, "leads.csv", "lead_id,created_at\nL1,2026-01-05\n")
    with pytest.raises(DataError, match=r"reads table 'orders' from 'ventes\.csv', which is not in"):
        kit.load_dataset(tmp_path, mapping={"orders": {"file": "ventes.csv"}})


def test_bad_mappings():
    with pytest.raises(ParameterError, match=r"'lead' is not a table of the contract \(did you mean 'leads'\?\)"):
        load_mapping({"lead": {}})
    with pytest.raises(ParameterError, match=r"unknown key\(s\) \['colums'\] \(did you mean 'columns'\?\)"):
        load_mapping({"leads": {"colums": {}}})
    with pytest.raises(ParameterError, match="must be a dict or the path of a YAML file; received list"):
        load_mapping([1])
    with pytest.raises(DataError, match="mapping file 'nope.yaml' does not exist"):
        load_mapping("nope.yaml")


def test_unknown_preset_lists_presets():
    with pytest.raises(DataError, match=r"Unknown preset 'salesforse'.*available presets: "):
        resolve("salesforse")


def test_yaml_booleans_are_read_as_text(tmp_path):
    m = tmp_path / "m.yaml"
    m.write_text("referrals:\n  values:\n    valid: {yes: 'true', no: 'false'}\n", encoding="utf-8")
    assert load_mapping(m)["referrals"]["values"]["valid"] == {"true": "true", "false": "false"}


def test_snake_and_rename_plan():
    assert snake("Montant (€) TTC") == "montant_ttc"
    plan = rename_plan("orders", ["Order ID", "Date", "amount"], {"columns": {"date": "ordered_at"}})
    assert plan.renames == {"Date": "ordered_at", "Order ID": "order_id"}
