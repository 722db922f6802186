"""What an activity is: its purpose when the CRM leaves it out, and what a conversation is.

Shared by the activity KPIs (:mod:`kit.kpis.activity`) and the funnel KPIs that read
activities (``call_to_meeting_rate``, ``conversations_to_close``), so that a
"prospecting call" or a "conversation" means the same thing on every page of a report.
"""

from __future__ import annotations

import narwhals as nw
import numpy as np
import pandas as pd

from kit.dtypes import categorical
from kit.errors import ParameterError
from kit.kpis._common import columns, lazy

PROSPECTING, SALES, CUSTOMER_SERVICE = "prospecting", "sales", "customer_service"
#: activity types that are calls (a voicemail is an attempt to reach the person)
CALL_TYPES = ("call", "voicemail")
#: activity types that are conversations when they take place
CONVERSATION_TYPES = ("meeting", "video_call")
#: call outcomes meaning someone answered (setting an appointment implies it)
CONNECTED_OUTCOMES = ("connected", "appointment_set")
#: meeting outcomes meaning it did not take place
MISSED_OUTCOMES = ("no_show", "cancelled", "canceled")
#: Where every KPI on activities reads (``tables``, ``optional_tables`` and ``date`` of
#: :func:`kit.registry.kpi`): the activities, dated when they occurred, and the leads
#: when the dataset has them, to derive a missing purpose (:func:`with_purpose`).
ON_ACTIVITIES = {"tables": ("activities",), "optional_tables": ("leads",), "date": "activities.occurred_at"}


def with_purpose(activities, leads=None) -> nw.LazyFrame:
    """Activities as a narwhals LazyFrame whose ``purpose`` is never null.

    A present, non-null ``purpose`` is kept. Otherwise the purpose is derived:

    - with ``leads`` (needs ``lead_id`` and ``converted_at``): ``prospecting`` when
      the activity has a ``lead_id`` whose lead was not converted at ``occurred_at``
      (``converted_at`` null or later); a ``lead_id`` absent from ``leads`` falls
      back to the rule without leads;
    - without ``leads``: ``prospecting`` when the activity has a ``lead_id`` and no
      ``customer_id``;
    - ``sales`` otherwise.

    Parameters
    ----------
    activities : DataFrame-like or narwhals.LazyFrame
        Needs ``occurred_at``; ``purpose``, ``lead_id`` and ``customer_id`` are used
        when present.
    leads : DataFrame-like, optional
        Same backend as ``activities``.

    Returns
    -------
    narwhals.LazyFrame
        The activities with the same columns, ``purpose`` filled.

    Examples
    --------
    >>> import pandas as pd
    >>> acts = pd.DataFrame({"occurred_at": pd.to_datetime(["2026-01-05", "2026-03-01", "2026-03-02"]),
    ...                      "lead_id": ["L1", "L1", None], "customer_id": [None, None, "C1"]})
    >>> leads = pd.DataFrame({"lead_id": ["L1"], "converted_at": pd.to_datetime(["2026-02-01"])})
    >>> with_purpose(acts, leads).collect()["purpose"].to_list()
    ['prospecting', 'sales', 'sales']
    >>> with_purpose(acts).collect()["purpose"].to_list()
    ['prospecting', 'prospecting', 'sales']
    """
    f = activities if isinstance(activities, nw.LazyFrame) else lazy(activities, "activities",
                                                                      needs=["occurred_at"])
    cols = columns(f)
    fast = _purpose_pandas(f, leads, cols)
    if fast is not None:
        return fast
    helpers = []
    if "lead_id" not in cols:
        derived = nw.lit(SALES)
    else:
        has_lead = ~nw.col("lead_id").is_null()
        no_customer = nw.col("customer_id").is_null() if "customer_id" in cols else nw.lit(True)
        prospect = has_lead & no_customer
        if leads is not None:
            ld = lazy(leads, "leads", needs=["lead_id"])
            if "converted_at" in columns(ld):
                ld = ld.filter(~nw.col("lead_id").is_null()).select(
                    nw.col("lead_id").cast(nw.String), "converted_at")
                ld = ld.group_by("lead_id").agg(
                    nw.col("converted_at").min().alias("_lead_converted_at"),
                    nw.len().alias("_lead_known"))
                f = _join_leads(f.with_columns(nw.col("lead_id").cast(nw.String)), ld)
                helpers = ["_lead_converted_at", "_lead_known"]
                known = ~nw.col("_lead_known").is_null()
                still_open = (nw.col("_lead_converted_at").is_null()
                              | (nw.col("_lead_converted_at") > nw.col("occurred_at")))
                prospect = has_lead & ((known & still_open) | (~known & no_customer))
        derived = nw.when(prospect).then(nw.lit(PROSPECTING)).otherwise(nw.lit(SALES))
    if "purpose" in cols:
        purpose = nw.coalesce(nw.col("purpose").cast(nw.String), derived)
    else:
        purpose = derived
    f = f.with_columns(purpose.alias("purpose"))
    return f.drop(*helpers) if helpers else f


def _purpose_pandas(f: nw.LazyFrame, leads, cols: list) -> nw.LazyFrame | None:
    """:func:`with_purpose` computed with pandas and NumPy on pandas frames of text ids.

    The same rule as the narwhals expressions below (checked equal on every
    activity KPI by the engine tests), without their copies of the wide activities
    table: only ``purpose`` is added, to a shallow copy. ``None`` when the frames
    are not pandas or their ids are not text (the general path then runs).
    """
    if f.implementation is not nw.Implementation.PANDAS or "lead_id" not in cols:
        return None
    acts = nw.to_native(f)
    ld = None
    if leads is not None:
        ld = nw.to_native(leads) if isinstance(leads, (nw.LazyFrame, nw.DataFrame)) else leads
        if not isinstance(ld, pd.DataFrame) or "lead_id" not in ld.columns:
            return None
        if "converted_at" not in ld.columns:
            ld = None
    text = [acts["lead_id"]] + ([acts["purpose"]] if "purpose" in cols else []) + \
        ([ld["lead_id"]] if ld is not None else [])
    if not all(s.dtype == object or isinstance(s.dtype, (pd.StringDtype, pd.CategoricalDtype))
               for s in text):
        return None  # text as Python objects, Arrow-backed strings or categories (the loader's)
    # only the rows without a purpose need one derived (often none of them)
    need = acts["purpose"].isna().to_numpy() if "purpose" in cols else np.ones(len(acts), bool)
    if "purpose" in cols and not need.any():
        return f  # every purpose present: nothing to derive
    used = [c for c in ("lead_id", "customer_id", "occurred_at") if c in cols]
    part = acts.loc[need, used] if not need.all() else acts  # the columns the rule reads
    lead = part["lead_id"]
    has_lead = lead.notna().to_numpy()
    no_customer = part["customer_id"].isna().to_numpy() if "customer_id" in cols else True
    prospect = has_lead & no_customer
    if ld is not None and len(part):
        ld = ld.loc[ld["lead_id"].notna(), ["lead_id", "converted_at"]]
        converted = ld.groupby(ld["lead_id"].astype(str), sort=False, observed=True)["converted_at"].min()
    else:
        converted = None
    if converted is not None and len(converted):  # no known lead: the rule without leads
        pos = converted.index.get_indexer(lead.astype(str))  # one hash lookup; -1: unknown lead
        known = (pos >= 0) & has_lead
        conv = pd.Series(converted.to_numpy()[np.where(pos >= 0, pos, 0)], index=part.index)
        conv[~known] = pd.NaT
        still_open = (conv.isna() | (conv > part["occurred_at"])).to_numpy()
        prospect = has_lead & ((known & still_open) | (~known & no_customer))
    out = acts.copy(deep=False)
    # the purposes kept and the derived ones as a categorical, like the loader's
    # purpose column: built on integer codes, no Python string per activity
    codes, present = pd.factorize(acts["purpose"]) if "purpose" in cols else \
        (np.zeros(len(acts), np.intp), [])
    codes[need] = np.where(prospect, len(present), len(present) + 1)
    out["purpose"] = categorical(codes, [*present, PROSPECTING, SALES], index=out.index)
    return nw.from_native(out).lazy()


def _join_leads(f: nw.LazyFrame, ld: nw.LazyFrame) -> nw.LazyFrame:
    """Left join of the per-lead lookup ``ld`` (unique ``lead_id``) onto activities ``f``.

    On pandas a join copies every column of the (wide, long) activities table; the
    two lookup columns are mapped onto it instead, rows and values unchanged.
    """
    if f.implementation is nw.Implementation.PANDAS and ld.implementation is nw.Implementation.PANDAS:
        acts = nw.to_native(f).copy(deep=False)  # new columns only: the others are shared
        look = nw.to_native(ld).set_index("lead_id")
        for c in look.columns:
            acts[c] = acts["lead_id"].map(look[c])
        return nw.from_native(acts).lazy()
    return f.join(ld, on="lead_id", how="left")


def require_purpose_source(f: nw.LazyFrame) -> None:
    """Raise unless ``purpose`` can be read or derived (``purpose`` or ``lead_id`` present).

    For KPIs that only make sense on prospecting activities: without either column
    :func:`with_purpose` would call every activity a sales one.

    Raises
    ------
    ParameterError
        When ``activities`` has neither ``purpose`` nor ``lead_id``.

    Examples
    --------
    >>> import pandas as pd
    >>> require_purpose_source(lazy(pd.DataFrame({"lead_id": ["L1"]}), "activities"))
    """
    cols = columns(f)
    if "purpose" not in cols and "lead_id" not in cols:
        raise ParameterError(
            f"table 'activities' has neither 'purpose' nor 'lead_id' (columns: {cols}), so "
            "prospecting calls cannot be told from sales calls. Add a 'purpose' column "
            "(prospecting, sales, customer_service) or the 'lead_id' of each activity."
        )


def is_conversation(cols) -> nw.Expr:
    """A real sales conversation, as a boolean expression on activities.

    Calls whose ``outcome`` is ``connected`` or ``appointment_set`` (setting an
    appointment implies someone answered; either direction), and meetings and video
    calls that took place (``outcome`` not ``no_show`` or ``cancelled``), except
    activities whose ``purpose`` is ``customer_service`` (a missing purpose is not
    customer service). Outcomes are compared without regard to case.

    Parameters
    ----------
    cols : list of str
        Columns of the activities (``purpose`` is read when present); the frame
        needs ``type`` and ``outcome``.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"type": ["call", "call", "meeting", "meeting", "video_call"],
    ...                   "outcome": ["Connected", "no_answer", None, "no_show", None],
    ...                   "purpose": [None, "sales", "sales", "sales", "customer_service"]})
    >>> f = lazy(a, "activities")
    >>> f.select(is_conversation(columns(f)).alias("c")).collect()["c"].to_list()
    [True, False, True, False, False]
    """
    outcome = nw.col("outcome").cast(nw.String).str.to_lowercase()
    connected = (nw.col("type") == "call") & outcome.is_in(list(CONNECTED_OUTCOMES))
    held = nw.col("type").is_in(list(CONVERSATION_TYPES)) & (
        outcome.is_null() | ~outcome.is_in(list(MISSED_OUTCOMES)))
    expr = connected | held
    if "purpose" in cols:
        expr = expr & (nw.col("purpose").is_null() | (nw.col("purpose") != CUSTOMER_SERVICE))
    return expr
