"""KPI results as the sections use them: the options a KPI takes, groups that differ
(:func:`kit.flags.flag_differences`), pandas frames.

Examples
--------
>>> sorted(_accepts("win_rate") & {"by", "freq", "start", "end"})
['by', 'end', 'freq', 'start']
"""

from __future__ import annotations

import pandas as pd

from kit import registry
from kit.flags import flag_differences  # noqa: F401  (the sections' import)


def _accepts(name: str) -> set:
    import inspect

    params = inspect.signature(registry.get(name).func).parameters
    return {p for p, v in params.items() if v.kind == inspect.Parameter.KEYWORD_ONLY}


def _pandas(frame) -> pd.DataFrame:
    import narwhals as nw

    f = nw.from_native(frame)
    f = f.collect() if isinstance(f, nw.LazyFrame) else f
    return f.to_pandas()
