"""Which groups explain a KPI by default, and the largest contributions of a split.

The headline of the notebooks, ``kpis.json`` and the dashboard's "why" panel split
the change of a KPI (:func:`kit.explain.explain_change`) without asking for a
grouping: :data:`WHY_BY` declares, once for each KPI of
:data:`kit.explain.DECOMPOSABLE`, the columns that may share its change, in order of
preference. :func:`groupings` keeps those the dataset has (on the table whose units
the KPI counts, with at least two values: a report restricted to one team is not
explained by team) and :func:`default_grouping` takes the first.

A ratio KPI splits only over groups with one value per unit: average basket and
recurring revenue count orders, and an order may hold lines of several product
categories, so they are not grouped by category (revenue and margin, sums, are).

Examples
--------
>>> import pandas as pd
>>> from kit.dataset import Dataset
>>> opps = pd.DataFrame({"opportunity_id": ["O1", "O2"], "status": ["won", "lost"],
...     "team": ["Nord", "Sud"], "method": ["démo", "démo"],
...     "closed_at": pd.to_datetime(["2026-09-03", "2026-10-05"])})
>>> ds = Dataset({"opportunities": opps})
>>> WHY_BY["win_rate"][:3], groupings(ds, "win_rate"), default_grouping(ds, "win_rate")
(('source', 'team', 'method'), ['team'], 'team')
>>> default_grouping(ds, "sales_cycle") is None
True
"""

from __future__ import annotations

import narwhals as nw
import numpy as np
import pandas as pd

from kit import registry
from kit.explain import DECOMPOSABLE, group_labels

_OPPORTUNITIES = ("source", "team", "method", "product_category", "region", "rep_id")
_LEADS = ("source", "segment", "team", "region", "rep_id")
_ACTIVITIES = ("team", "type", "region", "rep_id", "purpose")
_ORDER_SUMS = ("product_category", "source", "segment", "team", "region", "rep_id")
_ORDER_RATIOS = ("source", "segment", "team", "region", "rep_id")

#: ``{KPI: columns whose groups may share its change, preferred first}``, for every
#: KPI of :data:`kit.explain.DECOMPOSABLE`.
WHY_BY = {
    "win_rate": _OPPORTUNITIES,
    "offer_loss_rate": _OPPORTUNITIES,
    "average_won_deal": _OPPORTUNITIES,
    "lead_conversion_rate": _LEADS,
    "never_engaged_rate": _LEADS,
    "leads_generated": _LEADS,
    "call_to_meeting_rate": _ACTIVITIES,
    "email_response_rate": _ACTIVITIES,
    "conversations": _ACTIVITIES,
    "prospect_calls": _ACTIVITIES,
    "prospecting_emails": _ACTIVITIES,
    "csat": ("segment", "source", "team", "region"),  # surveys have none in the contract
    "average_basket": _ORDER_RATIOS,
    "recurring_revenue": _ORDER_RATIOS,
    "revenue": _ORDER_SUMS,
    "gross_margin": _ORDER_SUMS,
    "referral_rate": ("source", "segment", "region"),
    "social_engagement_rate": ("network",),
}
#: How many contributions ``kpis.json`` keeps per KPI.
TOP = 3


def _schema(frame) -> list[str]:
    return nw.from_native(frame).collect_schema().names()


def groupings(ds, name: str) -> list[str]:
    """The columns of :data:`WHY_BY` ``[name]`` that the dataset can split KPI ``name`` over.

    A column counts when the KPI's first table (the one whose units it counts) has
    it with at least two distinct values (a missing value counts as one).

    Parameters
    ----------
    ds : Dataset
    name : str
        A KPI name; one that does not decompose has none.

    Returns
    -------
    list of str
        In the order of preference of :data:`WHY_BY`; empty when there is none.

    Examples
    --------
    >>> import pandas as pd
    >>> from kit.dataset import Dataset
    >>> leads = pd.DataFrame({"lead_id": ["L1", "L2"], "source": ["web", None], "team": ["A", "A"],
    ...                       "created_at": pd.to_datetime(["2026-10-01", "2026-10-02"])})
    >>> groupings(Dataset({"leads": leads}), "leads_generated"), groupings(Dataset({}), "win_rate")
    (['source'], [])
    """
    spec = registry.get(name)
    if name not in DECOMPOSABLE or not spec.tables or spec.tables[0] not in ds.tables:
        return []
    frame = ds.tables[spec.tables[0]]
    present = [c for c in WHY_BY.get(name, ()) if c in _schema(frame)]
    if not present:
        return []
    counts = nw.from_native(frame).select(*[nw.col(c).n_unique() for c in present])
    counts = counts.collect() if isinstance(counts, nw.LazyFrame) else counts
    row = counts.row(0)
    return [c for c, n in zip(present, row) if int(n) >= 2]


def default_grouping(ds, name: str) -> str | None:
    """The first of :func:`groupings`, or None when the dataset has none for ``name``.

    Examples
    --------
    >>> import pandas as pd
    >>> from kit.dataset import Dataset
    >>> surveys = pd.DataFrame({"response_id": ["S1", "S2"], "kind": ["csat", "csat"], "score": [5, 2],
    ...                         "responded_at": pd.to_datetime(["2026-09-01", "2026-10-01"])})
    >>> default_grouping(Dataset({"surveys": surveys}), "csat") is None
    True
    """
    found = groupings(ds, name)
    return found[0] if found else None


def largest_contributions(result: pd.DataFrame, top: int = TOP, missing: str = "(empty)") -> list[dict]:
    """The ``top`` largest ``|contribution|`` groups of an :func:`kit.explain.explain_change`
    result, as plain dicts for JSON; groups that contributed nothing are left out.

    Parameters
    ----------
    result : DataFrame
        A result of ``explain_change`` (sorted largest ``|contribution|`` first).
    top : int
        Groups kept.
    missing : str
        Label of a missing group value.

    Returns
    -------
    list of dict
        ``{"by", "group", "contribution", "ci_low", "ci_high"}`` each (``by`` the
        grouping column(s) joined by ``" / "``, ``group`` its label, the interval
        None when the bootstrap gave none); ``[]`` when no group moved.

    Examples
    --------
    >>> import pandas as pd
    >>> from kit.explain import decompose
    >>> prev = pd.DataFrame({"team": ["a", "b", "c"], "u": [1, 2, 3], "value": [5.0, 1.0, 2.0]})
    >>> cur = pd.DataFrame({"team": ["a", "b", "c"], "u": [4, 5, 6], "value": [1.0, 3.0, 2.0]})
    >>> res = decompose(prev, cur, by=["team"], unit="u", kind="sum", n_boot=0)
    >>> largest_contributions(res)
    [{'by': 'team', 'group': 'a', 'contribution': -4.0, 'ci_low': None, 'ci_high': None}, {'by': 'team', 'group': 'b', 'contribution': 2.0, 'ci_low': None, 'ci_high': None}]
    """
    by = " / ".join(result.attrs.get("by", []))
    labels = group_labels(result, missing=missing)
    out = []
    for label, row in zip(labels, result.to_dict("records")):
        c = float(row["contribution"])
        if len(out) == top or not abs(c) > 1e-12:
            break  # sorted by |contribution|: the rest is smaller (or nothing)
        out.append({"by": by, "group": label, "contribution": c + 0.0,
                    "ci_low": _number(row.get("ci_low")), "ci_high": _number(row.get("ci_high"))})
    return out


def _number(v):
    return None if v is None or pd.isna(v) else float(np.float64(v)) + 0.0
