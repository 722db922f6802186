"""Bars of a KPI by category (:func:`plot_bars`): 95 % whiskers, small samples greyed and
hatched, groups that differ from the rest outlined.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> df = pd.DataFrame({"source": ["web", "salon"], "value": [120.0, 45.0]})
>>> ax = plot_bars(df, x="source", name="leads_generated", orient="h")
>>> [t.get_text() for t in ax.get_yticklabels()], ax.get_xlabel()
(['web', 'salon'], 'Leads generated (number)')
>>> import matplotlib.pyplot as plt
>>> plt.close("all")
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.patches import Patch

from kit.errors import ParameterError
from kit.flags import flag_legend
from kit.i18n import axis_label, check_lang, column_label, format_number, format_value, infer_freq, t
from kit.plot.style import (
    _LEGEND, GREY, HIGHLIGHT_EDGE, _as_bool, _category_label, _check_frame, _check_unique,
    _coloured_groups, _new_ax, _rotate_if_needed, _title, _unit, _value_axis, _with_shared_doc,
)


@_with_shared_doc
def plot_bars(data, *, x, y="value", group=None, ax=None, name=None, lang="en", title=None,
              currency="EUR", orient="v", annotate=True, freq="infer"):
    """Bars of a KPI by category, with 95 % whiskers, small samples greyed and hatched.

    Bars whose ``low_sample`` is true are grey and hatched; bars whose ``differs``
    is true (a group that differs from the rest, from
    :func:`kit.flags.flag_differences`) get a dark outline and a bold value label;
    the legend names the test's correction when ``data`` comes from that function.

    Parameters
    ----------
    x : str
        Category column (``team``, ``rep_id``, ``period``...).
    y : str
        Value column.
    group : str, optional
        Second category drawn as side-by-side bars with a legend.
    orient : {"v", "h"}
        Vertical bars, or horizontal bars (categories down the y axis), easier to
        read with long names.
    annotate : bool
        Write each value on its bar.
    freq : {"infer", None, "W", "M", "Q", "Y"}
        Frequency of ``x`` when it is a date.
    {shared}
    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"team": ["Nord", "Sud", "Est"], "value": [0.4, 0.2, 0.5],
    ...                    "low_sample": [False, True, False]})
    >>> ax = plot_bars(df, x="team", name="win_rate", lang="fr")
    >>> [p.get_hatch() for p in ax.patches]
    [None, '///', None]
    >>> [t.get_text() for t in ax.texts]
    ['40,0\\xa0%', '20,0\\xa0%', '50,0\\xa0%']
    """
    check_lang(lang)
    if orient not in ("v", "h"):
        raise ParameterError(f"orient={orient!r} is not allowed; allowed values: 'v', 'h'. "
                             "Use orient='h' for long category names.")
    df = _check_frame(data, [x, y, group], "plot_bars")
    _check_unique(df, [x, group], "plot_bars")
    ax = _new_ax(ax)
    unit = _unit(name)
    f = infer_freq(df[x]) if (freq == "infer" and pd.api.types.is_datetime64_any_dtype(df[x])) else \
        (None if freq == "infer" else freq)
    cats = list(dict.fromkeys(df[x].tolist()))
    cat_index = {_key(c): i for i, c in enumerate(cats)}
    groups = _coloured_groups(df, group)
    n = max(len(groups), 1)
    width = 0.8 / n
    has_ci = {"ci_low", "ci_high"} <= set(df.columns)
    low = _as_bool(df["low_sample"]) if "low_sample" in df.columns else np.zeros(len(df), bool)
    differs = _as_bool(df["differs"]) if "differs" in df.columns else np.zeros(len(df), bool)
    vertical = orient == "v"
    for gi, (key, g, color) in enumerate(groups):
        pos = np.array([cat_index[_key(v)] for v in g[x]], dtype=float) + (gi - (n - 1) / 2) * width
        vals = g[y].to_numpy(dtype=float)
        draw = ax.bar if vertical else ax.barh
        bars = draw(pos, np.nan_to_num(vals), width * 0.92, color=color,
                    label=_category_label(key, lang) if group is not None else "_bars")
        for patch, i in zip(bars.patches, g.index):
            if low[i]:
                patch.set_facecolor(GREY if group is None else _lighten(color))
                patch.set_hatch("///")
                patch.set_edgecolor("#7a7a7a")
            if differs[i]:
                patch.set_edgecolor(HIGHLIGHT_EDGE)
                patch.set_linewidth(2.5)
        ends = vals.copy()
        if has_ci:
            lo, hi = g["ci_low"].to_numpy(dtype=float), g["ci_high"].to_numpy(dtype=float)
            err = np.vstack([np.clip(vals - lo, 0, None), np.clip(hi - vals, 0, None)])
            ok = np.isfinite(vals) & np.isfinite(lo) & np.isfinite(hi)
            kw = dict(fmt="none", ecolor="#333333", elinewidth=1.2, capsize=4, zorder=3)
            if ok.any():
                if vertical:
                    ax.errorbar(pos[ok], vals[ok], yerr=err[:, ok], **kw)
                else:
                    ax.errorbar(vals[ok], pos[ok], xerr=err[:, ok], **kw)
            ends = np.where(np.isfinite(hi), np.fmax(vals, hi), vals)
        if annotate:
            for p, v, e, i in zip(pos, vals, ends, g.index):
                text = format_value(v, unit, lang, currency=currency) if unit else format_number(v, lang)
                weight = "bold" if differs[i] else "normal"
                base = 0.0 if not np.isfinite(e) else e
                if vertical:
                    ax.annotate(text, (p, base), xytext=(0, 3), textcoords="offset points",
                                ha="center", va="bottom", fontsize="small", fontweight=weight)
                else:
                    ax.annotate(text, (base, p), xytext=(4, 0), textcoords="offset points",
                                ha="left", va="center", fontsize="small", fontweight=weight)
    labels = [_category_label(c, lang, f) for c in cats]
    value_axis = ax.yaxis if vertical else ax.xaxis
    if vertical:
        ax.set_xticks(range(len(cats)), labels)
        _rotate_if_needed(ax.xaxis)
        ax.margins(y=0.12)
        ax.set_ylim(bottom=min(0, ax.get_ylim()[0]))
    else:
        ax.set_yticks(range(len(cats)), labels)
        ax.invert_yaxis()
        ax.margins(x=0.15)
        ax.set_xlim(left=min(0, ax.get_xlim()[0]))
    _value_axis(value_axis, unit, lang, currency)
    ax.set_title(_title(title, name, y, lang))
    value_label = axis_label(name, lang, currency=currency, fallback=y)
    cat_label = column_label(x, lang)
    ax.set_xlabel(cat_label if vertical else value_label)
    ax.set_ylabel(value_label if vertical else cat_label)
    ax.grid(axis="y" if vertical else "x", alpha=0.3)
    ax.set_axisbelow(True)
    handles = [h for h in ax.get_legend_handles_labels()[0] if not h.get_label().startswith("_")]
    if low.any():
        handles.append(Patch(facecolor=GREY, hatch="///", edgecolor="#7a7a7a",
                             label=t("small_sample_note", lang)))
    if differs.any():
        handles.append(Patch(facecolor="white", edgecolor=HIGHLIGHT_EDGE, linewidth=2.5,
                             label=flag_legend(df, lang)))
    if handles:
        ax.legend(handles=handles, title=column_label(group, lang) if group is not None else None,
                  **_LEGEND)
    return ax


def _lighten(color, amount: float = 0.6):
    rgb = np.asarray(to_rgb(color))
    return tuple(rgb + (1 - rgb) * amount)


def _key(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value


__all__ = ["plot_bars"]
