"""Funnel KPIs: leads, conversion, the funnel, win rate, call-to-meeting and offer loss rates.

Their durations (time to convert, sales cycle, velocity) are in :mod:`kit.kpis.funnel_time`.
"""

from __future__ import annotations

import datetime as _dt

import narwhals as nw
import numpy as np
import pandas as pd

from kit.errors import ParameterError
from kit.kpis._activity_rules import (
    CALL_TYPES, ON_ACTIVITIES, PROSPECTING, require_purpose_source, with_purpose,
)
from kit.kpis._common import (aggregate, collect, columns, counts, days_between, flag, group_keys,
                              lazy, proportion, resolve_as_of, window, with_trend)
from kit.kpis._docs import fill_doc, window_params
from kit.kpis._options import is_count, is_number
from kit.registry import kpi


@kpi(
    name="win_rate", family="funnel",
    needs={"opportunities": ("status", "closed_at")},
    label={"en": "Win rate", "fr": "Taux de réussite"},
    definition={
        "en": "Won opportunities divided by closed (won + lost) opportunities; open ones are excluded.",
        "fr": "Opportunités gagnées divisées par les opportunités clôturées (gagnées + perdues) ; "
              "les opportunités ouvertes sont exclues.",
    },
    unit="ratio", direction="higher", tables=("opportunities",), date="opportunities.closed_at",
    headline=True, seeds=("003",),
)
@fill_doc(window=window_params("closed_at", "opportunities closed"))
def win_rate(opportunities, *, by=None, freq=None, start=None, end=None):
    """Share of closed opportunities that were won.

    Parameters
    ----------
    opportunities : DataFrame-like
        Needs ``status`` and ``closed_at``.
    {window}

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


# ---------------------------------------------------------------------------
# private helpers of the funnel family
# ---------------------------------------------------------------------------

STAGES = ("created", "engaged", "qualified", "opportunity", "proposal", "won")


def _check_days(name: str, value) -> float:
    """Validate a positive number of days (``days=``, ``horizons=``)."""
    if not is_number(value) or not np.isfinite(value) or value <= 0:
        raise ParameterError(
            f"{name}={value!r} is not allowed; it must be a positive number of days "
            f"(received {type(value).__name__}). Pass e.g. {name}=30."
        )
    return float(value)


# ---------------------------------------------------------------------------
# leads
# ---------------------------------------------------------------------------

@kpi(
    name="leads_generated", family="funnel",
    needs={"leads": ("created_at",)},
    label={"en": "Leads generated", "fr": "Leads générés"},
    definition={
        "en": "Number of new leads, counted in the period of their creation date.",
        "fr": "Nombre de nouveaux leads, comptés sur la période de leur date de création.",
    },
    unit="count", direction="higher", tables=("leads",), date="leads.created_at",
    headline=True, seeds=("002",),
)
@fill_doc(window=window_params(
    "created_at", "leads created",
    by='Columns to break down by, e.g. ``"source"`` (nulls form their own group).'))
def leads_generated(leads, *, by=None, freq=None, start=None, end=None):
    """Number of new leads.

    Parameters
    ----------
    leads : DataFrame-like
        Needs ``created_at``.
    {window}

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value`` (number of leads). Without ``by`` and
        ``freq`` an empty input gives one row with ``value`` 0.

    Examples
    --------
    >>> import pandas as pd
    >>> leads = pd.DataFrame({"source": ["web", "web", "salon"],
    ...     "created_at": pd.to_datetime(["2026-01-05", "2026-02-09", "2026-02-11"])})
    >>> leads_generated(leads, freq="M")[["period", "value"]].to_dict("records")
    [{'period': Timestamp('2026-01-01 00:00:00'), 'value': 1}, {'period': Timestamp('2026-02-01 00:00:00'), 'value': 2}]
    """
    f = lazy(leads, "leads", needs=["created_at"])
    f = window(f, "created_at", start, end)
    keys, f = group_keys(f, by, freq, "created_at")
    out = collect(aggregate(f, keys, [nw.len().alias("value")]), keys)
    out["value"] = pd.to_numeric(out["value"]).astype("int64")
    return out[keys + ["value"]]


@kpi(
    name="lead_conversion_rate", family="funnel",
    needs={"leads": ("created_at", "converted_at")},
    label={"en": "Lead conversion rate", "fr": "Taux de conversion des leads"},
    definition={
        "en": "Leads that became customers divided by the leads created, by month of creation.",
        "fr": "Leads devenus clients divisés par les leads créés, selon le mois de création.",
    },
    unit="ratio", direction="higher", tables=("leads",), date="leads.created_at",
    seeds=("000", "001", "002", "004"),
)
@fill_doc(window=window_params("created_at", "leads created", cohort=True))
def lead_conversion_rate(leads, *, by=None, freq=None, start=None, end=None, within=None,
                         as_of=None):
    """Share of leads that converted, attributed to the period the lead was created.

    A lead whose ``converted_at`` is before its ``created_at`` (a CRM that records
    the lead after the deal) still converted: it counts in both terms, and in
    ``n_inconsistent`` so the data can be checked; only durations
    (:func:`~kit.kpis.funnel_time.time_to_convert`) leave it out.

    Recent cohorts have not had time to convert, so their plain rate slides
    towards 0. With ``within=N`` the rate is *converted within N days of creation*
    and leads created less than N days before ``as_of`` are left out of both terms
    and counted in ``n_censored``: every cohort shown is then complete. This is
    why the KPI is not a headline of a single month.

    Parameters
    ----------
    leads : DataFrame-like
        Needs ``created_at`` and ``converted_at`` (missing when not converted).
    {window}
    within : int, optional
        Days after creation within which a conversion counts (e.g. 90); None
        counts every conversion up to ``as_of``.
    as_of : date-like, optional
        End of the data (``kit.compute`` passes ``ds.as_of``); default the latest
        ``created_at`` or ``converted_at``. Conversions after it do not count.

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value``, ``numerator`` (converted),
        ``denominator`` (leads), ``ci_low``, ``ci_high``, ``low_sample``,
        ``n_inconsistent``, ``n_censored`` (leads too recent for ``within``).

    Examples
    --------
    >>> import pandas as pd
    >>> leads = pd.DataFrame({
    ...     "created_at": pd.to_datetime(["2026-01-05", "2026-01-09", "2026-01-20"]),
    ...     "converted_at": pd.to_datetime(["2026-02-01", None, "2026-01-02"])})
    >>> lead_conversion_rate(leads)[["value", "numerator", "denominator", "n_inconsistent"]].round(3).to_dict("records")
    [{'value': 0.667, 'numerator': 2.0, 'denominator': 3.0, 'n_inconsistent': 1.0}]
    """
    if within is not None and not is_count(within):
        raise ParameterError(
            f"within={within!r} is not allowed; pass a whole number of days >= 1 (e.g. within=90) "
            "or None to count every conversion.")
    f = lazy(leads, "leads", needs=["created_at", "converted_at"])
    as_of = resolve_as_of(as_of, (f, "created_at"), (f, "converted_at"))
    f = window(f, "created_at", start, end)
    if as_of is not None:
        f = f.filter(nw.col("created_at") <= nw.lit(as_of))
    done = ~nw.col("converted_at").is_null()
    if as_of is not None:
        done = done & (nw.col("converted_at") <= nw.lit(as_of))
    converted = done  # a conversion dated before the creation still counts (flagged below)
    if within is None:
        f = f.with_columns(_young=nw.lit(0))
    else:
        converted = converted & (days_between("converted_at", "created_at", f) <= within)
        cutoff = as_of - _dt.timedelta(days=within)
        f = f.with_columns(_young=flag(nw.col("created_at") > nw.lit(cutoff)))
    f = f.with_columns(
        _conv=flag(converted & (nw.col("_young") == 0)),
        _bad=flag(done & (nw.col("converted_at") < nw.col("created_at"))),
        _old=1 - nw.col("_young"),
    )
    keys, f = group_keys(f, by, freq, "created_at")
    out = collect(aggregate(f, keys, [nw.col("_conv").sum().alias("numerator"),
                                      nw.col("_old").sum().alias("denominator"),
                                      nw.col("_bad").sum().alias("n_inconsistent"),
                                      nw.col("_young").sum().alias("n_censored")]), keys)
    out = counts(out, ["n_inconsistent", "n_censored"])
    return proportion(out, keys)


@kpi(
    name="funnel", family="funnel",
    needs={"leads": ("lead_id", "created_at"), "opportunities": ("lead_id", "status")},
    label={"en": "Sales funnel", "fr": "Entonnoir de vente"},
    definition={
        "en": "Leads reaching each stage (created, engaged, qualified, opportunity, proposal, won) "
              "and the rate of passage from the previous stage.",
        "fr": "Leads atteignant chaque étape (créé, engagé, qualifié, opportunité, proposition, "
              "gagné) et le taux de passage depuis l'étape précédente.",
    },
    unit="count", direction="higher", tables=("leads", "opportunities"), date="leads.created_at",
    seeds=("002",),
)
def funnel(leads, opportunities, *, by=None, freq=None, start=None, end=None):
    """Leads reaching each stage of the funnel, with step rates.

    Stages, in order: ``created`` (every lead), ``engaged`` (``engaged_at`` set),
    ``qualified`` (``qualified_at`` set), ``opportunity`` (the lead has an
    opportunity: ``leads.lead_id`` in ``opportunities.lead_id``), ``proposal`` (one
    of its opportunities has ``proposal_at``), ``won`` (one of its opportunities is
    won). A lead counts at the deepest stage it reached *and at every stage
    before it* (CRMs often leave an earlier stage date empty), so counts never grow
    from one stage to the next and step rates stay in [0, 1].

    Parameters
    ----------
    leads : DataFrame-like
        Needs ``lead_id`` and ``created_at``; ``engaged_at`` and ``qualified_at``
        are used when present (absent means nobody reached that stage by date).
    opportunities : DataFrame-like
        Needs ``lead_id`` and ``status``; ``proposal_at`` when present.
    by : str or list of str, optional
        Lead columns to break down by (nulls form their own group).
    freq : {None, "W", "M", "Q", "Y"}
        Adds a ``period`` column: the start of the period of ``leads.created_at``.
    start, end : date-like, optional
        Keep leads created in ``[start, end)``.

    Returns
    -------
    DataFrame
        One row per stage (and ``by``/``period`` group), stages in funnel order as
        an ordered categorical ``stage``: ``value`` (leads reaching the stage),
        ``step_rate`` = ``numerator`` / ``denominator`` (leads at this stage / at
        the previous stage; missing for ``created``), its Wilson ``ci_low``,
        ``ci_high``, ``low_sample``, and ``rate_from_created`` (value / created).

    Examples
    --------
    >>> import pandas as pd
    >>> leads = pd.DataFrame({"lead_id": ["L1", "L2", "L3"],
    ...     "created_at": pd.to_datetime(["2026-01-05", "2026-01-09", "2026-01-20"]),
    ...     "engaged_at": pd.to_datetime(["2026-01-06", "2026-01-10", None])})
    >>> opps = pd.DataFrame({"lead_id": ["L1"], "status": ["won"],
    ...     "proposal_at": pd.to_datetime(["2026-01-15"])})
    >>> out = funnel(leads, opps)
    >>> out[["stage", "value", "step_rate"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'stage': 'created', 'value': 3.0, 'step_rate': nan},
     {'stage': 'engaged', 'value': 2.0, 'step_rate': 0.6666666666666666},
     {'stage': 'qualified', 'value': 1.0, 'step_rate': 0.5},
     {'stage': 'opportunity', 'value': 1.0, 'step_rate': 1.0},
     {'stage': 'proposal', 'value': 1.0, 'step_rate': 1.0},
     {'stage': 'won', 'value': 1.0, 'step_rate': 1.0}]
    """
    f = lazy(leads, "leads", needs=["lead_id", "created_at"])
    o = lazy(opportunities, "opportunities", needs=["lead_id", "status"])
    f = window(f, "created_at", start, end)
    has_proposal = ~nw.col("proposal_at").is_null() if "proposal_at" in columns(o) else nw.lit(False)
    # one row per lead: whether it has an opportunity, a proposal, a won deal
    per_lead = (o.filter(~nw.col("lead_id").is_null())
                .with_columns(_proposal=flag(has_proposal), _won=flag(nw.col("status") == "won"))
                .group_by("lead_id").agg(nw.col("_proposal").max(), nw.col("_won").max(),
                                         nw.len().alias("_n_opps")))
    f = f.join(per_lead, on="lead_id", how="left")
    cols = columns(f)
    reached = {
        "engaged": ~nw.col("engaged_at").is_null() if "engaged_at" in cols else nw.lit(False),
        "qualified": ~nw.col("qualified_at").is_null() if "qualified_at" in cols else nw.lit(False),
        "opportunity": ~nw.col("_n_opps").is_null(),
        "proposal": nw.col("_proposal") == 1,
        "won": nw.col("_won") == 1,
    }
    depth = nw.when(reached["won"]).then(nw.lit(5))
    for i, stage in ((4, "proposal"), (3, "opportunity"), (2, "qualified"), (1, "engaged")):
        depth = depth.when(reached[stage]).then(nw.lit(i))
    f = f.with_columns(_depth=depth.otherwise(nw.lit(0)).cast(nw.Int64))
    f = f.with_columns(**{f"_s{i}": flag(nw.col("_depth") >= i) for i in range(len(STAGES))})
    keys, f = group_keys(f, by, freq, "created_at")
    out = collect(aggregate(f, keys, [nw.col(f"_s{i}").sum() for i in range(len(STAGES))]), keys)
    out = counts(out, [f"_s{i}" for i in range(len(STAGES))])
    return _stage_rows(out, keys)


def _stage_rows(out: pd.DataFrame, keys) -> pd.DataFrame:
    """Reshape one row per group with ``_s0.._s5`` counts into one row per stage."""
    out = out.rename(columns={f"_s{i}": s for i, s in enumerate(STAGES)})
    long = out.melt(id_vars=keys, value_vars=list(STAGES), var_name="stage", value_name="numerator")
    long["stage"] = pd.Categorical(long["stage"], categories=STAGES, ordered=True)
    long["_order"] = long["stage"].cat.codes
    long = long.sort_values(keys + ["_order"], na_position="last", kind="mergesort")
    long = long.reset_index(drop=True)
    prev = long.groupby(keys, dropna=False, sort=False, observed=True)["numerator"].shift(1) if keys \
        else long["numerator"].shift(1)
    long["denominator"] = prev
    created = long.groupby(keys, dropna=False, sort=False, observed=True)["numerator"].transform("first") if keys \
        else pd.Series(long["numerator"].iloc[0] if len(long) else np.nan, index=long.index)
    res = proportion(long.drop(columns="_order"), keys + ["stage"], fill_zero=False)
    res = res.rename(columns={"value": "step_rate"})
    res["value"] = res["numerator"]
    with np.errstate(divide="ignore", invalid="ignore"):
        res["rate_from_created"] = np.where(created > 0, res["numerator"] / created.where(created > 0, 1),
                                            np.nan)
    first = ["value", "step_rate", "numerator", "denominator", "ci_low", "ci_high", "low_sample",
             "rate_from_created"]
    return res[list(keys) + ["stage"] + first].reset_index(drop=True)


# ---------------------------------------------------------------------------
# prospecting and offers
# ---------------------------------------------------------------------------

@kpi(
    name="call_to_meeting_rate", family="funnel",
    needs={"activities": ("occurred_at", "type", "outcome")},
    label={"en": "Call-to-meeting rate", "fr": "Taux de transformation appel-rendez-vous"},
    definition={
        "en": "Prospecting calls that set an appointment divided by prospecting calls.",
        "fr": "Appels de prospection ayant obtenu un rendez-vous divisés par les appels de "
              "prospection.",
    },
    unit="ratio", direction="higher", **ON_ACTIVITIES, seeds=("000",),
)
@fill_doc(window=window_params(
    "occurred_at", "activities",
    by='Activity columns to break down by, e.g. ``"rep_id"``.'))
def call_to_meeting_rate(activities, *, leads=None, by=None, freq=None, start=None, end=None,
                         types=CALL_TYPES):
    """Share of prospecting calls whose outcome is ``appointment_set``.

    Seed 000: 50 prospects phoned, 15 meetings set: 30 %. A call is a prospecting
    call when its ``purpose`` is ``prospecting``. When ``purpose`` is absent (or
    missing on a row), it is derived as for every activity KPI
    (:func:`kit.kpis.activity.with_purpose`): the activity is on a lead
    (``lead_id`` set) not yet converted at ``occurred_at`` (using
    ``leads.converted_at``); without the ``leads`` table, or for a lead the table
    does not hold, a lead activity with no ``customer_id`` counts as prospecting.

    Parameters
    ----------
    activities : DataFrame-like
        Needs ``occurred_at``, ``type``, ``outcome``, and ``purpose`` or ``lead_id``.
    leads : DataFrame-like, optional
        ``lead_id`` and ``converted_at``, to derive the purpose.
    {window}
    types : tuple of str
        Activity types counted as calls; a voicemail is an attempt to reach the
        prospect, as in ``prospect_calls``.

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value``, ``numerator`` (appointments set),
        ``denominator`` (prospecting calls), ``ci_low``, ``ci_high``, ``low_sample``.

    Raises
    ------
    ParameterError
        When ``activities`` has neither ``purpose`` nor ``lead_id``, so prospecting calls
        cannot be told apart (:func:`~kit.kpis._activity_rules.require_purpose_source`).

    Examples
    --------
    >>> import pandas as pd
    >>> acts = pd.DataFrame({"type": ["call", "call", "email"],
    ...     "purpose": ["prospecting", "prospecting", "prospecting"],
    ...     "outcome": ["appointment_set", "no_answer", "appointment_set"],
    ...     "occurred_at": pd.to_datetime(["2026-01-05", "2026-01-06", "2026-01-07"])})
    >>> call_to_meeting_rate(acts)[["value", "numerator", "denominator"]].to_dict("records")
    [{'value': 0.5, 'numerator': 1.0, 'denominator': 2.0}]
    """
    f = lazy(activities, "activities", needs=["occurred_at", "type", "outcome"])
    f = window(f, "occurred_at", start, end)
    require_purpose_source(f)
    f = with_purpose(f, leads)
    f = f.filter(nw.col("type").is_in(list(types)) & (nw.col("purpose") == PROSPECTING))
    f = f.with_columns(_set=flag(nw.col("outcome") == "appointment_set"))
    keys, f = group_keys(f, by, freq, "occurred_at")
    out = collect(aggregate(f, keys, [nw.col("_set").sum().alias("numerator"),
                                      nw.len().alias("denominator")]), keys)
    return proportion(out, keys)


@kpi(
    name="offer_loss_rate", family="funnel",
    needs={"opportunities": ("status", "proposal_at", "closed_at")},
    label={"en": "Offer loss rate", "fr": "Taux d'offres perdues"},
    definition={
        "en": "Closed opportunities that had a proposal and were lost divided by closed "
              "opportunities that had a proposal.",
        "fr": "Opportunités clôturées ayant reçu une proposition et perdues divisées par les "
              "opportunités clôturées ayant reçu une proposition.",
    },
    unit="ratio", direction="lower", tables=("opportunities",), date="opportunities.closed_at",
    seeds=("004",),
)
def offer_loss_rate(opportunities, *, by=None, freq=None, start=None, end=None):
    """Share of offers (proposals sent) that never became a sale, with its trend.

    Seed 004: "I used to close 60 % of the clients I made an offer to, now 40 %":
    the trend matters as much as the level, so with ``freq`` the result carries
    the slope of the rate per month and its p-value.

    Parameters
    ----------
    opportunities : DataFrame-like
        Needs ``status``, ``proposal_at`` and ``closed_at``.
    by : str or list of str, optional
        Columns to break down by (nulls form their own group).
    freq : {None, "W", "M", "Q", "Y"}
        Adds a ``period`` column (start of the period of ``closed_at``); use "M"
        for the monthly trend.
    start, end : date-like, optional
        Keep opportunities closed in ``[start, end)``.

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value``, ``numerator`` (lost),
        ``denominator`` (won + lost, with a proposal), ``ci_low``, ``ci_high``,
        ``low_sample``, ``trend_slope`` and ``trend_p_value``: change of ``value``
        per month and its p-value, from a least-squares fit weighted by the
        denominators (:func:`kit.stats.trend`), the same on every row of a ``by``
        group; missing without ``freq`` or with fewer than three periods.

    Examples
    --------
    >>> import pandas as pd
    >>> opps = pd.DataFrame({"status": ["won", "lost", "lost"],
    ...     "proposal_at": pd.to_datetime(["2026-01-02", "2026-01-03", None]),
    ...     "closed_at": pd.to_datetime(["2026-01-05", "2026-01-09", "2026-01-12"])})
    >>> offer_loss_rate(opps)[["value", "numerator", "denominator"]].to_dict("records")
    [{'value': 0.5, 'numerator': 1.0, 'denominator': 2.0}]
    """
    f = lazy(opportunities, "opportunities", needs=["status", "proposal_at", "closed_at"])
    f = f.filter(nw.col("status").is_in(["won", "lost"]) & ~nw.col("proposal_at").is_null())
    f = window(f, "closed_at", start, end)
    f = f.with_columns(_lost=flag(nw.col("status") == "lost"))
    keys, f = group_keys(f, by, freq, "closed_at")
    out = collect(aggregate(f, keys, [nw.col("_lost").sum().alias("numerator"),
                                      nw.len().alias("denominator")]), keys)
    return with_trend(proportion(out, keys), keys)

