"""Dates of CRM exports written ``3/15/2026 2:05 PM`` (US) or ``15/03/2026 14:05`` (French).

The order of day and month is decided per column from its values by the rule the
loader uses (:func:`kit.io.tokens.day_first`: a number above 12 tells); a column
that does not tell follows the other date columns of the file, then ``locale``.
Cells are rewritten as ISO text for the loader.

Examples
--------
>>> f = pd.DataFrame({"a": ["3/15/2026 2:05 PM"], "b": ["4/1/2026"]})
>>> normalise_dates(f, ["a", "b"]), f.iloc[0].tolist()
({'a': False, 'b': False}, ['2026-03-15 14:05', '2026-04-01'])
"""

from __future__ import annotations

import re

import pandas as pd

from kit.io.tokens import LOCALE_DAY_FIRST, count_over_12, told_day_first

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:[ ,T]+(\d{1,2}):(\d{2})(?::(\d{2}))?"
                  r"\s*([AaPp]\.?[Mm]\.?)?)?$")


def date_order(values: pd.Series) -> bool | None:
    """``True`` when the d/m/y dates of a column are day-first, ``False`` month-first, else None.

    What the cells tell by :func:`kit.io.tokens.told_day_first` (``None``: no number above 12).

    Examples
    --------
    >>> date_order(pd.Series(["3/15/2026", "4/1/2026"])), date_order(pd.Series(["31/12/2025"]))
    (False, True)
    >>> date_order(pd.Series(["1/2/2026", "2026-01-05"])) is None
    True
    """
    return told_day_first(*count_over_12(values))


def _iso(text: str, dayfirst: bool) -> str:
    m = _DMY.match(text.strip())
    if not m:
        return text
    a, b, y, hh, mm, ss, ampm = m.groups()
    day, month = (int(a), int(b)) if dayfirst else (int(b), int(a))
    year = int(y) + (2000 if len(y) == 2 else 0)
    try:
        stamp = pd.Timestamp(year=year, month=month, day=day)
    except ValueError:
        return text  # 31/02 or a month 13: left for the checks to report
    if hh is None:
        return f"{stamp:%Y-%m-%d}"
    hour = int(hh)
    if ampm:
        pm = ampm.lower().startswith("p")
        if not 1 <= hour <= 12:
            return text
        hour = hour % 12 + (12 if pm else 0)
    if hour > 23 or int(mm) > 59:
        return text
    return f"{stamp:%Y-%m-%d} {hour:02d}:{mm}" + (f":{ss}" if ss else "")


def normalise_dates(frame: pd.DataFrame, columns: list, locale: str = "auto") -> dict:
    """Rewrite the d/m/y cells of ``columns`` as ISO text; return ``{column: dayfirst}``.

    The order of day and month is decided per column from its values; a column
    that does not tell takes the order of the other columns of the file, then
    ``locale`` (``"en"`` month-first, ``"fr"`` day-first); with ``"auto"`` it is
    left to the loader (day-first).

    Examples
    --------
    >>> f = pd.DataFrame({"a": ["3/15/2026 2:05 PM", ""], "b": ["4/1/2026", "4/2/2026"]})
    >>> normalise_dates(f, ["a", "b"])
    {'a': False, 'b': False}
    >>> f.to_dict("list")
    {'a': ['2026-03-15 14:05', ''], 'b': ['2026-04-01', '2026-04-02']}
    """
    orders = {c: date_order(frame[c]) for c in columns
              if pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c])}
    told = {o for o in orders.values() if o is not None}
    # "auto": left to the loader, which reads such a column day-first (kit.io.tokens.day_first)
    fallback = told.pop() if len(told) == 1 else None if locale == "auto" else LOCALE_DAY_FIRST.get(locale)
    out = {}
    for c, o in orders.items():
        o = fallback if o is None else o
        if o is None:
            continue
        frame[c] = [_iso(v, o) if isinstance(v, str) else v for v in frame[c]]
        out[c] = o
    return out
