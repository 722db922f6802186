"""The data-quality sections: warnings on the tables used, the load's problems, rows kept aside.

The report context comes first (``quality(ctx)``, or ``rep.quality()`` on a
:class:`~kit.story.report.Report`); the tables used so far are ``ctx.used``.

Examples
--------
>>> import pandas as pd
>>> from kit.dataset import Dataset
>>> from kit.story import Collector, ReportContext
>>> ctx = ReportContext(Dataset({}), month="2026-10", display=Collector())
>>> warnings(ctx, ["orders"])
>>> [o.data for o in ctx.display.objects]
['### Data-quality warnings', 'No data-quality problem on the tables used here (orders).']
"""

from __future__ import annotations

import pandas as pd

from kit.i18n import MISSING, format_date_short, format_value
from kit.io.summary import table_summary
from kit.story.context import ReportContext
from kit.story.table import Table, _cells, issue_table
from kit.story.texts import word


def warnings(ctx: ReportContext, tables=None) -> None:
    """Display the errors and warnings of ``ds.issues`` on the tables used so far (or ``tables``).

    Information rows (rows read, tables derived) are left to the data-quality notebook.
    """
    lang = ctx.lang
    tables = sorted(ctx.used if tables is None else set(tables))
    ctx.heading(word("warnings_title", lang))
    issues = ctx.ds.issues
    rows = issues[issues["table"].isin(tables) & issues["severity"].isin(["error", "warning"])] \
        if len(issues) else issues
    if not len(rows):
        ctx.display.markdown(word("no_warnings", lang, tables=", ".join(tables) or MISSING))
        return
    ctx.display.show(issue_table(rows, lang, uid=ctx.uid("issues")))


def rows_frame(ctx: ReportContext) -> pd.DataFrame:
    """Per table: rows read, kept, kept aside, rows in this report and their dates.

    ``read`` and ``rejected`` come from the load (``ds.rows_read``,
    ``ds.rejected``); ``in_report``, ``start`` and ``end`` from the report's
    dataset (up to the end of the month, for the team).

    Examples
    --------
    >>> import pandas as pd, kit
    >>> from kit.story import Report
    >>> ds = kit.load_dataset({"reps": pd.DataFrame({"rep_id": ["R1", "R1", "R2"]})})
    >>> Report(ds, month="2026-10").rows_frame()[["table", "read", "kept", "rejected", "in_report"]].to_dict("records")
    [{'table': 'reps', 'read': 3, 'kept': 2, 'rejected': 1, 'in_report': 2}]
    """
    s = table_summary(ctx.ds)  # read (ds.rows_read), kept (rows here), rejected, dates
    return pd.DataFrame({"table": s["table"], "read": s["read"],
                         "kept": s["read"] - s["rejected"], "rejected": s["rejected"],
                         "in_report": s["kept"], "date_column": s["date column"],
                         "start": s["from"], "end": s["to"]})


def quality(ctx: ReportContext) -> None:
    """Display the rows per table, the load's problems (errors, warnings) and what the loader did (info)."""
    lang = ctx.lang
    issues = ctx.ds.issues
    ctx.heading(word("rows_title", lang))
    ctx.display.markdown(word("rows_help", lang))
    df = rows_frame(ctx)

    shown = pd.DataFrame({
        word("table", lang): df["table"].tolist(),
        word("rows_read", lang): _cells(df["read"], "count", lang),
        word("rows_kept", lang): _cells(df["kept"], "count", lang),
        word("rows_aside", lang): _cells(df["rejected"], "count", lang),
        word("rows_in_report", lang): _cells(df["in_report"], "count", lang),
        word("date_column", lang): [c or MISSING for c in df["date_column"]],
        word("first_date", lang): [format_date_short(v, lang) for v in df["start"]],
        word("last_date", lang): [format_date_short(v, lang) for v in df["end"]]})
    ctx.display.show(Table(shown, uid=ctx.uid("rows"), grey=[v == 0 for v in df["in_report"]]))
    ctx.heading(word("problems_title", lang))
    ctx.display.markdown(word("severity_help", lang))
    problems = issues[issues["severity"].isin(["error", "warning"])] if len(issues) else issues
    if len(problems):
        summary = (problems.groupby(["table", "severity"], as_index=False, observed=True)["count"].sum()
                   .sort_values(["table", "severity"], kind="mergesort"))
        shown = pd.DataFrame({
            word("table", lang): summary["table"].tolist(),
            word("severity", lang): [word(s, lang) for s in summary["severity"]],
            word("count", lang): [format_value(v, "count", lang) for v in summary["count"].astype(float)]})
        ctx.display.show(Table(shown, uid=ctx.uid("issue_summary"), caption=word("issue_summary", lang)))
        ctx.display.show(issue_table(problems, lang, uid=ctx.uid("problems")))
    else:
        ctx.display.markdown(word("no_issue", lang))
    info = issues[~issues.index.isin(problems.index)] if len(issues) else issues
    if len(info):
        ctx.heading(word("info_title", lang))
        ctx.display.show(issue_table(info, lang, uid=ctx.uid("info")))


def rejected(ctx: ReportContext, rows: int = 5) -> None:
    """Display the rows kept aside at load (``ds.rejected``): how many, why, the first ones."""
    lang = ctx.lang
    ctx.heading(word("rejected_title", lang))
    rejected = {k: v for k, v in (ctx.ds.rejected or {}).items() if v is not None and len(v)}
    if not rejected:
        ctx.display.markdown(word("no_rejected", lang))
        return
    for table, frame in rejected.items():
        reasons = frame["_reason"].astype(str).value_counts().sort_index() if "_reason" in frame.columns \
            else pd.Series({MISSING: len(frame)})
        ctx.display.markdown(f"**{table}** — " + word("n_rejected", lang, n=format_value(float(len(frame)), "count", lang)))
        shown = pd.DataFrame({word("reason", lang): reasons.index.astype(str),
                              word("count", lang): [format_value(float(v), "count", lang) for v in reasons]})
        ctx.display.show(Table(shown, uid=ctx.uid(f"rejected_{table}")))
        first = frame.head(rows).astype(object).where(frame.head(rows).notna(), MISSING).astype(str)
        ctx.display.show(Table(first, uid=ctx.uid(f"rejected_rows_{table}")))
