"""The dashboard: a filter bar tied to renderers, one panel each, with a cache of selections.

Examples
--------
>>> import pandas as pd, kit
>>> ds = kit.Dataset({"leads": pd.DataFrame({"lead_id": ["L1", "L2"], "source": ["web", "salon"],
...     "created_at": pd.to_datetime(["2026-03-02", "2026-04-15"])})})
>>> board = dashboard(ds, [lambda d: pd.DataFrame({"leads": [len(d.leads)]})], filters=False)
>>> list(board.panels), "<td>2</td>" in board.panels["<lambda>"][0].value
(['<lambda>'], True)
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from kit.errors import ParameterError
from kit.i18n import check_lang
from kit.widgets.filters import FilterBar
from kit.widgets.render import _error_html, render_output

_FIGURE_FLEX = "1 1 480px"
#: Numbers in dashboard tables stay on one line ("-€114,469.34", not "-" then the amount).
_DASHBOARD_CSS = ".kit-dashboard td { white-space: nowrap; }"


class Dashboard(widgets.VBox):
    """A filter bar tied to renderers; each renderer gets its own panel.

    A renderer is a callable taking a :class:`kit.Dataset` and returning a
    matplotlib Figure or Axes (shown as a PNG image), a DataFrame (shown as an
    escaped table), a pandas Styler (its HTML), or a string of HTML (inserted as
    it is: escape data in it, e.g. with :func:`html.escape` or :func:`table_html`).
    A renderer that raises shows the error in its panel; the others still update.

    Panels are redrawn one after the other, in the order of the renderers, so the
    first one (put the numbers there) shows before the figures are done. The last
    ``cache_size`` selections of the filter bar are kept: going back to one redraws
    at once.

    Attributes ``filter_bar``, ``panels`` (``{title: (widgets.HTML, widgets.Image)}``),
    ``redraws`` (how many times the panels were drawn) and ``done`` (a hidden
    ``widgets.HTML`` holding ``<span class="kit-dashboard-done" data-redraws="N">``,
    set once every panel of a redraw is shown: a page script or a browser test can
    wait for it), ``extras`` (see :func:`dashboard`).
    """

    def __init__(self, ds, renderers, *, lang: str = "en", filters: bool = True,
                 debounce: float = 0.3, cache_size: int = 16, windowed: bool = False, extras=()):
        check_lang(lang)
        self.lang, self.windowed = lang, windowed
        items = list(renderers.items()) if isinstance(renderers, dict) else [
            (r if isinstance(r, tuple) else (getattr(r, "__name__", f"panel {i + 1}"), r))
            for i, r in enumerate(renderers)]
        if not items:
            raise ParameterError(
                "Dashboard needs at least one renderer, received none. Pass renderers= as "
                "{title: function(dataset) -> Figure | DataFrame | HTML string}."
            )
        bad = [title for title, r in items if not callable(r)]
        if bad:
            raise ParameterError(
                f"Dashboard renderers must be callables taking a Dataset; {bad} are not "
                f"(received {[type(r).__name__ for title, r in items if title in bad]}). "
                "Pass functions, e.g. {'Win rate': lambda ds: kit.compute(ds, 'win_rate')}."
            )
        if isinstance(cache_size, bool) or not isinstance(cache_size, int) or cache_size < 0:
            raise ParameterError(
                f"cache_size={cache_size!r} is not allowed; it must be a whole number, 0 or "
                "more (the selections kept). Pass cache_size=0 to keep none."
            )
        self.renderers = dict(items)
        self.cache_size = cache_size
        self.redraws = 0
        self.done = widgets.HTML(layout=widgets.Layout(display="none"))
        self._cache = {}  # {selection key: [(html, png) per panel]}, oldest first
        self.panels = {}
        boxes = []
        for title in self.renderers:
            body = widgets.HTML(layout=widgets.Layout(overflow="auto"))
            image = widgets.Image(format="png", layout=widgets.Layout(width="100%", height="auto"))
            self.panels[title] = (body, image)
            boxes.append(widgets.VBox(
                [widgets.HTML(f"<h3>{html.escape(str(title))}</h3>"), image, body],
                layout=widgets.Layout(flex=_FIGURE_FLEX, min_width="0", margin="0 12px 12px 0")))
        self._boxes = dict(zip(self.renderers, boxes))
        self.extras = list(extras)
        for extra in self.extras:
            extra.layout.flex, extra.layout.min_width, extra.layout.margin = _FIGURE_FLEX, "0", "0 12px 12px 0"
        boxes += self.extras
        # figures two a row; a panel without a figure (a table) takes a row of its own
        grid = widgets.Box(boxes, layout=widgets.Layout(display="flex", flex_flow="row wrap",
                                                         align_items="flex-start"))
        style = widgets.HTML(f"<style>{_DASHBOARD_CSS}</style>",
                             layout=widgets.Layout(display="none"))
        self.filter_bar = FilterBar(ds, self._selection_changed, lang=lang, debounce=debounce,
                                    keep_history=windowed) if filters else None
        bar = [self.filter_bar] if self.filter_bar is not None else []
        super().__init__(bar + [grid, self.done, style])
        self.add_class("kit-dashboard")
        if self.filter_bar is not None:
            self._selection_changed(self.filter_bar.dataset)
        else:
            self.update(ds)

    def _selection_changed(self, ds) -> None:
        key = self.filter_bar._key()
        cached = self._cache.pop(key, None)
        if cached is None:
            cached = self.update(ds)
        else:
            self._show(cached)
            self._update_extras(ds)
            self._done()
        failed = any(value.startswith('<div class="kit-error"') for value, _ in cached)
        if self.cache_size and not failed:  # a failed panel is computed again next time
            self._cache[key] = cached
            while len(self._cache) > self.cache_size:
                self._cache.pop(next(iter(self._cache)))

    def update(self, ds) -> list:
        """Re-run every renderer on ``ds`` and refresh the panels, one after the other.

        Returns the ``(html, png)`` shown in each panel.
        """
        shown = []
        window = self.filter_bar.window if self.filter_bar is not None else (None, None)
        for title, render in self.renderers.items():
            try:
                out = render(ds, *window) if self.windowed else render(ds)
                value = render_output(out)
            except Exception as exc:  # one failing panel must not blank the others
                value = _error_html(exc, self.lang), b""
            self._show_panel(title, value)
            shown.append(value)
        self._update_extras(ds)
        self._done()
        return shown

    def _update_extras(self, ds) -> None:
        window = self.filter_bar.window if self.filter_bar is not None else (None, None)
        for extra in self.extras:
            extra.update(ds, *window)

    def _done(self) -> None:
        self.redraws += 1
        self.done.value = f'<span class="kit-dashboard-done" data-redraws="{self.redraws}"></span>'

    def _show(self, values) -> None:
        for title, value in zip(self.renderers, values):
            self._show_panel(title, value)

    def _show_panel(self, title, value) -> None:
        body, image = self.panels[title]
        html_value, png = value
        body.value = html_value
        image.value = png
        image.layout.display = None if png else "none"
        self._boxes[title].layout.flex = _FIGURE_FLEX if png else "1 1 100%"


def dashboard(ds, renderers, *, lang: str = "en", filters: bool = True,
              debounce: float = 0.3, cache_size: int = 16, windowed: bool = False,
              extras=()) -> Dashboard:
    """A :class:`Dashboard`: a filter bar over ``ds`` redrawing ``renderers``.

    Parameters
    ----------
    ds : kit.Dataset
    renderers : dict or list
        ``{title: function(dataset)}``, or a list of functions (titled by name).
    lang : {"en", "fr"}
    filters : bool
        Show the filter bar (False: call :meth:`Dashboard.update` yourself).
    debounce : float
        Seconds to wait for more changes inside a running kernel.
    cache_size : int
        Selections of the filter bar whose panels are kept, so that going back to
        one redraws at once (0: none).
    windowed : bool
        From/To is the window shown rather than a filter of the data: the rows
        before From are kept (see :attr:`FilterBar.window`) and each renderer is
        called ``render(dataset, first, last)`` with the first days of the From and
        To months (each None when not restricted, see :attr:`FilterBar.window`).
    extras : list of widgets, optional
        Panels with their own controls, updated with the dataset and the window
        (``extra.update(ds, first, last)``) at every redraw, e.g. the "why" panel
        (:func:`kit.widgets.why_panel`).

    Raises
    ------
    ParameterError
        Without renderers, with a renderer that is not callable, or a bad ``cache_size``.

    Examples
    --------
    >>> import pandas as pd, kit
    >>> ds = kit.Dataset({"opportunities": pd.DataFrame({"opportunity_id": ["O1", "O2", "O3"],
    ...     "status": ["won", "lost", "won"], "team": ["Nord", "Sud", "Nord"],
    ...     "created_at": pd.to_datetime(["2026-03-02", "2026-03-09", "2026-04-01"]),
    ...     "closed_at": pd.to_datetime(["2026-03-20", "2026-04-09", "2026-04-15"])})})
    >>> calls = []
    >>> def count(d):
    ...     calls.append(1)
    ...     return f"<b>{len(d.opportunities)}</b>"
    >>> board = dashboard(ds, {"n": count})
    >>> board.filter_bar.team.value = "Sud"
    >>> board.panels["n"][0].value
    '<b>1</b>'

    Going back to a selection seen before shows it again without recomputing:

    >>> board.filter_bar.team.value = kit.widgets.ALL
    >>> board.panels["n"][0].value, len(calls), board.redraws
    ('<b>3</b>', 2, 3)
    """
    return Dashboard(ds, renderers, lang=lang, filters=filters, debounce=debounce,
                     cache_size=cache_size, windowed=windowed, extras=extras)


__all__ = ["Dashboard", "dashboard"]
