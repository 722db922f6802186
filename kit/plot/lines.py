"""Lines: a KPI over periods (:func:`plot_kpi`), with its target (:func:`plot_trend`), and the
Kaplan-Meier curve of conversion (:func:`plot_survival`).

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> df = pd.DataFrame({"period": pd.to_datetime(["2026-08-01", "2026-09-01"] * 2),
...                    "team": ["Nord", "Nord", "Sud", "Sud"], "value": [3.0, 4.0, 2.0, 5.0]})
>>> ax = plot_kpi(df, hue="team", name="leads_generated", lang="fr")
>>> [t.get_text() for t in ax.get_legend().get_texts()]
['Nord', 'Sud']
>>> import matplotlib.pyplot as plt
>>> plt.close("all")
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from kit.errors import ParameterError
from kit.i18n import axis_label, check_lang, column_label, t
from kit.plot.style import (
    _LEGEND, GREY, HIGHLIGHT_EDGE, NEUTRAL, ValueFormatter, _as_bool, _category_label, _check_frame,
    _check_unique, _clip_ratio_axis, _coloured_groups, _marks, _new_ax, _title, _unit, _value_axis,
    _with_shared_doc, _x_positions,
)


@_with_shared_doc
def plot_kpi(data, *, x="period", y="value", hue=None, ax=None, name=None, lang="en",
             title=None, currency="EUR", freq="infer", band=True):
    """Line of a KPI over periods, with its 95 % interval as a band when present.

    Points with ``low_sample`` true are drawn hollow.

    Parameters
    ----------
    x, y : str
        Columns of the periods (or any ordered x) and of the values.
    hue : str, optional
        Column with one line per value (e.g. ``"team"``).
    freq : {"infer", None, "W", "M", "Q", "Y"}
        Frequency of ``x`` when it is a date, for the tick labels.
    band : bool
        Draw the ``ci_low``/``ci_high`` band when those columns exist.
    {shared}
    Returns
    -------
    matplotlib Axes

    Raises
    ------
    ParameterError
        For a missing column or several rows with the same ``x``/``hue``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"period": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01"]),
    ...                    "value": [0.2, 0.4, 0.3], "ci_low": [0.1, 0.3, 0.2],
    ...                    "ci_high": [0.3, 0.5, 0.4]})
    >>> ax = plot_kpi(df, x="period", name="win_rate")
    >>> len(ax.lines), len(ax.collections)
    (1, 1)
    """
    check_lang(lang)
    df = _check_frame(data, [x, y, hue], "plot_kpi")
    _check_unique(df, [x, hue], "plot_kpi")
    ax = _new_ax(ax)
    unit = _unit(name)
    xs, set_xticks = _x_positions(df[x], lang, freq)
    has_ci, has_low = _marks(df, band)
    groups = _coloured_groups(df, hue)
    alpha = 0.18 if len(groups) == 1 else 0.10
    for key, g, color in groups:
        order = np.argsort(xs[g.index], kind="stable")
        gx, gy = xs[g.index][order], g[y].to_numpy(dtype=float)[order]
        label = _category_label(key, lang) if hue is not None else _title(None, name, y, lang)
        ax.plot(gx, gy, marker="o", color=color, label=label, linewidth=2)
        if has_ci:
            ax.fill_between(gx, g["ci_low"].to_numpy(dtype=float)[order],
                            g["ci_high"].to_numpy(dtype=float)[order],
                            color=color, alpha=alpha, linewidth=0)
        if has_low:
            low = _as_bool(g["low_sample"])[order]
            ax.plot(gx[low], gy[low], linestyle="none", marker="o", markersize=7,
                    markerfacecolor="white", markeredgecolor=color, markeredgewidth=1.5,
                    zorder=3, label="_low_sample")
    set_xticks(ax)
    _value_axis(ax.yaxis, unit, lang, currency)
    if has_ci:
        _clip_ratio_axis(ax, unit, pd.concat([df[y], df["ci_low"], df["ci_high"]]))
    else:
        _clip_ratio_axis(ax, unit, df[y])
    ax.set_title(_title(title, name, y, lang))
    ax.set_xlabel(column_label(x, lang))
    ax.set_ylabel(axis_label(name, lang, currency=currency, fallback=y))
    ax.grid(axis="y", alpha=0.3)
    _line_legend(ax, hue is not None, has_ci, has_low, lang)
    return ax


def _line_legend(ax, by_hue: bool, has_ci: bool, has_low: bool, lang: str):
    handles, labels = ax.get_legend_handles_labels()
    keep = [(h, lab) for h, lab in zip(handles, labels) if not lab.startswith("_")]
    if not by_hue and t("target", lang) not in [lab for _, lab in keep]:
        keep = []
    extra = []
    if has_ci:
        extra.append((Patch(facecolor=GREY, alpha=0.5, label=t("ci_note", lang)), t("ci_note", lang)))
    if has_low:
        extra.append((Line2D([], [], linestyle="none", marker="o", markerfacecolor="white",
                             markeredgecolor=NEUTRAL), t("small_sample_note", lang)))
    items = keep + extra
    if by_hue or items:
        ax.legend([h for h, _ in items], [lab for _, lab in items], **_LEGEND)


@_with_shared_doc
def plot_trend(data, *, x="period", y="value", target="target", hue=None, ax=None, name=None,
               lang="en", title=None, currency="EUR", freq="infer", band=True):
    """:func:`plot_kpi` plus the target as a dashed line.

    Parameters
    ----------
    target : str or float, optional
        A column of per-period targets (drawn when the column exists), or a
        constant drawn as a horizontal line (e.g. ``1.0`` for 100 % of target).
    x, y, hue, freq, band
        As in :func:`plot_kpi`.
    {shared}
    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"period": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01"]),
    ...                    "value": [900.0, 1200.0, 1000.0], "target": [1000.0, 1000.0, 1100.0]})
    >>> ax = plot_trend(df, x="period", lang="fr")
    >>> [line.get_label() for line in ax.lines]
    ['Valeur', 'Objectif']
    """
    ax = plot_kpi(data, x=x, y=y, hue=hue, ax=ax, name=name, lang=lang, title=title,
                  currency=currency, freq=freq, band=band)
    df = data.reset_index(drop=True)
    label = t("target", lang)
    if isinstance(target, (int, float)) and not isinstance(target, bool):
        ax.axhline(float(target), color=HIGHLIGHT_EDGE, linestyle="--", linewidth=1.5, label=label)
    elif isinstance(target, str) and target in df.columns:
        xs, _ = _x_positions(df[x], lang, freq)
        for i, (_, g, color) in enumerate(_coloured_groups(df, hue)):
            order = np.argsort(xs[g.index], kind="stable")
            ax.plot(xs[g.index][order], g[target].to_numpy(dtype=float)[order],
                    color=color if hue is not None else HIGHLIGHT_EDGE, linestyle="--",
                    drawstyle="steps-mid", linewidth=1.5, label=label if i == 0 else "_target")
        unit = _unit(name)
        _clip_ratio_axis(ax, unit, pd.concat([df[y], df[target]]))
    elif target is not None and not isinstance(target, str):
        raise ParameterError(
            f"plot_trend: target={target!r} is neither a column name nor a number. "
            "Pass target='target' (a column of the frame) or a constant such as target=1.0."
        )
    _line_legend(ax, hue is not None, *_marks(df, band), lang)
    return ax


def plot_survival(data, *, x="days", y="share_converted", hue=None, ax=None, lang="en",
                  title=None, band=True):
    """Kaplan-Meier curve of conversion (from :func:`kit.stats.km_curve`) as a step line.

    Parameters
    ----------
    data : DataFrame
        ``days``, ``share_converted`` and, for the band, ``ci_low``/``ci_high``.
    x, y : str
        Columns of the days and of the share converted.
    hue : str, optional
        One curve per value of this column.
    band : bool
        Draw the 95 % band when ``ci_low``/``ci_high`` exist.
    ax, lang, title
        As in :func:`plot_kpi`.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> curve = pd.DataFrame({"days": [0.0, 10.0, 30.0], "share_converted": [0.0, 0.2, 0.5],
    ...                       "ci_low": [0.0, 0.1, 0.35], "ci_high": [0.0, 0.3, 0.65]})
    >>> ax = plot_survival(curve, lang="en")
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('Days since lead creation', 'Share converted (%)')
    """
    check_lang(lang)
    df = _check_frame(data, [x, y, hue], "plot_survival")
    ax = _new_ax(ax)
    has_ci = band and {"ci_low", "ci_high"} <= set(df.columns)
    for key, g, color in _coloured_groups(df, hue):
        g = g.sort_values(x, kind="stable")
        label = _category_label(key, lang) if hue is not None else t("share_converted", lang)
        ax.step(g[x].to_numpy(dtype=float), g[y].to_numpy(dtype=float), where="post",
                color=color, linewidth=2, label=label)
        if has_ci:
            ax.fill_between(g[x].to_numpy(dtype=float), g["ci_low"].to_numpy(dtype=float),
                            g["ci_high"].to_numpy(dtype=float), step="post", color=color,
                            alpha=0.18, linewidth=0)
    ax.axhline(0.5, color=GREY, linestyle=":", linewidth=1, label="_median")
    ax.set_ylim(0, 1)
    ax.set_xlim(left=0)
    _value_axis(ax.yaxis, "ratio", lang, "EUR")
    ax.xaxis.set_major_locator(MaxNLocator(nbins=8, integer=True))
    ax.xaxis.set_major_formatter(ValueFormatter("days", lang))
    ax.set_title(title if title is not None else t("survival_title", lang))
    ax.set_xlabel(t("days_since_creation", lang))
    ax.set_ylabel(f"{t('share_converted', lang)} (%)")
    ax.grid(alpha=0.3)
    _line_legend(ax, hue is not None, has_ci, False, lang)
    return ax


__all__ = ["plot_kpi", "plot_survival", "plot_trend"]
