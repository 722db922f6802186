"""A breakdown with many groups (30 reps) is readable: top groups and "others" (kit.story.sections_kpi)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import kit
from kit import story
from kit.story import Collector


def thirty_reps() -> kit.Dataset:
    """30 reps in one team; rep i closes i + 1 deals in October 2026, wins i // 2 of them."""
    reps = pd.DataFrame({"rep_id": [f"R{i:02d}" for i in range(30)],
                         "name": [f"Commercial numéro {i:02d}" for i in range(30)], "team": "Nord"})
    rows = []
    for i in range(30):
        for j in range(i + 1):
            rows.append({"opportunity_id": f"O{i:02d}{j:02d}", "rep_id": f"R{i:02d}",
                         "status": "won" if j < i // 2 else "lost",
                         "created_at": pd.Timestamp("2026-09-01"),
                         "closed_at": pd.Timestamp("2026-10-01") + pd.Timedelta(hours=j + i)})
    return kit.Dataset({"reps": reps, "opportunities": pd.DataFrame(rows)}, as_of="2026-10-31 23:00")


@pytest.mark.parametrize("lang, others, note", [
    ("en", "Others (19)", "the 19 others are combined in one row"),
    ("fr", "Autres (19)", "les 19 autres sont regroupés en une ligne"),
])
def test_thirty_reps_show_the_eleven_largest_and_the_others(tmp_path, lang, others, note):
    sink = Collector()
    shown, axes = sink.objects, sink.figures
    rep = story.Report(thirty_reps(), month="2026-10", lang=lang, display=sink)
    rep.breakdown("win_rate", by="rep_id")
    last = rep.last
    assert len(last) == 12 and last["rep_id"].iloc[-1] == others
    # R11..R29 ... the largest: R19..R29 (20 to 30 deals); others R00..R18: 81 won of 190
    assert last["rep_id"].iloc[:11].tolist() == [f"R{i}" for i in range(19, 30)]
    assert (last["numerator"].iloc[-1], last["denominator"].iloc[-1]) == (81.0, 190.0)
    table = [o for o in shown if hasattr(o, "frame")][0].frame
    assert len(table) == 12 and others in table.iloc[-1].tolist()
    assert any(note in str(getattr(o, "data", "")) for o in shown)
    ax = axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 12 and labels[-1] == others and "Commercial numéro 29" in labels
    # one colour for every bar (no palette cycling), no legend taller than the plot
    colours = {tuple(np.round(p.get_facecolor(), 3)) for p in ax.patches if p.get_hatch() is None}
    assert len(colours) <= 1
    legend = ax.get_legend()
    fig = ax.figure
    fig.canvas.draw()
    if legend is not None:
        assert legend.get_window_extent().height <= ax.get_window_extent().height
    # no two tick labels overlap
    boxes = [t.get_window_extent() for t in ax.get_yticklabels()]
    assert all(a.y1 <= b.y0 + 0.5 or b.y1 <= a.y0 + 0.5 for a, b in zip(boxes, boxes[1:]))
    fig.savefig(tmp_path / f"thirty_reps_{lang}.png", dpi=80, bbox_inches="tight")
