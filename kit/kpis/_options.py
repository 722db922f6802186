"""What the options of the KPIs may be: real numbers, whole numbers of months or days.

Each KPI raises its own :class:`kit.errors.ParameterError`, which says what the
option means; these predicates are the one test behind those messages.
"""

from __future__ import annotations

import numpy as np


def is_number(value) -> bool:
    """Whether an option is a real number: an int, float or NumPy number, not a bool.

    Examples
    --------
    >>> is_number(0.6), is_number(np.int64(3)), is_number(True), is_number("3")
    (True, True, False, False)
    """
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def is_count(value) -> bool:
    """Whether an option is a whole number >= 1 (months, days): an int or NumPy integer, not a bool.

    Examples
    --------
    >>> is_count(12), is_count(np.int64(3)), is_count(0), is_count(True), is_count(2.0)
    (True, True, False, False, False)
    """
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool) and bool(value >= 1)


__all__ = ["is_count", "is_number"]
