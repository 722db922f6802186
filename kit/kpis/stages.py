"""The funnel of opportunity stages, for datasets without leads (deals-only CRM exports).

:func:`stage_funnel` counts the opportunities reaching each stage of the pipeline,
from ``stage_history`` when the dataset has it, else from the current ``stage`` of
each opportunity, then those won, with the rate of passage from one step to the
next and its Wilson interval.

Examples
--------
>>> import pandas as pd
>>> opps = pd.DataFrame({"opportunity_id": ["O1", "O2", "O3", "O4"],
...     "created_at": pd.to_datetime(["2026-01-05"] * 4),
...     "status": ["won", "lost", "open", "open"]})
>>> hist = pd.DataFrame({"opportunity_id": ["O1", "O1", "O1", "O2", "O2", "O3", "O4", "O4"],
...     "stage": ["new", "offer", "won", "new", "lost", "new", "new", "offer"],
...     "entered_at": pd.to_datetime(["2026-01-05", "2026-01-09", "2026-01-20", "2026-01-05",
...                                   "2026-01-07", "2026-01-05", "2026-01-05", "2026-01-12"])})
>>> stage_funnel(opps, stage_history=hist)[["stage", "value", "step_rate"]].to_dict("records")
[{'stage': 'new', 'value': 4.0, 'step_rate': nan}, {'stage': 'offer', 'value': 2.0, 'step_rate': 0.5}, {'stage': 'won', 'value': 1.0, 'step_rate': 0.5}]
"""

from __future__ import annotations

import narwhals as nw
import numpy as np
import pandas as pd

from kit.errors import ParameterError
from kit.kpis._common import as_ts, collect, columns, group_keys, lazy, proportion, resolve_as_of
from kit.kpis._docs import fill_doc, window_params
from kit.registry import kpi

#: Name of the last step: the opportunities won (``status == "won"``).
WON = "won"

RESULT_COLUMNS = ["stage", "value", "step_rate", "numerator", "denominator", "ci_low", "ci_high",
                  "low_sample", "rate_from_first"]


@kpi(
    name="stage_funnel", family="funnel",
    needs={"opportunities": ("opportunity_id", "created_at", "status")},
    label={"en": "Funnel of opportunity stages", "fr": "Entonnoir des étapes des opportunités"},
    definition={
        "en": "Opportunities reaching each stage of the pipeline (from the stage history, or the "
              "current stage), then won, and the rate of passage from the previous step.",
        "fr": "Opportunités atteignant chaque étape du pipeline (d'après l'historique des étapes, "
              "ou l'étape actuelle), puis gagnées, et le taux de passage depuis l'étape précédente.",
    },
    unit="count", direction="higher", tables=("opportunities",),
    optional_tables=("stage_history",), date="opportunities.created_at",
)
@fill_doc(window=window_params(
    "created_at", "opportunities created",
    by="Opportunity columns to break down by (nulls form their own group).", cohort=True))
def stage_funnel(opportunities, *, stage_history=None, stages=None, by=None, freq=None, start=None,
                 end=None, as_of=None):
    """Opportunities reaching each stage, then won, with step rates and Wilson intervals.

    The stages and their order come from the data:

    * with ``stage_history``, each opportunity's stages are ranked by the time it
      first entered them, and stages are ordered by their mean rank;
    * without it, from the current ``stage`` of each opportunity, ordered by the
      median age of the opportunities in the stage (days from ``created_at`` to
      ``closed_at``, or to ``as_of`` while open): deals further on are older.

    ``stages=[...]`` gives the order instead (stages not listed count in the first
    step only). Closing stages (a stage every opportunity entering it ends in, all
    won or all lost, e.g. ``Closed Won`` / ``Closed Lost``) are not steps: the last
    step is ``won``, from ``status``. An opportunity counts at the furthest step it
    reached *and at every step before it* (CRMs skip stages), so counts never grow
    from one step to the next; every opportunity counts in the first step, and a won
    opportunity in every step.

    Parameters
    ----------
    opportunities : DataFrame-like
        Needs ``opportunity_id``, ``created_at``, ``status``; ``stage`` without
        ``stage_history``; ``closed_at`` is used when present.
    stage_history : DataFrame-like, optional
        ``opportunity_id``, ``stage``, ``entered_at`` (``kit.compute`` passes it when
        the dataset has it).
    stages : list of str, optional
        The stages in pipeline order; default: from the data, as above.
    {window}
    as_of : date-like, optional
        End of the data, for the age of open opportunities (``kit.compute`` passes
        ``ds.as_of``); default the latest ``created_at`` or ``closed_at``.

    Returns
    -------
    DataFrame
        One row per step (and ``by``/``period`` group), steps in pipeline order as an
        ordered categorical ``stage``: ``value`` (opportunities reaching it),
        ``step_rate`` = ``numerator`` / ``denominator`` (reaching this step / the
        previous one; missing for the first), ``ci_low``, ``ci_high``, ``low_sample``,
        ``rate_from_first`` (value / first step).

    Raises
    ------
    ParameterError
        Without ``stage_history`` and without a ``stage`` column; for ``stages`` that
        is not a list of names.

    Examples
    --------
    From the current stage only (O3 and O4 are open; O3 older, so ``offer`` comes
    after ``new``; the lost deal sits in the closing stage ``lost``):

    >>> import pandas as pd
    >>> opps = pd.DataFrame({"opportunity_id": ["O1", "O2", "O3", "O4"],
    ...     "created_at": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-03", "2026-02-20"]),
    ...     "status": ["won", "lost", "open", "open"], "stage": ["won", "lost", "offer", "new"],
    ...     "closed_at": pd.to_datetime(["2026-02-01", "2026-01-10", None, None])})
    >>> out = stage_funnel(opps, as_of="2026-03-01")
    >>> out[["stage", "value", "numerator", "denominator"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'stage': 'new', 'value': 4.0, 'numerator': 4.0, 'denominator': nan},
     {'stage': 'offer', 'value': 2.0, 'numerator': 2.0, 'denominator': 4.0},
     {'stage': 'won', 'value': 1.0, 'numerator': 1.0, 'denominator': 2.0}]
    """
    if stages is not None and (isinstance(stages, str) or not all(isinstance(s, str) for s in stages)):
        raise ParameterError(f"stages={stages!r} is not allowed; pass the stage names in pipeline "
                             "order, e.g. stages=['new', 'qualified', 'proposal'], or None.")
    o = lazy(opportunities, "opportunities", needs=["opportunity_id", "created_at", "status"])
    have = columns(o)
    if stage_history is None and "stage" not in have:
        raise ParameterError(
            f"stage_funnel needs the stage_history table or a 'stage' column of opportunities; "
            f"opportunities has {have}. Add stage_history.csv (opportunity_id, stage, entered_at) "
            "or map the stage column of your export to 'stage'.")
    as_of = resolve_as_of(as_of, (o, "created_at"), (o, "closed_at"))
    keys, o = group_keys(o, by, freq, "created_at")
    wanted = list(dict.fromkeys(["opportunity_id", "created_at", "status"] + keys
                                + [c for c in ("closed_at", "stage") if c in have]))
    opps = collect(o.select(*wanted)).drop_duplicates("opportunity_id")
    if stage_history is not None:
        h = lazy(stage_history, "stage_history", needs=["opportunity_id", "stage", "entered_at"])
        entries = collect(h.filter(~nw.col("stage").is_null()).group_by("opportunity_id", "stage")
                          .agg(nw.col("entered_at").min()))
        entries = entries[entries["opportunity_id"].isin(opps["opportunity_id"])]
    else:
        entries = opps.loc[opps["stage"].notna(), ["opportunity_id", "stage"]].copy()
        entries["entered_at"] = pd.NaT
    status = opps.set_index("opportunity_id")["status"]
    order = list(stages) if stages is not None else _order(entries, opps, status, as_of,
                                                          stage_history is not None)
    s, e = as_ts(start), as_ts(end)
    if s is not None:
        opps = opps[opps["created_at"] >= s]
    if e is not None:
        opps = opps[opps["created_at"] < e]
    rank = {name: i for i, name in enumerate(order)}
    reached = entries.assign(_i=entries["stage"].map(rank)).groupby("opportunity_id", observed=True)["_i"].max()
    depth = opps["opportunity_id"].map(reached).fillna(0).clip(lower=0)
    depth = depth.where(opps["status"] != WON, len(order)).astype(int)
    steps = order + [WON]
    wide = opps[keys].copy()
    for i in range(len(steps)):
        wide[f"_s{i}"] = (depth.to_numpy() >= i).astype(float)
    if keys:
        wide = wide.groupby(keys, dropna=False, sort=False, observed=True).sum().reset_index()
    else:
        wide = wide.sum().to_frame().T if len(wide) else pd.DataFrame(
            {f"_s{i}": [0.0] for i in range(len(steps))})
    return _step_rows(wide, keys, steps)


def _order(entries: pd.DataFrame, opps: pd.DataFrame, status: pd.Series, as_of, history: bool) -> list:
    """Stages in pipeline order, closing stages left out (see :func:`stage_funnel`)."""
    if not len(entries):
        return []
    e = entries.assign(_status=entries["opportunity_id"].map(status))
    if history:
        e = _in_history_order(e)
        e["_rank"] = e.groupby("_opp", sort=False, observed=True).cumcount()
        e["_last"] = e["_rank"] == e.groupby("_opp", sort=False, observed=True)["_rank"].transform("max")
    else:
        e["_last"] = True
    closing = set()
    for name, g in e.groupby("stage", sort=False, observed=True):
        outcomes = set(g["_status"].dropna())
        if g["_last"].all() and len(outcomes) == 1 and outcomes <= {"won", "lost"} \
                and g["_status"].notna().all():
            closing.add(name)
    e = e[~e["stage"].isin(closing)]
    if not len(e):
        return []
    if history:  # still in history order: the ranks without the closing stages
        e["_rank"] = e.groupby("_opp", sort=False, observed=True).cumcount()
        score = e.groupby("stage", observed=True)["_rank"].mean()
        tie = e.groupby("stage", observed=True)["entered_at"].median()
    else:
        info = opps.set_index("opportunity_id")
        stop = info["closed_at"] if "closed_at" in info.columns else pd.Series(pd.NaT, index=info.index)
        stop = pd.to_datetime(stop).fillna(pd.Timestamp(as_of) if as_of is not None else pd.NaT)
        age = (stop - pd.to_datetime(info["created_at"])) / pd.Timedelta(days=1)
        score = e.assign(_age=e["opportunity_id"].map(age)).groupby("stage", observed=True)["_age"].median()
        tie = pd.Series(0.0, index=score.index)
    table = pd.DataFrame({"score": score, "tie": tie}).reset_index()
    table = table.sort_values(["score", "tie", "stage"], kind="mergesort", na_position="last")
    return table["stage"].astype(str).tolist()


def _in_history_order(e: pd.DataFrame) -> pd.DataFrame:
    """Stage entries sorted by opportunity, then date entered (missing last), then stage name.

    Sorted on integer codes rather than on the text itself (the order of the
    opportunities among themselves does not matter, only their grouping); ``_opp``
    holds the opportunity's code.
    """
    opp = pd.factorize(e["opportunity_id"])[0]
    stage = pd.factorize(e["stage"], sort=True)[0]  # codes in the order of the names
    when = e["entered_at"].to_numpy(dtype="datetime64[ns]").view("i8").copy()
    when[pd.isna(e["entered_at"]).to_numpy()] = np.iinfo("i8").max  # missing dates last
    order = np.lexsort((stage, when, opp))  # the last key sorts first; stable
    return e.iloc[order].assign(_opp=opp[order])


def _step_rows(wide: pd.DataFrame, keys: list, steps: list) -> pd.DataFrame:
    """One row per group and step from one row per group with ``_s0.._sN`` counts."""
    names = {f"_s{i}": s for i, s in enumerate(steps)}
    long = wide.rename(columns=names).melt(id_vars=keys, value_vars=steps, var_name="stage",
                                           value_name="numerator")
    long["stage"] = pd.Categorical(long["stage"], categories=steps, ordered=True)
    long["_o"] = long["stage"].cat.codes
    long = long.sort_values(keys + ["_o"], na_position="last", kind="mergesort").reset_index(drop=True)
    group = long.groupby(keys, dropna=False, sort=False, observed=True)["numerator"] if keys else None
    long["denominator"] = group.shift(1) if keys else long["numerator"].shift(1)
    first = group.transform("first") if keys else pd.Series(
        long["numerator"].iloc[0] if len(long) else np.nan, index=long.index)
    res = proportion(long.drop(columns="_o"), keys + ["stage"], fill_zero=False)
    res = res.rename(columns={"value": "step_rate"})
    res["value"] = res["numerator"]
    with np.errstate(divide="ignore", invalid="ignore"):
        res["rate_from_first"] = np.where(first > 0, res["numerator"] / first.where(first > 0, 1),
                                          np.nan)
    if keys:
        res = res.sort_values(keys + ["stage"], na_position="last", kind="mergesort")
    return res[list(keys) + RESULT_COLUMNS].reset_index(drop=True)
