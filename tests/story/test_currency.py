"""Money is shown in the dataset's currency: ``--currency USD`` gives dollars everywhere
(``kpis.json`` too: tests/test_report.py)."""

from __future__ import annotations

import shutil

import pytest

from kit import story
from kit.story import Collector
from tests.conftest import ROOT

SHAPES = ROOT / "tests" / "data" / "shapes"


@pytest.mark.parametrize("lang, money", [("en", "$21,000.00"), ("fr", "21 000,00 $US")])
def test_a_usd_dataset_shows_dollars_in_tables_and_figures(tmp_path, lang, money):
    sink = Collector()
    shown, axes = sink.objects, sink.figures
    data = tmp_path / "deals"
    shutil.copytree(SHAPES / "deals_only", data)
    (data / "targets.csv").write_text("period,team,revenue_target\n2026-09-01,Nord,30000\n"
                                      "2026-09-01,Sud,10000\n")
    rep = story.open_report(str(data), month="2026-09", lang=lang, currency="usd", display=sink)
    assert rep.currency == "USD"
    rep.headline(["revenue"])
    # September: the won deals D06 (15,000) and D09 (6,000)
    table = [o for o in shown if hasattr(o, "frame")][0].frame
    cells = " ".join(map(str, table.to_numpy().ravel())).replace("\u202f", " ").replace("\xa0", " ")
    assert money in cells and "€" not in cells
    rep.trend("revenue")
    label = axes[-1].get_ylabel()
    assert "$" in label and "€" not in label
    ticks = [t.get_text() for t in axes[-1].get_yticklabels()]
    assert any("$" in t for t in ticks) and not any("€" in t for t in ticks)
