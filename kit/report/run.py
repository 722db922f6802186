"""``run_report``: the monthly batch report (README, "Monthly reports").

For each month, every selected notebook runs with papermill in a pool of worker
processes, under one progress bar. A month is written into a temporary folder next
to its target (``reports/.2026-10.xxxx.tmp``) and moved to ``reports/2026-10`` only
when every notebook and the KPI summary succeeded; otherwise what was produced
goes to ``reports/2026-10.failed`` and an earlier ``reports/2026-10`` stays as it
was. ``reports/index.html`` is rewritten at the end.

Everything that can be checked before running is checked first (month format,
notebook names and parameters, data loading, months with data, team), so a typo
costs seconds, not a batch.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import sys
import tempfile
import traceback
import uuid
import warnings
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import narwhals as nw

from kit.errors import ParameterError, ReportError
from kit.frames import to_pandas
from kit.i18n import check_lang
from kit.io.cache import ENV
from kit.io.options import LOAD_OPTIONS, absolute_paths, load, load_options
from kit.report import notebooks as nbs
from kit.report.execute import RunResult, Task, run_one, start_worker
from kit.report.index import LOG_NAME, write_index
from kit.report.summary import top_contributions, write_summary
from kit.scorecard import (filter_team, last_complete_month, month_bounds, month_range, report_dataset,
                           scorecard)

#: Parameters passed to a notebook when its parameters cell declares them.
PASSED = ("data", "month", "team", "lang") + LOAD_OPTIONS


@dataclass
class Report:
    """What :func:`run_report` produced."""

    out: Path
    months: list
    folders: list = field(default_factory=list)
    results: list = field(default_factory=list)
    index: Path | None = None


@contextlib.contextmanager
def _load_cache():
    """``KIT_LOAD_CACHE`` set to a temporary folder for the run (unless the user set one).

    The parent loads the data first and stores it there; every notebook kernel
    (which inherits the variable) then reads it back instead of loading and
    checking the files again (see :mod:`kit.io.cache`).
    """
    if os.environ.get(ENV, "").strip():
        yield
        return
    folder = tempfile.mkdtemp(prefix="kit-load-cache.")
    os.environ[ENV] = folder
    try:
        yield
    finally:
        os.environ.pop(ENV, None)
        shutil.rmtree(folder, ignore_errors=True)


@_load_cache()
def run_report(month=None, to=None, data="data/sample", preset=None, out="reports", lang="en",
               team="", jobs=2, notebooks=None, timeout=600, progress=True,
               notebook_dir=None, mapping=None, currency=None, as_of=None,
               locale=None) -> Report:
    """Run the report notebooks for each month from ``month`` to ``to`` and write the reports.

    Parameters
    ----------
    month : str, optional
        First month, ``"YYYY-MM"``; empty or None: the last complete month of the data.
    to : str, optional
        Last month (included); default ``month``.
    data : str or path
        Folder or database URL of the dataset (made absolute for the notebooks).
    preset : str, optional
        CRM export preset passed to :func:`kit.load_dataset`.
    mapping, currency, as_of, locale : optional
        Passed to :func:`kit.load_dataset` in this process and to every notebook
        that declares them (a relative ``mapping`` path is made absolute); empty
        or None: the defaults of ``load_dataset``. A notebook that does not
        declare an option given here is an error (it would load other data).
    out : str or path
        Report folder: ``out/YYYY-MM/`` per month and ``out/index.html``. Reports of
        one team go to the same month folders: give each team its own ``out``.
    lang : {"en", "fr"}
    team : str
        Restrict every notebook and the KPI summary to one team; empty: all teams.
    jobs : int
        Notebooks run at the same time (worker processes).
    notebooks : str or list, optional
        Numbers or names (``"00,01"``); default: every numbered notebook.
    timeout : float
        Seconds a single cell may run before its notebook is stopped.
    progress : bool
        Show one progress bar over all (month x notebook) runs on stderr.
    notebook_dir : str or path, optional
        Folder of the notebooks; default ``./notebooks`` or the project's.

    Returns
    -------
    Report
        The month folders written, every run's :class:`~kit.report.execute.RunResult`
        and the index path.

    Raises
    ------
    ReportError
        Before running anything: a malformed month, an unknown notebook, a notebook
        without ``data``/``month`` parameters, a month without data, an unknown
        team, bad ``lang``/``jobs``/``timeout``. After running: when any notebook
        or the summary failed, naming the notebook, the cell and the parameters
        (tracebacks go to the month's ``report.log``); the exception's ``report``
        attribute holds the :class:`Report`.
    DataError
        When the dataset cannot be loaded.

    Examples
    --------
    >>> run_report("2026-13", progress=False)
    Traceback (most recent call last):
    ...
    kit.errors.ReportError: month='2026-13' is not a month: the month number must be 01 to 12. ...
    """
    _check_options(lang, jobs, timeout)
    months_given = _parse_months(month, to)
    folder = nbs.notebook_dir(notebook_dir)
    chosen = nbs.select_notebooks(nbs.available(folder), notebooks)
    if not chosen:
        raise ReportError(
            f"no notebook to run: {folder} holds no numbered notebook (00-....ipynb). "
            "Name the notebooks to run with notebooks= / --notebooks."
        )
    source = _absolute_source(data)
    options = absolute_paths(load_options(preset=preset, mapping=mapping, currency=currency,
                                          as_of=as_of, locale=locale))
    declared = {p: nbs.check_parameters(p, passed=options) for p in chosen}
    # the workers start (and import papermill) while this process loads the data
    pool = _start_pool(min(int(jobs), len(chosen) * max(1, len(months_given))))
    try:
        ds = _load(source, options)
        months = months_given or [last_complete_month(ds)]
        _check_months(ds, months, source)
        try:
            filter_team(ds, team)
        except ParameterError as exc:
            raise ReportError(str(exc)) from None
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise

    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    report = Report(out=out, months=months)
    pending = {m: len(chosen) for m in months}
    by_month: dict[str, list] = {m: [] for m in months}
    summary_errors: dict[str, str] = {}
    summary_notes: dict[str, str] = {}
    tmp: dict[str, Path] = {}
    bar = _progress_bar(len(months) * len(chosen), progress)
    try:
        for m in months:
            tmp[m] = Path(tempfile.mkdtemp(prefix=f".{m}.", suffix=".tmp", dir=out))
        tasks = [Task(month=m, notebook=str(p), out_dir=str(tmp[m]),
                      parameters=_parameters(declared[p], source, m, team, lang, options),
                      timeout=float(timeout), cwd=str(folder))
                 for m in months for p in chosen]
        futures = {pool.submit(run_one, t): t for t in tasks}
        for m in months:  # the parent computes the KPI summary while the workers run
            summary_errors[m], summary_notes[m] = _write_kpis(ds, m, team, lang, tmp[m])
        remaining = set(futures)
        while remaining:
            done, remaining = wait(remaining, return_when=FIRST_COMPLETED)
            for fut in done:
                task = futures[fut]
                res = _result_of(fut, task)
                by_month[task.month].append(res)
                report.results.append(res)
                bar.update(1)
                bar.set_postfix_str(f"{task.month} {Path(task.notebook).stem} "
                                    f"{'ok' if res.ok else 'FAILED'}", refresh=False)
                pending[task.month] -= 1
                if pending[task.month] == 0:
                    report.folders.append(_finish_month(
                        out, task.month, tmp[task.month], by_month[task.month], chosen,
                        summary_errors[task.month], summary_notes[task.month], source))
    finally:
        bar.close()
        # on an interruption: drop the runs not started, wait for the running ones
        # (their kernels are shut down properly), then remove what they wrote
        pool.shutdown(wait=True, cancel_futures=True)
        for path in tmp.values():
            shutil.rmtree(path, ignore_errors=True)
    report.folders.sort()
    report.index = write_index(out, lang)
    failures = [r for r in report.results if not r.ok]
    bad_months = [m for m in months if summary_errors[m] or any(not r.ok for r in by_month[m])]
    if bad_months:
        exc = ReportError(_failure_message(out, months, failures, summary_errors, bad_months,
                                           len(report.results)))
        exc.report = report
        raise exc
    return report


# -- checks before running -------------------------------------------------------------

def _check_options(lang, jobs, timeout) -> None:
    try:
        check_lang(lang)
    except ParameterError as exc:
        raise ReportError(str(exc)) from None
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ReportError(f"jobs={jobs!r} must be a whole number of at least 1 (received {jobs!r}). "
                          "Two jobs use both cores of a small machine: --jobs 2.")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        raise ReportError(f"timeout={timeout!r} must be a number of seconds above 0. "
                          "Pass e.g. --timeout 600.")


def _parse_months(month, to) -> list[str]:
    try:
        if not month:
            if to:
                raise ReportError(f"to={to!r} was given without month; pass the first month too "
                                  "(e.g. --month 2026-10 --to 2026-12).")
            return []
        return month_range(month, to or month)
    except ParameterError as exc:
        raise ReportError(str(exc)) from None


def _absolute_source(data) -> str:
    text = str(data)
    if "://" in text:
        return text
    return str(Path(text).expanduser().resolve())


def _load(source: str, options: dict):
    return load(source, **options)


def _date_span(ds):
    """Per table with a date column: (name, date column) pairs, plus overall min and max."""
    span = ds.date_span(main_only=True, skip=("products",))
    cols = list(zip(span["table"], span["column"]))
    known = span.dropna(subset=["first"])
    if not len(known):
        return cols, None, None
    return cols, known["first"].min(), known["last"].max()


def _rows_in(ds, cols, start, end) -> int:
    n = 0
    for name, col in cols:
        f = nw.from_native(ds.tables[name])
        f = f.filter((nw.col(col) >= nw.lit(start.to_pydatetime()))
                     & (nw.col(col) < nw.lit(end.to_pydatetime()))).select(nw.len().alias("n"))
        n += int(to_pandas(f)["n"].iloc[0])
        if n:
            break
    return n


def _check_months(ds, months, source) -> None:
    cols, lo, hi = _date_span(ds)
    if lo is None and ds.tables:  # tables without a row yet: every notebook says so, month by month
        return
    empty = [m for m in months if lo is None or _rows_in(ds, cols, *month_bounds(m)) == 0]
    if empty:
        span = (f"its dates run from {lo:%Y-%m} to {hi:%Y-%m}" if lo is not None
                else "it has no dated row at all")
        which = f"month {empty[0]} has" if len(empty) == 1 else f"months {', '.join(empty)} have"
        raise ReportError(
            f"{which} no data in {source}: {span}. Choose months in that range "
            f"(--month YYYY-MM [--to YYYY-MM]), or leave --month out for the last complete month."
        )
    late = [m for m in months if ds.as_of is not None and month_bounds(m)[0] > ds.as_of]
    if late:
        raise ReportError(
            f"month {late[0]} starts after the end of the data (as_of {ds.as_of:%Y-%m-%d %H:%M}): "
            "nothing of it is known then. Choose months up to that date, or a later --as-of."
        )


def _parameters(declared: dict, source, month, team, lang, options=None) -> dict:
    values = {"data": source, "month": month, "team": team or "", "lang": lang}
    values.update({k: str(v) for k, v in (options or {}).items() if k in LOAD_OPTIONS})
    return {k: values.get(k, "") for k in PASSED if k in declared}


# -- running -----------------------------------------------------------------------------

def _progress_bar(total: int, show: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="kit report", unit="notebook", disable=not show,
                file=sys.stderr, leave=True, dynamic_ncols=True)


def _start_pool(workers: int) -> ProcessPoolExecutor:
    """``workers`` worker processes (spawned), started now rather than at the first notebook."""
    workers = max(1, workers)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=start_worker)
    for _ in range(workers):  # a process is spawned per task submitted while none is idle
        pool.submit(int)
    return pool


def _result_of(fut, task: Task) -> RunResult:
    try:
        return fut.result()
    except Exception as exc:  # the worker process itself died
        return RunResult(task.month, task.notebook, False, 0.0, dict(task.parameters),
                         error=f"{type(exc).__name__}: {exc}",
                         traceback="".join(traceback.format_exception(exc)))


def _write_kpis(ds, month, team, lang, folder: Path) -> tuple[str, str]:
    """Write kpis.json/csv for ``month``; return (error traceback or "", notes)."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            cut = report_dataset(ds, month, team=team)
            # team= again on the team's cut (a no-op filter): the rows say which KPIs the
            # team restricts (scope "team") and which stay those of all teams ("all")
            sc = scorecard(cut, month, lang=lang, team=team or None)
            why = top_contributions(cut, sc, month, lang=lang)
            write_summary(sc, folder, month=month, team=team, lang=lang, as_of=cut.as_of,
                          currency=getattr(ds, "currency", "EUR"), contributions=why)
        notes = "\n".join(f"{w.category.__name__}: {w.message}" for w in caught)
        return "", notes
    except Exception:
        return traceback.format_exc(), ""


def _finish_month(out: Path, month: str, tmp: Path, results, chosen, summary_error: str,
                  notes: str, source: str) -> Path:
    order = {str(p): i for i, p in enumerate(chosen)}
    results = sorted(results, key=lambda r: order.get(r.notebook, 0))
    ok = not summary_error and all(r.ok for r in results)
    (tmp / LOG_NAME).write_text(_log_text(month, results, summary_error, notes, source, ok),
                                encoding="utf-8")
    target = out / month
    failed = out / f"{month}.failed"
    if ok:
        _replace_dir(tmp, target)
        shutil.rmtree(failed, ignore_errors=True)
        return target
    _replace_dir(tmp, failed)
    return failed


def _replace_dir(src: Path, target: Path) -> None:
    """Move ``src`` to ``target``, replacing it; the old one is removed only after the move."""
    if target.exists():
        old = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.old")
        os.replace(target, old)
        os.replace(src, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(src, target)


def _log_text(month, results, summary_error, notes, source, ok) -> str:
    lines = [f"kit report {month}: {'complete' if ok else 'FAILED'}", f"data: {source}", ""]
    for r in results:
        lines.append(("== " if r.ok else "!! ") + r.summary()
                     + ("" if r.ok else f" (after {r.seconds:.1f} s)"))
        if not r.ok and r.traceback:
            lines += ["-- traceback --", r.traceback.rstrip()]
        if r.console:
            lines += ["-- console --", r.console.rstrip()]
        lines.append("")
    if summary_error:
        lines += ["!! kpis.json / kpis.csv failed", "-- traceback --", summary_error.rstrip(), ""]
    else:
        lines.append("== kpis.json / kpis.csv written")
        if notes:
            lines += ["-- notes --", notes]
    return "\n".join(lines) + "\n"


def _failure_message(out, months, failures, summary_errors, bad_months, n_runs) -> str:
    lines = [
        f"the report failed for {len(bad_months)} of {len(months)} month(s) "
        f"({len(failures)} of {n_runs} notebook runs failed). A month with a failure was not put "
        f"in place: an earlier report of that month is unchanged, and what was produced is in "
        f"{out}/MONTH.failed/."
    ]
    for r in failures:
        lines.append(f"  {r.month}: {r.summary()}")
    for m in bad_months:
        if summary_errors[m]:
            last = summary_errors[m].strip().splitlines()[-1]
            lines.append(f"  {m}: kpis.json/kpis.csv failed with {last}")
    logs = ", ".join(str(out / f"{m}.failed" / LOG_NAME) for m in bad_months)
    lines.append(f"Full tracebacks: {logs}. Fix the cause and run the same command again.")
    return "\n".join(lines)
