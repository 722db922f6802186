"""ipywidgets for notebooks and the Voilà dashboard: filter bar, KPI explorer, dashboard.

Results are written into ``widgets.HTML`` (tables, text) and ``widgets.Image``
(figures rendered to PNG), never through ``widgets.Output``, which can hang a kernel
run without a browser. Every value from the data is HTML-escaped.

Changes are debounced: a change made in the browser waits ``debounce`` seconds on
the kernel's event loop, and rapid changes are coalesced into one recomputation. A
change made by code (a notebook cell, papermill, a test) runs at once, so the next
cell sees its result. Setting several widgets inside ``with bar.hold():`` gives one
recomputation, and a selection equal to the last one computes nothing.

Examples
--------
>>> import pandas as pd, kit
>>> ds = kit.Dataset({"opportunities": pd.DataFrame({
...     "opportunity_id": ["O1", "O2", "O3"], "status": ["won", "lost", "won"],
...     "team": ["Nord", "Sud", "Nord"],
...     "created_at": pd.to_datetime(["2026-01-05", "2026-01-09", "2026-02-01"]),
...     "closed_at": pd.to_datetime(["2026-01-20", "2026-02-09", "2026-02-15"])})})
>>> seen = []
>>> bar = filter_bar(ds, lambda d: seen.append(len(d.opportunities)), lang="fr")
>>> bar.team.description, [label for label, _ in bar.team.options]
('Équipe', ['Tous', 'Nord', 'Sud'])
>>> bar.team.value = "Nord"
>>> seen
[2]
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import html
import re
import io

import ipywidgets as widgets
import matplotlib.figure
import narwhals as nw
import pandas as pd
from matplotlib.axes import Axes
from pandas.io.formats.style import Styler
from matplotlib.backends.backend_agg import FigureCanvasAgg

from kit import registry
from kit.api import compute
from kit.availability import Unavailable, availability
from kit.errors import DataError, ParameterError
from kit.flags import flag_differences, flag_note, row_flags
from kit.frames import to_pandas as _collect
from kit.groups import MAX_GROUPS, others_label, top_groups
from kit.i18n import MISSING, check_lang, column_label, format_month, kpi_label, t
from kit.plot import plot_bars, plot_funnel, plot_kpi
from kit.present import format_result, mark_cells

#: Columns offered as filters: (column, UI word).
FILTER_COLUMNS = (("team", "team"), ("rep_id", "rep"), ("source", "source"))
#: Columns offered as breakdowns by the KPI explorer, when the KPI's table has them.
BREAKDOWNS = ("team", "rep_id", "region", "manager", "source", "segment", "product_id",
              "product_category", "category", "method", "network", "type", "kind")
#: Tables whose dates give the months of the period filter.
_EVENT_TABLES_SKIP = ("reps", "products", "customers", "targets")
FREQ_CHOICES = (None, "W", "M", "Q", "Y")
MAX_TABLE_ROWS = 200


class _All:
    """The "all values" choice of a dropdown (distinct from any data value)."""

    def __repr__(self):
        return "ALL"


ALL = _All()


# ---------------------------------------------------------------------------
# reading options from a dataset
# ---------------------------------------------------------------------------

def _columns(frame) -> list[str]:
    return nw.from_native(frame).collect_schema().names()


def month_options(ds) -> list[pd.Timestamp]:
    """First days of every month from the earliest to the latest event of ``ds``.

    Events are the date columns of the contract (``created_at`` of leads,
    ``ordered_at`` of orders...); reps, products, customers and targets are left out.

    Examples
    --------
    >>> import pandas as pd, kit
    >>> ds = kit.Dataset({"leads": pd.DataFrame({"lead_id": ["L1", "L2"],
    ...     "created_at": pd.to_datetime(["2026-01-20", "2026-03-02"])})})
    >>> [m.strftime("%Y-%m") for m in month_options(ds)]
    ['2026-01', '2026-02', '2026-03']
    """
    span = ds.date_span(main_only=True, skip=_EVENT_TABLES_SKIP).dropna(subset=["first"])
    if not len(span):
        return []
    first, last = span["first"].min().to_period("M"), span["last"].max().to_period("M")
    return list(pd.period_range(first, last, freq="M").to_timestamp())


def column_values(ds, column: str) -> list:
    """Sorted distinct non-null values of ``column`` over every table that has it.

    Examples
    --------
    >>> import pandas as pd, kit
    >>> ds = kit.Dataset({"leads": pd.DataFrame({"lead_id": ["L1", "L2", "L3"],
    ...     "created_at": pd.to_datetime(["2026-01-05"] * 3), "source": ["web", None, "salon"]})})
    >>> column_values(ds, "source")
    ['salon', 'web']
    """
    return ds.distinct(column)


def rep_names(ds) -> dict:
    """``{rep_id: name}`` from the ``reps`` table (empty without one or without names).

    Examples
    --------
    >>> import pandas as pd, kit
    >>> ds = kit.Dataset({"reps": pd.DataFrame({"rep_id": ["R1", "R2"], "name": ["Ana", None]})})
    >>> rep_names(ds)
    {'R1': 'Ana'}
    """
    reps = ds.tables.get("reps")
    if reps is None or not {"rep_id", "name"} <= set(_columns(reps)):
        return {}
    df = _collect(nw.from_native(reps).select("rep_id", "name"))
    return {r: n for r, n in zip(df["rep_id"], df["name"]) if n is not None and not pd.isna(n)}


def _rep_choices(ds, ids) -> list[tuple[str, object]]:
    names = rep_names(ds)
    labels = [names.get(r, str(r)) for r in ids]
    dup = {lab for lab in labels if labels.count(lab) > 1}
    return sorted(((f"{lab} ({r})" if lab in dup else lab, r) for lab, r in zip(labels, ids)),
                  key=lambda p: p[0].lower())


# ---------------------------------------------------------------------------
# debouncing
# ---------------------------------------------------------------------------

def _running_loop():
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _from_frontend() -> bool:
    """Whether the kernel is handling a widget message from the browser right now.

    A change made by code in a cell (papermill, nbval, a user's own cell) is not
    debounced, so that the next cell sees the new result.
    """
    try:
        from ipykernel.kernelbase import Kernel

        if not Kernel.initialized():
            return False
        parent = Kernel.instance().get_parent("shell") or {}
        return parent.get("header", {}).get("msg_type") == "comm_msg"
    except Exception:  # no kernel, or an ipykernel without get_parent
        return False


class _Debounced:
    """Coalesce calls to ``func``: the last one wins after ``delay`` seconds.

    Only changes coming from the browser wait; without a running event loop, with
    ``delay <= 0`` or for a change made by code, the call runs at once.
    """

    def __init__(self, func, delay: float):
        self.func, self.delay = func, float(delay)
        self._handle = None
        self._hold = 0
        self._pending = False

    def __call__(self):
        if self._hold:
            self._pending = True
            return
        loop = _running_loop()
        if loop is None or self.delay <= 0 or not _from_frontend():
            self.flush()
            return
        self.cancel()
        self._pending = True
        self._handle = loop.call_later(self.delay, self.flush)

    def cancel(self):
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def flush(self):
        self.cancel()
        self._pending = False
        self.func()

    @contextlib.contextmanager
    def hold(self):
        self._hold += 1
        try:
            yield
        finally:
            self._hold -= 1
            if not self._hold and self._pending:
                self._pending = False
                self()


def _error_html(exc: Exception, lang: str) -> str:
    if isinstance(exc, Unavailable):  # not an error: what the data lacks, in one sentence
        return _reason_html(exc.availability.reason(lang))
    return (f'<div class="kit-error" style="color:#b42318"><b>{html.escape(t("error", lang))}</b> '
            f"({html.escape(type(exc).__name__)}): {html.escape(str(exc))}</div>")


def _reason_html(reason: str) -> str:
    """Why a KPI or panel cannot be shown, as a muted paragraph (no figure is drawn)."""
    return f'<p class="kit-unavailable" style="color:#555"><i>{MISSING} {html.escape(reason)}</i></p>'


# ---------------------------------------------------------------------------
# filter bar
# ---------------------------------------------------------------------------

class FilterBar(widgets.VBox):
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

    def hold(self):
        """Context manager: change several widgets, recompute once at the end."""
        return self._debounced.hold()

    def flush(self) -> None:
        """Run a pending (debounced) recomputation now."""
        if self._debounced._pending:
            self._debounced.flush()

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


# ---------------------------------------------------------------------------
# rendering helpers
# ---------------------------------------------------------------------------

def figure_png(fig, *, dpi: int = 100) -> bytes:
    """PNG bytes of a matplotlib figure (or of the figure of an Axes).

    Examples
    --------
    >>> fig = new_figure()
    >>> _ = fig.add_subplot().plot([1, 2])
    >>> figure_png(fig)[:4]
    b'\\x89PNG'
    """
    if isinstance(fig, Axes):
        fig = fig.figure
    if fig.canvas is None or not hasattr(fig.canvas, "print_png"):
        FigureCanvasAgg(fig)
    buf = io.BytesIO()
    # zlib level 1: a third of the encoding time of the default, files a few % larger
    fig.savefig(buf, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def new_figure(figsize=(8, 4.5)) -> matplotlib.figure.Figure:
    """A figure outside pyplot (never shown by the inline backend, freed with its widget).

    Examples
    --------
    >>> new_figure().get_size_inches().tolist()
    [8.0, 4.5]
    """
    fig = matplotlib.figure.Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def table_html(df: pd.DataFrame, *, max_rows: int = MAX_TABLE_ROWS, lang: str = "en",
               grey=None, bold=None) -> str:
    """An escaped HTML table of a (formatted) frame, cut at ``max_rows`` rows.

    ``grey`` and ``bold`` (one bool per row of ``df``) grey small samples and put
    groups that differ from the rest in bold, as the notebooks' tables do.

    Examples
    --------
    >>> html_ = table_html(pd.DataFrame({"rep": ["<script>alert(1)</script>"]}))
    >>> "<script>" in html_, "&lt;script&gt;" in html_
    (False, True)
    >>> table_html(pd.DataFrame({"rep": ["A", "B"]}), bold=[False, True]).count("font-weight: bold")
    1
    """
    check_lang(lang)
    shown = df.head(max_rows)
    out = shown.to_html(index=False, escape=True, border=0, classes="kit-table", na_rep="–")
    if grey is not None or bold is not None:
        grey, bold = (list(f) if f is not None else [False] * len(df) for f in (grey, bold))
        styles = iter(" ".join(css for css, on in (("color: #8a8a8a;", g), ("font-weight: bold;", b)) if on)
                      for g, b in zip(grey, bold))
        head, body = out.split("<tbody>", 1)  # cells are escaped: each <tr> below is a row
        out = head + "<tbody>" + re.sub("<tr>", lambda _m: f'<tr style="{next(styles)}">', body)
    if len(df) > max_rows:
        out += f"<p><i>{html.escape(t('rows', lang, n=f'{max_rows} / {len(df)}'))}</i></p>"
    return out


def keyed_table_html(styler, rows, columns) -> str:
    """HTML of a Styler whose cells carry ``data-row`` and ``data-column`` attributes.

    Each body cell of row ``i`` and column ``j`` gets ``data-row="{rows[i]}"`` and
    ``data-column="{columns[j]}"``, so that a page (or a browser test) finds a
    number by what it is, e.g. ``td[data-row="revenue"][data-column="value"]``,
    whatever the language and the order of the rows.

    Parameters
    ----------
    styler : pandas Styler
        With its index hidden or shown; only body cells (``td``) are marked.
    rows, columns : sequence of str
        One key per row and per column of ``styler.data``.

    Returns
    -------
    str
        The Styler's HTML with the attributes added (keys HTML-escaped).

    Raises
    ------
    ParameterError
        When ``rows`` or ``columns`` does not have one key per row or column.

    Examples
    --------
    >>> df = pd.DataFrame({"KPI": ["Revenue", "Win rate"], "Value": ["€1,200", "32.5%"]})
    >>> out = keyed_table_html(df.style.hide(axis="index"), ["revenue", "win_rate"], ["name", "value"])
    >>> import re
    >>> re.search(r'<td[^>]*data-row="win_rate" data-column="value"[^>]*>([^<]*)</td>', out).group(1)
    '32.5%'
    """
    rows, columns = [str(r) for r in rows], [str(c) for c in columns]
    shape = styler.data.shape
    if (len(rows), len(columns)) != shape:
        raise ParameterError(
            f"keyed_table_html needs one key per row and per column: the table is "
            f"{shape[0]} x {shape[1]}, received {len(rows)} row keys and {len(columns)} column "
            "keys. Pass rows=<one name per row> and columns=<one name per column>."
        )

    return mark_cells(styler.to_html(), {(i, j): {"data-row": r, "data-column": c}
                                         for i, r in enumerate(rows) for j, c in enumerate(columns)})


def result_keys(result: pd.DataFrame) -> list[str]:
    """The key columns of a KPI result: those before ``value``.

    Examples
    --------
    >>> result_keys(pd.DataFrame({"team": ["N"], "period": [None], "value": [1.0], "numerator": [1]}))
    ['team', 'period']
    """
    cols = list(result.columns)
    return cols[:cols.index("value")] if "value" in cols else []


def kpi_figure(result: pd.DataFrame, name: str, *, lang: str = "en", currency: str = "EUR",
               figsize=(8, 4.5), max_groups: int = 8):
    """Draw a KPI result with the plot helper that fits its keys; ``None`` if none fits.

    The keys are the columns before ``value``. ``period`` plus at most one other
    key gives lines (one per value of the other key); one key gives bars (a funnel
    when it is ``stage``), two keys grouped bars when the second has at most
    ``max_groups`` values; no key, one bar. Other shapes get no figure: the
    helpers draw and never aggregate. Bars of more than :data:`kit.groups.MAX_GROUPS`
    groups show the largest and one row for the others (:func:`kit.groups.top_groups`).

    Examples
    --------
    >>> df = pd.DataFrame({"team": ["Nord", "Sud"], "value": [0.4, 0.2]})
    >>> fig = kpi_figure(df, "win_rate", lang="fr")
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
    ['Nord', 'Sud']
    >>> kpi_figure(pd.concat([df, df]), "win_rate") is None
    True
    """
    keys = result_keys(result)
    if len(result) == 0 or "value" not in result.columns or (
            keys and result.duplicated(keys).any()) or (not keys and len(result) > 1):
        return None
    others = [k for k in keys if k != "period"]
    fig = new_figure(figsize)
    ax = fig.add_subplot()
    kw = dict(ax=ax, name=name, lang=lang, currency=currency)
    if "period" in keys:
        if len(others) > 1 or (others and result[others[0]].nunique(dropna=False) > max_groups):
            return None
        plot_kpi(result, x="period", hue=others[0] if others else None, **kw)
    elif others == ["stage"]:
        rate = next((c for c in ("step_rate", "rate") if c in result.columns), None)
        plot_funnel(result, stage="stage", count="value", rate=rate, ax=ax, lang=lang,
                    title=kpi_label(name, lang))
    elif len(others) == 1:  # many groups: the largest and one row for the others (kit.groups)
        result = top_groups(result, others[0], name, label=others_label(
            len(result) - MAX_GROUPS + 1, lang)).frame
        plot_bars(result, x=others[0], orient="h" if result[others[0]].nunique() > 8 else "v", **kw)
    elif len(others) == 2 and result[others[1]].nunique(dropna=False) <= max_groups:
        plot_bars(result, x=others[0], group=others[1], **kw)
    elif not others:
        plot_bars(result.assign(kpi=kpi_label(name, lang)), x="kpi", **kw)
    else:
        return None
    return fig


# ---------------------------------------------------------------------------
# KPI explorer
# ---------------------------------------------------------------------------

class KPIExplorer(widgets.VBox):
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
        usable = [s for s in specs if availability(ds, s.name).ok]
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
        with self._debounced.hold():
            self._update_choices()
            self._debounced()

    def set_dataset(self, ds) -> None:
        """Show the KPI on another (e.g. filtered) dataset."""
        self.dataset = ds
        self._debounced()

    def hold(self):
        """Context manager: change several widgets, recompute once at the end."""
        return self._debounced.hold()

    def flush(self) -> None:
        """Run a pending (debounced) recomputation now."""
        if self._debounced._pending:
            self._debounced.flush()

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


# ---------------------------------------------------------------------------
# dashboard
# ---------------------------------------------------------------------------

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
                value = _render_output(out)
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


_FIGURE_FLEX = "1 1 480px"
#: Numbers in dashboard tables stay on one line ("-€114,469.34", not "-" then the amount).
_DASHBOARD_CSS = ".kit-dashboard td { white-space: nowrap; }"


def _render_output(out):
    if isinstance(out, (matplotlib.figure.Figure, Axes)):
        fig = out.figure if isinstance(out, Axes) else out
        png = figure_png(fig)
        import matplotlib.pyplot as plt

        plt.close(fig)
        return "", png
    if isinstance(out, pd.DataFrame):
        return table_html(out), b""
    if isinstance(out, Styler):
        return out.to_html(), b""
    if isinstance(out, str):
        return out, b""
    if out is None:
        return "", b""
    return f"<pre>{html.escape(str(out))}</pre>", b""


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
        (:func:`kit.widgets_why.why_panel`).

    Raises
    ------
    ParameterError
        Without renderers, with a renderer that is not callable, or a bad ``cache_size``.

    Examples
    --------
    >>> import pandas as pd, kit
    >>> ds = kit.Dataset({"opportunities": pd.DataFrame({
    ...     "opportunity_id": ["O1", "O2", "O3"], "status": ["won", "lost", "won"],
    ...     "team": ["Nord", "Sud", "Nord"],
    ...     "created_at": pd.to_datetime(["2026-01-05", "2026-01-09", "2026-02-01"]),
    ...     "closed_at": pd.to_datetime(["2026-01-20", "2026-02-09", "2026-02-15"])})})
    >>> calls = []
    >>> def count(d):
    ...     calls.append(1)
    ...     return f"<b>{len(d.opportunities)}</b>"
    >>> board = dashboard(ds, {"n": count})
    >>> board.filter_bar.team.value = "Sud"
    >>> board.panels["n"][0].value
    '<b>1</b>'

    Going back to a selection seen before shows it again without recomputing:

    >>> board.filter_bar.team.value = ALL
    >>> board.panels["n"][0].value, len(calls), board.redraws
    ('<b>3</b>', 2, 3)
    """
    return Dashboard(ds, renderers, lang=lang, filters=filters, debounce=debounce,
                     cache_size=cache_size, windowed=windowed, extras=extras)


def png_data_uri(png: bytes) -> str:
    """A ``data:`` URI for PNG bytes, to put a figure inside HTML (``<img src=...>``).

    Examples
    --------
    >>> png_data_uri(b"\\x89PNG")[:22]
    'data:image/png;base64,'
    """
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


__all__ = ["ALL", "Dashboard", "FilterBar", "KPIExplorer", "column_values", "dashboard",
           "figure_png", "filter_bar", "keyed_table_html", "kpi_explorer", "kpi_figure",
           "month_options", "new_figure", "png_data_uri", "rep_names", "result_keys", "table_html"]
