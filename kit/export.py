"""KPI results to an Excel workbook, with the labels of a language.

:func:`to_excel` writes one sheet per KPI. Headers are the labels of
:func:`kit.i18n.column_label` (the KPI's own label for ``value``); numbers stay
numbers, with Excel number formats for the KPI's unit (``0.0%`` for ratios, the
currency's symbol for amounts), so a manager can sort, sum and chart them. Unknown
values are empty cells, never 0.

Examples
--------
>>> import tempfile, pathlib, pandas as pd
>>> from openpyxl import load_workbook
>>> wr = pd.DataFrame({"team": ["Nord", "Sud"], "value": [0.5, float("nan")],
...                    "numerator": [1, 0], "denominator": [2, 0]})
>>> path = to_excel({"win_rate": wr}, pathlib.Path(tempfile.mkdtemp()) / "kpis.xlsx", lang="fr")
>>> sheet = load_workbook(path)["Taux de réussite"]
>>> [c.value for c in sheet[1]]
['Équipe', 'Taux de réussite', 'Numérateur', 'Dénominateur']
>>> sheet["B2"].value, sheet["B2"].number_format, sheet["B3"].value
(0.5, '0.0%', None)
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from kit import i18n, registry
from kit.errors import ParameterError

#: Excel number formats of the KPI units (currency is built from the currency's symbol).
UNIT_FORMATS = {
    "count": "#,##0",
    "ratio": "0.0%",
    "multiple": '0.0"×"',
    "days": "0.0",
    "months": "0.0",
    "score": "0.0",
}
#: Excel date formats of the period frequencies.
PERIOD_FORMATS = {"W": "yyyy-mm-dd", "M": "yyyy-mm", "Q": "yyyy-mm", "Y": "yyyy", None: "yyyy-mm-dd"}
#: Characters Excel refuses in a sheet name, and its length limit.
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31


def currency_format(currency: str = "EUR", lang: str = "en") -> str:
    """The Excel number format of amounts in ``currency``, its symbol as ``lang`` writes it.

    Examples
    --------
    >>> currency_format("EUR", "fr")
    '#,##0.00 "€"'
    >>> currency_format("USD", "en")
    '"$"#,##0.00'
    """
    from babel.numbers import get_currency_symbol

    i18n.check_lang(lang)
    symbol = get_currency_symbol(currency, locale=i18n.LOCALES[lang]).replace('"', "")
    return f'#,##0.00 "{symbol}"' if lang == "fr" else f'"{symbol}"#,##0.00'


def column_format(column: str, series: pd.Series, unit: str, *, currency: str = "EUR",
                  lang: str = "en") -> str | None:
    """The Excel number format of one result column, or ``None`` to leave it as it is.

    The value and its interval take the KPI's unit; counts (``numerator``, ``n``...)
    are integers; ``share*`` and ``*_rate`` columns are percentages; other numbers
    keep Excel's general format.

    Examples
    --------
    >>> s = pd.Series([0.25])
    >>> column_format("ci_low", s, "ratio"), column_format("denominator", s, "ratio")
    ('0.0%', '#,##0')
    >>> column_format("share_won", s, "count"), column_format("team", pd.Series(["Nord"]), "ratio")
    ('0.0%', None)
    """
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return None
    if column in i18n.VALUE_COLUMNS:
        return currency_format(currency, lang) if unit == "currency" else UNIT_FORMATS[unit]
    if column in i18n.COUNT_COLUMNS or column.startswith("n_"):
        return UNIT_FORMATS["count"]
    if column.startswith("share") or column.endswith("_rate"):
        return UNIT_FORMATS["ratio"]
    return None


def sheet_name(label: str, taken=()) -> str:
    """A valid, unused Excel sheet name from a KPI label (31 characters, no ``[]:*?/\\``).

    Examples
    --------
    >>> sheet_name("Revenue vs target [%]")
    'Revenue vs target (%)'
    >>> sheet_name("Win rate", taken={"Win rate"})
    'Win rate (2)'
    """
    name = _BAD_SHEET_CHARS.sub(lambda m: "(" if m.group() == "[" else ")" if m.group() == "]" else "-",
                                str(label)).strip("'") or "KPI"
    name = name[:_SHEET_MAX]
    base, i = name, 2
    while name in taken:
        suffix = f" ({i})"
        name = base[:_SHEET_MAX - len(suffix)] + suffix
        i += 1
    return name


def excel_frame(df: pd.DataFrame, name: str, lang: str = "en") -> pd.DataFrame:
    """A KPI result ready for a sheet: headers in ``lang``, numbers and dates kept.

    Booleans become the words yes/no of ``lang``, empty group labels ``(empty)``,
    time zones are dropped (Excel has none); missing numbers stay missing.

    Examples
    --------
    >>> df = pd.DataFrame({"team": [None], "value": [0.5], "low_sample": [True]})
    >>> excel_frame(df, "win_rate", "fr").to_dict("records")
    [{'Équipe': '(vide)', 'Taux de réussite': 0.5, 'Petit échantillon': 'oui'}]
    """
    out = {}
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_bool_dtype(s):
            s = s.map({True: i18n.t("yes", lang), False: i18n.t("no", lang)}).astype(object)
        elif isinstance(s.dtype, pd.DatetimeTZDtype):
            s = s.dt.tz_localize(None)
        elif not pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_datetime64_any_dtype(s):
            s = s.map(lambda v: i18n.t("missing", lang) if v is None or v is pd.NA
                      or (isinstance(v, float) and v != v) else v).astype(object)
        out[i18n.column_label(col, lang, name)] = s.reset_index(drop=True)
    return pd.DataFrame(out)


def to_excel(results, path, lang: str = "en", *, currency: str = "EUR") -> Path:
    """Write KPI results to an ``.xlsx`` workbook, one sheet per KPI, labels in ``lang``.

    Parameters
    ----------
    results : dict
        ``{kpi name: result frame}``, the frames as :func:`kit.compute` returns
        them (pandas; polars frames are converted).
    path : str or path
        The ``.xlsx`` file to write (replaced if it exists).
    lang : {"en", "fr"}
        Language of the sheet names and headers.
    currency : str
        ISO code of the amounts' currency (``ds.currency``), for the number format.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ParameterError
        For an empty ``results``, a result that is not a frame, or a path that does
        not end in ``.xlsx``; UnknownKPIError for a name not in the registry.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> from openpyxl import load_workbook
    >>> rev = pd.DataFrame({"period": pd.to_datetime(["2026-09-01", "2026-10-01"]),
    ...                     "value": [1200.5, 980.0]})
    >>> out = to_excel({"revenue": rev}, pathlib.Path(tempfile.mkdtemp()) / "r.xlsx", lang="fr")
    >>> ws = load_workbook(out)["Chiffre d'affaires"]
    >>> ws["B2"].value, ws["B2"].number_format, ws["A2"].number_format
    (1200.5, '#,##0.00 "€"', 'yyyy-mm')
    """
    i18n.check_lang(lang)
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ParameterError(
            f"to_excel writes .xlsx files; received path {str(path)!r}. Give a path ending in "
            ".xlsx, e.g. 'kpis.xlsx'.")
    if not isinstance(results, dict) or not results:
        raise ParameterError(
            f"to_excel expects a non-empty dict {{kpi name: result frame}}; received "
            f"{type(results).__name__} {results!r:.60}. Pass e.g. "
            "{'win_rate': kit.compute(ds, 'win_rate', by='team')}.")
    frames = {}
    for name, df in results.items():
        spec = registry.get(name)
        if hasattr(df, "to_pandas") and not isinstance(df, pd.DataFrame):
            df = df.to_pandas()
        if not isinstance(df, pd.DataFrame):
            raise ParameterError(
                f"the result of {name!r} is a {type(df).__name__}, not a frame; to_excel takes "
                "the frames kit.compute returns. Pass {name: kit.compute(ds, name, ...)}.")
        frames[name] = (spec, df)
    from openpyxl.utils import get_column_letter

    path.parent.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, (spec, df) in frames.items():
            title = sheet_name(spec.label[lang], taken)
            taken.add(title)
            excel_frame(df, name, lang).to_excel(writer, sheet_name=title, index=False)
            ws = writer.sheets[title]
            ws.freeze_panes = "A2"
            freq = i18n.infer_freq(df["period"]) if "period" in df.columns else None
            for j, col in enumerate(df.columns, start=1):
                s = df[col]
                if pd.api.types.is_datetime64_any_dtype(s):
                    fmt = PERIOD_FORMATS.get(freq if col == "period" else None, "yyyy-mm-dd")
                else:
                    fmt = column_format(str(col), s, spec.unit, currency=currency, lang=lang)
                letter = get_column_letter(j)
                if fmt:
                    for cell in ws[letter][1:]:
                        cell.number_format = fmt
                header = str(ws[f"{letter}1"].value)
                ws.column_dimensions[letter].width = max(10, min(40, len(header) + 2))
    return path


__all__ = ["column_format", "currency_format", "excel_frame", "sheet_name", "to_excel"]
