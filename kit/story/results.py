"""KPI results as the sections use them: the options a KPI takes, groups that differ, pandas frames.

Examples
--------
>>> sorted(_accepts("win_rate") & {"by", "freq", "start", "end"})
['by', 'end', 'freq', 'start']
"""

from __future__ import annotations

import pandas as pd

from kit import registry
from kit.stats import compare_to_rest


def _accepts(name: str) -> set:
    import inspect

    params = inspect.signature(registry.get(name).func).parameters
    return {p for p, v in params.items() if v.kind == inspect.Parameter.KEYWORD_ONLY}


def flag_differences(df: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Add ``rest_rate``, ``p_value`` and ``differs`` to a proportion broken down by group.

    Only for proportions (``numerator``, ``denominator``, ``ci_low``); other results
    are returned unchanged.

    Examples
    --------
    >>> df = pd.DataFrame({"team": ["A", "B", "C", "D"], "value": [0.1, 0.3, 0.3, 0.3],
    ...     "numerator": [10, 30, 30, 30], "denominator": [100] * 4, "ci_low": [0.05, 0.2, 0.2, 0.2]})
    >>> flag_differences(df)["differs"].tolist()
    [True, False, False, False]
    """
    if not {"numerator", "denominator", "ci_low"} <= set(df.columns) or len(df) < 2:
        return df
    cmp = compare_to_rest(df["numerator"].to_numpy(float), df["denominator"].to_numpy(float), alpha=alpha)
    out = df.reset_index(drop=True).copy()
    out["differs"] = cmp["differs"].to_numpy()
    return out


def _pandas(frame) -> pd.DataFrame:
    import narwhals as nw

    f = nw.from_native(frame)
    f = f.collect() if isinstance(f, nw.LazyFrame) else f
    return f.to_pandas()
