"""The sections of the funnel notebook: the funnel from lead to won deal (or of the opportunity
stages when there are no leads), the time to convert.

:class:`FunnelSections` is one of the classes :class:`~kit.story.report.Report`
inherits from.

Examples
--------
>>> from kit.story import Report
>>> issubclass(Report, FunnelSections), [m for m in vars(FunnelSections) if not m.startswith("_")]
(True, ['funnel_figure', 'funnel', 'stage_funnel_figure', 'stage_funnel', 'time_to_convert'])
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from kit.i18n import format_value, has_word, kpi_label, t
from kit.stats import km_curve
from kit.story.display import _late_display as _display
from kit.story.display import _late_show as _show
from kit.story.display import _markdown
from kit.story.guard import section
from kit.story.results import _pandas
from kit.story.table import Table, _intervals
from kit.story.texts import word


class FunnelSections:
    """Funnel and time to convert: a mixin of :class:`~kit.story.report.Report`."""

    def funnel_figure(self, window: str = "history"):
        """Draw the funnel lead → won of the leads created in ``window``; returns ``(ax, result)``."""
        from kit.plot import plot_funnel

        df = self.compute("funnel", window)
        title = f"{t('funnel_title', self.lang)}, {self.period_text(window)}"
        ax = plot_funnel(df, stage="stage", count="value", rate="step_rate", lang=self.lang, title=title)
        ax.set_xlabel(word("leads_axis", self.lang))
        return ax, df

    @section
    def funnel(self, window: str = "history") -> None:
        """Display the funnel lead → won of the leads created in ``window``, with step rates.

        Without a leads table, the funnel of the opportunity stages (:meth:`stage_funnel`).
        """
        if "leads" not in self.ds.tables and "opportunities" in self.ds.tables:
            return self.stage_funnel(window)
        title = f"{t('funnel_title', self.lang)}, {self.period_text(window)}"
        self.heading(title)
        ax, df = self.funnel_figure(window)
        _show(ax)
        self._funnel_table(df, "funnel", title, count="leads", share="rate_from_created",
                           share_word="of_created")

    def stage_funnel_figure(self, window: str = "history"):
        """Draw the funnel of the opportunity stages of ``window``; ``(ax, result)``, ``ax``
        None when no opportunity was created in ``window``."""
        from kit.plot import plot_funnel

        df = self.compute("stage_funnel", window)
        if not len(df) or not df["value"].iloc[0] > 0:
            return None, df
        title = f"{kpi_label('stage_funnel', self.lang)}, {self.period_text(window)}"
        ax = plot_funnel(df, stage="stage", count="value", rate="step_rate", lang=self.lang,
                         title=title)
        ax.set_xlabel(word("opportunities_axis", self.lang))
        return ax, df

    @section
    def stage_funnel(self, window: str = "history") -> None:
        """Display the funnel of the opportunity stages of the opportunities created in ``window``.

        From ``stage_history`` when the dataset has it, else from each opportunity's
        current ``stage`` (:func:`kit.kpis.stages.stage_funnel`), with step rates and
        their 95 % intervals; a sentence says which.
        """
        lang = self.lang
        title = f"{kpi_label('stage_funnel', lang)}, {self.period_text(window)}"
        self.heading(title)
        source = "stage_history" if "stage_history" in self.ds.tables else "stage"
        ax, df = self.stage_funnel_figure(window)
        if ax is None:
            _display(_markdown(word("no_opportunities", lang, period=self.period_text(window))))
            self.last = df
            return
        _display(_markdown(f"*{word('stage_funnel_' + source, lang)}*"))
        _show(ax)
        self._funnel_table(df, "stage_funnel", title, count="opportunities", share="rate_from_first",
                           share_word="of_first")

    def _funnel_table(self, df, uid: str, title: str, *, count: str, share: str, share_word: str) -> None:
        """The table under a funnel figure: stage, count, step rate and its interval, share of the
        first step; small samples grey. Stage names with words of their own are translated, as
        :func:`kit.plot.plot_funnel` does."""
        lang = self.lang
        shown = pd.DataFrame({
            t("stage", lang): [t(f"stage_{n}", lang) if has_word(f"stage_{n}") else n
                               for n in map(str, df["stage"])],
            word(count, lang): [format_value(v, "count", lang) for v in df["value"].astype(float)],
            t("rate", lang): [format_value(v, "ratio", lang) for v in df["step_rate"]],
            t("ci_note", lang): _intervals(df, "ratio", lang),
            word(share_word, lang): [format_value(v, "ratio", lang) for v in df[share]],
        })
        grey = df["low_sample"].fillna(False).astype(bool).tolist()
        _display(Table(shown, uid=self._uid(uid), caption=title, grey=grey))
        if any(grey):
            _display(_markdown(f"*{word('legend_grey', lang)}*"))
        self.last = df

    @section
    def time_to_convert(self, window: str = "history") -> None:
        """Display the time from lead to customer: medians, shares within 30/90 days, KM curve.

        The Kaplan-Meier curve (:func:`kit.stats.km_curve`) counts leads still open at
        the end of the month as censored, not as failures.
        """
        from kit.plot import plot_survival

        lang = self.lang
        df = self.compute("time_to_convert", window)
        title = f"{kpi_label('time_to_convert', lang)}, {self.period_text(window)}"
        self.heading(title)
        leads = _pandas(self.ds.tables["leads"])
        s, e = self.bounds(window)
        leads = leads[(leads["created_at"] >= s) & (leads["created_at"] < e)] if s is not None else \
            leads[leads["created_at"] < e]
        as_of = pd.Timestamp(self.ds.as_of)
        conv = pd.to_datetime(leads["converted_at"])
        consistent = conv.isna() | (conv >= leads["created_at"])  # as the KPI: others left out
        leads, conv = leads[consistent], conv[consistent]
        observed = conv.notna() & (conv <= as_of)
        stop = conv.where(observed, as_of)
        days = (stop - leads["created_at"]) / pd.Timedelta(days=1)
        if len(days):
            curve = km_curve(days.to_numpy(float), observed.to_numpy(bool))
            ax = plot_survival(curve, lang=lang, title=f"{t('survival_title', lang)}, {self.period_text(window)}")
            _show(ax)
        rec = df.iloc[0] if len(df) else pd.Series(dtype=float)
        rows = [
            (word("median_converted", lang), format_value(rec.get("value"), "days", lang)),
            (word("mean_converted", lang), format_value(rec.get("mean"), "days", lang)),
            (word("km_median", lang), word("not_reached", lang) if np.isinf(rec.get("km_median", np.nan))
             else format_value(rec.get("km_median"), "days", lang)),
            (word("leads", lang), format_value(rec.get("n_leads"), "count", lang)),
            (word("converted", lang), format_value(rec.get("n"), "count", lang)),
            (t("n_censored", lang), format_value(rec.get("n_censored"), "count", lang)),
        ]
        for col in [c for c in df.columns if re.fullmatch(r"share_\d+d", c)]:
            days_ = col[len("share_"):-1]
            rows.append((word("converted_within", lang, days=days_),
                         f"{format_value(rec.get(col), 'ratio', lang)} "
                         f"({word('of_n', lang, n=format_value(rec.get(col + '_n'), 'count', lang))})"))
        shown = pd.DataFrame(rows, columns=[t("kpi", lang), t("value", lang)])
        _display(Table(shown, uid=self._uid("time_to_convert"), caption=title))
        self.last = df
