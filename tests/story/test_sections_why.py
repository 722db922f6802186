"""rep.why(): the sentence, the waterfall and the table of the largest contributions."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import kit
from kit.errors import DataError, KitError
from kit.story import Collector, Report
from kit.story.table import Table


@pytest.fixture
def shown():
    """What the sections show: objects (text, tables) and figures."""
    yield Collector()
    plt.close("all")


def opps():
    rows = ([("A", "2026-09-10", "won")] * 2 + [("A", "2026-09-10", "lost")] * 2
            + [("B", "2026-09-12", "lost")] * 4 + [("A", "2026-10-10", "won")] * 3
            + [("B", "2026-10-12", "won")] + [("B", "2026-10-12", "lost")])
    return pd.DataFrame({"opportunity_id": [f"O{i}" for i in range(len(rows))],
                         "method": [r[0] for r in rows], "status": [r[2] for r in rows],
                         "closed_at": pd.to_datetime([r[1] for r in rows])})


@pytest.mark.parametrize("lang,heading,sentence", [
    ("en", "### Why it moved: Win rate, by sales methods", "Win rate rose 55.0 pp (25.0% to 80.0%)"),
    ("fr", "### D'où vient l'évolution : Taux de réussite, selon les méthodes de vente",
     "Taux de réussite en hausse de 55,0 pts (de 25,0 % à 80,0 %)"),
])
def test_why_shows_a_sentence_a_waterfall_and_a_table(shown, lang, heading, sentence):
    rep = Report(kit.Dataset({"opportunities": opps()}), month="2026-10", lang=lang, display=shown)
    rep.why("win_rate", by="method")
    texts = [getattr(o, "data", None) for o in shown.objects]
    assert texts[0] == heading
    assert texts[1].replace("\xa0", " ").startswith(sentence)
    assert len(shown.figures) == 1 and len(shown.figures[0].patches) == 5  # before, A, B, mix, after
    table = next(o for o in shown.objects if isinstance(o, Table))
    assert table.frame.shape == (2, 7)  # group, two months, rate, mix, contribution, interval
    assert "opportunities" in texts[-1] or "opportunités" in texts[-1]
    assert rep.last.attrs["kpi"] == "win_rate" and "opportunities" in rep.used


def test_why_on_a_kpi_that_does_not_decompose_raises(shown):
    rep = Report(kit.Dataset({"opportunities": opps()}), month="2026-10", display=shown)
    with pytest.raises(KitError, match="does not decompose"):
        rep.why("sales_cycle", by="method")


def test_a_month_without_units_is_said_unknown_not_drawn(shown):
    only_october = opps()[lambda d: d["closed_at"] >= "2026-10-01"]
    rep = Report(kit.Dataset({"opportunities": only_october}), month="2026-10", lang="fr", display=shown)
    rep.why("win_rate", by="method")
    texts = [o.data.replace("\xa0", " ") for o in shown.objects]
    assert texts[1] == ("*Pas d'opportunités dans l'un des deux mois (sept. 2026, oct. 2026) : l'origine de "
                        "l'évolution (Taux de réussite) est inconnue.*")
    assert shown.figures == [] and rep.last is None


# -- under the headline: only a change beyond noise is explained --------------------------

def closed(won: dict, lost: dict, day: str) -> list:
    """(team, day, status) rows: ``won[team]`` won and ``lost[team]`` lost deals closed on ``day``."""
    return ([(team, day, "won") for team, n in won.items() for _ in range(n)]
            + [(team, day, "lost") for team, n in lost.items() for _ in range(n)])


def opps_by_team(september, october) -> pd.DataFrame:
    rows = september + october
    return pd.DataFrame({"opportunity_id": [f"O{i}" for i in range(len(rows))],
                         "team": [r[0] for r in rows], "status": [r[2] for r in rows],
                         "closed_at": pd.to_datetime([r[1] for r in rows])})


#: 40 deals a month. September: A wins 5 of 20, B 5 of 20 (25 %); October: A 18 of 20,
#: B 12 of 20 (75 %): the rise is far beyond noise (z-test), shares stay 1/2, so the whole
#: +50 pp comes from the rates: A +32.5 pp (0.5 x 65 pp), B +17.5 pp; mix 0.
RISE = opps_by_team(closed({"A": 5, "B": 5}, {"A": 15, "B": 15}, "2026-09-10"),
                    closed({"A": 18, "B": 12}, {"A": 2, "B": 8}, "2026-10-10"))
#: September 20 of 40 (50 %), October 22 of 40 (55 %): within noise.
FLAT = opps_by_team(closed({"A": 10, "B": 10}, {"A": 10, "B": 10}, "2026-09-10"),
                    closed({"A": 12, "B": 10}, {"A": 8, "B": 10}, "2026-10-10"))


@pytest.mark.parametrize("lang,sentence", [
    ("en", "Win rate rose 50.0 pp (25.0% to 75.0%): +50.0 pp from the rates within teams, mostly A; "
           "0.0 pp from the mix."),
    ("fr", "Taux de réussite en hausse de 50,0 pts (de 25,0 % à 75,0 %) : +50,0 pts dus aux taux au sein "
           "des équipes, surtout A ; 0,0 pts dus au mix."),
])
def test_headline_explains_a_change_beyond_noise(shown, lang, sentence):
    rep = Report(kit.Dataset({"opportunities": RISE}), month="2026-10", lang=lang, display=shown)
    assert rep.headline_frame(["win_rate"])["status"].tolist() == ["better"]
    rep.headline(["win_rate"])
    assert isinstance(shown.objects[0], Table)
    texts = [o.data.replace("\xa0", " ") for o in shown.objects[1:]]
    assert texts == [sentence]  # one sentence, no heading, no contributions table
    (ax,) = shown.figures
    # before, A, B, mix, after; the bars of A and B are their rate effects
    assert [round(p.get_height(), 4) for p in ax.patches] == [0.25, 0.325, 0.175, 0.0, 0.75]
    assert ax.get_title().startswith("Win rate, Sep 2026 to Oct 2026" if lang == "en" else
                                      "Taux de réussite, de sept. 2026 à oct. 2026")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_headline_does_not_explain_a_change_within_noise(shown, lang):
    rep = Report(kit.Dataset({"opportunities": FLAT}), month="2026-10", lang=lang, display=shown)
    assert rep.headline_frame(["win_rate"])["status"].tolist() == ["unclear"]
    rep.headline(["win_rate"])
    assert len(shown.objects) == 1 and isinstance(shown.objects[0], Table) and shown.figures == []


def test_headline_does_not_explain_an_unknown_change(shown):
    """Under 30 deals a month: not known yet, so not explained either."""
    small = opps_by_team(closed({"A": 1}, {"A": 4}, "2026-09-10"), closed({"A": 5}, {}, "2026-10-10"))
    rep = Report(kit.Dataset({"opportunities": small}), month="2026-10", display=shown)
    assert rep.headline_frame(["win_rate"])["status"].tolist() == ["unknown"]
    rep.headline(["win_rate"])
    assert len(shown.objects) == 1 and shown.figures == []


def test_headline_without_a_grouping_in_the_data_explains_nothing(shown):
    rep = Report(kit.Dataset({"opportunities": RISE.drop(columns="team")}), month="2026-10", display=shown)
    assert rep.headline_frame(["win_rate"])["status"].tolist() == ["better"]
    rep.headline(["win_rate"])
    assert len(shown.objects) == 1 and shown.figures == []


def test_headline_skips_a_change_that_cannot_be_split(shown):
    """Leads in August and October, none in September: October is better (exact Poisson test,
    0 to 40), but a month without units has no split (DataError); orders whose lines carry two
    sources overlap (KitError). Neither breaks the headline: the KPIs are in the table,
    without an explanation."""
    leads = pd.DataFrame({"lead_id": [f"L{i}" for i in range(41)], "source": ["web", "salon"] * 20 + ["web"],
                          "created_at": pd.to_datetime(["2026-10-05"] * 40 + ["2026-08-05"])})
    n = 40
    orders = pd.DataFrame({  # two lines an order, one per source; basket 100 then 200
        "order_id": [f"{m}{i}" for m in ("S", "O") for i in range(n) for _ in range(2)],
        "customer_id": "C1", "source": ["web", "salon"] * (2 * n),
        "amount": [50.0] * (2 * n) + [100.0] * (2 * n),
        "ordered_at": pd.to_datetime(["2026-09-05"] * (2 * n) + ["2026-10-05"] * (2 * n))})
    rep = Report(kit.Dataset({"leads": leads, "orders": orders}), month="2026-10", display=shown)
    frame = rep.headline_frame(["leads_generated", "average_basket"])
    assert frame["status"].tolist() == ["better", "better"]
    rep.headline(["leads_generated", "average_basket"])
    assert len(shown.objects) == 1 and shown.figures == []
    with pytest.raises(DataError, match="has no lead in 2026-09"):
        rep.explanation("leads_generated", "source")
    with pytest.raises(KitError, match="the groups overlap"):
        rep.explanation("average_basket", "source")


def test_explanation_is_the_path_of_why_and_of_the_headline(shown):
    """The sentence and figure of rep.why are those of rep.explanation."""
    rep = Report(kit.Dataset({"opportunities": RISE}), month="2026-10", display=shown)
    _res, sentence, ax = rep.explanation("win_rate", "team")
    rep.why("win_rate", by="team")
    assert shown.objects[1].data == sentence
    assert [p.get_height() for p in shown.figures[0].patches] == [p.get_height() for p in ax.patches]
