"""Top groups and "others" of a KPI broken down by many groups (kit.groups)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kit.groups import OTHERS, top_groups
from kit.stats import wilson_interval


def reps_frame(n=30) -> pd.DataFrame:
    """n reps; rep i closed i + 1 deals and won i // 2 of them."""
    den = np.arange(1, n + 1, dtype=float)
    num = np.floor(np.arange(n) / 2)
    lo, hi = wilson_interval(num, den)
    return pd.DataFrame({"rep_id": [f"R{i:02d}" for i in range(1, n + 1)], "value": num / den,
                         "numerator": num, "denominator": den, "ci_low": lo, "ci_high": hi,
                         "low_sample": den < 30})


def test_a_rate_of_the_others_is_recomputed_from_numerators_and_denominators():
    df = reps_frame()
    out = top_groups(df, "rep_id", "win_rate", label="Others (19)")
    # the 11 largest denominators: R20..R30, kept in their order; then the others R01..R19
    assert out.frame["rep_id"].tolist() == [f"R{i}" for i in range(20, 31)] + ["Others (19)"]
    assert (out.n_others, out.combined) == (19, True)
    others = out.frame.iloc[-1]
    num, den = sum(i // 2 for i in range(19)), sum(range(1, 20))  # 81 / 190
    assert (others["numerator"], others["denominator"]) == (num, den)
    assert others["value"] == pytest.approx(num / den)
    # not the mean of the 19 rates
    assert others["value"] != pytest.approx(df["value"].iloc[:19].mean())
    lo, hi = wilson_interval(np.array([num]), np.array([den]))
    assert (others["ci_low"], others["ci_high"]) == (pytest.approx(lo[0]), pytest.approx(hi[0]))
    assert bool(others["low_sample"]) is False and bool(others[OTHERS]) is True
    assert out.frame[OTHERS].tolist() == [False] * 11 + [True]


def test_a_sum_a_share_and_what_cannot_be_combined():
    rev = pd.DataFrame({"product_id": [f"P{i}" for i in range(20)], "value": np.arange(20.0),
                        "n_orders": [2.0] * 20})
    out = top_groups(rev, "product_id", "revenue", max_groups=5, label="others")
    # the 4 largest revenues P16..P19; others: 0 + 1 + ... + 15 = 120, 16 x 2 orders
    assert out.frame["value"].tolist() == [16.0, 17.0, 18.0, 19.0, 120.0]
    assert out.frame["n_orders"].iloc[-1] == 32.0
    share = pd.DataFrame({"product_id": [f"P{i}" for i in range(20)], "numerator": np.arange(20.0),
                          "denominator": [190.0] * 20})
    share["value"] = share["numerator"] / 190
    out = top_groups(share, "product_id", "revenue_share", max_groups=5)
    # others: 120 of the common total 190 (not 120 / (16 x 190))
    assert out.frame.iloc[-1][["numerator", "denominator"]].tolist() == [120.0, 190.0]
    assert out.frame["value"].sum() == pytest.approx(1.0)
    cycle = pd.DataFrame({"rep_id": [f"R{i}" for i in range(20)], "value": np.arange(20.0),
                          "n": np.arange(1.0, 21.0)})
    out = top_groups(cycle, "rep_id", "sales_cycle", max_groups=5)
    # a median cannot be combined: the 4 largest groups, the 16 others left out
    assert out.frame["rep_id"].tolist() == ["R16", "R17", "R18", "R19"]
    assert (out.n_others, out.combined) == (16, False)


def test_few_groups_are_left_as_they_are():
    df = reps_frame(12)
    out = top_groups(df, "rep_id", "win_rate")
    pd.testing.assert_frame_equal(out.frame, df)
    assert (out.n_others, out.combined) == (0, False)
