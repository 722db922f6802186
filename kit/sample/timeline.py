"""Time and random draws of the simulation: the month window, office hours, delays.

Times are ``int64`` seconds since 1970-01-01 in naive local time (Europe/Paris
wall clock); ``NEVER`` (in :mod:`kit.sample.columns`) stands for an event that did
not happen (yet).

Examples
--------
>>> w = window("2026-10")
>>> str(w.first), len(w.starts) == MONTHS + 1, int(w.cal[0]), int(w.cal[-1])
('2023-11', True, 11, 10)
>>> t = np.array([w.start + 5 * DAY + 2 * HOUR])  # Monday 6 November 2023, 02:00
>>> str(np.datetime64(int(office(t)[0]), "s"))
'2023-11-06T08:55:00'
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from kit.errors import ParameterError

MONTHS = 36  # months of data: calendar years 2024 and 2025 complete with the default end
WARMUP = 4  # months simulated before the data so that the pipeline is full from the start
DAY = 86_400
HOUR = 3_600


class Window:
    """The months of the data as int64 seconds since 1970 (naive local time).

    ``starts`` holds the first second of each of the ``MONTHS`` months plus the
    month after; ``sim_starts`` the same with the ``WARMUP`` months before.
    """

    def __init__(self, first: pd.Period, last: pd.Period):
        months = pd.period_range(first, last + 1, freq="M")
        self.starts = seconds(months.start_time)  # MONTHS + 1 entries
        self.cal = months.month.to_numpy()[:MONTHS]
        sim = pd.period_range(first - WARMUP, last + 1, freq="M")  # with the warm-up months
        self.sim_starts = seconds(sim.start_time)
        self.sim_cal = sim.month.to_numpy()[:-1]
        self.start = int(self.starts[0])
        self.end = int(self.starts[-1]) - 1  # last second of the last month
        self.first = first

    def month_of(self, t):
        """Month index (0 is the first month of the data) of each time."""
        return np.searchsorted(self.starts, t, side="right") - 1

    def month_start(self, offset: int) -> int:
        """First second of the month ``offset`` months after the first one."""
        return int(seconds(pd.DatetimeIndex([(self.first + offset).start_time]))[0])


def window(end: str) -> Window:
    """The :class:`Window` of ``MONTHS`` months ending with the month ``end`` (``YYYY-MM``).

    Raises
    ------
    ParameterError
        When ``end`` is not a month written ``YYYY-MM``.
    """
    if not isinstance(end, str) or not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", end):
        raise ParameterError(
            f"end must be a month written YYYY-MM; received {end!r}. Pass e.g. end='2026-10'."
        )
    last = pd.Period(end, freq="M")
    return Window(last - (MONTHS - 1), last)


def seconds(dt) -> np.ndarray:
    """Datetimes to int64 seconds since 1970."""
    return np.asarray(pd.DatetimeIndex(dt).values.astype("datetime64[s]").astype(np.int64))


def office(t):
    """Move times into office hours, Monday to Friday 08:00-19:00, keeping each day's order."""
    day = t // DAY
    dow = (day + 3) % 7  # 0 is Monday: 1970-01-01 was a Thursday
    day = day + np.where(dow == 5, 2, np.where(dow == 6, 1, 0))
    return day * DAY + 8 * HOUR + (t % DAY) * 11 // 24


def next_office(t):
    """The first office-hours instant at or after ``t``."""
    day, sec = t // DAY, t % DAY
    day = np.where(sec >= 19 * HOUR, day + 1, day)
    sec = np.where(sec >= 19 * HOUR, 8 * HOUR, np.maximum(sec, 8 * HOUR))
    dow = (day + 3) % 7
    shift = np.where(dow == 5, 2, np.where(dow == 6, 1, 0))
    return np.where(shift > 0, (day + shift) * DAY + 8 * HOUR, day * DAY + sec)


def prev_office(t):
    """The last office-hours instant at or before ``t``."""
    day, sec = t // DAY, t % DAY
    day = np.where(sec < 8 * HOUR, day - 1, day)
    sec = np.where(sec < 8 * HOUR, 19 * HOUR - 1, np.minimum(sec, 19 * HOUR - 1))
    dow = (day + 3) % 7
    shift = np.where(dow == 5, 1, np.where(dow == 6, 2, 0))
    return np.where(shift > 0, (day - shift) * DAY + 19 * HOUR - 1, day * DAY + sec)


def office_within(t, lo, hi):
    """:func:`office` of ``t``, kept in ``[lo, hi]`` (a weekend at the end goes back to Thursday)."""
    o = office(t)
    o = np.where(o > hi, office(t - 3 * DAY), o)
    return np.minimum(np.maximum(o, lo), hi)


def spread(rng, lo, hi, n_each):
    """``n_each[i]`` office-hour times in ``]lo[i], hi[i]]`` for each i, with the owner index.

    Owners whose interval holds no office time get none.
    """
    a, b = next_office(lo + 300), prev_office(hi)
    n_each = np.where(a <= b, n_each, 0)
    owner = np.repeat(np.arange(len(lo)), n_each)
    a, b = a[owner], b[owner]
    t = a + (rng.random(len(owner)) * (b - a)).astype(np.int64)
    return owner, office_within(t, a, b)


def delay(rng, n, median_days, sigma=0.8, floor=600):
    """Log-normal delays in whole seconds, at least ``floor``."""
    d = rng.lognormal(np.log(median_days * DAY), sigma, n)
    return np.maximum(d.astype(np.int64), floor)


def pick(rng, shares, n):
    """``n`` codes drawn with probabilities proportional to ``shares``."""
    shares = np.asarray(shares, dtype=float)
    return rng.choice(len(shares), size=n, p=shares / shares.sum())
