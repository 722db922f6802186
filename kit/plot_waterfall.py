"""Waterfall of a KPI's change: the previous value, the contributions, the current value.

:func:`plot_waterfall` draws the bars :func:`kit.explain.waterfall_steps` lists and
computes nothing: a grey bar for each month's value and one floating bar per
contribution, green when it moves the KPI the good way, red the bad way (grey for
KPIs without a good direction), each labelled with its change in ``lang``.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> steps = pd.DataFrame({"step": ["previous", "group", "mix", "current"],
...     "group": [None, "emailing", None, None], "start": [0.0, 0.35, 0.31, 0.0],
...     "end": [0.35, 0.31, 0.29, 0.29], "delta": [0.35, -0.04, -0.02, 0.29]})
>>> ax = plot_waterfall(steps, name="win_rate", lang="fr",
...                     periods=(pd.Timestamp("2026-09-01"), pd.Timestamp("2026-10-01")))
>>> [t.get_text() for t in ax.get_xticklabels()]
['sept. 2026', 'emailing', 'mix', 'oct. 2026']
>>> [t.get_text() for t in ax.texts]
['35,0\\xa0%', '-4,0\\xa0pts', '-2,0\\xa0pts', '29,0\\xa0%']
"""

from __future__ import annotations

import numpy as np

from kit import registry
from kit.errors import ParameterError
from kit.explain_text import word
from kit.i18n import check_lang, format_change, format_value, kpi_label, month_abbr
from kit.plot import BAD, GOOD, NEUTRAL, _check_frame, _new_ax, _value_axis

TOTAL = "#4c72b0"
STEPS = ("previous", "group", "others", "mix", "current")


def _tick(row, ratio: bool, lang: str, periods) -> str:
    step = row["step"]
    if step in ("previous", "current"):
        if periods is not None:
            return month_abbr(periods[step == "current"], lang, year=True)
        return word("before" if step == "previous" else "after", lang)
    if step == "others":
        return word("others_rates" if ratio else "others", lang)
    if step == "mix":
        return word("mix_bar", lang)
    return str(row["group"])


def plot_waterfall(steps, *, ax=None, name=None, lang="en", title=None, currency="EUR", periods=None):
    """Draw a waterfall from the rows of :func:`kit.explain.waterfall_steps`.

    Parameters
    ----------
    steps : DataFrame
        ``step``, ``group``, ``start``, ``end``, ``delta``: one row per bar, in order.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    name : str, optional
        The KPI: unit of the axis and of the labels, and the good direction.
    lang : {"en", "fr"}
    title : str, optional
    currency : str
        ISO code of amounts.
    periods : (Timestamp, Timestamp), optional
        The previous and the current month, written under their bars.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    ParameterError
        For a frame without the columns of ``waterfall_steps`` or an unknown step.

    Examples
    --------
    >>> import pandas as pd
    >>> steps = pd.DataFrame({"step": ["previous", "group", "current"], "group": [None, "Nord", None],
    ...     "start": [0.0, 100.0, 0.0], "end": [100.0, 80.0, 80.0], "delta": [100.0, -20.0, 80.0]})
    >>> ax = plot_waterfall(steps, name="leads_generated")
    >>> [(float(p.get_y()), float(p.get_height())) for p in ax.patches]
    [(0.0, 100.0), (80.0, 20.0), (0.0, 80.0)]
    >>> [t.get_text() for t in ax.texts], ax.get_xticklabels()[0].get_text()
    (['100', '-20', '80'], 'Before')
    >>> import matplotlib.pyplot as plt
    >>> plt.close("all")
    """
    check_lang(lang)
    df = _check_frame(steps, ["step", "group", "start", "end", "delta"], "plot_waterfall")
    bad = sorted(set(df["step"]) - set(STEPS))
    if bad:
        raise ParameterError(f"plot_waterfall: unknown step(s) {bad}; allowed: {list(STEPS)}. "
                             "Pass the frame kit.explain.waterfall_steps returns.")
    spec = registry.get(name) if name is not None else None
    unit = spec.unit if spec else "count"
    sign = {"higher": 1, "lower": -1}.get(spec.direction if spec else "neutral", 0)
    ratio = "mix" in set(df["step"])
    ax = _new_ax(ax, figsize=(max(6.0, 1.1 * len(df) + 2), 4.5))
    x = np.arange(len(df))
    for i, row in df.iterrows():
        total = row["step"] in ("previous", "current")
        lo, hi = sorted((float(row["start"]), float(row["end"])))
        color = TOTAL if total else (NEUTRAL if sign == 0 else (GOOD if row["delta"] * sign > 0 else BAD))
        ax.bar(x[i], hi - lo, bottom=lo, color=color, width=0.65, alpha=0.85 if total else 1.0)
        text = (format_value(row["delta"], unit, lang, currency=currency) if total
                else format_change(row["delta"], unit, lang, currency=currency))
        ax.annotate(text, (x[i], hi), xytext=(0, 3), textcoords="offset points", ha="center",
                    va="bottom", fontsize="small")
        if i + 1 < len(df):  # connector to the next bar
            ax.plot([x[i] + 0.33, x[i + 1] - 0.33], [row["end"]] * 2, color="#8a8a8a", linewidth=0.8)
    ax.set_xticks(x, [_tick(r, ratio, lang, periods) for _, r in df.iterrows()], rotation=30, ha="right")
    _value_axis(ax.yaxis, unit, lang, currency)
    top = float(np.nanmax(df[["start", "end"]].to_numpy(float)))
    low = float(np.nanmin(df[["start", "end"]].to_numpy(float)))
    pad = 0.12 * (top - min(low, 0.0) or 1.0)
    ax.set_ylim(min(low, 0.0) - (pad if low < 0 else 0.0), top + pad)
    ax.axhline(0, color="#8a8a8a", linewidth=0.8)
    if title is None and spec is not None:
        title = kpi_label(name, lang)
    if title:
        ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return ax
