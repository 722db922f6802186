"""What the plot helpers share: colours, frame checks, value and category tick labels, legends.

Examples
--------
>>> ValueFormatter("ratio", "en").format_ticks([0.0, 0.125, 0.25])
['0.0%', '12.5%', '25.0%']
>>> _category_label(float("nan"), "fr"), _category_label(True, "en")
('(vide)', 'yes')
"""

from __future__ import annotations

import itertools
import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from babel.numbers import format_compact_currency
from matplotlib.colors import to_rgb
from matplotlib.ticker import FixedLocator, Formatter, MaxNLocator

from kit import registry
from kit.errors import ParameterError, check_frame
from kit.i18n import (
    LOCALES, check_lang, column_label, format_date_short, format_number, format_period,
    format_value, infer_freq, kpi_label, month_abbr, t,
)

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



def _coloured_groups(df: pd.DataFrame, hue) -> list:
    """``[(key, rows, colour)]``: one group per value of ``hue`` (one group without), each its colour."""
    groups = _groups(df, hue)
    return [(key, g, color) for (key, g), color in zip(groups, cycle_colors(len(groups)))]


def cycle_colors(n: int) -> list[tuple[float, float, float]]:
    """``n`` colours of matplotlib's colour cycle, repeated when ``n`` exceeds it.

    What ``seaborn.color_palette(n_colors=n)`` gives when no seaborn theme is set,
    without importing seaborn (and scipy.stats under it) for it: a notebook kernel
    that draws a line or bar chart starts a second faster.

    Examples
    --------
    >>> cycle_colors(2)
    [(0.12156862745098039, 0.4666666666666667, 0.7058823529411765), (1.0, 0.4980392156862745, 0.054901960784313725)]
    >>> len(cycle_colors(12)), cycle_colors(11)[10] == cycle_colors(1)[0]
    (12, True)
    """
    colors = plt.rcParams["axes.prop_cycle"].by_key().get("color") or ["C0"]
    return [to_rgb(c) for c in itertools.islice(itertools.cycle(colors), max(n, 1))]


def _marks(df: pd.DataFrame, band: bool) -> tuple[bool, bool]:
    """Whether lines of ``df`` get their interval band, and hollow points for small samples."""
    has_ci = band and {"ci_low", "ci_high"} <= set(df.columns)
    has_low = "low_sample" in df.columns and _as_bool(df["low_sample"]).any()
    return has_ci, has_low


def _with_shared_doc(func):
    """Put the parameters every helper shares (:data:`_SHARED_DOC`) where ``{shared}`` stands."""
    func.__doc__ = func.__doc__.replace("    {shared}\n", _SHARED_DOC.lstrip("\n") + "\n")
    return func
