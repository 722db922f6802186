"""The "why it moved" section: one sentence and a waterfall of the largest contributions.

:class:`WhySections` is one of the classes :class:`~kit.story.report.Report`
inherits from. ``rep.why("win_rate", by="method")`` splits the change of the KPI
between the month before and the report month over the groups of ``by``
(:func:`kit.explain.explain_change`), says it in a sentence in the report's language
(:func:`kit.explain_text.explain_sentence`) and draws the waterfall of the largest
contributions (:func:`kit.plot_waterfall.plot_waterfall`).

Examples
--------
>>> from kit.story import Report
>>> issubclass(Report, WhySections), [m for m in vars(WhySections) if not m.startswith("_")]
(True, ['why'])
"""

from __future__ import annotations

import warnings

import pandas as pd

from kit import registry
from kit.errors import DataError
from kit.explain import DECOMPOSABLE, explain_change, group_labels, waterfall_steps
from kit.explain_text import UNIT_ID_WORDS, explain_sentence, groups_word, with_de, word
from kit.i18n import MISSING, column_label, format_change, format_value, kpi_label, month_abbr, t
from kit.story.display import _late_display as _display
from kit.story.display import _late_show as _show
from kit.story.display import _markdown
from kit.story.table import Table


class WhySections:
    """Why a KPI moved: a mixin of :class:`~kit.story.report.Report`."""

    def why(self, name: str, by, *, against: str = "previous", top: int = 5, **options) -> None:
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
        lang = self.lang
        self.used.update(registry.get(name).tables)
        groups = groups_word(by, lang)
        self.heading(word("why_heading", lang, kpi=kpi_label(name, lang), groups=groups))
        unit_id = DECOMPOSABLE.get(name, ("", ""))[1]
        unit_word = UNIT_ID_WORDS.get(unit_id, ("units", "unités"))[lang == "fr"]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                res = explain_change(self.ds, name, by=by, month=self.month, against=against, **options)
        except DataError:  # a month without units (a team, a partial dataset): unknown, said so
            months = [self.month - pd.DateOffset(months=1 if against == "previous" else 12), self.month]
            units = with_de(unit_word) if lang == "fr" else unit_word
            text = word("why_unknown", lang, units=units, kpi=kpi_label(name, lang),
                        previous=month_abbr(months[0], lang, year=True),
                        current=month_abbr(months[1], lang, year=True))
            _display(_markdown(f"*{text}*"))
            self.last = None
            return
        _display(_markdown(explain_sentence(res, lang, currency=self.currency)))
        from kit.plot_waterfall import plot_waterfall

        periods = (res.attrs["previous_month"], res.attrs["month"])
        title = word("waterfall_title", lang, kpi=kpi_label(name, lang), groups=groups,
                     previous=month_abbr(periods[0], lang, year=True),
                     current=month_abbr(periods[1], lang, year=True))
        ax = plot_waterfall(waterfall_steps(res, top=top), name=name, lang=lang, title=title,
                            currency=self.currency, periods=periods)
        if res.attrs["kind"] == "ratio":
            average = registry.get(name).unit == "currency"
            ax.set_xlabel(word("average_axis" if average else "ratio_axis", lang))
        else:
            ax.set_xlabel(column_label(res.attrs["by"][0], lang) if len(res.attrs["by"]) == 1 else "")
        _show(ax)
        shown = contributions_table(res, lang, top=top, currency=self.currency)
        _display(Table(shown, uid=self._uid(f"why_{name}"), caption=title))
        level = format_value(res.attrs["level"], "ratio", lang, decimals=0)
        note = "why_note" if res.attrs["kind"] == "ratio" else (
            "why_note_volume" if "volume_effect" in res.columns else "why_note_sum")
        _display(_markdown("*" + word(note, lang, level=level, units=unit_word) + "*"))
        self.last = res


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
