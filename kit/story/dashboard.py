"""The month's scorecard, the KPI explorer and the dashboard (static figures and interactive filters).

Each section is a function of a :class:`~kit.story.context.ReportContext`;
:class:`~kit.story.report.Report` has them as methods. The static scorecard and the
dashboard's scorecard are one table (:func:`scorecard_parts`, :func:`styled_scorecard`);
the dashboard's windows are report contexts of their own (:func:`window_report`).
:data:`DASHBOARD_DEBOUNCE` is how long the dashboard waits for more filter changes.

Examples
--------
>>> import pandas as pd
>>> from kit.dataset import Dataset
>>> from kit.story import Collector, ReportContext
>>> opps = pd.DataFrame({"opportunity_id": ["O1", "O2", "O3"], "status": ["won", "lost", "won"],
...     "closed_at": pd.to_datetime(["2026-09-05", "2026-10-09", "2026-10-20"])})
>>> ctx = ReportContext(Dataset({"opportunities": opps}), month="2026-10", display=Collector())
>>> scorecard(ctx)
>>> ctx.display.objects[0].frame.iloc[:, :2].values.tolist()
[['Win rate', '50.0%']]
"""

from __future__ import annotations

import warnings

import pandas as pd

from kit import registry
from kit.errors import DataError
from kit.i18n import MISSING, format_month, format_value, kpi_label, t
from kit.scorecard import last_complete_month, month_bounds
from kit.scorecard import scorecard as month_scorecard
from kit.story.context import ReportContext
from kit.story.guard import section
from kit.story.sections_funnel import funnel_figure, stage_funnel_figure
from kit.story.sections_kpi import trend_figure
from kit.story.sections_matrix import matrix_figure
from kit.story.sections_why import explanation, why_unknown
from kit.story.table import Table
from kit.story.texts import word

#: Seconds the dashboard waits for more filter changes before redrawing.
DASHBOARD_DEBOUNCE = 0.1


def scorecard_parts(ds, month, lang: str) -> tuple:
    """The scorecard of ``month`` (:func:`kit.scorecard.scorecard`) as ``(full, known, unknown)``:
    every row, the rows with a value or no reason (the table), and the rows of the KPIs the
    data cannot give (one sentence each).

    Examples
    --------
    >>> from kit.dataset import Dataset
    >>> full, known, unknown = scorecard_parts(Dataset({}), pd.Timestamp("2026-10-01"), "en")
    >>> len(full) == len(unknown), len(known)
    (True, 0)
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        full = month_scorecard(ds, pd.Timestamp(month).strftime("%Y-%m"), lang=lang)
    unknown = full[(full["reason"] != "") & full["value"].isna()]
    return full, full.drop(index=unknown.index).reset_index(drop=True), unknown


def styled_scorecard(known: pd.DataFrame, month, lang: str, currency: str, *, interval: bool = False):
    """The styled table of the scorecard rows ``known`` (:func:`kit.plot.style_scorecard`): with
    ``interval``, the 95 % interval and last year's value too (the notebook's table; the
    dashboard's is narrower). See the module example."""
    from kit.plot import style_scorecard

    return style_scorecard(_card_frame(known, lang, currency, interval=interval), lang, currency=currency,
                           caption=f"{t('scorecard', lang)} — {format_month(month, lang)}")


@section
def scorecard(ctx: ReportContext) -> None:
    """Display every headline KPI of the month (:func:`kit.scorecard.scorecard`) with its
    status; a KPI the data cannot give is not in the table, and one sentence says why."""
    full, sc, unknown = scorecard_parts(ctx.ds, ctx.month, ctx.lang)
    for spec in registry.specs():
        if spec.headline:
            ctx.used.update(t_ for t_ in spec.tables if t_ in ctx.ds.tables)
    if len(sc):
        styler = styled_scorecard(sc, ctx.month, ctx.lang, ctx.currency, interval=True)
        ctx.display.show(Table(styler.data, uid=ctx.uid("scorecard"), caption=styler.caption, styler=styler))
        note = ctx.team_note(sc["name"].tolist())
        if note:
            ctx.display.markdown(note)
    for name, reason in zip(unknown["name"], unknown["reason"]):  # one sentence each
        ctx.unknown[name] = reason
        ctx.display.markdown(f"*{MISSING} {reason}*")
    ctx.last = full


def window_report(ctx: ReportContext, ds, first, last) -> ReportContext:
    """The report context of a dashboard window, of the class of ``ctx`` (a
    :class:`~kit.story.report.Report` gives a report), in its language and on its display: its month is ``last`` (the To month, or the last complete month of ``ds`` when
    earlier), its trends start at ``first`` (the From month; at least two months are shown;
    None: the history of ``ctx``).

    Examples
    --------
    >>> from kit.dataset import Dataset
    >>> ds = Dataset({"opportunities": pd.DataFrame({"opportunity_id": ["O1"], "status": ["won"],
    ...     "closed_at": pd.to_datetime(["2026-10-05"])})}, as_of="2026-11-30")
    >>> r = window_report(ReportContext(ds), ds, pd.Timestamp("2026-04-01"), pd.Timestamp("2026-09-01"))
    >>> r.period_text("month"), r.period_text("history")
    ('September 2026', 'April 2026 to September 2026')
    """
    month = month_bounds(last_complete_month(ds))[0]
    if last is not None and pd.Timestamp(last) < month:
        month = pd.Timestamp(last)
    history = ctx.history
    if first is not None:
        first = pd.Timestamp(first)
        history = max(2, (month.year - first.year) * 12 + month.month - first.month + 1)
    return type(ctx)(ds, month=month, history=history, lang=ctx.lang, key="dashboard", display=ctx.display)


def explorer(ctx: ReportContext, names=None):
    """The KPI explorer of :mod:`kit.widgets` (filter bar, KPI, breakdown, frequency) over the
    KPIs of ``names`` the dataset can give; when it can give none, the reason of each instead."""
    from kit.widgets import kpi_explorer

    wanted = list(names) if names is not None else registry.names()
    usable = [n for n in wanted if ctx.availability(n).ok]
    if not usable:  # the reasons not said yet in this notebook
        for n in wanted:
            if n not in ctx.unknown:
                ctx.unavailable(ctx.availability(n))
        return None
    return kpi_explorer(ctx.ds, lang=ctx.lang, kpis=usable)


def dashboard_figures(ctx: ReportContext) -> None:
    """Display the dashboard's four figures for the report: revenue against target, funnel,
    CAC by channel, satisfaction. A figure the data cannot give is replaced by the
    sentence saying why (once: not again when the scorecard above already said it)."""
    for name, draw in _panels(ctx, every=True).items():
        if name not in ctx.unknown:
            _panel(ctx, name, draw)


@section
def _panel(ctx: ReportContext, name, draw) -> None:
    """Draw one dashboard panel (the reason instead when it cannot be computed)."""
    ctx.require(name, by="source" if name == "cac" else None)
    ax = draw(ctx)
    if ax is not None:  # the stage funnel of a window without opportunities: no figure
        ctx.display.figure(ax)


def _panels(ctx: ReportContext, every: bool = False) -> dict:
    """``{title: function(report) -> Axes}`` of the dashboard figures the dataset allows
    (:func:`kit.availability.availability`); with ``every``, ``{KPI name: function}`` of all four."""
    lang = ctx.lang
    wanted = {
        "revenue": lambda r: trend_figure(r, "revenue")[0],
        "funnel": lambda r: funnel_figure(r, "history")[0],
        "cac": lambda r: matrix_figure(r, "cac", by="source"),
        "csat": lambda r: trend_figure(r, "csat")[0],
    }
    if "leads" not in ctx.ds.tables and "opportunities" in ctx.ds.tables:
        # deals only: the funnel of the opportunity stages takes the funnel's place
        wanted = {("stage_funnel" if k == "funnel" else k):
                  ((lambda r: stage_funnel_figure(r, "history")[0]) if k == "funnel" else v)
                  for k, v in wanted.items()}
    if every:
        return wanted
    panels = {}
    for name, draw in wanted.items():
        if ctx.availability(name, by="source" if name == "cac" else None).ok:
            title = t("funnel_title", lang) if name == "funnel" else kpi_label(name, lang)
            panels[title] = draw
    return panels


def dashboard(ctx: ReportContext):
    """The interactive dashboard: a filter bar (From, To, team, rep, source) redrawing the
    scorecard, the four figures (:func:`kit.widgets.dashboard`) and the "why" panel
    (:func:`kit.widgets.why_panel`): why the KPI chosen moved in the To month, over
    the groups chosen (:func:`kit.story.sections_why.explanation`, as under the headline).

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
    from kit.widgets import _reason_html, keyed_table_html
    from kit.widgets import dashboard as filtered_dashboard
    from kit.widgets import WhyPanel, why_choices

    lang = ctx.lang

    def card(ds, first, last):
        r = window_report(ctx, ds, first, last)
        _full, sc, unknown = scorecard_parts(ds, r.month, lang)
        notes = "".join(_reason_html(reason) for reason in unknown["reason"])
        if not len(sc):
            return notes
        styler = styled_scorecard(sc, r.month, lang, r.currency)
        keys = ["name", "value", "previous", "change", "target", "status", "note"]
        return keyed_table_html(styler, sc["name"], keys[:styler.data.shape[1]]) + notes

    renderers = {t("scorecard", lang): card}
    for title, draw in _panels(ctx).items():
        renderers[title] = (lambda d: lambda ds, first, last: d(
            window_report(ctx, ds, first, last)))(draw)

    def explain(ds, first, last, name, by):
        r = window_report(ctx, ds, first, last)
        try:
            return explanation(r, name, by)[1:]
        except DataError:  # a month without units: unknown, said so
            return why_unknown(r, name), None

    choices = why_choices(ctx.ds)
    extras = [WhyPanel(choices, lang=lang, explain=explain, debounce=DASHBOARD_DEBOUNCE)] if choices else []
    return filtered_dashboard(ctx.ds.to_polars(), renderers, lang=lang, debounce=DASHBOARD_DEBOUNCE,
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

