"""Satisfaction KPIs from surveys: CSAT and NPS.

Answers are the rows of ``surveys`` of one ``kind`` (``csat`` or ``nps``) that have a
``score``, dated ``responded_at``. The customer cohorts of the family (repeat
purchases, referrals, returning customers) are in :mod:`kit.kpis.loyalty`.
"""

from __future__ import annotations

import narwhals as nw
import numpy as np
import pandas as pd

from kit.errors import DataError
from kit.kpis._common import _order, aggregate, collect, flag, group_keys, lazy, proportion, window
from kit.kpis._docs import fill_doc, window_params
from kit.registry import kpi
from kit.stats import LOW_SAMPLE


def _answers(surveys, kind: str, by, freq, start, end):
    """``(keys, frame)``: the answers of ``kind`` with a score given in ``[start, end)``, grouped."""
    f = lazy(surveys, "surveys", needs=["kind", "score", "responded_at"])
    f = f.filter((nw.col("kind") == kind) & ~nw.col("score").is_null())
    return group_keys(window(f, "responded_at", start, end), by, freq, "responded_at")


@kpi(
    name="csat", family="satisfaction",
    needs={"surveys": ("kind", "score", "responded_at")},
    label={"en": "Customer satisfaction (CSAT)", "fr": "Satisfaction client (CSAT)"},
    definition={
        "en": "Share of CSAT answers scoring 4 or 5 out of 5, with the mean score and the number of answers.",
        "fr": "Part des réponses CSAT notées 4 ou 5 sur 5, avec la note moyenne et le nombre de réponses.",
    },
    unit="ratio", direction="higher", tables=("surveys",), date="surveys.responded_at",
    headline=True, seeds=("001", "002"),
    noun={"en": ("CSAT answer", "CSAT answers"), "fr": ("réponse CSAT", "réponses CSAT", "f")},
)
@fill_doc(window=window_params("responded_at", "answers given"))
def csat(surveys, *, by=None, freq=None, start=None, end=None):
    """Share of satisfied CSAT answers (score 4 or 5 of 5).

    Parameters
    ----------
    surveys : DataFrame-like
        Needs ``kind``, ``score`` and ``responded_at``; only rows with ``kind ==
        "csat"`` and a score are answers.
    {window}

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value`` (share satisfied), ``numerator``
        (answers 4 or 5), ``denominator`` (answers), ``ci_low``, ``ci_high``,
        ``low_sample``, ``mean_score`` and ``n`` (answers).

    Raises
    ------
    DataError
        When a CSAT answer scores above 5 (the answers use another scale).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"kind": ["csat", "csat", "nps"], "score": [5, 2, 9],
    ...                   "responded_at": pd.to_datetime(["2026-01-05", "2026-01-09", "2026-01-10"])})
    >>> csat(s)[["value", "numerator", "denominator", "mean_score", "n"]].to_dict("records")
    [{'value': 0.5, 'numerator': 1.0, 'denominator': 2.0, 'mean_score': 3.5, 'n': 2}]
    """
    keys, f = _answers(surveys, "csat", by, freq, start, end)
    f = f.with_columns(
        _score=nw.col("score").cast(nw.Float64),
        _satisfied=flag(nw.col("score") >= 4),
        _above=flag(nw.col("score") > 5),
    )
    out = collect(aggregate(f, keys, [
        nw.col("_satisfied").sum().alias("numerator"),
        nw.len().alias("denominator"),
        nw.col("_score").sum().alias("_score_sum"),
        nw.col("_above").sum().alias("_above"),
    ]), keys)
    above = int(pd.to_numeric(out["_above"], errors="coerce").fillna(0).sum())
    if above:
        raise DataError(
            f"surveys: {above} CSAT answer(s) score above 5, but CSAT is read on a 1 to 5 scale "
            "(4 and 5 count as satisfied). Rescale those answers to 1-5 at load, or record them "
            "with kind='nps' if they are 0-10 recommendation scores."
        )
    out = proportion(out.drop(columns="_above"), keys)
    n = out["denominator"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["mean_score"] = np.where(n > 0, pd.to_numeric(out.pop("_score_sum"), errors="coerce")
                                     / n.where(n > 0, 1.0), np.nan)
    out["n"] = n.astype("int64")
    return out


def nps_interval(promoters, detractors, n, alpha: float = 0.05):
    """Adjusted-Wald interval of the NPS, in points (-100 to 100), vectorised.

    The variance of the difference of two multinomial proportions,
    ``(p + d - (p - d)**2) / n``, computed after adding 3/4 of a promoter, 3/4 of
    a detractor and 3/2 of a passive (n + 3), as recommended by Rocks (2016, *The
    American Statistician*); it stays informative when every answer is a passive.
    Zero answers give missing bounds.

    Examples
    --------
    >>> low, high = nps_interval([5], [2], [10])
    >>> round(float(low[0]), 1), round(float(high[0]), 1)
    (-19.1, 65.2)
    """
    from scipy.stats import norm

    z = norm.ppf(1 - alpha / 2)
    p_count = np.asarray(promoters, dtype=float)
    d_count = np.asarray(detractors, dtype=float)
    n = np.asarray(n, dtype=float)
    n_adj = n + 3
    p, d = (p_count + 0.75) / n_adj, (d_count + 0.75) / n_adj
    se = np.sqrt(np.maximum(p + d - (p - d) ** 2, 0) / n_adj)
    low = np.clip(p - d - z * se, -1, 1) * 100
    high = np.clip(p - d + z * se, -1, 1) * 100
    empty = ~(n > 0)
    low[empty], high[empty] = np.nan, np.nan
    return low, high


@kpi(
    name="nps", family="satisfaction",
    needs={"surveys": ("kind", "score", "responded_at")},
    label={"en": "Net Promoter Score (NPS)", "fr": "Net Promoter Score (NPS)"},
    definition={
        "en": "Percentage of promoters (9-10) minus percentage of detractors (0-6) among NPS answers, "
              "from -100 to 100.",
        "fr": "Pourcentage de promoteurs (9-10) moins pourcentage de détracteurs (0-6) parmi les "
              "réponses NPS, de -100 à 100.",
    },
    unit="score", direction="higher", tables=("surveys",), date="surveys.responded_at",
    headline=True, seeds=("001", "002"),
    noun={"en": ("NPS answer", "NPS answers"), "fr": ("réponse NPS", "réponses NPS", "f")},
)
@fill_doc(window=window_params("responded_at", "answers given"))
def nps(surveys, *, by=None, freq=None, start=None, end=None):
    """Net Promoter Score: % promoters (9-10) minus % detractors (0-6), in points.

    Parameters
    ----------
    surveys : DataFrame-like
        Needs ``kind``, ``score`` and ``responded_at``; only rows with ``kind ==
        "nps"`` and a score are answers.
    {window}

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value`` (NPS, -100 to 100), ``ci_low`` and
        ``ci_high`` (95 % adjusted-Wald interval, see :func:`nps_interval`),
        ``promoters``, ``passives``, ``detractors``, ``n`` (answers) and
        ``low_sample`` (fewer than 30 answers). No answer gives a missing value.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"kind": ["nps", "nps", "nps"], "score": [10, 7, 3],
    ...                   "responded_at": pd.to_datetime(["2026-01-05", "2026-01-09", "2026-01-10"])})
    >>> nps(s)[["value", "promoters", "passives", "detractors", "n"]].to_dict("records")
    [{'value': 0.0, 'promoters': 1, 'passives': 1, 'detractors': 1, 'n': 3}]
    """
    keys, f = _answers(surveys, "nps", by, freq, start, end)
    f = f.with_columns(
        _promoter=flag(nw.col("score") >= 9),
        _detractor=flag(nw.col("score") <= 6),
    )
    out = collect(aggregate(f, keys, [
        nw.col("_promoter").sum().alias("promoters"),
        nw.col("_detractor").sum().alias("detractors"),
        nw.len().alias("n"),
    ]), keys)
    for c in ("promoters", "detractors", "n"):
        out[c] = pd.to_numeric(out[c], errors="coerce").fillna(0).astype("int64")
    out["passives"] = out["n"] - out["promoters"] - out["detractors"]
    n = out["n"].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["value"] = np.where(n > 0, 100 * (out["promoters"] - out["detractors"]) / n.where(n > 0, 1.0),
                                np.nan)
    out["ci_low"], out["ci_high"] = nps_interval(out["promoters"], out["detractors"], n)
    out["low_sample"] = n < LOW_SAMPLE
    return _order(out, keys, ["value", "ci_low", "ci_high", "promoters", "passives", "detractors",
                              "n", "low_sample"])


__all__ = ["csat", "nps", "nps_interval"]
