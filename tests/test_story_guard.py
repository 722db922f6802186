"""Sections of the notebooks on partial data: the sentence why, never a traceback or a false 0."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kit import story
from kit.dataset import Dataset
from kit.story import Collector
from kit.story.guard import section


def _orders():
    # orders from February 2026 to October 2026 only, two reps
    months = pd.date_range("2026-02-01", "2026-10-01", freq="MS")
    rows = []
    for i, m in enumerate(months):
        for j in range(3):
            rows.append({"order_id": f"A{i}{j}", "customer_id": f"C{j}", "amount": 100.0 + j,
                         "ordered_at": m + pd.Timedelta(days=3 + j), "rep_id": f"R{j % 2 + 1}"})
    return pd.DataFrame(rows)


@pytest.fixture
def sink():
    """What the sections show, in order: objects (text, tables) and figures."""
    return Collector()


def _texts(shown):
    return [o.data for o in shown if hasattr(o, "data") and isinstance(o.data, str)]


@pytest.mark.parametrize("lang, start", [
    ("en", "*– Customer satisfaction (CSAT) cannot be computed: the dataset has no table surveys"),
    ("fr", "*– Impossible de calculer « Satisfaction client (CSAT) » : le jeu de données n’a pas de table "
           "surveys"),
])
def test_a_section_without_its_table_shows_one_sentence(sink, lang, start):
    rep = story.Report(Dataset({"orders": _orders()}), month="2026-10", lang=lang, display=sink)
    assert rep.trend("csat") is None
    texts = _texts(sink.shown)
    assert len(sink.shown) == 1 and texts[0].startswith(start) and "docs/data-contract.md" in texts[0]
    assert "csat" in rep.unknown


def test_every_section_of_a_notebook_is_guarded():
    from kit.story.dashboard import _panel
    from kit.story.report import Report

    for name in ("headline", "trend", "breakdown", "funnel", "time_to_convert", "matrix", "cohorts",
                 "satisfaction_vs_repeat", "product_timeline", "scorecard", "table"):
        assert getattr(getattr(Report, name), "guarded", False), name
    assert _panel.guarded  # each figure of the dashboard (kit.story.dashboard)


def test_headline_shows_the_kpis_it_can_and_one_sentence_for_the_others(sink):
    rep = story.Report(Dataset({"orders": _orders()}), month="2026-10", display=sink)
    rep.headline(["revenue", "revenue_vs_target", "csat"])
    texts = _texts(sink.shown)
    assert isinstance(sink.shown[0], story.Table) and len(sink.shown[0].frame) == 1  # revenue only, as a number
    assert texts[0].startswith("*– Revenue vs target cannot be computed: the dataset has no table targets")
    assert texts[1].startswith("*– Customer satisfaction (CSAT) cannot be computed")


def test_headline_last_year_before_the_data_is_unknown_not_zero():
    rep = story.Report(Dataset({"orders": _orders()}), month="2026-10")
    row = rep.headline_frame(["revenue"]).iloc[0]
    assert row["value"] == 303.0 and row["previous"] == 303.0
    assert np.isnan(row["last_year"]) and np.isnan(row["change_year"]) and row["reason"] == ""


def test_trend_months_before_the_data_are_missing_not_zero(sink):
    rep = story.Report(Dataset({"orders": _orders()}), month="2026-10", display=sink)
    _ax, data, _df = rep.trend_figure("revenue")
    values = dict(zip(pd.to_datetime(data["period"]), data["value"]))
    assert all(np.isnan(v) for p, v in values.items() if p < pd.Timestamp("2026-02-01"))
    assert values[pd.Timestamp("2026-02-01")] == 303.0


def test_a_month_before_the_data_gives_a_sentence_not_a_table(sink):
    rep = story.Report(Dataset({"orders": _orders()}), month="2025-12", display=sink)
    rep.breakdown("revenue", by="rep_id")
    assert _texts(sink.shown) == ["*– Revenue is unknown for December 2025: the table orders covers "
                             "Feb 4, 2026 to Oct 6, 2026 only.*"]


def test_a_breakdown_by_a_column_no_table_has(sink):
    rep = story.Report(Dataset({"orders": _orders()}), month="2026-10", lang="fr", display=sink)
    rep.breakdown("revenue", by="source")
    assert _texts(sink.shown)[0].startswith("*– Impossible de calculer « Chiffre d'affaires » : aucune des tables "
                                       "lues (orders) n’a de colonne source.")


def test_an_empty_table_is_said_empty(sink):
    rep = story.Report(Dataset({"orders": _orders().iloc[:0]}), month="2026-10", display=sink)
    rep.scorecard()
    texts = _texts(sink.shown)
    assert "*– Revenue cannot be computed: the table orders has no rows. Add rows to orders.csv (see " \
           "docs/data-contract.md, section orders).*" in texts
    assert not [o for o in sink.shown if isinstance(o, story.Table)]


def test_dashboard_figures_say_why_a_panel_is_missing(sink):
    rep = story.Report(Dataset({"orders": _orders()}), month="2026-10", display=sink)
    rep.dashboard_figures()
    texts = _texts(sink.shown)
    assert len([o for o in sink.shown if not hasattr(o, "data")]) == 1  # the revenue figure only
    assert [t.split(" cannot")[0] for t in texts] == ["*– Sales funnel", "*– Customer acquisition cost",
                                                      "*– Customer satisfaction (CSAT)"]


def test_dashboard_figures_do_not_repeat_what_the_scorecard_said(sink):
    rep = story.Report(Dataset({"orders": _orders()}), month="2026-10", display=sink)
    rep.scorecard()
    said = len(_texts(sink.shown))
    rep.dashboard_figures()
    assert [t.split(" cannot")[0] for t in _texts(sink.shown)[said:]] == ["*– Sales funnel"]


def test_explorer_without_any_kpi_it_can_show(sink):
    rep = story.Report(Dataset({"orders": _orders()}), month="2026-10", display=sink)
    assert rep.explorer(["csat", "nps"]) is None
    assert len(_texts(sink.shown)) == 2


def test_other_errors_are_not_hidden():
    class Demo(story.Report):
        @section
        def broken(self):
            raise KeyError("customer_id")

    rep = Demo(Dataset({"orders": _orders()}), month="2026-10")
    with pytest.raises(KeyError):
        rep.broken()


def test_a_reason_is_said_once_per_report():
    import pandas as pd

    from kit.dataset import Dataset
    from kit.story import Report

    sink = Collector()
    shown = sink.objects
    rep = Report(Dataset({"opportunities": pd.DataFrame({
        "opportunity_id": ["O1"], "status": ["won"], "created_at": pd.to_datetime(["2026-10-02"]),
        "closed_at": pd.to_datetime(["2026-10-05"])})}), month="2026-10", display=sink)
    rep.trend("lead_conversion_rate")
    rep.breakdown("lead_conversion_rate", by="source")
    said = [o.data for o in shown if "Lead conversion rate" in getattr(o, "data", "")]
    assert len(said) == 1 and said[0].startswith("*– ")


def test_returns_section_without_return_lines_says_why_once(sink):
    rep = story.Report(Dataset({"orders": _orders()}), month="2026-10", lang="fr", display=sink)
    rep.returns(by="rep_id")
    texts = _texts(sink.shown)
    assert len(texts) == 1 and "aucune ligne de retour" in texts[0] and texts[0].startswith("*– ")
    assert "return_rate" in rep.unknown
