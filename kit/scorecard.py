"""The headline scorecard of a month.

:func:`scorecard` computes every KPI the registry marks ``headline=True`` for one
month, with the previous month, the same month a year before, the target where one
exists and the status :func:`kit.present.decide` gives (better, worse, unclear,
unknown, nodata). :func:`report_dataset` loads a dataset as it
was known at the end of a month, for one team. Numbers stay numbers: formatting is
:func:`kit.i18n.format_value`'s job.

Examples
--------
>>> import pandas as pd, kit
>>> from kit.scorecard import month_bounds, scorecard
>>> month_bounds("2026-02")
(Timestamp('2026-02-01 00:00:00'), Timestamp('2026-03-01 00:00:00'))
>>> ds = kit.Dataset({"opportunities": pd.DataFrame({
...     "opportunity_id": ["O1", "O2", "O3"], "status": ["won", "lost", "won"],
...     "created_at": pd.to_datetime(["2025-12-01", "2026-01-03", "2026-01-04"]),
...     "closed_at": pd.to_datetime(["2026-01-05", "2026-02-09", "2026-02-11"])})})
>>> row = scorecard(ds, "2026-02").set_index("name").loc["win_rate"]
>>> float(row["value"]), float(row["previous"]), float(row["change"]), row["status"], row["note"]
(0.5, 1.0, -0.5, 'unknown', '2 opportunities (small sample)')
"""

from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np
import pandas as pd

from kit import registry
from kit.api import compute
from kit.availability import availability
from kit.contract import CONTRACT
from kit.coverage import coverage
from kit.dataset import Dataset, _schema_names
from kit.dates import (last_complete_month, month_bounds, month_range,  # noqa: F401 - kit.scorecard API
                       parse_month, shift_month)
from kit.errors import DataError, KitError, KitWarning, ParameterError, did_you_mean
from kit.i18n import LANGS, check_lang, format_month
from kit.io.cache import cache_dir, dataset_key, derive_key, read, set_dataset_key, write
from kit.io.options import load
from kit.present import decide, note

#: Columns of :func:`scorecard`, in order.
COLUMNS = [
    "name", "label", "unit", "direction", "value", "numerator", "denominator",
    "ci_low", "ci_high", "low_sample", "n_censored", "previous", "previous_numerator",
    "previous_denominator", "previous_low_sample", "previous_n_censored", "change",
    "same_month_last_year", "target", "status", "target_status", "test", "p_value", "note",
    "scope", "reason",
]

#: Units of KPIs made of counts, whose monthly rows are exactly a one-month call's result.
_EXACT_UNITS = ("count", "ratio", "score")
_STATS = ["value", "numerator", "denominator", "ci_low", "ci_high", "n_censored"]


def teams(ds: Dataset) -> list[str]:
    """Sorted distinct values of the ``team`` column over the tables that have one.

    Examples
    --------
    >>> import pandas as pd
    >>> teams(Dataset({"reps": pd.DataFrame({"rep_id": ["R1", "R2", "R3"],
    ...     "team": ["Sud", "Nord", None]})}))
    ['Nord', 'Sud']
    """
    return sorted({str(v) for v in ds.distinct("team")})


def without_team(ds: Dataset, name: str) -> list[str]:
    """Tables read by KPI ``name`` that have no ``team`` column: a team filter leaves them whole.

    A team's report shows such a KPI (CSAT from surveys, CAC from costs...) for all
    teams; the notebooks and ``kpis.json`` (column ``scope``) say so.

    Examples
    --------
    >>> import pandas as pd
    >>> ds = Dataset({"surveys": pd.DataFrame({"survey_id": ["S1"], "csat": [4]}),
    ...               "orders": pd.DataFrame({"order_id": ["A"], "team": ["Nord"]})})
    >>> without_team(ds, "csat"), without_team(ds, "revenue")
    (['surveys'], [])
    """
    spec = registry.get(name)
    return [t for t in spec.tables if t in ds.tables and "team" not in _schema_names(ds.tables, t)]


def filter_team(ds: Dataset, team: str | None) -> Dataset:
    """``ds`` restricted to ``team`` (unchanged when ``team`` is empty or None).

    Tables without a ``team`` column (surveys, costs, social...) are kept whole.

    Raises
    ------
    ParameterError
        When no table has a team column, or the team is not in the data.

    Examples
    --------
    >>> import pandas as pd
    >>> ds = Dataset({"reps": pd.DataFrame({"rep_id": ["R1", "R2"], "team": ["Nord", "Sud"]})})
    >>> filter_team(ds, "Sud").reps["rep_id"].tolist()
    ['R2']
    >>> filter_team(ds, "Nrd")
    Traceback (most recent call last):
    ...
    kit.errors.ParameterError: team='Nrd' is not in the data (did you mean 'Nord'?); teams: 'Nord', 'Sud'. ...
    """
    if team is None or team == "":
        return ds
    known = teams(ds)
    if not known:
        raise ParameterError(
            f"team={team!r}: no table of the dataset has a team column, so it cannot be "
            "restricted to a team. Add reps.csv with a team column, or leave team empty."
        )
    if team not in known:
        raise ParameterError(
            f"team={team!r} is not in the data{did_you_mean(team, known)}; teams: "
            f"{', '.join(repr(t) for t in known)}. Pass one of them, or leave team empty for all teams."
        )
    return ds.filter(team=team)


def report_dataset(source, month, team: str = "", **load_kw) -> Dataset:
    """The dataset as it was known at the end of ``month``, restricted to ``team``.

    Loads ``source`` with :func:`kit.load_dataset` (through
    :func:`kit.io.options.load`), then keeps the rows dated before the end of the
    month, or up to the dataset's ``as_of`` when it is earlier (each table's date
    column), sets ``as_of`` there and, when ``team`` is given, keeps the rows of
    that team. ``source`` may also
    be a loaded :class:`~kit.dataset.Dataset`, which is then not reloaded.

    Parameters
    ----------
    source : str, path, dict or Dataset
        What :func:`kit.load_dataset` takes (folder, database URL, dict of frames).
    month : str
        ``"YYYY-MM"``.
    team : str
        Empty for every team.
    **load_kw
        Passed to :func:`kit.load_dataset` (``preset=``, ``mapping=``, ``currency=``,
        ``as_of=``, ``locale=``, ``backend=``...); empty strings mean "not given".

    Examples
    --------
    >>> import pandas as pd
    >>> ds = Dataset({"orders": pd.DataFrame({"order_id": ["A", "B", "C"],
    ...     "ordered_at": pd.to_datetime(["2026-01-05", "2026-02-05", "2026-03-05"]),
    ...     "amount": [1.0, 2.0, 3.0]})})
    >>> cut = report_dataset(ds, "2026-02")
    >>> cut.orders["order_id"].tolist(), str(cut.as_of)
    (['A', 'B'], '2026-02-28 23:59:59.999999')
    """
    start, end = month_bounds(month)
    if isinstance(source, Dataset):
        ds = source
    else:
        ds = load(source, **load_kw)
    if ds.as_of is not None and ds.as_of < end:
        # the data stops (or the user's as_of is) before the month ends: as_of says how far it goes
        end = ds.as_of + pd.Timedelta(microseconds=1)
    cut = filter_team(ds.filter(end=end), team)
    # the same load cut the same way holds the same rows: the key of that (kit.io.cache)
    return set_dataset_key(cut, derive_key(dataset_key(ds), "report_dataset", end, team or ""))


def scorecard(ds: Dataset, month, *, lang: str = "en", team: str | None = None,
              names=None) -> pd.DataFrame:
    """One row per headline KPI of the registry for ``month``.

    Each KPI is computed on the data known at the end of the month (``ds`` cut at
    the month's end, so cohort KPIs censor at that date), with ``start``/``end`` set
    to the month when the KPI takes them, else with ``freq="M"`` and the month's row,
    else on everything known at the month's end. Cohort KPIs (those taking
    ``as_of``, such as ``repeat_purchase_rate`` or ``ltv``) are computed on every
    cohort known at the end of the month, censored at that date: the cohort of the
    month itself is always too young to tell. The same is done for the previous
    month and for the same month a year before. A KPI the dataset cannot give
    (:func:`kit.availability.availability`: a missing table or column, an empty
    table) has its row with every figure missing and the sentence saying why in
    ``reason``; a month outside the dates of a table the KPI needs is unknown
    (missing), never 0; so is a KPI whose event the data does not record (the return
    rate of orders without any return line). KPIs that fail on the data anyway
    (:class:`~kit.errors.DataError`, :class:`~kit.errors.ParameterError`) get the
    same treatment as those the dataset cannot give, with a
    :class:`~kit.errors.KitWarning` naming them and the error in
    ``result.attrs["skipped"]``.

    Parameters
    ----------
    ds : Dataset
    month : str
        ``"YYYY-MM"``.
    lang : {"en", "fr"}
        Language of ``label``.
    team : str, optional
        Restrict to one team first.
    names : list of str, optional
        KPIs to show instead of the registry's headline KPIs, in this order.

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`: ``name``, ``label``, ``unit``, ``direction``,
        ``value``, ``numerator``, ``denominator``, ``ci_low``, ``ci_high`` (95 %
        interval, proportions only), ``low_sample``, ``n_censored`` (cohort members
        too recent to tell), the same for the previous month (``previous``,
        ``previous_numerator``...), ``change`` (``value - previous``, in the KPI's
        unit), ``same_month_last_year``, ``target`` (what the KPI's
        :attr:`~kit.registry.KPISpec.target` says: another result's column, such as
        the month's ``revenue_target`` for revenue, or a fixed value, 1.0 for revenue
        against target), ``status``, ``target_status``, ``test`` and ``p_value`` from
        :func:`kit.present.decide` (better / worse / unclear / unknown / nodata, and
        above / below / on target), ``note`` (why a KPI is ``unknown`` or ``nodata``,
        in ``lang``: "3 leads; 158 too recent", "no NPS answer in October 2026");
        ``scope``: ``"team"`` for a KPI restricted to ``team``, ``"all"`` for one
        over all teams (no team given, or its tables have no team column: see
        :func:`without_team`); ``reason``: empty, or why the month's value is unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> opps = pd.DataFrame({"opportunity_id": [f"O{i}" for i in range(80)],
    ...     "status": ["won"] * 10 + ["lost"] * 30 + ["won"] * 30 + ["lost"] * 10,
    ...     "created_at": [pd.Timestamp("2025-12-01")] * 80,
    ...     "closed_at": [pd.Timestamp("2026-01-10")] * 40 + [pd.Timestamp("2026-02-10")] * 40})
    >>> sc = scorecard(Dataset({"opportunities": opps}), "2026-02", lang="fr")
    >>> row = sc.set_index("name").loc["win_rate"]
    >>> row["label"], float(row["value"]), float(row["previous"]), row["status"], row["test"]
    ('Taux de réussite', 0.75, 0.25, 'better', 'proportion')
    """
    check_lang(lang)
    base = dataset_key(ds)
    ds = filter_team(ds, team)
    p = parse_month(month)
    months = {"value": p, "previous": p - 1, "same_month_last_year": p - 12}
    cuts = _Cuts(ds)
    chosen = [s for s in registry.specs() if s.headline] if names is None else [
        registry.get(n) for n in ([names] if isinstance(names, str) else names)]
    rows, skipped, cov = [], {}, None
    # the rows of a loaded dataset are shared by the processes of a report (kit.io.cache):
    # the same load, month, language and team give the same row, computed once
    shared = derive_key(base, "scorecard", str(p), lang, team or "") if cache_dir() else None
    for spec in chosen:
        key = derive_key(shared, spec.name)
        found = read(key)
        if found is None:
            cov = coverage(ds) if cov is None else cov
            found = _row(ds, spec, months, cuts, cov, p, lang, team)
            write(key, found)
        row, problem = found
        rows.append(row)
        if problem is not None:
            skipped[spec.name] = problem
    out = pd.DataFrame(rows, columns=COLUMNS)
    for col in ["value", "numerator", "denominator", "ci_low", "ci_high", "n_censored", "previous",
                "previous_numerator", "previous_denominator", "previous_n_censored", "change",
                "same_month_last_year", "target", "p_value"]:
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    for col in ("low_sample", "previous_low_sample"):
        out[col] = out[col].astype("boolean")
    out = out.reset_index(drop=True)
    out.attrs["skipped"] = skipped
    if skipped:
        warnings.warn(
            "scorecard: no value for " + "; ".join(f"{k} ({v})" for k, v in skipped.items()),
            KitWarning, stacklevel=2)
    return out


def _row(ds: Dataset, spec, months: dict, cuts: "_Cuts", cov, p: pd.Period, lang: str, team) -> tuple:
    """The scorecard row of KPI ``spec`` (a dict) and, when it failed on the data, the error's text."""
    row = {"name": spec.name, "label": spec.label[lang], "unit": spec.unit,
           "direction": spec.direction, "reason": ""}
    av = availability(ds, spec.name, cov=cov)
    if not av.ok:  # present, unknown, with the reason
        return _unknown(row, av.reason(lang), ds, spec, team), None
    try:
        values = _shared_months(cuts, spec, months)
        values = {key: values[key] if key in values
                  else _month_values(cuts.at(m, spec.name), spec, m, cuts.memo)
                  for key, m in months.items()}
    except (DataError, ParameterError) as exc:
        return _unknown(row, str(exc), ds, spec, team), str(exc)
    for key, m in months.items():  # a month outside the dates of a table: unknown, not 0
        start, end = month_bounds(m)
        outside = availability(ds, spec.name, start=start, end=end, cov=cov,
                               period={lg: format_month(start, lg) for lg in LANGS})
        if outside.outside:
            values[key] = {**_values(pd.DataFrame()), "_result": values[key]["_result"].iloc[:0]}
            if key == "value":
                row["reason"] = outside.reason(lang)
    row.update({k: v for k, v in values["value"].items() if k != "_result"})
    row.update({f"previous_{k}" if k != "value" else "previous": v
                for k, v in values["previous"].items() if k in (*_STATS, "low_sample")})
    row["same_month_last_year"] = values["same_month_last_year"]["value"]
    row["change"] = row["value"] - row["previous"]
    target_kpi = spec.target[0] if isinstance(spec.target, tuple) else spec.name
    row["target"] = _target(cuts.at(months["value"], spec.name, target_kpi), spec,
                            months["value"], values["value"]["_result"], cuts.memo)
    decided = decide(row, spec)
    row.update({k: decided[k] for k in ("status", "target_status", "test", "p_value")})
    row["note"] = note({**row, "why": decided["why"]}, p, lang)
    row["scope"] = "team" if team and not without_team(ds, spec.name) else "all"
    return row, None


def _unknown(row: dict, reason: str, ds: Dataset, spec, team) -> dict:
    """A scorecard row of a KPI that cannot be computed: every figure missing, the reason said."""
    row = dict(row, reason=reason, note=reason, low_sample=None, previous_low_sample=None,
               status="nodata", target_status=None, test=None,
               scope="team" if team and not without_team(ds, spec.name) else "all")
    row.update({c: float("nan") for c in [*_STATS, "previous", "change", "same_month_last_year", "target",
                                          "n_censored", "previous_numerator", "previous_denominator",
                                          "previous_n_censored", "p_value"]})
    return row


def _float(v) -> float:
    try:
        return float(v) if v is not None and not pd.isna(v) else float("nan")
    except (TypeError, ValueError):
        return float("nan")


class _Cuts:
    """``ds`` as known at the end of each month, cut table by table when first needed.

    :meth:`Dataset.filter` cuts every table; a KPI reads only its own tables, so
    each table is cut once per month end, when a KPI first needs it.
    ``memo`` keeps KPI results computed on these cuts, keyed by the month end,
    the KPI and its options, so that a result used twice (a KPI and the target
    of another) is computed once.
    """

    def __init__(self, ds: Dataset):
        self.ds, self.frames, self.as_of, self.memo = ds, {}, {}, {}

    def at(self, month: pd.Period, *names: str) -> Dataset:
        """The dataset cut at the end of ``month``, with the tables KPIs ``names`` read."""
        end = month_bounds(month)[1]
        if self.ds.as_of is None:  # no date at all: as_of of a partial cut would differ
            return self.ds.filter(end=end)
        needed = []
        for name in names:
            spec = registry.get(name)
            needed += [t for t in (*spec.tables, *spec.optional_tables)
                       if t in self.ds.tables and t not in needed]
        todo = [t for t in needed if (end, t) not in self.frames]
        if todo or end not in self.as_of:
            part = replace(self.ds, tables={t: self.ds.tables[t] for t in todo}).filter(end=end)
            self.frames.update({(end, t): part.tables[t] for t in todo})
            self.as_of[end] = part.as_of
        return replace(self.ds, tables={t: self.frames[(end, t)] for t in needed},
                       as_of=self.as_of[end])


def _one_table_windowed(spec, ds: Dataset) -> bool:
    """Whether ``spec`` reads one table, windowed on the column the dataset is cut by.

    Then its result for a month is the same on the data known at the end of that
    month and on the data known later: the cut only drops rows after the month.
    Only counts, ratios and scores qualify: sums of amounts by month may differ
    from the sum of one month in the last digit (another order of additions).
    """
    opts = spec.options
    if spec.unit not in _EXACT_UNITS or "as_of" in opts or not {"start", "end", "freq"} <= set(opts):
        return False
    if len(spec.tables) != 1 or any(t in ds.tables for t in spec.optional_tables):
        return False
    table = spec.tables[0]
    return (table in CONTRACT and table not in ("products", "customers")
            and spec.date == f"{table}.{CONTRACT[table].date_column}")


def _shared_months(cuts: "_Cuts", spec, months: dict) -> dict:
    """The values of the months of ``months`` that one ``freq="M"`` call gives.

    For a KPI read from one table windowed on the column the dataset is cut by
    (:func:`_one_table_windowed`), the KPI is computed once by month from the
    first to the last month of ``months`` on the data known at the end of the
    last one, and each month's row is taken. A month without its row (no data
    that month: a windowed call may still give a row, e.g. a count of 0) is
    left out, to be computed on its own.
    """
    if cuts.ds.as_of is None or not _one_table_windowed(spec, cuts.ds):
        return {}
    first, last = min(months.values()), max(months.values())
    res = _compute(cuts.at(last, spec.name), spec.name, cuts.memo, freq="M",
                   start=month_bounds(first)[0], end=month_bounds(last)[1])
    if "period" not in res.columns:
        return {}
    period = pd.to_datetime(res["period"])
    out = {}
    for key, month in months.items():
        rows = res[period == month_bounds(month)[0]]
        if len(rows) == 1:
            out[key] = _values(rows.drop(columns="period").reset_index(drop=True))
    return out


def _compute(ds: Dataset, name: str, memo: dict | None, **options) -> pd.DataFrame:
    """:func:`kit.compute`, remembered in ``memo`` by the cut (its frames and ``as_of``), KPI and options."""
    if memo is None:
        return compute(ds, name, **options)
    # the cut is told by its frames (kept alive by the _Cuts holding them) and as_of
    key = (ds.as_of, tuple(id(f) for f in ds.tables.values()), name,
           tuple(sorted((k, str(v)) for k, v in options.items())))
    if key not in memo:
        memo[key] = compute(ds, name, **options)
    return memo[key]


def _month_values(ds: Dataset, spec, month: pd.Period, memo: dict | None = None) -> dict:
    """value, numerator, denominator, ci_low, ci_high, low_sample of ``spec`` for ``month``."""
    start, end = month_bounds(month)

    def compute(ds, name, **options):
        return _compute(ds, name, memo, **options)

    form = spec.headline_form
    if form == "cohorts":
        # cohort KPI: the cohorts of one month are all censored at its end, so use
        # every cohort known at the end of the month (censored at that date)
        res = compute(ds, spec.name, end=end)
    elif form == "month":
        res = compute(ds, spec.name, start=start, end=end)
    elif form == "monthly":
        res = compute(ds, spec.name, freq="M")
        if "period" in res.columns:
            res = res[pd.to_datetime(res["period"]) == start]
    else:
        res = compute(ds, spec.name)
    if form in ("cohorts", "all") and len(res) > 1 and "period" in res.columns \
            and not res["period"].duplicated().any():
        # one row a period (a yearly rate): the latest period with a value
        known = res[res["value"].notna()] if res["value"].notna().any() else res
        res = known[pd.to_datetime(known["period"]) == pd.to_datetime(known["period"]).max()]
    if len(res) > 1:
        raise KitError(
            f"headline KPI {spec.name!r} returned {len(res)} rows for {month}; a headline KPI "
            "must return one row when called without by=. Set headline=False in its @kpi "
            "entry, or make it return one row."
        )
    return _values(res)


def _values(res: pd.DataFrame) -> dict:
    """The :data:`_STATS` and ``low_sample`` of a one-row result (missing when empty)."""
    out = {c: float("nan") for c in _STATS}
    out["low_sample"] = None
    out["_result"] = res
    if len(res) == 1:
        rec = res.iloc[0]
        for c in _STATS:
            if c in res.columns:
                out[c] = _float(rec[c])
        if "low_sample" in res.columns and not pd.isna(rec["low_sample"]):
            out["low_sample"] = bool(rec["low_sample"])
    return out


def _target(ds: Dataset, spec, month: pd.Period, own: pd.DataFrame, memo: dict | None = None) -> float:
    """The month's target for ``spec`` as the KPI layer computes it; NaN when there is none.

    ``own`` is the KPI's result for the month, used when it carries the target itself.
    """
    if isinstance(spec.target, float):
        return spec.target if not np.isnan(_float(own["value"].iloc[0] if len(own) else None)) \
            else float("nan")
    if spec.target is None or "targets" not in ds.tables:
        return float("nan")
    name, column = spec.target
    start, end = month_bounds(month)
    if name == spec.name:
        res = own
    else:
        try:
            res = _compute(ds, name, memo, start=start, end=end)
        except (DataError, ParameterError):  # e.g. targets without this target column
            return float("nan")
    if column not in res.columns or len(res) != 1:
        return float("nan")
    return _float(res[column].iloc[0])
