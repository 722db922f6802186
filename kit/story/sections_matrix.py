"""A KPI by two keys: one line per group over the months, or grouped bars (e.g. activity by rep and type).

:class:`MatrixSections` is one of the classes :class:`~kit.story.report.Report`
inherits from.

Examples
--------
>>> from kit.story import Report
>>> issubclass(Report, MatrixSections), [m for m in vars(MatrixSections) if not m.startswith("_")]
(True, ['matrix_figure', 'matrix'])
"""

from __future__ import annotations

import pandas as pd

from kit import registry
from kit.i18n import column_label, format_value, kpi_label, t
from kit.story.display import _late_display as _display
from kit.story.display import _late_show as _show
from kit.story.guard import Unavailable, section
from kit.story.table import Table, _cells
from kit.story.texts import month_abbr_year, word


class MatrixSections:
    """KPIs by two keys: a mixin of :class:`~kit.story.report.Report`."""

    def _matrix_data(self, name, by, columns, window, options):
        if columns == "period":
            if window == "history":
                return self.monthly(name, by=by, **options)
            return self.compute(name, window, by=by, freq="M", **options)
        return self.compute(name, window, by=[by, columns], **options)

    def _matrix_title(self, name, by, columns, window):
        by_text = column_label(by, self.lang).lower()
        by_text = word("by_month", self.lang, by=by_text) if columns == "period" else \
            f"{by_text} × {column_label(columns, self.lang).lower()}"
        return word("breakdown_title", self.lang, label=kpi_label(name, self.lang), by=by_text,
                    period=self.period_text(window))

    def matrix_figure(self, name: str, *, by: str, columns: str = "period", window: str = "history",
                      df=None, **options):
        """Draw KPI ``name`` by ``by`` and ``columns``: one line per ``by`` over months, or grouped bars."""
        from kit.plot import plot_bars, plot_kpi

        lang = self.lang
        df = self._matrix_data(name, by, columns, window, options) if df is None else df
        title = self._matrix_title(name, by, columns, window)
        plot_df = df.copy()
        plot_df[by] = plot_df[by].astype(object).where(plot_df[by].notna(), t("missing", lang))
        if columns == "period":
            ax = plot_kpi(plot_df, x="period", y="value", hue=by, name=name, lang=lang, title=title,
                          currency=self.currency, band=False)
            ax.set_xlabel(word("month_of", lang))
        else:
            plot_df[columns] = plot_df[columns].astype(object).where(plot_df[columns].notna(),
                                                                      t("missing", lang))
            ax = plot_bars(plot_df, x=by, y="value", group=columns, name=name, lang=lang,
                           title=title, currency=self.currency, annotate=False)
        return ax

    @section
    def matrix(self, name: str, *, by: str, columns: str = "period", window: str = "history",
               **options) -> None:
        """Display KPI ``name`` as a table of ``by`` × ``columns`` (months by default), and its figure."""
        lang = self.lang
        unit = registry.get(name).unit
        df = self._matrix_data(name, by, columns, window, options)
        if not len(df) or not df["value"].notna().any():
            raise Unavailable(self.no_values(name, window))
        if columns != "period":  # e.g. activity types that are never conversations
            totals = df.groupby(columns, dropna=False)["value"].sum(min_count=1)
            df = df[~df[columns].isin(totals.index[totals.fillna(0).eq(0)])].reset_index(drop=True)
        if columns != "period":
            df[columns] = _cells(df[columns], "text", lang)
        named = self._with_names(df, by)
        if "name" in named.columns:  # reps are shown by name
            df[by] = named["name"].where(named["name"].notna(), df[by])
        title = self._matrix_title(name, by, columns, window)
        self.heading(title)
        if len(df):
            _show(self.matrix_figure(name, by=by, columns=columns, window=window, df=df))
        wide = df.pivot_table(index=by, columns=columns, values="value", aggfunc="first", dropna=False)
        wide = wide.reindex(sorted(wide.columns), axis=1)
        heads = [month_abbr_year(c, lang) if columns == "period" else str(c) for c in wide.columns]
        wide = wide.dropna(how="all")
        shown = pd.DataFrame({column_label(by, lang): [t("missing", lang) if pd.isna(i) else str(i)
                                                      for i in wide.index]})
        for head, col in zip(heads, wide.columns):
            shown[head] = [format_value(v, unit, lang, currency=self.currency) for v in wide[col]]
        _display(Table(shown, uid=self._uid(name), caption=title))
        self.last = df
