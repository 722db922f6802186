"""A funnel (:func:`plot_funnel`): one centred bar per stage, its count inside, its step rate beside.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> ax = plot_funnel(pd.DataFrame({"stage": ["created", "won"], "count": [50, 5]}), lang="en")
>>> ax.get_title(), [t.get_text() for t in ax.texts]
('Sales funnel', ['50', '5'])
>>> import matplotlib.pyplot as plt
>>> plt.close("all")
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit.i18n import check_lang, format_value, has_word, t
from kit.plot.style import NEUTRAL, _category_label, _check_frame, _new_ax


def _stage_label(stage, lang):
    key = f"stage_{stage}"
    return t(key, lang) if has_word(key) else _category_label(stage, lang)


def plot_funnel(data, *, stage="stage", count="count", rate=None, ax=None, lang="en",
                title=None):
    """A funnel: one centred bar per stage, its count inside and its step rate beside.

    Parameters
    ----------
    data : DataFrame
        One row per stage, in funnel order.
    stage, count : str
        Columns of the stage names (``created``, ``engaged``... are translated) and
        of the number reaching each stage.
    rate : str, optional
        Column of the step rate (share of the previous stage), written beside the bar.
    ax, lang, title
        As in :func:`plot_kpi`.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"stage": ["created", "qualified", "won"], "count": [200, 80, 20],
    ...                    "rate": [None, 0.4, 0.25]})
    >>> ax = plot_funnel(df, rate="rate", lang="fr")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Créés', 'Qualifiés', 'Gagnés']
    >>> [t.get_text() for t in ax.texts]
    ['200', '80', '40,0\\xa0%', '20', '25,0\\xa0%']
    """
    check_lang(lang)
    df = _check_frame(data, [stage, count, rate], "plot_funnel")
    ax = _new_ax(ax)
    counts = df[count].to_numpy(dtype=float)
    top = np.nanmax(counts) if len(counts) and np.isfinite(counts).any() else 1.0
    import seaborn as sns  # its "crest" palette; seaborn loads with the first funnel drawn

    colors = sns.color_palette("crest", n_colors=max(len(df), 1))
    ypos = np.arange(len(df))
    lefts = (top - np.nan_to_num(counts)) / 2
    ax.barh(ypos, np.nan_to_num(counts), left=lefts, color=colors, height=0.75)
    for y_, c, left in zip(ypos, counts, lefts):
        text = format_value(c, "count", lang)
        inside = np.isfinite(c) and c >= 0.12 * top
        right = left + np.nan_to_num(c)
        if inside:
            ax.annotate(text, (top / 2, y_), ha="center", va="center", color="white",
                        fontweight="bold")
        else:
            ax.annotate(text, (right, y_), xytext=(4, 0), textcoords="offset points",
                        ha="left", va="center", color="#222222", fontweight="bold")
        if rate is not None:
            r = df[rate].iloc[y_]
            if pd.notna(r):
                shift = 6 if inside else 10 + 7 * len(text)
                ax.annotate(format_value(r, "ratio", lang), (right, y_), xytext=(shift, 0),
                            textcoords="offset points", ha="left", va="center", color=NEUTRAL,
                            fontsize="small")
    ax.set_yticks(ypos, [_stage_label(s, lang) for s in df[stage]])
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.02)
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(title if title is not None else t("funnel_title", lang))
    ax.set_ylabel(t("stage", lang))
    xlabel = t("count", lang)
    if rate is not None:
        xlabel += f" · {t('rate', lang)} (%)"
    ax.set_xlabel(xlabel)
    return ax


__all__ = ["plot_funnel"]
