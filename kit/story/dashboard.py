"""The month's scorecard, the KPI explorer and the dashboard (static figures and interactive filters).

:class:`DashboardSections` is one of the classes :class:`~kit.story.report.Report`
inherits from; :data:`DASHBOARD_DEBOUNCE` is how long the dashboard waits for more
filter changes.

Examples
--------
>>> from kit.story import Report
>>> issubclass(Report, DashboardSections), [m for m in vars(DashboardSections) if not m.startswith("_")]
(True, ['scorecard', 'explorer', 'dashboard_figures', 'dashboard'])
"""

from __future__ import annotations

import warnings

import pandas as pd

from kit import registry
from kit.i18n import MISSING, format_month, format_value, kpi_label, t
from kit.story.display import _late_display as _display
from kit.story.display import _late_show as _show
from kit.story.guard import section
from kit.story.display import _markdown
from kit.story.table import Table
from kit.story.texts import word


class DashboardSections:
    """Scorecard, explorer and dashboard: a mixin of :class:`~kit.story.report.Report`."""

    @section
    def scorecard(self) -> None:
        """Display every headline KPI of the month (:func:`kit.scorecard.scorecard`), coloured;
        a KPI the data cannot give is not in the table, and one sentence says why."""
        from kit.scorecard import scorecard

        lang, cur = self.lang, self.currency
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            full = scorecard(self.ds, self.month.strftime("%Y-%m"), lang=lang)
        for spec in registry.specs():
            if spec.headline:
                self.used.update(t_ for t_ in spec.tables if t_ in self.ds.tables)
        unknown = full[(full["reason"] != "") & full["value"].isna()]
        sc = full.drop(index=unknown.index).reset_index(drop=True)
        if len(sc):
            self._scorecard_table(sc)
        for name, reason in zip(unknown["name"], unknown["reason"]):  # one sentence each
            self.unknown[name] = reason
            _display(_markdown(f"*{MISSING} {reason}*"))
        self.last = full

    def _scorecard_table(self, sc: pd.DataFrame) -> None:
        from kit.plot import style_scorecard

        lang, cur = self.lang, self.currency
        units = sc["unit"].tolist()
        shown = pd.DataFrame({"name": sc["name"], "value": sc["value"]})
        shown[t("ci_note", lang)] = [
            MISSING if pd.isna(lo) else f"{format_value(lo, u, lang, currency=cur)} – "
                                        f"{format_value(hi, u, lang, currency=cur)}"
            for lo, hi, u in zip(sc["ci_low"], sc["ci_high"], units)]
        shown["previous"] = sc["previous"]
        shown["change"] = sc["change"]
        shown[word("last_year", lang)] = [format_value(v, u, lang, currency=cur)
                                          for v, u in zip(sc["same_month_last_year"], units)]
        shown["target"] = sc["target"]
        styler = style_scorecard(shown, lang, currency=cur,
                                 caption=f"{t('scorecard', lang)} — {format_month(self.month, lang)}")
        _display(Table(styler.data, uid=self._uid("scorecard"), caption=styler.caption, styler=styler))
        note = self.team_note(sc["name"].tolist())
        if note:
            _display(_markdown(note))

    # -- interactive ----------------------------------------------------------
    def explorer(self, names=None):
        """The KPI explorer of :mod:`kit.widgets` (filter bar, KPI, breakdown, frequency) over the
        KPIs of ``names`` the dataset can give; when it can give none, the reason of each instead."""
        from kit.widgets import kpi_explorer

        wanted = list(names) if names is not None else registry.names()
        usable = [n for n in wanted if self.availability(n).ok]
        if not usable:  # the reasons not said yet in this notebook
            for n in wanted:
                if n not in self.unknown:
                    self.unavailable(self.availability(n))
            return None
        return kpi_explorer(self.ds, lang=self.lang, kpis=usable)

    def dashboard_figures(self) -> None:
        """Display the dashboard's four figures for the report: revenue against target, funnel,
        CAC by channel, satisfaction. A figure the data cannot give is replaced by the
        sentence saying why (once: not again when the scorecard above already said it)."""
        for name, draw in self._panels(every=True).items():
            if name not in self.unknown:
                self._panel(name, draw)

    @section
    def _panel(self, name, draw) -> None:
        """Draw one dashboard panel (the reason instead when it cannot be computed)."""
        self.require(name, by="source" if name == "cac" else None)
        ax = draw(self)
        if ax is not None:  # the stage funnel of a window without opportunities: no figure
            _show(ax)

    def _panels(self, every: bool = False) -> dict:
        """``{title: function(report) -> Axes}`` of the dashboard figures the dataset allows
        (:func:`kit.availability.availability`); with ``every``, ``{KPI name: function}`` of all four."""
        from kit.availability import availability

        lang = self.lang
        wanted = {
            "revenue": lambda r: r.trend_figure("revenue")[0],
            "funnel": lambda r: r.funnel_figure("history")[0],
            "cac": lambda r: r.matrix_figure("cac", by="source"),
            "csat": lambda r: r.trend_figure("csat")[0],
        }
        if "leads" not in self.ds.tables and "opportunities" in self.ds.tables:
            # deals only: the funnel of the opportunity stages takes the funnel's place
            wanted = {("stage_funnel" if k == "funnel" else k):
                      ((lambda r: r.stage_funnel_figure("history")[0]) if k == "funnel" else v)
                      for k, v in wanted.items()}
        if every:
            return wanted
        panels = {}
        for name, draw in wanted.items():
            if availability(self.ds, name, by="source" if name == "cac" else None).ok:
                title = t("funnel_title", lang) if name == "funnel" else kpi_label(name, lang)
                panels[title] = draw
        return panels

    def dashboard(self):
        """The interactive dashboard: a filter bar (period, team, rep, source) redrawing the
        month's scorecard and the four figures (:func:`kit.widgets.dashboard`).

        The report month of a filtered view is the last complete month of the filtered
        period. The KPIs run on polars copies of the tables (same results, about twice
        as fast as pandas on the sample), so that a filter change redraws the scorecard
        within a second. Each scorecard cell carries ``data-row`` (the KPI's name) and
        ``data-column`` attributes, e.g. ``td[data-row="revenue"][data-column="value"]``.
        """
        from kit.plot import style_scorecard
        from kit.scorecard import scorecard
        from kit.story.report import Report
        from kit.widgets import _reason_html, dashboard, keyed_table_html

        lang, history = self.lang, self.history

        def report(ds):
            return Report(ds, month="", history=history, lang=lang, key="dashboard")

        def card(ds):
            r = report(ds)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                sc = scorecard(ds, r.month.strftime("%Y-%m"), lang=lang)
            unknown = sc[(sc["reason"] != "") & sc["value"].isna()]
            notes = "".join(_reason_html(reason) for reason in unknown["reason"])
            sc = sc.drop(index=unknown.index).reset_index(drop=True)
            if not len(sc):
                return notes
            cols = ["name", "value", "previous", "change", "target"]
            styler = style_scorecard(sc[cols], lang, currency=r.currency,
                                     caption=f"{t('scorecard', lang)} — {format_month(r.month, lang)}")
            return keyed_table_html(styler, sc["name"], cols) + notes

        renderers = {t("scorecard", lang): card}
        for title, draw in self._panels().items():
            renderers[title] = (lambda d: lambda ds: d(report(ds)))(draw)
        return dashboard(self.ds.to_polars(), renderers, lang=lang, debounce=DASHBOARD_DEBOUNCE)


#: Seconds the dashboard waits for more filter changes before redrawing.
DASHBOARD_DEBOUNCE = 0.1
