"""Building blocks shared by every KPI family, written once with narwhals.

A KPI function reads like this::

    f = lazy(opportunities, "opportunities", needs=["status", "closed_at"])
    f = window(f, "closed_at", start, end)
    f = f.filter(nw.col("status").is_in(["won", "lost"]))
    f = f.with_columns(_won=flag(nw.col("status") == "won"))
    keys, f = group_keys(f, by, freq, "closed_at")
    out = collect(aggregate(f, keys, [nw.col("_won").sum().alias("numerator"),
                                      nw.len().alias("denominator")]), keys)
    return proportion(out, keys)

Inputs may be pandas, polars (eager or lazy), DuckDB relations or PySpark
DataFrames; everything stays lazy on the engine until :func:`collect`, which returns
a small pandas frame with a plain index.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

import narwhals as nw
import numpy as np
import pandas as pd

from kit.dates import as_ts
from kit.errors import ParameterError, did_you_mean
from kit.frames import to_pandas
from kit.stats import LOW_SAMPLE, trend, wilson_interval

FREQS = (None, "W", "M", "Q", "Y")
_TRUNC = {"M": "1mo", "Q": "1q", "Y": "1y"}


def lazy(native, table: str, needs: Sequence[str] = ()) -> nw.LazyFrame:
    """Wrap any supported frame as a narwhals LazyFrame and check needed columns.

    Raises
    ------
    ParameterError
        When a needed column is missing, naming the available columns.

    Examples
    --------
    >>> import pandas as pd
    >>> f = lazy(pd.DataFrame({"a": [1]}), "leads", needs=["a"])
    >>> f.collect_schema().names()
    ['a']
    """
    if native is None:
        raise ParameterError(
            f"table {table!r} is required by this KPI but was not given (received None). "
            f"Load a dataset that has {table!r}, or pass the table as a DataFrame."
        )
    f = nw.from_native(native)
    if isinstance(f, nw.DataFrame):
        f = f.lazy()
    cols = f.collect_schema().names()
    missing, hints = absent(needs, cols)
    if missing:
        raise ParameterError(
            f"table {table!r} lacks column(s) {missing}{hints}; available columns: {cols}. "
            "Rename the column with a mapping at load (kit.load_dataset(..., mapping=...))."
        )
    return f


def absent(wanted: Sequence[str], available: Sequence[str]) -> tuple[list[str], str]:
    """The ``wanted`` columns not in ``available``, and the "did you mean" hints for them.

    Examples
    --------
    >>> absent(["rep_id", "amount"], ["rep", "amount"])
    (['rep_id'], " (did you mean 'rep'?)")
    """
    missing = [c for c in wanted if c not in available]
    return missing, "".join(did_you_mean(m, list(available)) for m in missing)


def columns(f: nw.LazyFrame) -> list[str]:
    """Column names of a narwhals frame."""
    return f.collect_schema().names()


def window(f: nw.LazyFrame, col: str, start=None, end=None) -> nw.LazyFrame:
    """Keep rows whose ``col`` is in ``[start, end)`` (end excluded).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"d": pd.to_datetime(["2026-01-31", "2026-02-01"])})
    >>> window(lazy(df, "t"), "d", end="2026-02-01").collect().shape
    (1, 1)
    """
    s, e = as_ts(start), as_ts(end)
    if s is not None:
        f = f.filter(nw.col(col) >= nw.lit(s))
    if e is not None:
        f = f.filter(nw.col(col) < nw.lit(e))
    return f


def flag(expr) -> nw.Expr:
    """A boolean expression as an Int64 0/1 column (null counts as 0)."""
    return nw.when(expr).then(nw.lit(1)).otherwise(nw.lit(0)).cast(nw.Int64)


def as_list(by) -> list[str]:
    """Normalise ``by`` (None, str or list) to a list of column names."""
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def period_expr(col: str, freq: str) -> nw.Expr:
    """Start of the period of ``col`` for ``freq`` in W (Monday), M, Q, Y."""
    if freq == "W":
        # Monday-based weeks on every engine: the Monday is the day minus its
        # ISO weekday offset; computed from the calendar day, without durations
        # arithmetic that some engines lack.
        day = nw.col(col).dt.truncate("1d")
        return day - _weekday_offset(col)
    return nw.col(col).dt.truncate(_TRUNC[freq])


def _weekday_offset(col: str) -> nw.Expr:
    # weekday() is 1 (Monday) .. 7 (Sunday); a chain of when/then gives a duration
    expr = None
    for wd in range(2, 8):
        cond = nw.col(col).dt.weekday() == wd
        val = nw.lit(_dt.timedelta(days=wd - 1))
        expr = nw.when(cond).then(val) if expr is None else expr.when(cond).then(val)
    return expr.otherwise(nw.lit(_dt.timedelta(0)))


def group_keys(f: nw.LazyFrame, by, freq, date_col: str | None):
    """Add the ``period`` column when ``freq`` is set and return ``(keys, frame)``.

    Raises
    ------
    ParameterError
        On an unknown ``freq`` or a ``by`` column the table does not have.
    """
    if freq not in FREQS:
        raise ParameterError(
            f"freq={freq!r} is not allowed; allowed values: None, 'W', 'M', 'Q', 'Y'. "
            "Use freq='M' for monthly results."
        )
    keys = as_list(by)
    cols = columns(f)
    bad, hints = absent(keys, cols)
    if bad:
        raise ParameterError(
            f"by={by!r}: column(s) {bad} not found{hints}; available columns: {cols}. "
            "Pass by= one of the available columns."
        )
    if freq is not None:
        f = f.with_columns(period_expr(date_col, freq).alias("period"))
        keys = keys + ["period"]
    return keys, f


def aggregate(f: nw.LazyFrame, keys: list[str], aggs: list) -> nw.LazyFrame:
    """Group by ``keys`` (nulls kept as their own group) or aggregate the whole frame."""
    if keys:
        return f.group_by(*keys, drop_null_keys=False).agg(*aggs)
    return f.select(*aggs)


def collect(f, keys: list[str] = ()) -> pd.DataFrame:
    """Collect a (small) narwhals result into pandas, sorted by ``keys``, plain index."""
    out = to_pandas(f).copy(deep=False)  # a frame of its own (columns replaced below, not changed)
    for c in out.columns:
        # PySpark's date_trunc returns a session-time-zone TIMESTAMP even for naive
        # input, and engines differ in resolution (us, ns): keep the wall-clock time,
        # naive datetime64[ns] like every time of the kit
        if isinstance(out[c].dtype, pd.DatetimeTZDtype):
            out[c] = out[c].dt.tz_localize(None)
        if pd.api.types.is_datetime64_dtype(out[c].dtype) and out[c].dtype != "datetime64[ns]":
            out[c] = out[c].astype("datetime64[ns]")
        # text of the loaded pandas tables is Arrow-backed or categorical (kit.dtypes):
        # results, small, hold Python str as on every other engine, sorted as text
        # (a category sorts in its categories' order, which polars keeps as first seen)
        if isinstance(out[c].dtype, (pd.StringDtype, pd.CategoricalDtype)):
            out[c] = out[c].astype(object)
    if "period" in out.columns:
        out["period"] = pd.to_datetime(out["period"]).astype("datetime64[ns]")
    return sort_rows(out, keys)


def _num(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s, errors="coerce").astype(float)


def ratio(out: pd.DataFrame, keys: Sequence[str] = (), *, numerator="numerator",
          denominator="denominator", fill_zero=True) -> pd.DataFrame:
    """Add ``value = numerator / denominator`` (missing on a zero denominator).

    Examples
    --------
    >>> ratio(pd.DataFrame({"numerator": [1, 0], "denominator": [4, 0]}))["value"].tolist()
    [0.25, nan]
    """
    out = out.copy()
    num, den = _num(out[numerator]), _num(out[denominator])
    if fill_zero:
        num, den = num.fillna(0.0), den.fillna(0.0)
    out["numerator"], out["denominator"] = num, den
    with np.errstate(divide="ignore", invalid="ignore"):
        out["value"] = np.where(den != 0, num / den.where(den != 0, 1.0), np.nan)
    return _order(out, keys, ["value", "numerator", "denominator"])


def proportion(out: pd.DataFrame, keys: Sequence[str] = (), **kw) -> pd.DataFrame:
    """:func:`ratio` plus the 95 % Wilson interval and ``low_sample``.

    Examples
    --------
    >>> r = proportion(pd.DataFrame({"numerator": [15], "denominator": [50]}))
    >>> r[["value", "low_sample"]].to_dict("records")
    [{'value': 0.3, 'low_sample': False}]
    """
    out = ratio(out, keys, **kw)
    lo, hi = wilson_interval(out["numerator"].to_numpy(), out["denominator"].to_numpy())
    out["ci_low"], out["ci_high"] = lo, hi
    out["low_sample"] = out["denominator"] < LOW_SAMPLE
    return _order(out, keys, ["value", "numerator", "denominator", "ci_low", "ci_high", "low_sample"])


def _order(out: pd.DataFrame, keys: Sequence[str], first: Sequence[str]) -> pd.DataFrame:
    keys = list(keys)
    rest = [c for c in out.columns if c not in keys and c not in first]
    return out[keys + [c for c in first if c in out.columns] + rest].reset_index(drop=True)


def empty_result(keys: Sequence[str], columns_: Sequence[str]) -> pd.DataFrame:
    """An empty tidy result with the right columns."""
    return pd.DataFrame({c: pd.Series(dtype=float) for c in list(keys) + list(columns_)})


#: Engines whose narwhals backend subtracts times into durations (``dt.total_*``).
DURATION_ENGINES = frozenset({"pandas", "modin", "cudf", "polars", "duckdb", "pyarrow"})


def has_durations(frame) -> bool:
    """Whether ``frame``'s engine subtracts times into durations (PySpark does not).

    Examples
    --------
    >>> has_durations(lazy(pd.DataFrame({"a": [1]}), "t")), has_durations(None)
    (True, False)
    """
    if frame is None:
        return False
    f = frame if isinstance(frame, (nw.LazyFrame, nw.DataFrame)) else nw.from_native(frame)
    return str(f.implementation).lower().rsplit(".", 1)[-1] in DURATION_ENGINES


def days_between(later: str, earlier: str, frame=None) -> nw.Expr:
    """Days (float) from ``earlier`` to ``later`` in whole seconds, identical on every engine.

    Both times are truncated to the second. When ``frame`` (the frame the
    expression will run on) is of an engine with durations (pandas, polars,
    DuckDB...), the times are subtracted; otherwise (PySpark, or ``frame``
    not given) the seconds are counted from the calendar (year, ordinal day,
    hour, minute, second). Both give the exact number of seconds divided by
    86,400, so results are the same bit for bit.

    Examples
    --------
    >>> df = pd.DataFrame({"a": pd.to_datetime(["2024-03-01 06:00:00.9"]),
    ...                    "b": pd.to_datetime(["2023-02-28 18:00:00.1"])})
    >>> f = lazy(df, "t")
    >>> fast = f.select(days_between("a", "b", f).alias("d")).collect()["d"].to_list()
    >>> slow = f.select(days_between("a", "b").alias("d")).collect()["d"].to_list()
    >>> fast, fast == slow
    ([366.5], True)
    """
    if has_durations(frame):
        gap = nw.col(later).dt.truncate("1s") - nw.col(earlier).dt.truncate("1s")
        return gap.dt.total_microseconds().cast(nw.Float64) / 86_400_000_000.0

    def _abs_seconds(c):
        # every term is a whole number below 2**53: exact in float arithmetic
        y = nw.col(c).dt.year().cast(nw.Float64)
        yp = y - 1
        days = yp * 365 + (yp / 4).floor() - (yp / 100).floor() + (yp / 400).floor()
        days = days + nw.col(c).dt.ordinal_day().cast(nw.Float64)
        return (days * 86400 + nw.col(c).dt.hour().cast(nw.Float64) * 3600
                + nw.col(c).dt.minute().cast(nw.Float64) * 60
                + nw.col(c).dt.second().cast(nw.Float64))

    return (_abs_seconds(later) - _abs_seconds(earlier)) / 86400.0


def counts(out: pd.DataFrame, cols: Sequence[str]) -> pd.DataFrame:
    """Cast count columns to float (DuckDB returns decimals); a missing count is 0.

    Examples
    --------
    >>> counts(pd.DataFrame({"n": [2, None]}), ["n"])["n"].tolist()
    [2.0, 0.0]
    """
    out = out.copy()
    for c in cols:
        out[c] = _num(out[c]).fillna(0.0)
    return out


def safe_div(num, den) -> pd.Series:
    """``num / den`` as float, missing where ``den`` is 0 or missing (never inf).

    Examples
    --------
    >>> safe_div([3.0, 1.0, 1.0], [2.0, 0.0, None]).tolist()
    [1.5, nan, nan]
    """
    num, den = _num(pd.Series(num)), _num(pd.Series(den))
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.Series(np.where(den != 0, num / den.where(den != 0, 1.0), np.nan), index=num.index)


def sort_rows(out: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Sort a small result by ``keys`` (stable, missing keys last) with a plain index.

    Examples
    --------
    >>> sort_rows(pd.DataFrame({"k": ["b", None, "a"]}), ["k"])["k"].tolist()
    ['a', 'b', None]
    """
    keys = list(keys)
    if keys and len(out):
        out = out.sort_values(keys, na_position="last", kind="mergesort")
    return out.reset_index(drop=True)


def merge_results(left: pd.DataFrame, right: pd.DataFrame, keys: Sequence[str],
                  how: str = "outer") -> pd.DataFrame:
    """Merge two small per-key results, sorted by ``keys``.

    Without keys both sides are one-row results and are put side by side. Key
    columns whose dtypes differ (an empty side may have collected as float) are
    compared as objects; ``period`` is aligned to ``datetime64[ns]``.

    Examples
    --------
    >>> a = pd.DataFrame({"rep_id": ["R1", "R2"], "revenue": [10.0, 5.0]})
    >>> b = pd.DataFrame({"rep_id": ["R2", "R3"], "target": [8.0, 4.0]})
    >>> merge_results(a, b, ["rep_id"]).to_dict("list")
    {'rep_id': ['R1', 'R2', 'R3'], 'revenue': [10.0, 5.0, nan], 'target': [nan, 8.0, 4.0]}
    """
    keys = list(keys)
    if not keys:
        return pd.concat([left.reset_index(drop=True), right.reset_index(drop=True)], axis=1)
    if "period" in keys:
        for frame in (left, right):
            frame["period"] = pd.to_datetime(frame["period"]).astype("datetime64[ns]")
    for k in keys:
        if left[k].dtype != right[k].dtype and k != "period":
            left[k], right[k] = left[k].astype(object), right[k].astype(object)
    return sort_rows(left.merge(right, on=keys, how=how), keys)


def latest_date(*sources, earliest: bool = False) -> pd.Timestamp | None:
    """Latest (or earliest) value of ``(frame, column)`` sources; None when there is none.

    A source whose frame is None or lacks the column is skipped. Frames may be of
    any supported engine (one ``max`` per source is collected).

    Examples
    --------
    >>> a = pd.DataFrame({"d": pd.to_datetime(["2026-01-05", "2026-03-01"])})
    >>> b = pd.DataFrame({"e": pd.to_datetime(["2026-02-01"])})
    >>> latest_date((a, "d"), (b, "e"), (None, "x"))
    Timestamp('2026-03-01 00:00:00')
    >>> latest_date((a, "d"), (b, "e"), earliest=True)
    Timestamp('2026-01-05 00:00:00')
    """
    found = []
    for native, col in sources:
        if native is None:
            continue
        f = native if isinstance(native, nw.LazyFrame) else lazy(native, "data")
        if col not in columns(f):
            continue
        agg = nw.col(col).min() if earliest else nw.col(col).max()
        v = collect(f.select(agg.alias("m")))["m"].iloc[0]
        if v is not None and not pd.isna(v):
            found.append(pd.Timestamp(v))
    if not found:
        return None
    return min(found) if earliest else max(found)


def resolve_as_of(as_of, *sources):
    """The end of the data as a naive ``datetime``: ``as_of``, else the latest date of ``sources``.

    ``sources`` are ``(frame, column)`` pairs as in :func:`latest_date`. The latest
    date found is rounded *up* to the microsecond (the precision of every engine) so
    that the latest row stays in a ``<= as_of`` filter. None when nothing is dated.

    Examples
    --------
    >>> f = pd.DataFrame({"d": pd.to_datetime(["2026-01-05 08:00", "2026-03-01 10:00"])})
    >>> resolve_as_of(None, (f, "d"))
    datetime.datetime(2026, 3, 1, 10, 0)
    >>> resolve_as_of("2026-02-01", (f, "d"))
    datetime.datetime(2026, 2, 1, 0, 0)
    """
    if as_of is not None:
        return as_ts(as_of)
    latest = latest_date(*sources)
    return None if latest is None else as_ts(latest.ceil("us"))


def floor_day(ts: _dt.datetime) -> _dt.datetime:
    """Midnight of the day of ``ts``.

    Examples
    --------
    >>> floor_day(_dt.datetime(2026, 1, 31, 15, 30))
    datetime.datetime(2026, 1, 31, 0, 0)
    """
    return _dt.datetime(ts.year, ts.month, ts.day)


def is_month_end(day) -> bool:
    """Whether ``day`` (a datetime or Timestamp) is the last day of its month.

    Examples
    --------
    >>> is_month_end(_dt.datetime(2024, 2, 29)), is_month_end(_dt.datetime(2026, 3, 30, 23, 0))
    (True, False)
    """
    return (day + _dt.timedelta(days=1)).month != day.month


def month_index(col: str) -> nw.Expr:
    """Calendar month of ``col`` as one integer (``year * 12 + month``), to count months apart.

    Examples
    --------
    >>> df = pd.DataFrame({"d": pd.to_datetime(["2025-12-31", "2026-01-01"])})
    >>> lazy(df, "t").select(month_index("d").alias("m")).collect()["m"].to_list()
    [24312, 24313]
    """
    return nw.col(col).dt.year().cast(nw.Int64) * 12 + nw.col(col).dt.month().cast(nw.Int64)


def with_trend(out: pd.DataFrame, keys: Sequence[str], *, value: str = "value",
               weights: str = "denominator") -> pd.DataFrame:
    """Add ``trend_slope`` (per month) and ``trend_p_value`` of ``value`` over ``period``.

    One weighted least-squares fit (:func:`kit.stats.trend`, weights ``weights``)
    per ``by`` group of the small collected result, repeated on each row of the
    group; missing without a ``period`` key or with fewer than three periods.

    Examples
    --------
    >>> out = pd.DataFrame({"period": pd.date_range("2026-01-01", periods=3, freq="MS"),
    ...                     "value": [0.6, 0.5, 0.4], "denominator": [10, 10, 10]})
    >>> round(float(with_trend(out, ["period"])["trend_slope"].iloc[0]), 3)
    -0.1
    """
    out = out.copy()
    out["trend_slope"], out["trend_p_value"] = np.nan, np.nan
    keys = list(keys)
    if "period" not in keys or out.empty:
        return out
    groups = [k for k in keys if k != "period"]
    parts = out.groupby(groups, dropna=False, sort=False, observed=True).indices.values() if groups \
        else [np.arange(len(out))]
    for idx in parts:  # one fit per group of the small aggregated result
        sub = out.iloc[idx]
        t = trend(sub["period"], sub[value], sub[weights])
        out.iloc[idx, out.columns.get_loc("trend_slope")] = t["slope_per_month"]
        out.iloc[idx, out.columns.get_loc("trend_p_value")] = t["p_value"]
    return out
