"""Why a KPI moved: its change between two months split into the effect of each group.

:func:`explain_change` compares a KPI in ``month`` with the month before (or the same
month a year before) and splits the change over the groups of ``by``:

- **ratio KPIs** (a sum of numerators over a sum of denominators: win rate, CSAT,
  average basket...). With ``w`` a group's share of the denominator and ``r`` its
  rate, the symmetric shift-share split of Kitagawa (1955) and Das Gupta (1993) is
  ``rate_effect = (w0 + w1) / 2 * (r1 - r0)`` and
  ``mix_effect = (w1 - w0) * (r0 + r1) / 2``; a group present in one month only has
  ``rate_effect = 0`` and ``mix_effect = w1 * r1 - w0 * r0``. The contributions
  ``rate_effect + mix_effect = w1 * r1 - w0 * r0`` add up to the change exactly.
- **sums** (revenue, leads generated...): each group's change; for revenue, the
  change of each group split the same way into volume (orders) and basket
  (revenue per order).

The interval of each contribution comes from a Poisson bootstrap over the units of
the KPI (opportunities, leads, orders...): every unit of each month gets a random
weight drawn from Poisson(1), the effects are recomputed, and the percentiles of
``n_boot`` replicates give ``ci_low`` / ``ci_high``. The weights are drawn in the
order of the sorted unit ids with a seeded generator, so the result is the same on
every run and on pandas, polars and DuckDB inputs. The per-unit numerators and
denominators come from the KPI itself (``kit.compute`` with the unit id added to
``by``), so the split always agrees with the KPI.

:data:`DECOMPOSABLE` lists the KPIs that split this way, with the column that
identifies their unit. Medians, composites (pipeline velocity, LTV/CAC...), shares of
a total and KPIs whose numerator and denominator count different units do not split
exactly and are not in it.

Examples
--------
>>> import pandas as pd
>>> from kit.dataset import Dataset
>>> opps = pd.DataFrame({
...     "opportunity_id": [f"O{i}" for i in range(8)],
...     "status": ["won", "lost", "won", "lost", "won", "won", "lost", "lost"],
...     "team": ["A", "A", "B", "B", "A", "A", "B", "B"],
...     "closed_at": pd.to_datetime(["2026-09-03"] * 4 + ["2026-10-05"] * 4)})
>>> out = explain_change(Dataset({"opportunities": opps}), "win_rate", by="team", month="2026-10")
>>> out[["team", "value_previous", "value_current", "rate_effect", "mix_effect"]].to_dict("records")
[{'team': 'A', 'value_previous': 0.5, 'value_current': 1.0, 'rate_effect': 0.25, 'mix_effect': 0.0}, {'team': 'B', 'value_previous': 0.5, 'value_current': 0.0, 'rate_effect': -0.25, 'mix_effect': 0.0}]
>>> out.attrs["change"], float(out["contribution"].sum())
(0.0, 0.0)
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from kit import registry
from kit.api import compute
from kit.errors import DataError, KitError, ParameterError, check_choice

#: KPIs that split over groups: ``{name: (kind, unit id column)}``. ``kind`` is
#: ``"ratio"`` (results carry ``numerator`` and ``denominator``, value = their
#: quotient, additive over units) or ``"sum"`` (``value`` additive over units). The
#: unit id names the rows resampled by the bootstrap.
DECOMPOSABLE = {
    "win_rate": ("ratio", "opportunity_id"),
    "offer_loss_rate": ("ratio", "opportunity_id"),
    "average_won_deal": ("ratio", "opportunity_id"),
    "lead_conversion_rate": ("ratio", "lead_id"),
    "never_engaged_rate": ("ratio", "lead_id"),
    "call_to_meeting_rate": ("ratio", "activity_id"),
    "email_response_rate": ("ratio", "activity_id"),
    "csat": ("ratio", "response_id"),
    "average_basket": ("ratio", "order_id"),
    "recurring_revenue": ("ratio", "order_id"),
    "referral_rate": ("ratio", "customer_id"),
    "social_engagement_rate": ("ratio", "post_id"),
    "revenue": ("sum", "order_id"),
    "gross_margin": ("sum", "order_id"),
    "leads_generated": ("sum", "lead_id"),
    "conversations": ("sum", "activity_id"),
    "prospect_calls": ("sum", "activity_id"),
    "prospecting_emails": ("sum", "activity_id"),
}
#: Sums whose change of each group is also split into volume (units) and basket.
VOLUME_SPLIT = ("revenue",)
AGAINST = ("previous", "last_year")
RATIO_COLUMNS = ["denominator_previous", "denominator_current", "value_previous", "value_current",
                 "rate_effect", "mix_effect", "contribution", "ci_low", "ci_high"]
SUM_COLUMNS = ["value_previous", "value_current", "contribution", "ci_low", "ci_high"]
VOLUME_COLUMNS = ["orders_previous", "orders_current", "value_previous", "value_current",
                  "volume_effect", "basket_effect", "contribution", "ci_low", "ci_high"]
_BLOCK = 100  # bootstrap replicates computed at once (bounds the memory used)


def decomposable() -> list[str]:
    """Names of the registered KPIs :func:`explain_change` can split, sorted.

    Examples
    --------
    >>> "win_rate" in decomposable(), "sales_cycle" in decomposable()
    (True, False)
    """
    known = set(registry.names())
    return sorted(n for n in DECOMPOSABLE if n in known)


def check_decomposable(name: str) -> tuple:
    """``(kind, unit id)`` of KPI ``name``, or a :class:`~kit.errors.KitError` saying it does not
    decompose and listing those that do.

    Examples
    --------
    >>> check_decomposable("win_rate")
    ('ratio', 'opportunity_id')
    >>> check_decomposable("sales_cycle")
    Traceback (most recent call last):
    ...
    kit.errors.KitError: KPI 'sales_cycle' does not decompose into the contributions of groups: ...
    """
    spec = registry.get(name)  # UnknownKPIError with the known names
    if name in DECOMPOSABLE:
        return DECOMPOSABLE[name]
    why = ("it is a median or a duration" if spec.unit in ("days", "months")
           else "it is not a sum, nor a sum of numerators over a sum of denominators of the same units "
                "(a median, a composite of several KPIs, a score or a share of a total)")
    raise KitError(
        f"KPI {name!r} does not decompose into the contributions of groups: {why}. "
        f"explain_change splits the KPIs that do: {', '.join(decomposable())}. "
        f"To compare the groups of {name!r}, use kit.compute(ds, {name!r}, by=...)."
    )


def _month(value) -> pd.Timestamp:
    try:
        return pd.Period(pd.Timestamp(value), "M").start_time
    except (ValueError, TypeError):
        raise ParameterError(
            f"month={value!r} is not a month; pass a month such as month='2026-10' or a date."
        ) from None


def explain_change(ds, name: str, *, by, month, against: str = "previous", n_boot: int = 500,
                   level: float = 0.95, seed: int = 0, **options) -> pd.DataFrame:
    """Split the change of KPI ``name`` between two months into the contributions of groups.

    Parameters
    ----------
    ds : Dataset
        Tables as pandas, polars or DuckDB frames (the result does not depend on it).
    name : str
        A KPI of :func:`decomposable`.
    by : str or list of str
        The column(s) whose groups share the change (``"source"``, ``"team"``...).
    month : str or date-like
        The month explained (``"2026-10"``).
    against : {"previous", "last_year"}
        Compare with the month before or with the same month a year before.
    n_boot : int
        Bootstrap replicates of the intervals (0: no interval, ``ci_*`` missing).
    level : float
        Level of the percentile intervals, in (0, 1).
    seed : int
        Seed of the bootstrap weights; the same seed gives the same intervals.
    **options
        Passed to the KPI (e.g. ``within=90`` for ``lead_conversion_rate``).

    Returns
    -------
    DataFrame
        One row per group, largest ``|contribution|`` first. Ratio KPIs: the ``by``
        columns, ``denominator_previous``, ``denominator_current``, ``value_previous``,
        ``value_current`` (the group's rate, missing when the group is absent),
        ``rate_effect``, ``mix_effect``, ``contribution`` (their sum), ``ci_low``,
        ``ci_high``. Sums: the ``by`` columns, ``value_previous``, ``value_current``,
        ``contribution``, ``ci_low``, ``ci_high``; revenue adds ``orders_previous``,
        ``orders_current``, ``volume_effect`` and ``basket_effect`` (they add up to
        ``contribution``). ``attrs`` holds the KPI, the months, ``total_previous``,
        ``total_current``, ``change`` and, for ratios, the total ``rate_effect`` and
        ``mix_effect``.

    Raises
    ------
    KitError
        For a KPI that does not decompose (the message lists those that do), or for
        a ratio KPI whose groups overlap (a unit in two groups).
    DataError
        When a month has no unit of the KPI (its change is unknown, not zero).
    ParameterError
        For an unknown ``against``, a bad ``month``, ``n_boot`` or ``level``, or
        ``freq``/``start``/``end`` in ``options``.

    Examples
    --------
    >>> import pandas as pd
    >>> from kit.dataset import Dataset
    >>> orders = pd.DataFrame({"order_id": ["A", "B", "C"], "amount": [100.0, 50.0, 80.0],
    ...     "product_category": ["x", "y", "x"],
    ...     "ordered_at": pd.to_datetime(["2026-09-05", "2026-10-03", "2026-10-04"])})
    >>> out = explain_change(Dataset({"orders": orders}), "revenue", by="product_category",
    ...                      month="2026-10", n_boot=0)
    >>> out[["product_category", "value_previous", "value_current", "contribution"]].to_dict("records")
    [{'product_category': 'y', 'value_previous': 0.0, 'value_current': 50.0, 'contribution': 50.0}, {'product_category': 'x', 'value_previous': 100.0, 'value_current': 80.0, 'contribution': -20.0}]
    """
    kind, unit = check_decomposable(name)
    check_choice("against", against, AGAINST,
                 what_next="Use against='previous' (the month before) or 'last_year'.")
    keys = [by] if isinstance(by, str) else list(by or [])
    if not keys or not all(isinstance(k, str) for k in keys):
        raise ParameterError(
            f"by={by!r} is not allowed; pass the column (or list of columns) whose groups share the "
            "change, e.g. by='source' or by=['team', 'source'].")
    fixed = [o for o in ("by", "freq", "start", "end") if o in options]
    if fixed:
        raise ParameterError(
            f"explain_change sets {fixed} itself from by= and month=; received them in the KPI options. "
            "Remove them and pass month= (and against=) instead.")
    current = _month(month)
    previous = current - pd.DateOffset(months=1 if against == "previous" else 12)
    units = [_units(ds, name, keys, unit, m, kind, options) for m in (previous, current)]
    out = decompose(*units, by=keys, unit=unit, kind=kind, volume=name in VOLUME_SPLIT,
                    n_boot=n_boot, level=level, seed=seed)
    out.attrs.update(kpi=name, month=current, previous_month=previous, against=against)
    return out


def _units(ds, name, keys, unit, month, kind, options) -> pd.DataFrame:
    """The KPI per group and unit over one month: one row per (group, unit)."""
    by = keys if unit in keys else keys + [unit]
    res = compute(ds, name, by=by, start=month, end=month + pd.DateOffset(months=1), **options)
    measures = ["numerator", "denominator"] if kind == "ratio" else ["value"]
    res = res[by + measures].copy()
    for m in measures:
        res[m] = pd.to_numeric(res[m], errors="coerce").astype(float).fillna(0.0)
    if not len(res):
        raise DataError(
            f"KPI {name!r} has no {unit.removesuffix('_id')} in {month:%Y-%m}: its change cannot be "
            "explained (unknown, not zero). Choose a month covered by the data, or against='previous' "
            "/ 'last_year' to compare with a month that has data.")
    return res


def _group_index(frames, keys) -> pd.DataFrame:
    """The groups of both months, sorted (missing values last), numbered ``_g``."""
    groups = pd.concat([f[keys] for f in frames], ignore_index=True).drop_duplicates()
    groups = groups.sort_values(keys, na_position="last", kind="mergesort").reset_index(drop=True)
    for k in keys:  # one missing value on every engine (pandas NaN, polars/DuckDB None)
        if groups[k].dtype == object:
            groups[k] = groups[k].where(groups[k].notna(), None)
    groups["_g"] = np.arange(len(groups))
    return groups


def _matrices(units: pd.DataFrame, keys, unit, groups, measures):
    """Per measure, a sparse (unit x group) matrix of the measure, and the unit count."""
    from scipy import sparse  # scipy loaded when a change is explained, not with kit

    rows = units.merge(groups, on=keys, how="left")
    order = np.sort(pd.unique(rows[unit].astype(str)).astype(str))
    u = pd.Index(order).get_indexer(rows[unit].astype(str))
    shape = (len(order), len(groups))
    mats = {m: sparse.csr_matrix((rows[m].to_numpy(float), (u, rows["_g"].to_numpy())), shape=shape)
            for m in measures}
    mats["_n"] = sparse.csr_matrix((np.ones(len(rows)), (u, rows["_g"].to_numpy())), shape=shape)
    return mats, len(order)


def _check_partition(units: pd.DataFrame, keys, unit, kind) -> None:
    if kind != "ratio":
        return
    dup = units[unit][units[unit].duplicated()]
    if len(dup):
        raise KitError(
            f"by={keys}: the groups overlap ({len(dup)} {unit} in more than one group, e.g. "
            f"{dup.iloc[0]!r}), so the ratio does not split over them. Use a by column with one value "
            f"per {unit.removesuffix('_id')} (e.g. team, rep_id, source).")


def decompose(previous: pd.DataFrame, current: pd.DataFrame, *, by, unit: str, kind: str = "ratio",
              volume: bool = False, n_boot: int = 500, level: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Split the change between two months of units into the contributions of groups.

    The computation behind :func:`explain_change`, on per-unit frames.

    Parameters
    ----------
    previous, current : DataFrame
        One row per (group, unit) of each month: the ``by`` columns, ``unit`` and,
        for ``kind="ratio"``, ``numerator`` and ``denominator``; for ``"sum"``, ``value``.
    by : list of str
    unit : str
        The unit id column; the bootstrap weights units (a unit in several groups
        keeps one weight).
    kind : {"ratio", "sum"}
    volume : bool
        For sums: split each group's change into ``volume_effect`` (number of units)
        and ``basket_effect`` (value per unit).
    n_boot, level, seed
        See :func:`explain_change`.

    Returns
    -------
    DataFrame
        See :func:`explain_change`.

    Examples
    --------
    >>> import pandas as pd
    >>> prev = pd.DataFrame({"g": ["a", "a", "b"], "u": [1, 2, 3],
    ...                      "numerator": [1.0, 0.0, 1.0], "denominator": [1.0, 1.0, 1.0]})
    >>> cur = pd.DataFrame({"g": ["a", "b", "b"], "u": [4, 5, 6],
    ...                     "numerator": [1.0, 0.0, 0.0], "denominator": [1.0, 1.0, 1.0]})
    >>> out = decompose(prev, cur, by=["g"], unit="u", n_boot=0)
    >>> out[["g", "rate_effect", "mix_effect", "contribution"]].round(4).to_dict("records")
    [{'g': 'b', 'rate_effect': -0.5, 'mix_effect': 0.1667, 'contribution': -0.3333}, {'g': 'a', 'rate_effect': 0.25, 'mix_effect': -0.25, 'contribution': 0.0}]
    >>> round(out.attrs["change"], 4)
    -0.3333
    """
    check_choice("kind", kind, ("ratio", "sum"))
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise ParameterError(f"n_boot={n_boot!r} is not allowed; pass a whole number >= 0 (e.g. 500).")
    if not (isinstance(level, (float, int)) and 0 < level < 1):
        raise ParameterError(f"level={level!r} is not allowed; pass a level in (0, 1), e.g. 0.95.")
    keys = list(by)
    for f in (previous, current):
        _check_partition(f, keys, unit, kind)
    measures = ["numerator", "denominator"] if kind == "ratio" else ["value"]
    groups = _group_index((previous, current), keys)
    (m0, n0), (m1, n1) = (_matrices(f, keys, unit, groups, measures) for f in (previous, current))
    point = {m: (np.asarray(m0[m].sum(axis=0)).ravel(), np.asarray(m1[m].sum(axis=0)).ravel())
             for m in measures + ["_n"]}
    if kind == "ratio":
        out, totals = _ratio_split(point)
        stat = _ratio_contribution
    else:
        out, totals = _sum_split(point, volume)
        stat = _sum_contribution
    if kind == "ratio" and (totals["total_previous"] != totals["total_previous"]
                            or totals["total_current"] != totals["total_current"]):
        raise DataError(
            "The denominator of one month is 0 (no unit counted), so the ratio and its change are "
            "unknown, not zero. Choose months in which the KPI has a value.")
    ci = _bootstrap(m0, n0, m1, n1, stat, n_boot, level, seed, len(groups))
    out["ci_low"], out["ci_high"] = ci
    out = pd.concat([groups[keys], out], axis=1)
    order = np.lexsort((np.arange(len(out)), -np.abs(out["contribution"].to_numpy())))
    out = out.iloc[order].reset_index(drop=True)
    out.attrs.update(totals, kind=kind, by=keys, n_boot=int(n_boot), level=float(level), seed=seed)
    return out


def _shares_rates(num, den):
    tot = den.sum()
    w = den / tot if tot else np.full_like(den, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
    return w, r


def _ratio_split(point):
    (num0, num1), (den0, den1) = point["numerator"], point["denominator"]
    w0, r0 = _shares_rates(num0, den0)
    w1, r1 = _shares_rates(num1, den1)
    both = (den0 > 0) & (den1 > 0)
    rate = np.where(both, (w0 + w1) / 2 * (np.nan_to_num(r1) - np.nan_to_num(r0)), 0.0)
    contribution = w1 * np.nan_to_num(r1) - w0 * np.nan_to_num(r0)
    mix = np.where(both, (w1 - w0) * (np.nan_to_num(r0) + np.nan_to_num(r1)) / 2, contribution)
    rate, mix = rate + 0.0, mix + 0.0  # no -0.0 shown as "-0.0 pp"
    out = pd.DataFrame({"denominator_previous": den0, "denominator_current": den1,
                        "value_previous": r0, "value_current": r1, "rate_effect": rate,
                        "mix_effect": mix, "contribution": rate + mix})
    t0 = num0.sum() / den0.sum() if den0.sum() else np.nan
    t1 = num1.sum() / den1.sum() if den1.sum() else np.nan
    return out, {"total_previous": float(t0), "total_current": float(t1), "change": float(t1 - t0),
                 "rate_effect": float(rate.sum()), "mix_effect": float(mix.sum())}


def _sum_split(point, volume: bool):
    v0, v1 = point["value"]
    out = pd.DataFrame({"value_previous": v0, "value_current": v1, "contribution": v1 - v0})
    if volume:
        n0, n1 = point["_n"]
        with np.errstate(invalid="ignore", divide="ignore"):
            b0, b1 = np.where(n0 > 0, v0 / np.where(n0 > 0, n0, 1), np.nan), \
                np.where(n1 > 0, v1 / np.where(n1 > 0, n1, 1), np.nan)
        both = (n0 > 0) & (n1 > 0)
        vol = np.where(both, (n1 - n0) * (np.nan_to_num(b0) + np.nan_to_num(b1)) / 2, v1 - v0)
        basket = np.where(both, (b1 - b0) * (n0 + n1) / 2, 0.0)
        out = pd.DataFrame({"orders_previous": n0.astype("int64"), "orders_current": n1.astype("int64"),
                            "value_previous": v0, "value_current": v1, "volume_effect": vol,
                            "basket_effect": basket, "contribution": v1 - v0})
    return out, {"total_previous": float(v0.sum()), "total_current": float(v1.sum()),
                 "change": float(v1.sum() - v0.sum())}


def _ratio_contribution(s0, s1):
    """``w1 * r1 - w0 * r0`` per replicate and group from the weighted sums."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return (s1["numerator"] / s1["denominator"].sum(axis=1, keepdims=True)
                - s0["numerator"] / s0["denominator"].sum(axis=1, keepdims=True))


def _sum_contribution(s0, s1):
    return s1["value"] - s0["value"]


def _bootstrap(m0, n0, m1, n1, stat, n_boot, level, seed, n_groups):
    """Percentile interval of each group's contribution under Poisson(1) unit weights."""
    if n_boot == 0:
        return np.full(n_groups, np.nan), np.full(n_groups, np.nan)
    rng = np.random.default_rng(seed)
    draws = []
    for start in range(0, n_boot, _BLOCK):
        b = min(_BLOCK, n_boot - start)
        w0 = rng.poisson(1.0, size=(b, n0)).astype(float)
        w1 = rng.poisson(1.0, size=(b, n1)).astype(float)
        s0 = {k: np.asarray((m.T @ w0.T).T) for k, m in m0.items()}
        s1 = {k: np.asarray((m.T @ w1.T).T) for k, m in m1.items()}
        draws.append(stat(s0, s1))
    draws = np.vstack(draws)
    alpha = (1 - level) / 2
    with warnings.catch_warnings():  # a group absent from every replicate has no interval
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = np.nanquantile(draws, [alpha, 1 - alpha], axis=0)
    return low, high


def group_labels(result: pd.DataFrame, missing: str = "(empty)") -> list[str]:
    """The groups of an :func:`explain_change` result as text (``"Nord / emailing"``).

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"team": ["Nord", None], "contribution": [0.1, -0.1]})
    >>> r.attrs["by"] = ["team"]
    >>> group_labels(r, missing="(vide)")
    ['Nord', '(vide)']
    """
    keys = result.attrs.get("by") or [c for c in result.columns if c not in
                                      set(RATIO_COLUMNS + VOLUME_COLUMNS)]
    return [" / ".join(missing if pd.isna(v) else str(v) for v in row)
            for row in result[keys].itertuples(index=False, name=None)]


def waterfall_steps(result: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """The bars of a waterfall from the previous value to the current one.

    Ratio KPIs: the rate effect of the ``top`` groups with the largest one, the
    rate effect of the other groups together, then the mix effect of all groups.
    Sums: the change of the ``top`` groups with the largest one, then the others.

    Parameters
    ----------
    result : DataFrame
        A result of :func:`explain_change` (with its ``attrs``).
    top : int
        Groups shown by name.

    Returns
    -------
    DataFrame
        ``step`` (``previous``, ``group``, ``others``, ``mix``, ``current``), ``group``
        (its label for ``group`` steps), ``start``, ``end`` and ``delta`` of each bar.

    Examples
    --------
    >>> import pandas as pd
    >>> prev = pd.DataFrame({"g": ["a", "a", "b"], "u": [1, 2, 3],
    ...                      "numerator": [1.0, 0.0, 1.0], "denominator": [1.0, 1.0, 1.0]})
    >>> cur = pd.DataFrame({"g": ["a", "b", "b"], "u": [4, 5, 6],
    ...                     "numerator": [1.0, 0.0, 0.0], "denominator": [1.0, 1.0, 1.0]})
    >>> steps = waterfall_steps(decompose(prev, cur, by=["g"], unit="u", n_boot=0), top=1)
    >>> steps[["step", "group", "delta"]].round(4).values.tolist()
    [['previous', None, 0.6667], ['group', 'b', -0.5], ['others', None, 0.25], ['mix', None, -0.0833], ['current', None, 0.3333]]
    """
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise ParameterError(f"top={top!r} is not allowed; pass a whole number of groups >= 1 (e.g. 5).")
    a = result.attrs
    ratio = a.get("kind") == "ratio"
    effect = result["rate_effect" if ratio else "contribution"].to_numpy(float)
    labels = group_labels(result)
    order = np.argsort(-np.abs(effect), kind="stable")
    shown, rest = order[:top], order[top:]
    rows = [("previous", None, a["total_previous"])]
    rows += [("group", labels[i], effect[i]) for i in shown]
    if len(rest):
        rows.append(("others", None, float(effect[rest].sum())))
    if ratio:
        rows.append(("mix", None, a["mix_effect"]))
    level, out = 0.0, []
    for step, label, delta in rows:
        start = 0.0 if step == "previous" else level
        end = delta if step == "previous" else level + delta
        out.append({"step": step, "group": label, "start": start, "end": end, "delta": delta})
        level = end
    out.append({"step": "current", "group": None, "start": 0.0, "end": a["total_current"],
                "delta": a["total_current"]})
    return pd.DataFrame(out)
