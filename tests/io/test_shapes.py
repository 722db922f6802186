"""The usual shapes of partial CRM data (tests/data/shapes, shown in the README): deals only;
leads plus a file of closed deals keyed by lead id; order lines only (kit.io.derive)."""

from __future__ import annotations

import pandas as pd
import pytest

import kit
from kit import cli
from tests.conftest import ROOT
from tests.io.helpers import issue

SHAPES = ROOT / "tests" / "data" / "shapes"
T = pd.Timestamp


@pytest.mark.parametrize("backend", ["pandas", "polars", "duckdb"])
def test_deals_only(backend):
    ds = kit.load_dataset(SHAPES / "deals_only", backend=backend)
    assert sorted(ds.tables) == ["customers", "opportunities", "orders", "products", "reps"]
    # won: D01 D03 D06 D09 of closed D01 D02 D03 D05 D06 D09
    wr = kit.compute(ds, "win_rate")
    assert wr[["numerator", "denominator"]].values.tolist() == [[4.0, 6.0]]
    # orders from the won deals: July 12,000; August 5,000; September 15,000 + 6,000
    rev = kit.compute(ds, "revenue", freq="M")
    assert rev["value"].tolist() == [12000.0, 5000.0, 21000.0]
    # customers from the orders: A1 (first won deal 28 July), A3, A8
    customers = kit.Dataset(ds.tables).to_pandas().customers.sort_values("customer_id")
    assert customers["customer_id"].tolist() == ["A1", "A3", "A8"]
    assert customers["acquired_at"].tolist() == [T("2026-07-28"), T("2026-08-12"), T("2026-09-30")]
    assert issue(ds, "customers", "derived")["severity"] == "info"
    # funnel from the current stage: Closed Won / Closed Lost are closing stages; open deals:
    # Qualification D08 (29 days on 30 Sept), D10 (10): median 19.5; Proposal D07 43; Negotiation
    # D04 71. Every deal in the first step, the 4 won ones in every step
    sf = kit.compute(ds, "stage_funnel")
    assert sf["stage"].astype(str).tolist() == ["Qualification", "Proposal", "Negotiation", "won"]
    assert sf["value"].tolist() == [10.0, 6.0, 5.0, 4.0]
    assert sf["step_rate"].round(6).tolist()[1:] == [0.6, round(5 / 6, 6), 0.8]


@pytest.mark.parametrize("backend", ["pandas", "polars", "duckdb"])
def test_leads_and_a_file_of_closed_deals(backend):
    ds = kit.load_dataset(SHAPES / "leads_and_deals", backend=backend)
    leads = ds.to_pandas().leads.set_index("lead_id")["converted_at"]
    # won deals: L01 closed 25 July, L04 2 August (but it has converted_at 30 July: kept),
    # L06 20 August, L09 10 September; lost deals convert nobody
    assert leads.dropna().to_dict() == {"L01": T("2026-07-25"), "L04": T("2026-07-30"),
                                        "L06": T("2026-08-20"), "L09": T("2026-09-10")}
    derived = issue(ds, "leads", "derived", "converted_at")
    assert derived["count"] == 3 and derived["rows"] == [2, 7, 10]
    rate = kit.compute(ds, "lead_conversion_rate")
    assert rate[["numerator", "denominator"]].values.tolist() == [[4.0, 12.0]]
    # durations: L01 24 days, L04 20, L06 31, L09 30: median 27
    assert kit.compute(ds, "time_to_convert")["value"].iloc[0] == pytest.approx(27.0)
    # the lead funnel: 7 leads with a deal, 4 won
    fun = kit.compute(ds, "funnel").set_index("stage")["value"]
    assert (fun["opportunity"], fun["won"]) == (7.0, 4.0)


def test_a_won_deal_closed_before_the_lead_was_created_still_converts_it():
    ds = kit.load_dataset({
        "leads": pd.DataFrame({"lead_id": ["L1", "L2"], "created_at": ["2026-03-10", "2026-03-12"]}),
        "opportunities": pd.DataFrame({
            "opportunity_id": ["O1"], "lead_id": ["L1"], "created_at": ["2026-03-01"],
            "rep_id": ["R1"], "status": ["won"], "amount": [100.0], "closed_at": ["2026-03-05"]})})
    assert ds.leads["converted_at"].tolist()[0] == T("2026-03-05")
    flagged = issue(ds, "leads", "order", "converted_at")
    assert flagged["count"] == 1 and "count as converted" in flagged["message"]
    assert kit.compute(ds, "lead_conversion_rate")["numerator"].tolist() == [1.0]
    assert kit.compute(ds, "time_to_convert")[["n", "n_inconsistent"]].values.tolist() == [[0.0, 1.0]]


@pytest.mark.parametrize("backend", ["pandas", "duckdb"])
def test_order_lines_only(backend):
    ds = kit.load_dataset(SHAPES / "order_lines", backend=backend).to_pandas()
    customers = ds.customers.set_index("customer_id")["acquired_at"]
    assert customers.to_dict() == {"C1": T("2026-07-02"), "C2": T("2026-07-09"),
                                   "C3": T("2026-07-20"), "C4": T("2026-08-15"),
                                   "C5": T("2026-09-05"), "C6": T("2026-09-29")}
    products = ds.products.sort_values("product_id")
    assert products[["product_id", "name", "category"]].values.tolist() == [
        ["P1", "Café grain 1 kg", "Café"], ["P2", "Café moulu 500 g", "Café"],
        ["P3", "Filtres x100", "Accessoires"]]
    assert issue(ds, "products", "derived")["count"] == 3
    # revenue by the category of the derived products: Café 1,080; Accessoires 180
    rev = kit.compute(ds, "revenue", by="product_category").set_index("product_category")["value"]
    assert rev.to_dict() == {"Accessoires": 180.0, "Café": 1080.0}
    # nine orders (F001 has two lines): basket 1,260 / 9
    assert kit.compute(ds, "average_basket")["value"].iloc[0] == pytest.approx(140.0)


@pytest.mark.parametrize("shape", ["deals_only", "leads_and_deals", "order_lines"])
def test_kit_check_accepts_each_shape(shape, capsys):
    assert cli.main(["check", str(SHAPES / shape)]) == 0
    assert "rule derived" in capsys.readouterr().out
