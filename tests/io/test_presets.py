"""CRM export presets on small exports written in each CRM's format (kit.io.presets).

The exports are in tests/data/exports/: HubSpot (English, US dates, internal stage
values, multi-currency), HubSpot in French (``;``, cp1252, ``1 234,56 €``,
``31/12/2025``), Salesforce (reports with their footers) and Pipedrive (deals and
activities). Expected values are read off the files by hand.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import kit
from kit import cli
from kit.errors import DataError, ParameterError
from kit.io.mapping import resolve
from kit.io.presets import PRESET_DIR, discover_preset, load_preset, normalise_dates
from tests.io.helpers import checksums, issue, rows_read, write

EXPORTS = Path(__file__).resolve().parents[1] / "data" / "exports"
T = pd.Timestamp


def test_hubspot_deals_export():
    before = checksums(EXPORTS / "hubspot")
    ds = kit.load_dataset(EXPORTS / "hubspot", preset="hubspot")
    assert checksums(EXPORTS / "hubspot") == before
    opp = ds.opportunities
    assert opp["opportunity_id"].tolist() == ["9001", "9002", "9003", "9004"]
    assert opp["status"].tolist() == ["won", "lost", "open", "won"]  # closedwon, ..., "Closed Won"
    assert opp["stage"].tolist() == ["Closed Won", "Closed Lost", "Qualified To Buy", "Closed Won"]
    # the company-currency amount, not the deal's own currency (1000 USD)
    assert opp["amount"].tolist()[:3] == [920.5, 2500.0, 800.0] and pd.isna(opp["amount"].iloc[3])
    # month-first with AM/PM; an open deal's Close Date is only expected: not a closing
    assert opp["created_at"].tolist() == [T("2026-01-05 09:00"), T("2026-01-12 11:30"),
                                          T("2026-02-01 08:15"), T("2026-02-03 13:00")]
    assert opp["closed_at"].tolist()[:2] == [T("2026-03-15 14:05"), T("2026-02-28 10:00")]
    assert pd.isna(opp["closed_at"].iloc[2])
    # reps from the owner names; " john smith " is John Smith
    assert opp["rep_id"].tolist() == ["Jane Doe", "John Smith", "Jane Doe", "John Smith"]
    assert ds.reps.to_dict("list") == {"rep_id": ["Jane Doe", "John Smith"],
                                       "name": ["Jane Doe", "John Smith"]}
    assert issue(ds, "reps", "created")["count"] == 2
    # won deals become orders; the one without amount is reported
    assert ds.orders["order_id"].tolist() == ["9001"]
    warn = ds.issues[(ds.issues["rule"] == "derived") & (ds.issues["severity"] == "warning")]
    assert warn["rows"].tolist() == [[5]]
    assert rows_read(ds) == {"opportunities": 4, "reps": 2}


def test_french_hubspot_export():
    raw = next((EXPORTS / "hubspot_fr").glob("*.csv")).read_bytes()
    assert b"\xc9milie" in raw and b"1\xa0234,56\xa0\x80" in raw and b";" in raw and b"\r\n" in raw
    ds = kit.load_dataset(EXPORTS / "hubspot_fr", preset="hubspot")
    opp = ds.opportunities
    assert opp["status"].tolist() == ["won", "lost", "open"]
    assert opp["amount"].tolist() == [1234.56, 12500.0, 980.0]
    assert opp["created_at"].tolist() == [T("2025-12-02 09:15"), T("2026-01-05 14:00"),
                                          T("2026-01-06 10:45")]
    assert opp["closed_at"].tolist()[:2] == [T("2025-12-31 16:30"), T("2026-01-15")]
    assert pd.isna(opp["closed_at"].iloc[2])  # open deal
    assert opp["customer_id"].tolist()[2] == "Épicerie fine Roux"
    assert ds.reps["rep_id"].tolist() == ["Émilie Durand", "Jérôme Petit"]
    assert ds.orders[["order_id", "amount"]].to_dict("records") == [{"order_id": "101", "amount": 1234.56}]
    assert not (ds.issues["severity"] == "error").any()


def test_salesforce_reports_with_footers_and_history():
    ds = kit.load_dataset(EXPORTS / "salesforce", preset="salesforce")
    opp = ds.opportunities
    assert opp["opportunity_id"].tolist() == ["0065g00000AbCdE", "0065g00000AbCdF", "0065g00000AbCdG"]
    assert opp["status"].tolist() == ["won", "lost", "open"]  # from the Won and Closed columns
    assert opp["amount"].tolist() == [1104.0, 5000.0, 750.0]  # Amount (converted)
    assert opp["export: Amount"].tolist()[0] == "1,200.00"  # the other amount is kept aside
    assert opp["closed_at"].tolist()[:2] == [T("2026-03-15"), T("2026-02-10")]
    assert pd.isna(opp["closed_at"].iloc[2])
    # footers are not rows: neither read nor rejected, but said
    assert rows_read(ds) == {"opportunities": 3, "stage_history": 3, "reps": 2}
    assert all(len(r) == 0 for r in ds.rejected.values())
    foot = ds.issues[ds.issues["rule"] == "footer"]
    assert foot[["table", "count", "rows"]].values.tolist() == [
        ["opportunities", 5, [6, 8, 9, 10, 11]], ["stage_history", 1, [7]]]
    # history by name, linked to the IDs; the row without a stage change is left out
    sh = ds.stage_history
    assert sh[["opportunity_id", "stage", "entered_at"]].values.tolist() == [
        ["0065g00000AbCdE", "Qualification", T("2026-01-08")],
        ["0065g00000AbCdE", "Closed Won", T("2026-03-15")],
        ["0065g00000AbCdF", "Closed Lost", T("2026-02-10")]]
    assert issue(ds, "stage_history", "not_a_change")["rows"] == [4]
    assert issue(ds, "stage_history", "linked_by_name")["count"] == 3
    assert not (ds.issues["severity"].isin(["error", "warning"])).any(), ds.issues


def test_pipedrive_deals_and_activities():
    ds = kit.load_dataset(EXPORTS / "pipedrive", preset="pipedrive")
    opp = ds.opportunities
    assert opp[["opportunity_id", "status", "amount"]].values.tolist() == [
        ["31", "won", 1500.0], ["32", "lost", 900.0], ["33", "open", 400.0]]
    assert opp["closed_at"].tolist()[:2] == [T("2026-02-10 16:00"), T("2026-02-01 11:00")]
    assert opp["lost_reason"].tolist()[1] == "Price too high"
    assert ds.rejected["opportunities"][["_line", "_reason"]].values.tolist() == [
        [5, "status Deleted not allowed"]]
    act = ds.activities
    assert act[["activity_id", "type", "rep_id", "opportunity_id"]].values.tolist() == [
        ["501", "call", "Jane Doe", "31"], ["502", "meeting", "Jane Doe", "31"],
        ["503", "email", "John Smith", "32"]]
    assert act["occurred_at"].tolist() == [T("2026-01-06"), T("2026-01-15"), T("2026-01-09")]
    assert ds.rejected["activities"]["_reason"].tolist() == ["type task not allowed"]
    assert sorted(ds.reps["rep_id"]) == ["Jane Doe", "John Smith"]
    assert rows_read(ds) == {"activities": 4, "opportunities": 4, "reps": 2}


def test_headers_ignore_case_spaces_and_a_reps_file_is_used(tmp_path):
    write(tmp_path, "export.csv", """
        " record id ",DEAL STAGE,deal owner,  Amount  ,create date,Close Date
        1,closedwon,Ana,10,2026-01-05,2026-01-20
    """)
    write(tmp_path, "reps.csv", "rep_id,team\nAna,Nord\n")
    ds = kit.load_dataset(tmp_path, preset="hubspot")
    assert ds.opportunities[["opportunity_id", "status", "amount", "team"]].values.tolist() == [
        ["1", "won", 10.0, "Nord"]]
    assert ds.reps["team"].tolist() == ["Nord"]  # the reps file, not names of owners
    assert not (ds.issues["rule"] == "created").any()


def test_salesforce_workbook_with_footer_and_extra_sheet(tmp_path):
    rows = [["Opportunity Owner", "Stage", "Created Date", "Opportunity ID", "Amount", "Close Date"],
            ["Ana", "Closed Won", "15/01/2026", "006A", "1 500,00 €", "31/01/2026"],
            ["Bob", "Prospecting", "16/01/2026", "006B", "", "28/02/2026"],
            [None] * 6,
            ["Grand Totals (2 records)", None, None, None, "1 500,00 €", None],
            ["Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.", None, None, None, None, None]]
    path = tmp_path / "rapport.xlsx"
    with pd.ExcelWriter(path) as x:
        pd.DataFrame({"Filtres": ["Période: T1"]}).to_excel(x, sheet_name="Filtres", index=False)
        pd.DataFrame(rows[1:], columns=rows[0]).to_excel(x, sheet_name="Rapport", index=False)
    ds = kit.load_dataset(path, preset="salesforce")
    opp = ds.opportunities
    assert opp[["opportunity_id", "status", "amount"]].values.tolist()[0] == ["006A", "won", 1500.0]
    assert opp["created_at"].tolist() == [T("2026-01-15"), T("2026-01-16")]  # day-first
    assert issue(ds, "opportunities", "footer")["rows"] == [5, 6]  # row 4 is blank
    assert issue(ds, "opportunities", "footer")["message"].startswith("rapport.xlsx, sheet 'Rapport'")
    assert issue(ds, "opportunities", "sheet_ignored")["message"].startswith(
        "rapport.xlsx, sheet 'Filtres' matches no table of the Salesforce preset")
    assert rows_read(ds)["opportunities"] == 2
    assert cli.main(["check", str(path), "--preset", "salesforce"]) == 0


def test_a_copied_and_edited_preset(tmp_path):
    mine = tmp_path / "my-hubspot.yaml"
    text = (PRESET_DIR / "hubspot.yaml").read_text(encoding="utf-8")
    text = text.replace("won: [closedwon,", "won: [Signed, closedwon,")
    text = text.replace("rep_id: [Deal owner,", "rep_id: [Account manager, Deal owner,")
    mine.write_text(text, encoding="utf-8")
    write(tmp_path, "deals.csv", """
        Record ID,Deal Stage,Account manager,Create Date,Close Date
        1,Signed,Ana,2026-01-05,2026-01-20
        2,Demo,Bob,2026-01-06,2026-01-30
    """)
    ds = kit.load_dataset(tmp_path / "deals.csv", preset=str(mine))
    assert ds.opportunities[["status", "rep_id"]].values.tolist() == [["won", "Ana"], ["open", "Bob"]]
    # a mapping applies on top of the preset's tables
    ds = kit.load_dataset(tmp_path / "deals.csv", preset=str(mine),
                          mapping={"opportunities": {"values": {"stage": {"Demo": "Démonstration"}}}})
    assert ds.opportunities["stage"].tolist() == ["Signed", "Démonstration"]


def test_kit_check_with_presets(capsys):
    assert cli.main(["check", str(EXPORTS / "salesforce"), "--preset", "salesforce"]) == 0
    out = capsys.readouterr().out
    assert "Problems: 0 error(s), 0 warning(s)" in out
    assert cli.main(["check", str(EXPORTS / "pipedrive"), "--preset", "pipedrive"]) == 1
    out, err = capsys.readouterr()
    assert "status Deleted" in out or "'Deleted'" in out
    assert "Traceback" not in out + err


def test_preset_errors(tmp_path):
    with pytest.raises(DataError, match=r"Unknown preset 'hubspto' \(did you mean 'hubspot'\?\); "
                                        r"available presets: hubspot, pipedrive, salesforce"):
        kit.load_dataset(EXPORTS / "hubspot", preset="hubspto")
    with pytest.raises(DataError, match=r"a preset reads CRM export files; received the database URL"):
        kit.load_dataset("sqlite:///crm.db", preset="hubspot")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: X\ntables:\n  opportunities:\n    match: [[Stage]]\n    colums: {}\n",
                   encoding="utf-8")
    with pytest.raises(ParameterError, match=r"unknown key\(s\) \['colums'\] \(did you mean 'columns'\?\)"):
        load_preset(bad)
    bad.write_text("tables:\n  opportunities:\n    match: [[Stage]]\n    columns: {owner: [Owner]}\n",
                   encoding="utf-8")
    with pytest.raises(ParameterError, match=r"'owner' is not a column of the contract"):
        load_preset(bad)
    bad.write_text("tables:\n  deals:\n    match: [[Stage]]\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"'deals' is not a table of the contract"):
        load_preset(bad)


def test_two_files_for_one_table(tmp_path):
    for name in ("a.csv", "b.csv"):
        shutil.copy(next((EXPORTS / "hubspot").glob("*.csv")), tmp_path / name)
    with pytest.raises(DataError, match=r"'a\.csv' and 'b\.csv' are both a HubSpot export for "
                                        r"table 'opportunities'; keep one"):
        kit.load_dataset(tmp_path, preset="hubspot")


def test_date_order_falls_back_on_the_file_then_the_locale():
    f = pd.DataFrame({"a": ["1/2/2026"], "b": ["1/13/2026"]})
    assert normalise_dates(f, ["a", "b"]) == {"a": False, "b": False}
    assert f["a"].tolist() == ["2026-01-02"]
    f = pd.DataFrame({"a": ["1/2/2026"]})
    assert normalise_dates(f.copy(), ["a"]) == {}  # left to the loader (day-first)
    assert normalise_dates(f, ["a"], locale="en") == {"a": False} and f["a"].tolist() == ["2026-01-02"]


def test_plain_mapping_view_of_a_preset():
    m = resolve("hubspot")
    assert m["opportunities"]["columns"]["Deal owner"] == "rep_id"
    assert m["opportunities"]["values"]["stage"]["closedwon"] == "Closed Won"


def test_each_preset_loads_and_matches_its_own_tables():
    for name in ("hubspot", "salesforce", "pipedrive"):
        p = load_preset(name)
        assert p.reps_from_owners and p.tables
    raws, problems, notes, money = discover_preset(EXPORTS / "pipedrive", "pipedrive", {"ignore": []})
    assert sorted(raws) == ["activities", "opportunities", "reps"] and problems == []
