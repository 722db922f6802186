"""A table as read from its source, before renaming, typing and validation.

What the readers of :mod:`kit.io.sources` (files, frames), :mod:`kit.io.sql`
(databases) and :mod:`kit.io.presets` (CRM exports) hand to the checks of
:mod:`kit.io.validate`.

Examples
--------
>>> raw = RawTable("leads", "leads.csv", frame=with_lines(pd.DataFrame({"lead_id": ["L1", "L2"]})))
>>> raw.frame["_line"].tolist(), raw.lazy
([2, 3], False)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kit.io.files import LINE


@dataclass
class RawTable:
    """One table as read, before renaming, typing and validation."""

    table: str
    origin: str
    frame: pd.DataFrame | None = None
    sql: str | None = None
    path: Path | None = None

    @property
    def lazy(self) -> bool:
        """Whether the table is read lazily by DuckDB (Parquet, DuckDB database)."""
        return self.sql is not None


def is_url(source) -> bool:
    """Whether ``source`` is a database URL such as ``sqlite:///crm.db``.

    Examples
    --------
    >>> is_url("sqlite:///crm.db"), is_url("data/sample")
    (True, False)
    """
    return isinstance(source, str) and "://" in source


def with_lines(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with a plain index and ``_line`` (row position + 2).

    Examples
    --------
    >>> with_lines(pd.DataFrame({"a": ["x", "y"]}, index=[10, 20]))["_line"].tolist()
    [2, 3]
    """
    out = frame.reset_index(drop=True)
    if LINE in out.columns:
        out = out.drop(columns=[LINE])
    return out.assign(**{LINE: np.arange(2, len(out) + 2, dtype="int64")})
