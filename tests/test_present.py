"""Tests of kit.present: the one status rule, its words, notes and cells, on every surface."""

from __future__ import annotations

import json
import math
import re

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

import kit  # noqa: E402
from kit import present, registry  # noqa: E402
from kit.dataset import Dataset  # noqa: E402
from kit.plot import style_scorecard  # noqa: E402
from kit.report.index import index_html  # noqa: E402
from kit.scorecard import report_dataset, scorecard  # noqa: E402
from kit.story import Collector  # noqa: E402
from tests.conftest import SAMPLE  # noqa: E402

NAN = float("nan")


def _z_test(k1, n1, k0, n0) -> float:
    """Two-sided p of the pooled two-proportion z-test, written out by hand."""
    p = (k1 + k0) / (n1 + n0)
    z = (k1 / n1 - k0 / n0) / math.sqrt(p * (1 - p) * (1 / n1 + 1 / n0))
    return math.erfc(abs(z) / math.sqrt(2))


def _binomial_test(c1, c0) -> float:
    """Two-sided exact conditional test of two Poisson counts (binomial, p = 1/2), by hand."""
    n = c1 + c0
    probs = [math.comb(n, k) / 2 ** n for k in range(n + 1)]
    return min(1.0, sum(q for q in probs if q <= probs[c1] * (1 + 1e-7)))


# -- the status rule on hand-made cases --------------------------------------------------

def test_a_significant_change_of_a_proportion_is_better_or_worse():
    row = {"name": "win_rate", "value": 0.6, "previous": 0.3, "numerator": 60, "denominator": 100,
           "previous_numerator": 30, "previous_denominator": 100}
    got = present.decide(row)
    assert got["test"] == "proportion"
    assert got["p_value"] == pytest.approx(_z_test(60, 100, 30, 100))  # z = 4.26, p = 2e-05
    assert got["status"] == "better"
    # the same change of a lower-is-better proportion is worse
    assert present.decide({**row, "name": "offer_loss_rate"})["status"] == "worse"


def test_a_change_of_a_proportion_within_noise_is_unclear():
    row = {"name": "win_rate", "value": 0.35, "previous": 0.30, "numerator": 35, "denominator": 100,
           "previous_numerator": 30, "previous_denominator": 100}
    got = present.decide(row)
    assert got["p_value"] == pytest.approx(_z_test(35, 100, 30, 100))  # p = 0.45
    assert got["status"] == "unclear"


def test_counts_are_tested_with_the_exact_poisson_test():
    big = present.decide({"name": "leads_generated", "value": 30, "previous": 12})
    assert big["test"] == "count" and big["p_value"] == pytest.approx(_binomial_test(30, 12))
    assert big["p_value"] < 0.05 and big["status"] == "better"
    small = present.decide({"name": "leads_generated", "value": 12, "previous": 10})
    assert small["p_value"] == pytest.approx(_binomial_test(12, 10)) and small["status"] == "unclear"
    down = present.decide({"name": "leads_generated", "value": 12, "previous": 30})
    assert down["status"] == "worse"


def test_other_kpis_use_their_interval_or_a_relative_threshold():
    # a mean without an interval: 4 % is within the 5 % threshold, 10 % is not
    assert present.decide({"name": "revenue", "value": 104.0, "previous": 100.0})["status"] == "unclear"
    got = present.decide({"name": "revenue", "value": 110.0, "previous": 100.0})
    assert (got["status"], got["test"]) == ("better", "threshold")
    # with an interval: the previous value inside it is no clear change
    row = {"name": "nps", "value": 40.0, "previous": 30.0, "ci_low": 25.0, "ci_high": 55.0}
    assert present.decide(row)["status"] == "unclear"
    assert present.decide({**row, "ci_low": 35.0})["status"] == "better"


def test_the_target_says_where_the_value_stands_apart_from_the_change():
    row = {"name": "revenue_vs_target", "value": 1.14, "previous": 1.59, "target": 1.0}
    got = present.decide(row)
    assert (got["status"], got["target_status"]) == ("worse", "above")
    assert present.decide({**row, "value": 0.995})["target_status"] == "on"
    assert present.decide({**row, "value": 0.8})["target_status"] == "below"
    assert present.decide({**row, "target": NAN})["target_status"] is None


def test_low_samples_censored_cohorts_and_missing_values():
    base = {"name": "win_rate", "value": 0.6, "previous": 0.3, "previous_numerator": 30,
            "previous_denominator": 100}
    # 3 of 5: a low sample (flagged by the KPI or a counted denominator under 30)
    assert present.decide({**base, "numerator": 3, "denominator": 5, "low_sample": True})["status"] == "unknown"
    assert present.decide({**base, "numerator": 3, "denominator": 5})["status"] == "unknown"
    # 3 leads, 158 too recent: mostly censored, whatever the change
    got = present.decide({"name": "never_engaged_rate", "value": 0.0, "previous": 0.37,
                          "numerator": 0, "denominator": 40, "n_censored": 158})
    assert (got["status"], got["why"]) == ("unknown", "sample")
    assert present.decide({**base, "value": NAN})["status"] == "nodata"
    assert present.decide({**base, "numerator": 60, "denominator": 100, "previous": NAN})["why"] == "previous"
    # the previous month not known yet: no change is called
    got = present.decide({**base, "numerator": 60, "denominator": 100, "previous_low_sample": True})
    assert (got["status"], got["why"]) == ("unknown", "previous_sample")
    row = {**base, "status": "unknown", "why": "previous_sample", "previous_denominator": 2}
    assert present.note(row, "2026-10", "fr") == "septembre 2026 pas encore connu : 2 opportunités (petit échantillon)"
    assert present.note(row, "2026-10", "en") == "September 2026 not known yet: 2 opportunities (small sample)"


def test_status_words_and_symbols_in_both_languages():
    assert [present.status_text(s, "en") for s in present.STATUSES] == [
        "▲ better", "▼ worse", "≈ no clear change", "… not known yet", "– no data"]
    assert [present.status_text(s, "fr") for s in present.STATUSES] == [
        "▲ en amélioration", "▼ en dégradation", "≈ pas de changement net", "… pas encore connu",
        "– pas de données"]
    assert present.status_text("better", "fr", "below") == "▲ en amélioration · en dessous de l'objectif"


# -- censored and empty months ---------------------------------------------------------

def _censored_row():
    return {"name": "never_engaged_rate", "value": 0.0, "previous": 0.366, "change": -0.366,
            "numerator": 0.0, "denominator": 3.0, "n_censored": 158.0, "low_sample": True,
            "previous_numerator": 30.0, "previous_denominator": 82.0}


def test_a_censored_month_is_never_coloured_and_shows_its_n():
    df = present.status_frame(pd.DataFrame([_censored_row()]))
    assert df["status"].tolist() == ["unknown"]
    for lang, text in [("en", "3 leads; 158 too recent"), ("fr", "3 prospects ; 158 trop récents")]:
        df["note"] = present.note({**_censored_row(), "status": "unknown", "why": "sample"}, "2026-10", lang)
        styler = style_scorecard(df, lang)
        page = styler.to_html()
        assert 'data-kpi="never_engaged_rate" data-status="unknown"' in page
        # neither the green nor the red of a change, and the value greyed
        assert "#dcf2e0" not in page and "#fbe1df" not in page and "#8a8a8a" in page
        assert styler.data.iloc[0].tolist()[-1] == text
    # nor in the index page
    doc = {"month": "2026-10", "lang": "en", "kpis": [{**_censored_row(), "label": "x", "unit": "ratio",
                                                       "status": "unknown", "note": "3 leads; 158 too recent"}]}
    assert "#1a7f37" not in _index_of(doc) and "3 leads; 158 too recent" in _index_of(doc)


def _index_of(doc, tmp=None) -> str:
    import tempfile
    from pathlib import Path

    out = Path(tempfile.mkdtemp())
    (out / doc["month"]).mkdir()
    (out / doc["month"] / "kpis.json").write_text(json.dumps(doc))
    return index_html(out, doc.get("lang", "en"))


@pytest.fixture(scope="module")
def october():
    return report_dataset(SAMPLE, "2026-10")


def test_an_empty_month_says_why_in_both_languages(october):
    for lang, text in [("en", "no NPS answer in October 2026"), ("fr", "aucune réponse NPS en octobre 2026")]:
        row = scorecard(october, "2026-10", lang=lang, names=["nps"]).iloc[0]
        assert math.isnan(row["value"]) and row["status"] == "nodata" and row["note"] == text


def test_trends_do_not_draw_mostly_censored_cohorts(october):
    from kit import story

    sink = Collector()
    shown = sink.objects
    rep = story.Report(october, month="2026-10", lang="en", display=sink)
    _, data, df = rep.trend_figure("never_engaged_rate")
    last = df.iloc[-1]
    assert (last["denominator"], last["n_censored"]) == (3, 158)
    assert math.isnan(data["value"].iloc[-1]) and not math.isnan(df["value"].iloc[-1])
    rep.trend("never_engaged_rate")
    texts = [getattr(o, "data", "") for o in shown]
    assert any("October 2026 (3 leads; 158 too recent)" in t for t in texts)
    shown.clear()
    rep.trend("nps")
    assert any("no NPS answer in October 2026" in getattr(o, "data", "") for o in shown)


# -- the same numerator formats the same everywhere ------------------------------------

def _targets_dataset():
    orders = pd.DataFrame({"order_id": ["A", "B"], "ordered_at": pd.to_datetime(["2026-09-10", "2026-10-03"]),
                           "amount": [1500.0, 1206432.28], "rep_id": ["R1", "R1"], "team": ["Nord", "Nord"]})
    targets = pd.DataFrame({"period": pd.to_datetime(["2026-09-01", "2026-10-01"]), "rep_id": ["R1", "R1"],
                            "team": ["Nord", "Nord"], "revenue_target": [1000.0, 1060300.0]})
    return Dataset({"orders": orders, "targets": targets})


def test_the_revenue_vs_target_numerator_is_money_on_every_surface():
    from kit import story, widgets

    ds = _targets_dataset()
    money = "€1,206,432.28"
    res = kit.compute(ds, "revenue_vs_target", start="2026-10-01", end="2026-11-01")
    assert present.format_result(res, "revenue_vs_target", "en")["Revenue"].tolist() == [money]
    # the notebooks' tables
    sink = Collector()
    shown = sink.objects
    rep = story.Report(ds, month="2026-10", lang="en", display=sink)
    rep.table("revenue_vs_target")
    tables = [o for o in shown if isinstance(o, story.Table)]
    assert tables[0].frame["Revenue"].tolist() == [money]
    # the explorer
    ex = widgets.kpi_explorer(ds, lang="en", kpis=["revenue_vs_target"], filters=False)
    ex.refresh()
    assert money in ex.table.value and "1,206,432.28<" not in ex.table.value.replace(money, "")
    # in French too
    fr = present.format_result(res, "revenue_vs_target", "fr")
    assert fr["Chiffre d'affaires"].tolist() == ["1\u202f206\u202f432,28\xa0€"]


def test_kpi_facts_live_in_the_registry():
    spec = registry.get("revenue_vs_target")
    assert spec.columns["numerator"] == ("currency", "revenue") and spec.target == 1.0
    assert registry.get("revenue").target == ("revenue_vs_target", "denominator")
    assert registry.get("deals_needed").dropped == ("period", "won_deals", "closed_deals")
    assert registry.get("never_engaged_rate").headline_form == "month"
    assert registry.get("repeat_purchase_rate").headline_form == "cohorts"
    assert set(registry.get("win_rate").options) == {"by", "freq", "start", "end"}
    with pytest.raises(kit.errors.ParameterError, match=r"target='x' for KPI 'demo' is neither"):
        registry.kpi(name="demo", family="d", label={"en": "d", "fr": "d"}, definition={"en": "d", "fr": "d"},
                     unit="count", direction="higher", tables=("leads",), date="leads.created_at",
                     target="x")


def test_no_surface_reads_the_kpi_functions_signature():
    from pathlib import Path

    root = Path(kit.__file__).parent
    readers = [str(p.relative_to(root)) for p in root.rglob("*.py")
               if re.search(r"inspect\.signature|_accepts|_signature_options", p.read_text(encoding="utf-8"))]
    assert readers == ["registry.py"]
