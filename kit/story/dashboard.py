"""The month's scorecard, the KPI explorer and the dashboard (static figures and interactive filters).

:class:`DashboardSections` is one of the classes :class:`~kit.story.report.Report`
inherits from; :data:`DASHBOARD_DEBOUNCE` is how long the dashboard waits for more
filter changes.

Examples
--------
>>> from kit.story import Report
>>> issubclass(Report, DashboardSections), [m for m in vars(DashboardSections) if not m.startswith("_")]
(True, ['scorecard', 'window_report', 'explorer', 'dashboard_figures', 'dashboard'])
"""

from __future__ import annotations

import warnings

import pandas as pd

from kit import registry
from kit.errors import DataError
from kit.availability import availability
from kit.i18n import MISSING, format_month, format_value, kpi_label, t
from kit.scorecard import last_complete_month, month_bounds, scorecard
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
        """Display every headline KPI of the month (:func:`kit.scorecard.scorecard`) with its
        status; a KPI the data cannot give is not in the table, and one sentence says why."""

        lang = self.lang
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
        styler = style_scorecard(_card_frame(sc, lang, cur, interval=True), lang, currency=cur,
                                 caption=f"{t('scorecard', lang)} — {format_month(self.month, lang)}")
        _display(Table(styler.data, uid=self._uid("scorecard"), caption=styler.caption, styler=styler))
        note = self.team_note(sc["name"].tolist())
        if note:
            _display(_markdown(note))

    def window_report(self, ds, first, last):
        """The report of a dashboard window, of the same class and language as this one: its
        month is ``last`` (the To month, or the last complete month of ``ds`` when earlier),
        its trends start at ``first`` (the From month; at least two months are shown; None:
        this report's history).

        Examples
        --------
        >>> import pandas as pd
        >>> from kit.dataset import Dataset
        >>> from kit.story import Report
        >>> ds = Dataset({"opportunities": pd.DataFrame({"opportunity_id": ["O1"], "status": ["won"],
        ...     "closed_at": pd.to_datetime(["2026-10-05"])})}, as_of="2026-11-30")
        >>> r = Report(ds).window_report(ds, pd.Timestamp("2026-04-01"), pd.Timestamp("2026-09-01"))
        >>> r.period_text("month"), r.period_text("history")
        ('September 2026', 'April 2026 to September 2026')
        """
        month = month_bounds(last_complete_month(ds))[0]
        if last is not None and pd.Timestamp(last) < month:
            month = pd.Timestamp(last)
        history = self.history
        if first is not None:
            first = pd.Timestamp(first)
            history = max(2, (month.year - first.year) * 12 + month.month - first.month + 1)
        return type(self)(ds, month=month, history=history, lang=self.lang, key="dashboard")

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
        """The interactive dashboard: a filter bar (From, To, team, rep, source) redrawing the
        scorecard, the four figures (:func:`kit.widgets.dashboard`) and the "why" panel
        (:func:`kit.widgets_why.why_panel`): why the KPI chosen moved in the To month, over
        the groups chosen (:meth:`explanation`, as under the headline).

        From/To is the window shown, not a cut of the data: the scorecard compares the
        To month (or the last complete month, when To is the last month of the data)
        with the month before, and the figures span From to To, as their titles say.
        The rows before From are kept, so that cohorts and lifetime value stay
        measurable; a KPI the window leaves without data says why in the scorecard.
        The KPIs run on polars copies of the tables (same results, about twice as fast
        as pandas on the sample). Each scorecard cell carries ``data-row`` (the KPI's
        name) and ``data-column`` attributes, e.g.
        ``td[data-row="revenue"][data-column="value"]``, and the change cell
        ``data-kpi`` and ``data-status``. The "why" panel offers the headline KPIs that
        split over groups (:data:`kit.explain.DECOMPOSABLE`) with a grouping in the data;
        it is left out when there is none.
        """
        from kit.plot import style_scorecard
        from kit.widgets import _reason_html, dashboard, keyed_table_html
        from kit.widgets_why import WhyPanel, why_choices

        lang = self.lang

        def card(ds, first, last):
            r = self.window_report(ds, first, last)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                sc = scorecard(ds, r.month.strftime("%Y-%m"), lang=lang)
            unknown = sc[(sc["reason"] != "") & sc["value"].isna()]
            notes = "".join(_reason_html(reason) for reason in unknown["reason"])
            sc = sc.drop(index=unknown.index).reset_index(drop=True)
            if not len(sc):
                return notes
            shown = _card_frame(sc, lang, r.currency)
            styler = style_scorecard(shown, lang, currency=r.currency,
                                     caption=f"{t('scorecard', lang)} — {format_month(r.month, lang)}")
            keys = ["name", "value", "previous", "change", "target", "status", "note"]
            return keyed_table_html(styler, sc["name"], keys[:styler.data.shape[1]]) + notes

        renderers = {t("scorecard", lang): card}
        for title, draw in self._panels().items():
            renderers[title] = (lambda d: lambda ds, first, last: d(
                self.window_report(ds, first, last)))(draw)
        def explain(ds, first, last, name, by):
            r = self.window_report(ds, first, last)
            try:
                return r.explanation(name, by)[1:]
            except DataError:  # a month without units: unknown, said so
                return r.why_unknown(name), None

        choices = why_choices(self.ds)
        extras = [WhyPanel(choices, lang=lang, explain=explain, debounce=DASHBOARD_DEBOUNCE)] if choices else []
        return dashboard(self.ds.to_polars(), renderers, lang=lang, debounce=DASHBOARD_DEBOUNCE,
                         windowed=True, extras=extras)


def _card_frame(sc: pd.DataFrame, lang: str, currency: str, interval: bool = False) -> pd.DataFrame:
    """The columns of a scorecard that the styled table shows (and the status it shows)."""
    shown = pd.DataFrame({"name": sc["name"], "value": sc["value"]})
    if interval:
        units = sc["unit"].tolist()
        shown[t("ci_note", lang)] = [
            MISSING if pd.isna(lo) else f"{format_value(lo, u, lang, currency=currency)} – "
                                        f"{format_value(hi, u, lang, currency=currency)}"
            for lo, hi, u in zip(sc["ci_low"], sc["ci_high"], units)]
    shown["previous"] = sc["previous"]
    shown["change"] = sc["change"]
    if interval:
        shown[word("last_year", lang)] = [format_value(v, u, lang, currency=currency)
                                          for v, u in zip(sc["same_month_last_year"], sc["unit"])]
    shown["target"] = sc["target"]
    for col in ("status", "target_status", "note", "reason"):
        if col in sc.columns:
            shown[col] = sc[col]
    return shown


#: Seconds the dashboard waits for more filter changes before redrawing.
DASHBOARD_DEBOUNCE = 0.1
