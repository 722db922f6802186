"""Dates and periods in English and French: months, days, weeks, quarters, years.

Examples
--------
>>> format_month("2026-10-01", "fr")
'octobre 2026'
>>> format_period("2026-10-01", "Q", "en")
'Q4 2026'
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from babel.dates import format_date

from kit.errors import ParameterError
from kit.i18n.formats import LOCALES, MISSING, _is_missing
from kit.i18n.words import check_lang, t


def _ts(value) -> pd.Timestamp:
    try:
        return pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ParameterError(
            f"Expected a date (e.g. '2026-10-01' or a Timestamp), received {value!r}. "
            "Pass the period column of a KPI result."
        ) from exc


def format_month(ts, lang: str = "en") -> str:
    """The month of ``ts`` in words: ``"octobre 2026"`` / ``"October 2026"``.

    Examples
    --------
    >>> format_month(pd.Timestamp("2026-10-15"), "en")
    'October 2026'
    >>> format_month(None, "fr")
    '–'
    """
    check_lang(lang)
    if _is_missing(ts):
        return MISSING
    return format_date(_ts(ts).date(), "LLLL y", locale=LOCALES[lang])


def month_abbr(ts, lang: str = "en", *, year: bool = False) -> str:
    """Abbreviated month of ``ts`` (``"oct."`` / ``"Oct"``), with the year when asked.

    Examples
    --------
    >>> month_abbr("2026-10-01", "fr"), month_abbr("2026-10-01", "en", year=True)
    ('oct.', 'Oct 2026')
    """
    check_lang(lang)
    if _is_missing(ts):
        return MISSING
    return format_date(_ts(ts).date(), "LLL y" if year else "LLL", locale=LOCALES[lang])


def format_date_short(ts, lang: str = "en") -> str:
    """A day as ``"5 oct. 2026"`` / ``"Oct 5, 2026"``.

    Examples
    --------
    >>> format_date_short("2026-10-05", "fr")
    '5 oct. 2026'
    """
    check_lang(lang)
    if _is_missing(ts):
        return MISSING
    return format_date(_ts(ts).date(), "medium", locale=LOCALES[lang])


FREQS = (None, "W", "M", "Q", "Y")


def format_period(ts, freq: str | None = "M", lang: str = "en") -> str:
    """The period starting at ``ts`` for a KPI frequency (W, M, Q, Y; None: the day).

    Examples
    --------
    >>> format_period("2026-10-01", "Q", "fr"), format_period("2026-01-01", "Y", "en")
    ('T4 2026', '2026')
    >>> format_period("2026-10-05", "W", "en")
    'Week of Oct 5, 2026'
    """
    check_lang(lang)
    if freq not in FREQS:
        raise ParameterError(
            f"freq={freq!r} is not allowed; allowed values: None, 'W', 'M', 'Q', 'Y'. "
            "Pass the freq= used to compute the KPI."
        )
    if _is_missing(ts):
        return MISSING
    ts = _ts(ts)
    if freq == "M":
        return format_month(ts, lang)
    if freq == "Q":
        return t("quarter", lang, q=(ts.month - 1) // 3 + 1, year=ts.year)
    if freq == "Y":
        return str(ts.year)
    if freq == "W":
        return t("week_of", lang, date=format_date_short(ts, lang))
    return format_date_short(ts, lang)


def infer_freq(periods) -> str | None:
    """Guess the frequency of a ``period`` column from its values.

    All on the first of January: ``"Y"``; all on the first of a quarter's month
    and three months apart or more: ``"Q"``; all on the first of a month: ``"M"``;
    all on Mondays: ``"W"``; otherwise ``None``.

    Examples
    --------
    >>> infer_freq(pd.to_datetime(["2026-01-01", "2026-02-01"]))
    'M'
    >>> infer_freq(pd.to_datetime(["2026-01-01", "2026-04-01"]))
    'Q'
    >>> infer_freq(pd.to_datetime(["2026-10-05", "2026-10-12"]))
    'W'
    """
    p = pd.DatetimeIndex(pd.to_datetime(pd.Series(periods)).dropna().unique()).sort_values()
    if len(p) == 0 or (p != p.normalize()).any():
        return None
    if (p.day == 1).all():
        if (p.month == 1).all() and len(p) > 1:
            return "Y"
        months = p.year * 12 + p.month
        if (p.month % 3 == 1).all() and len(p) > 1 and (np.diff(months) % 3 == 0).all():
            return "Q"
        return "M"
    if (p.dayofweek == 0).all():
        return "W"
    return None
