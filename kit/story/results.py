"""KPI results as the sections use them: groups that differ
(:func:`kit.flags.flag_differences`), pandas frames.

The options a KPI takes are its spec's (``kit.registry.get(name).options``).

Examples
--------
>>> _pandas(pd.DataFrame({"a": [1]}))["a"].tolist()
[1]
"""

from __future__ import annotations

import pandas as pd

from kit.flags import flag_differences  # noqa: F401  (the sections' import)


def _pandas(frame) -> pd.DataFrame:
    import narwhals as nw

    f = nw.from_native(frame)
    f = f.collect() if isinstance(f, nw.LazyFrame) else f
    return f.to_pandas()
