"""Groups that differ from the rest of a table, and the note that says how they were found.

:func:`flag_differences` adds ``differs`` to a proportion broken down by group
(:func:`kit.stats.compare_to_rest`: one test per group, corrected over the
groups of the table) and records how in ``df.attrs["differs"]``;
:func:`flag_note` writes the footnote of such a table in the reader's language
and :func:`flag_legend` the legend entry of its figure; :func:`row_flags` says
which rows to grey and to bold. The notebooks' breakdowns and the KPI explorer flag
groups through this module only.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"team": ["A", "B", "C"], "numerator": [10, 30, 31],
...     "denominator": [100, 100, 100], "ci_low": [0.05, 0.2, 0.2]})
>>> print(flag_note(flag_differences(df), "fr"))
En gras : diffère du reste, p < 0,05 après correction de Holm pour 3 groupes.
"""

from __future__ import annotations

import pandas as pd

from kit.i18n import format_number, t
from kit.stats import LOW_SAMPLE, compare_to_rest, correction_method

#: Key of ``DataFrame.attrs`` where :func:`flag_differences` records its test.
ATTR = "differs"


def _flags(df: pd.DataFrame, column: str) -> pd.Series:
    if column not in df.columns:
        return pd.Series(False, index=df.index)
    return df[column].eq(True).fillna(False).astype(bool)  # missing: not flagged


def row_flags(df: pd.DataFrame) -> tuple:
    """``(grey, bold)``: one bool per row of ``df`` for ``low_sample`` and ``differs``.

    ``None`` for a column ``df`` does not have, so that a table without it is drawn plain.

    Examples
    --------
    >>> row_flags(pd.DataFrame({"low_sample": [True, None], "value": [1, 2]}))
    ([True, False], None)
    """
    return tuple(_flags(df, c).tolist() if c in df.columns else None for c in ("low_sample", "differs"))


def flag_differences(df: pd.DataFrame, alpha: float = 0.05, method="holm") -> pd.DataFrame:
    """Add ``differs`` to a proportion broken down by group, corrected over the table's groups.

    Each group is compared with the rest of the table
    (:func:`kit.stats.compare_to_rest`); ``differs`` is true when its p-value,
    adjusted over every group tested (Holm's correction by default), is under
    ``alpha`` and the group is not a small sample (``low_sample``, or fewer than
    30 in the denominator without that column). How the groups were tested is
    kept in ``out.attrs["differs"]`` (``method``: the statsmodels name or
    ``None``, ``groups``: how many were tested, ``alpha``) for :func:`flag_note`.

    Only for proportions (``numerator``, ``denominator``, ``ci_low``) of two groups
    or more; other results are returned unchanged.

    Parameters
    ----------
    df : DataFrame
        A KPI result, one row per group.
    alpha : float
    method : {"holm", "bh", "fdr_bh", "benjamini-hochberg", "none", None}
        The correction (see :func:`kit.stats.compare_to_rest`).

    Raises
    ------
    ParameterError
        For an unknown ``method``.

    Examples
    --------
    >>> df = pd.DataFrame({"team": ["A", "B", "C", "D"], "value": [0.1, 0.3, 0.3, 0.3],
    ...     "numerator": [10, 30, 30, 30], "denominator": [100] * 4, "ci_low": [0.05, 0.2, 0.2, 0.2]})
    >>> out = flag_differences(df)
    >>> out["differs"].tolist(), out.attrs["differs"]
    ([True, False, False, False], {'method': 'holm', 'groups': 4, 'alpha': 0.05})
    """
    correction = correction_method(method)
    if not {"numerator", "denominator", "ci_low"} <= set(df.columns) or len(df) < 2:
        return df
    out = df.reset_index(drop=True).copy()
    cmp = compare_to_rest(out["numerator"].to_numpy(float), out["denominator"].to_numpy(float), alpha=alpha,
                          method=correction,
                          low_sample=_flags(out, "low_sample").to_numpy() if "low_sample" in out.columns else None)
    out["differs"] = cmp["differs"].to_numpy()
    out.attrs[ATTR] = {"method": correction, "groups": int(cmp["p_value"].notna().sum()), "alpha": alpha}
    return out


def flag_note(df: pd.DataFrame, lang: str = "en") -> str:
    """The footnote of a table flagged by :func:`flag_differences`, in ``lang``.

    Says what bold rows are (or that none differs), with the level, the correction
    and the number of groups tested, and, when the table has small samples, that
    they are grey and never bold on their own. Empty for a table that was not
    flagged.

    Examples
    --------
    >>> df = pd.DataFrame({"team": ["A", "B", "C"], "numerator": [10, 30, 2],
    ...     "denominator": [100, 100, 10], "ci_low": [0.05, 0.2, 0.05],
    ...     "low_sample": [False, False, True]})
    >>> print(flag_note(flag_differences(df), "en"))
    Bold: differs from the rest, p < 0.05 after Holm's correction for 3 groups. Grey: small sample (under 30), never bold on its own.
    >>> print(flag_note(flag_differences(df.head(2), method=None), "fr"))
    En gras : diffère du reste, p < 0,05 sans correction pour 2 groupes.
    >>> flag_note(df, "en")
    ''
    """
    info = df.attrs.get(ATTR)
    if not info or "differs" not in df.columns:
        return ""
    parts = []
    if info["groups"]:
        test = t(f"flag_test_{info['method'] or 'none'}", lang, n=info["groups"])
        key = "flag_bold" if _flags(df, "differs").any() else "flag_no_bold"
        parts.append(t(key, lang, alpha=format_number(info["alpha"], lang), test=test))
    if _flags(df, "low_sample").any():
        parts.append(t("flag_grey", lang, n=LOW_SAMPLE))
    return " ".join(parts)


def flag_legend(df: pd.DataFrame, lang: str = "en") -> str:
    """The legend entry of the outlined bars of a figure of ``df`` (groups that differ).

    Examples
    --------
    >>> df = pd.DataFrame({"team": ["A", "B"], "numerator": [10, 30], "denominator": [100, 100],
    ...     "ci_low": [0.05, 0.2]})
    >>> flag_legend(flag_differences(df, method="bh"), "en")
    'differs from the rest (p < 0.05, Benjamini-Hochberg)'
    >>> flag_legend(df, "fr")
    'diffère du reste (p < 0,05)'
    """
    info = df.attrs.get(ATTR)
    if not info:
        return t("differs_note", lang)
    return t("differs_note_method", lang, alpha=format_number(info["alpha"], lang),
             method=t(f"method_{info['method'] or 'none'}", lang))
