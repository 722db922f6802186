"""The filter bar: From and To months, team, rep and source, calling back with a filtered dataset.

Changes are debounced (:mod:`kit.widgets.debounce`): a selection equal to the last
one computes nothing, and setting several dropdowns inside ``with bar.hold():``
gives one recomputation.

Examples
--------
>>> import pandas as pd, kit
>>> ds = kit.Dataset({"leads": pd.DataFrame({"lead_id": ["L1", "L2", "L3"],
...     "source": ["web", "salon", "web"],
...     "created_at": pd.to_datetime(["2026-01-05", "2026-01-09", "2026-02-01"])})})
>>> seen = []
>>> bar = filter_bar(ds, lambda d: seen.append(len(d.leads)), lang="fr")
>>> bar.source.description, [label for label, _ in bar.source.options]
('Source', ['Tous', 'salon', 'web'])
>>> with bar.hold():
...     bar.source.value = "web"
...     bar.end.value = pd.Timestamp("2026-01-01")
>>> seen
[1]
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from kit.i18n import check_lang, format_month, t
from kit.widgets.debounce import _Debounced, _Debouncing
from kit.widgets.queries import _rep_choices, column_values, month_options
from kit.widgets.render import _error_html

#: Columns offered as filters: (column, UI word).
FILTER_COLUMNS = (("team", "team"), ("rep_id", "rep"), ("source", "source"))


class _All:
    """The "all values" choice of a dropdown (distinct from any data value)."""

    def __repr__(self):
        return "ALL"


ALL = _All()


class FilterBar(_Debouncing, widgets.VBox):
    """Period and dimension dropdowns that call back with a filtered dataset.

    Build it with :func:`filter_bar`. Attributes ``start``, ``end`` (month
    dropdowns) and ``team``, ``rep``, ``source`` (with an "all" choice; absent when
    no table has the column) are the widgets; :attr:`filters` is the current
    selection as keyword arguments of :meth:`kit.Dataset.filter` and
    :attr:`dataset` the filtered dataset.
    """

    def __init__(self, ds, on_change=None, *, lang: str = "en", debounce: float = 0.3,
                 keep_history: bool = False):
        check_lang(lang)
        self.source_dataset, self.lang, self.keep_history = ds, lang, keep_history
        self.months = month_options(ds)
        self._callbacks = [] if on_change is None else [on_change]
        self.last_error = None
        rows = []
        self.start = self.end = None
        if self.months:
            opts = [(format_month(m, lang), m) for m in self.months]
            self.start = widgets.Dropdown(options=opts, value=self.months[0],
                                          description=t("start", lang))
            self.end = widgets.Dropdown(options=opts, value=self.months[-1],
                                        description=t("end", lang))
            rows.append(widgets.HBox([self.start, self.end]))
        self.dimensions = {}
        for column, word in FILTER_COLUMNS:
            values = column_values(ds, column)
            if not values:
                continue
            choices = _rep_choices(ds, values) if column == "rep_id" else [(str(v), v) for v in values]
            dd = widgets.Dropdown(options=[(t("all", lang), ALL)] + choices, value=ALL,
                                  description=t(word, lang))
            self.dimensions[column] = dd
            setattr(self, word, dd)
        for _, word in FILTER_COLUMNS:
            if not hasattr(self, word):
                setattr(self, word, None)
        if self.dimensions:
            rows.append(widgets.HBox(list(self.dimensions.values())))
        self.status = widgets.HTML()
        super().__init__(rows + [self.status])
        self._last = self._key()
        self._debounced = _Debounced(self._fire, debounce)
        for w in self._controls():
            w.observe(lambda _change: self._debounced(), names="value")

    def _controls(self):
        return [w for w in (self.start, self.end) if w is not None] + list(self.dimensions.values())

    @property
    def filters(self) -> dict:
        """The selection as ``ds.filter`` arguments; ``{}`` when nothing is restricted."""
        out = {}
        if self.months:
            lo, hi = sorted([self.start.value, self.end.value])
            if lo != self.months[0]:
                out["start"] = lo
            if hi != self.months[-1]:
                out["end"] = hi + pd.offsets.MonthBegin(1)
        for column, dd in self.dimensions.items():
            if dd.value is not ALL:
                out[column] = dd.value
        return out

    @property
    def window(self) -> tuple:
        """``(first, last)``: the first days of the From and To months, each None when it is
        not restricted (the first or the last month of the data, or no dates at all)."""
        if not self.months:
            return None, None
        lo, hi = sorted([self.start.value, self.end.value])
        return (lo if lo != self.months[0] else None), (hi if hi != self.months[-1] else None)

    @property
    def dataset(self):
        """The dataset restricted to the selection (the dataset itself when unrestricted).

        With ``keep_history``, the rows before the From month are kept: From/To is
        then the window shown (:attr:`window`), and KPIs that look back (cohorts,
        lifetime value) stay measurable.
        """
        f = self.filters
        if self.keep_history:
            f = {k: v for k, v in f.items() if k != "start"}
        return self.source_dataset.filter(**f) if f else self.source_dataset

    def _key(self):
        return tuple(sorted((k, str(v)) for k, v in self.filters.items()))

    def on_change(self, callback) -> None:
        """Also call ``callback(dataset)`` after each change of the selection."""
        self._callbacks.append(callback)

    def _fire(self):
        key = self._key()
        if key == self._last:
            return
        self._last = key
        try:
            ds = self.dataset
            for cb in self._callbacks:
                cb(ds)
        except Exception as exc:  # shown in the bar: a widget callback must not die silently
            self.last_error = exc
            self.status.value = _error_html(exc, self.lang)
            return
        self.last_error = None
        self.status.value = ""


def filter_bar(ds, on_change=None, *, lang: str = "en", debounce: float = 0.3) -> FilterBar:
    """A filter bar over ``ds``: start and end month, team, rep and source.

    Parameters
    ----------
    ds : kit.Dataset
        The dataset whose months and values fill the dropdowns.
    on_change : callable, optional
        Called with the filtered :class:`kit.Dataset` after each change.
    lang : {"en", "fr"}
        Language of the labels and month names.
    debounce : float
        Seconds to wait for more changes inside a running kernel (0: at once).

    Returns
    -------
    FilterBar
        A ``widgets.VBox``; see :class:`FilterBar` for its attributes.

    Examples
    --------
    >>> import pandas as pd, kit
    >>> ds = kit.Dataset({"leads": pd.DataFrame({"lead_id": ["L1", "L2", "L3"],
    ...     "created_at": pd.to_datetime(["2026-01-05", "2026-02-05", "2026-03-05"])})})
    >>> bar = filter_bar(ds, lang="en")
    >>> bar.start.value = pd.Timestamp("2026-02-01")
    >>> bar.filters
    {'start': Timestamp('2026-02-01 00:00:00')}
    >>> bar.dataset.leads["lead_id"].tolist()
    ['L2', 'L3']
    """
    return FilterBar(ds, on_change, lang=lang, debounce=debounce)


__all__ = ["ALL", "FILTER_COLUMNS", "FilterBar", "filter_bar"]
