"""The tables the sections display: :class:`Table` (HTML with a plain-text twin) and its cells.

:func:`issue_table` shows rows of ``ds.issues``. The private helpers format a
column of a KPI result in a unit (``_cells``), name the interval of a mean like a
proportion's (``_ci_columns``), write intervals (``_intervals``) and example line
numbers (``_rows_text``).

Examples
--------
>>> _cells(pd.Series([1234.0, None]), "count", "en")
['1,234', '–']
>>> _rows_text([3, 7, 12])
'3, 7, 12'
"""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd

from kit.i18n import MISSING, format_value
from kit.present import format_column
from kit.story.texts import word


class Table:
    """A formatted table that Jupyter shows as HTML, with a plain-text twin.

    Both forms are deterministic (a fixed ``uid`` instead of pandas' random one), so
    that nbval can compare them between runs.

    Parameters
    ----------
    frame : DataFrame
        Cells already formatted as text.
    uid : str
        Identifier of the table in the notebook (CSS ids derive from it).
    caption : str, optional
    grey, bold : sequence of bool, optional
        Rows to grey (small samples) or to put in bold (groups that differ).
    styler : pandas Styler, optional
        A ready Styler to render instead of ``frame`` (its uuid is fixed to ``uid``).

    Examples
    --------
    >>> tab = Table(pd.DataFrame({"A": ["1", "2"]}), uid="demo", grey=[False, True])
    >>> print(repr(tab))
    A
    1
    2
    >>> "color: #8a8a8a" in tab._repr_html_()
    True
    """

    def __init__(self, frame: pd.DataFrame, *, uid: str, caption: str | None = None,
                 grey=None, bold=None, styler=None):
        self.frame = frame.reset_index(drop=True)
        self.uid = re.sub(r"[^A-Za-z0-9_]", "_", uid)
        self.caption = caption
        self.grey = list(grey) if grey is not None else [False] * len(self.frame)
        self.bold = list(bold) if bold is not None else [False] * len(self.frame)
        self.styler = styler

    def _css(self, frame):
        css = pd.DataFrame("", index=frame.index, columns=frame.columns)
        for i in range(len(frame)):
            props = []
            if self.grey[i]:
                props.append("color: #8a8a8a")
            if self.bold[i]:
                props.append("font-weight: bold")
            css.iloc[i, :] = "; ".join(props)
        return css

    def to_styler(self):
        """The pandas Styler of the table (fixed uuid, no index)."""
        if self.styler is not None:
            styler = self.styler
        else:
            styler = (self.frame.style.format(escape="html").apply(self._css, axis=None)
                      .hide(axis="index")
                      .set_table_styles([{"selector": "th", "props": "text-align: left; padding: 3px 8px"},
                                         {"selector": "td", "props": "padding: 3px 8px"}]))
            if self.caption:
                styler = styler.set_caption(html.escape(self.caption))
        return styler.set_uuid(self.uid)

    def _repr_html_(self) -> str:
        return self.to_styler().to_html()

    def __repr__(self) -> str:
        head = f"{self.caption}\n" if self.caption else ""
        return head + self.frame.to_string(index=False)


def issue_table(issues: pd.DataFrame, lang: str = "en", *, uid: str = "issues") -> Table:
    """``ds.issues`` rows as a :class:`Table` in ``lang``; errors in bold.

    Examples
    --------
    >>> rows = pd.DataFrame({"table": ["orders"], "column": ["amount"], "rule": ["negative"],
    ...     "severity": ["warning"], "count": [3], "rows": ["12, 40"], "message": ["3 negative amounts"]})
    >>> issue_table(rows, "fr").frame.columns.tolist()
    ['Table', 'Colonne', 'Règle', 'Gravité', 'Lignes', "Lignes d'exemple", 'Ce que cela signifie']
    """
    order = {"error": 0, "warning": 1, "info": 2}
    df = issues.assign(_o=issues["severity"].map(order).fillna(3)).sort_values(
        ["_o", "table", "column"], kind="mergesort").drop(columns="_o").reset_index(drop=True)
    shown = pd.DataFrame({
        word("table", lang): df["table"].astype(str),
        word("column", lang): df["column"].fillna(MISSING).astype(str),
        word("rule", lang): df["rule"].astype(str),
        word("severity", lang): [word(s, lang) if s in ("error", "warning", "info") else str(s)
                                 for s in df["severity"]],
        word("count", lang): [format_value(v, "count", lang) for v in df["count"].astype(float)],
        word("example_rows", lang): [_rows_text(v) for v in df["rows"]],
        word("message", lang): df["message"].fillna("").astype(str),
    })
    return Table(shown, uid=uid, bold=(df["severity"] == "error").tolist())


def _cells(s: pd.Series, unit: str, lang: str, currency: str = "EUR") -> list[str]:
    """Format a column in ``unit`` (:func:`kit.present.format_column`)."""
    return format_column(s, unit, lang, currency)


def _ci_columns(df: pd.DataFrame) -> pd.DataFrame:
    """Name the interval of a mean (``value_ci_low``/``value_ci_high``) like a proportion's."""
    if "ci_low" not in df.columns and {"value_ci_low", "value_ci_high"} <= set(df.columns):
        return df.rename(columns={"value_ci_low": "ci_low", "value_ci_high": "ci_high"})
    return df


def _intervals(df: pd.DataFrame, unit: str, lang: str) -> list[str]:
    """``"low – high"`` of each row's 95 % interval, an en dash when missing."""
    if not {"ci_low", "ci_high"} <= set(df.columns):
        return [MISSING] * len(df)
    return [MISSING if pd.isna(lo) or pd.isna(hi) else
            f"{format_value(lo, unit, lang)} – {format_value(hi, unit, lang)}"
            for lo, hi in zip(df["ci_low"], df["ci_high"])]


def _rows_text(value) -> str:
    if isinstance(value, (list, tuple, np.ndarray)):
        return ", ".join(str(v) for v in list(value)[:5])
    return MISSING if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
