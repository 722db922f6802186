"""Quoting helpers for the SQL the loaders send to DuckDB.

Every name and value the loaders put in SQL text goes through :func:`ident` or
:func:`literal`, so that a column called ``order`` or a value with a quote cannot
break a query.

Examples
--------
>>> ident("order")
'"order"'
>>> ident('a"b') == '"a""b"'
True
>>> literal("l'été")
"'l''été'"
>>> literal(None), literal(3)
('NULL', '3')
"""

from __future__ import annotations


def ident(name: str) -> str:
    """Quote ``name`` as a SQL identifier."""
    return '"' + str(name).replace('"', '""') + '"'


def literal(value) -> str:
    """Quote a Python value (str, int, float, bool, None) as a SQL literal."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def literal_list(values) -> str:
    """A parenthesised list of literals, for ``IN (...)``.

    Examples
    --------
    >>> literal_list(["a", "b"])
    "('a', 'b')"
    """
    return "(" + ", ".join(literal(v) for v in values) + ")"
