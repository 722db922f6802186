"""kit.plot.waterfall: bars where the steps say, colours by the KPI's direction, labels in en/fr."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from kit.errors import ParameterError
from kit.plot import BAD, GOOD, TOTAL, plot_waterfall
from matplotlib.colors import to_hex

STEPS = pd.DataFrame({"step": ["previous", "group", "group", "others", "mix", "current"],
                      "group": [None, "emailing", "salon", None, None, None],
                      "start": [0.0, 0.40, 0.35, 0.37, 0.36, 0.0],
                      "end": [0.40, 0.35, 0.37, 0.36, 0.33, 0.33],
                      "delta": [0.40, -0.05, 0.02, -0.01, -0.03, 0.33]})


def test_bars_span_the_steps_and_follow_the_direction():
    ax = plot_waterfall(STEPS, name="win_rate", lang="en")
    bars = ax.patches
    assert [round(b.get_y(), 6) for b in bars] == [0.0, 0.35, 0.35, 0.36, 0.33, 0.0]
    assert [round(b.get_height(), 6) for b in bars] == [0.40, 0.05, 0.02, 0.01, 0.03, 0.33]
    assert [to_hex(b.get_facecolor()) for b in bars][1:5] == [BAD, GOOD, BAD, BAD]
    assert to_hex(bars[0].get_facecolor()) == TOTAL
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "Before", "emailing", "salon", "rates, other groups", "mix", "After"]
    assert [t.get_text().replace("\xa0", " ") for t in ax.texts] == [
        "40.0%", "-5.0 pp", "+2.0 pp", "-1.0 pp", "-3.0 pp", "33.0%"]
    plt.close("all")


def test_lower_is_better_turns_the_colours_and_french_labels():
    steps = STEPS[STEPS["step"] != "mix"].reset_index(drop=True)
    steps.loc[len(steps) - 1, "end"] = steps.loc[len(steps) - 1, "delta"] = 0.36
    ax = plot_waterfall(steps, name="offer_loss_rate", lang="fr",
                        periods=(pd.Timestamp("2025-10-01"), pd.Timestamp("2026-10-01")))
    assert [to_hex(b.get_facecolor()) for b in ax.patches][1:4] == [GOOD, BAD, GOOD]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "oct. 2025", "emailing", "salon", "autres groupes", "oct. 2026"]
    assert ax.get_title() == "Taux d'offres perdues"
    assert np.isclose(ax.get_ylim()[0], 0.0)
    plt.close("all")


def test_bad_frames_are_refused():
    with pytest.raises(ParameterError, match=r"column\(s\) \['delta'\] not in data"):
        plot_waterfall(STEPS.drop(columns="delta"))
    with pytest.raises(ParameterError, match=r"unknown step\(s\) \['total'\]"):
        plot_waterfall(STEPS.assign(step=["total"] + STEPS["step"].tolist()[1:]))
