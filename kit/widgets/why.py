"""The dashboard's "why" panel: why the chosen KPI moved, over the chosen groups.

:class:`WhyPanel` holds two dropdowns, ``kpi`` and ``by`` (the groupings of the
KPI chosen), the sentence (``sentence``, ``widgets.HTML``) and the waterfall
(``image``, PNG) of :func:`kit.explain.explain_change` for the To month of the
dashboard's window against the month before. :class:`kit.widgets.Dashboard` calls
its :meth:`~WhyPanel.update` with the filtered dataset and the window whenever the
filters change (``extras=``); changing a dropdown redraws the panel alone.

Examples
--------
>>> import pandas as pd, kit
>>> opps = pd.DataFrame({"opportunity_id": [f"O{i}" for i in range(6)],
...     "status": ["won", "lost", "lost", "won", "won", "lost"],
...     "team": ["A", "B", "B", "A", "B", "B"], "method": ["m", "m", "n", "m", "n", "n"],
...     "closed_at": pd.to_datetime(["2026-09-03"] * 3 + ["2026-10-05"] * 3)})
>>> ds = kit.Dataset({"opportunities": opps}, as_of="2026-11-15")
>>> panel = why_panel(ds, lang="en")
>>> panel.update(ds)
>>> [label for label, _ in panel.kpi.options], [label for label, _ in panel.by.options]
(['Win rate'], ['Team', 'Sales method'])
>>> panel.sentence.value.replace("\\xa0", " ")
'<p>Win rate rose 33.3 pp (33.3% to 66.7%): +33.3 pp from the rates within teams, mostly B; 0.0 pp from the mix.</p>'
>>> panel.by.value = "method"
>>> "within sales methods" in panel.sentence.value, bytes(panel.image.value[:4])
(True, b'\\x89PNG')
"""

from __future__ import annotations

import html
import warnings

import ipywidgets as widgets
import pandas as pd

from kit import registry
from kit.availability import availability
from kit.errors import DataError, ParameterError
from kit.explain import DECOMPOSABLE, explain_change
from kit.explain_by import groupings
from kit.explain_text import explain_sentence, unknown_sentence, word
from kit.i18n import check_lang, column_label, kpi_label, t
from kit.plot import plot_explanation
from kit.scorecard import last_complete_month, month_bounds
from kit.widgets.debounce import _Debounced, _Debouncing
from kit.widgets.render import _error_html, _reason_html, png_and_close


def why_choices(ds, kpis=None) -> dict:
    """``{KPI: its groupings}`` for the KPIs the panel offers on ``ds``: those of ``kpis``
    (default: the headline KPIs) that split over groups, that the dataset can compute,
    and that have a grouping in it (:func:`kit.explain_by.groupings`).

    Examples
    --------
    >>> import pandas as pd, kit
    >>> leads = pd.DataFrame({"lead_id": ["L1", "L2"], "source": ["web", "salon"],
    ...                       "created_at": pd.to_datetime(["2026-09-01", "2026-10-01"])})
    >>> why_choices(kit.Dataset({"leads": leads}))
    {'leads_generated': ['source']}
    """
    names = [s.name for s in registry.specs() if s.headline] if kpis is None else list(kpis)
    out = {}
    for name in names:
        if name in DECOMPOSABLE and availability(ds, name).ok:
            found = groupings(ds, name)
            if found:
                out[name] = found
    return out


def explain_window(ds, first, last, name: str, by, *, lang: str = "en", currency: str = "EUR"):
    """The sentence and the waterfall of why KPI ``name`` moved over the groups of ``by``, for
    the To month of a dashboard window (``last``; the last complete month of ``ds`` when
    it is None or later) against the month before. ``first`` is not used: a change is
    between two months. When one of the two months has none of the KPI's units, the
    sentence says the change is unknown (:func:`kit.explain_text.unknown_sentence`)
    and there is no figure.

    Returns
    -------
    (str, matplotlib Axes or None)

    Raises
    ------
    KitError
        As :func:`kit.explain.explain_change` (e.g. groups that overlap).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd, kit
    >>> leads = pd.DataFrame({"lead_id": ["L1", "L2", "L3"], "source": ["web", "salon", "web"],
    ...     "created_at": pd.to_datetime(["2026-09-01", "2026-10-01", "2026-10-02"])})
    >>> text, ax = explain_window(kit.Dataset({"leads": leads}, as_of="2026-11-15"), None, None,
    ...                           "leads_generated", "source")
    >>> text
    'Leads generated rose 1 (1 to 2): mostly salon (+1), then web (0).'
    >>> explain_window(kit.Dataset({"leads": leads}, as_of="2026-11-15"), None, "2026-08-01",
    ...                "leads_generated", "source", lang="fr")
    ("Pas de leads dans l'un des deux mois (juil. 2026, août 2026) : l'origine de l'évolution (Leads générés) est inconnue.", None)
    """
    month = month_bounds(last_complete_month(ds))[0]
    if last is not None and pd.Timestamp(last) < month:
        month = pd.Timestamp(last)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            res = explain_change(ds, name, by=by, month=month)
    except DataError:  # a month without units: unknown, not zero
        return unknown_sentence(name, month, lang), None
    return explain_sentence(res, lang, currency=currency), plot_explanation(res, lang=lang, currency=currency)


class WhyPanel(_Debouncing, widgets.VBox):
    """Why the chosen KPI moved, over the chosen groups: two dropdowns, a sentence, a waterfall.

    Build it with :func:`why_panel`. Widgets: ``kpi`` and ``by`` (dropdowns),
    ``sentence`` (``widgets.HTML``), ``image`` (``widgets.Image``, the waterfall as
    PNG). :meth:`update` gives it a dataset and a window; a change of a dropdown
    redraws it on the last ones. ``redraws`` counts the redraws.
    """

    def __init__(self, choices: dict, *, lang: str = "en", explain=None, currency: str = "EUR",
                 debounce: float = 0.3):
        check_lang(lang)
        if not choices:
            raise ParameterError(
                "WhyPanel needs at least one KPI with its groupings, received none. Pass choices= as "
                "{KPI: [columns]}, e.g. kit.widgets.why_choices(ds), which lists those the data allows.")
        self.lang, self.choices = lang, {k: list(v) for k, v in choices.items()}
        self.explain = explain or (lambda ds, first, last, name, by: explain_window(
            ds, first, last, name, by, lang=lang, currency=currency))
        names = list(self.choices)
        self.kpi = widgets.Dropdown(options=[(kpi_label(n, lang), n) for n in names], value=names[0],
                                    description=t("kpi", lang))
        self.by = widgets.Dropdown(description=word("why_groups", lang))
        self._set_groupings()
        self.sentence = widgets.HTML()
        # alone on its row of the dashboard: not wider than two figures side by side would be
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="100%", max_width="760px",
                                                                       height="auto"))
        self.redraws = 0
        self._args = None
        title = widgets.HTML(f"<h3>{html.escape(word('why_panel', lang))}</h3>")
        super().__init__([title, widgets.HBox([self.kpi, self.by]), self.sentence, self.image])
        self.add_class("kit-why")
        self._debounced = _Debounced(self.refresh, debounce)
        self.kpi.observe(self._kpi_changed, names="value")
        self.by.observe(lambda _c: self._debounced(), names="value")

    def _set_groupings(self) -> None:
        found = self.choices[self.kpi.value]
        old = self.by.value
        self.by.options = [(column_label(c, self.lang), c) for c in found]
        self.by.value = old if old in found else found[0]

    def _kpi_changed(self, _change) -> None:
        self._rechoose(self._set_groupings)

    def update(self, ds, first=None, last=None) -> None:
        """Explain on ``ds`` for the window ``first``..``last`` (see :func:`explain_window`)."""
        self._args = (ds, first, last)
        self.refresh()

    def refresh(self) -> None:
        """Redraw the sentence and the waterfall for the KPI and grouping chosen."""
        if self._args is None:  # no dataset yet
            return
        self.redraws += 1
        try:
            text, ax = self.explain(*self._args, self.kpi.value, self.by.value)
        except DataError as exc:  # a month without units: unknown, not an error
            self.sentence.value, self.image.value = _reason_html(str(exc)), b""
            return
        except Exception as exc:  # shown in the panel, not raised in a callback
            self.sentence.value, self.image.value = _error_html(exc, self.lang), b""
            return
        self.sentence.value = f"<p>{html.escape(text)}</p>"
        if ax is None:
            self.image.value = b""
            return
        self.image.value = png_and_close(ax)


def why_panel(ds, *, lang: str = "en", kpis=None, explain=None, debounce: float = 0.3) -> WhyPanel:
    """A :class:`WhyPanel` over the KPIs of ``kpis`` (default: the headline KPIs) that ``ds``
    can split (:func:`why_choices`), to pass to :func:`kit.widgets.dashboard` (``extras=``).

    Parameters
    ----------
    ds : kit.Dataset
        The dataset whose tables decide the KPIs and groupings offered.
    lang : {"en", "fr"}
    kpis : list of str, optional
    explain : callable, optional
        ``explain(ds, first, last, name, by) -> (sentence, Axes or None)``; default
        :func:`explain_window`. A ``DataError`` it raises is shown as a muted sentence.
    debounce : float
        Seconds to wait for more changes of the dropdowns inside a running kernel.

    Raises
    ------
    ParameterError
        When ``ds`` allows no KPI to be split.

    Examples
    --------
    >>> import pandas as pd, kit
    >>> leads = pd.DataFrame({"lead_id": ["L1", "L2", "L3"], "source": ["web", "salon", "web"],
    ...     "created_at": pd.to_datetime(["2026-09-01", "2026-10-01", "2026-10-02"])})
    >>> ds = kit.Dataset({"leads": leads}, as_of="2026-11-15")
    >>> board = kit.widgets.dashboard(ds, {"n": lambda d: str(len(d.leads))},
    ...                               extras=[why_panel(ds, lang="fr")])
    >>> board.extras[0].sentence.value
    '<p>Leads générés en hausse de 1 (de 1 à 2) : surtout salon (+1), puis web (0).</p>'
    """
    choices = why_choices(ds, kpis)
    if not choices:
        raise ParameterError(
            f"No KPI of {kpis or 'the headline'} can be split over groups on this dataset (tables "
            f"{sorted(ds.tables)}): each needs its table with one of the columns of "
            "kit.explain_by.WHY_BY (e.g. source, team). Load them, or leave the panel out.")
    return WhyPanel(choices, lang=lang, explain=explain, currency=getattr(ds, "currency", "EUR"),
                    debounce=debounce)


__all__ = ["WhyPanel", "explain_window", "why_choices", "why_panel"]
