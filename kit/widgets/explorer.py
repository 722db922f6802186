"""The KPI explorer: choose a KPI, a breakdown and a frequency; see its table and figure.

Examples
--------
>>> import pandas as pd, kit
>>> leads = pd.DataFrame({"lead_id": ["L1", "L2", "L3", "L4"], "source": ["salon", "web", "web", "web"],
...                       "created_at": pd.to_datetime(["2026-03-02", "2026-03-03", "2026-03-04", "2026-04-01"])})
>>> ex = kpi_explorer(kit.Dataset({"leads": leads}), kpis=["leads_generated"], filters=False)
>>> with ex.hold():  # two changes, one recomputation
...     ex.breakdown.value, ex.freq.value = "source", None
>>> ex.result[["source", "value"]].to_dict("list")
{'source': ['salon', 'web'], 'value': [1, 3]}
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from kit import registry
from kit.api import compute
from kit.availability import Unavailable, availability
from kit.coverage import coverage
from kit.errors import DataError
from kit.flags import flag_differences, flag_note, row_flags
from kit.i18n import MISSING, check_lang, column_label, t
from kit.present import format_result
from kit.widgets.debounce import _Debounced, _Debouncing
from kit.widgets.figures import kpi_figure, result_keys
from kit.widgets.filters import filter_bar
from kit.widgets.queries import _columns, rep_names
from kit.widgets.render import _error_html, figure_png, table_html

#: Columns offered as breakdowns by the KPI explorer, when the KPI's table has them.
BREAKDOWNS = ("team", "rep_id", "region", "manager", "source", "segment", "product_id",
              "product_category", "category", "method", "network", "type", "kind")
FREQ_CHOICES = (None, "W", "M", "Q", "Y")


class KPIExplorer(_Debouncing, widgets.VBox):
    """Choose a KPI, a breakdown and a frequency; see its table and figure.

    Build it with :func:`kpi_explorer`. Widgets: ``kpi``, ``breakdown``, ``freq``
    (dropdowns), ``table`` (``widgets.HTML``), ``image`` (``widgets.Image`` holding
    the figure as PNG), ``status`` (``widgets.HTML`` for messages) and, when asked,
    ``filter_bar``. :attr:`result` is the last KPI frame computed.
    """

    def __init__(self, ds, *, lang: str = "en", kpis=None, filters: bool = True,
                 debounce: float = 0.3, currency: str | None = None, figsize=(8, 4.5)):
        check_lang(lang)
        self.lang, self.figsize = lang, figsize
        self.dataset = ds
        self.currency = currency or getattr(ds, "currency", "EUR")
        names = list(kpis) if kpis is not None else registry.names()
        specs = [registry.get(n) for n in names]
        # the dates of the tables these KPIs read, scanned once for all of them
        cov = coverage(ds, tables={t_ for s in specs for t_ in s.tables})
        usable = [s for s in specs if availability(ds, s.name, cov=cov).ok]
        if not usable:
            raise DataError(
                f"None of the KPIs {names} can run on this dataset: it has tables "
                f"{sorted(ds.tables)}, and each KPI needs "
                f"{ {s.name: list(s.tables) for s in specs} }. Load the tables they need, "
                "or pass kpis= with KPIs of the tables you have."
            )
        self.kpi = widgets.Dropdown(options=[(s.label[lang], s.name) for s in usable],
                                    value=usable[0].name, description=t("kpi", lang))
        self.breakdown = widgets.Dropdown(description=t("breakdown", lang))
        self.freq = widgets.Dropdown(description=t("frequency", lang))
        self.table = widgets.HTML()
        self.image = widgets.Image(format="png")
        self.status = widgets.HTML()
        self.result = None
        self._ready = False
        self.filter_bar = filter_bar(ds, self.set_dataset, lang=lang, debounce=debounce) \
            if filters else None
        self._update_choices()
        self._ready = True
        children = ([self.filter_bar] if self.filter_bar is not None else []) + [
            widgets.HBox([self.kpi, self.breakdown, self.freq]), self.status, self.image, self.table]
        super().__init__(children)
        self._debounced = _Debounced(self.refresh, debounce)
        self.kpi.observe(self._kpi_changed, names="value")
        self.breakdown.observe(lambda _c: self._debounced(), names="value")
        self.freq.observe(lambda _c: self._debounced(), names="value")
        self.refresh()

    def _breakdowns(self, name: str) -> list[str]:
        spec = registry.get(name)
        if "by" not in registry.get(name).options:
            return []
        # a column every table of the KPI has: safe whichever table the KPI groups
        cols = set.intersection(*(set(_columns(self.dataset.tables[tb])) for tb in spec.tables))
        return [c for c in BREAKDOWNS if c in cols]

    def _update_choices(self):
        name, lang = self.kpi.value, self.lang
        by = [(t("none", lang), None)] + [(column_label(c, lang), c) for c in self._breakdowns(name)]
        freqs = FREQ_CHOICES if "freq" in registry.get(name).options else (None,)
        fopts = [(t("freq_none" if f is None else f"freq_{f}", lang), f) for f in freqs]
        old_by, old_f = self.breakdown.value, self.freq.value
        self.breakdown.options = by
        self.breakdown.value = old_by if old_by in [v for _, v in by] else None
        self.freq.options = fopts
        default_f = "M" if "M" in freqs else None
        self.freq.value = old_f if (self._ready and old_f in freqs) else default_f

    def _kpi_changed(self, _change):
        self._rechoose(self._update_choices)

    def set_dataset(self, ds) -> None:
        """Show the KPI on another (e.g. filtered) dataset."""
        self.dataset = ds
        self._debounced()

    @property
    def options(self) -> dict:
        """The options passed to :func:`kit.compute` for the current choice."""
        out = {}
        if self.breakdown.value is not None:
            out["by"] = self.breakdown.value
        if self.freq.value is not None:
            out["freq"] = self.freq.value
        return out

    def refresh(self) -> None:
        """Compute the chosen KPI and redraw the table and the figure.

        A proportion by one group key (a breakdown, no period) has its groups compared
        with the rest (:func:`kit.flags.flag_differences`): bold rows, a note under the table.
        """
        name, lang = self.kpi.value, self.lang
        try:
            av = availability(self.dataset, name, by=self.options.get("by"))
            if av.missing_tables or av.missing_columns or av.missing_by:  # a selection may be empty
                raise Unavailable(av)
            res = compute(self.dataset, name, **self.options)
        except Exception as exc:  # shown in the widget, not raised in a callback
            self.result = None
            self.status.value = _error_html(exc, lang)
            self.table.value = ""
            self.image.value = b""
            return
        self.result = res
        if len(res) == 0:
            self.status.value = f"<p>{html.escape(t('no_data', lang))}</p>"
            self.table.value = ""
            self.image.value = b""
            return
        self.status.value = ""
        if len(result_keys(res)) == 1 and result_keys(res)[0] in BREAKDOWNS:  # groups, not stages
            res = self.result = flag_differences(res)
        shown = format_result(res, name, lang, currency=self.currency)
        header = t("name", lang)
        names = rep_names(self.dataset) if "rep_id" in result_keys(res) else {}
        if names and header not in shown.columns:
            pos = list(res.columns).index("rep_id") + 1
            shown.insert(pos, header, [names.get(r, MISSING) for r in res["rep_id"]])
        grey, bold = row_flags(res)
        note = flag_note(res, lang)
        self.table.value = table_html(shown, lang=lang, grey=grey, bold=bold) + (
            f"<p><i>{html.escape(note)}</i></p>" if note else "")
        try:
            fig = kpi_figure(res, name, lang=lang, currency=self.currency, figsize=self.figsize)
            self.image.value = figure_png(fig) if fig is not None else b""
        except Exception as exc:  # the table stays; the figure problem is shown
            self.image.value = b""
            self.status.value = _error_html(exc, lang)


def kpi_explorer(ds, *, lang: str = "en", kpis=None, filters: bool = True,
                 debounce: float = 0.3) -> KPIExplorer:
    """A KPI explorer over ``ds``: pick a KPI, a breakdown and a frequency.

    Parameters
    ----------
    ds : kit.Dataset
    lang : {"en", "fr"}
    kpis : list of str, optional
        KPI names offered (default: every registered KPI the dataset has tables for).
    filters : bool
        Put a :func:`filter_bar` above the explorer.
    debounce : float
        Seconds to wait for more changes inside a running kernel.

    Returns
    -------
    KPIExplorer
        A ``widgets.VBox``; the table is in ``.table.value`` (HTML), the figure in
        ``.image.value`` (PNG bytes).

    Raises
    ------
    DataError
        When no KPI can run on the tables of ``ds``.

    Examples
    --------
    >>> import pandas as pd, kit
    >>> ds = kit.Dataset({"opportunities": pd.DataFrame({
    ...     "opportunity_id": ["O1", "O2", "O3"], "status": ["won", "lost", "won"],
    ...     "team": ["Nord", "Sud", "Nord"],
    ...     "created_at": pd.to_datetime(["2026-01-05", "2026-01-09", "2026-02-01"]),
    ...     "closed_at": pd.to_datetime(["2026-01-20", "2026-02-09", "2026-02-15"])})})
    >>> ex = kpi_explorer(ds, lang="fr", kpis=["win_rate"])
    >>> ex.freq.value = None
    >>> "66,7" in ex.table.value
    True
    >>> bytes(ex.image.value[:4])
    b'\\x89PNG'
    """
    return KPIExplorer(ds, lang=lang, kpis=kpis, filters=filters, debounce=debounce)


__all__ = ["BREAKDOWNS", "FREQ_CHOICES", "KPIExplorer", "kpi_explorer"]
