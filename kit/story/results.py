"""KPI results as the sections use them: groups that differ
(:func:`kit.flags.flag_differences`), pandas frames (:func:`kit.frames.to_pandas`).

The options a KPI takes are its spec's (``kit.registry.get(name).options``).

Examples
--------
>>> import polars as pl
>>> _pandas(pl.DataFrame({"a": [1]}))["a"].tolist()
[1]
"""

from __future__ import annotations

from kit.flags import flag_differences  # noqa: F401  (the sections' import)
from kit.frames import to_pandas as _pandas  # noqa: F401  (the sections' import)
