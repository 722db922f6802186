"""What the notebooks share: a report of one month, told section by section.

A notebook opens a :class:`Report` (the dataset as known at the end of the month,
restricted to a team) and asks it for sections: :meth:`Report.headline` (the
number of the month against the previous month, the same month last year and the
target), :meth:`Report.trend` (the last ``history`` months), :meth:`Report.breakdown`
(by team, rep, channel..., groups that differ from the rest in bold, small samples
in grey) and :meth:`Report.warnings` (the data-quality issues of the tables used).
Each section displays a title, a table (HTML and plain text, so that nbval
compares its numbers) and a figure, in English or French.

The package, one module per job (the months of a report are :mod:`kit.dates`):

``texts``             words of the notebooks and sections: :data:`NOTEBOOKS`, :func:`word`,
                      :func:`month_abbr_year`...
``table``             :class:`Table` (HTML and plain text), :func:`issue_table`, cell formats
``results``           :func:`flag_differences`, frames in pandas
``figures``           drawing helpers (:func:`tidy`, last year's line, product timelines)
``display``           where sections show things: :class:`Display` (the notebook), :class:`Collector`
``guard``             :func:`~kit.story.guard.section`: a KPI the data cannot give becomes one sentence
``context``           :class:`ReportContext`: periods, computing, titles, KPI tables
``sections_why``      why a KPI moved: a sentence and a waterfall
``report``            :class:`Report`: a report context with the sections below as methods
``sections_kpi``      headline, trend, breakdown and table of a KPI
``sections_funnel``   the funnel and the time to convert
``sections_matrix``   a KPI by two keys
``sections_cohorts``  cohorts, satisfaction against repeat purchase, product lives
``sections_quality``  data-quality warnings, problems, rows kept aside
``dashboard``         the scorecard, the KPI explorer and the dashboard

Examples
--------
>>> import pandas as pd
>>> from kit.dataset import Dataset
>>> opps = pd.DataFrame({"opportunity_id": ["O1", "O2", "O3"], "rep_id": ["R1", "R2", "R1"],
...     "status": ["won", "lost", "won"],
...     "closed_at": pd.to_datetime(["2026-09-05", "2026-10-09", "2026-10-20"])})
>>> rep = Report(Dataset({"opportunities": opps}), month="2026-10", lang="fr")
>>> rep.headline_frame(["win_rate"])[["name", "value", "previous", "change"]].to_dict("records")
[{'name': 'win_rate', 'value': 0.5, 'previous': 1.0, 'change': -0.5}]
>>> print(rep.title("01-funnel"))
# Entonnoir et conversion — octobre 2026
"""

from __future__ import annotations

from kit.dataset import Dataset
from kit.dates import last_complete_month, month_start, shift
from kit.i18n import check_lang
from kit.io.options import load, load_options
from kit.scorecard import report_dataset
from kit.story.context import ReportContext
from kit.story.dashboard import DASHBOARD_DEBOUNCE
from kit.story.display import Collector, Display
from kit.story.figures import mdates_num, tidy
from kit.story.report import Report
from kit.story.results import flag_differences
from kit.story.table import Table, issue_table
from kit.story.texts import HIDDEN_WHEN_ZERO, NOTEBOOKS, WORDS, month_abbr_year, word


def in_voila() -> bool:
    """Whether the code runs in a kernel started by Voilà (which sets ``SERVER_SOFTWARE``
    or, for a pre-heated kernel, ``VOILA_BASE_URL``).

    The dashboard notebook shows its static results (kept by papermill and the HTML
    export) only outside Voilà, where the interactive dashboard shows the same.

    Examples
    --------
    >>> import os
    >>> in_voila() == (os.environ.get("SERVER_SOFTWARE", "").startswith("voila/")
    ...                or "VOILA_BASE_URL" in os.environ)
    True
    """
    import os

    return os.environ.get("SERVER_SOFTWARE", "").startswith("voila/") or "VOILA_BASE_URL" in os.environ


def open_report(data, *, month: str = "", history: int = 12, team: str = "", lang: str = "en",
                preset: str = "", mapping: str = "", currency: str = "", as_of: str = "",
                locale: str = "", display: Display | None = None, **load_kw) -> Report:
    """Load ``data`` as known at the end of ``month``, for ``team``, and open its :class:`Report`.

    Parameters
    ----------
    data : str, path, dict or Dataset
        A folder, a database URL, a dict of frames (see :func:`kit.load_dataset`), or
        a loaded dataset.
    month : str
        ``"YYYY-MM"``; empty: the last complete month of the data.
    history : int
        Months shown in trends.
    team : str
        Empty for every team.
    lang : {"en", "fr"}
    preset : str
        CRM export preset (``"hubspot"``, ``"salesforce"``, ``"pipedrive"``) or the
        path of a preset file; empty for files that follow the data contract.
    mapping, currency, as_of, locale : str
        Passed to :func:`kit.load_dataset` (the YAML mapping file, the ISO code of
        the amounts' currency, the end of the data, how to read numbers and dates);
        empty: its defaults. Every notebook and ``kit report`` load through here
        (:func:`kit.io.options.load`).
    display : Display, optional
        Where the sections show their results; default: the notebook (:class:`Display`).
    **load_kw
        Passed to :func:`kit.load_dataset`.

    Raises
    ------
    ParameterError
        For a month that is not ``YYYY-MM``, an unknown team or language.

    Examples
    --------
    >>> import pandas as pd, kit
    >>> ds = kit.Dataset({"opportunities": pd.DataFrame({"opportunity_id": ["O1", "O2", "O3"],
    ...     "status": ["won", "lost", "won"], "rep_id": ["R1", "R1", "R2"],
    ...     "closed_at": pd.to_datetime(["2026-09-05", "2026-10-09", "2026-11-02"])})},
    ...     as_of="2026-11-15")
    >>> rep = open_report(ds, month="2026-10")
    >>> str(rep.month.date()), str(rep.ds.as_of)
    ('2026-10-01', '2026-10-31 23:59:59.999999')
    """
    check_lang(lang)
    load_kw = load_options(preset=preset, mapping=mapping, currency=currency, as_of=as_of,
                           locale=locale, **load_kw)
    if month in ("", None):
        ds = data if isinstance(data, Dataset) else load(data, **load_kw)
        month = last_complete_month(ds)
        data = ds
    else:
        month = month_start(month).strftime("%Y-%m")
    ds = report_dataset(data, month, team or "", **load_kw)
    return Report(ds, month=month, history=history, team=team or "", lang=lang, display=display)


__all__ = ["DASHBOARD_DEBOUNCE", "HIDDEN_WHEN_ZERO", "NOTEBOOKS", "Collector", "Display", "Report",
           "ReportContext", "Table", "WORDS", "flag_differences", "in_voila", "issue_table",
           "mdates_num", "month_abbr_year", "month_start", "open_report", "shift", "tidy", "word"]
