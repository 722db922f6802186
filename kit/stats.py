"""Statistics used by the KPIs: intervals, group comparisons, trends, survival.

Thin, vectorised wrappers around scipy, statsmodels and lifelines so that KPI code
states *what* it estimates, never re-derives a formula those libraries provide.

Examples
--------
>>> from kit.stats import wilson_interval
>>> low, high = wilson_interval([15], [50])
>>> round(float(low[0]), 3), round(float(high[0]), 3)
(0.191, 0.438)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit.errors import ParameterError

#: Denominators under this are flagged ``low_sample``.
LOW_SAMPLE = 30


def wilson_interval(successes, trials, alpha: float = 0.05):
    """95 % Wilson score interval of a proportion, vectorised.

    Zero trials give missing bounds (never an exception).

    Parameters
    ----------
    successes, trials : array-like
        Counts; ``successes <= trials``.
    alpha : float
        1 - confidence level.

    Returns
    -------
    (low, high) : tuple of numpy arrays of float

    Examples
    --------
    >>> low, high = wilson_interval([0, 5], [0, 10])
    >>> bool(np.isnan(low[0])), round(float(low[1]), 3), round(float(high[1]), 3)
    (True, 0.237, 0.763)
    """
    from statsmodels.stats.proportion import proportion_confint

    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    ok = n > 0
    low = np.full(k.shape, np.nan)
    high = np.full(k.shape, np.nan)
    if ok.any():
        lo, hi = proportion_confint(k[ok], n[ok], alpha=alpha, method="wilson")
        low[ok], high[ok] = lo, hi
    return low, high


#: ``method=`` of :func:`compare_to_rest`, as written by a user -> statsmodels' name
#: (``None``: one test per group at ``alpha``, no correction).
CORRECTIONS = {"holm": "holm", "bh": "fdr_bh", "fdr_bh": "fdr_bh", "benjamini-hochberg": "fdr_bh",
               "none": None}


def correction_method(method) -> str | None:
    """The statsmodels name of a multiple-comparison correction written ``method``.

    Accepts ``"holm"``, ``"bh"``/``"fdr_bh"``/``"benjamini-hochberg"`` and
    ``None``/``"none"``, in any case.

    Raises
    ------
    ParameterError
        For any other value, naming the values allowed.

    Examples
    --------
    >>> correction_method("BH"), correction_method("holm"), correction_method(None)
    ('fdr_bh', 'holm', None)
    """
    if method is None:
        return None
    key = method.strip().lower() if isinstance(method, str) else method
    if key not in CORRECTIONS:
        raise ParameterError(
            f"method={method!r} is not a multiple-comparison correction the kit knows; allowed "
            f"values: {', '.join(repr(k) for k in CORRECTIONS)} or None. Use method='holm' (the "
            "default) to keep the chance of any false flag in a table under alpha, 'bh' to keep "
            "the expected share of false flags under alpha, or None for one test per group."
        )
    return CORRECTIONS[key]


def _adjusted(p: np.ndarray, correction: str) -> np.ndarray:
    """p-values adjusted by ``correction`` (``"holm"`` or ``"fdr_bh"``), as statsmodels' ``multipletests``.

    Holm's step-down is written here because ``multipletests(method="holm")`` runs a
    full ``gc.collect()`` on every call (statsmodels PR #8671): about 50 ms per table
    on this project's machine, 27 s for the 200 tables of tests/test_stats.py. The
    values are the same (tests/test_stats.py compares them with ``multipletests``).
    """
    if correction == "holm":
        order = np.argsort(p, kind="stable")
        steps = np.maximum.accumulate(p[order] * np.arange(len(p), 0, -1))  # m x smallest, (m-1) x next...
        out = np.empty_like(p)
        out[order] = np.minimum(steps, 1.0)
        return out
    from statsmodels.stats.multitest import multipletests

    return multipletests(p, method=correction)[1]


def compare_to_rest(successes, trials, alpha: float = 0.05, method="holm",
                    low_sample=None) -> pd.DataFrame:
    """Compare each group's proportion with the pooled rest of the groups, over the whole table.

    Each group ``i`` is tested against all the other groups together with a
    two-proportion z-test (statsmodels' score test, no continuity correction: the
    pooled z-test). Testing many groups at ``alpha`` would flag some by chance
    alone (7 groups that do not differ: about 30 % of tables show a flag), so the
    p-values are adjusted over the groups tested (as statsmodels ``multipletests``):
    Holm's correction by default keeps the chance of *any* false flag in the table
    under ``alpha``. Small groups are tested (they count in the correction) but
    never flagged: their test is too weak to act on alone.

    Parameters
    ----------
    successes, trials : array-like
        Counts per group.
    alpha : float
        Level of the flag, applied to the adjusted p-value.
    method : {"holm", "bh", "fdr_bh", "benjamini-hochberg", "none", None}
        Correction over the groups: Holm (family-wise error), Benjamini-Hochberg
        (false discovery rate) or none.
    low_sample : array-like of bool, optional
        Groups never flagged (default: fewer than :data:`LOW_SAMPLE` trials).

    Returns
    -------
    DataFrame, one row per input group in input order: ``rest_rate``, ``p_value``
    (the group's own test), ``p_adjusted`` (after the correction), ``low_sample``
    and ``differs`` (``p_adjusted < alpha`` and not a small sample). Groups that
    cannot be tested (no trials, no rest, or every trial of the table a success or
    every one a failure) have missing p-values and do not count in the correction.

    Raises
    ------
    ParameterError
        When ``method`` is not one of the corrections above.

    Examples
    --------
    Two of four groups pass p < 0.05 on their own, none after Holm's correction
    (4 x the smallest p-value, then 3 x the next, ...), both after Benjamini-Hochberg:

    >>> out = compare_to_rest([18, 30, 36, 25], [100] * 4)
    >>> out["p_value"].round(3).tolist(), out["p_adjusted"].round(3).tolist()
    ([0.016, 0.476, 0.023, 0.56], [0.066, 0.951, 0.07, 0.951])
    >>> out["differs"].tolist(), round(float(out["rest_rate"][0]), 3)
    ([False, False, False, False], 0.303)
    >>> compare_to_rest([18, 30, 36, 25], [100] * 4, method="bh")["differs"].tolist()
    [True, False, True, False]
    """
    from statsmodels.stats.proportion import test_proportions_2indep

    correction = correction_method(method)
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    small = n < LOW_SAMPLE if low_sample is None else np.asarray(low_sample, dtype=bool)
    rest_k, rest_n = k.sum() - k, n.sum() - n
    p = np.full(k.shape, np.nan)
    tested = (n > 0) & (rest_n > 0) & (k + rest_k > 0) & (k + rest_k < n + rest_n)
    if tested.any():
        p[tested] = test_proportions_2indep(k[tested], n[tested], rest_k[tested], rest_n[tested],
                                            method="score", correction=False).pvalue
    adjusted = p.copy()
    if correction is not None and tested.any():
        adjusted[tested] = _adjusted(p[tested], correction)
    with np.errstate(invalid="ignore", divide="ignore"):
        rest_rate = np.where(rest_n > 0, rest_k / np.where(rest_n > 0, rest_n, 1), np.nan)
    return pd.DataFrame({"rest_rate": rest_rate, "p_value": p, "p_adjusted": adjusted,
                         "low_sample": small, "differs": (adjusted < alpha) & ~small})


def trend(periods, values, weights=None) -> dict:
    """Slope per month of ``values`` over ``periods``, with its p-value (OLS/WLS).

    Parameters
    ----------
    periods : array-like of timestamps
    values : array-like of float
    weights : array-like, optional
        E.g. denominators, for a weighted least squares fit.

    Returns
    -------
    dict with ``slope_per_month``, ``p_value``, ``n_periods``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = trend(pd.date_range("2026-01-01", periods=6, freq="MS"), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    >>> round(t["slope_per_month"], 3)
    0.1
    """
    import statsmodels.api as sm

    p = pd.to_datetime(pd.Series(periods)).reset_index(drop=True)
    y = pd.Series(values, dtype=float).reset_index(drop=True)
    w = None if weights is None else pd.Series(weights, dtype=float).reset_index(drop=True)
    ok = y.notna() & p.notna()
    if w is not None:
        ok &= w.notna() & (w > 0)
    if ok.sum() < 3:
        return {"slope_per_month": np.nan, "p_value": np.nan, "n_periods": int(ok.sum())}
    months = (p[ok].dt.year * 12 + p[ok].dt.month).astype(float)
    X = sm.add_constant(months.to_numpy())
    model = sm.WLS(y[ok].to_numpy(), X, weights=w[ok].to_numpy()) if w is not None else sm.OLS(y[ok].to_numpy(), X)
    fit = model.fit()
    return {"slope_per_month": float(fit.params[1]), "p_value": float(fit.pvalues[1]),
            "n_periods": int(ok.sum())}


def km_median(durations, observed, weights=None) -> float:
    """Kaplan-Meier median of ``durations`` with censoring (lifelines).

    Parameters
    ----------
    durations : array-like of float
        Time observed for each subject (to the event, or to the end of data).
    observed : array-like of bool
        True where the event happened, False where the subject is censored.
    weights : array-like of int, optional
        How many subjects each row stands for (e.g. counts of a table aggregated by
        duration and outcome); rows with a zero weight are ignored.

    Returns
    -------
    float: the median survival time, ``inf`` when fewer than half had the event,
    ``nan`` on empty input.

    Examples
    --------
    >>> km_median([1, 2, 3, 4], [True, True, True, True])
    2.0
    >>> km_median([1, 2, 30, 40], [True, False, False, False])
    inf
    >>> km_median([1, 2], [True, True], weights=[1, 3])  # same as [1, 2, 2, 2]
    2.0
    """
    from lifelines import KaplanMeierFitter

    d = np.asarray(durations, dtype=float)
    e = np.asarray(observed, dtype=bool)
    ok = ~np.isnan(d)
    w = None
    if weights is not None:
        w = np.asarray(weights, dtype=float)
        ok &= ~np.isnan(w) & (w > 0)
    if ok.sum() == 0:
        return float("nan")
    kmf = KaplanMeierFitter().fit(d[ok], e[ok], weights=None if w is None else w[ok])
    return float(kmf.median_survival_time_)


def km_curve(durations, observed) -> pd.DataFrame:
    """Kaplan-Meier curve as a tidy frame: ``days``, ``share_converted``, ``ci_low``, ``ci_high``.

    Examples
    --------
    >>> km_curve([1, 2, 3], [True, True, False]).columns.tolist()
    ['days', 'share_converted', 'ci_low', 'ci_high']
    """
    from lifelines import KaplanMeierFitter

    d = np.asarray(durations, dtype=float)
    e = np.asarray(observed, dtype=bool)
    ok = ~np.isnan(d)
    kmf = KaplanMeierFitter().fit(d[ok], e[ok])
    sf = kmf.survival_function_.iloc[:, 0]
    ci = kmf.confidence_interval_survival_function_
    return pd.DataFrame({
        "days": sf.index.to_numpy(dtype=float),
        "share_converted": 1 - sf.to_numpy(),
        "ci_low": 1 - ci.iloc[:, 1].to_numpy(),
        "ci_high": 1 - ci.iloc[:, 0].to_numpy(),
    })


def correlation(x, y) -> dict:
    """Pearson correlation with its p-value (scipy); ``nan`` under 3 pairs.

    Examples
    --------
    >>> round(correlation([1, 2, 3, 4], [2, 4, 6, 8.5])["r"], 3)
    0.998
    """
    from scipy import stats as st

    a = pd.Series(x, dtype=float).reset_index(drop=True)
    b = pd.Series(y, dtype=float).reset_index(drop=True)
    ok = a.notna() & b.notna()
    if ok.sum() < 3 or a[ok].nunique() < 2 or b[ok].nunique() < 2:
        return {"r": np.nan, "p_value": np.nan, "n": int(ok.sum())}
    r, p = st.pearsonr(a[ok], b[ok])
    return {"r": float(r), "p_value": float(p), "n": int(ok.sum())}
