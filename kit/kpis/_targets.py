"""Monthly targets per rep or team, summed to the level and period of a comparison.

The targets table (``docs/data-contract.md``) holds monthly rows with a ``rep_id``
(rep target) or a ``team`` and no ``rep_id`` (team target). The revenue KPIs compare
them with revenue (:func:`kit.kpis.revenue.revenue_vs_target`,
:func:`kit.kpis.deals.deals_needed`) and margin (:func:`kit.kpis.order_value.gross_margin`).
"""

from __future__ import annotations

import narwhals as nw
import pandas as pd

from kit.errors import ParameterError, did_you_mean
from kit.kpis._common import _num, aggregate, collect, columns, group_keys, lazy, window

#: ``by`` values a target can be compared with: the company, a rep, a team.
TARGET_LEVELS = (None, "rep_id", "team")
#: ``freq`` values a monthly target can be summed to.
TARGET_FREQS = (None, "M", "Q", "Y")


def check_target_options(kpi_name: str, by, freq) -> None:
    """Raise unless ``by`` is a level of the targets and ``freq`` a sum of months.

    Raises
    ------
    ParameterError
        For ``by`` outside :data:`TARGET_LEVELS` or ``freq`` outside :data:`TARGET_FREQS`.

    Examples
    --------
    >>> check_target_options("revenue_vs_target", "team", "Q")
    >>> check_target_options("revenue_vs_target", "team", "W")
    Traceback (most recent call last):
    ...
    kit.errors.ParameterError: revenue_vs_target: freq='W' is not allowed, because ...
    """
    if by not in TARGET_LEVELS:
        raise ParameterError(
            f"{kpi_name}: by={by!r} is not allowed, because targets are set per rep or per team; "
            f"allowed values: None (whole company), 'rep_id', 'team'."
            f"{did_you_mean(str(by), ['rep_id', 'team'])} "
            "For another breakdown use kit.compute(ds, 'revenue', by=...)."
        )
    if freq not in TARGET_FREQS:
        raise ParameterError(
            f"{kpi_name}: freq={freq!r} is not allowed, because targets are monthly; allowed values: "
            "None, 'M', 'Q', 'Y'. Use freq='M' for monthly attainment."
        )


def targets_by(targets, column: str, by, freq, start=None, end=None) -> pd.DataFrame:
    """Sum the monthly ``column`` of ``targets`` per ``by`` (None, rep_id, team) and period.

    Rep rows have a ``rep_id``; team rows have a ``team`` and no ``rep_id``. For
    ``by="rep_id"`` rep rows are used. For ``by="team"`` or ``None``, team rows are
    used when the table has any, otherwise rep rows (summed per their ``team``).

    Parameters
    ----------
    targets : DataFrame-like
        Needs ``period`` and ``column``; ``rep_id`` and/or ``team``.
    column : str
        The target summed, e.g. ``"revenue_target"`` or ``"margin_target"``.
    by : {None, "rep_id", "team"}
        Level of the comparison.
    freq : {None, "M", "Q", "Y"}
        Adds a ``period`` column: the months are summed per period.
    start, end : date-like, optional
        Keep target months in ``[start, end)``.

    Returns
    -------
    DataFrame
        The keys and ``target`` (missing when every target of the key is missing).

    Raises
    ------
    ParameterError
        When the table lacks the ``rep_id`` or ``team`` column that ``by`` needs.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"period": pd.to_datetime(["2026-01-01", "2026-01-01", "2026-02-01"]),
    ...                   "rep_id": ["R1", "R2", "R1"], "team": ["Nord", "Nord", "Nord"],
    ...                   "revenue_target": [1000.0, 400.0, 900.0]})
    >>> targets_by(t, "revenue_target", "team", "M").to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'team': 'Nord', 'period': Timestamp('2026-01-01 00:00:00'), 'target': 1400.0},
     {'team': 'Nord', 'period': Timestamp('2026-02-01 00:00:00'), 'target': 900.0}]
    """
    t = lazy(targets, "targets", needs=["period", column])
    cols = columns(t)
    if by == "rep_id" and "rep_id" not in cols:
        raise ParameterError(
            f"by='rep_id' needs targets per rep, but table 'targets' has no 'rep_id' column; "
            f"available columns: {cols}. Use by='team' or by=None."
        )
    is_rep = ~nw.col("rep_id").is_null() if "rep_id" in cols else nw.lit(False)
    if by == "rep_id":
        t = t.filter(is_rep)
    else:
        team_rows = t.filter(~is_rep & ~nw.col("team").is_null()) if "team" in cols else None
        n_team = 0 if team_rows is None else collect(team_rows.select(nw.len().alias("n")))["n"].iloc[0]
        if n_team:
            t = team_rows
        else:
            t = t.filter(is_rep)
        if by == "team" and "team" not in cols:
            raise ParameterError(
                f"by='team' needs a 'team' column in table 'targets' (set on team rows, or added "
                f"from reps at load); available columns: {cols}. "
                "Load reps with the dataset or use by='rep_id'."
            )
    t = window(t, "period", start, end)
    keys, t = group_keys(t, by, freq, "period")
    out = collect(aggregate(t, keys, [nw.col(column).sum().alias("target"),
                                      nw.col(column).count().alias("_n_target")]), keys)
    out["target"] = _num(out["target"]).where(_num(out["_n_target"]).fillna(0) > 0)
    return out.drop(columns="_n_target")


__all__ = ["TARGET_FREQS", "TARGET_LEVELS", "check_target_options", "targets_by"]
