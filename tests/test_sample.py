"""Tests of the sample dataset generator (the kit.sample package) and of the committed data/sample."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from kit import sample
from kit.contract import CONTRACT, SIGNED_BY_AMOUNT, TABLE_NAMES
from kit.errors import ParameterError
from tests.conftest import ROOT, SAMPLE

END = pd.Timestamp("2026-10-31 23:59:59")
START = pd.Timestamp("2023-11-01")
MONTHS = 36
SMALL = 2000


@pytest.fixture(scope="module")
def small():
    """A small generation (2,000 leads) for the structural tests."""
    return sample.generate(seed=11, leads=SMALL)


@pytest.fixture(scope="module")
def full():
    """The default generation, the one committed in data/sample."""
    return sample.generate()


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- determinism


def test_same_seed_gives_byte_identical_files(tmp_path):
    a = sample.write(sample.generate(seed=5, leads=SMALL), tmp_path / "a")
    b = sample.write(sample.generate(seed=5, leads=SMALL), tmp_path / "b")
    assert [p.name for p in a] == [p.name for p in b] == [f"{t}.csv" for t in TABLE_NAMES]
    assert [_sha(p) for p in a] == [_sha(p) for p in b]


def test_other_seed_or_end_gives_other_data(tmp_path):
    base = sample.generate(seed=5, leads=SMALL)
    other_seed = sample.generate(seed=6, leads=SMALL)
    other_end = sample.generate(seed=5, end="2025-12", leads=SMALL)
    assert not base["leads"].equals(other_seed["leads"])
    assert other_end["leads"]["created_at"].max() < pd.Timestamp("2026-01-01")
    assert other_end["leads"]["created_at"].min() >= pd.Timestamp("2023-01-01")


def test_committed_sample_equals_fresh_generation(tmp_path):
    paths = sample.write(sample.generate(), tmp_path)
    for path in paths:
        committed = SAMPLE / path.name
        assert committed.exists(), f"{committed} missing: run python -m kit.sample --seed 7 --out data/sample"
        assert _sha(committed) == _sha(path), (
            f"{committed} differs from a fresh generation: run python -m kit.sample --seed 7 --out data/sample")
    assert sorted(p.name for p in SAMPLE.glob("*.csv")) == sorted(p.name for p in paths)


def test_committed_sample_size_and_readme():
    total = sum(p.stat().st_size for p in SAMPLE.glob("*.csv"))
    assert total < 6 * 1000 * 1000
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\w+)` \| ([\d,]+) \| ([\d,]+) kB \|", readme, flags=re.M)
    assert sorted(r[0] for r in rows) == sorted(TABLE_NAMES)
    for table, n, kb in rows:
        with open(SAMPLE / f"{table}.csv", encoding="utf-8") as f:
            assert sum(1 for _ in f) - 1 == int(n.replace(",", "")), table
        assert round((SAMPLE / f"{table}.csv").stat().st_size / 1000) == int(kb.replace(",", "")), table
    assert f"About {total / 1e6:.1f} MB in all" in readme
    assert "python -m kit.sample --seed 7 --out data/sample" in readme


# --------------------------------------------------------------------------- structure


def test_every_table_has_exactly_the_contract_columns(small):
    assert list(small) == list(TABLE_NAMES)
    for name, df in small.items():
        assert list(df.columns) == CONTRACT[name].names, name
        assert isinstance(df.index, pd.RangeIndex) and df.index.start == 0, name


def _is_text(s: pd.Series) -> bool:
    return s.dtype == object and s.dropna().map(type).eq(str).all()


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_column_kinds_and_enum_values(small, table):
    df = small[table]
    for c in CONTRACT[table].columns:
        s = df[c.name]
        if c.kind in ("id", "str", "enum"):
            assert _is_text(s), (table, c.name, s.dtype)
        elif c.kind in ("datetime", "date"):
            assert s.dtype == "datetime64[ns]", (table, c.name, s.dtype)
            assert getattr(s.dt, "tz", None) is None
            if c.kind == "date":
                assert (s.dropna() == s.dropna().dt.normalize()).all()
        elif c.kind in ("money", "number", "int"):
            assert pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s), (table, c.name)
            if c.kind == "money":
                assert np.allclose(s.dropna(), s.dropna().round(2))
        elif c.kind == "bool":
            assert pd.api.types.is_bool_dtype(s), (table, c.name, s.dtype)
        if c.values:
            assert set(s.dropna()) <= set(c.values), (table, c.name, set(s.dropna()) - set(c.values))
        if c.min_value is not None:
            if c.name in SIGNED_BY_AMOUNT.get(table, ()):  # negative on return lines only
                s = s[df["amount"] >= 0]
            assert (s.dropna() >= c.min_value).all(), (table, c.name)
        if c.max_value is not None:
            assert (s.dropna() <= c.max_value).all(), (table, c.name)


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_required_columns_are_never_null(small, table):
    df = small[table]
    for col in CONTRACT[table].required:
        assert df[col].notna().all(), (table, col)


@pytest.mark.parametrize("table", [t.name for t in CONTRACT.values() if t.key and t.unique_key])
def test_keys_are_unique_and_rows_sorted(small, table):
    keys = list(CONTRACT[table].key)
    df = small[table]
    assert not df.duplicated(keys).any()
    assert df[keys[0]].is_monotonic_increasing


def test_orders_lines_are_grouped_by_order(small):
    o = small["orders"]
    assert o["order_id"].is_monotonic_increasing
    assert (o.groupby("order_id")[["ordered_at", "customer_id", "rep_id"]].nunique() == 1).all().all()
    lines = o.groupby("order_id").size()
    assert lines.max() > 1 and (lines > 1).mean() > 0.3


def test_referential_integrity(small):
    for t in CONTRACT.values():
        for c in t.columns:
            if not c.references:
                continue
            ref_table, ref_col = c.references.split(".")
            values = set(small[t.name][c.name].dropna())
            known = set(small[ref_table][ref_col])
            assert values <= known, (t.name, c.name, sorted(values - known)[:5])


def test_every_time_is_inside_the_data(small):
    for name, df in small.items():
        for c in CONTRACT[name].columns:
            if c.kind == "datetime" and name not in ("reps", "products", "customers"):
                assert df[c.name].max() <= END, (name, c.name)
    for name in ("leads", "activities", "orders", "surveys", "referrals", "social", "costs", "targets"):
        col = CONTRACT[name].date_column
        assert small[name][col].min() >= START, name


def test_timestamps_are_naive_with_whole_seconds(small):
    for name, df in small.items():
        for c in CONTRACT[name].columns:
            if c.kind == "datetime":
                s = df[c.name].dropna()
                assert (s == s.dt.floor("s")).all(), (name, c.name)


# --------------------------------------------------------------------------- consistency


def test_lead_timeline(small):
    ld = small["leads"]
    for later, earlier in (("engaged_at", "created_at"), ("qualified_at", "engaged_at"),
                           ("converted_at", "qualified_at"), ("lost_at", "created_at")):
        both = ld[later].notna() & ld[earlier].notna()
        assert (ld.loc[both, later] > ld.loc[both, earlier]).all(), later
    assert ld["qualified_at"].isna().ge(ld["engaged_at"].isna()).all()  # qualified implies engaged
    conv = ld["converted_at"].notna()
    assert (conv == ld["customer_id"].notna()).all()
    assert not (conv & ld["lost_at"].notna()).any()


def test_converted_leads_match_customers(small):
    ld = small["leads"].dropna(subset=["customer_id"])
    cu = small["customers"].set_index("customer_id")
    assert ld["customer_id"].is_unique
    assert (cu.loc[ld["customer_id"], "acquired_at"].to_numpy() == ld["converted_at"].to_numpy()).all()
    assert (cu.loc[ld["customer_id"], "source"].fillna("").to_numpy() == ld["source"].fillna("").to_numpy()).all()


def test_opportunity_timeline_and_status(small):
    o = small["opportunities"]
    for later, earlier in (("qualified_at", "created_at"), ("proposal_at", "qualified_at"),
                           ("closed_at", "created_at"), ("closed_at", "proposal_at")):
        both = o[later].notna() & o[earlier].notna()
        assert (o.loc[both, later] > o.loc[both, earlier]).all(), later
    assert (o["closed_at"].isna() == (o["status"] == "open")).all()
    assert (o["lost_reason"].notna() == (o["status"] == "lost")).all()
    assert (o["customer_id"].notna() == (o["status"] == "won")).all()
    assert o.loc[o["status"] == "won", "proposal_at"].notna().all()
    assert ((o["status"] == "won") == (o["stage"] == "won")).all()


def test_won_opportunities_have_orders_at_or_after_close(small):
    o = small["opportunities"]
    orders = small["orders"].dropna(subset=["opportunity_id"])
    won = o[(o["status"] == "won") & (o["closed_at"] >= START)].set_index("opportunity_id")
    first = orders.groupby("opportunity_id").agg(at=("ordered_at", "min"), amount=("amount", "sum"),
                                                 customer=("customer_id", "first"))
    assert set(first.index) == set(won.index)
    first = first.loc[won.index]
    assert (first["at"] >= won["closed_at"]).all()
    assert (first["customer"] == won["customer_id"]).all()
    assert np.allclose(first["amount"], won["amount"], atol=0.05)
    assert set(orders["opportunity_id"]) <= set(o.loc[o["status"] == "won", "opportunity_id"])


def test_stage_history_matches_opportunities(small):
    o = small["opportunities"].set_index("opportunity_id")
    sh = small["stage_history"]
    assert set(sh["opportunity_id"]) == set(o.index)
    assert sh.groupby("opportunity_id")["entered_at"].apply(lambda s: s.is_monotonic_increasing).all()
    first = sh.groupby("opportunity_id").first()
    last = sh.groupby("opportunity_id").last()
    assert (first["stage"] == "new").all()
    assert (first["entered_at"] == o.loc[first.index, "created_at"]).all()
    assert (last["stage"] == o.loc[last.index, "stage"]).all()
    prop = sh[sh["stage"] == "proposal"].set_index("opportunity_id")["entered_at"]
    assert (prop == o.loc[prop.index, "proposal_at"]).all()
    assert o["proposal_at"].notna().sum() == len(prop)


def test_orders_come_after_acquisition_and_products_are_on_sale(small):
    o = small["orders"].merge(small["customers"], on="customer_id").merge(small["products"], on="product_id")
    assert (o["ordered_at"] >= o["acquired_at"]).all()
    assert (o["ordered_at"] >= o["launched_at"]).all()
    assert (o["retired_at"].isna() | (o["ordered_at"] < o["retired_at"])).all()
    assert (o["cost"].abs() <= o["amount"].abs() * 1.5).all()


def test_returns_give_back_earlier_orders(small):
    o = small["orders"]
    ret = o[o["is_return"]]
    assert (ret["status"] == "returned").all() and (o.loc[~o["is_return"], "status"] == "delivered").all()
    assert (ret[["amount", "cost", "quantity"]] < 0).all().all() and (o.loc[~o["is_return"], "amount"] > 0).all()
    assert ret["opportunity_id"].isna().all() and o.loc[~o["is_return"], "returned_order_id"].isna().all()
    sold = o[~o["is_return"]].groupby(["order_id", "product_id"]).agg(
        at=("ordered_at", "first"), customer=("customer_id", "first"), qty=("quantity", "sum"))
    back = ret.groupby(["returned_order_id", "product_id"]).agg(
        at=("ordered_at", "first"), customer=("customer_id", "first"), qty=("quantity", "sum"))
    given = sold.loc[back.index]
    # a return follows its order, for the same customer, and gives back at most what was sold
    assert (back["at"] > given["at"]).all() and (back["customer"] == given["customer"]).all()
    assert (-back["qty"] <= given["qty"]).all()
    orders = o.groupby("order_id")["is_return"].first()
    assert 0.01 < orders.mean() < 0.1  # a few percent of the orders


def test_activity_links_and_fields(small):
    a = small["activities"]
    assert (a[["lead_id", "customer_id", "opportunity_id"]].notna().sum(axis=1) >= 1).all()
    on_lead = a.merge(small["leads"][["lead_id", "created_at"]], on="lead_id")
    assert (on_lead["occurred_at"] > on_lead["created_at"]).all()
    on_cust = a.merge(small["customers"][["customer_id", "acquired_at"]], on="customer_id")
    assert (on_cust["occurred_at"] > on_cust["acquired_at"]).all()
    assert (a["replied"].notna() == (a["type"] == "email")).all()
    assert a["purpose"].isna().sum() < 0.01 * len(a)
    assert a.loc[a["purpose"].isna(), "lead_id"].notna().all()  # absent purpose: a lead not yet converted
    assert {"connected", "no_answer", "appointment_set", "voicemail"} <= set(a["outcome"])
    assert set(a["direction"]) == {"inbound", "outbound"}
    hours = a["occurred_at"].dt.hour
    assert ((hours >= 8) & (hours < 19)).all()


def test_referrals_and_referred_customers(small):
    r = small["referrals"].merge(small["customers"], left_on="referrer_id", right_on="customer_id")
    assert (r["referred_at"] >= r["acquired_at"]).all()
    assert r["valid"].any() and (~r["valid"]).any()
    with_lead = r.dropna(subset=["referred_lead_id"]).merge(
        small["leads"], left_on="referred_lead_id", right_on="lead_id", suffixes=("", "_lead"))
    assert (with_lead["referred_at"] <= with_lead["created_at"]).all()
    assert (with_lead["source_lead"] == "recommandation").all()
    cu = small["customers"]
    ref = cu.dropna(subset=["referred_by"]).merge(cu, left_on="referred_by", right_on="customer_id",
                                                 suffixes=("", "_referrer"))
    assert len(ref) > 0 and (ref["acquired_at_referrer"] < ref["acquired_at"]).all()


def test_surveys_scores_by_kind(small):
    s = small["surveys"]
    csat, nps = s[s["kind"] == "csat"]["score"], s[s["kind"] == "nps"]["score"]
    assert csat.between(1, 5).all() and csat.nunique() >= 4 and csat.mean() > 3.5
    assert nps.between(0, 10).all() and nps.nunique() >= 8
    with_c = s.dropna(subset=["customer_id"]).merge(small["customers"], on="customer_id")
    assert (with_c["responded_at"] > with_c["acquired_at"]).all()


def test_targets_cover_every_active_rep_and_month(small):
    t = small["targets"].merge(small["reps"][["rep_id", "hired_at", "team"]], on="rep_id",
                               suffixes=("", "_rep"))
    assert (t["team"] == t["team_rep"]).all()
    assert (t["period"] + pd.offsets.MonthBegin(1) > t["hired_at"]).all()
    assert t["period"].nunique() == MONTHS
    assert not t.duplicated(["period", "rep_id"]).any()
    assert (t[["revenue_target", "margin_target", "new_customers_target"]] >= 0).all().all()


# --------------------------------------------------------------------------- size and scaling


def test_default_size(full):
    n = {k: len(v) for k, v in full.items()}
    assert n["leads"] >= 3000 and n["activities"] >= 20000
    assert n["reps"] == 12 and full["reps"]["team"].nunique() == 3
    assert {"Nord", "Sud", "Île-de-France"} == set(full["reps"]["team"])
    months = full["orders"]["ordered_at"].dt.to_period("M")
    assert months.nunique() == MONTHS and str(months.max()) == "2026-10" and str(months.min()) == "2023-11"
    assert full["leads"]["created_at"].dt.to_period("M").nunique() == MONTHS
    assert n["leads"] == sample.DEFAULT_LEADS
    assert n["orders"] > 2 * n["customers"] and n["opportunities"] > 500


def test_leads_scale_the_dataset(small):
    assert len(small["leads"]) == SMALL
    assert 7 <= len(small["activities"]) / SMALL <= 10
    assert len(small["reps"]) == 12 and len(small["products"]) == len(sample.PRODUCTS)


def test_parquet_round_trip(tmp_path):
    tables = sample.generate(seed=3, leads=600)
    paths = sample.write(tables, tmp_path, format="parquet")
    assert [p.suffix for p in paths] == [".parquet"] * 13
    back = pd.read_parquet(tmp_path / "activities.parquet")
    pd.testing.assert_frame_equal(back, tables["activities"])


def test_csv_format(tmp_path):
    tables = sample.generate(seed=3, leads=600)
    sample.write(tables, tmp_path)
    text = (tmp_path / "opportunities.csv").read_text(encoding="utf-8")
    header, first = text.splitlines()[:2]
    assert header == ",".join(CONTRACT["opportunities"].names)
    assert re.match(r"OP\d{6},\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},R\d{2},(open|won|lost),\d+\.\d{2},", first)
    assert not text.startswith("\ufeff") and "\r" not in text
    costs = (tmp_path / "costs.csv").read_text(encoding="utf-8").splitlines()
    assert re.fullmatch(r"\d{4}-\d{2}-01,\d+\.\d{2},\w+,\w*", costs[1])
    acts = pd.read_csv(tmp_path / "activities.csv", dtype=str, keep_default_na=False)
    assert set(acts["replied"]) == {"true", "false", ""}


def test_command_line(tmp_path, capsys):
    assert sample.main(["--seed", "4", "--out", str(tmp_path), "--leads", "600"]) == 0
    assert "activities" in capsys.readouterr().out
    assert len(list(tmp_path.glob("*.csv"))) == 13
    assert sample.main(["--seed", "4", "--out", str(tmp_path / "p"), "--leads", "600",
                        "--format", "parquet", "--quiet"]) == 0
    assert len(list((tmp_path / "p").glob("*.parquet"))) == 13


def test_command_line_files_equal_write_of_generate(tmp_path):
    """The command line builds Arrow tables; its files must match the pandas path."""
    tables = sample.generate(seed=4, leads=600)
    assert sample.main(["--seed", "4", "--out", str(tmp_path / "cli"), "--leads", "600", "--quiet"]) == 0
    for path in sample.write(tables, tmp_path / "api"):
        assert _sha(path) == _sha(tmp_path / "cli" / path.name), path.name
    assert sample.main(["--seed", "4", "--out", str(tmp_path / "pq"), "--leads", "600", "--format", "parquet",
                        "--quiet"]) == 0
    for name, df in tables.items():
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "pq" / f"{name}.parquet"), df, obj=name)


def test_python_dash_m(tmp_path):
    done = subprocess.run([sys.executable, "-m", "kit.sample", "--seed", "2", "--leads", "500",
                           "--end", "2025-03", "--out", str(tmp_path)], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert "leads                    500 rows" in done.stdout
    assert pd.read_csv(tmp_path / "leads.csv")["created_at"].max() < "2025-04-01"


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("kwargs, match", [
    ({"seed": -1}, r"seed must be a non-negative integer; received -1\. Pass e\.g\. seed=7"),
    ({"seed": "7"}, r"seed must be a non-negative integer; received '7'"),
    ({"end": "2026-13"}, r"end must be a month written YYYY-MM; received '2026-13'\. Pass e\.g\. end='2026-10'"),
    ({"end": "10/2026"}, r"end must be a month written YYYY-MM; received '10/2026'"),
    ({"leads": 10}, r"leads must be an integer of at least 500; received 10\. Leave it out for the default"),
    ({"leads": 2.5e3}, r"leads must be an integer of at least 500; received 2500\.0"),
])
def test_bad_parameters_raise(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        sample.generate(**kwargs)


def test_bad_write_arguments_raise(tmp_path):
    with pytest.raises(ParameterError, match=r"format='xlsx' is not allowed; allowed values: 'csv', 'parquet'"):
        sample.write({}, tmp_path, format="xlsx")
    with pytest.raises(ParameterError, match=r"unknown table\(s\) \['deals'\]; allowed tables: \['leads'"):
        sample.write({"deals": pd.DataFrame()}, tmp_path)


# --------------------------------------------------------------------------- patterns for the KPIs


def _monthly_revenue(t):
    o = t["orders"]
    return o.groupby(o["ordered_at"].dt.to_period("M"))["amount"].sum()


def test_summer_dip_and_year_end_peak(full):
    rev = _monthly_revenue(full)
    for y in (2024, 2025):  # the two complete calendar years
        year = rev[[p.year == y for p in rev.index]]
        assert len(year) == 12, y
        mean = year.mean()
        summer = year[[p.month in (7, 8) for p in year.index]]
        assert (summer < mean).all(), (y, summer.to_dict(), mean)
        peak = year[[p.month in (11, 12) for p in year.index]]
        assert peak.mean() > mean, (y, peak.to_dict(), mean)


def test_returning_customers_from_2024_to_2025(full):
    o = full["orders"]
    buyers = o.groupby(o["ordered_at"].dt.year)["customer_id"].agg(set)
    assert {2024, 2025} <= set(buyers.index)
    returning = len(buyers[2024] & buyers[2025]) / len(buyers[2024])
    assert 0.4 < returning < 0.85, returning
    # satisfied customers come back more often (NPS given before 2025)
    s = full["surveys"]
    nps = s[(s["kind"] == "nps") & (s["responded_at"] < "2025-01-01")].groupby("customer_id")["score"].mean()
    came_back = pd.Series([c in buyers[2025] for c in nps.index], index=nps.index)
    in_2024 = nps.index.isin(list(buyers[2024]))
    assert came_back[in_2024 & (nps >= 9)].mean() > came_back[in_2024 & (nps <= 6)].mean()


def test_conversion_differs_between_channels(full):
    ld = full["leads"].assign(source=lambda d: d["source"].fillna("(vide)"),
                              conv=lambda d: d["converted_at"].notna())
    table = pd.crosstab(ld["source"], ld["conv"])
    assert stats.chi2_contingency(table.drop(index="(vide)"))[1] < 1e-6
    rate = ld.groupby("source")["conv"].mean()
    assert rate["recommandation"] > 2 * rate["emailing"]
    assert set(rate.index) >= {"salon", "site_web", "linkedin", "partenaire", "emailing", "recommandation"}
    assert 0 < table.loc["(vide)"].sum() < 0.01 * len(ld)  # a handful of leads with empty source


def test_acquisition_costs_mostly_carry_the_channel(full):
    c = full["costs"]
    assert set(c["category"]) >= {"marketing", "sales", "prospecting", "outsourcing", "recruitment", "retention"}
    assert set(c["source"].dropna()) == set(full["leads"]["source"].dropna())
    no_source = c["source"].isna()
    assert 0.1 < c.loc[no_source, "amount"].sum() / c["amount"].sum() < 0.4  # shared costs: a minority
    acquisition = c["category"].isin(["marketing", "prospecting", "sales", "outsourcing"])
    assert c.loc[acquisition & no_source, "amount"].sum() < 0.3 * c.loc[acquisition, "amount"].sum()
    assert c.loc[c["category"] == "marketing", "source"].notna().all()
    assert set(c.loc[(c["category"] == "sales") & ~no_source, "source"]) == set(c["source"].dropna())
    # the reps' cost is split between channels and shared time: 5,400 a month per active rep
    reps = full["reps"]
    active = [(reps["hired_at"] < p + pd.offsets.MonthBegin(1)).sum() for p in sorted(c["period"].unique())]
    sales = c[c["category"] == "sales"].groupby("period")["amount"].sum()
    assert np.allclose(sales.to_numpy(), 5400 * np.array(active), atol=0.05)


def test_channel_costs_differ(full):
    c = full["costs"]
    by_source = c.dropna(subset=["source"]).groupby("source")["amount"].sum()
    leads = full["leads"].groupby("source").size()
    marketing = c[c["category"] == "marketing"].groupby("source")["amount"].sum()
    per_lead = (marketing / leads).dropna()
    assert per_lead.max() > 3 * per_lead.min()
    assert per_lead.idxmax() == "salon"
    cu = full["customers"]
    new = cu[cu["acquired_at"] >= START].groupby("source").size()
    cac = by_source / new
    assert cac.notna().all() and len(cac) == 6
    assert cac.max() > 2.5 * cac.min()
    assert cac.idxmin() == "recommandation"


def test_hunters_and_farmers(full):
    a = full["activities"]
    purpose = a["purpose"].fillna("prospecting")
    share = (purpose == "prospecting").groupby(a["rep_id"]).mean()
    assert (share >= 0.6).sum() >= 1 and (share <= 0.4).sum() >= 1
    assert ((share > 0.4) & (share < 0.6)).sum() >= 1


def test_some_reps_miss_their_target(full):
    o = full["orders"]
    rev = o.groupby(["rep_id", o["ordered_at"].dt.to_period("M").dt.to_timestamp()])["amount"].sum()
    t = full["targets"].set_index(["rep_id", "period"])
    att = rev.reindex(t.index, fill_value=0) / t["revenue_target"]
    assert (att < 1).any() and (att >= 1).any()
    by_rep = att.groupby(level="rep_id").mean()
    assert by_rep.min() < 0.95 and by_rep.max() > 1.05


def test_lost_proposals_and_open_pipeline(full):
    o = full["opportunities"]
    lost_after_offer = o[(o["status"] == "lost") & o["proposal_at"].notna()]
    closed_with_offer = o[o["status"].isin(["won", "lost"]) & o["proposal_at"].notna()]
    assert 0.2 < len(lost_after_offer) / len(closed_with_offer) < 0.8
    assert (o["status"] == "open").sum() >= 20
    assert o["lost_reason"].nunique() >= 4 and o["method"].nunique() == 3


def test_satisfied_customers_reorder_more(full):
    s = full["surveys"]
    csat = s[s["kind"] == "csat"].groupby("customer_id")["score"].mean()
    orders = full["orders"].groupby("customer_id")["order_id"].nunique()
    both = pd.concat([csat, orders], axis=1, join="inner")
    assert stats.spearmanr(both["score"], both["order_id"])[0] > 0.2
    assert both.loc[both["score"] >= 4, "order_id"].mean() > both.loc[both["score"] <= 3, "order_id"].mean()


def test_new_customers_reorder_and_refer(full):
    cu = full["customers"]
    new = cu[cu["acquired_at"] >= START].set_index("customer_id")
    o = full["orders"]
    nth = o.drop_duplicates("order_id").groupby("customer_id")["ordered_at"].apply(list)
    old_enough = new[new["acquired_at"] <= END - pd.Timedelta(days=90)]
    second = [len(nth.get(c, [])) > 1 and nth[c][1] <= nth[c][0] + pd.Timedelta(days=90) for c in old_enough.index]
    assert 0.15 < np.mean(second) < 0.7
    r = full["referrals"]
    valid_referrers = set(r.loc[r["valid"], "referrer_id"])
    assert len(valid_referrers & set(new.index)) >= 10


def test_products_launched_and_retired_during_the_data(full):
    p = full["products"]
    assert p["launched_at"].between(START, END).sum() >= 3
    assert p["retired_at"].between(START, END).sum() >= 3
    assert p["category"].nunique() == 5
    sold = full["orders"].groupby("product_id")["ordered_at"].agg(["min", "max"])
    assert set(sold.index) == set(p["product_id"])


def test_social_posts(full):
    s = full["social"]
    assert len(s) >= 150 and s["network"].nunique() >= 3
    eng = s[["reactions", "comments", "shares", "clicks"]].sum(axis=1) / s["impressions"]
    assert eng.between(0, 1).all() and eng.mean() > 0.01
