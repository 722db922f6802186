"""Funnel KPIs: leads, conversion, win rate, cycle, velocity (DESIGN §6, funnel)."""

from __future__ import annotations

import narwhals as nw

from kit.kpis._common import aggregate, collect, flag, group_keys, lazy, proportion, window
from kit.registry import kpi


@kpi(
    name="win_rate", family="funnel",
    label={"en": "Win rate", "fr": "Taux de réussite"},
    definition={
        "en": "Won opportunities divided by closed (won + lost) opportunities; open ones are excluded.",
        "fr": "Opportunités gagnées divisées par les opportunités clôturées (gagnées + perdues) ; "
              "les opportunités ouvertes sont exclues.",
    },
    unit="ratio", direction="higher", tables=("opportunities",), date="opportunities.closed_at",
    headline=True, seeds=("003",),
)
def win_rate(opportunities, *, by=None, freq=None, start=None, end=None):
    """Share of closed opportunities that were won.

    Parameters
    ----------
    opportunities : DataFrame-like
        Needs ``status`` and ``closed_at``.
    by : str or list of str, optional
        Columns to break down by (nulls form their own group).
    freq : {None, "W", "M", "Q", "Y"}
        Adds a ``period`` column: the start of the period of ``closed_at``.
    start, end : date-like, optional
        Keep opportunities closed in ``[start, end)``.

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value``, ``numerator`` (won), ``denominator``
        (won + lost), ``ci_low``, ``ci_high``, ``low_sample``.

    Examples
    --------
    >>> import pandas as pd
    >>> opps = pd.DataFrame({"status": ["won", "lost", "open"],
    ...                      "closed_at": pd.to_datetime(["2026-01-05", "2026-01-09", None])})
    >>> win_rate(opps)[["value", "numerator", "denominator"]].to_dict("records")
    [{'value': 0.5, 'numerator': 1.0, 'denominator': 2.0}]
    """
    f = lazy(opportunities, "opportunities", needs=["status", "closed_at"])
    f = f.filter(nw.col("status").is_in(["won", "lost"]))
    f = window(f, "closed_at", start, end)
    f = f.with_columns(_won=flag(nw.col("status") == "won"))
    keys, f = group_keys(f, by, freq, "closed_at")
    out = collect(aggregate(f, keys, [nw.col("_won").sum().alias("numerator"),
                                      nw.len().alias("denominator")]), keys)
    return proportion(out, keys)
