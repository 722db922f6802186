"""rep.why(): the sentence, the waterfall and the table of the largest contributions."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import kit
from kit import story
from kit.errors import KitError
from kit.story import Report
from kit.story.table import Table


@pytest.fixture
def shown(monkeypatch):
    out = {"objs": [], "axes": []}
    monkeypatch.setattr(story.display, "_display", lambda *objs: out["objs"].extend(objs))
    monkeypatch.setattr(story.display, "_show", lambda ax: out["axes"].append(ax))
    yield out
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
    rep = Report(kit.Dataset({"opportunities": opps()}), month="2026-10", lang=lang)
    rep.why("win_rate", by="method")
    texts = [getattr(o, "data", None) for o in shown["objs"]]
    assert texts[0] == heading
    assert texts[1].replace("\xa0", " ").startswith(sentence)
    assert len(shown["axes"]) == 1 and len(shown["axes"][0].patches) == 5  # before, A, B, mix, after
    table = next(o for o in shown["objs"] if isinstance(o, Table))
    assert table.frame.shape == (2, 7)  # group, two months, rate, mix, contribution, interval
    assert "opportunities" in texts[-1] or "opportunités" in texts[-1]
    assert rep.last.attrs["kpi"] == "win_rate" and "opportunities" in rep.used


def test_why_on_a_kpi_that_does_not_decompose_raises(shown):
    rep = Report(kit.Dataset({"opportunities": opps()}), month="2026-10")
    with pytest.raises(KitError, match="does not decompose"):
        rep.why("sales_cycle", by="method")


def test_a_month_without_units_is_said_unknown_not_drawn(shown):
    only_october = opps()[lambda d: d["closed_at"] >= "2026-10-01"]
    rep = Report(kit.Dataset({"opportunities": only_october}), month="2026-10", lang="fr")
    rep.why("win_rate", by="method")
    texts = [o.data.replace("\xa0", " ") for o in shown["objs"]]
    assert texts[1] == ("*Pas d'opportunités dans l'un des deux mois (sept. 2026, oct. 2026) : l'origine de "
                        "l'évolution (Taux de réussite) est inconnue.*")
    assert shown["axes"] == [] and rep.last is None
