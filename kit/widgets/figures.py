"""The figure of a KPI result: the plot helper that fits its keys (lines, bars or a funnel).

Examples
--------
>>> import pandas as pd
>>> result_keys(pd.DataFrame({"stage": ["created"], "value": [3]}))
['stage']
"""

from __future__ import annotations

import pandas as pd

from kit.groups import MAX_GROUPS, others_label, top_groups
from kit.i18n import kpi_label
from kit.plot import plot_bars, plot_funnel, plot_kpi
from kit.widgets.render import new_figure


def result_keys(result: pd.DataFrame) -> list[str]:
    """The key columns of a KPI result: those before ``value``.

    Examples
    --------
    >>> result_keys(pd.DataFrame({"team": ["N"], "period": [None], "value": [1.0], "numerator": [1]}))
    ['team', 'period']
    """
    cols = list(result.columns)
    return cols[:cols.index("value")] if "value" in cols else []


def kpi_figure(result: pd.DataFrame, name: str, *, lang: str = "en", currency: str = "EUR",
               figsize=(8, 4.5), max_groups: int = 8):
    """Draw a KPI result with the plot helper that fits its keys; ``None`` if none fits.

    The keys are the columns before ``value``. ``period`` plus at most one other
    key gives lines (one per value of the other key); one key gives bars (a funnel
    when it is ``stage``), two keys grouped bars when the second has at most
    ``max_groups`` values; no key, one bar. Other shapes get no figure: the
    helpers draw and never aggregate. Bars of more than :data:`kit.groups.MAX_GROUPS`
    groups show the largest and one row for the others (:func:`kit.groups.top_groups`).

    Examples
    --------
    >>> df = pd.DataFrame({"team": ["Nord", "Sud"], "value": [0.4, 0.2]})
    >>> fig = kpi_figure(df, "win_rate", lang="fr")
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
    ['Nord', 'Sud']
    >>> kpi_figure(pd.concat([df, df]), "win_rate") is None
    True
    """
    keys = result_keys(result)
    if len(result) == 0 or "value" not in result.columns or (
            keys and result.duplicated(keys).any()) or (not keys and len(result) > 1):
        return None
    others = [k for k in keys if k != "period"]
    fig = new_figure(figsize)
    ax = fig.add_subplot()
    kw = dict(ax=ax, name=name, lang=lang, currency=currency)
    if "period" in keys:
        if len(others) > 1 or (others and result[others[0]].nunique(dropna=False) > max_groups):
            return None
        plot_kpi(result, x="period", hue=others[0] if others else None, **kw)
    elif others == ["stage"]:
        rate = next((c for c in ("step_rate", "rate") if c in result.columns), None)
        plot_funnel(result, stage="stage", count="value", rate=rate, ax=ax, lang=lang,
                    title=kpi_label(name, lang))
    elif len(others) == 1:  # many groups: the largest and one row for the others (kit.groups)
        result = top_groups(result, others[0], name, label=others_label(
            len(result) - MAX_GROUPS + 1, lang)).frame
        plot_bars(result, x=others[0], orient="h" if result[others[0]].nunique() > 8 else "v", **kw)
    elif len(others) == 2 and result[others[1]].nunique(dropna=False) <= max_groups:
        plot_bars(result, x=others[0], group=others[1], **kw)
    elif not others:
        plot_bars(result.assign(kpi=kpi_label(name, lang)), x="kpi", **kw)
    else:
        return None
    return fig


__all__ = ["kpi_figure", "result_keys"]
