"""Waterfall of a KPI's change: the previous value, the contributions, the current value.

:func:`plot_waterfall` draws the bars :func:`kit.explain.waterfall_steps` lists and
computes nothing: a grey bar for each month's value and one floating bar per
contribution, green when it moves the KPI the good way, red the bad way (grey for
KPIs without a good direction), each labelled with its change in ``lang``.
:func:`plot_explanation` draws it for an :func:`kit.explain.explain_change` result,
with its title (:func:`waterfall_title`) and axis label.

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
from kit.explain import waterfall_steps
from kit.explain_text import groups_word, word
from kit.i18n import check_lang, column_label, format_change, format_value, kpi_label, month_abbr
from kit.plot.style import BAD, GOOD, NEUTRAL, _check_frame, _new_ax, _value_axis

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


def waterfall_title(result, lang: str = "en") -> str:
    """The title of the waterfall of an :func:`kit.explain.explain_change` result.

    Examples
    --------
    >>> import pandas as pd
    >>> res = pd.DataFrame()
    >>> res.attrs.update(kpi="win_rate", by=["method"], previous_month=pd.Timestamp("2026-09-01"),
    ...                  month=pd.Timestamp("2026-10-01"))
    >>> waterfall_title(res, "fr")
    'Taux de réussite, de sept. 2026 à oct. 2026 : contributions des méthodes de vente'
    """
    a = result.attrs
    return word("waterfall_title", lang, kpi=kpi_label(a["kpi"], lang), groups=groups_word(a["by"], lang),
                previous=month_abbr(a["previous_month"], lang, year=True),
                current=month_abbr(a["month"], lang, year=True))


def plot_explanation(result, *, lang: str = "en", currency: str = "EUR", top: int = 5, ax=None):
    """Draw the waterfall of an :func:`kit.explain.explain_change` result: the previous
    value, the ``top`` largest contributions (then the other groups and, for ratios,
    the mix) and the current value, titled with the KPI, the months and the groups.

    The figure of ``rep.why``, of the explanations under ``rep.headline`` and of the
    dashboard's "why" panel.

    Parameters
    ----------
    result : DataFrame
        A result of ``explain_change`` (its ``attrs`` name the KPI, the months, the groups).
    lang : {"en", "fr"}
    currency : str
    top : int
        Groups drawn by name (:func:`kit.explain.waterfall_steps`).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from kit.explain import decompose
    >>> prev = pd.DataFrame({"team": ["a", "b"], "u": [1, 2], "value": [3.0, 1.0]})
    >>> cur = pd.DataFrame({"team": ["a", "b"], "u": [3, 4], "value": [1.0, 2.0]})
    >>> res = decompose(prev, cur, by=["team"], unit="u", kind="sum", n_boot=0)
    >>> res.attrs.update(kpi="leads_generated", previous_month=pd.Timestamp("2026-09-01"),
    ...                  month=pd.Timestamp("2026-10-01"))
    >>> ax = plot_explanation(res, top=1)
    >>> [t.get_text() for t in ax.get_xticklabels()], ax.get_xlabel()
    (['Sep 2026', 'a', 'other groups', 'Oct 2026'], 'Team')
    >>> import matplotlib.pyplot as plt
    >>> plt.close("all")
    """
    a = result.attrs
    name = a["kpi"]
    ax = plot_waterfall(waterfall_steps(result, top=top), ax=ax, name=name, lang=lang,
                        title=waterfall_title(result, lang), currency=currency,
                        periods=(a["previous_month"], a["month"]))
    if a["kind"] == "ratio":
        average = registry.get(name).unit == "currency"
        ax.set_xlabel(word("average_axis" if average else "ratio_axis", lang))
    else:
        ax.set_xlabel(column_label(a["by"][0], lang) if len(a["by"]) == 1 else "")
    return ax
