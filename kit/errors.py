"""Exceptions and warnings of the kit.

Every error the kit raises on purpose is a :class:`KitError`, itself a
``ValueError``, so that ``except ValueError`` keeps working for callers who do not
know the kit. Messages say what was wrong, what was received, what is allowed and
what to do next.

Examples
--------
>>> from kit.errors import DataError, KitError
>>> issubclass(DataError, KitError) and issubclass(KitError, ValueError)
True
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class KitError(ValueError):
    """Base class of every error raised by the kit."""


class DataError(KitError):
    """The input data breaks the data contract (structure, file, parse, strict rule)."""


class ParameterError(KitError):
    """A function received an option outside what it allows."""


class UnknownKPIError(KitError):
    """A KPI name that is not in the registry."""


class ReportError(KitError):
    """A batch report could not be produced."""


class KitWarning(UserWarning):
    """Statistical or data caveat the user should know about."""


def did_you_mean(value: str, allowed: Iterable[str], n: int = 3) -> str:
    """Return a ``did you mean ...?`` hint, or an empty string.

    Examples
    --------
    >>> did_you_mean("amout", ["amount", "cost"])
    " (did you mean 'amount'?)"
    >>> did_you_mean("zzz", ["amount"])
    ''
    """
    close = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=n, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"


def check_choice(name: str, value, allowed: Iterable, *, what_next: str = "") -> None:
    """Raise :class:`ParameterError` when ``value`` is not one of ``allowed``.

    Examples
    --------
    >>> check_choice("freq", "M", ["W", "M", "Q", "Y", None])
    >>> check_choice("freq", "month", ["W", "M"])
    Traceback (most recent call last):
    ...
    kit.errors.ParameterError: freq='month' is not allowed; allowed values: 'W', 'M'. ...
    """
    allowed = list(allowed)
    if value in allowed:
        return
    shown = ", ".join(repr(a) for a in allowed)
    hint = did_you_mean(str(value), [str(a) for a in allowed if a is not None])
    raise ParameterError(
        f"{name}={value!r} is not allowed; allowed values: {shown}.{hint} "
        + (what_next or f"Pass one of the allowed values as {name}=.")
    )


def check_frame(data, needed, *, func: str, expected: str, pass_frame: str, pass_columns: str):
    """``data`` with a plain index, after checking it is a pandas DataFrame holding ``needed``.

    The one check of the frames the plot and table helpers receive: the message names
    ``func``, what it ``expected`` and what to pass instead (``pass_frame``); for a missing
    column, the nearest names, the available columns and ``pass_columns``. ``None`` in
    ``needed`` is skipped.

    Examples
    --------
    >>> import pandas as pd
    >>> check_frame(pd.DataFrame({"value": [1]}), ["valeu"], func="plot_kpi", expected="a KPI result",
    ...             pass_frame="the result of kit.compute(ds, name, ...)",
    ...             pass_columns="the column names of the KPI result")
    Traceback (most recent call last):
    ...
    kit.errors.ParameterError: plot_kpi: column(s) ['valeu'] not in data (did you mean 'value'?); available columns: ['value']. Pass the column names of the KPI result.
    """
    import pandas as pd

    if not isinstance(data, pd.DataFrame):
        raise ParameterError(f"{func} expects a pandas DataFrame ({expected}), received "
                             f"{type(data).__name__}. Pass {pass_frame}.")
    cols = [str(c) for c in data.columns]
    missing = [c for c in needed if c is not None and c not in data.columns]
    if missing:
        hints = "".join(did_you_mean(m, cols) for m in missing)
        raise ParameterError(f"{func}: column(s) {missing} not in data{hints}; available columns: "
                             f"{cols}. Pass {pass_columns}.")
    return data.reset_index(drop=True)
