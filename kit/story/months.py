"""Months of a report: the first day of a month, a month moved, a month as a column header.

Examples
--------
>>> shift(month_start("2026-10"), 1)
Timestamp('2026-11-01 00:00:00')
"""

from __future__ import annotations

import pandas as pd


def month_start(value) -> pd.Timestamp:
    """The first day of the month ``value`` (``"2026-10"``, a date, a Timestamp).

    Raises
    ------
    ParameterError
        For a value that is not a month (see :func:`kit.scorecard.parse_month`).

    Examples
    --------
    >>> month_start("2026-10"), month_start(pd.Timestamp("2026-10-17"))
    (Timestamp('2026-10-01 00:00:00'), Timestamp('2026-10-01 00:00:00'))
    """
    from kit.scorecard import month_bounds

    return month_bounds(value)[0]


def shift(month: pd.Timestamp, months: int) -> pd.Timestamp:
    """``month`` moved by a whole number of months.

    Examples
    --------
    >>> shift(pd.Timestamp("2026-01-01"), -2)
    Timestamp('2025-11-01 00:00:00')
    """
    return month + pd.DateOffset(months=months)


def month_abbr_year(ts, lang: str) -> str:
    """A month as a short column header (``"oct. 2026"``)."""
    from kit.i18n import month_abbr

    return month_abbr(ts, lang, year=True)
