"""Labels of KPIs, axes and result columns, and KPI results made for reading.

Examples
--------
>>> kpi_label("win_rate", "fr"), column_label("ci_low", "en")
('Taux de réussite', '95% CI low')
"""

from __future__ import annotations

import pandas as pd

from kit import registry
from kit.errors import ParameterError
from kit.i18n.periods import format_period, infer_freq
from kit.i18n.formats import MISSING, _is_missing, format_change, format_number, format_value, unit_label
from kit.i18n.words import WORDS, check_lang, lookup, t


def kpi_label(name: str, lang: str = "en") -> str:
    """The label of KPI ``name`` in ``lang``, from the registry.

    Raises
    ------
    UnknownKPIError
        For a name not in the registry.

    Examples
    --------
    >>> kpi_label("win_rate", "fr")
    'Taux de réussite'
    """
    check_lang(lang)
    return registry.get(name).label[lang]


def word_or_kpi_label(tables, key: str, lang: str = "en") -> str:
    """Header for ``key``: its word in the first of ``tables`` holding it, else the KPI label.

    ``tables`` is a chain of word tables as read by :func:`kit.i18n.lookup`.

    Raises
    ------
    UnknownKPIError
        For a key in none of the tables that is not a KPI either.

    Examples
    --------
    >>> word_or_kpi_label((WORDS,), "target", "fr"), word_or_kpi_label((WORDS,), "win_rate", "en")
    ('Objectif', 'Win rate')
    """
    chain = (tables,) if isinstance(tables, dict) else tuple(tables)
    if any(key in table for table in chain):
        return lookup(chain, key, lang)
    return kpi_label(key, lang)


def axis_label(name: str | None, lang: str = "en", *, currency: str = "EUR",
               fallback: str = "value") -> str:
    """``"<KPI label> (<unit>)"`` for KPI ``name``; ``fallback`` when ``name`` is None.

    Examples
    --------
    >>> axis_label("win_rate", "fr")
    'Taux de réussite (%)'
    >>> axis_label(None, "fr", fallback="value")
    'Valeur'
    """
    if name is None:
        return column_label(fallback, lang)
    spec = registry.get(name)
    return f"{spec.label[check_lang(lang)]} ({unit_label(spec.unit, lang, currency)})"


def column_label(column: str, lang: str = "en", name: str | None = None) -> str:
    """Header of a result column: the KPI label for ``value``, a UI word, or the name.

    Examples
    --------
    >>> column_label("value", "fr", "win_rate"), column_label("ci_low", "fr")
    ('Taux de réussite', 'IC 95 % bas')
    >>> column_label("lead_id", "fr")
    'lead_id'
    """
    check_lang(lang)
    if column == "value" and name is not None:
        return kpi_label(name, lang)
    return t(column, lang) if column in WORDS else str(column)


#: Result columns shown in the KPI's own unit.
VALUE_COLUMNS = ("value", "ci_low", "ci_high", "previous", "target", "mean", "median",
                 "km_median", "gap")
#: Result columns that are counts of records.
COUNT_COLUMNS = ("numerator", "denominator", "n", "n_censored", "count")


def format_frame(df: pd.DataFrame, name: str, lang: str = "en", *, currency: str = "EUR",
                 freq: str | None = "infer") -> pd.DataFrame:
    """A KPI result made for reading: every cell a string, headers in ``lang``.

    ``value`` and its interval (and ``previous``, ``target``, ``mean``, ``median``)
    take the KPI's unit; ``change`` is signed (percentage points for ratios);
    ``numerator``/``denominator`` and counts are numbers; columns named
    ``share*`` or ``*_rate`` are percentages; booleans are yes/no; ``period``
    is written for its frequency (inferred unless ``freq`` is given); missing
    values are an en dash, missing group labels ``(empty)``.

    Parameters
    ----------
    df : DataFrame
        A tidy KPI result (from :func:`kit.compute`).
    name : str
        The KPI name, for its label and unit.
    lang : {"en", "fr"}
    currency : str
    freq : {"infer", None, "W", "M", "Q", "Y"}

    Examples
    --------
    >>> df = pd.DataFrame({"team": ["Nord", None], "value": [0.5, 0.125],
    ...                    "numerator": [1.0, 1.0], "denominator": [2.0, 8.0],
    ...                    "low_sample": [True, True]})
    >>> format_frame(df, "win_rate", "fr").to_dict("records")[0]
    {'Équipe': 'Nord', 'Taux de réussite': '50,0\\xa0%', 'Numérateur': '1', 'Dénominateur': '2', 'Petit échantillon': 'oui'}
    >>> format_frame(df, "win_rate", "en")["Team"].tolist()
    ['Nord', '(empty)']
    """
    check_lang(lang)
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(
            f"format_frame expects a pandas DataFrame (a KPI result), received {type(df).__name__}. "
            "Pass the result of kit.compute(ds, name, ...)."
        )
    unit = registry.get(name).unit
    out = {}
    for col in df.columns:
        s = df[col]
        if col in VALUE_COLUMNS:
            cells = [format_value(v, unit, lang, currency=currency) for v in s]
        elif col == "change":
            cells = [format_change(v, unit, lang, currency=currency) for v in s]
        elif pd.api.types.is_bool_dtype(s):
            cells = [MISSING if _is_missing(v) else t("yes" if v else "no", lang) for v in s]
        elif pd.api.types.is_datetime64_any_dtype(s):
            f = infer_freq(s) if freq == "infer" else freq
            if col != "period" and freq == "infer":
                f = None
            cells = [format_period(v, f, lang) for v in s]
        elif pd.api.types.is_numeric_dtype(s):
            if str(col).startswith("share") or str(col).endswith("_rate"):
                cells = [format_value(v, "ratio", lang) for v in s]
            elif col in COUNT_COLUMNS:
                cells = [format_value(v, "count", lang) for v in s]
            else:
                cells = [format_number(v, lang) for v in s]
        else:
            cells = [t("missing", lang) if _is_missing(v) else str(v) for v in s]
        out[column_label(col, lang, name)] = pd.Series(cells, dtype=object)
    return pd.DataFrame(out)
