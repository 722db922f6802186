"""The options of the cost KPIs, checked once: cost categories, frequencies, ``by``, horizon.

Shared by the acquisition cost (:mod:`kit.kpis.cost`) and the lifetime value and
what it repays (:mod:`kit.kpis.lifetime`).
"""

from __future__ import annotations


from kit.contract import COST_CATEGORIES
from kit.errors import ParameterError, did_you_mean
from kit.kpis._common import absent, as_list, columns
from kit.kpis._options import is_count

#: Cost categories counted as acquisition costs by default.
ACQUISITION_CATEGORIES = ("marketing", "sales", "prospecting", "outsourcing")
#: ``freq`` values that make sense for monthly costs.
COST_FREQS = (None, "M", "Q", "Y")
#: How costs without a ``source`` are treated when CAC is split by channel.
SHARED = ("separate", "allocate")


def acquisition_categories(categories) -> list[str]:
    """The cost categories counted: ``categories`` checked, or :data:`ACQUISITION_CATEGORIES`.

    Raises
    ------
    ParameterError
        For an unknown category or an empty list.

    Examples
    --------
    >>> acquisition_categories(None)
    ['marketing', 'sales', 'prospecting', 'outsourcing']
    >>> acquisition_categories("marketing")
    ['marketing']
    """
    if categories is None:
        return list(ACQUISITION_CATEGORIES)
    cats = [categories] if isinstance(categories, str) else list(categories)
    bad = [c for c in cats if c not in COST_CATEGORIES]
    if bad or not cats:
        hints = "".join(did_you_mean(b, COST_CATEGORIES) for b in bad)
        raise ParameterError(
            f"categories={categories!r}: {bad or 'an empty list'} not allowed{hints}; allowed cost "
            f"categories: {', '.join(COST_CATEGORIES)}. The default counts "
            f"{', '.join(ACQUISITION_CATEGORIES)}."
        )
    return cats


def check_freq(kpi_name: str, freq) -> None:
    """Raise unless ``freq`` sums whole months (:data:`COST_FREQS`).

    Examples
    --------
    >>> check_freq("cac", "W")
    Traceback (most recent call last):
    ...
    kit.errors.ParameterError: cac: freq='W' is not allowed, because costs are monthly; ...
    """
    if freq not in COST_FREQS:
        raise ParameterError(
            f"{kpi_name}: freq={freq!r} is not allowed, because costs are monthly; allowed values: "
            "None, 'M', 'Q', 'Y'. Use freq='M' for monthly results."
        )


def check_by(kpi_name: str, by, tables: dict) -> None:
    """Raise unless each ``by`` column is in every table of ``tables`` ({name: narwhals frame}).

    Examples
    --------
    >>> import pandas as pd
    >>> from kit.kpis._common import lazy
    >>> check_by("cac", "source", {"costs": lazy(pd.DataFrame({"period": []}), "costs")})
    Traceback (most recent call last):
    ...
    kit.errors.ParameterError: cac: by='source' needs column(s) ['source'] in table ...
    """
    for name, f in tables.items():
        cols = columns(f)
        bad, hints = absent(as_list(by), cols)
        if bad:
            why = (" Costs without a 'source' cannot be split by channel: add a source column to "
                   "costs, or use by=None." if name == "costs" and "source" in bad else
                   f" Pass by= a column of {' and '.join(tables)}.")
            raise ParameterError(
                f"{kpi_name}: by={by!r} needs column(s) {bad} in table {name!r}, which has "
                f"{cols}{hints}.{why}"
            )


def check_horizon(kpi_name: str, horizon) -> None:
    """Raise unless ``horizon`` is a whole number of months >= 1.

    Examples
    --------
    >>> check_horizon("ltv", 12)
    >>> check_horizon("ltv", 0)
    Traceback (most recent call last):
    ...
    kit.errors.ParameterError: ltv: horizon=0 is not allowed; it is the number of months ...
    """
    if not is_count(horizon):
        raise ParameterError(
            f"{kpi_name}: horizon={horizon!r} is not allowed; it is the number of months after "
            "acquisition over which margin is summed, a whole number >= 1 (default 12)."
        )


def check_shared(kpi_name: str, shared, by) -> None:
    """Raise unless ``shared`` is one of :data:`SHARED` and ``"allocate"`` has one ``by`` column.

    Examples
    --------
    >>> check_shared("cac", "allocate", "source")
    >>> check_shared("cac", "spread", "source")
    Traceback (most recent call last):
    ...
    kit.errors.ParameterError: cac: shared='spread' is not allowed; allowed values: ...
    """
    if shared not in SHARED:
        raise ParameterError(
            f"{kpi_name}: shared={shared!r} is not allowed; allowed values: 'separate' (costs without "
            "a value of the by column form their own row) or 'allocate' (they are spread over the "
            "groups in proportion to their new customers)."
        )
    if shared == "allocate" and len(as_list(by)) > 1:
        raise ParameterError(
            f"{kpi_name}: shared='allocate' works with one by column, received by={by!r}. "
            "Pass a single column such as by='source'."
        )


__all__ = ["ACQUISITION_CATEGORIES", "COST_FREQS", "SHARED", "acquisition_categories", "check_by",
           "check_freq", "check_horizon", "check_shared"]
