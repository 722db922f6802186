"""Plot helpers: a tidy KPI frame in, a matplotlib Axes out.

They draw and never compute: the frame holds one row per point or bar, as
:func:`kit.compute` returns it (``period``, ``by`` columns, ``value``, and when
present ``ci_low``/``ci_high``, ``low_sample``, ``differs``, ``target``). Every
argument after ``data`` is keyword-only; ``ax=None`` draws on a new figure. Titles,
axis labels (with the unit of the KPI from the registry), tick labels and legends
follow ``lang``: months are written ``oct. 2026`` in French, ratios ``12,5 %``.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> df = pd.DataFrame({"period": pd.to_datetime(["2026-08-01", "2026-09-01", "2026-10-01"]),
...                    "value": [0.30, 0.35, 0.32]})
>>> ax = plot_kpi(df, x="period", name="win_rate", lang="fr")
>>> ax.get_title(), ax.get_ylabel()
('Taux de réussite', 'Taux de réussite (%)')
>>> [t.get_text() for t in ax.get_xticklabels()]
['août 2026', 'sept. 2026', 'oct. 2026']
"""

from __future__ import annotations

import math

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from babel.numbers import format_compact_currency
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, Formatter, MaxNLocator

from kit import registry
from kit.errors import ParameterError, check_frame
from kit.flags import flag_legend
from kit.i18n import (
    LOCALES, axis_label, check_lang, column_label, format_date_short, format_number, format_period,
    format_value, has_word, infer_freq, kpi_label, month_abbr, t,
)
from kit.present.styled import style_scorecard  # the styled scorecard, kept as kit.plot's

#: Colours shared by the helpers.
GREY = "#b8b8b8"
GOOD, BAD, NEUTRAL = "#1a7f37", "#b42318", "#6b6b6b"
HIGHLIGHT_EDGE = "#1f1f1f"
MAX_TICKS = 12
#: Legends sit outside the plot area, on the right, so they never hide data.
_LEGEND = dict(frameon=False, fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0),
               borderaxespad=0.0)

_SHARED_DOC = """
    data : DataFrame
        A tidy KPI result, one row per point or bar.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    name : str, optional
        KPI name in the registry: gives the title, the axis label and its unit.
    lang : {"en", "fr"}
        Language of the labels and number formats.
    title : str, optional
        Overrides the title.
    currency : str
        ISO code of the dataset currency, for currency axes.
"""


# ---------------------------------------------------------------------------
# shared pieces
# ---------------------------------------------------------------------------

def _new_ax(ax, figsize=(8, 4.5)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _check_frame(data, needed, func: str) -> pd.DataFrame:
    return check_frame(data, needed, func=func, expected="a KPI result",
                       pass_frame="the result of kit.compute(ds, name, ...)",
                       pass_columns="the column names of the KPI result (x=..., y=..., hue=...)")


def _check_unique(df: pd.DataFrame, keys, func: str) -> None:
    keys = [k for k in keys if k is not None]
    dup = df.duplicated(keys, keep=False)
    if dup.any():
        first = df.loc[dup, keys].iloc[0].to_dict()
        raise ParameterError(
            f"{func} draws one mark per {'/'.join(keys)}, but data has {int(dup.sum())} rows that "
            f"share a key (first: {first}). Plot helpers draw and never aggregate: pass the column "
            "that tells these rows apart as hue=/group=, or filter the frame first."
        )


def _unit(name):
    return registry.get(name).unit if name is not None else None


def _tick_decimals(values, max_decimals: int = 3) -> int:
    vals = np.asarray([v for v in values if np.isfinite(v)], dtype=float)
    for d in range(max_decimals + 1):
        if np.allclose(np.round(vals, d), vals, rtol=0, atol=1e-9 * max(1.0, np.abs(vals).max(initial=0))):
            return d
    return max_decimals


class ValueFormatter(Formatter):
    """Tick labels of a value axis in a KPI unit and language.

    Ratios are percentages, currency amounts carry the symbol (compact above
    100,000: ``1,2 M €``); other units are plain numbers, their unit being in the
    axis label. Decimals are the fewest that write every tick exactly.

    Examples
    --------
    >>> f = ValueFormatter("ratio", "fr")
    >>> f.format_ticks([0.0, 0.25, 0.5])
    ['0\\xa0%', '25\\xa0%', '50\\xa0%']
    >>> ValueFormatter("currency", "en").format_ticks([0, 500000, 1000000])
    ['€0', '€500K', '€1M']
    """

    def __init__(self, unit: str | None, lang: str = "en", currency: str = "EUR"):
        self.unit, self.lang, self.currency = unit, check_lang(lang), currency
        self._decimals = 0
        self._compact = False
        self._cache = {}  # matplotlib asks for the same ticks at every layout pass

    def set_locs(self, locs):
        vals = np.asarray(locs, dtype=float)
        if self.unit == "ratio":
            vals = vals * 100
        self._decimals = _tick_decimals(vals) if len(vals) else 0
        finite = vals[np.isfinite(vals)]
        self._compact = self.unit == "currency" and len(finite) > 0 and np.abs(finite).max() >= 1e5

    def __call__(self, x, pos=None):
        key = (x, self._decimals, self._compact)
        if key not in self._cache:
            self._cache[key] = self._format(x)
        return self._cache[key]

    def _format(self, x):
        if self.unit == "ratio":
            return format_value(x, "ratio", self.lang, decimals=self._decimals)
        if self.unit == "currency":
            if self._compact:
                return format_compact_currency(x, self.currency, locale=LOCALES[self.lang],
                                               fraction_digits=1)
            return format_value(x, "currency", self.lang, currency=self.currency,
                                decimals=self._decimals)
        return format_number(x, self.lang, decimals=self._decimals)


def _value_axis(axis, unit, lang, currency):
    axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    axis.set_major_formatter(ValueFormatter(unit, lang, currency))


def _category_label(value, lang: str, freq=None) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return t("missing", lang)
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return format_period(value, freq, lang)
    if isinstance(value, (bool, np.bool_)):
        return t("yes" if value else "no", lang)
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return format_number(value, lang)
    return str(value)


def _period_tick_label(ts, freq, lang) -> str:
    if freq == "M":
        return month_abbr(ts, lang, year=True)
    if freq == "W" or freq is None:
        return format_date_short(ts, lang)
    return format_period(ts, freq, lang)


def _x_positions(s: pd.Series, lang: str, freq):
    """Numeric x positions for ``s`` and a function that sets the x ticks."""
    if pd.api.types.is_datetime64_any_dtype(s):
        freq = infer_freq(s) if freq == "infer" else freq
        ts = pd.to_datetime(s)
        pos = (ts - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1)
        periods = pd.DatetimeIndex(ts.dropna().unique()).sort_values()

        def set_ticks(ax):
            step = max(1, math.ceil(len(periods) / MAX_TICKS))
            shown = periods[::step]
            locs = (shown - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1)
            ax.xaxis.set_major_locator(FixedLocator(np.asarray(locs, dtype=float)))
            ax.set_xticks(np.asarray(locs, dtype=float),
                          [_period_tick_label(p, freq, lang) for p in shown])
            _rotate_if_needed(ax.xaxis)

        return pos.astype(float).to_numpy(), set_ticks
    if pd.api.types.is_numeric_dtype(s):
        return s.astype(float).to_numpy(), lambda ax: None
    cats = list(dict.fromkeys(s.tolist()))
    index = {c: i for i, c in enumerate(cats)}

    def set_cat_ticks(ax):
        ax.set_xticks(range(len(cats)), [_category_label(c, lang) for c in cats])
        _rotate_if_needed(ax.xaxis)

    return np.array([index[v] for v in s], dtype=float), set_cat_ticks


def _rotate_if_needed(axis) -> None:
    labels = axis.get_ticklabels()
    total = sum(len(lab.get_text()) for lab in labels)
    if len(labels) > 6 or total > 60:
        for lab in labels:
            lab.set_rotation(35)
            lab.set_horizontalalignment("right")
            lab.set_rotation_mode("anchor")


def _title(title, name, y, lang):
    if title is not None:
        return title
    return kpi_label(name, lang) if name is not None else column_label(y, lang)


def _clip_ratio_axis(ax, unit, values, axis="y"):
    if unit != "ratio":
        return
    v = pd.to_numeric(pd.Series(values), errors="coerce").dropna()
    if len(v) and v.min() >= 0 and v.max() <= 1:
        get, set_ = (ax.get_ylim, ax.set_ylim) if axis == "y" else (ax.get_xlim, ax.set_xlim)
        lo, hi = get()
        set_(max(lo, 0.0), min(hi, 1.0))


def _groups(df: pd.DataFrame, hue):
    if hue is None:
        return [(None, df)]
    keys = list(dict.fromkeys(df[hue].tolist()))
    out = []
    for k in keys:
        mask = df[hue].isna() if (k is None or (not isinstance(k, str) and pd.isna(k))) else df[hue] == k
        out.append((k, df[mask]))
    return out


def _as_bool(s: pd.Series) -> np.ndarray:
    return s.fillna(False).astype(bool).to_numpy()


# ---------------------------------------------------------------------------
# line plots
# ---------------------------------------------------------------------------

def plot_kpi(data, *, x="period", y="value", hue=None, ax=None, name=None, lang="en",
             title=None, currency="EUR", freq="infer", band=True):
    """Line of a KPI over periods, with its 95 % interval as a band when present.

    Points with ``low_sample`` true are drawn hollow.

    Parameters
    ----------
    x, y : str
        Columns of the periods (or any ordered x) and of the values.
    hue : str, optional
        Column with one line per value (e.g. ``"team"``).
    freq : {"infer", None, "W", "M", "Q", "Y"}
        Frequency of ``x`` when it is a date, for the tick labels.
    band : bool
        Draw the ``ci_low``/``ci_high`` band when those columns exist.
    {shared}
    Returns
    -------
    matplotlib Axes

    Raises
    ------
    ParameterError
        For a missing column or several rows with the same ``x``/``hue``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"period": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01"]),
    ...                    "value": [0.2, 0.4, 0.3], "ci_low": [0.1, 0.3, 0.2],
    ...                    "ci_high": [0.3, 0.5, 0.4]})
    >>> ax = plot_kpi(df, x="period", name="win_rate")
    >>> len(ax.lines), len(ax.collections)
    (1, 1)
    """
    check_lang(lang)
    df = _check_frame(data, [x, y, hue], "plot_kpi")
    _check_unique(df, [x, hue], "plot_kpi")
    ax = _new_ax(ax)
    unit = _unit(name)
    xs, set_xticks = _x_positions(df[x], lang, freq)
    has_ci = band and {"ci_low", "ci_high"} <= set(df.columns)
    has_low = "low_sample" in df.columns and _as_bool(df["low_sample"]).any()
    groups = _groups(df, hue)
    palette = sns.color_palette(n_colors=max(len(groups), 1))
    alpha = 0.18 if len(groups) == 1 else 0.10
    for (key, g), color in zip(groups, palette):
        order = np.argsort(xs[g.index], kind="stable")
        gx, gy = xs[g.index][order], g[y].to_numpy(dtype=float)[order]
        label = _category_label(key, lang) if hue is not None else _title(None, name, y, lang)
        ax.plot(gx, gy, marker="o", color=color, label=label, linewidth=2)
        if has_ci:
            ax.fill_between(gx, g["ci_low"].to_numpy(dtype=float)[order],
                            g["ci_high"].to_numpy(dtype=float)[order],
                            color=color, alpha=alpha, linewidth=0)
        if has_low:
            low = _as_bool(g["low_sample"])[order]
            ax.plot(gx[low], gy[low], linestyle="none", marker="o", markersize=7,
                    markerfacecolor="white", markeredgecolor=color, markeredgewidth=1.5,
                    zorder=3, label="_low_sample")
    set_xticks(ax)
    _value_axis(ax.yaxis, unit, lang, currency)
    if has_ci:
        _clip_ratio_axis(ax, unit, pd.concat([df[y], df["ci_low"], df["ci_high"]]))
    else:
        _clip_ratio_axis(ax, unit, df[y])
    ax.set_title(_title(title, name, y, lang))
    ax.set_xlabel(column_label(x, lang))
    ax.set_ylabel(axis_label(name, lang, currency=currency, fallback=y))
    ax.grid(axis="y", alpha=0.3)
    _line_legend(ax, hue is not None, has_ci, has_low, lang)
    return ax


def _line_legend(ax, by_hue: bool, has_ci: bool, has_low: bool, lang: str):
    handles, labels = ax.get_legend_handles_labels()
    keep = [(h, lab) for h, lab in zip(handles, labels) if not lab.startswith("_")]
    if not by_hue and t("target", lang) not in [lab for _, lab in keep]:
        keep = []
    extra = []
    if has_ci:
        extra.append((Patch(facecolor=GREY, alpha=0.5, label=t("ci_note", lang)), t("ci_note", lang)))
    if has_low:
        extra.append((Line2D([], [], linestyle="none", marker="o", markerfacecolor="white",
                             markeredgecolor=NEUTRAL), t("small_sample_note", lang)))
    items = keep + extra
    if by_hue or items:
        ax.legend([h for h, _ in items], [lab for _, lab in items], **_LEGEND)


def plot_trend(data, *, x="period", y="value", target="target", hue=None, ax=None, name=None,
               lang="en", title=None, currency="EUR", freq="infer", band=True):
    """:func:`plot_kpi` plus the target as a dashed line.

    Parameters
    ----------
    target : str or float, optional
        A column of per-period targets (drawn when the column exists), or a
        constant drawn as a horizontal line (e.g. ``1.0`` for 100 % of target).
    x, y, hue, freq, band
        As in :func:`plot_kpi`.
    {shared}
    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"period": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01"]),
    ...                    "value": [900.0, 1200.0, 1000.0], "target": [1000.0, 1000.0, 1100.0]})
    >>> ax = plot_trend(df, x="period", lang="fr")
    >>> [line.get_label() for line in ax.lines]
    ['Valeur', 'Objectif']
    """
    ax = plot_kpi(data, x=x, y=y, hue=hue, ax=ax, name=name, lang=lang, title=title,
                  currency=currency, freq=freq, band=band)
    df = data.reset_index(drop=True)
    label = t("target", lang)
    if isinstance(target, (int, float)) and not isinstance(target, bool):
        ax.axhline(float(target), color=HIGHLIGHT_EDGE, linestyle="--", linewidth=1.5, label=label)
    elif isinstance(target, str) and target in df.columns:
        xs, _ = _x_positions(df[x], lang, freq)
        groups = _groups(df, hue)
        palette = sns.color_palette(n_colors=max(len(groups), 1))
        for i, ((_, g), color) in enumerate(zip(groups, palette)):
            order = np.argsort(xs[g.index], kind="stable")
            ax.plot(xs[g.index][order], g[target].to_numpy(dtype=float)[order],
                    color=color if hue is not None else HIGHLIGHT_EDGE, linestyle="--",
                    drawstyle="steps-mid", linewidth=1.5, label=label if i == 0 else "_target")
        unit = _unit(name)
        _clip_ratio_axis(ax, unit, pd.concat([df[y], df[target]]))
    elif target is not None and not isinstance(target, str):
        raise ParameterError(
            f"plot_trend: target={target!r} is neither a column name nor a number. "
            "Pass target='target' (a column of the frame) or a constant such as target=1.0."
        )
    has_ci = band and {"ci_low", "ci_high"} <= set(df.columns)
    has_low = "low_sample" in df.columns and _as_bool(df["low_sample"]).any()
    _line_legend(ax, hue is not None, has_ci, has_low, lang)
    return ax


# ---------------------------------------------------------------------------
# bars
# ---------------------------------------------------------------------------

def plot_bars(data, *, x, y="value", group=None, ax=None, name=None, lang="en", title=None,
              currency="EUR", orient="v", annotate=True, freq="infer"):
    """Bars of a KPI by category, with 95 % whiskers, small samples greyed and hatched.

    Bars whose ``low_sample`` is true are grey and hatched; bars whose ``differs``
    is true (a group that differs from the rest, from
    :func:`kit.flags.flag_differences`) get a dark outline and a bold value label;
    the legend names the test's correction when ``data`` comes from that function.

    Parameters
    ----------
    x : str
        Category column (``team``, ``rep_id``, ``period``...).
    y : str
        Value column.
    group : str, optional
        Second category drawn as side-by-side bars with a legend.
    orient : {"v", "h"}
        Vertical bars, or horizontal bars (categories down the y axis), easier to
        read with long names.
    annotate : bool
        Write each value on its bar.
    freq : {"infer", None, "W", "M", "Q", "Y"}
        Frequency of ``x`` when it is a date.
    {shared}
    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"team": ["Nord", "Sud", "Est"], "value": [0.4, 0.2, 0.5],
    ...                    "low_sample": [False, True, False]})
    >>> ax = plot_bars(df, x="team", name="win_rate", lang="fr")
    >>> [p.get_hatch() for p in ax.patches]
    [None, '///', None]
    >>> [t.get_text() for t in ax.texts]
    ['40,0\\xa0%', '20,0\\xa0%', '50,0\\xa0%']
    """
    check_lang(lang)
    if orient not in ("v", "h"):
        raise ParameterError(f"orient={orient!r} is not allowed; allowed values: 'v', 'h'. "
                             "Use orient='h' for long category names.")
    df = _check_frame(data, [x, y, group], "plot_bars")
    _check_unique(df, [x, group], "plot_bars")
    ax = _new_ax(ax)
    unit = _unit(name)
    f = infer_freq(df[x]) if (freq == "infer" and pd.api.types.is_datetime64_any_dtype(df[x])) else \
        (None if freq == "infer" else freq)
    cats = list(dict.fromkeys(df[x].tolist()))
    cat_index = {_key(c): i for i, c in enumerate(cats)}
    groups = _groups(df, group)
    n = max(len(groups), 1)
    width = 0.8 / n
    palette = sns.color_palette(n_colors=n)
    has_ci = {"ci_low", "ci_high"} <= set(df.columns)
    low = _as_bool(df["low_sample"]) if "low_sample" in df.columns else np.zeros(len(df), bool)
    differs = _as_bool(df["differs"]) if "differs" in df.columns else np.zeros(len(df), bool)
    vertical = orient == "v"
    for gi, ((key, g), color) in enumerate(zip(groups, palette)):
        pos = np.array([cat_index[_key(v)] for v in g[x]], dtype=float) + (gi - (n - 1) / 2) * width
        vals = g[y].to_numpy(dtype=float)
        draw = ax.bar if vertical else ax.barh
        bars = draw(pos, np.nan_to_num(vals), width * 0.92, color=color,
                    label=_category_label(key, lang) if group is not None else "_bars")
        for patch, i in zip(bars.patches, g.index):
            if low[i]:
                patch.set_facecolor(GREY if group is None else _lighten(color))
                patch.set_hatch("///")
                patch.set_edgecolor("#7a7a7a")
            if differs[i]:
                patch.set_edgecolor(HIGHLIGHT_EDGE)
                patch.set_linewidth(2.5)
        ends = vals.copy()
        if has_ci:
            lo, hi = g["ci_low"].to_numpy(dtype=float), g["ci_high"].to_numpy(dtype=float)
            err = np.vstack([np.clip(vals - lo, 0, None), np.clip(hi - vals, 0, None)])
            ok = np.isfinite(vals) & np.isfinite(lo) & np.isfinite(hi)
            kw = dict(fmt="none", ecolor="#333333", elinewidth=1.2, capsize=4, zorder=3)
            if ok.any():
                if vertical:
                    ax.errorbar(pos[ok], vals[ok], yerr=err[:, ok], **kw)
                else:
                    ax.errorbar(vals[ok], pos[ok], xerr=err[:, ok], **kw)
            ends = np.where(np.isfinite(hi), np.fmax(vals, hi), vals)
        if annotate:
            for p, v, e, i in zip(pos, vals, ends, g.index):
                text = format_value(v, unit, lang, currency=currency) if unit else format_number(v, lang)
                weight = "bold" if differs[i] else "normal"
                base = 0.0 if not np.isfinite(e) else e
                if vertical:
                    ax.annotate(text, (p, base), xytext=(0, 3), textcoords="offset points",
                                ha="center", va="bottom", fontsize="small", fontweight=weight)
                else:
                    ax.annotate(text, (base, p), xytext=(4, 0), textcoords="offset points",
                                ha="left", va="center", fontsize="small", fontweight=weight)
    labels = [_category_label(c, lang, f) for c in cats]
    value_axis = ax.yaxis if vertical else ax.xaxis
    if vertical:
        ax.set_xticks(range(len(cats)), labels)
        _rotate_if_needed(ax.xaxis)
        ax.margins(y=0.12)
        ax.set_ylim(bottom=min(0, ax.get_ylim()[0]))
    else:
        ax.set_yticks(range(len(cats)), labels)
        ax.invert_yaxis()
        ax.margins(x=0.15)
        ax.set_xlim(left=min(0, ax.get_xlim()[0]))
    _value_axis(value_axis, unit, lang, currency)
    ax.set_title(_title(title, name, y, lang))
    value_label = axis_label(name, lang, currency=currency, fallback=y)
    cat_label = column_label(x, lang)
    ax.set_xlabel(cat_label if vertical else value_label)
    ax.set_ylabel(value_label if vertical else cat_label)
    ax.grid(axis="y" if vertical else "x", alpha=0.3)
    ax.set_axisbelow(True)
    handles = [h for h in ax.get_legend_handles_labels()[0] if not h.get_label().startswith("_")]
    if low.any():
        handles.append(Patch(facecolor=GREY, hatch="///", edgecolor="#7a7a7a",
                             label=t("small_sample_note", lang)))
    if differs.any():
        handles.append(Patch(facecolor="white", edgecolor=HIGHLIGHT_EDGE, linewidth=2.5,
                             label=flag_legend(df, lang)))
    if handles:
        ax.legend(handles=handles, title=column_label(group, lang) if group is not None else None,
                  **_LEGEND)
    return ax


def _lighten(color, amount: float = 0.6):
    rgb = np.asarray(matplotlib.colors.to_rgb(color))
    return tuple(rgb + (1 - rgb) * amount)


def _key(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value


# ---------------------------------------------------------------------------
# funnel and survival
# ---------------------------------------------------------------------------

def _stage_label(stage, lang):
    key = f"stage_{stage}"
    return t(key, lang) if has_word(key) else _category_label(stage, lang)


def plot_funnel(data, *, stage="stage", count="count", rate=None, ax=None, lang="en",
                title=None):
    """A funnel: one centred bar per stage, its count inside and its step rate beside.

    Parameters
    ----------
    data : DataFrame
        One row per stage, in funnel order.
    stage, count : str
        Columns of the stage names (``created``, ``engaged``... are translated) and
        of the number reaching each stage.
    rate : str, optional
        Column of the step rate (share of the previous stage), written beside the bar.
    ax, lang, title
        As in :func:`plot_kpi`.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"stage": ["created", "qualified", "won"], "count": [200, 80, 20],
    ...                    "rate": [None, 0.4, 0.25]})
    >>> ax = plot_funnel(df, rate="rate", lang="fr")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Créés', 'Qualifiés', 'Gagnés']
    >>> [t.get_text() for t in ax.texts]
    ['200', '80', '40,0\\xa0%', '20', '25,0\\xa0%']
    """
    check_lang(lang)
    df = _check_frame(data, [stage, count, rate], "plot_funnel")
    ax = _new_ax(ax)
    counts = df[count].to_numpy(dtype=float)
    top = np.nanmax(counts) if len(counts) and np.isfinite(counts).any() else 1.0
    colors = sns.color_palette("crest", n_colors=max(len(df), 1))
    ypos = np.arange(len(df))
    lefts = (top - np.nan_to_num(counts)) / 2
    ax.barh(ypos, np.nan_to_num(counts), left=lefts, color=colors, height=0.75)
    for y_, c, left in zip(ypos, counts, lefts):
        text = format_value(c, "count", lang)
        inside = np.isfinite(c) and c >= 0.12 * top
        right = left + np.nan_to_num(c)
        if inside:
            ax.annotate(text, (top / 2, y_), ha="center", va="center", color="white",
                        fontweight="bold")
        else:
            ax.annotate(text, (right, y_), xytext=(4, 0), textcoords="offset points",
                        ha="left", va="center", color="#222222", fontweight="bold")
        if rate is not None:
            r = df[rate].iloc[y_]
            if pd.notna(r):
                shift = 6 if inside else 10 + 7 * len(text)
                ax.annotate(format_value(r, "ratio", lang), (right, y_), xytext=(shift, 0),
                            textcoords="offset points", ha="left", va="center", color=NEUTRAL,
                            fontsize="small")
    ax.set_yticks(ypos, [_stage_label(s, lang) for s in df[stage]])
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.02)
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(title if title is not None else t("funnel_title", lang))
    ax.set_ylabel(t("stage", lang))
    xlabel = t("count", lang)
    if rate is not None:
        xlabel += f" · {t('rate', lang)} (%)"
    ax.set_xlabel(xlabel)
    return ax


def plot_survival(data, *, x="days", y="share_converted", hue=None, ax=None, lang="en",
                  title=None, band=True):
    """Kaplan-Meier curve of conversion (from :func:`kit.stats.km_curve`) as a step line.

    Parameters
    ----------
    data : DataFrame
        ``days``, ``share_converted`` and, for the band, ``ci_low``/``ci_high``.
    x, y : str
        Columns of the days and of the share converted.
    hue : str, optional
        One curve per value of this column.
    band : bool
        Draw the 95 % band when ``ci_low``/``ci_high`` exist.
    ax, lang, title
        As in :func:`plot_kpi`.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> curve = pd.DataFrame({"days": [0.0, 10.0, 30.0], "share_converted": [0.0, 0.2, 0.5],
    ...                       "ci_low": [0.0, 0.1, 0.35], "ci_high": [0.0, 0.3, 0.65]})
    >>> ax = plot_survival(curve, lang="en")
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('Days since lead creation', 'Share converted (%)')
    """
    check_lang(lang)
    df = _check_frame(data, [x, y, hue], "plot_survival")
    ax = _new_ax(ax)
    has_ci = band and {"ci_low", "ci_high"} <= set(df.columns)
    groups = _groups(df, hue)
    palette = sns.color_palette(n_colors=max(len(groups), 1))
    for (key, g), color in zip(groups, palette):
        g = g.sort_values(x, kind="stable")
        label = _category_label(key, lang) if hue is not None else t("share_converted", lang)
        ax.step(g[x].to_numpy(dtype=float), g[y].to_numpy(dtype=float), where="post",
                color=color, linewidth=2, label=label)
        if has_ci:
            ax.fill_between(g[x].to_numpy(dtype=float), g["ci_low"].to_numpy(dtype=float),
                            g["ci_high"].to_numpy(dtype=float), step="post", color=color,
                            alpha=0.18, linewidth=0)
    ax.axhline(0.5, color=GREY, linestyle=":", linewidth=1, label="_median")
    ax.set_ylim(0, 1)
    ax.set_xlim(left=0)
    _value_axis(ax.yaxis, "ratio", lang, "EUR")
    ax.xaxis.set_major_locator(MaxNLocator(nbins=8, integer=True))
    ax.xaxis.set_major_formatter(ValueFormatter("days", lang))
    ax.set_title(title if title is not None else t("survival_title", lang))
    ax.set_xlabel(t("days_since_creation", lang))
    ax.set_ylabel(f"{t('share_converted', lang)} (%)")
    ax.grid(alpha=0.3)
    _line_legend(ax, hue is not None, has_ci, False, lang)
    return ax


for _f in (plot_kpi, plot_trend, plot_bars):
    _f.__doc__ = _f.__doc__.replace("    {shared}\n", _SHARED_DOC.lstrip("\n") + "\n")

__all__ = ["ValueFormatter", "plot_bars", "plot_funnel", "plot_kpi", "plot_survival",
           "plot_trend", "style_scorecard"]
