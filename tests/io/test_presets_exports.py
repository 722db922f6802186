"""CRM exports as they come (kit.io.presets, kit.io.stages, kit.io.currency, kit.io.export_fields).

Each test writes an export shaped as the CRM writes it (custom stage labels,
repeated headers, no owner, no id, several currencies, a report without Amount,
Pipedrive with and without "Deal - ID") and checks the counts of won, lost and open
deals and the KPI values, worked out by hand from the rows, or the exact message.
"""

from __future__ import annotations

import pandas as pd
import pytest

import kit
from kit import cli
from kit.errors import DataError, ParameterError
from tests.io.helpers import issue, write

T = pd.Timestamp


def counts(ds) -> dict:
    """``{status: deals}`` of the loaded opportunities."""
    return ds.opportunities["status"].value_counts().to_dict()


def win_rate(ds) -> float:
    return float(kit.compute(ds, "win_rate")["value"].iloc[0])


def revenue(ds) -> float:
    return float(kit.compute(ds, "revenue")["value"].iloc[0])


def test_hubspot_custom_pipeline_labels(tmp_path, capsys):
    path = write(tmp_path, "hubspot-crm-exports-all-deals.csv", """
        Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Deal owner
        1,A,Closed: won,1000,2026-02-10,2026-01-05,Ana
        2,B,Closed: lost,500,2026-02-11,2026-01-06,Ana
        3,C,Won – enterprise,250,2026-02-12,2026-01-07,Bob
        4,D,Demo booked,300,2026-04-30,2026-01-08,Bob
        5,E,Demo booked,100,2026-04-30,2026-01-09,Bob
        6,F,Fermée gagnée,50,2026-02-13,2026-01-10,Ana
        7,G,Closed (other),70,2026-02-14,2026-01-11,Ana
    """)
    ds = kit.load_dataset(path, preset="hubspot")
    assert counts(ds) == {"won": 3, "open": 2, "lost": 1}
    # the closed deal whose export says neither won nor lost is set aside, not open
    assert ds.rejected["opportunities"][["_line", "_reason"]].values.tolist() == [
        [8, "status unknown not allowed"]]
    assert win_rate(ds) == pytest.approx(3 / 4)
    assert revenue(ds) == pytest.approx(1000 + 250 + 50)
    unknown = issue(ds, "opportunities", "stage_unknown")
    assert unknown["severity"] == "warning" and unknown["count"] == 2 and unknown["rows"] == [5, 6]
    assert "'Demo booked' (2)" in unknown["message"]
    assert "opportunities: {values: {status: {'Demo booked': open}}}" in unknown["message"]
    closed = issue(ds, "opportunities", "stage_closed")
    assert closed["rows"] == [8] and "'Closed (other)' (1)" in closed["message"]
    assert "'Won – enterprise' -> won" in issue(ds, "opportunities", "stage_words")["message"]
    # kit check lists the labels with their counts and the YAML line to map them
    assert cli.main(["check", str(path), "--preset", "hubspot"]) == 1
    out = capsys.readouterr().out
    assert "rule stage_unknown: 2 rows" in out and "'Demo booked' (2)" in out
    # the one line of YAML, in a mapping file, maps them
    (tmp_path / "stages.yaml").write_text(
        "opportunities: {values: {status: {'Demo booked': open, 'Closed (other)': lost}}}\n",
        encoding="utf-8")
    ds = kit.load_dataset(path, preset="hubspot", mapping=tmp_path / "stages.yaml")
    assert counts(ds) == {"won": 3, "open": 2, "lost": 2}
    assert win_rate(ds) == pytest.approx(3 / 5)
    assert not ds.issues["rule"].isin(["stage_unknown", "stage_closed"]).any()


def test_hubspot_flags_and_probability_decide_over_labels(tmp_path):
    path = write(tmp_path, "deals.csv", """
        Record ID,Deal Stage,Is Closed Won,Is Deal Closed?,Deal Stage Probability,Amount,Close Date,Create Date,Deal owner
        1,Signé !,true,true,1.0,400,2026-03-01,2026-01-05,Ana
        2,Abandon,false,true,0.0,100,2026-03-02,2026-01-05,Ana
        3,Phase 3,false,false,0.6,100,2026-06-01,2026-01-05,Ana
        4,Perso A,,,1.0,200,2026-03-03,2026-01-05,Ana
        5,Perso B,,,0.0,200,2026-03-04,2026-01-05,Ana
        6,Perso C,,,0.2,200,2026-05-04,2026-01-05,Ana
    """)
    ds = kit.load_dataset(path, preset="hubspot")
    assert ds.opportunities["status"].tolist() == ["won", "lost", "open", "won", "lost", "open"]
    assert win_rate(ds) == pytest.approx(2 / 4)
    assert revenue(ds) == pytest.approx(600)
    prob = issue(ds, "opportunities", "stage_probability")
    assert prob["count"] == 3 and "'Deal Stage Probability'" in prob["message"]
    assert not ds.issues["rule"].isin(["stage_unknown", "stage_closed"]).any(), ds.issues


def test_closed_flag_without_won_flag_is_unknown_not_open(tmp_path):
    # a Salesforce report with the Closed checkbox but not the Won one, custom stages
    path = write(tmp_path, "report.csv", """
        Opportunity Owner,Opportunity ID,Stage,Closed,Amount,Close Date,Created Date
        Ana,006A,Signed,1,100,2026-02-01,2026-01-05
        Ana,006B,Dropped,1,100,2026-02-02,2026-01-05
        Ana,006C,Talking,0,100,2026-05-02,2026-01-05
        Ana,006D,Closed Lost,1,100,2026-02-03,2026-01-05
    """)
    ds = kit.load_dataset(path, preset="salesforce")
    assert counts(ds) == {"open": 1, "lost": 1, "won": 1}  # "Signed" is won by its word
    assert ds.rejected["opportunities"]["_line"].tolist() == [3]
    msg = issue(ds, "opportunities", "stage_closed")["message"]
    assert "the flag 'Closed' says closed" in msg and "'Dropped' (1)" in msg


def test_hubspot_all_properties_export_with_repeated_headers(tmp_path, capsys):
    path = write(tmp_path, "all-deals.csv", """
        Record ID,Deal Name,Associated Company,Associated Company IDs,Deal Stage,Amount,Close Date,Create Date,Deal owner,Associated Company,Associated Company IDs
        11,A,Acme,501,closedwon,900,2026-02-01,2026-01-02,Ana,Acme Holding,601
        12,B,Globex,502,closedlost,100,2026-02-02,2026-01-03,Bob,,
        13,C,Initech,503,contractsent,300,2026-05-02,2026-01-04,Bob,,
    """)
    ds = kit.load_dataset(path, preset="hubspot")
    assert counts(ds) == {"won": 1, "lost": 1, "open": 1}
    assert ds.opportunities["customer_id"].tolist() == ["Acme", "Globex", "Initech"]
    assert ds.opportunities["Associated Company (2)"].tolist() == ["Acme Holding", "", ""]
    assert win_rate(ds) == 0.5 and revenue(ds) == 900.0
    rep = ds.issues[ds.issues["rule"] == "repeated_header"]
    assert rep["message"].tolist() == [
        "all-deals.csv: the header has 2 columns named 'Associated Company', read as "
        "['Associated Company', 'Associated Company (2)']; customer_id is read from the first "
        "one, 'Associated Company'. The export writes it so: nothing to fix.",
        "all-deals.csv: the header has 2 columns named 'Associated Company IDs', read as "
        "['Associated Company IDs', 'Associated Company IDs (2)']; none of them is used. The "
        "export writes it so: nothing to fix."]
    assert cli.main(["check", str(path), "--preset", "hubspot"]) == 0
    assert "customer_id is read from the first one, 'Associated Company'" in " ".join(
        capsys.readouterr().out.split())


def test_repeated_headers_in_a_workbook(tmp_path):
    rows = [["Record ID", "Deal Stage", "Deal owner", "Create Date", "Amount", "Close Date", "Amount"],
            ["1", "Closed Won", "Ana", "2026-01-05", "10", "2026-01-20", "99"]]
    path = tmp_path / "deals.xlsx"
    pd.DataFrame(rows[1:], columns=rows[0]).to_excel(path, index=False)
    ds = kit.load_dataset(path, preset="hubspot")
    assert ds.opportunities["amount"].tolist() == [10.0]
    assert issue(ds, "opportunities", "repeated_header")["count"] == 2


def test_deals_export_without_owner(tmp_path):
    path = write(tmp_path, "deals.csv", """
        Record ID,Deal Stage,Amount,Close Date,Create Date
        1,closedwon,100,2026-02-01,2026-01-05
        2,closedlost,50,2026-02-02,2026-01-06
        3,closedwon,25,2026-02-03,2026-01-07
    """)
    ds = kit.load_dataset(path, preset="hubspot")
    assert "rep_id" not in ds.opportunities.columns and "reps" not in ds.tables
    assert counts(ds) == {"won": 2, "lost": 1}
    assert win_rate(ds) == pytest.approx(2 / 3) and revenue(ds) == 125.0
    msg = issue(ds, "opportunities", "absent", "rep_id")["message"]
    assert msg.startswith("deals.csv has no owner column (looked for ['Deal owner', ")
    assert "(no owner column)" in msg
    # a plain load (no preset) without rep_id loads too, and says so once
    ds = kit.load_dataset({"opportunities": pd.DataFrame({
        "opportunity_id": ["O1"], "created_at": ["2026-01-05"], "status": ["won"]})})
    assert issue(ds, "opportunities", "absent", "rep_id")["message"] == (
        "opportunities (DataFrame) has no rep_id column (no owner column: the deals are loaded "
        "without rep_id; KPIs by rep and rep comparisons are not available).")


def test_deals_export_without_id(tmp_path):
    text = """
        Deal Stage,Deal owner,Amount,Close Date,Create Date,Record ID
        closedwon,Ana,100,2026-02-01,2026-01-05,
        closedlost,Bob,50,2026-02-02,2026-01-06,
        closedwon,Ana,100,2026-02-01,2026-01-05,
    """
    # without the Record ID column the file is not recognised as a HubSpot export by its id:
    # Pipedrive deals are recognised without "Deal - ID", below; HubSpot needs its Deal Stage
    path = write(tmp_path, "deals.csv", text.replace(",Record ID", "").replace(",\n", "\n"))
    own = tmp_path / "mine.yaml"
    from kit.io.presets import PRESET_DIR

    own.write_text((PRESET_DIR / "hubspot.yaml").read_text(encoding="utf-8").replace(
        "      - [Record ID, ID de fiche, ID d'enregistrement, Deal ID, ID de la transaction]\n", "", 1),
        encoding="utf-8")
    ds = kit.load_dataset(path, preset=str(own))
    ids = ds.opportunities["opportunity_id"].tolist()
    assert [i.split("-")[0] for i in ids] == ["row2", "row3", "row4"]
    assert ids[0][5:] == ids[2][5:]  # same row content, same hash: only the row number differs
    assert ids == kit.load_dataset(path, preset=str(own)).opportunities["opportunity_id"].tolist()
    assert counts(ds) == {"won": 2, "lost": 1}
    assert win_rate(ds) == pytest.approx(2 / 3) and revenue(ds) == 200.0  # duplicates not found
    msg = issue(ds, "opportunities", "derived_id")["message"]
    assert "Duplicates (the same deal exported twice) cannot be detected" in msg


PIPEDRIVE = """
    Deal - ID,Deal - Title,Deal - Value,Deal - Currency,Deal - Status,Deal - Owner,Deal - Deal created,Deal - Won time,Deal - Lost time
    1,A,100,USD,Won,Ana,2026-01-05 09:00:00,2026-02-01 10:00:00,
    2,B,200,EUR,Won,Ana,2026-01-06 09:00:00,2026-02-02 10:00:00,
    3,C,300,USD,Lost,Bob,2026-01-07 09:00:00,,2026-02-03 10:00:00
    4,D,50,EUR,Open,Bob,2026-01-08 09:00:00,,
"""


def test_two_currencies_are_not_added_up(tmp_path):
    path = write(tmp_path, "deals.csv", PIPEDRIVE)
    ds = kit.load_dataset(path, preset="pipedrive")
    assert counts(ds) == {"won": 2, "lost": 1, "open": 1}
    assert win_rate(ds) == pytest.approx(2 / 3)
    assert "amount" not in ds.opportunities.columns and "orders" not in ds.tables
    assert ds.opportunities["export: Deal - Value"].tolist() == ["100", "200", "300", "50"]
    cur = issue(ds, "opportunities", "currencies")
    assert cur["severity"] == "warning" and "amounts in 2 currencies: EUR (2), USD (2)" in cur["message"]
    with pytest.raises(DataError, match=r"^KPI 'revenue' cannot be computed: the amounts of "
                                        r"'deals\.csv' are in 2 currencies \(EUR \(2\), USD \(2\)\): "
                                        r"revenue and the other money KPIs need amounts in one "
                                        r"currency\. Load with currency='EUR', rates=\{'USD': "
                                        r"<value of 1 USD in EUR>\} \(rates: the value of one "
                                        r"unit in the dataset currency\)"):
        kit.compute(ds, "revenue")
    # with rates: converted to the dataset currency, then added up
    ds = kit.load_dataset(path, preset="pipedrive", currency="EUR", rates={"USD": 0.5})
    assert ds.currency == "EUR"
    assert ds.opportunities["amount"].tolist() == [50.0, 200.0, 150.0, 50.0]
    assert revenue(ds) == 250.0
    # the dataset currency is the one without a rate when currency= is not given
    assert kit.load_dataset(path, preset="pipedrive", rates={"USD": 0.5}).currency == "EUR"
    with pytest.raises(DataError, match=r"rates has no rate for USD\. Pass rates=\{'USD': "
                                        r"<value of 1 USD in GBP>\}"):
        kit.load_dataset(path, preset="pipedrive", currency="GBP", rates={"EUR": 0.8})
    with pytest.raises(ParameterError, match=r"rates=\{'USD': -1\} is not allowed"):
        kit.load_dataset(path, preset="pipedrive", rates={"USD": -1})


def test_kit_check_counts_the_currencies(tmp_path, capsys):
    path = write(tmp_path, "deals.csv", PIPEDRIVE)
    assert cli.main(["check", str(path), "--preset", "pipedrive"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "WARNING opportunities.amount rule currencies: 4 rows" in out
    assert "EUR (2), USD (2)" in out


def test_one_currency_becomes_the_dataset_currency(tmp_path):
    path = write(tmp_path, "deals.csv", PIPEDRIVE.replace("EUR", "GBP").replace("USD", "GBP"))
    ds = kit.load_dataset(path, preset="pipedrive")
    assert ds.currency == "GBP" and revenue(ds) == 300.0
    with pytest.raises(DataError, match=r"the amounts of the export are in GBP \(column "
                                        r"'Deal - Currency'\), and currency='EUR' was given; omit "
                                        r"currency= \(the dataset is then in GBP\) or pass "
                                        r"rates=\{'GBP': <value of 1 GBP in EUR>\}"):
        kit.load_dataset(path, preset="pipedrive", currency="EUR")
    ds = kit.load_dataset(path, preset="pipedrive", currency="EUR", rates={"GBP": 2})
    assert ds.currency == "EUR" and revenue(ds) == 600.0


def test_salesforce_converted_amount_gives_the_currency(tmp_path):
    path = write(tmp_path, "report.csv", """
        Opportunity Owner,Opportunity ID,Stage,Amount Currency,Amount,Amount (converted) Currency,Amount (converted),Close Date,Created Date
        Ana,006A,Closed Won,USD,100,GBP,80,2026-02-01,2026-01-05
        Ana,006B,Closed Won,GBP,50,GBP,50,2026-02-02,2026-01-05
    """)
    ds = kit.load_dataset(path, preset="salesforce")
    assert ds.currency == "GBP" and revenue(ds) == 130.0
    assert issue(ds, "opportunities", "currencies")["severity"] == "info"


def test_salesforce_report_without_amount(tmp_path):
    path = write(tmp_path, "report1711111111111.csv", """
        Opportunity Owner,Opportunity ID,Stage,Won,Closed,Close Date,Created Date
        Ana,006A,Closed Won,1,1,3/15/2026,1/5/2026
        Bob,006B,Closed Lost,0,1,2/10/2026,1/20/2026
        Ana,006C,Prospecting,0,0,5/1/2026,2/2/2026
    """)
    ds = kit.load_dataset(path, preset="salesforce")
    assert counts(ds) == {"won": 1, "lost": 1, "open": 1}
    assert win_rate(ds) == 0.5
    with pytest.raises(DataError) as info:
        kit.compute(ds, "revenue")
    assert str(info.value) == (
        "KPI 'revenue' cannot be computed: the Salesforce export 'report1711111111111.csv' has "
        "no Amount column (looked for ['Amount (converted)', 'Montant (converti)', 'Amount', "
        "'Montant']): revenue needs it (orders are made from the amounts of won deals), and so "
        "do the other money KPIs. Add the Amount column to the export, or load an orders file.")


def test_pipedrive_with_and_without_deal_id(tmp_path):
    with_id = write(tmp_path / "a", "deals.csv", PIPEDRIVE.replace("USD", "EUR"))
    ds = kit.load_dataset(with_id, preset="pipedrive")
    assert ds.opportunities["opportunity_id"].tolist() == ["1", "2", "3", "4"]
    assert counts(ds) == {"won": 2, "lost": 1, "open": 1}
    assert win_rate(ds) == pytest.approx(2 / 3) and revenue(ds) == 300.0
    # no close-date column: closed_at is the won / lost time
    assert ds.opportunities["closed_at"].tolist()[:3] == [T("2026-02-01 10:00"), T("2026-02-02 10:00"),
                                                         T("2026-02-03 10:00")]
    assert pd.isna(ds.opportunities["closed_at"].iloc[3])
    assert issue(ds, "opportunities", "closed_from_times")["count"] == 3
    lines = [ln.split(",", 1)[1] for ln in PIPEDRIVE.replace("USD", "EUR").strip().splitlines()]
    without = write(tmp_path / "b", "deals.csv", "\n".join(lines))
    ds = kit.load_dataset(without, preset="pipedrive")
    assert counts(ds) == {"won": 2, "lost": 1, "open": 1}
    assert win_rate(ds) == pytest.approx(2 / 3) and revenue(ds) == 300.0
    assert ds.opportunities["opportunity_id"].str.match(r"^row\d-[0-9a-f]{8}$").all()
    assert issue(ds, "opportunities", "derived_id")["count"] == 4


def test_closed_at_from_hubspot_stage_dates_and_salesforce_last_change(tmp_path):
    entered = '"Date entered ""Closed Won (Sales Pipeline)""","Date entered ""Closed Lost (Sales Pipeline)"""'
    hub = write(tmp_path / "h", "deals.csv", f"""
        Record ID,Deal Stage,Deal owner,Create Date,Amount,{entered}
        1,closedwon,Ana,2026-01-05,10,2026-02-01 09:00,
        2,closedlost,Ana,2026-01-06,10,,2026-02-02 09:00
        3,contractsent,Ana,2026-01-07,10,,
    """)
    ds = kit.load_dataset(hub, preset="hubspot")
    assert ds.opportunities["closed_at"].tolist()[:2] == [T("2026-02-01 09:00"), T("2026-02-02 09:00")]
    assert win_rate(ds) == 0.5 and revenue(ds) == 10.0
    sf = write(tmp_path / "s", "report.csv", """
        Opportunity Owner,Opportunity ID,Stage,Amount,Created Date,Last Stage Change Date
        Ana,006A,Closed Won,10,1/5/2026,2/14/2026
        Ana,006B,Closed Lost,10,1/5/2026,2/15/2026
        Ana,006C,Prospecting,10,1/5/2026,1/20/2026
    """)
    ds = kit.load_dataset(sf, preset="salesforce")
    assert ds.opportunities["closed_at"].tolist()[:2] == [T("2026-02-14"), T("2026-02-15")]
    assert pd.isna(ds.opportunities["closed_at"].iloc[2])
    assert win_rate(ds) == 0.5 and revenue(ds) == 10.0
