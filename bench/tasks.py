"""Bench tasks that run in a fresh process each: loading, widget refresh.

``python -m bench.tasks load PATH BACKEND`` loads a dataset folder and prints one
JSON line (seconds, peak RSS in MiB); ``python -m bench.tasks load_ref PATH BACKEND``
does the same with the hand-written DuckDB SQL of :mod:`bench.load_reference`
(Parquet folders). ``python -m bench.tasks sample PATH BACKEND`` times the first
load of a fresh process (``kit`` already imported) and a second one.
``python -m bench.tasks scorecard PATH BACKEND
RUNS`` times :func:`kit.scorecard.scorecard` of the last complete month as the
dashboard redraws it on a filter change (a new team each time, after a first
untimed call). ``python -m bench.tasks widget PATH BACKEND
RUNS`` builds the KPI explorer with its filter bar (no browser), then changes the
team filter ``RUNS`` times; each change recomputes the KPI table and redraws the
figure, and its time is printed.
"""

from __future__ import annotations

import json
import sys
import time

from bench.worker import peak_rss_mib


def load(path: str, backend: str) -> dict:
    import kit

    t0 = time.perf_counter()
    ds = kit.load_dataset(path, backend=backend)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "rss": peak_rss_mib(), "rows": {t: None for t in ds.tables}}


def sample(path: str, backend: str) -> dict:
    import kit

    times = []
    for _ in range(2):  # the first load of a process (DuckDB imported, caches cold), then another
        t0 = time.perf_counter()
        kit.load_dataset(path, backend=backend)
        times.append(time.perf_counter() - t0)
    return {"seconds": times[0], "second_s": times[1], "rss": peak_rss_mib()}


def load_ref(path: str, backend: str) -> dict:
    from bench.load_reference import load_reference

    t0 = time.perf_counter()
    out = load_reference(path, backend)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "rss": peak_rss_mib(), "rows": {t: None for t in out["tables"]}}


def widget(path: str, backend: str, runs: int) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import kit
    from kit.widgets import kpi_explorer

    ds = kit.load_dataset(path, backend=backend)
    ex = kpi_explorer(ds, kpis=["revenue"], debounce=0.0)  # first draw, not timed
    teams = [v for _, v in ex.filter_bar.team.options][1:]
    times = []
    for i in range(runs):
        team = teams[i % len(teams)]
        t0 = time.perf_counter()
        ex.filter_bar.team.value = team  # a change made by code recomputes at once
        ex.flush()
        times.append(time.perf_counter() - t0)
        if ex.result is None or len(ex.result) == 0 or not ex.image.value:
            raise RuntimeError(f"the explorer showed nothing for team={team!r}: {ex.status.value}")
    return {"times": times, "rss": peak_rss_mib(), "kpi": ex.kpi.value, "freq": ex.freq.value}


def scorecard(path: str, backend: str, runs: int) -> dict:
    import kit
    from kit.scorecard import last_complete_month, scorecard as card, teams

    ds = kit.load_dataset(path, backend=backend)
    month = last_complete_month(ds)
    card(ds, month)  # first call pays the imports (statsmodels...), not timed
    choices = [None] + teams(ds)
    times, cpu = [], []
    for i in range(runs):
        team = choices[(i + 1) % len(choices)]
        t0, c0 = time.perf_counter(), time.process_time()
        out = card(ds, month, team=team)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        if out.empty:
            raise RuntimeError(f"empty scorecard for {month}, team={team!r}")
    return {"times": times, "cpu": cpu, "rss": peak_rss_mib(), "month": month, "rows": len(out)}


if __name__ == "__main__":  # pragma: no cover
    what = sys.argv[1]
    if what == "load":
        res = load(sys.argv[2], sys.argv[3])
    elif what == "sample":
        res = sample(sys.argv[2], sys.argv[3])
    elif what == "load_ref":
        res = load_ref(sys.argv[2], sys.argv[3])
    elif what == "widget":
        res = widget(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif what == "scorecard":
        res = scorecard(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        raise SystemExit(f"unknown task {what!r}: use load, load_ref, sample, widget or scorecard")
    print("BENCH-JSON " + json.dumps(res))
