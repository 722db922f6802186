"""Monthly batch reports: papermill runs, HTML without code, KPI summary, index (README, "Monthly reports").

One module per job: :mod:`~kit.report.notebooks` (which notebooks, their
parameters), :mod:`~kit.report.execute` (one papermill run), :mod:`~kit.report.export`
(HTML without code), :mod:`~kit.report.summary` (``kpis.json``/``kpis.csv``),
:mod:`~kit.report.index` (``index.html``) and :mod:`~kit.report.run` (the batch).
The ``kit report`` command itself is in :mod:`kit.cli_report`.

Examples
--------
>>> from kit.report import run_report
>>> run_report("oct", progress=False)
Traceback (most recent call last):
...
kit.errors.ReportError: month='oct' is not a month in the form YYYY-MM ...
"""

from kit.errors import ReportError
from kit.report.index import write_index
from kit.report.run import Report, run_report

__all__ = ["Report", "ReportError", "run_report", "write_index"]
