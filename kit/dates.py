"""Dates of the kit: a bound as a plain datetime, and month arithmetic in one place.

:func:`as_ts` turns the ``start``, ``end`` and ``as_of`` a user gives into what the
engines compare with. The months of a report are written ``YYYY-MM``:
:func:`parse_month` reads one (or a date), :func:`month_bounds` gives its
``[start, end)``, :func:`shift_month` and :func:`month_range` count months,
:func:`month_start` and :func:`shift` do the same on Timestamps, and
:func:`last_complete_month` is the default month of a report. Words for months
(``octobre 2026``) are :mod:`kit.i18n`'s.

Examples
--------
>>> month_bounds("2026-02")
(Timestamp('2026-02-01 00:00:00'), Timestamp('2026-03-01 00:00:00'))
>>> shift(month_start("2026-10"), 1), shift_month("2026-01", -1)
(Timestamp('2026-11-01 00:00:00'), '2025-12')
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from kit.errors import DataError, ParameterError

_MONTH = re.compile(r"^\s*(\d{4})-(\d{2})\s*$")


def as_ts(value):
    """Parse a bound (str, date, Timestamp) into a naive ``datetime``; None stays None.

    A Python ``datetime`` holds microseconds, like every engine: a pandas time with
    nanoseconds is rounded to the nearest microsecond (no "Discarding nonzero
    nanoseconds" warning). A time zone is dropped, keeping the wall-clock time.

    Examples
    --------
    >>> as_ts("2026-01-31")
    datetime.datetime(2026, 1, 31, 0, 0)
    >>> as_ts(pd.Timestamp("2026-01-31 10:00:00.000001999"))
    datetime.datetime(2026, 1, 31, 10, 0, 0, 2)
    >>> as_ts(None) is None
    True
    """
    if value is None or (isinstance(value, str) and value == ""):
        return None
    ts = pd.Timestamp(value)
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return ts.round("us").to_pydatetime()


def parse_month(month) -> pd.Period:
    """Parse ``"YYYY-MM"`` (or a date, Timestamp or monthly Period) into a monthly Period.

    Raises
    ------
    ParameterError
        For anything that is not a month in the form ``YYYY-MM``.

    Examples
    --------
    >>> parse_month("2026-10")
    Period('2026-10', 'M')
    >>> parse_month("2026-13")
    Traceback (most recent call last):
    ...
    kit.errors.ParameterError: month='2026-13' is not a month: the month number must be 01 to 12. ...
    """
    if isinstance(month, pd.Period):
        return month.asfreq("M")
    if isinstance(month, (pd.Timestamp, np.datetime64)) or hasattr(month, "year") and hasattr(month, "month"):
        return pd.Timestamp(month).to_period("M")
    text = str(month)
    m = _MONTH.match(text)
    allowed = "Pass the month as YYYY-MM, e.g. month='2026-10'."
    if not m:
        raise ParameterError(
            f"month={month!r} is not a month in the form YYYY-MM (four-digit year, dash, "
            f"two-digit month). {allowed}"
        )
    year, mon = int(m.group(1)), int(m.group(2))
    if not 1 <= mon <= 12:
        raise ParameterError(
            f"month={month!r} is not a month: the month number must be 01 to 12. {allowed}"
        )
    return pd.Period(year=year, month=mon, freq="M")


def month_bounds(month) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First instant of ``month`` and first instant of the next month (end excluded).

    These are the ``start`` and ``end`` the KPIs take: ``[start, end)``.

    Examples
    --------
    >>> month_bounds("2025-12")
    (Timestamp('2025-12-01 00:00:00'), Timestamp('2026-01-01 00:00:00'))
    """
    p = parse_month(month)
    return p.start_time.normalize(), (p + 1).start_time.normalize()


def shift_month(month, n: int) -> str:
    """The month ``n`` months after ``month`` (before when ``n < 0``), as ``YYYY-MM``.

    Examples
    --------
    >>> shift_month("2026-01", -1), shift_month("2026-01", -12)
    ('2025-12', '2025-01')
    """
    return str(parse_month(month) + n)


def month_range(first, last) -> list[str]:
    """Every month from ``first`` to ``last`` included, as ``YYYY-MM`` strings.

    Raises
    ------
    ParameterError
        When ``last`` is before ``first``.

    Examples
    --------
    >>> month_range("2025-11", "2026-02")
    ['2025-11', '2025-12', '2026-01', '2026-02']
    """
    a, b = parse_month(first), parse_month(last)
    if b < a:
        raise ParameterError(
            f"the last month {str(b)!r} is before the first month {str(a)!r}. "
            "Give the earlier month first (e.g. --month 2026-10 --to 2026-12)."
        )
    return [str(p) for p in pd.period_range(a, b, freq="M")]


def month_start(value) -> pd.Timestamp:
    """The first day of the month ``value`` (``"2026-10"``, a date, a Timestamp).

    Raises
    ------
    ParameterError
        For a value that is not a month (see :func:`parse_month`).

    Examples
    --------
    >>> month_start("2026-10"), month_start(pd.Timestamp("2026-10-17"))
    (Timestamp('2026-10-01 00:00:00'), Timestamp('2026-10-01 00:00:00'))
    """
    return month_bounds(value)[0]


def shift(month: pd.Timestamp, months: int) -> pd.Timestamp:
    """``month`` moved by a whole number of months.

    Examples
    --------
    >>> shift(pd.Timestamp("2026-01-01"), -2)
    Timestamp('2025-11-01 00:00:00')
    """
    return month + pd.DateOffset(months=months)


def last_complete_month(ds) -> str:
    """The last month whose end is covered by ``ds.as_of``, as ``YYYY-MM``.

    A month is complete when ``as_of`` falls on its last day or later, so data
    loaded with ``as_of="2026-10-31"`` (or ending on 31 October at any hour) has
    October as its last complete month.

    Raises
    ------
    DataError
        When the dataset has no date at all (``as_of`` is missing).

    Parameters
    ----------
    ds : Dataset
        Its ``as_of`` is read.

    Examples
    --------
    >>> from dataclasses import replace
    >>> from kit.dataset import Dataset
    >>> ds = Dataset({"leads": pd.DataFrame({"lead_id": ["L1", "L2"],
    ...     "created_at": pd.to_datetime(["2026-09-03 09:00", "2026-10-30 18:00"])})})
    >>> last_complete_month(ds)
    '2026-09'
    >>> last_complete_month(replace(ds, as_of=pd.Timestamp("2026-10-31")))
    '2026-10'
    """
    as_of = ds.as_of
    if as_of is None or pd.isna(as_of):
        raise DataError(
            "the dataset has no date (as_of is missing), so there is no last complete month. "
            "Check that the tables hold their date columns, or pass month='YYYY-MM'."
        )
    as_of = pd.Timestamp(as_of)
    p = as_of.to_period("M")
    last_day = (p + 1).start_time.normalize() - pd.Timedelta(days=1)
    return str(p if as_of.normalize() >= last_day else p - 1)


__all__ = ["as_ts", "last_complete_month", "month_bounds", "month_range", "month_start",
           "parse_month", "shift", "shift_month"]
