"""Activity KPIs: conversations, prospecting effort, email replies, social engagement.

Every activity KPI reads the ``purpose`` of an activity through :func:`with_purpose`,
which derives it when the column is absent or null: prospecting for an activity on
a lead not yet converted at that time, sales otherwise. Pass the ``leads`` table
(optional) so that the conversion date of the lead decides; without it, an activity
with a ``lead_id`` and no ``customer_id`` is prospecting.

"Sent" emails and "placed" calls are the outbound ones: an activity whose
``direction`` is ``inbound`` is not counted as prospecting effort (a null or absent
``direction`` counts as outbound).
"""

from __future__ import annotations

import narwhals as nw
import numpy as np
import pandas as pd

from kit.errors import ParameterError
from kit.kpis._activity_rules import (  # noqa: F401 (with_purpose is part of this module's API)
    CALL_TYPES, CUSTOMER_SERVICE, ON_ACTIVITIES, PROSPECTING, SALES, is_conversation, with_purpose,
)
from kit.kpis._common import (
    _order, aggregate, collect, columns, flag, group_keys, lazy, period_expr, proportion,
    ratio, window,
)
from kit.kpis._options import is_number
from kit.kpis._docs import fill_doc, window_params
from kit.registry import kpi
from kit.stats import correlation

ENGAGEMENT_COLUMNS = ("reactions", "comments", "shares", "clicks")


def _activities(activities, leads, needs, start, end) -> nw.LazyFrame:
    f = lazy(activities, "activities", needs=["occurred_at", *needs])
    f = window(f, "occurred_at", start, end)
    return with_purpose(f, leads)


def _outbound(f: nw.LazyFrame) -> nw.Expr:
    if "direction" in columns(f):
        return nw.col("direction").is_null() | (nw.col("direction") != "inbound")
    return nw.lit(True)


def _count(f: nw.LazyFrame, hit: nw.Expr, by, freq) -> pd.DataFrame:
    """Count rows where ``hit`` holds, by ``by``/``freq``; every group present gets a row."""
    keys, f = group_keys(f, by, freq, "occurred_at")
    f = f.with_columns(_hit=flag(hit))
    out = collect(aggregate(f, keys, [nw.col("_hit").sum().alias("value")]), keys)
    out["value"] = pd.to_numeric(out["value"], errors="coerce").fillna(0).astype("int64")
    return _order(out, keys, ["value"])


#: The parameters of the activity counts and rates besides ``activities`` (:func:`fill_doc`).
_COMMON_PARAMS = ("leads : DataFrame-like, optional\n"
                  "    Used to derive a missing purpose (see :func:`with_purpose`).\n") \
    + window_params("occurred_at", "activities", by='Columns to break down by, e.g. ``"rep_id"`` or '
                    '``"team"`` (nulls form their\nown group). Every group with an activity in the window '
                    'gets a row.')


def _count_doc(needs: str) -> str:
    """The Parameters and Returns sections of an activity count that needs ``needs``."""
    return (f"Parameters\n----------\nactivities : DataFrame-like\n    Needs {needs}.\n{_COMMON_PARAMS}\n\n"
            "Returns\n-------\nDataFrame\n    ``by`` columns, ``period``, ``value`` (count).")


@kpi(
    name="conversations", family="activity",
    needs={"activities": ("occurred_at", "type", "outcome")},
    label={"en": "Conversations", "fr": "Conversations"},
    definition={
        "en": "Number of connected calls and of meetings and video calls held with prospects or "
              "customers, customer-service activities excluded.",
        "fr": "Nombre d’appels aboutis et de rendez-vous et visioconférences tenus avec des prospects "
              "ou des clients, hors service client.",
    },
    unit="count", direction="higher", **ON_ACTIVITIES, headline=True, seeds=("004",),
)
@fill_doc(count=_count_doc("``occurred_at``, ``type`` and ``outcome``"))
def conversations(activities, *, leads=None, by=None, freq=None, start=None, end=None):
    """Number of real sales conversations.

    Counts calls whose ``outcome`` is ``connected`` or ``appointment_set`` (setting
    an appointment implies someone answered; either direction), and meetings and
    video calls that took place (``outcome`` not ``no_show`` or ``cancelled``),
    except those whose purpose is ``customer_service``. Outcomes are compared
    without regard to case.

    {count}

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"occurred_at": pd.to_datetime(["2026-01-05", "2026-01-06", "2026-01-07"]),
    ...                   "type": ["call", "meeting", "call"], "outcome": ["connected", None, "no_answer"],
    ...                   "purpose": ["sales", "prospecting", "sales"]})
    >>> conversations(a)["value"].tolist()
    [2]
    """
    f = _activities(activities, leads, ["type", "outcome"], start, end)
    return _count(f, is_conversation(columns(f)), by, freq)


@kpi(
    name="prospect_calls", family="activity",
    needs={"activities": ("occurred_at", "type")},
    label={"en": "Prospecting calls", "fr": "Appels de prospection"},
    definition={
        "en": "Number of outbound calls and voicemails made to prospects (purpose prospecting).",
        "fr": "Nombre d’appels sortants et de messages vocaux adressés à des prospects (objet prospection).",
    },
    unit="count", direction="higher", **ON_ACTIVITIES, seeds=("004",),
)
@fill_doc(count=_count_doc("``occurred_at`` and ``type``"))
def prospect_calls(activities, *, leads=None, by=None, freq=None, start=None, end=None):
    """Number of calls placed to prospects, voicemails included.

    {count}

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"occurred_at": pd.to_datetime(["2026-01-05", "2026-01-06", "2026-01-07"]),
    ...                   "type": ["call", "voicemail", "call"],
    ...                   "purpose": ["prospecting", "prospecting", "sales"]})
    >>> prospect_calls(a)["value"].tolist()
    [2]
    """
    f = _activities(activities, leads, ["type"], start, end)
    hit = nw.col("type").is_in(list(CALL_TYPES)) & (nw.col("purpose") == PROSPECTING) & _outbound(f)
    return _count(f, hit, by, freq)


@kpi(
    name="prospecting_emails", family="activity",
    needs={"activities": ("occurred_at", "type")},
    label={"en": "Prospecting emails", "fr": "E-mails de prospection"},
    definition={
        "en": "Number of outbound emails sent to prospects (purpose prospecting).",
        "fr": "Nombre d’e-mails sortants envoyés à des prospects (objet prospection).",
    },
    unit="count", direction="higher", **ON_ACTIVITIES, seeds=("004",),
)
@fill_doc(count=_count_doc("``occurred_at`` and ``type``"))
def prospecting_emails(activities, *, leads=None, by=None, freq=None, start=None, end=None):
    """Number of prospecting emails sent.

    {count}

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"occurred_at": pd.to_datetime(["2026-01-05", "2026-01-06", "2026-01-07"]),
    ...                   "type": ["email", "email", "call"], "direction": ["outbound", "inbound", None],
    ...                   "purpose": ["prospecting", "prospecting", "prospecting"]})
    >>> prospecting_emails(a)["value"].tolist()
    [1]
    """
    f = _activities(activities, leads, ["type"], start, end)
    hit = (nw.col("type") == "email") & (nw.col("purpose") == PROSPECTING) & _outbound(f)
    return _count(f, hit, by, freq)


@kpi(
    name="email_call_balance", family="activity",
    needs={"activities": ("occurred_at", "type")},
    label={"en": "Email / call balance", "fr": "Équilibre e-mails / appels"},
    definition={
        "en": "Prospecting emails divided by prospecting calls per rep, with the correlation of their "
              "weekly counts.",
        "fr": "E-mails de prospection divisés par les appels de prospection par commercial, avec la "
              "corrélation de leurs nombres hebdomadaires.",
    },
    unit="multiple", direction="neutral", **ON_ACTIVITIES, seeds=("004",),
    columns={"numerator": ("count", "emails"), "denominator": ("count", "calls"),
             "r": ("number", "correlation"), "p_value": ("pvalue", "p_value"),
             "n_weeks": ("count", "n_weeks")},
)
def email_call_balance(activities, *, leads=None, by="rep_id", start=None, end=None):
    """Prospecting emails per prospecting call, and whether the two move together.

    ``value`` is emails / calls (as in :func:`prospecting_emails` and
    :func:`prospect_calls`). ``r`` and ``p_value`` are the Pearson correlation of the
    group's weekly emails and weekly calls (:func:`kit.stats.correlation`), over the
    Monday-based weeks in which the group logged any activity (a working week without
    prospecting counts as 0 and 0); fewer than 3 such weeks, or a constant series,
    give missing ``r``.

    Parameters
    ----------
    activities : DataFrame-like
        Needs ``occurred_at`` and ``type``.
    leads : DataFrame-like, optional
        Used to derive a missing purpose (see :func:`with_purpose`).
    by : str or list of str or None, default "rep_id"
        One row per value; ``None`` gives one row for everyone.
    start, end : date-like, optional
        Keep activities in ``[start, end)``.

    Returns
    -------
    DataFrame
        ``by`` columns, ``value``, ``numerator`` (emails), ``denominator`` (calls),
        ``r``, ``p_value``, ``n_weeks``.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"occurred_at": pd.to_datetime(["2026-01-05", "2026-01-06", "2026-01-07"]),
    ...                   "rep_id": ["R1", "R1", "R1"], "type": ["email", "email", "call"],
    ...                   "purpose": ["prospecting", "prospecting", "prospecting"]})
    >>> email_call_balance(a)[["rep_id", "value", "numerator", "denominator"]].to_dict("records")
    [{'rep_id': 'R1', 'value': 2.0, 'numerator': 2.0, 'denominator': 1.0}]
    """
    f = _activities(activities, leads, ["type"], start, end)
    prospecting = (nw.col("purpose") == PROSPECTING) & _outbound(f)
    keys, f = group_keys(f, by, None, "occurred_at")
    f = f.with_columns(
        _email=flag(prospecting & (nw.col("type") == "email")),
        _call=flag(prospecting & nw.col("type").is_in(list(CALL_TYPES))),
        _week=period_expr("occurred_at", "W"),
    )
    sums = [nw.col("_email").sum().alias("numerator"), nw.col("_call").sum().alias("denominator")]
    out = ratio(collect(aggregate(f, keys, sums), keys), keys)
    weekly = collect(aggregate(f, keys + ["_week"], sums), keys + ["_week"])
    cols = ["r", "p_value", "n_weeks"]
    if len(out) == 0:
        return out.assign(**{c: pd.Series(dtype=float) for c in cols})
    if keys:
        # one correlation per group, on the small collected table of weekly counts
        stats = weekly.groupby(keys, dropna=False, sort=False, observed=True)[["numerator", "denominator"]].apply(
            lambda g: pd.Series(correlation(g["numerator"], g["denominator"]))).reset_index()
        out = out.merge(stats, on=keys, how="left")
    else:
        res = correlation(weekly["numerator"], weekly["denominator"])
        out = out.assign(r=res["r"], p_value=res["p_value"], n=res["n"])
    out = out.rename(columns={"n": "n_weeks"})
    out["n_weeks"] = pd.to_numeric(out["n_weeks"], errors="coerce").fillna(0).astype("int64")
    return _order(out, keys, ["value", "numerator", "denominator", *cols])


@kpi(
    name="email_response_rate", family="activity",
    needs={"activities": ("occurred_at", "type", "replied")},
    label={"en": "Prospecting email response rate", "fr": "Taux de réponse aux e-mails de prospection"},
    definition={
        "en": "Prospecting emails that received a reply divided by prospecting emails sent.",
        "fr": "E-mails de prospection ayant reçu une réponse divisés par les e-mails de prospection "
              "envoyés.",
    },
    unit="ratio", direction="higher", **ON_ACTIVITIES, headline=True, seeds=("002",),
)
@fill_doc(common=_COMMON_PARAMS)
def email_response_rate(activities, *, leads=None, by=None, freq=None, start=None, end=None):
    """Share of sent prospecting emails that were replied to.

    A null ``replied`` counts as no reply. The email is attributed to the date it was
    sent, so the latest periods may still gain replies.

    Parameters
    ----------
    activities : DataFrame-like
        Needs ``occurred_at``, ``type`` and ``replied``.
    {common}

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value``, ``numerator`` (replied),
        ``denominator`` (sent), ``ci_low``, ``ci_high``, ``low_sample``. A group
        that sent no prospecting email has a missing value.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"occurred_at": pd.to_datetime(["2026-01-05", "2026-01-06", "2026-01-07"]),
    ...                   "type": ["email", "email", "email"], "replied": [True, False, None],
    ...                   "purpose": ["prospecting", "prospecting", "prospecting"]})
    >>> email_response_rate(a)[["numerator", "denominator"]].to_dict("records")
    [{'numerator': 1.0, 'denominator': 3.0}]
    """
    f = _activities(activities, leads, ["type", "replied"], start, end)
    sent = (nw.col("type") == "email") & (nw.col("purpose") == PROSPECTING) & _outbound(f)
    keys, f = group_keys(f, by, freq, "occurred_at")
    f = f.with_columns(_sent=flag(sent), _replied=flag(sent & (nw.col("replied") == nw.lit(True))))
    out = collect(aggregate(f, keys, [nw.col("_replied").sum().alias("numerator"),
                                      nw.col("_sent").sum().alias("denominator")]), keys)
    return proportion(out, keys)


@kpi(
    name="social_engagement_rate", family="activity",
    needs={"social": ("published_at", "impressions")},
    label={"en": "Social media engagement rate", "fr": "Taux d’engagement sur les réseaux sociaux"},
    definition={
        "en": "Reactions, comments, shares and clicks on the company's posts divided by their impressions.",
        "fr": "Réactions, commentaires, partages et clics sur les publications de l’entreprise divisés "
              "par leurs impressions.",
    },
    unit="ratio", direction="higher", tables=("social",), date="social.published_at", seeds=("002",),
)
@fill_doc(window=window_params(
    "published_at", "posts published",
    by='Columns to break down by, e.g. ``"network"`` (nulls form their own group).'))
def social_engagement_rate(social, *, by=None, freq=None, start=None, end=None):
    """Interactions per impression on the company's social-media posts.

    Interactions are the sum of ``reactions``, ``comments``, ``shares`` and
    ``clicks`` (a null counts as 0; an absent column is left out of the sum). Posts
    without ``impressions`` are left out. Zero impressions give a missing value.

    Parameters
    ----------
    social : DataFrame-like
        Needs ``published_at``, ``impressions`` and at least one of the interaction
        columns.
    {window}

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value``, ``numerator`` (interactions),
        ``denominator`` (impressions), ``posts``.

    Raises
    ------
    ParameterError
        When ``social`` has none of the interaction columns.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"published_at": pd.to_datetime(["2026-01-05", "2026-01-06", "2026-01-07"]),
    ...                   "impressions": [100, 300, 0], "reactions": [5, 10, 0], "clicks": [3, None, 0]})
    >>> social_engagement_rate(s)[["value", "numerator", "denominator", "posts"]].to_dict("records")
    [{'value': 0.045, 'numerator': 18.0, 'denominator': 400.0, 'posts': 3}]
    """
    f = lazy(social, "social", needs=["published_at", "impressions"])
    present = [c for c in ENGAGEMENT_COLUMNS if c in columns(f)]
    if not present:
        raise ParameterError(
            f"table 'social' has none of the interaction columns {list(ENGAGEMENT_COLUMNS)}; "
            f"available columns: {columns(f)}. Map at least one of them at load "
            "(e.g. mapping={'social': {'columns': {'likes': 'reactions'}}})."
        )
    f = f.filter(~nw.col("impressions").is_null())
    f = window(f, "published_at", start, end)
    interactions = sum((nw.col(c).cast(nw.Float64).fill_null(0.0) for c in present[1:]),
                       nw.col(present[0]).cast(nw.Float64).fill_null(0.0))
    keys, f = group_keys(f, by, freq, "published_at")
    f = f.with_columns(_interactions=interactions, _impressions=nw.col("impressions").cast(nw.Float64))
    out = collect(aggregate(f, keys, [nw.col("_interactions").sum().alias("numerator"),
                                      nw.col("_impressions").sum().alias("denominator"),
                                      nw.len().alias("posts")]), keys)
    out["posts"] = pd.to_numeric(out["posts"], errors="coerce").fillna(0).astype("int64")
    return ratio(out, keys)


@kpi(
    name="activity_profile", family="activity",
    needs={"activities": ("occurred_at",)},
    label={"en": "Activity profile (hunter / farmer)", "fr": "Profil d’activité (chasseur / éleveur)"},
    definition={
        "en": "Share of a rep's prospecting and sales activities aimed at prospects: hunter from 60 %, "
              "farmer up to 40 %, mixed in between.",
        "fr": "Part des activités de prospection et de vente d’un commercial tournées vers les prospects : "
              "chasseur à partir de 60 %, éleveur jusqu’à 40 %, mixte entre les deux.",
    },
    unit="ratio", direction="neutral", **ON_ACTIVITIES, seeds=("003",),
    columns={"numerator": ("count", "prospecting_activities"),
             "denominator": ("count", "activities"), "profile": ("text", "profile"),
             "n_customer_service": ("count", "n_customer_service")},
)
def activity_profile(activities, *, leads=None, by="rep_id", freq=None, start=None, end=None,
                     hunter=0.6, farmer=0.4):
    """Share of each rep's commercial activity aimed at prospects, and the profile it implies.

    ``value`` = activities with purpose prospecting / activities with purpose
    prospecting or sales, all types together. Customer-service activities are left
    out of both counts: supporting existing customers is neither hunting nor
    farming, and counting it would push every rep on support duty towards
    "farmer". They are reported in ``n_customer_service``. ``profile`` is
    ``hunter`` when ``value >= hunter``, ``farmer`` when ``value <= farmer``,
    ``mixed`` otherwise, and missing when the rep has no prospecting or sales activity.

    Parameters
    ----------
    activities : DataFrame-like
        Needs ``occurred_at`` and the ``by`` column(s).
    leads : DataFrame-like, optional
        Used to derive a missing purpose (see :func:`with_purpose`).
    by : str or list of str, default "rep_id"
        One row per value (e.g. ``"team"``).
    freq : {None, "W", "M", "Q", "Y"}
        Adds a ``period`` column: one profile per rep and period.
    start, end : date-like, optional
        Keep activities in ``[start, end)``.
    hunter, farmer : float, default 0.6 and 0.4
        Thresholds of the profiles, with ``0 <= farmer < hunter <= 1``.

    Returns
    -------
    DataFrame
        ``by`` columns, ``period``, ``value``, ``numerator`` (prospecting),
        ``denominator`` (prospecting + sales), ``ci_low``, ``ci_high``,
        ``low_sample``, ``profile``, ``n_customer_service``.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"occurred_at": pd.to_datetime(["2026-01-05", "2026-01-06", "2026-01-07"]),
    ...                   "rep_id": ["R1", "R1", "R2"],
    ...                   "purpose": ["prospecting", "prospecting", "sales"]})
    >>> activity_profile(a)[["rep_id", "value", "profile"]].to_dict("records")
    [{'rep_id': 'R1', 'value': 1.0, 'profile': 'hunter'}, {'rep_id': 'R2', 'value': 0.0, 'profile': 'farmer'}]
    """
    if not (is_number(hunter) and is_number(farmer)) or not 0 <= farmer < hunter <= 1:
        raise ParameterError(
            f"hunter={hunter!r}, farmer={farmer!r} are not allowed: the thresholds are shares with "
            "0 <= farmer < hunter <= 1. Pass e.g. hunter=0.6, farmer=0.4."
        )
    f = _activities(activities, leads, [], start, end)
    keys, f = group_keys(f, by, freq, "occurred_at")
    f = f.with_columns(
        _prospecting=flag(nw.col("purpose") == PROSPECTING),
        _commercial=flag(nw.col("purpose").is_in([PROSPECTING, SALES])),
        _service=flag(nw.col("purpose") == CUSTOMER_SERVICE),
    )
    out = collect(aggregate(f, keys, [nw.col("_prospecting").sum().alias("numerator"),
                                      nw.col("_commercial").sum().alias("denominator"),
                                      nw.col("_service").sum().alias("n_customer_service")]), keys)
    out = proportion(out, keys)
    v = out["value"]
    out["profile"] = pd.Series(np.select([v >= hunter, v <= farmer], ["hunter", "farmer"], "mixed"),
                               dtype=object).where(v.notna(), None)
    out["n_customer_service"] = pd.to_numeric(out["n_customer_service"], errors="coerce").fillna(0).astype("int64")
    return _order(out, keys, ["value", "numerator", "denominator", "ci_low", "ci_high", "low_sample",
                              "profile", "n_customer_service"])

