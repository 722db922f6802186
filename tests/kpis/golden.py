"""Golden file of every KPI on data/sample.

Refresh after an intended change of a KPI or of the sample with ``make golden``
(``python -m tests.kpis.golden``), then review the diff of ``tests/golden/``.
"""

from __future__ import annotations

import inspect
import sys
from functools import lru_cache

import pandas as pd

import kit
from kit import registry
from tests.conftest import ROOT, SAMPLE

GOLDEN = ROOT / "tests" / "golden"


def variants(name: str) -> dict[str, dict]:
    """The option sets each KPI is pinned with: defaults, and monthly when it takes ``freq``."""
    params = inspect.signature(registry.get(name).func).parameters
    out = {"default": {}}
    if "freq" in params:
        out["monthly"] = {"freq": "M"}
    tables = sample_dataset().tables
    if "by" in params and all("team" in tables[t].columns for t in registry.get(name).tables):
        out["by_team"] = {"by": "team"}
    return out


@lru_cache(maxsize=1)
def sample_dataset():
    """The sample loaded once per process (pandas backend)."""
    return kit.load_dataset(SAMPLE)


def canonical(df: pd.DataFrame) -> pd.DataFrame:
    """A frame with rounded floats and ISO dates, so CSV text compares exactly."""
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if pd.api.types.is_datetime64_any_dtype(s):
            out[c] = s.dt.strftime("%Y-%m-%d %H:%M:%S")
        elif pd.api.types.is_float_dtype(s):
            out[c] = s.map(lambda v: "" if pd.isna(v) else f"{v:.10g}")
        elif pd.api.types.is_bool_dtype(s):
            out[c] = s.astype(str)
    return out


def path(name: str, variant: str):
    return GOLDEN / f"{name}.{variant}.csv"


def render(name: str, options: dict) -> str:
    result = kit.compute(sample_dataset(), name, **options)
    return canonical(result).to_csv(index=False, lineterminator="\n")


def refresh() -> int:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for old in GOLDEN.glob("*.csv"):
        old.unlink()
    n = 0
    for name in registry.names():
        for variant, options in variants(name).items():
            path(name, variant).write_text(render(name, options), encoding="utf-8")
            n += 1
    return n


if __name__ == "__main__":  # pragma: no cover
    print(f"wrote {refresh()} golden files to {GOLDEN}", file=sys.stderr)
