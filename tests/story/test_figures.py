"""kit.story.figures: the helpers the sections share to draw."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from kit.story.figures import _overlay_last_year  # noqa: E402


def test_last_year_points_above_the_series_stay_inside_the_axes():
    periods = pd.date_range("2026-01-01", periods=3, freq="MS")
    data = pd.DataFrame({"period": periods, "value": [1.0, 2.0, 3.0]})
    last_year = pd.DataFrame({"period": periods - pd.DateOffset(months=12), "value": [0.5, 8.0, 2.0]})
    fig, ax = plt.subplots()
    xs = ((periods - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1)).to_numpy(float)
    ax.plot(xs, data["value"])
    ax.set_ylim(0.9, 3.1)
    _overlay_last_year(ax, data, last_year, "value", "en")
    lo, hi = ax.get_ylim()
    assert lo < 0.5 and hi > 8.0  # 0.5 and 8.0 drawn, with a margin
    assert ax.get_legend().get_texts()[-1].get_text() == "Same month last year"
    plt.close(fig)


def test_last_year_inside_the_axes_leaves_them_as_they_are():
    periods = pd.date_range("2026-01-01", periods=2, freq="MS")
    data = pd.DataFrame({"period": periods, "value": [1.0, 3.0]})
    last_year = pd.DataFrame({"period": periods - pd.DateOffset(months=12), "value": [1.5, 2.5]})
    fig, ax = plt.subplots()
    ax.set_ylim(0.0, 4.0)
    _overlay_last_year(ax, data, last_year, "value", "en")
    assert ax.get_ylim() == (0.0, 4.0)
    plt.close(fig)
