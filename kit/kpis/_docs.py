"""The parameters the KPI functions share, documented once.

As seaborn's docstring components do, a KPI docstring holds a placeholder line such
as ``{window}`` where the entries of its ``by``, ``freq``, ``start`` and ``end``
go; :func:`fill_doc` writes them there when the module is imported, so ``help()``,
the generated docs and the doctests see the whole docstring.

Examples
--------
>>> @fill_doc(window=window_params("closed_at", "opportunities closed"))
... def demo(opportunities, *, by=None, freq=None, start=None, end=None):
...     '''Demo.
...
...     Parameters
...     ----------
...     {window}
...     '''
>>> print(demo.__doc__.split("----------")[1].rstrip())  # doctest: +NORMALIZE_WHITESPACE
    by : str or list of str, optional
        Columns to break down by (nulls form their own group).
    freq : {None, "W", "M", "Q", "Y"}
        Adds a ``period`` column: the start of the period of ``closed_at``.
    start, end : date-like, optional
        Keep opportunities closed in ``[start, end)``.
"""

from __future__ import annotations

from collections.abc import Callable

#: The usual description of ``by``.
BY = "Columns to break down by (nulls form their own group)."


def window_params(date: str, rows: str, *, by: str = BY, cohort: bool = False) -> str:
    """The numpydoc entries of ``by``, ``freq``, ``start`` and ``end`` of a KPI.

    Parameters
    ----------
    date : str
        The column whose period ``freq`` gives (``closed_at``...).
    rows : str
        What ``[start, end)`` keeps, e.g. ``"opportunities closed"``.
    by : str
        The description of ``by`` (lines separated by ``"\\n"``).
    cohort : bool
        Whether the period is the cohort of the rows (said after the date).

    Returns
    -------
    str
        The entries, not indented (:func:`fill_doc` indents them).

    Examples
    --------
    >>> print(window_params("created_at", "leads created", cohort=True).splitlines()[3])
        Adds a ``period`` column: the start of the period of ``created_at`` (cohort).
    """
    by = "\n    ".join(by.split("\n"))
    cohort_note = " (cohort)" if cohort else ""
    return (f"by : str or list of str, optional\n    {by}\n"
            f'freq : {{None, "W", "M", "Q", "Y"}}\n'
            f"    Adds a ``period`` column: the start of the period of ``{date}``{cohort_note}.\n"
            f"start, end : date-like, optional\n    Keep {rows} in ``[start, end)``.")


def fill_doc(**parts: str) -> Callable:
    """Decorator: each docstring line that is only ``{name}`` becomes ``parts[name]``, indented alike.

    Raises
    ------
    ValueError
        When a part has no placeholder line in the docstring (a misspelt name).

    Examples
    --------
    >>> @fill_doc(extra="horizon : int\\n    Months.")
    ... def demo():
    ...     '''Demo.
    ...
    ...     {extra}
    ...     '''
    >>> demo.__doc__.splitlines()[2:4]
    ['    horizon : int', '        Months.']
    """
    def wrap(func):
        lines, used = [], set()
        for line in (func.__doc__ or "").split("\n"):
            key = line.strip()[1:-1] if line.strip().startswith("{") else None
            if key in parts and line.strip() == "{" + key + "}":
                indent = line[: len(line) - len(line.lstrip())]
                lines.extend(indent + p if p else p for p in parts[key].split("\n"))
                used.add(key)
            else:
                lines.append(line)
        if set(parts) - used:
            raise ValueError(f"{func.__name__}: no placeholder line for {sorted(set(parts) - used)} "
                             "in the docstring; write each one alone on its line, e.g. '    {window}'.")
        func.__doc__ = "\n".join(lines)
        return func
    return wrap


__all__ = ["BY", "fill_doc", "window_params"]
