"""The report context: one month of one dataset, restricted to a team, told in a language.

:class:`ReportContext` declares what every section relies on (the dataset, the month,
the months of the trends, the team, the language, the display sink, the tables used
and the KPIs found unknown) and the services the sections share: periods, computing
a KPI, titles, headings, KPI tables. The sections are plain functions of a context,
one module per family (:mod:`kit.story.sections_kpi`, :mod:`kit.story.sections_funnel`,
:mod:`kit.story.sections_matrix`, :mod:`kit.story.sections_cohorts`,
:mod:`kit.story.sections_quality`, :mod:`kit.story.sections_why`,
:mod:`kit.story.dashboard`); :class:`kit.story.report.Report` is a context with the
sections as methods.

Examples
--------
>>> import pandas as pd
>>> from kit.dataset import Dataset
>>> opps = pd.DataFrame({"opportunity_id": ["O1"], "status": ["won"],
...     "closed_at": pd.to_datetime(["2026-10-05"])})
>>> ctx = ReportContext(Dataset({"opportunities": opps}), month="2026-10", history=6)
>>> [str(d.date()) for d in ctx.bounds("history")], ctx.period_text("history")
(['2026-05-01', '2026-11-01'], 'May 2026 to October 2026')
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kit import registry
from kit.api import compute
from kit.availability import Availability, availability, mask_uncovered
from kit.coverage import coverage
from kit.dates import last_complete_month, month_start, shift
from kit.errors import ParameterError
from kit.flags import flag_note, row_flags
from kit.i18n import (LANGS, MISSING, check_lang, format_date_short, format_month, has_word,
                      infer_freq, kpi_label)
from kit.present import format_result
from kit.scorecard import without_team
from kit.story.display import Display
from kit.story.guard import Unavailable
from kit.story.results import _pandas
from kit.story.table import Table, _ci_columns
from kit.story.texts import HIDDEN_WHEN_ZERO, NOTEBOOKS, WORDS, word


@dataclass
class ReportContext:
    """One month of one dataset, restricted to a team, told in ``lang``, shown on ``display``.

    Parameters
    ----------
    ds : Dataset
        The dataset, loaded as known at the end of the month (``as_of``).
    month : str or Timestamp, optional
        Report month; empty: the last complete month before ``ds.as_of``.
    history : int
        Months shown in trends (the report month included).
    team : str
        Team shown in titles (the dataset is expected to be filtered already).
    lang : {"en", "fr"}
    key : str
        The notebook, for table ids.
    display : Display
        Where the sections show their text, tables and figures: the notebook by
        default (:class:`~kit.story.display.Display`, also for None); a
        :class:`~kit.story.display.Collector` keeps them instead.
    """

    ds: object
    month: object = ""
    history: int = 12
    team: str = ""
    lang: str = "en"
    key: str = "report"
    display: Display = field(default_factory=Display, repr=False, compare=False)
    #: The tables the sections used so far (the warnings section lists their issues).
    used: set = field(default_factory=set)
    #: The KPI result behind the last section displayed.
    last: object = field(default=None, repr=False)
    #: ``{KPI name: reason}`` of the KPIs a section could not compute.
    unknown: dict = field(default_factory=dict)
    #: Tables shown so far (numbers the table ids, :meth:`uid`).
    _n: int = 0
    #: Cache of :attr:`coverage`, computed once per context.
    _cov: object = field(default=None, repr=False)

    def __post_init__(self):
        check_lang(self.lang)
        if self.display is None:
            self.display = Display()
        if isinstance(self.history, bool) or not isinstance(self.history, (int, np.integer)) or self.history < 2:
            raise ParameterError(
                f"history={self.history!r} is not allowed; it must be a whole number of months, 2 or "
                "more. Pass history=12 for a year of trend."
            )
        month = last_complete_month(self.ds) if self.month in ("", None) else self.month
        self.month = month_start(month)

    # -- periods --------------------------------------------------------------
    @property
    def end(self) -> pd.Timestamp:
        """First day after the report month (excluded bound)."""
        return shift(self.month, 1)

    @property
    def start(self) -> pd.Timestamp:
        """First month of the trends."""
        return shift(self.month, -(self.history - 1))

    @property
    def currency(self) -> str:
        return getattr(self.ds, "currency", "EUR")

    def bounds(self, window: str) -> tuple:
        """``(start, end)`` of ``window``: ``"month"``, ``"history"`` or ``"all"``."""
        if window == "month":
            return self.month, self.end
        if window == "history":
            return self.start, self.end
        if window == "all":
            return None, self.end
        raise ParameterError(
            f"window={window!r} is not allowed; allowed values: 'month', 'history', 'all'. "
            "Use 'month' for the report month, 'history' for the trend months."
        )

    def period_text(self, window: str) -> str:
        """The period of ``window`` in words."""
        if window == "month":
            return format_month(self.month, self.lang)
        if window == "history":
            return word("months_to", self.lang, start=format_month(self.start, self.lang),
                        end=format_month(self.month, self.lang))
        return word("all_data_to", self.lang, end=format_month(self.month, self.lang))

    def uid(self, what: str) -> str:
        """A table id unique in the notebook: ``{key}_{n}_{what}``."""
        self._n += 1
        return f"{self.key}_{self._n:02d}_{what}"

    # -- computing ------------------------------------------------------------
    @property
    def coverage(self) -> pd.DataFrame:
        """First and last date of each dated table of the report's dataset (:mod:`kit.coverage`)."""
        if self._cov is None:
            self._cov = coverage(self.ds)
        return self._cov

    def availability(self, name: str, *, by=None, start=None, end=None):
        """Whether KPI ``name`` can be computed on the report's dataset (by ``by``, over
        ``[start, end)``): :func:`kit.availability.availability`, the period in the report's words.

        Examples
        --------
        >>> import pandas as pd
        >>> from kit.dataset import Dataset
        >>> rep = ReportContext(Dataset({"opportunities": pd.DataFrame({"opportunity_id": ["O1"],
        ...     "status": ["won"], "closed_at": pd.to_datetime(["2026-10-05"]),
        ...     "created_at": pd.to_datetime(["2026-09-05"])})}), month="2026-10")
        >>> rep.availability("win_rate").ok, rep.availability("revenue_vs_target").missing_tables
        (True, ('orders', 'targets'))
        >>> print(rep.availability("win_rate", start="2025-10-01", end="2025-11-01").reason("en"))
        Win rate is unknown for October 2025: the table opportunities covers Sep 5, 2026 to Oct 5, 2026 only.
        """
        period = None
        if start is not None or end is not None:
            s = pd.Timestamp(start) if start is not None else None
            last = pd.Timestamp(end) - pd.Timedelta(days=1) if end is not None else None
            period = {}
            for lang in ("en", "fr"):
                if s is not None and last is not None and s.to_period("M") == last.to_period("M"):
                    period[lang] = format_month(s, lang)
                elif s is not None and last is not None:
                    period[lang] = word("months_to", lang, start=format_month(s, lang),
                                        end=format_month(last, lang))
                else:
                    period[lang] = word("all_data_to", lang, end=format_month(last, lang))
        return availability(self.ds, name, by=by, start=start, end=end, period=period, cov=self.coverage)

    def require(self, *names, by=None) -> None:
        """Raise :class:`~kit.story.guard.Unavailable` for the first KPI of ``names`` that
        cannot be computed on the report's dataset."""
        for name in names:
            av = self.availability(name, by=by)
            if not av.ok:
                raise Unavailable(av)

    def no_values(self, name: str, window: str = "month"):
        """The :class:`~kit.availability.Availability` of KPI ``name`` when its result has no
        value over ``window``: unknown for that period, the sentence says why."""
        saved, period = self.lang, {}
        try:
            for lang in LANGS:
                self.lang = lang
                period[lang] = self.period_text(window)
        finally:
            self.lang = saved
        return Availability(name, ok=False, no_values=True, period=period)

    def unavailable(self, av) -> None:
        """Display the reason why a KPI cannot be computed (one sentence, in the report's language),
        once: a reason this report already gave for the KPI is not repeated."""
        reason = av.reason(self.lang)
        if self.unknown.get(av.name) == reason:
            return
        self.unknown[av.name] = reason
        self.display.markdown(f"*{MISSING} {reason}*")

    def compute(self, name: str, window: str = "month", *, start=None, end=None, **options) -> pd.DataFrame:
        """Run KPI ``name`` on the report's dataset over ``window`` (or ``start``/``end``).

        Remembers the tables used, for the warnings section
        (:func:`kit.story.sections_quality.warnings`). Raises
        :class:`~kit.story.guard.Unavailable` when the KPI cannot be computed on the
        dataset or when the period lies outside the dates of a table it needs; the
        figures of the periods of the result outside those dates are missing
        (:func:`kit.availability.mask_uncovered`): unknown, not zero.
        """
        spec = registry.get(name)
        accepted = spec.options
        s, e = self.bounds(window)
        s, e = (start if start is not None else s), (end if end is not None else e)
        av = self.availability(name, by=options.get("by"), start=s, end=e)
        if not av.ok:
            raise Unavailable(av)
        if "start" in accepted:
            options["start"] = s
        if "end" in accepted:
            options["end"] = e
        self.used.update(spec.tables)
        self.used.update(t_ for t_ in spec.optional_tables if t_ in self.ds.tables)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            df = compute(self.ds, name, **options)
        if "period" in df.columns and len(df):
            by = options.get("by")
            keep = [by] if isinstance(by, str) else list(by or ())
            df = mask_uncovered(df, name, self.coverage, freq=options.get("freq") or _freq_of(df["period"]),
                                keep=keep)
        return df

    def monthly(self, name: str, months: int | None = None, **options) -> pd.DataFrame:
        """KPI ``name`` per month over the ``months`` months ending with the report month."""
        months = self.history if months is None else months
        return self.compute(name, start=shift(self.month, -(months - 1)), end=self.end, freq="M", **options)

    # -- sections -------------------------------------------------------------
    def title(self, key: str) -> str:
        """The Markdown title of notebook ``key`` for the report month."""
        self.key = key.replace("-", "_")
        return f"# {NOTEBOOKS[key][self.lang][0]} — {format_month(self.month, self.lang)}"

    def intro(self, key: str) -> None:
        """Display the title, the scope (team, data date) and the introduction of notebook ``key``."""
        title = self.title(key)
        scope = word("team_x", self.lang, team=self.team) if self.team else word("all_teams", self.lang)
        as_of = format_month(self.month, self.lang)
        if self.ds.as_of is not None:
            as_of = format_date_short(self.ds.as_of, self.lang)
        text = (f"{title}\n\n*{scope[:1].upper() + scope[1:]} · {word('data_as_of', self.lang, date=as_of)}*\n\n"
                f"{NOTEBOOKS[key][self.lang][1]}")
        self.display.markdown(text)

    def team_note(self, names) -> str:
        """For a team's report: the note naming the KPIs of ``names`` shown for all teams.

        Their tables (surveys, costs, social...) have no team column, so a team
        filter leaves them whole (:func:`kit.scorecard.without_team`). Empty when
        no team is chosen or every KPI is the team's.

        Examples
        --------
        >>> import pandas as pd
        >>> from kit.dataset import Dataset
        >>> ds = Dataset({"surveys": pd.DataFrame({"survey_id": ["S1"], "csat": [4],
        ...     "responded_at": pd.to_datetime(["2026-10-03"])})})
        >>> print(ReportContext(ds, month="2026-10", team="Nord").team_note(["csat"]))
        *All teams*: Customer satisfaction (CSAT) — the table surveys has no team column, so these KPIs cover every team.
        """
        if not self.team:
            return ""
        found = {n: without_team(self.ds, n) for n in names}
        found = {n: tables for n, tables in found.items() if tables}
        if not found:
            return ""
        tables = sorted({t_ for ts in found.values() for t_ in ts})
        key = "all_teams_note" if len(tables) == 1 else "all_teams_note_n"
        return word(key, self.lang, kpis=", ".join(kpi_label(n, self.lang) for n in found),
                    tables=", ".join(tables))

    def heading(self, text: str, level: int = 3) -> None:
        """Display a Markdown heading."""
        self.display.markdown(f"{'#' * level} {text}")

    def table_of(self, name: str, df: pd.DataFrame, *, caption: str | None = None) -> None:
        """Display a KPI result as a formatted table (small samples grey, differing rows bold).

        Under a table flagged by :func:`kit.flags.flag_differences`, a note says how the
        groups were compared (level, correction, number of groups) and what grey means.
        """
        quiet = [c for c in HIDDEN_WHEN_ZERO if c in df.columns
                 and pd.to_numeric(df[c], errors="coerce").fillna(0).eq(0).all()]
        spec = registry.get(name)
        df = _ci_columns(df.drop(columns=quiet + [c for c in spec.dropped if c in df.columns]))
        shown = format_result(df, name, self.lang, currency=self.currency)
        for i, col in enumerate(df.columns):
            if col in WORDS and not has_word(col) and col not in spec.columns:
                shown = shown.rename(columns={shown.columns[i]: word(col, self.lang)})
        grey, bold = row_flags(df)
        self.display.show(Table(shown, uid=self.uid(name), caption=caption, grey=grey, bold=bold))
        note = flag_note(df, self.lang)  # groups compared with the rest: how, and what bold means
        if note:
            self.display.markdown(f"*{note}*")
        elif grey is not None and any(grey):
            self.display.markdown(f"*{word('legend_grey', self.lang)}*")

    def with_names(self, df: pd.DataFrame, by) -> pd.DataFrame:
        """Add the name next to ``rep_id`` or ``product_id`` when ``reps``/``products`` have one."""
        table = {"rep_id": "reps", "product_id": "products"}.get(by)
        if table is None or by not in df.columns or table not in self.ds.tables:
            return df
        ref = _pandas(self.ds.tables[table])
        if "name" not in ref.columns or "name" in df.columns:
            return df
        names = ref.drop_duplicates(by).set_index(by)["name"]
        out = df.copy()
        out.insert(out.columns.get_loc(by) + 1, "name", out[by].map(names))
        return out


def _freq_of(periods) -> str:
    """The length of the periods of a result without ``freq``: ``"Y"`` when every period is
    the 1st of January, else what :func:`kit.i18n.infer_freq` finds (``"M"`` by default)."""
    p = pd.to_datetime(pd.Series(periods)).dropna()
    if len(p) and ((p.dt.month == 1) & (p.dt.day == 1)).all():
        return "Y"
    return infer_freq(p) or "M"
