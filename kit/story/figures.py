"""Drawing helpers of the sections: labels that fit, last year's line, legends, product timelines.

The x axis of the kit's time figures counts days since 1970-01-01 (:func:`mdates_num`).

Examples
--------
>>> mdates_num("1970-01-11")
10.0
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit.i18n import column_label, month_abbr
from kit.story.texts import word


def tidy(ax, width: int = 60):
    """Wrap a long title and axis labels so that they stay inside the figure.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> ax = plt.figure().add_subplot()
    >>> _ = ax.set_title("a " * 40)
    >>> chr(10) in tidy(ax).get_title()
    True
    >>> plt.close("all")
    """
    import textwrap

    ax.set_title(textwrap.fill(ax.get_title(), width))
    fig_h = ax.figure.get_size_inches()[1]
    ax.set_ylabel(textwrap.fill(ax.get_ylabel(), max(25, int(fig_h * 9))))
    ax.set_xlabel(textwrap.fill(ax.get_xlabel(), 70))
    return ax


def _draw_timeline(df: pd.DataFrame, lang: str, title: str):
    """One horizontal bar per product from its first to its last month with sales."""
    import matplotlib.pyplot as plt

    first, last = pd.to_datetime(df["first_month"]), pd.to_datetime(df["last_month"])
    end = last + pd.offsets.MonthBegin(1)
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(df) + 1.5))
    labels = [str(v) for v in (df["name"].fillna(df[df.columns[0]]) if "name" in df.columns else df[df.columns[0]])]
    for i, (a, b) in enumerate(zip(first, end)):
        active = bool(df["active"].iloc[i]) if "active" in df.columns and not pd.isna(df["active"].iloc[i]) else True
        ax.barh(i, (b - a).days, left=mdates_num(a), height=0.6,
                color="#4c72b0" if active else "#b8b8b8")
    ax.set_yticks(range(len(df)), labels)
    ax.invert_yaxis()
    span = pd.date_range(first.min(), end.max(), freq="MS")
    step = max(1, int(np.ceil(len(span) / 12)))
    ax.set_xticks([mdates_num(p) for p in span[::step]],
                  [month_abbr(p, lang, year=True) for p in span[::step]], rotation=35, ha="right")
    ax.set_xlabel(word("month_of", lang))
    ax.set_ylabel(column_label(df.columns[0], lang))
    ax.set_title(title)
    from matplotlib.patches import Patch

    ax.legend([Patch(color="#4c72b0"), Patch(color="#b8b8b8")],
              [word("value_active", lang), word("value_inactive", lang)],
              loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False)
    return ax


def mdates_num(ts) -> float:
    """Days since 1970-01-01, the x unit of the kit's time axes."""
    return float((pd.Timestamp(ts) - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1))


def _overlay_last_year(ax, data, last_year, column, lang) -> None:
    """Draw last year's values, moved forward 12 months, as a dotted grey line.

    The x axis of :func:`kit.plot.plot_kpi` counts days since 1970-01-01.
    """
    ly = last_year[["period", column]].copy()
    ly["period"] = pd.to_datetime(ly["period"]) + pd.DateOffset(months=12)
    ly = ly[ly["period"].isin(pd.to_datetime(data["period"]))].sort_values("period")
    if not len(ly):
        return
    xs = ((ly["period"] - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1)).to_numpy(float)
    ys = ly[column].to_numpy(float)
    lo, hi = ax.get_ylim()
    ax.plot(xs, ys, color="#8a8a8a", linestyle=":", marker=".",
            linewidth=1.2, label=word("last_year", lang))
    known = ys[np.isfinite(ys)]
    if len(known):  # last year's points stay inside the axes, not cut at the top
        pad = 0.05 * (max(hi, known.max()) - min(lo, known.min()))
        ax.set_ylim(lo if known.min() >= lo else known.min() - pad,
                    hi if known.max() <= hi else known.max() + pad)
    _relegend(ax)


def _relegend(ax) -> None:
    """Redraw the legend from the labelled artists, keeping the legend's extra entries."""
    old = ax.get_legend()
    handles, labels = ax.get_legend_handles_labels()
    if old is not None:  # entries plot helpers add by hand (interval band, small samples)
        for h, text in zip(old.legend_handles, old.get_texts()):
            if text.get_text() not in labels:
                handles.append(h)
                labels.append(text.get_text())
    keep = [(h, lab) for h, lab in zip(handles, labels) if not lab.startswith("_")]
    if keep:
        ax.legend([h for h, _ in keep], [lab for _, lab in keep], loc="best", fontsize="small")
