"""Deals still needed to reach the revenue target of the current period (family revenue).

Combines the target and the revenue so far (:mod:`kit.kpis._targets`,
:func:`kit.kpis._sales.revenue_by`) with the recent average won deal
(:func:`kit.kpis.revenue.average_won_deal`) and win rate
(:func:`kit.kpis.funnel.win_rate`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit.errors import ParameterError
from kit.kpis._common import _num, as_list, empty_result, merge_results, resolve_as_of, safe_div, sort_rows
from kit.kpis._options import is_count
from kit.kpis._sales import revenue_by
from kit.kpis._targets import check_target_options, targets_by
from kit.kpis.funnel import win_rate
from kit.kpis.revenue import average_won_deal
from kit.registry import kpi

_PANDAS_FREQ = {"M": "M", "Q": "Q", "Y": "Y"}


@kpi(
    name="deals_needed", family="revenue",
    needs={"orders": ("ordered_at", "amount"),
           "targets": ("period", "revenue_target"),
           "opportunities": ("status", "closed_at", "amount")},
    label={"en": "Deals needed to reach target", "fr": "Affaires nécessaires pour atteindre l'objectif"},
    definition={
        "en": "Remaining target of the current period divided by the average won deal, and the "
              "opportunities needed at the recent win rate.",
        "fr": "Objectif restant de la période en cours divisé par le montant moyen d'une affaire gagnée, "
              "et les opportunités nécessaires au taux de réussite récent.",
    },
    unit="count", direction="lower", tables=("orders", "targets", "opportunities"),
    date="orders.ordered_at", headline=False, seeds=("003",),
    columns={"opportunities_needed": ("count", "opportunities_needed"),
             "target": ("currency", "target"), "revenue": ("currency", "revenue"),
             "remaining": ("currency", "remaining"),
             "average_won_deal": ("currency", "average_won_deal"), "win_rate": ("ratio", "win_rate")},
    dropped=("period", "won_deals", "closed_deals"),
)
def deals_needed(orders, targets, opportunities, *, by=None, freq="M", as_of=None, history=12):
    """Deals (and opportunities) still needed to reach the revenue target of the current period.

    The current period is the month (quarter, year) holding ``as_of``. Remaining
    target = target of the period - revenue ordered from its start up to ``as_of``
    (never below 0). Deals needed = remaining / average won deal, opportunities
    needed = deals / win rate, both over the ``history`` months before ``as_of``, and
    rounded up (a fraction of a deal still has to be signed).

    Parameters
    ----------
    orders : DataFrame-like
        Needs ``ordered_at``, ``amount`` and the ``by`` column.
    targets : DataFrame-like
        Needs ``period`` and ``revenue_target``; ``rep_id`` and/or ``team``.
    opportunities : DataFrame-like
        Needs ``status``, ``closed_at``, ``amount`` and the ``by`` column.
    by : {None, "rep_id", "team"}
        Level of the target.
    freq : {"M", "Q", "Y"}
        Length of the target period.
    as_of : date-like, optional
        Today for the computation; default the latest order or close date.
    history : int
        Months of closed deals used for the average won deal and the win rate.

    Returns
    -------
    DataFrame
        ``by`` columns, ``period`` (start of the current period), ``value`` (deals
        needed; 0 once the target is reached; missing without a target or without a
        won deal in the history), ``opportunities_needed`` (missing when the win
        rate is 0), ``target``, ``revenue``, ``remaining``, ``average_won_deal``,
        ``win_rate``, ``won_deals``, ``closed_deals``.

    Raises
    ------
    ParameterError
        For ``by`` outside None, "rep_id", "team", ``freq`` outside M, Q, Y or a
        ``history`` that is not a positive whole number of months.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"amount": [3000.0], "ordered_at": pd.to_datetime(["2026-03-04"])})
    >>> targets = pd.DataFrame({"period": pd.to_datetime(["2026-03-01"]), "team": ["Nord"],
    ...                         "revenue_target": [10000.0]})
    >>> opps = pd.DataFrame({"status": ["won", "won", "lost"], "amount": [2000.0, 1000.0, 900.0],
    ...                      "closed_at": pd.to_datetime(["2026-01-05", "2026-02-10", "2026-02-20"])})
    >>> out = deals_needed(orders, targets, opps, as_of="2026-03-10")
    >>> out[["remaining", "average_won_deal", "value", "opportunities_needed"]].to_dict("records")
    [{'remaining': 7000.0, 'average_won_deal': 1500.0, 'value': 5.0, 'opportunities_needed': 7.0}]
    """
    check_target_options("deals_needed", by, freq)
    if freq is None:
        raise ParameterError(
            "deals_needed: freq=None is not allowed; the remaining target is that of the current "
            "period. Allowed values: 'M', 'Q', 'Y'."
        )
    if not is_count(history):
        raise ParameterError(
            f"deals_needed: history={history!r} is not allowed; it is the number of months of closed "
            "deals used for the average deal and the win rate, a whole number >= 1 (default 12)."
        )
    keys = as_list(by)
    as_of = resolve_as_of(as_of, (orders, "ordered_at"), (opportunities, "closed_at"))
    cols = keys + ["period", "value", "opportunities_needed", "target", "revenue", "remaining",
                   "average_won_deal", "win_rate", "won_deals", "closed_deals"]
    if as_of is None:
        return empty_result(keys, cols[len(keys):])
    as_of = pd.Timestamp(as_of)
    p_start = pd.Timestamp(as_of).to_period(_PANDAS_FREQ[freq]).start_time
    p_end = (pd.Timestamp(as_of).to_period(_PANDAS_FREQ[freq]) + 1).start_time
    upto = as_of + pd.Timedelta(microseconds=1)  # as_of itself is included
    since = as_of - pd.DateOffset(months=int(history))
    rev = revenue_by(orders, by, None, p_start, upto)
    tgt = targets_by(targets, "revenue_target", by, None, p_start, p_end)
    out = merge_results(rev, tgt, keys)
    awd = average_won_deal(opportunities, by=by, start=since, end=upto)
    awd = awd[keys + ["value", "denominator"]].rename(
        columns={"value": "average_won_deal", "denominator": "won_deals"})
    wr = win_rate(opportunities, by=by, start=since, end=upto)
    wr = wr[keys + ["value", "denominator"]].rename(columns={"value": "win_rate",
                                                            "denominator": "closed_deals"})
    out = merge_results(out, awd, keys, how="left")
    out = merge_results(out, wr, keys, how="left")
    out["revenue"] = _num(out["revenue"]).fillna(0.0)
    out["target"] = _num(out["target"])
    out["remaining"] = (out["target"] - out["revenue"]).clip(lower=0.0)
    avg, rate = _num(out["average_won_deal"]), _num(out["win_rate"])
    exact = safe_div(out["remaining"], avg.where(avg > 0))
    reached = out["remaining"] == 0
    out["value"] = np.ceil(exact.where(~reached, 0.0) - 1e-9)
    opp = safe_div(exact, rate.where(rate > 0))
    out["opportunities_needed"] = np.ceil(opp.where(~reached, 0.0) - 1e-9)
    out["value"] = out["value"].clip(lower=0.0) + 0.0  # + 0.0 turns -0.0 into 0.0
    out["opportunities_needed"] = out["opportunities_needed"].clip(lower=0.0) + 0.0
    for c in ("won_deals", "closed_deals"):
        out[c] = _num(out[c]).fillna(0.0)
    out["period"] = pd.Timestamp(p_start)
    out["period"] = out["period"].astype("datetime64[ns]")
    return sort_rows(out[cols], keys)


__all__ = ["deals_needed"]
