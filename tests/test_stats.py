"""Statistics (kit.stats): group-vs-rest comparisons corrected over the groups of a table."""

from __future__ import annotations

import time

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

from kit.errors import ParameterError
from kit.stats import LOW_SAMPLE, compare_to_rest, correction_method


def _flagged_tables(successes, trials, method) -> np.ndarray:
    """For each table (row) of a 2-D array of counts: whether any group is flagged."""
    return np.array([compare_to_rest(k, n, method=method)["differs"].any() for k, n in zip(successes, trials)])


def test_no_real_difference_flags_about_5_percent_of_tables_and_uncorrected_far_more():
    rng = np.random.default_rng(20)
    trials = np.full((200, 20), 200)
    successes = rng.binomial(trials, 0.3)  # 200 tables of 20 groups, all at 30 %
    start = time.perf_counter()
    holm = _flagged_tables(successes, trials, "holm").mean()
    elapsed = time.perf_counter() - start
    bh = _flagged_tables(successes, trials, "bh").mean()
    none = _flagged_tables(successes, trials, None).mean()
    assert holm <= 0.08 and bh <= 0.08
    # 20 tests at 5 % each: about 1 - 0.95**20 = 64 % of tables show a flag
    assert none >= 0.45 and none >= 6 * max(holm, 0.01)
    assert elapsed < 2


def test_a_clearly_different_group_is_still_flagged():
    rng = np.random.default_rng(7)
    trials = np.full((200, 20), 200)
    rates = np.full(20, 0.3)
    rates[4] = 0.1  # one group at 10 % against 30 %, 200 trials each
    successes = rng.binomial(trials, rates)
    out = [compare_to_rest(k, n) for k, n in zip(successes, trials)]
    assert all(o["differs"][4] for o in out)
    assert max(o["p_adjusted"][4] for o in out) < 0.001


def test_three_groups_by_hand():
    # pooled rate 88/300 = 0.29333; se = sqrt(0.29333 * 0.70667 * (1/100 + 1/200)) = 0.055761
    # A: 0.20 against 68/200 = 0.34, z = -0.14 / 0.055761 = -2.5107, p = 0.012049
    # B: 0.30 against 58/200 = 0.29, z = 0.1793, p = 0.857674
    # C: 0.38 against 50/200 = 0.25, z = 2.3314, p = 0.019734
    out = compare_to_rest([20, 30, 38], [100, 100, 100])
    assert out["rest_rate"].tolist() == pytest.approx([0.34, 0.29, 0.25])
    assert out["p_value"].tolist() == pytest.approx([0.012049, 0.857674, 0.019734], rel=1e-4)
    # Holm, smallest first: A 3 x 0.012049 = 0.036148; C max(0.036148, 2 x 0.019734) = 0.039469;
    # B max(0.039469, 1 x 0.857674) = 0.857674
    assert out["p_adjusted"].tolist() == pytest.approx([0.036148, 0.857674, 0.039469], rel=1e-4)
    assert out["differs"].tolist() == [True, False, True]
    # Benjamini-Hochberg, largest first: B 0.857674 x 3/3; C min(0.857674, 0.019734 x 3/2) = 0.029601;
    # A min(0.029601, 0.012049 x 3/1 = 0.036148) = 0.029601
    bh = compare_to_rest([20, 30, 38], [100, 100, 100], method="bh")
    assert bh["p_adjusted"].tolist() == pytest.approx([0.029601, 0.857674, 0.029601], rel=1e-4)
    assert bh["p_value"].tolist() == out["p_value"].tolist()
    assert compare_to_rest([20, 30, 38], [100] * 3, method=None)["p_adjusted"].tolist() == \
        out["p_value"].tolist()


@pytest.mark.parametrize(("method", "statsmodels"), [("holm", "holm"), ("bh", "fdr_bh")])
def test_p_values_and_adjusted_p_values_match_statsmodels(method, statsmodels):
    rng = np.random.default_rng(3)
    n = rng.integers(30, 400, size=12)
    k = rng.binomial(n, rng.uniform(0.15, 0.45, size=12))
    out = compare_to_rest(k, n, method=method)
    rest_k, rest_n = k.sum() - k, n.sum() - n
    one_by_one = [proportions_ztest([k[i], rest_k[i]], [n[i], rest_n[i]])[1] for i in range(12)]
    assert out["p_value"].tolist() == pytest.approx(one_by_one, rel=1e-9)
    adjusted = multipletests(one_by_one, method=statsmodels)[1]
    assert out["p_adjusted"].tolist() == pytest.approx(adjusted.tolist(), rel=1e-9)
    assert out["differs"].tolist() == (adjusted < 0.05).tolist()


@pytest.mark.parametrize("p", [[0.01, 0.01, 0.04, 0.5], [0.3, 0.2, 0.9, 1.0, 0.25], [1e-12], [0.04, 0.03]])
def test_holm_written_without_multipletests_gives_its_values(p):
    from kit.stats import _adjusted

    expected = multipletests(p, method="holm")[1]
    assert _adjusted(np.array(p), "holm").tolist() == pytest.approx(expected.tolist(), rel=1e-12)


def test_untestable_groups_do_not_count_in_the_correction():
    out = compare_to_rest([20, 0, 30, 38], [100, 0, 100, 100])
    assert np.isnan(out["p_value"][1]) and np.isnan(out["p_adjusted"][1]) and not out["differs"][1]
    three = compare_to_rest([20, 30, 38], [100, 100, 100])
    assert out["p_adjusted"].drop(1).tolist() == pytest.approx(three["p_adjusted"].tolist())
    # every trial a failure: nothing to compare, nothing flagged
    assert compare_to_rest([0, 0], [50, 50])["p_value"].isna().all()


def test_small_groups_are_tested_but_never_flagged():
    # 0 of 20 against 90 of 300: p_adjusted < 0.05 but a small sample
    out = compare_to_rest([0, 30, 30, 30], [20, 100, 100, 100])
    assert out["low_sample"].tolist() == [True, False, False, False]
    assert out["p_adjusted"][0] < 0.05 and not out["differs"][0]
    # it counts in the correction: Holm multiplies the smallest of 4 p-values by 4
    assert out["p_adjusted"][0] == pytest.approx(4 * out["p_value"][0])
    assert 20 < LOW_SAMPLE
    marked = compare_to_rest([0, 30, 30, 30], [20, 100, 100, 100], low_sample=[False] * 4)
    assert marked["differs"][0]


@pytest.mark.parametrize(("method", "expected"), [
    ("holm", "holm"), ("Holm", "holm"), ("bh", "fdr_bh"), ("BH", "fdr_bh"), ("fdr_bh", "fdr_bh"),
    ("Benjamini-Hochberg", "fdr_bh"), ("none", None), (" None ", None), (None, None),
])
def test_readable_method_names(method, expected):
    assert correction_method(method) == expected


@pytest.mark.parametrize("method", ["bonferroni", "", 0.05, True])
def test_an_unknown_method_says_what_is_allowed(method):
    with pytest.raises(ParameterError, match=r"method=.* is not a multiple-comparison correction the kit "
                                             r"knows; allowed values: 'holm', 'bh', 'fdr_bh', "
                                             r"'benjamini-hochberg', 'none' or None\. Use method='holm'"):
        compare_to_rest([10, 20], [100, 100], method=method)
