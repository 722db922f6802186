"""The funnel section without leads: the funnel of the opportunity stages (kit.story.sections_funnel)."""

from __future__ import annotations

import pandas as pd
import pytest

import kit
from kit import story
from kit.story import Collector
from kit.story.dashboard import _panels
from tests.kpis.test_stages import HISTORY, OPPS


@pytest.fixture
def shown():
    """What the sections show: objects (text, tables) and figures."""
    return Collector()


def _texts(objs) -> str:
    return "\n".join(str(getattr(o, "data", "")) for o in objs if hasattr(o, "data"))


@pytest.mark.parametrize("lang, heading, column, note", [
    ("en", "Funnel of opportunity stages, February 2026", "Opportunities", "no leads table"),
    ("fr", "Entonnoir des étapes des opportunités, février 2026", "Opportunités",
     "pas de table de prospects"),
])
def test_without_leads_the_funnel_is_that_of_the_opportunity_stages(shown, lang, heading, column, note):
    ds = kit.Dataset({"opportunities": OPPS, "stage_history": HISTORY}, as_of="2026-02-28 23:00")
    rep = story.Report(ds, month="2026-02", lang=lang, display=shown)
    rep.funnel(window="all")
    text = _texts(shown.objects)
    assert heading.split(",")[0] in text and note in text
    table = [o for o in shown.objects if hasattr(o, "frame")][0].frame
    # counts as in tests/kpis/test_stages.py: new 6, qualified 4, proposal 3, won 2
    assert table[column].tolist() == ["6", "4", "3", "2"]
    assert rep.last["step_rate"].round(4).tolist()[1:] == [round(4 / 6, 4), 0.75, round(2 / 3, 4)]
    assert {"opportunities", "stage_history"} <= rep.used
    ax = shown.figures[0]
    # stage names with words of their own are translated
    assert [t.get_text() for t in ax.get_yticklabels()][0] == {"en": "New", "fr": "Nouvelles"}[lang]
    assert ax.get_title().startswith(heading.split(",")[0])


def test_from_the_current_stage_the_sentence_says_so(shown):
    ds = kit.Dataset({"opportunities": OPPS}, as_of="2026-03-01")
    rep = story.Report(ds, month="2026-02", display=shown)
    rep.funnel(window="all")
    text = _texts(shown.objects)
    assert "from the current stage of each opportunity" in text
    assert rep.last["stage"].astype(str).tolist() == ["new", "proposal", "won"]


def test_a_window_after_the_opportunities_is_unknown_without_a_figure(shown):
    # the opportunities stop in February: November-December is not known, not an empty funnel
    ds = kit.Dataset({"opportunities": OPPS, "stage_history": HISTORY}, as_of="2026-12-31")
    story.Report(ds, month="2026-12", history=2, display=shown).funnel()
    assert ("Funnel of opportunity stages is unknown for November 2026 to December 2026: the table "
            "opportunities covers Jan 5, 2026 to Feb 20, 2026 only.") in _texts(shown.objects)
    assert shown.figures == []


def test_with_leads_the_funnel_stays_the_lead_funnel(shown):
    leads = pd.DataFrame({"lead_id": ["L1", "L2"], "created_at": pd.to_datetime(["2026-02-01"] * 2)})
    opps = OPPS.assign(lead_id=["L1", None, None, None, None, None])
    rep = story.Report(kit.Dataset({"leads": leads, "opportunities": opps}), month="2026-02", display=shown)
    rep.funnel()
    assert rep.last["stage"].astype(str).tolist()[0] == "created"


def test_the_dashboard_shows_the_stage_funnel_when_there_are_no_leads(shown):
    ds = kit.Dataset({"opportunities": OPPS, "stage_history": HISTORY}, as_of="2026-02-28 23:00")
    rep = story.Report(ds, month="2026-02", display=shown)
    assert "Funnel of opportunity stages" in _panels(rep)
    rep.dashboard_figures()
    titles = [ax.get_title() for ax in shown.figures]
    assert any(t.startswith("Funnel of opportunity stages") for t in titles)
    leads = pd.DataFrame({"lead_id": ["L1"], "created_at": pd.to_datetime(["2026-02-01"])})
    both = story.Report(kit.Dataset({"leads": leads, "opportunities": OPPS}), month="2026-02", display=shown)
    assert "Funnel of opportunity stages" not in _panels(both)
