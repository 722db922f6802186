"""``contributions`` in kpis.json: the three largest contributions to each headline KPI's change."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

import kit
from kit.explain import explain_change
from kit.explain_by import default_grouping
from kit.report.run import _write_kpis
from kit.report.summary import read_summary, top_contributions, write_summary
from kit.scorecard import report_dataset, scorecard
from tests.conftest import SAMPLE


def leads(september: dict, october: dict) -> pd.DataFrame:
    rows = [(s, "2026-09-05") for s, n in september.items() for _ in range(n)]
    rows += [(s, "2026-10-05") for s, n in october.items() for _ in range(n)]
    return pd.DataFrame({"lead_id": [f"L{i}" for i in range(len(rows))], "source": [r[0] for r in rows],
                         "created_at": pd.to_datetime([r[1] for r in rows])})


@pytest.mark.parametrize("lang,missing", [("en", "(empty)"), ("fr", "(vide)")])
def test_contributions_by_hand(lang, missing):
    """Leads 10 web, 6 salon, 4 with no source in September; 30 web, 4 salon, 1 email, 1 with
    no source in October: +20 web, -3 no source, -2 salon (email, +1, is fourth)."""
    ds = kit.Dataset({"leads": leads({"web": 10, "salon": 6, None: 4},
                                     {"web": 30, "salon": 4, "email": 1, None: 1})})
    sc = scorecard(ds, "2026-10", names=["leads_generated", "never_engaged_rate", "sales_cycle"])
    out = top_contributions(ds, sc, "2026-10", lang=lang)
    got = out["leads_generated"]
    assert [(c["by"], c["group"], c["contribution"]) for c in got] == [
        ("source", "web", 20.0), ("source", missing, -3.0), ("source", "salon", -2.0)]
    assert all(c["ci_low"] <= c["contribution"] <= c["ci_high"] for c in got)
    # never_engaged_rate has no value (no engaged_at); sales_cycle does not split
    assert out["never_engaged_rate"] is None and out["sales_cycle"] is None


def test_contributions_are_empty_when_no_group_moved_and_null_when_unknown():
    same = kit.Dataset({"leads": leads({"web": 3, "salon": 2}, {"web": 3, "salon": 2})})
    sc = scorecard(same, "2026-10", names=["leads_generated"])
    assert top_contributions(same, sc, "2026-10") == {"leads_generated": []}
    one = kit.Dataset({"leads": leads({"web": 3}, {"web": 5})})  # one source: no grouping
    assert top_contributions(one, scorecard(one, "2026-10", names=["leads_generated"]),
                             "2026-10") == {"leads_generated": None}
    gap = kit.Dataset({"leads": pd.concat([leads({}, {"web": 3, "salon": 1}), pd.DataFrame({
        "lead_id": ["A"], "source": ["web"], "created_at": pd.to_datetime(["2026-08-05"])})])})
    # no lead in September: the change cannot be split (unknown), not "no change"
    assert top_contributions(gap, scorecard(gap, "2026-10", names=["leads_generated"]),
                             "2026-10") == {"leads_generated": None}


def test_write_summary_puts_contributions_in_the_json_only(tmp_path):
    ds = kit.Dataset({"leads": leads({"web": 10, "salon": 5}, {"web": 30, "salon": 4})})
    sc = scorecard(ds, "2026-10", names=["leads_generated", "sales_cycle"])
    why = top_contributions(ds, sc, "2026-10")
    write_summary(sc, tmp_path, month="2026-10", team="", lang="en", as_of=ds.as_of, currency="EUR",
                  contributions=why)
    rows = {k["name"]: k for k in read_summary(tmp_path)["kpis"]}
    assert rows["leads_generated"]["contributions"][0]["group"] == "web"
    assert rows["sales_cycle"]["contributions"] is None
    header = (tmp_path / "kpis.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "contributions" not in header and header.endswith(",scope,reason")


@pytest.fixture(scope="module")
def sample():
    return kit.load_dataset(SAMPLE)


@pytest.mark.parametrize("team", ["", "Nord"])
def test_kpis_json_of_the_sample_holds_the_split_of_each_headline_kpi(tmp_path, team, sample):
    """The contributions are explain_change's three largest (that moved) over the default
    grouping, their split adds up to the scorecard's change, and a second run writes the
    same bytes."""
    ds = sample
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert _write_kpis(ds, "2026-10", team, "fr", tmp_path / "a")[0] == ""
    assert _write_kpis(ds, "2026-10", team, "fr", tmp_path / "b")[0] == ""
    text = (tmp_path / "a" / "kpis.json").read_bytes()
    assert text == (tmp_path / "b" / "kpis.json").read_bytes()
    cut = report_dataset(ds, "2026-10", team=team)
    explained = 0
    for row in json.loads(text)["kpis"]:
        name, got = row["name"], row["contributions"]
        if name not in kit.explain.DECOMPOSABLE or default_grouping(cut, name) is None:
            assert got is None, name
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = explain_change(cut, name, by=default_grouping(cut, name), month="2026-10")
        assert res["contribution"].sum() == pytest.approx(row["change"], rel=1e-9, abs=1e-9), name
        moved = res[res["contribution"].abs() > 1e-12].head(3)
        assert len(got) == len(moved) > 0, name
        for c, (_, r) in zip(got, moved.iterrows()):
            assert c["by"] == res.attrs["by"][0]
            assert str(r[res.attrs["by"][0]]) == c["group"]
            assert (c["contribution"], c["ci_low"], c["ci_high"]) == pytest.approx(
                (r["contribution"], r["ci_low"], r["ci_high"]))
        explained += 1
    assert explained >= 6  # win rate, leads, revenue, margin, basket, conversations, e-mail replies
    # scope: which KPIs the team restricts, which stay those of all teams (README, kit report)
    scopes = {r["name"]: r["scope"] for r in json.loads(text)["kpis"]}
    if team:
        assert scopes["revenue"] == scopes["win_rate"] == "team"
        assert scopes["csat"] == scopes["nps"] == scopes["cac"] == "all"
    else:
        assert set(scopes.values()) == {"all"}
