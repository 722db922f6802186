"""The dashboard's "why" panel (kit.widgets.why), driven without a browser."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import kit  # noqa: E402
from kit import widgets as kw  # noqa: E402
from kit.errors import ParameterError  # noqa: E402
from kit.widgets import WhyPanel, why_choices, why_panel  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def plain(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


@pytest.fixture
def ds():
    """Deals of September and October 2026 by team and method; leads by source.

    September: Nord wins 2 of 4 (démo 2 of 2, appel 0 of 2), Sud 0 of 2 (appel): 2 of 6.
    October: Nord 3 of 3 (démo), Sud 1 of 3 (appel 1 of 3): 4 of 6. By team, the rates give
    Nord (4/6 + 3/6) / 2 x 50 pp = 29.2 pp and Sud (2/6 + 3/6) / 2 x 33.3 pp = 13.9 pp (43.1 pp);
    the mix, Nord -1/6 x 75 % and Sud +1/6 x 16.7 %, -9.7 pp: more deals from Sud, below average.
    Leads: web 1 then 2, salon 1 then 0.
    """
    rows = [("Nord", "démo", "won", "09")] * 2 + [("Nord", "appel", "lost", "09")] * 2 \
        + [("Sud", "appel", "lost", "09")] * 2 + [("Nord", "démo", "won", "10")] * 3 \
        + [("Sud", "appel", "won", "10")] + [("Sud", "appel", "lost", "10")] * 2
    opps = pd.DataFrame({"opportunity_id": [f"O{i}" for i in range(len(rows))],
                         "team": [r[0] for r in rows], "method": [r[1] for r in rows],
                         "status": [r[2] for r in rows],
                         "closed_at": pd.to_datetime([f"2026-{r[3]}-10" for r in rows])})
    leads = pd.DataFrame({"lead_id": ["L1", "L2", "L3", "L4"], "source": ["web", "salon", "web", "web"],
                          "team": ["Nord", "Sud", "Nord", "Sud"],
                          "created_at": pd.to_datetime(["2026-09-02", "2026-09-03", "2026-10-02", "2026-10-03"])})
    return kit.Dataset({"opportunities": opps, "leads": leads}, as_of="2026-11-15")


def test_the_panel_offers_the_headline_kpis_that_split_with_their_groupings(ds):
    assert why_choices(ds) == {"win_rate": ["team", "method"], "leads_generated": ["source", "team"]}
    assert why_choices(ds, ["sales_cycle", "leads_generated"]) == {"leads_generated": ["source", "team"]}
    with pytest.raises(ParameterError, match="No KPI of .* can be split over groups"):
        why_panel(kit.Dataset({"opportunities": ds.opportunities.drop(columns=["team", "method"])}))
    with pytest.raises(ParameterError, match="needs at least one KPI"):
        WhyPanel({})


@pytest.mark.parametrize("lang,by_team,by_method,leads,title", [
    ("en", "Win rate rose 33.3 pp (33.3% to 66.7%): +43.1 pp from the rates within teams, mostly Nord; "
           "-9.7 pp from the mix, more closed opportunities from Sud.",
     "within sales methods",
     "Leads generated did not change (2): mostly salon (-1), then web (+1).", "Why it moved"),
    ("fr", "Taux de réussite en hausse de 33,3 pts (de 33,3 % à 66,7 %) : +43,1 pts dus aux taux au "
           "sein des équipes, surtout Nord ; -9,7 pts dus au mix, davantage d&#x27;opportunités clôturées "
           "venant de Sud.",
     "au sein des méthodes de vente",
     "Leads générés stable (2) : surtout salon (-1), puis web (+1).", "Pourquoi ça a bougé"),
])
def test_the_dropdowns_redraw_the_sentence_and_the_waterfall(ds, lang, by_team, by_method, leads, title):
    panel = why_panel(ds, lang=lang, debounce=0)
    assert title in panel.children[0].value
    assert panel.sentence.value == "" and panel.redraws == 0  # nothing until it has data
    panel.update(ds)
    assert (panel.kpi.value, panel.by.value) == ("win_rate", "team")
    assert plain(panel.sentence.value) == f"<p>{by_team}</p>"
    first = bytes(panel.image.value)
    assert first[:4] == b"\x89PNG"
    panel.by.value = "method"
    assert by_method in plain(panel.sentence.value) and bytes(panel.image.value) != first
    panel.kpi.value = "leads_generated"  # its groupings replace those of win rate
    assert [v for _, v in panel.by.options] == ["source", "team"] and panel.by.value == "source"
    assert plain(panel.sentence.value) == f"<p>{leads}</p>"
    assert panel.redraws == 3


def test_a_window_before_the_data_says_the_change_is_unknown(ds):
    panel = why_panel(ds, lang="fr", debounce=0)
    panel.update(ds, None, pd.Timestamp("2026-09-01"))  # August has no deal
    assert "Pas d&#x27;opportunités dans l&#x27;un des deux mois (août 2026, sept. 2026)" in \
        plain(panel.sentence.value)
    assert bytes(panel.image.value) == b""


def test_an_error_is_shown_in_the_panel_not_raised(ds):
    def broken(*_args):
        raise kit.KitError("the groups overlap <b>")

    panel = why_panel(ds, explain=broken, debounce=0)
    panel.update(ds)
    assert 'class="kit-error"' in panel.sentence.value and "&lt;b&gt;" in panel.sentence.value


def test_the_dashboard_redraws_the_panel_when_the_filters_change(ds):
    panel = why_panel(ds, debounce=0)
    board = kw.dashboard(ds, {"n": lambda d, first, last: str(len(d.opportunities))}, debounce=0,
                         extras=[panel], windowed=True)
    assert panel in list(kw_walk(board))
    assert board.panels["n"][0].value == "12"
    assert plain(panel.sentence.value).startswith("<p>Win rate rose 33.3 pp (33.3% to 66.7%)")
    board.filter_bar.team.value = "Sud"  # Sud: 0 of 2, then 1 of 3
    assert plain(panel.sentence.value).startswith("<p>Win rate rose 33.3 pp (0.0% to 33.3%)")
    board.filter_bar.end.value = pd.Timestamp("2026-09-01")  # the window's To month: September
    assert plain(panel.sentence.value) == ("<p>No opportunities in one of the two months (Aug 2026, "
                                           "Sep 2026): why Win rate moved is unknown.</p>")
    board.filter_bar.team.value = kw.ALL  # a selection seen before: the panels come from the cache,
    board.filter_bar.end.value = pd.Timestamp("2026-10-01")  # the "why" panel is redrawn
    assert board._cache and board.panels["n"][0].value == "12"
    assert plain(panel.sentence.value).startswith("<p>Win rate rose 33.3 pp (33.3% to 66.7%)")
    assert panel.redraws == 5 and board.redraws == 5


def kw_walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from kw_walk(child)


@pytest.mark.parametrize("lang,title", [("en", "Why it moved"), ("fr", "Pourquoi ça a bougé")])
def test_the_reports_dashboard_has_the_why_panel(ds, lang, title):
    from kit.story import Report

    board = Report(ds, month="2026-10", lang=lang).dashboard()
    (panel,) = board.extras
    assert title in panel.children[0].value
    assert panel.kpi.value == "win_rate" and panel.sentence.value.startswith("<p>")
    sentence = panel.sentence.value
    panel.by.value = "method"
    assert panel.sentence.value != sentence
