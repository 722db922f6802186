"""Cells of KPI results: columns in their unit, status colours, HTML cells that say their status.

:func:`format_column` writes a column in a unit and :func:`format_result` a whole
KPI result, reading the units and labels of its columns from the registry
(:attr:`kit.registry.KPISpec.columns`): the numerator of ``revenue_vs_target`` is
money in the notebooks, the explorer and the dashboard alike. :class:`StatusStyler`
is a pandas Styler whose HTML cells carry attributes such as
``data-kpi="win_rate" data-status="unclear"``.

Examples
--------
>>> import pandas as pd
>>> res = pd.DataFrame({"value": [1.14], "numerator": [1206432.28], "denominator": [1060300.0]})
>>> format_result(res, "revenue_vs_target", "en").iloc[0].tolist()
['114.0%', '€1,206,432.28', '€1,060,300.00']
"""

from __future__ import annotations

import functools
import html
import re

import numpy as np
import pandas as pd

from kit import registry
from kit.i18n import MISSING, format_frame, format_number, format_value, month_abbr
from kit.present.words import WORDS, label, pword

#: Colours of the statuses (text on a light background); greyed values use ``GREYED``.
COLOURS = {"better": ("#1a7f37", "#dcf2e0"), "worse": ("#b42318", "#fbe1df"),
           "unclear": ("#5c5c5c", "#efefef"), "unknown": ("#8a8a8a", "#ffffff"),
           "nodata": ("#8a8a8a", "#ffffff")}
GREYED = "color: #8a8a8a"


def status_css(status: str) -> str:
    """CSS of a change cell of ``status``: coloured (and bold) only for better and worse.

    Examples
    --------
    >>> status_css("unknown")
    'color: #8a8a8a; background-color: #ffffff; font-style: italic'
    """
    fg, bg = COLOURS.get(status, COLOURS["nodata"])
    extra = "; font-weight: bold" if status in ("better", "worse") else (
        "; font-style: italic" if status in ("unknown", "nodata") else "")
    return f"color: {fg}; background-color: {bg}{extra}"


def format_column(s: pd.Series, unit: str, lang: str, currency: str = "EUR") -> list[str]:
    """Format a column in ``unit``: a KPI unit, ``"number"`` (plain), ``"pvalue"``,
    ``"month"`` or ``"text"`` (words translated).

    Examples
    --------
    >>> format_column(pd.Series([1234.0, None]), "count", "en")
    ['1,234', '–']
    >>> format_column(pd.Series(["hunter"]), "text", "fr")
    ['chasseur']
    """
    if unit == "text":
        return [MISSING if v is None or (isinstance(v, float) and np.isnan(v))
                else pword(f"value_{v}", lang) if f"value_{v}" in WORDS else str(v) for v in s]
    if unit == "month":
        return [MISSING if pd.isna(v) else month_abbr(v, lang, year=True) for v in s]
    if unit == "pvalue":
        return [MISSING if pd.isna(v) else ("< " + format_number(0.001, lang, decimals=3) if v < 0.001
                                            else format_number(v, lang, decimals=3)) for v in s.astype(float)]
    if unit == "number":
        return [format_number(v, lang) if not pd.isna(v) else MISSING for v in s.astype(float)]
    return [format_value(v, unit, lang, currency=currency) for v in s.astype(float)]


def format_result(df: pd.DataFrame, name: str, lang: str = "en", *, currency: str = "EUR") -> pd.DataFrame:
    """A KPI result for reading: :func:`kit.i18n.format_frame`, then the columns the
    registry describes (:attr:`~kit.registry.KPISpec.columns`) in their unit and under
    their label, without the columns it drops (:attr:`~kit.registry.KPISpec.dropped`).

    Examples
    --------
    >>> res = pd.DataFrame({"value": [0.25], "numerator": [100.0], "denominator": [400.0]})
    >>> format_result(res, "revenue_share", "fr").columns.tolist()
    ["Répartition du chiffre d'affaires", "Chiffre d'affaires", "Chiffre d'affaires de la période"]
    """
    spec = registry.get(name)
    df = df.drop(columns=[c for c in spec.dropped if c in df.columns])
    shown = format_frame(df, name, lang, currency=currency)
    for i, col in enumerate(df.columns):
        if col in spec.columns:
            unit, key = spec.columns[col]
            shown.isetitem(i, format_column(df[col], unit, lang, currency))
            shown = shown.rename(columns={shown.columns[i]: label(key, lang)})
    return shown


_CELL = re.compile(r'(<td\b[^>]*\bclass="data row(\d+) col(\d+)[^"]*")')


def mark_cells(page: str, attrs: dict) -> str:
    """Add HTML attributes to the body cells of a Styler's HTML.

    ``attrs`` maps ``(row, column)`` positions to ``{attribute: value}``; values
    are escaped.

    Examples
    --------
    >>> page = pd.DataFrame({"a": [1]}).style.to_html()
    >>> 'data-status="better"' in mark_cells(page, {(0, 0): {"data-status": "better"}})
    True
    """
    if not attrs:
        return page

    def mark(match):
        extra = attrs.get((int(match.group(2)), int(match.group(3))))
        if not extra:
            return match.group(1)
        return match.group(1) + "".join(f' {k}="{html.escape(str(v), quote=True)}"' for k, v in extra.items())

    return _CELL.sub(mark, page)


class StatusStyler:
    """A pandas Styler whose HTML body cells carry the attributes of ``cell_attrs``.

    ``cell_attrs`` maps ``(row, column)`` positions of ``data`` to attributes, e.g.
    ``{(0, 3): {"data-kpi": "win_rate", "data-status": "unclear"}}``. The object
    made is a subclass of both this class and pandas' ``Styler``, created on first
    use: importing the Styler imports matplotlib, which ``kit.present`` does not need
    until a table is styled.

    Examples
    --------
    >>> st = StatusStyler(pd.DataFrame({"a": ["x"]}))
    >>> st.cell_attrs = {(0, 0): {"data-kpi": "win_rate"}}
    >>> 'data-kpi="win_rate"' in st.hide(axis="index").to_html()
    True
    >>> from pandas.io.formats.style import Styler
    >>> isinstance(st, StatusStyler) and isinstance(st, Styler)
    True
    """

    cell_attrs: dict = {}

    def __new__(cls, *args, **kwargs):
        # the Styler's own __init__ then runs once, with the arguments given
        return super().__new__(_styler_class() if cls is StatusStyler else cls)

    def to_html(self, *args, **kwargs):
        out = super().to_html(*args, **kwargs)
        return mark_cells(out, self.cell_attrs) if isinstance(out, str) else out


@functools.cache
def _styler_class() -> type:
    from pandas.io.formats.style import Styler

    return type("StatusStyler", (StatusStyler, Styler),
                {"__module__": __name__, "__doc__": StatusStyler.__doc__})
