"""Tests of kit.scorecard: months, report datasets, the headline scorecard."""

from __future__ import annotations

import time

import narwhals as nw
import numpy as np
import pandas as pd
import pytest

import kit
from kit import registry
from kit.dataset import Dataset
from kit.errors import DataError, KitError, KitWarning, ParameterError
from kit.scorecard import (
    COLUMNS, last_complete_month, month_bounds, month_range, parse_month, report_dataset,
    scorecard, shift_month, teams, without_team,
)
from kit.stats import wilson_interval
from tests.conftest import SAMPLE

TS = pd.Timestamp


# -- months ----------------------------------------------------------------------------

def test_month_bounds_cover_the_month_end_excluded():
    assert month_bounds("2026-02") == (TS("2026-02-01"), TS("2026-03-01"))
    assert month_bounds("2025-12") == (TS("2025-12-01"), TS("2026-01-01"))
    assert month_bounds(TS("2026-10-17 13:00")) == (TS("2026-10-01"), TS("2026-11-01"))


@pytest.mark.parametrize("bad, match", [
    ("2026-13", r"month='2026-13' is not a month: the month number must be 01 to 12\. Pass the month as YYYY-MM"),
    ("2026-00", r"month='2026-00' is not a month: the month number must be 01 to 12"),
    ("oct", r"month='oct' is not a month in the form YYYY-MM .*e\.g\. month='2026-10'"),
    ("2026-1", r"month='2026-1' is not a month in the form YYYY-MM"),
    ("2026/10", r"month='2026/10' is not a month in the form YYYY-MM"),
    ("", r"month='' is not a month in the form YYYY-MM"),
])
def test_malformed_months_are_refused(bad, match):
    with pytest.raises(ParameterError, match=match):
        month_bounds(bad)


def test_month_arithmetic():
    assert shift_month("2026-01", -1) == "2025-12"
    assert shift_month("2026-01", -12) == "2025-01"
    assert month_range("2025-12", "2026-02") == ["2025-12", "2026-01", "2026-02"]
    assert month_range("2026-02", "2026-02") == ["2026-02"]
    assert parse_month(pd.Period("2026-03", "M")) == pd.Period("2026-03", "M")
    with pytest.raises(ParameterError, match=r"the last month '2026-01' is before the first month '2026-03'"):
        month_range("2026-03", "2026-01")


def _leads(dates) -> pd.DataFrame:
    return pd.DataFrame({"lead_id": [f"L{i}" for i in range(len(dates))],
                         "created_at": pd.to_datetime(dates, format="ISO8601")})


@pytest.mark.parametrize("latest, expected", [
    ("2026-10-31 00:00", "2026-10"),
    ("2026-10-31 23:59:59", "2026-10"),
    ("2026-10-30 23:59:59", "2026-09"),
    ("2026-11-01 00:00", "2026-10"),
    ("2026-02-28 08:00", "2026-02"),
    ("2024-02-28 08:00", "2024-01"),  # leap year: February ends on the 29th
])
def test_last_complete_month_is_the_last_month_ending_by_as_of(latest, expected):
    ds = Dataset({"leads": _leads(["2024-01-01 10:00", latest])})
    assert last_complete_month(ds) == expected


def test_last_complete_month_follows_an_as_of_set_at_load():
    ds = Dataset({"leads": _leads(["2026-01-01 10:00", "2026-12-20 10:00"])}, as_of="2026-06-30")
    assert last_complete_month(ds) == "2026-06"


def test_last_complete_month_without_dates_says_what_to_do():
    ds = Dataset({"reps": pd.DataFrame({"rep_id": ["R1"]})})
    with pytest.raises(DataError, match=r"the dataset has no date \(as_of is missing\).*pass month='YYYY-MM'"):
        last_complete_month(ds)


# -- report_dataset ----------------------------------------------------------------------

def _team_dataset() -> Dataset:
    reps = pd.DataFrame({"rep_id": ["R1", "R2"], "name": ["Ana", "Bob"], "team": ["Nord", "Sud"]})
    orders = pd.DataFrame({
        "order_id": ["A", "B", "C", "D", "E"],
        "ordered_at": pd.to_datetime(["2025-02-10", "2026-01-15", "2026-02-03", "2026-02-20", "2026-03-05"]),
        "customer_id": ["C1", "C2", "C1", "C3", "C2"],
        "amount": [50.0, 200.0, 150.0, 300.0, 999.0],
        "cost": [10.0, 50.0, 60.0, 100.0, 1.0],
        "rep_id": ["R1", "R2", "R1", "R1", "R2"],
        "team": ["Nord", "Sud", "Nord", "Nord", "Sud"],
    })
    targets = pd.DataFrame({
        "period": pd.to_datetime(["2026-02-01", "2026-02-01", "2026-01-01", "2026-01-01"]),
        "rep_id": ["R1", "R2", "R1", "R2"], "team": ["Nord", "Sud", "Nord", "Sud"],
        "revenue_target": [300.0, 100.0, 100.0, 100.0], "margin_target": [150.0, 50.0, 40.0, 40.0],
    })
    return Dataset({"reps": reps, "orders": orders, "targets": targets})


def test_report_dataset_keeps_what_was_known_at_the_end_of_the_month():
    cut = report_dataset(_team_dataset(), "2026-02")
    assert cut.orders["order_id"].tolist() == ["A", "B", "C", "D"]
    assert cut.as_of == TS("2026-03-01") - pd.Timedelta(microseconds=1)
    assert last_complete_month(cut) == "2026-02"


def test_report_dataset_restricts_to_a_team():
    cut = report_dataset(_team_dataset(), "2026-02", team="Sud")
    assert cut.orders["order_id"].tolist() == ["B"]
    assert cut.reps["rep_id"].tolist() == ["R2"]
    assert cut.targets["rep_id"].unique().tolist() == ["R2"]


def test_report_dataset_unknown_team_lists_the_teams():
    with pytest.raises(ParameterError, match=r"team='Nrd' is not in the data \(did you mean 'Nord'\?\); "
                                             r"teams: 'Nord', 'Sud'\. Pass one of them"):
        report_dataset(_team_dataset(), "2026-02", team="Nrd")


def test_report_dataset_team_without_team_column():
    ds = Dataset({"leads": _leads(["2026-01-05"])})
    with pytest.raises(ParameterError, match=r"team='Nord': no table of the dataset has a team column"):
        report_dataset(ds, "2026-01", team="Nord")
    assert teams(ds) == []


def test_report_dataset_loads_a_source_and_cuts_it_at_the_end_of_the_month(monkeypatch):
    import kit.io.load

    seen = {}

    def fake_load(source, **kw):
        seen.update(kw, source=source)
        return Dataset(_team_dataset().tables, as_of=kw.get("as_of"))

    monkeypatch.setattr(kit.io.load, "load_dataset", fake_load)
    cut = report_dataset("some/folder", "2026-01", team="Nord", preset="hubspot", mapping="",
                         currency="USD")
    # empty options are not passed; the month's end is not an as_of given by the user
    assert seen == {"source": "some/folder", "preset": "hubspot", "currency": "USD"}
    assert cut.orders["order_id"].tolist() == ["A"]
    assert cut.as_of == TS("2026-01-31 23:59:59.999999")


def test_report_dataset_as_of_never_runs_past_the_data(monkeypatch):
    import kit.io.load

    monkeypatch.setattr(kit.io.load, "load_dataset",
                        lambda source, **kw: Dataset(_team_dataset().tables, as_of=kw.get("as_of")))
    cut = report_dataset("x", "2026-04")
    assert cut.as_of == TS("2026-03-05")


def test_report_dataset_stops_at_an_as_of_given_before_the_end_of_the_month(monkeypatch):
    import kit.io.load

    monkeypatch.setattr(kit.io.load, "load_dataset",
                        lambda source, **kw: Dataset(_team_dataset().tables, as_of=kw.get("as_of")))
    full = report_dataset("x", "2026-03")
    cut = report_dataset("x", "2026-03", as_of="2026-03-01")
    assert cut.as_of == TS("2026-03-01")
    assert len(cut.orders) < len(full.orders)
    assert cut.orders["ordered_at"].max() <= TS("2026-03-01")


# -- scorecard mechanics, on KPIs registered by the test --------------------------------

CALLS: list = []


def _count(leads, start=None, end=None):
    f = nw.from_native(leads)
    if start is not None:
        f = f.filter(nw.col("created_at") >= nw.lit(pd.Timestamp(start).to_pydatetime()))
    if end is not None:
        f = f.filter(nw.col("created_at") < nw.lit(pd.Timestamp(end).to_pydatetime()))
    return len(f)


def _register_test_kpis():
    common = dict(family="test", definition={"en": "Test.", "fr": "Test."}, tables=("leads",),
                  date="leads.created_at", headline=False)

    @registry.kpi(name="t_window", label={"en": "Window", "fr": "Fenêtre"}, unit="count",
                  direction="higher", **common)
    def t_window(leads, *, start=None, end=None):
        CALLS.append(("t_window", start, end))
        return pd.DataFrame({"value": [float(_count(leads, start, end))]})

    @registry.kpi(name="t_cohort", label={"en": "Cohort", "fr": "Cohorte"}, unit="count",
                  direction="lower", **common)
    def t_cohort(leads, *, start=None, end=None, as_of=None):
        # leads old enough to tell: created at least 30 days before as_of
        CALLS.append(("t_cohort", start, end))
        old = _count(leads, None, pd.Timestamp(as_of) - pd.Timedelta(days=30))
        return pd.DataFrame({"value": [float(old)]})

    @registry.kpi(name="t_freq", label={"en": "Freq", "fr": "Fréq"}, unit="count",
                  direction="neutral", **common)
    def t_freq(leads, *, freq=None):
        df = leads.assign(period=leads["created_at"].dt.to_period("M").dt.start_time)
        return df.groupby("period", as_index=False).size().rename(columns={"size": "value"})

    @registry.kpi(name="t_plain", label={"en": "Plain", "fr": "Brut"}, unit="count",
                  direction="higher", **common)
    def t_plain(leads):
        return pd.DataFrame({"value": [float(len(leads))]})

    @registry.kpi(name="t_two_rows", label={"en": "Two", "fr": "Deux"}, unit="count",
                  direction="higher", **common)
    def t_two_rows(leads, *, start=None, end=None):
        return pd.DataFrame({"value": [1.0, 2.0]})

    @registry.kpi(name="t_needs_col", label={"en": "Needs", "fr": "Exige"}, unit="ratio",
                  direction="higher", **common)
    def t_needs_col(leads, *, start=None, end=None):
        from kit.kpis._common import lazy

        lazy(leads, "leads", needs=["qualified_at"])
        return pd.DataFrame({"value": [1.0]})

    @registry.kpi(name="t_rate", label={"en": "Rate", "fr": "Taux"}, unit="ratio",
                  direction="higher", **common)
    def t_rate(leads, *, start=None, end=None):
        from kit.kpis._common import proportion

        n = _count(leads, start, end)
        return proportion(pd.DataFrame({"numerator": [float(n // 2)], "denominator": [float(n)]}))


TEST_KPIS = ["t_window", "t_cohort", "t_freq", "t_plain", "t_two_rows", "t_needs_col", "t_rate"]


@pytest.fixture
def test_kpis():
    registry.names()  # load the real families first
    _register_test_kpis()
    CALLS.clear()
    yield
    for name in TEST_KPIS:
        registry.unregister(name)


LEAD_DATES = ["2025-02-10", "2026-01-05", "2026-01-20", "2026-02-03", "2026-02-14",
              "2026-02-28 23:00", "2026-03-02"]


def test_scorecard_values_of_the_month_previous_month_and_last_year(test_kpis):
    ds = Dataset({"leads": _leads(LEAD_DATES)})
    sc = scorecard(ds, "2026-02", names=["t_window", "t_plain", "t_freq", "t_cohort"])
    assert sc.columns.tolist() == COLUMNS
    got = sc.set_index("name")[["value", "previous", "same_month_last_year", "change", "status"]]
    expected = pd.DataFrame({
        # leads created in the month; 2 in January; 1 in February 2025
        "value": [3.0, 6.0, 3.0, 3.0], "previous": [2.0, 3.0, 2.0, 1.0],
        "same_month_last_year": [1.0, 1.0, 1.0, 0.0], "change": [1.0, 3.0, 1.0, 2.0],
        # counts this small are within noise (exact Poisson test); t_freq has no direction
        "status": ["unclear", "unclear", "unclear", "unclear"],
    }, index=pd.Index(["t_window", "t_plain", "t_freq", "t_cohort"], name="name"))
    pd.testing.assert_frame_equal(got, expected)


def test_scorecard_passes_the_month_window_except_to_cohort_kpis(test_kpis):
    ds = Dataset({"leads": _leads(LEAD_DATES)})
    scorecard(ds, "2026-02", names=["t_window", "t_cohort"])
    assert ("t_window", TS("2026-02-01"), TS("2026-03-01")) in CALLS
    assert ("t_window", TS("2026-01-01"), TS("2026-02-01")) in CALLS
    assert ("t_window", TS("2025-02-01"), TS("2025-03-01")) in CALLS
    # cohort KPIs: every cohort known at the month end, censored there
    assert ("t_cohort", None, TS("2026-03-01")) in CALLS


def test_scorecard_labels_follow_lang(test_kpis):
    ds = Dataset({"leads": _leads(LEAD_DATES)})
    sc = scorecard(ds, "2026-02", lang="fr", names=["t_window", "t_cohort"])
    assert sc["label"].tolist() == ["Fenêtre", "Cohorte"]
    assert sc["unit"].tolist() == ["count", "count"]
    assert sc["direction"].tolist() == ["higher", "lower"]
    with pytest.raises(ParameterError, match=r"lang='de' is not allowed; allowed values: 'en', 'fr'"):
        scorecard(ds, "2026-02", lang="de", names=["t_window"])


def test_scorecard_carries_numerator_denominator_and_interval(test_kpis):
    ds = Dataset({"leads": _leads(LEAD_DATES)})
    row = scorecard(ds, "2026-02", names=["t_rate"]).iloc[0]
    lo, hi = wilson_interval([1], [3])
    assert (row["numerator"], row["denominator"]) == (1.0, 3.0)
    assert row["value"] == pytest.approx(1 / 3)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((lo[0], hi[0]))
    assert bool(row["low_sample"]) is True
    # 3 leads: a low sample, not known yet, whatever the change
    assert row["previous"] == 0.5 and row["status"] == "unknown"
    assert row["note"] == "3 leads (small sample)"


def test_scorecard_refuses_a_headline_kpi_with_several_rows(test_kpis):
    ds = Dataset({"leads": _leads(LEAD_DATES)})
    with pytest.raises(KitError, match=r"headline KPI 't_two_rows' returned 2 rows for 2026-02; "
                                       r"a headline KPI must return one row"):
        scorecard(ds, "2026-02", names=["t_two_rows"])


def test_scorecard_keeps_a_kpi_that_fails_on_the_data_unknown_and_says_so(test_kpis):
    ds = Dataset({"leads": _leads(LEAD_DATES)})
    with pytest.warns(KitWarning, match=r"scorecard: no value for t_needs_col \(table 'leads' lacks column"):
        sc = scorecard(ds, "2026-02", names=["t_window", "t_needs_col"])
    assert sc["name"].tolist() == ["t_window", "t_needs_col"]
    row = sc.set_index("name").loc["t_needs_col"]
    assert np.isnan(row["value"]) and np.isnan(row["previous"]) and "qualified_at" in row["reason"]
    assert "qualified_at" in sc.attrs["skipped"]["t_needs_col"]
    assert sc.set_index("name").loc["t_window", "reason"] == ""


def test_scorecard_keeps_kpis_whose_tables_are_absent_unknown_with_the_reason(test_kpis):
    ds = Dataset({"leads": _leads(LEAD_DATES)})
    sc = scorecard(ds, "2026-02", names=["t_window", "win_rate", "revenue"], lang="fr").set_index("name")
    assert sc.index.tolist() == ["t_window", "win_rate", "revenue"]
    assert sc.loc[["win_rate", "revenue"], ["value", "previous", "same_month_last_year", "target"]].isna().all().all()
    assert sc.loc["win_rate", "reason"] == (
        "Impossible de calculer « Taux de réussite » : le jeu de données n’a pas de table opportunities "
        "(colonnes status, closed_at). Ajoutez opportunities.csv au dossier des données ou faites-la "
        "correspondre avec --mapping (voir docs/data-contract.md, section opportunities).")
    assert sc.loc["revenue", "status"] == "nodata"


def test_scorecard_months_outside_the_data_are_unknown_not_zero():
    # orders from January 2026: December 2025 and February 2025 are before the data starts
    orders = pd.DataFrame({"order_id": ["A", "B"], "customer_id": ["C1", "C2"], "amount": [10.0, 20.0],
                           "ordered_at": pd.to_datetime(["2026-01-10", "2026-01-20"])})
    sc = scorecard(Dataset({"orders": orders}), "2026-01", names=["revenue"]).set_index("name")
    assert sc.loc["revenue", "value"] == 30.0
    assert np.isnan(sc.loc["revenue", "previous"]) and np.isnan(sc.loc["revenue", "same_month_last_year"])
    before = scorecard(Dataset({"orders": orders}), "2025-12", names=["revenue"]).set_index("name")
    assert np.isnan(before.loc["revenue", "value"])
    assert before.loc["revenue", "reason"] == ("Revenue is unknown for December 2025: the table orders "
                                               "covers Jan 10, 2026 to Jan 20, 2026 only.")
    # a month the data covers with no order at all is a true 0
    orders2 = pd.concat([orders, pd.DataFrame({"order_id": ["C"], "customer_id": ["C1"], "amount": [5.0],
                                               "ordered_at": pd.to_datetime(["2026-03-03"])})])
    gap = scorecard(Dataset({"orders": orders2}), "2026-03", names=["revenue"]).set_index("name")
    assert gap.loc["revenue", "previous"] == 0.0


def test_scorecard_defaults_to_the_registry_headline_kpis():
    ds = _team_dataset()
    sc = scorecard(ds, "2026-02")
    expected = [s.name for s in registry.specs() if s.headline]
    assert sc["name"].tolist() == expected
    absent = [s.name for s in registry.specs() if s.headline and any(t not in ds.tables for t in s.tables)]
    assert sc.set_index("name").loc[absent, "value"].isna().all()
    assert (sc.set_index("name").loc[absent, "reason"] != "").all()
    assert "revenue" in sc["name"].tolist()
    # these orders have no return line: the return rate is unknown (not 0 %), and says why
    row = sc.set_index("name").loc["return_rate"]
    assert np.isnan(row["value"]) and row["status"] == "nodata"
    assert row["reason"].startswith("Return rate cannot be computed: the table orders holds no return line")


# -- scorecard on real KPIs: targets and teams ------------------------------------------

def test_scorecard_revenue_and_margin_against_targets():
    sc = scorecard(_team_dataset(), "2026-02",
                   names=["revenue", "gross_margin", "revenue_vs_target"]).set_index("name")
    # February 2026: lines C (150, cost 60) and D (300, cost 100); targets 300 + 100, 150 + 50
    assert sc.loc["revenue", ["value", "previous", "same_month_last_year", "target"]].tolist() == \
        [450.0, 200.0, 50.0, 400.0]
    assert sc.loc["revenue", "change"] == 250.0
    assert sc.loc["gross_margin", ["value", "previous", "target"]].tolist() == [290.0, 150.0, 200.0]
    assert sc.loc["revenue_vs_target", "value"] == pytest.approx(450 / 400)
    assert sc.loc["revenue_vs_target", "target"] == 1.0
    # no sampling model for amounts: changes beyond 5 % of the previous month count
    assert sc["status"].tolist() == ["better", "better", "better"]
    assert sc["test"].tolist() == ["threshold"] * 3
    # the target says where the value stands, apart from the change
    assert sc["target_status"].tolist() == ["above", "above", "above"]
    assert sc["unit"].tolist() == ["currency", "currency", "ratio"]


def test_scorecard_of_a_team_uses_its_orders_and_targets():
    sc = scorecard(_team_dataset(), "2026-02", team="Sud",
                   names=["revenue", "gross_margin"]).set_index("name")
    # Sud sold nothing in February against a target of 100 (margin 50); 200 in January
    assert sc.loc["revenue", ["value", "previous", "target"]].tolist() == [0.0, 200.0, 100.0]
    assert sc.loc["revenue", "status"] == "worse"
    assert sc.loc["revenue", "target_status"] == "below"
    assert sc.loc["gross_margin", ["value", "target"]].tolist() == [0.0, 50.0]


def test_scorecard_without_targets_compares_with_the_previous_month():
    ds = _team_dataset()
    ds = Dataset({k: v for k, v in ds.tables.items() if k != "targets"})
    sc = scorecard(ds, "2026-02", names=["revenue"]).iloc[0]
    assert np.isnan(sc["target"]) and sc["status"] == "better" and sc["target_status"] is None


def test_scorecard_win_rate_matches_compute_on_the_month():
    opps = pd.DataFrame({
        "opportunity_id": [f"O{i}" for i in range(7)],
        "created_at": pd.to_datetime(["2025-12-01"] * 7),
        "rep_id": ["R1"] * 7,
        "status": ["won", "lost", "won", "won", "lost", "open", "won"],
        "closed_at": pd.to_datetime(["2026-01-10", "2026-01-11", "2026-02-01", "2026-02-27",
                                     "2026-02-28", None, "2026-03-01"]),
    })
    ds = Dataset({"opportunities": opps})
    row = scorecard(ds, "2026-02", names=["win_rate"]).iloc[0]
    direct = kit.compute(ds, "win_rate", start="2026-02-01", end="2026-03-01").iloc[0]
    for col in ["value", "numerator", "denominator", "ci_low", "ci_high"]:
        assert row[col] == pytest.approx(direct[col])
    assert (row["numerator"], row["denominator"], row["previous"]) == (2.0, 3.0, 0.5)


# -- on the sample -----------------------------------------------------------------------

def _sample():
    return kit.load_dataset(SAMPLE)


def test_scorecard_on_the_sample_is_fast_and_complete():
    ds = _sample()
    month = last_complete_month(ds)
    scorecard(ds, month)  # first call pays the imports (statsmodels...)
    # CPU time of this process: other jobs sharing the machine do not inflate it
    t0 = time.process_time()
    sc = scorecard(ds, month)
    seconds = time.process_time() - t0
    assert seconds < 2.0, f"scorecard took {seconds:.2f} s of CPU on the sample"
    headline = [s.name for s in registry.specs() if s.headline]
    assert sc["name"].tolist() == [n for n in headline if n in sc["name"].tolist()]
    assert len(sc) >= len(headline) - len(sc.attrs["skipped"]) > 0
    assert sc["status"].isin(["better", "worse", "unclear", "unknown", "nodata"]).all()
    ratios = sc[sc["unit"] == "ratio"].dropna(subset=["ci_low"])
    # 1e-12: statsmodels' Wilson bound for 0 successes comes out as ~1e-18, not 0
    assert ((ratios["ci_low"] <= ratios["value"] + 1e-12)
            & (ratios["value"] <= ratios["ci_high"] + 1e-12)).all()


def test_scope_says_which_kpis_a_team_filter_cannot_restrict():
    ds = _team_dataset()
    surveys = pd.DataFrame({"survey_id": ["S1", "S2"], "customer_id": ["C1", "C2"], "kind": ["csat"] * 2,
                            "score": [5, 3], "responded_at": pd.to_datetime(["2026-02-04", "2026-02-11"])})
    ds = Dataset({**ds.tables, "surveys": surveys})
    assert without_team(ds, "csat") == ["surveys"] and without_team(ds, "revenue") == []
    sc = scorecard(ds, "2026-02", team="Nord", names=["revenue", "csat"]).set_index("name")
    assert sc["scope"].to_dict() == {"revenue": "team", "csat": "all"}
    assert sc.loc["revenue", "value"] == 450.0  # Nord's orders C and D only
    assert sc.loc["csat", "denominator"] == 2  # every survey: they carry no team
    everyone = scorecard(ds, "2026-02", names=["revenue", "csat"])
    assert everyone["scope"].tolist() == ["all", "all"]


def test_scorecard_shows_the_return_rate_when_the_data_has_returns():
    ds = _team_dataset()
    credit_note = pd.DataFrame({"order_id": ["R"], "ordered_at": [pd.Timestamp("2026-02-25")],
                                "customer_id": ["C3"], "amount": [-45.0], "cost": [-15.0],
                                "rep_id": ["R1"], "team": ["Nord"]})
    orders = pd.concat([ds.tables["orders"], credit_note], ignore_index=True)
    sc = scorecard(Dataset({**ds.tables, "orders": orders}), "2026-02")
    row = sc.set_index("name").loc["return_rate"]
    assert row["reason"] == ""
    # February: sold 150 + 300 = 450, returned 45 -> 0.1; January: sold 200, returned 0 -> 0
    assert row["value"] == pytest.approx(0.1) and row["previous"] == pytest.approx(0.0)
    assert row["label"] == "Return rate" and row["direction"] == "lower"
