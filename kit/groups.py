"""A KPI broken down by many groups, made readable: the largest groups and "others".

With 30 reps a bar chart has 30 bars and a table 30 rows. :func:`top_groups`
keeps the ``max_groups - 1`` largest groups (by denominator, the data behind a
rate, or by value for sums) and combines the rest into one row, computed from
their parts, never averaged:

* a rate or mean (``value = numerator / denominator`` on every row): sum of the
  numerators over sum of the denominators, with its Wilson interval for
  proportions;
* a share of a common total (:data:`SHARES`, e.g. ``revenue_share``): sum of the
  numerators over that total;
* a sum or count (:data:`SUMS`, e.g. ``revenue``): the total, and the total of
  each ``n_*`` count.

Other results (medians, velocities...) cannot be combined: the largest groups are
kept and the others left out (``combined`` is False), for the caller to say so.
The plot helpers only draw what this returns.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"rep_id": [f"R{i:02d}" for i in range(1, 16)],
...     "numerator": [5.0] * 15, "denominator": [10.0] * 14 + [40.0]})
>>> df["value"] = df["numerator"] / df["denominator"]
>>> out = top_groups(df, "rep_id", "win_rate", max_groups=4, label="Others (12)")
>>> out.frame[["rep_id", "numerator", "denominator", "value"]].values.tolist()[-1]
['Others (12)', 60.0, 120.0, 0.5]
>>> len(out.frame), out.n_others, out.combined
(4, 12, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kit import registry
from kit.i18n import check_lang
from kit.stats import LOW_SAMPLE, wilson_interval

#: Groups shown before the smaller ones are combined.
MAX_GROUPS = 12
#: KPIs whose value is a share of one total common to every group.
SHARES = ("revenue_share",)
#: KPIs whose value is a sum or a count: the groups add up.
SUMS = ("revenue", "leads_generated", "conversations", "prospect_calls", "prospecting_emails")
#: Column marking the combined row.
OTHERS = "is_others"
#: Name of the combined row, per language.
LABELS = {"en": "Others ({n})", "fr": "Autres ({n})"}


def others_label(n: int, lang: str = "en") -> str:
    """The name of the row combining ``n`` groups.

    Examples
    --------
    >>> others_label(19, "fr")
    'Autres (19)'
    """
    return LABELS[check_lang(lang)].format(n=n)


@dataclass
class TopGroups:
    """What :func:`top_groups` returns.

    Attributes
    ----------
    frame : DataFrame
        The largest groups, in their original order, then the combined row (when
        ``combined``) with ``is_others`` True.
    n_others : int
        Groups combined (or left out when not ``combined``); 0 when nothing changed.
    combined : bool
        Whether the others are one row of ``frame``.
    """

    frame: pd.DataFrame
    n_others: int = 0
    combined: bool = False


def _is_ratio(df: pd.DataFrame) -> bool:
    if not {"numerator", "denominator", "value"} <= set(df.columns):
        return False
    num, den = (pd.to_numeric(df[c], errors="coerce").astype(float) for c in ("numerator", "denominator"))
    val = pd.to_numeric(df["value"], errors="coerce").astype(float)
    ok = den > 0
    return bool(ok.any()) and np.allclose(val[ok], (num / den)[ok], rtol=1e-9, atol=1e-12, equal_nan=True)


def _size(df: pd.DataFrame, name: str) -> pd.Series:
    """How large each group is: its value for sums and shares, else its denominator, else ``n``."""
    cols = [c for c in ("denominator", "n") if c in df.columns and name not in SUMS + SHARES]
    s = df[cols[0]] if cols else df["value"]
    return pd.to_numeric(s, errors="coerce").astype(float).abs().fillna(0.0)


def top_groups(df: pd.DataFrame, by: str, name: str, *, max_groups: int = MAX_GROUPS,
               label: str = "others") -> TopGroups:
    """The ``max_groups - 1`` largest groups of ``df`` and one row for the others.

    Parameters
    ----------
    df : DataFrame
        A KPI result with one row per value of ``by``.
    by : str
        The group column; the combined row gets ``label`` there.
    name : str
        The KPI (its unit and whether it is a share or a sum).
    max_groups : int
        Most rows returned, the combined one included; ``df`` with no more rows is
        returned as it is.
    label : str
        Name of the combined row (e.g. ``"Others (18)"``).

    Returns
    -------
    TopGroups
        See the module's examples.
    """
    if len(df) <= max_groups or by not in df.columns:
        return TopGroups(df.reset_index(drop=True))
    size = _size(df, name)
    keep = size.rank(method="first", ascending=False) <= max_groups - 1
    top, rest = df[keep], df[~keep]
    row = _combine(rest, name, df)
    if row is None:
        return TopGroups(top.reset_index(drop=True), int(len(rest)), False)
    row[by] = label
    out = pd.concat([top.assign(**{OTHERS: False}), pd.DataFrame([row]).assign(**{OTHERS: True})],
                    ignore_index=True)
    return TopGroups(out[list(df.columns) + [OTHERS]], int(len(rest)), True)


def _combine(rest: pd.DataFrame, name: str, full: pd.DataFrame) -> dict | None:
    """The combined row of ``rest`` (``None`` when the KPI cannot be combined)."""
    row: dict = {c: np.nan for c in full.columns}
    counts = [c for c in full.columns if c.startswith("n_") or c == "n"]
    for c in counts:
        row[c] = float(pd.to_numeric(rest[c], errors="coerce").sum())
    if name in SHARES and {"numerator", "denominator"} <= set(full.columns):
        den = pd.to_numeric(full["denominator"], errors="coerce").dropna().unique()
        if len(den) != 1:
            return None
        row["numerator"] = float(pd.to_numeric(rest["numerator"], errors="coerce").sum())
        row["denominator"] = float(den[0])
        row["value"] = row["numerator"] / row["denominator"] if den[0] else np.nan
    elif _is_ratio(full):
        num = float(pd.to_numeric(rest["numerator"], errors="coerce").sum())
        den = float(pd.to_numeric(rest["denominator"], errors="coerce").sum())
        row.update(numerator=num, denominator=den, value=num / den if den else np.nan)
        if "ci_low" in full.columns and registry.get(name).unit == "ratio":
            lo, hi = wilson_interval(np.array([num]), np.array([den]))
            row["ci_low"], row["ci_high"] = float(lo[0]), float(hi[0])
    elif name in SUMS:
        row["value"] = float(pd.to_numeric(rest["value"], errors="coerce").sum())
    else:
        return None
    if "low_sample" in full.columns:
        row["low_sample"] = bool(row.get("denominator", np.nan) < LOW_SAMPLE) \
            if not pd.isna(row.get("denominator", np.nan)) else False
    return row
