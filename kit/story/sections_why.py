"""The "why it moved" section: one sentence and a waterfall of the largest contributions.

``why(ctx, "win_rate", by="method")`` (``rep.why(...)`` on a
:class:`~kit.story.report.Report`) splits the change of the KPI between the month
before and the report month over the groups of ``by`` (:func:`kit.explain.explain_change`),
says it in a sentence in the report's language (:func:`kit.explain_text.explain_sentence`)
and draws the waterfall of the largest contributions
(:func:`kit.plot.plot_waterfall`), with the table of those contributions.
:func:`explanation` is the one code path of that sentence and waterfall: the headline
(:func:`kit.story.sections_kpi.headline`, through :func:`why_under_headline`) shows them
under its table for each KPI whose change is beyond noise, and the dashboard's "why"
panel for the KPI and grouping chosen.

Examples
--------
>>> from kit.dataset import Dataset
>>> from kit.story.context import ReportContext
>>> why_unknown(ReportContext(Dataset({}), month="2026-10", lang="fr"), "win_rate")[:40]
"Pas d'opportunités dans l'un des deux mo"
"""

from __future__ import annotations

import warnings

import pandas as pd

from kit import registry
from kit.errors import DataError, KitError
from kit.explain import check_decomposable, DECOMPOSABLE, explain_change, group_labels
from kit.explain_by import default_grouping
from kit.explain_text import explain_sentence, groups_word, unit_word, unknown_sentence, word
from kit.i18n import MISSING, column_label, format_change, format_value, kpi_label, month_abbr, t
from kit.story.context import ReportContext
from kit.story.guard import section
from kit.story.table import Table


@section
def why(ctx: ReportContext, name: str, by, *, against: str = "previous", top: int = 5, **options) -> None:
    """Display why KPI ``name`` moved in the report month: a sentence and a waterfall.

    Parameters
    ----------
    name : str
        A KPI of :func:`kit.explain.decomposable`.
    by : str or list of str
        The column(s) whose groups share the change.
    against : {"previous", "last_year"}
    top : int
        Groups drawn by name in the waterfall; the others are summed.
    **options
        Passed to the KPI.
    """
    lang = ctx.lang
    check_decomposable(name)  # a KPI that does not decompose is the caller's error
    ctx.require(name, by=by)  # a missing table or grouping column: one sentence says so
    ctx.heading(word("why_heading", lang, kpi=kpi_label(name, lang), groups=groups_word(by, lang)))
    try:
        res, sentence, ax = explanation(ctx, name, by, against=against, top=top, **options)
    except DataError:  # a month without units (a team, a partial dataset): unknown, said so
        ctx.display.markdown(f"*{why_unknown(ctx, name, against)}*")
        ctx.last = None
        return
    ctx.display.markdown(sentence)
    ctx.display.figure(ax)
    from kit.plot import waterfall_title

    title = waterfall_title(res, lang)
    shown = contributions_table(res, lang, top=top, currency=ctx.currency)
    ctx.display.show(Table(shown, uid=ctx.uid(f"why_{name}"), caption=title))
    level = format_value(res.attrs["level"], "ratio", lang, decimals=0)
    note = "why_note" if res.attrs["kind"] == "ratio" else (
        "why_note_volume" if "volume_effect" in res.columns else "why_note_sum")
    ctx.display.markdown("*" + word(note, lang, level=level, units=unit_word(name, lang)) + "*")
    ctx.last = res


def explanation(ctx: ReportContext, name: str, by, *, against: str = "previous", top: int = 5, **options):
    """Why KPI ``name`` moved in the report month, over the groups of ``by``: the
    :func:`kit.explain.explain_change` result, its sentence in the report's language
    and the waterfall of its ``top`` largest contributions (a matplotlib Axes).

    The one code path of :func:`why`, of the explanations under the headline (:func:`why_under_headline`)
    and of the dashboard's "why" panel.

    Raises
    ------
    DataError
        When a month has no unit of the KPI (:func:`why_unknown` says so).
    KitError
        For a KPI that does not decompose, or groups that overlap.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from kit.dataset import Dataset
    >>> from kit.story.context import ReportContext
    >>> opps = pd.DataFrame({"opportunity_id": ["O1", "O2", "O3", "O4"],
    ...     "status": ["won", "lost", "won", "won"], "team": ["A", "B", "A", "B"],
    ...     "closed_at": pd.to_datetime(["2026-09-03", "2026-09-04", "2026-10-05", "2026-10-06"])})
    >>> res, sentence, ax = explanation(ReportContext(Dataset({"opportunities": opps}), month="2026-10"),
    ...     "win_rate", "team")
    >>> sentence.split(":")[0], ax.get_title()
    ('Win rate rose 50.0\xa0pp (50.0% to 100.0%)', 'Win rate, Sep 2026 to Oct 2026: contributions of the teams')
    """
    lang = ctx.lang
    ctx.used.update(registry.get(name).tables)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = explain_change(ctx.ds, name, by=by, month=ctx.month, against=against, **options)
    sentence = explain_sentence(res, lang, currency=ctx.currency)
    from kit.plot import plot_explanation

    return res, sentence, plot_explanation(res, lang=lang, currency=ctx.currency, top=top)


def why_unknown(ctx: ReportContext, name: str, against: str = "previous") -> str:
    """The sentence saying why KPI ``name`` moved in the report month is unknown
    (:func:`kit.explain_text.unknown_sentence`).

    Examples
    --------
    >>> from kit.dataset import Dataset
    >>> from kit.story.context import ReportContext
    >>> why_unknown(ReportContext(Dataset({}), month="2026-10"), "win_rate")
    'No opportunities in one of the two months (Sep 2026, Oct 2026): why Win rate moved is unknown.'
    """
    return unknown_sentence(name, ctx.month, ctx.lang, against)


def why_under_headline(ctx: ReportContext, frame: pd.DataFrame) -> None:
    """Under the headline table: why each KPI of ``frame`` whose change is beyond noise
    (status ``better`` or ``worse``) moved, over its default grouping
    (:func:`kit.explain_by.default_grouping`): the sentence and the waterfall. A KPI
    that does not decompose, has no grouping in the data or cannot be split (a month
    without units, overlapping groups) is left without one; a change within noise is
    never explained."""
    for name, status in zip(frame["name"], frame["status"]):
        if status not in ("better", "worse") or name not in DECOMPOSABLE:
            continue
        by = default_grouping(ctx.ds, name)
        if by is None:
            continue
        try:
            _res, sentence, ax = explanation(ctx, name, by)
        except (DataError, KitError):
            continue
        ctx.display.markdown(sentence)
        ctx.display.figure(ax)


def contributions_table(res, lang: str, *, top: int = 5, currency: str = "EUR") -> pd.DataFrame:
    """The ``top`` largest contributions of an ``explain_change`` result, as text cells.

    Examples
    --------
    >>> import pandas as pd
    >>> from kit.explain import decompose
    >>> prev = pd.DataFrame({"team": ["a", "b"], "u": [1, 2], "numerator": [1.0, 0.0],
    ...                      "denominator": [1.0, 1.0]})
    >>> cur = pd.DataFrame({"team": ["a", "a"], "u": [3, 4], "numerator": [1.0, 0.0],
    ...                     "denominator": [1.0, 1.0]})
    >>> res = decompose(prev, cur, by=["team"], unit="u", n_boot=0)
    >>> res.attrs.update(kpi="win_rate", previous_month=pd.Timestamp("2026-09-01"),
    ...                  month=pd.Timestamp("2026-10-01"))
    >>> contributions_table(res, "en").iloc[:, [0, 1, 2, 5]].values.tolist()
    [['a', '100.0%', '50.0%', '0.0\xa0pp'], ['b', '0.0%', '–', '0.0\xa0pp']]
    """
    a = res.attrs
    unit = registry.get(a["kpi"]).unit

    def change(v):  # + 0.0: no "-0.0"
        return format_change(float(v) + 0.0, unit, lang, currency=currency)

    head = res.head(top)
    months = [month_abbr(a[k], lang, year=True) for k in ("previous_month", "month")]
    labels = group_labels(head, missing=t("missing", lang))
    out = pd.DataFrame({" / ".join(column_label(k, lang) for k in a["by"]): labels})
    for col, m in zip(("value_previous", "value_current"), months):
        out[m] = [format_value(v, unit, lang, currency=currency) for v in head[col]]
    effects = ["rate_effect", "mix_effect"] if a["kind"] == "ratio" else \
        (["volume_effect", "basket_effect"] if "volume_effect" in head.columns else [])
    for col in effects + ["contribution"]:
        out[word("col_" + col, lang)] = [change(v) for v in head[col]]
    level = format_value(a.get("level", 0.95), "ratio", lang, decimals=0)
    out[word("col_interval", lang, level=level)] = [
        MISSING if pd.isna(lo) or pd.isna(hi) else
        f"{change(lo)} – {change(hi)}"
        for lo, hi in zip(head["ci_low"], head["ci_high"])]
    return out
