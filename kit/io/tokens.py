r"""How cells are told apart by both readers: boolean words and the order of day and month.

The loader reads cells in SQL (:mod:`kit.io.parse`), the CRM presets rewrite export
cells in pandas first (:mod:`kit.io.stages`, :mod:`kit.io.export_dates`); both take
their words and their rule from here, so that a cell means the same on either path.

* booleans: :data:`TRUE_WORDS` and :data:`FALSE_WORDS`, compared trimmed and in
  lower case (``Oui``, ``FALSE``, ``x`` for a ticked box);
* day-first dates: a column is day-first when more of its ``d/m/y`` cells have a
  first number above 12 (``13/04/2026``) than a second one (``04/13/2026``), a tie
  being day-first; a column where no number is above 12 tells nothing and takes
  the locale's order: month-first for ``"en"``, day-first for ``"fr"`` and
  ``"auto"``.

Examples
--------
>>> read_bool(" Oui "), read_bool("0"), read_bool("peut-être") is None
(True, False, True)
>>> day_first(2, 0), day_first(0, 1), day_first(0, 0, "en"), day_first(0, 0)
(True, False, False, True)
"""

from __future__ import annotations

import pandas as pd

#: Cells read as true in a boolean column (trimmed, lower case).
TRUE_WORDS = ("true", "vrai", "oui", "yes", "y", "o", "t", "v", "1", "1.0", "x", "checked")
#: Cells read as false in a boolean column (trimmed, lower case).
FALSE_WORDS = ("false", "faux", "non", "no", "n", "f", "0", "0.0", "unchecked")
#: A cell written day/month/year (or month/day/year): its two first numbers are groups 1 and 2.
DMY_RE = r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(\D|$)"
#: The order of an ambiguous column for each ``locale=`` (``"auto"``: day-first, as in French).
LOCALE_DAY_FIRST = {"en": False, "fr": True, "auto": True}


def read_bool(text) -> bool | None:
    """``True``/``False`` for a boolean word of :data:`TRUE_WORDS`/:data:`FALSE_WORDS`, else ``None``.

    Examples
    --------
    >>> read_bool("VRAI"), read_bool("no"), read_bool(""), read_bool(None)
    (True, False, None, None)
    """
    word = str(text).strip().lower() if text is not None else ""
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


def read_bools(values: pd.Series) -> pd.Series:
    """:func:`read_bool` of every cell, as an object Series of ``True``/``False``/``None``.

    Examples
    --------
    >>> read_bools(pd.Series(["yes", "Faux", "?"])).tolist()
    [True, False, None]
    """
    text = values.astype(str).str.strip().str.lower()
    out = pd.Series([None] * len(values), index=values.index, dtype=object)
    out[text.isin(TRUE_WORDS)] = True
    out[text.isin(FALSE_WORDS)] = False
    return out


def told_day_first(first_over_12: int, second_over_12: int) -> bool | None:
    """What a column's cells tell: ``True`` day-first, ``False`` month-first, ``None`` nothing.

    ``first_over_12`` and ``second_over_12`` count the ``d/m/y`` cells (:data:`DMY_RE`)
    whose first, or second, number is above 12; the larger count wins, a tie is day-first.

    Examples
    --------
    >>> told_day_first(3, 0), told_day_first(1, 4), told_day_first(2, 2), told_day_first(0, 0)
    (True, False, True, None)
    """
    if not (first_over_12 or second_over_12):
        return None
    return first_over_12 >= second_over_12


def day_first(first_over_12: int, second_over_12: int, locale: str = "auto") -> bool:
    """The order of day and month of a column: what its cells tell, else the locale's.

    Examples
    --------
    >>> day_first(0, 5, "fr"), day_first(0, 0, "fr"), day_first(0, 0, "en")
    (False, True, False)
    """
    told = told_day_first(first_over_12, second_over_12)
    return LOCALE_DAY_FIRST.get(locale, True) if told is None else told


def count_over_12(values: pd.Series) -> tuple[int, int]:
    """``(first, second)``: how many ``d/m/y`` cells of ``values`` have a first, or a second, number above 12.

    The pandas count of what :func:`kit.io.parse.decide` counts in SQL.

    Examples
    --------
    >>> count_over_12(pd.Series(["13/04/2026", "03/04/2026", "2026-04-13", "04/13/26 10:00"]))
    (1, 1)
    """
    parts = values.astype(str).str.strip().str.extract(DMY_RE)
    first, second = pd.to_numeric(parts[0]), pd.to_numeric(parts[1])
    return int((first > 12).sum()), int((second > 12).sum())
