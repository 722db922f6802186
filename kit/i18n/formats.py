"""Numbers in English and French: KPI values, changes and units, with babel's separators.

French output uses the separators of the French locale (``1 234,56 €`` with a
narrow no-break space between thousands and a no-break space before the symbol).
A missing value is shown as an en dash.

Examples
--------
>>> format_number(1234.5, "en"), unit_label("currency", "fr")
('1,234.5', '€')
>>> format_change(-0.031, "ratio", "en")
'-3.1\\xa0pp'
"""

from __future__ import annotations

import numbers
import re

import numpy as np
import pandas as pd
from babel import Locale
from babel.numbers import format_currency, format_decimal, format_percent, get_currency_symbol

from kit.errors import ParameterError, did_you_mean
from kit.i18n.words import check_lang, t
from kit.registry import UNITS

LOCALES = {"en": "en_US", "fr": "fr_FR"}
#: What a missing value looks like in every table and label.
MISSING = "\u2013"
NBSP = "\u00a0"


def _check_unit(unit: str) -> str:
    if unit not in UNITS:
        raise ParameterError(
            f"unit={unit!r} is not allowed; allowed values: {', '.join(repr(u) for u in UNITS)}."
            f"{did_you_mean(str(unit), UNITS)} Use the unit of the KPI (kit.registry.get(name).unit)."
        )
    return unit


def _is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _as_float(value, unit: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Number, np.number)):
        raise ParameterError(
            f"format_value expects a number for unit={unit!r}, received {value!r} "
            f"({type(value).__name__}). Pass the numeric column of the KPI result (e.g. df['value'])."
        )
    return float(value)


def _digits(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def _with_digits(pattern: str, decimals: int) -> str:
    return re.sub(r"#,##0(\.0+)?", _digits(decimals), pattern)


def format_number(value, lang: str = "en", *, decimals: int | None = None) -> str:
    """A plain number with the separators of ``lang``.

    ``decimals=None`` shows up to two decimals, without trailing zeros.

    Examples
    --------
    >>> format_number(1234.5, "fr")
    '1\\u202f234,5'
    >>> format_number(2, "en", decimals=1)
    '2.0'
    >>> format_number(float("nan"), "en")
    '–'
    """
    check_lang(lang)
    if _is_missing(value):
        return MISSING
    x = _as_float(value, "number")
    pattern = "#,##0.##" if decimals is None else _digits(decimals)
    return format_decimal(x, format=pattern, locale=LOCALES[lang])


def format_value(value, unit: str, lang: str = "en", *, currency: str = "EUR",
                 decimals: int | None = None, sign: bool = False) -> str:
    """Format one KPI value for display in ``lang``.

    Parameters
    ----------
    value : number
        The value; ``None``/``NaN``/``NA`` give an en dash ``–``.
    unit : {"count", "currency", "ratio", "multiple", "days", "months", "score"}
        The KPI unit (:attr:`kit.registry.KPISpec.unit`). Ratios are shown as
        percentages with one decimal; multiples with one decimal and ``×``; currency with the currency's decimals; counts
        without decimals unless the value is fractional; days, months and scores
        with one decimal.
    lang : {"en", "fr"}
    currency : str
        ISO code of the dataset currency.
    decimals : int, optional
        Overrides the number of decimals (of the percentage for ratios).
    sign : bool
        Prefix positive values with ``+`` (for changes).

    Raises
    ------
    ParameterError
        For an unknown unit or language, or a value that is not a number.

    Examples
    --------
    >>> format_value(0.125, "ratio", "en"), format_value(1234, "count", "fr")
    ('12.5%', '1\\u202f234')
    >>> format_value(12.5, "days", "fr"), format_value(12.5, "days", "en")
    ('12,5\\xa0j', '12.5\\xa0d')
    >>> format_value(None, "currency", "fr")
    '–'
    >>> format_value(4.213, "multiple", "fr"), format_value(4.213, "multiple", "en")
    ('4,2\xa0×', '4.2×')
    """
    check_lang(lang)
    _check_unit(unit)
    if _is_missing(value):
        return MISSING
    x = _as_float(value, unit)
    loc = LOCALES[lang]
    if unit == "ratio":
        pattern = _with_digits(Locale.parse(loc).percent_formats[None].pattern,
                               1 if decimals is None else decimals)
        text = format_percent(x, format=pattern, locale=loc)
    elif unit == "currency":
        if decimals is None:
            text = format_currency(x, currency, locale=loc)
        else:
            pattern = _with_digits(Locale.parse(loc).currency_formats["standard"].pattern, decimals)
            text = format_currency(x, currency, format=pattern, currency_digits=False, locale=loc)
    elif unit == "count":
        pattern = ("#,##0.#" if x != round(x) else "#,##0") if decimals is None else _digits(decimals)
        text = format_decimal(x, format=pattern, locale=loc)
    else:
        text = format_decimal(x, format=_digits(1 if decimals is None else decimals), locale=loc)
        if unit in ("days", "months"):
            text += NBSP + t("abbr_" + unit, lang)
        elif unit == "multiple":
            text += (NBSP if lang == "fr" else "") + "×"
    if sign and x > 0:
        text = "+" + text
    return text


def format_change(delta, unit: str, lang: str = "en", *, currency: str = "EUR") -> str:
    """A signed change of a KPI: percentage points for ratios, the KPI unit otherwise.

    Examples
    --------
    >>> format_change(0.025, "ratio", "fr"), format_change(0.025, "ratio", "en")
    ('+2,5\\xa0pts', '+2.5\\xa0pp')
    >>> format_change(-150, "currency", "en")
    '-€150.00'
    """
    check_lang(lang)
    _check_unit(unit)
    if _is_missing(delta):
        return MISSING
    if unit == "ratio":
        x = _as_float(delta, unit) * 100
        text = format_decimal(x, format="#,##0.0", locale=LOCALES[lang]) + NBSP + t("points", lang)
        return ("+" + text) if x > 0 else text
    return format_value(delta, unit, lang, currency=currency, sign=True)


def unit_label(unit: str, lang: str = "en", currency: str = "EUR") -> str:
    """Short name of a unit for axis labels: ``%``, the currency symbol, ``jours``...

    Examples
    --------
    >>> unit_label("ratio", "fr"), unit_label("currency", "fr"), unit_label("days", "fr")
    ('%', '€', 'jours')
    >>> unit_label("currency", "en", currency="USD")
    '$'
    """
    check_lang(lang)
    _check_unit(unit)
    if unit == "ratio":
        return "%"
    if unit == "multiple":
        return "×"
    if unit == "currency":
        return get_currency_symbol(currency, locale=LOCALES[lang])
    return t("unit_" + unit, lang)
