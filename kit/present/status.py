"""The one status rule: is the month's change of a KPI beyond noise, and which way does it go?

Every surface (notebooks, the styled scorecard, the dashboard, ``index.html``,
``kpis.json``) shows the status decided here, with the same word and symbol:

``better`` / ``worse``
    The change from the previous month is beyond noise and goes the KPI's good
    (or bad) way.
``unclear``
    No clear change: within noise, or a KPI without a direction.
``unknown``
    Not known yet: the month's value (or the previous month's) rests on a low
    sample (flagged ``low_sample`` by the KPI, or a mean over fewer than 30 counted
    records) or on a mostly censored cohort (more than half too recent to tell).
``nodata``
    No value for the month or for the previous month.

How "beyond noise" is decided depends on what the KPI is (:func:`noise_model`):

- a proportion (a ratio of counts, e.g. win rate): a two-sided two-proportion
  z-test of the two months' numerators and denominators
  (:func:`statsmodels.stats.proportion.proportions_ztest`), p < 0.05;
- a count (leads, calls): an exact test of the two counts under a Poisson model,
  conditional on their sum (a binomial test with p = 1/2,
  :func:`scipy.stats.binomtest`), p < 0.05;
- anything else (amounts, means, days, scores): when the month has a 95 %
  interval, the previous value must lie outside it; without an interval the
  change must exceed 5 % of the previous value (:data:`RELATIVE_THRESHOLD`).

A target, when the KPI has one, gives ``above``, ``below`` or ``on`` (within 1 %,
:data:`ON_TARGET`) separately from the change.

Examples
--------
>>> decide({"name": "win_rate", "value": 0.6, "previous": 0.3, "numerator": 60,
...         "denominator": 100, "previous_numerator": 30, "previous_denominator": 100})["status"]
'better'
>>> decide({"name": "win_rate", "value": 0.35, "previous": 0.3, "numerator": 70,
...         "denominator": 200, "previous_numerator": 60, "previous_denominator": 200})["status"]
'unclear'
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from kit import registry
from kit.stats import LOW_SAMPLE

#: The five statuses, best first.
STATUSES = ("better", "worse", "unclear", "unknown", "nodata")
#: Significance level of the tests.
ALPHA = 0.05
#: Share of a cohort still too recent to tell above which its value is not known yet.
MOSTLY_CENSORED = 0.5
#: Without a sampling model or an interval, a change must exceed this share of the previous value.
RELATIVE_THRESHOLD = 0.05
#: A value within this share of its target is on target.
ON_TARGET = 0.01


def _num(v) -> float:
    try:
        return float(v) if v is not None and not pd.isna(v) else math.nan
    except (TypeError, ValueError):
        return math.nan


def _true(v) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v)) and v is not pd.NA and bool(v)


def noise_model(spec) -> str:
    """``"proportion"``, ``"count"`` or ``"interval"``: how a change of ``spec`` is tested.

    A ratio whose numerator is a count (not money) is a proportion; a KPI in the
    ``count`` unit is a count; everything else uses its interval, or the relative
    threshold when it has none.

    Examples
    --------
    >>> from kit import registry
    >>> [noise_model(registry.get(n)) for n in ("win_rate", "leads_generated", "revenue",
    ...                                          "revenue_vs_target")]
    ['proportion', 'count', 'interval', 'interval']
    """
    if spec.unit == "count":
        return "count"
    if spec.unit == "ratio" and spec.columns.get("numerator", ("count",))[0] == "count":
        return "proportion"
    return "interval"


def censored_share(n, n_censored) -> float:
    """Share of a cohort too recent to tell: ``n_censored / (n + n_censored)``; NaN without one.

    Examples
    --------
    >>> round(censored_share(3, 158), 3), censored_share(10, None)
    (0.981, nan)
    """
    n, c = _num(n), _num(n_censored)
    if math.isnan(c) or math.isnan(n) or n + c <= 0:
        return math.nan
    return c / (n + c)


def not_known_yet(low_sample, n, n_censored) -> bool:
    """Whether a value rests on a low sample or on a mostly censored cohort.

    Examples
    --------
    >>> not_known_yet(False, 3, 158), not_known_yet(True, 12, 0), not_known_yet(None, 50, 10)
    (True, True, False)
    """
    share = censored_share(n, n_censored)
    return _true(low_sample) or (not math.isnan(share) and share > MOSTLY_CENSORED)


def proportion_p_value(k1, n1, k0, n0) -> float:
    """Two-sided p-value of the two-proportion z-test of ``k1/n1`` against ``k0/n0``.

    NaN when a denominator is zero or missing; 1.0 when both proportions are 0 or 1.

    Examples
    --------
    >>> round(proportion_p_value(60, 100, 30, 100), 5)
    2e-05
    >>> round(proportion_p_value(7, 20, 6, 20), 2)
    0.74
    """
    from statsmodels.stats.proportion import proportions_ztest

    k1, n1, k0, n0 = (_num(v) for v in (k1, n1, k0, n0))
    if any(math.isnan(v) for v in (k1, n1, k0, n0)) or n1 <= 0 or n0 <= 0:
        return math.nan
    if (k1 + k0) in (0, n1 + n0):
        return 1.0
    with np.errstate(all="ignore"):
        _, p = proportions_ztest([k1, k0], [n1, n0])
    return float(p)


def count_p_value(c1, c0) -> float:
    """Two-sided p-value of the exact test of two Poisson counts (binomial, conditional on the sum).

    NaN when a count is missing, negative or not a whole number; 1.0 when both are 0.

    Examples
    --------
    >>> round(count_p_value(161, 172), 2), round(count_p_value(394, 297), 5)
    (0.58, 0.00025)
    """
    from scipy.stats import binomtest

    c1, c0 = _num(c1), _num(c0)
    if math.isnan(c1) or math.isnan(c0) or c1 < 0 or c0 < 0 or c1 != int(c1) or c0 != int(c0):
        return math.nan
    if c1 + c0 == 0:
        return 1.0
    return float(binomtest(int(c1), int(c1 + c0), 0.5).pvalue)


def target_status(value, target) -> str | None:
    """``"above"``, ``"below"`` or ``"on"`` (within :data:`ON_TARGET`) its target; None without one.

    Examples
    --------
    >>> target_status(1.14, 1.0), target_status(0.995, 1.0), target_status(5.0, None)
    ('above', 'on', None)
    """
    v, t = _num(value), _num(target)
    if math.isnan(v) or math.isnan(t):
        return None
    if abs(v - t) <= ON_TARGET * abs(t):
        return "on"
    return "above" if v > t else "below"


def _low(spec, low_sample, denominator) -> bool:
    """``low_sample`` when the KPI gives it, else whether a counted denominator is under 30."""
    if low_sample is not None and low_sample is not pd.NA and not (isinstance(low_sample, float)
                                                                   and math.isnan(low_sample)):
        return bool(low_sample)
    d = _num(denominator)
    counted = spec.columns.get("denominator", ("count",))[0] == "count"
    return counted and not math.isnan(d) and d < LOW_SAMPLE


def decide(row, spec=None) -> dict:
    """The status of one headline row, with the test behind it.

    Parameters
    ----------
    row : mapping
        ``name`` (a registered KPI, unless ``spec`` is given), ``value``,
        ``previous`` and when known ``numerator``, ``denominator``,
        ``previous_numerator``, ``previous_denominator``, ``ci_low``, ``ci_high``,
        ``low_sample``, ``previous_low_sample``, ``n_censored``,
        ``previous_n_censored``, ``target``; a ``change`` alone stands for
        ``value - previous``.
    spec : KPISpec, optional

    Returns
    -------
    dict
        ``status`` (one of :data:`STATUSES`), ``test`` (``"proportion"``,
        ``"count"``, ``"interval"``, ``"threshold"`` or None), ``p_value`` (NaN
        when no test ran), ``target_status`` (``"above"``, ``"below"``, ``"on"`` or
        None; None too when the value is not known yet), ``why`` (``"value"``,
        ``"previous"``, ``"sample"``, ``"previous_sample"`` or None: what made the
        status ``nodata`` or ``unknown``).

    Examples
    --------
    >>> decide({"name": "leads_generated", "value": 394, "previous": 297})["status"]
    'better'
    >>> decide({"name": "leads_generated", "value": 161, "previous": 172})["status"]
    'unclear'
    >>> decide({"name": "never_engaged_rate", "value": 0.0, "previous": 0.37, "numerator": 0,
    ...         "denominator": 3, "n_censored": 158})["status"]
    'unknown'
    >>> r = decide({"name": "revenue_vs_target", "value": 1.14, "previous": 1.59, "target": 1.0})
    >>> r["status"], r["target_status"], r["test"]
    ('worse', 'above', 'threshold')
    """
    spec = spec if spec is not None else registry.get(row["name"])
    get = row.get
    value, previous = _num(get("value")), _num(get("previous"))
    if math.isnan(previous) and not math.isnan(value) and not math.isnan(_num(get("change"))) \
            and "previous" not in row:
        previous = value - _num(get("change"))
    out = {"status": "nodata", "test": None, "p_value": math.nan, "target_status": None, "why": "value"}
    if math.isnan(value):
        return out
    if not_known_yet(_low(spec, get("low_sample"), get("denominator")), get("denominator"),
                     get("n_censored")):
        return {**out, "status": "unknown", "why": "sample"}
    out["target_status"] = target_status(value, get("target"))
    if math.isnan(previous):
        return {**out, "why": "previous"}
    if not_known_yet(_low(spec, get("previous_low_sample"), get("previous_denominator")),
                     get("previous_denominator"), get("previous_n_censored")):
        return {**out, "status": "unknown", "why": "previous_sample"}
    out["why"] = None
    model, p = noise_model(spec), math.nan
    if model == "proportion":
        p = proportion_p_value(get("numerator"), get("denominator"),
                               get("previous_numerator"), get("previous_denominator"))
    elif model == "count":
        p = count_p_value(value, previous)
    if not math.isnan(p):
        out.update(test=model, p_value=p)
        clear = p < ALPHA
    else:
        lo, hi = _num(get("ci_low")), _num(get("ci_high"))
        if not math.isnan(lo) and not math.isnan(hi):
            out["test"] = "interval"
            clear = not lo <= previous <= hi
        else:
            out["test"] = "threshold"
            clear = abs(value - previous) > RELATIVE_THRESHOLD * abs(previous) if previous != 0 \
                else value != 0
    if not clear or value == previous or spec.direction not in ("higher", "lower"):
        return {**out, "status": "unclear"}
    better = (value > previous) == (spec.direction == "higher")
    return {**out, "status": "better" if better else "worse"}


#: Columns :func:`status_frame` adds.
STATUS_COLUMNS = ["status", "target_status", "test", "p_value"]


def status_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` (one row per KPI, a ``name`` column) with :data:`STATUS_COLUMNS` from :func:`decide`.

    Examples
    --------
    >>> df = pd.DataFrame({"name": ["leads_generated"], "value": [394.0], "previous": [297.0]})
    >>> status_frame(df)[["status", "test"]].to_dict("records")
    [{'status': 'better', 'test': 'count'}]
    """
    out = df.copy()
    decided = [decide(r) for r in df.to_dict("records")]
    for col in STATUS_COLUMNS:
        out[col] = [d[col] for d in decided]
    out["p_value"] = out["p_value"].astype(float)
    return out
