"""``python -m bench``: the kit against hand-written DuckDB SQL and pandas.

    python -m bench --leads 100000 1000000 --runs 3 [--json bench/results.json]
                    [--only suite,refs,load,sample,widget,scorecard,report] [--csv-max 100000]
                    [--make-test SECONDS]

For each size the datasets are generated once with ``python -m kit.sample`` and
cached under ``bench/data/`` (git-ignored). Then, run after run, interleaved:

* ``kit-suite``: every registered KPI (default options) through the kit, one
  worker process per backend (pandas, polars, DuckDB) in turn, data loaded once;
* ``kit-refs`` / ``duckdb-sql`` / ``pandas-hand``: eight reference KPIs through the
  kit and by hand, results checked equal;
* ``load-parquet`` / ``load-csv``: ``kit.load_dataset`` per backend, a fresh process
  per load (clean peak memory); for Parquet, the same load by hand-written DuckDB SQL
  with the same checks (:mod:`bench.load_reference`, engines ``ref-<backend>``), and
  the ratio kit / reference of each backend;
* ``sample-load``: ``kit.load_dataset("data/sample")``, the first load of a fresh
  process (``kit`` imported before the clock starts; ``sample-load-second``: a
  second load in the same process);
* ``widget-refresh`` (100,000 leads): a filter change recomputing the KPI table and
  figure of the explorer, no browser;
* ``scorecard``: the headline scorecard of the last complete month of data/sample
  as the dashboard redraws it on a team change (pandas and DuckDB backends);
* ``report``: ``kit report`` for one month of data/sample with 1 and 2 jobs;
* ``make-test``: the time of a ``make test`` run after a fresh install, given with
  ``--make-test SECONDS`` (recorded elsewhere: the bench does not run the tests).

The ratio of the kit suite on pandas to the kit suite on DuckDB (``kit-pandas/kit-duckdb``)
is taken from the medians of the same run.

Medians, ratios measured in the same run and peak RSS go to ``--json`` and to
``bench/RESULTS.md`` (with the machine it ran on).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.references import REFERENCES
from bench.results import SAMPLE_LEADS, write_results

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
ENGINES = ("pandas", "polars", "duckdb")
TASKS = ("suite", "refs", "load", "sample", "widget", "scorecard", "report")
WIDGET_LEADS = 100_000


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- data


def dataset(leads: int, fmt: str) -> Path:
    """Folder of the sample dataset with ``leads`` leads in ``fmt``, generated once."""
    folder = DATA / f"leads-{leads}" if fmt == "parquet" else DATA / f"leads-{leads}-{fmt}"
    done = folder / ".complete"
    if not done.exists():
        log(f"generating {leads:,} leads as {fmt} in {folder} ...")
        subprocess.run([sys.executable, "-m", "kit.sample", "--leads", str(leads), "--out", str(folder),
                        "--format", fmt, "--quiet"], check=True, cwd=ROOT)
        done.write_text(time.strftime("%Y-%m-%d %H:%M:%S"))
    return folder


# --------------------------------------------------------------------------- measuring


def run_child(args: list[str]) -> tuple[float, float, str]:
    """Run a command; return (seconds, peak RSS of the child in MiB, stdout)."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out:
        proc = subprocess.Popen(args, cwd=ROOT, stdout=out, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "PYTHONWARNINGS": "ignore"})
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - t0
        out.seek(0)
        text = out.read()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}):\n{err[-3000:]}")
    return seconds, usage.ru_maxrss / 1024.0, text


def child_json(args: list[str]) -> dict:
    _, rss, text = run_child(args)
    line = [ln for ln in text.splitlines() if ln.startswith("BENCH-JSON ")][-1]
    res = json.loads(line[len("BENCH-JSON "):])
    res.setdefault("rss", rss)
    return res


class Worker:
    """A running :func:`bench.worker.serve` process for one backend."""

    def __init__(self, path: Path, backend: str):
        from bench.worker import serve

        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.backend = backend
        self.proc = ctx.Process(target=serve, args=(child, str(path), backend), daemon=True)
        self.proc.start()
        child.close()  # so that a worker that dies (out of memory...) ends recv() with EOFError
        self.ready = self._recv("loading")
        if not self.ready["ok"]:
            raise RuntimeError(f"{backend} worker could not load {path}:\n{self.ready['error']}")

    def _recv(self, what: str) -> dict:
        try:
            return self.conn.recv()
        except EOFError:
            self.proc.join(timeout=10)
            raise RuntimeError(f"the {self.backend} worker died while {what} (exit code "
                               f"{self.proc.exitcode}; -9 is usually the kernel's out-of-memory "
                               "killer)") from None

    def __call__(self, task: str) -> dict:
        self.conn.send((task,))
        res = self._recv(task)
        if not res["ok"]:
            raise RuntimeError(f"{self.backend} worker failed on {task}:\n{res['error']}")
        return res

    def stop(self):
        self.conn.send(("stop",))
        self.proc.join(timeout=60)


# --------------------------------------------------------------------------- the bench


class Recorder:
    """Timings per (task, engine, leads), equality checks and notes."""

    def __init__(self):
        self.times, self.rss, self.extra = {}, {}, {}
        self.equal, self.diffs, self.failures, self.errors = {}, {}, {}, {}

    def add(self, task, engine, leads, seconds, rss=None):
        key = (task, engine, leads)
        self.times.setdefault(key, []).append(seconds)
        if rss is not None:
            self.rss[key] = max(self.rss.get(key, 0.0), rss)

    def error(self, task, engine, leads, exc):
        self.errors[(task, engine, leads)] = str(exc)[-1500:]
        log(f"ERROR {task} {engine} {leads}: {str(exc)[-400:]}")

    def rows(self):
        out = []
        for (task, engine, leads), ts in sorted(self.times.items(), key=lambda kv: (kv[0][2], kv[0][0], kv[0][1])):
            rss = self.rss.get((task, engine, leads))
            out.append({"task": task, "engine": engine, "leads": leads, "runs": len(ts),
                        "median_s": statistics.median(ts), "min_s": min(ts),
                        "peak_rss_mib": None if rss is None else round(rss, 1)})
        for (task, engine, leads), err in self.errors.items():
            out.append({"task": task, "engine": engine, "leads": leads, "runs": 0, "median_s": None,
                        "min_s": None, "peak_rss_mib": None, "error": err})
        return out


def bench_engines(rec: Recorder, leads: int, runs: int, only: set) -> None:
    """Suite and references, one backend at a time (one worker alive: at 1,000,000 leads
    the pandas and polars workers hold 9 to 12 GiB each, too much side by side).

    The ratios compare the kit and the hand-written reference of one engine, run
    one after the other in the same worker, run after run.
    """
    path = dataset(leads, "parquet")
    for backend in ENGINES:
        if "suite" not in only and backend not in ("pandas", "duckdb"):
            continue  # references only: polars has none
        log(f"{leads:,} leads: starting the {backend} worker (loads the Parquet dataset)")
        try:
            w = Worker(path, backend)
        except Exception as exc:
            rec.error("kit-suite", f"kit-{backend}", leads, exc)
            continue
        try:
            for r in range(runs):
                _engine_run(rec, w, backend, leads, r, only)
            rec.extra[("load-in-worker", f"kit-{backend}", leads)] = w.ready["load_s"]
        finally:
            w.stop()


def _engine_run(rec: Recorder, w: Worker, backend: str, leads: int, r: int, only: set) -> None:
    engine = f"kit-{backend}"
    if "suite" in only:
        try:
            res = w("suite")
            # the peak of load + all KPIs: that of the first run, before the references
            # (hand-written pandas among them) run in the same process and raise it
            rec.add("kit-suite", engine, leads, res["seconds"], res["rss"] if r == 0 else None)
            for name, s in res["per_kpi"].items():
                rec.extra.setdefault(("per_kpi", engine, leads, name), []).append(s)
            if res["failures"]:
                rec.failures[(engine, leads)] = res["failures"]
            log(f"run {r + 1} {engine} suite {res['seconds']:.2f} s, peak {res['rss']:.0f} MiB so far"
                + (f" ({len(res['failures'])} KPIs failed)" if res["failures"] else ""))
        except Exception as exc:
            rec.error("kit-suite", engine, leads, exc)
    if "refs" in only and backend in ("pandas", "duckdb"):
        try:
            k = w("kit_refs")
            h = w("hand_refs")
            hand = {"duckdb": "duckdb-sql", "pandas": "pandas-hand"}[backend]
            rec.add("refs-8", engine, leads, k["seconds"], k["rss"])
            rec.add("refs-8", hand, leads, h["seconds"], h["rss"])
            for name in k["per_ref"]:
                rec.add(f"ref:{name}", engine, leads, k["per_ref"][name])
                rec.add(f"ref:{name}", hand, leads, h["per_ref"][name])
            rec.extra.setdefault(("ratio", f"{engine}/{hand}", leads), []).append(
                k["seconds"] / h["seconds"])
            for name, ok in h["equal"].items():
                rec.equal[(name, hand, leads)] = rec.equal.get((name, hand, leads), True) and ok
            rec.diffs.update({(n, hand, leads): d for n, d in h["diffs"].items()})
            log(f"run {r + 1} refs {engine} {k['seconds']:.2f} s, {hand} {h['seconds']:.2f} s, "
                f"equal {all(h['equal'].values())}")
        except Exception as exc:
            rec.error("refs-8", engine, leads, exc)


def bench_loads(rec: Recorder, leads: int, runs: int, csv_max: int) -> None:
    formats = ["parquet"] + (["csv"] if leads <= csv_max else [])
    paths = {fmt: dataset(leads, fmt) for fmt in formats}
    for r in range(runs):
        for fmt in formats:
            for backend in ENGINES:
                task = f"load-{fmt}"
                try:
                    res = child_json([sys.executable, "-m", "bench.tasks", "load", str(paths[fmt]), backend])
                    rec.add(task, f"kit-{backend}", leads, res["seconds"], res["rss"])
                    log(f"run {r + 1} {task} {backend} {res['seconds']:.2f} s, {res['rss']:.0f} MiB")
                except Exception as exc:
                    rec.error(task, f"kit-{backend}", leads, exc)
                    continue
                if fmt != "parquet":
                    continue
                try:  # the reference, right after the kit: a ratio of the same run
                    ref = child_json([sys.executable, "-m", "bench.tasks", "load_ref", str(paths[fmt]),
                                      backend])
                    rec.add(task, f"ref-{backend}", leads, ref["seconds"], ref["rss"])
                    rec.extra.setdefault(("ratio", f"kit-{backend}/ref-{backend}", leads, task),
                                         []).append(res["seconds"] / ref["seconds"])
                    log(f"run {r + 1} {task} reference {backend} {ref['seconds']:.2f} s, "
                        f"{ref['rss']:.0f} MiB")
                except Exception as exc:
                    rec.error(task, f"ref-{backend}", leads, exc)


def bench_sample(rec: Recorder, runs: int) -> None:
    """``kit.load_dataset("data/sample")`` in a fresh process per run (pandas backend)."""
    for r in range(max(runs, 5)):  # a short task: at least 5 runs for the median
        try:
            res = child_json([sys.executable, "-m", "bench.tasks", "sample", str(ROOT / "data" / "sample"),
                              "pandas"])
            rec.add("sample-load", "kit-pandas", SAMPLE_LEADS, res["seconds"], res["rss"])
            rec.add("sample-load-second", "kit-pandas", SAMPLE_LEADS, res["second_s"])
            log(f"run {r + 1} sample load {res['seconds']:.2f} s (second load {res['second_s']:.2f} s)")
        except Exception as exc:
            rec.error("sample-load", "kit-pandas", SAMPLE_LEADS, exc)


def bench_widget(rec: Recorder, runs: int) -> None:
    path = dataset(WIDGET_LEADS, "parquet")
    for backend in ("pandas", "duckdb"):
        try:
            res = child_json([sys.executable, "-m", "bench.tasks", "widget", str(path), backend,
                              str(max(5, runs * 3))])
            for s in res["times"]:
                rec.add("widget-refresh", f"kit-{backend}", WIDGET_LEADS, s, res["rss"])
            log(f"widget refresh {backend}: median {statistics.median(res['times']) * 1000:.0f} ms "
                f"({res['kpi']}, freq {res['freq']})")
        except Exception as exc:
            rec.error("widget-refresh", f"kit-{backend}", WIDGET_LEADS, exc)


def bench_scorecard(rec: Recorder, runs: int) -> None:
    for backend in ("pandas", "duckdb"):
        try:
            res = child_json([sys.executable, "-m", "bench.tasks", "scorecard", str(ROOT / "data" / "sample"),
                              backend, str(max(5, runs * 3))])
            for s in res["times"]:
                rec.add("scorecard", f"kit-{backend}", SAMPLE_LEADS, s, res["rss"])
            for s in res["cpu"]:
                rec.add("scorecard-cpu", f"kit-{backend}", SAMPLE_LEADS, s)
            log(f"scorecard {backend} ({res['month']}, {res['rows']} KPIs): median "
                f"{statistics.median(res['times']):.2f} s, CPU {statistics.median(res['cpu']):.2f} s")
        except Exception as exc:
            rec.error("scorecard", f"kit-{backend}", SAMPLE_LEADS, exc)


def bench_report(rec: Recorder, runs: int, month: str) -> None:
    kit_cmd = Path(sys.executable).with_name("kit")
    for r in range(runs):
        for jobs in (1, 2):
            with tempfile.TemporaryDirectory() as out:
                args = [str(kit_cmd), "report", "--month", month, "--data", str(ROOT / "data" / "sample"),
                        "--out", out, "--jobs", str(jobs)]
                try:
                    seconds, rss, _ = run_child(args)
                    rec.add("report-1-month", f"jobs={jobs}", SAMPLE_LEADS, seconds, rss)
                    log(f"run {r + 1} kit report --jobs {jobs}: {seconds:.1f} s")
                except Exception as exc:
                    rec.error("report-1-month", f"jobs={jobs}", SAMPLE_LEADS, exc)


def machine() -> dict:
    import duckdb
    import narwhals
    import pandas
    import polars

    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), cpu)
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "python": platform.python_version(),
            "pandas": pandas.__version__, "polars": polars.__version__, "duckdb": duckdb.__version__,
            "narwhals": narwhals.__version__, "load_average_start": os.getloadavg()[0],
            "date": time.strftime("%Y-%m-%d %H:%M")}


def summarise(rec: Recorder, leads_list, runs, info) -> dict:
    rows = rec.rows()
    med = {(r["task"], r["engine"], r["leads"]): r["median_s"] for r in rows if r["median_s"] is not None}
    ratios = []
    for leads in leads_list:
        for kit_engine, hand in (("kit-duckdb", "duckdb-sql"), ("kit-pandas", "pandas-hand")):
            for ref in ["refs-8"] + [f"ref:{r.name}" for r in REFERENCES]:
                a, b = med.get((ref, kit_engine, leads)), med.get((ref, hand, leads))
                if a and b:
                    per_run = rec.extra.get(("ratio", f"{kit_engine}/{hand}", leads)) if ref == "refs-8" else None
                    ratios.append({"task": ref, "ratio": f"{kit_engine}/{hand}", "leads": leads,
                                   "value": a / b,
                                   "median_of_run_ratios": statistics.median(per_run) if per_run else None})
        for backend in ENGINES:  # load: the kit against the hand-written SQL, per backend
            a = med.get(("load-parquet", f"kit-{backend}", leads))
            b = med.get(("load-parquet", f"ref-{backend}", leads))
            if a and b:
                per_run = rec.extra.get(("ratio", f"kit-{backend}/ref-{backend}", leads, "load-parquet"))
                ratios.append({"task": "load-parquet", "ratio": f"kit-{backend}/ref-{backend}",
                               "leads": leads, "value": a / b,
                               "median_of_run_ratios": statistics.median(per_run) if per_run else None})
        a = med.get(("kit-suite", "kit-pandas", leads))
        b = med.get(("kit-suite", "kit-duckdb", leads))
        if a and b:  # every KPI on pandas against DuckDB, medians of the same run
            ratios.append({"task": "kit-suite", "ratio": "kit-pandas/kit-duckdb", "leads": leads,
                           "value": a / b, "median_of_run_ratios": None})
    equal = bool(rec.equal) and all(rec.equal.values())
    return {"machine": info, "runs": runs, "leads": list(leads_list), "rows": rows, "ratios": ratios,
            "equal": equal,
            "equal_detail": [{"reference": n, "engine": e, "leads": lv, "equal": ok,
                              "diff": rec.diffs.get((n, e, lv), "")}
                             for (n, e, lv), ok in sorted(rec.equal.items())],
            "suite_failures": [{"engine": e, "leads": lv, "kpis": f} for (e, lv), f in rec.failures.items()],
            "per_kpi": [{"engine": e, "leads": lv, "kpi": n, "median_s": statistics.median(ts)}
                        for (kind, e, lv, n), ts in
                        ((k, v) for k, v in rec.extra.items() if k[0] == "per_kpi")],
            "load_in_worker_s": [{"engine": k[1], "leads": k[2], "seconds": v}
                                 for k, v in rec.extra.items() if k[0] == "load-in-worker"]}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--leads", type=int, nargs="+", default=[100_000], help="dataset sizes (leads)")
    p.add_argument("--runs", type=int, default=3, help="runs of each task (median reported)")
    p.add_argument("--json", default=str(ROOT / "bench" / "results.json"), help="JSON output file")
    p.add_argument("--only", default=",".join(TASKS), help=f"tasks among {','.join(TASKS)}")
    p.add_argument("--csv-max", type=int, default=100_000, help="largest size whose CSV load is timed")
    p.add_argument("--month", default="2026-10", help="month of the `kit report` task")
    p.add_argument("--make-test", type=float, default=None, metavar="SECONDS",
                   help="time of a recorded `make test` run (fresh install, this machine), shown "
                        "against its target")
    p.add_argument("--results", default=str(ROOT / "bench" / "RESULTS.md"),
                   help="Markdown table to (re)write; '' to skip")
    args = p.parse_args(argv)
    only = set(args.only.split(","))
    unknown = only - set(TASKS)
    if unknown:
        p.error(f"--only: unknown task(s) {sorted(unknown)}; allowed: {', '.join(TASKS)}")
    if args.runs < 1:
        p.error("--runs must be at least 1")
    if args.make_test is not None and args.make_test <= 0:
        p.error(f"--make-test must be a positive number of seconds; received {args.make_test}")
    info = machine()
    log(f"machine: {info}")
    rec = Recorder()
    t0 = time.perf_counter()
    for leads in args.leads:
        if only & {"suite", "refs"}:
            bench_engines(rec, leads, args.runs, only)
        if "load" in only:
            bench_loads(rec, leads, args.runs, args.csv_max)
    if "sample" in only:
        bench_sample(rec, args.runs)
    if "widget" in only:
        bench_widget(rec, args.runs)
    if "scorecard" in only:
        bench_scorecard(rec, args.runs)
    if "report" in only:
        bench_report(rec, args.runs, args.month)
    if args.make_test is not None:
        rec.add("make-test", "recorded", 0, args.make_test)
    info["load_average_end"] = os.getloadavg()[0]
    info["bench_minutes"] = round((time.perf_counter() - t0) / 60, 1)
    summary = summarise(rec, args.leads, args.runs, info)
    Path(args.json).write_text(json.dumps(summary, indent=1, default=str))
    log(f"wrote {args.json}")
    if args.results:
        write_results(summary, Path(args.results))
        log(f"wrote {args.results}")
    return 0 if summary["equal"] or "refs" not in only else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
