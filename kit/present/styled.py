"""The styled scorecard: one row per KPI, formatted values and the status of each change.

:func:`style_scorecard` is what the notebooks, the dashboard and ``kit.plot``
(which re-exports it) show as a scorecard; the status comes from
:func:`kit.present.decide`.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"name": ["leads_generated"], "value": [394.0], "previous": [297.0],
...                    "change": [97.0]})
>>> style_scorecard(df).data["Status"].tolist()
['▲ better']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit import registry
from kit.errors import check_frame
from kit.i18n import (MISSING, check_lang, column_label, format_change, format_number, format_period,
                      format_value, infer_freq, t)
from kit.present.cells import GREYED, StatusStyler, status_css
from kit.present.status import STATUS_COLUMNS, status_frame
from kit.present.words import pword, status_text


def style_scorecard(df: pd.DataFrame, lang: str = "en", *, currency: str = "EUR",
                    caption: str | None = None):
    """A scorecard as a pandas Styler: KPI labels, formatted values, the status of each change.

    The status is :func:`kit.present.decide`'s (the ``status`` column when ``df`` has
    one, else decided here from the row): the ``change`` cell is coloured for
    better and worse only and carries ``data-kpi="<name>"`` and
    ``data-status="<status>"``; a ``Status`` column writes it with its symbol
    (▲ better, ▼ worse, ≈ no clear change, … not known yet, – no data) and the
    target status; a value not known yet (small sample, mostly censored cohort) or
    missing is greyed, with its ``note`` ("3 leads; 158 too recent") in a ``Note``
    column.

    Parameters
    ----------
    df : DataFrame
        One row per KPI: ``name`` (registry name), ``value``, ``change`` (value
        minus the previous month), and optionally ``previous``, ``target``,
        ``status``, ``target_status``, ``note`` and other columns (dates shown as
        periods, numbers and text as they are). The columns :func:`kit.present.decide`
        reads (``numerator``, ``previous_numerator``...) are used, not shown.
    lang : {"en", "fr"}
    currency : str
    caption : str, optional
        Table caption.

    Returns
    -------
    kit.present.StatusStyler
        Every cell is HTML-escaped.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"name": ["win_rate"], "value": [0.325], "previous": [0.30],
    ...                    "change": [0.025]})
    >>> styler = style_scorecard(df, lang="fr")
    >>> styler.data.to_dict("records")
    [{'Indicateur': 'Taux de réussite', 'Valeur': '32,5\\xa0%', 'Précédent': '30,0\\xa0%', 'Évolution': '+2,5\\xa0pts', 'Statut': '▲ en amélioration'}]
    >>> 'data-kpi="win_rate" data-status="better"' in styler.to_html()
    True
    """
    check_lang(lang)
    df = check_frame(df, ["name", "value", "change"], func="style_scorecard", expected="one row per KPI",
                     pass_frame="the result of kit.scorecard.scorecard(ds, month)",
                     pass_columns="one row per KPI with name, value and change "
                                  "(e.g. kit.scorecard.scorecard(ds, month))")
    if "status" not in df.columns:
        df = status_frame(df)
    hidden = set(STATUS_COLUMNS) | {"note", "reason", "numerator", "denominator", "low_sample",
                                    "n_censored", "why"} | {c for c in df.columns if str(c).startswith("previous_")}
    specs = [registry.get(n) for n in df["name"]]
    disp = {t("kpi", lang): [s.label[lang] for s in specs]}
    for col in df.columns:
        if col == "name" or col in hidden:
            continue
        if col == "change":
            cells = [format_change(v, s.unit, lang, currency=currency) for v, s in zip(df[col], specs)]
        elif col in ("value", "previous", "target", "ci_low", "ci_high"):
            cells = [format_value(v, s.unit, lang, currency=currency) for v, s in zip(df[col], specs)]
        elif pd.api.types.is_datetime64_any_dtype(df[col]):
            f = infer_freq(df[col])
            cells = [format_period(v, f, lang) for v in df[col]]
        else:
            cells = [MISSING if (not isinstance(v, str) and pd.isna(v)) else
                     (format_number(v, lang) if isinstance(v, (int, float, np.number))
                      and not isinstance(v, bool) else str(v)) for v in df[col]]
        disp[column_label(col, lang)] = cells
    statuses = df["status"].tolist()
    targets = df["target_status"].tolist() if "target_status" in df.columns else [None] * len(df)
    disp[pword("status", lang)] = [status_text(s, lang, ts) for s, ts in zip(statuses, targets)]
    notes = df["note"].fillna("").astype(str).tolist() if "note" in df.columns else [""] * len(df)
    if "reason" in df.columns:  # a KPI the dataset cannot compute says why
        notes = [r if isinstance(r, str) and r else n for r, n in zip(df["reason"], notes)]
    if any(notes):
        disp[pword("note", lang)] = notes
    shown = pd.DataFrame(disp)
    change_col = column_label("change", lang)
    value_col = column_label("value", lang)
    j = list(shown.columns).index(change_col)

    def colour(frame):
        css = pd.DataFrame("", index=frame.index, columns=frame.columns)
        css[change_col] = [status_css(s) for s in statuses]
        greyed = [s in ("unknown", "nodata") for s in statuses]
        for col in (value_col, pword("status", lang), pword("note", lang)):
            if col in css.columns:
                css[col] = [GREYED if g else "" for g in greyed]
        return css

    styler = StatusStyler(shown)
    styler.cell_attrs = {(i, j): {"data-kpi": n, "data-status": s}
                         for i, (n, s) in enumerate(zip(df["name"], statuses))}
    styler = styler.format(escape="html").apply(colour, axis=None).hide(axis="index")
    styles = [
        {"selector": "th", "props": "text-align: right; padding: 4px 10px"},
        {"selector": "td", "props": "text-align: right; padding: 4px 10px; white-space: nowrap"},
        {"selector": "th.col0, td.col0", "props": "text-align: left; white-space: normal"},
    ]
    cols = list(shown.columns)
    for key in ("status", "note"):  # words read left to right; a note may wrap
        if pword(key, lang) in cols:
            k = cols.index(pword(key, lang))
            wrap = "; white-space: normal; min-width: 12em" if key == "note" else ""
            styles.append({"selector": f"th.col{k}, td.col{k}", "props": f"text-align: left{wrap}"})
    styler = styler.set_table_styles(styles)
    if caption is not None:
        styler = styler.set_caption(caption)
    return styler
