"""One engine in its own process: load once, then run timed tasks on request.

The driver (:mod:`bench.__main__`) starts one worker per engine and sends them
tasks in turn, so that runs of different engines are interleaved in time while each
engine's peak memory (RSS high-water mark of its process) stays its own.

Tasks: ``suite`` (every registered KPI with its default options), ``kit_refs`` (the
eight reference KPIs through the kit), ``hand_refs`` (the same in DuckDB SQL or
pandas, checked equal to the kit's results), ``rss``.
"""

from __future__ import annotations

import gc
import resource
import time
import traceback
import warnings
from pathlib import Path

from bench.references import REFERENCES, run_sql, same

HAND = {"duckdb": "duckdb-sql", "pandas": "pandas-hand"}


def peak_rss_mib() -> float:
    """High-water mark of this process's resident memory, in MiB (Linux: KiB units)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class Engine:
    """The dataset of one backend and the tasks timed on it."""

    def __init__(self, path: str, backend: str):
        import kit

        self.path, self.backend = Path(path), backend
        t0 = time.perf_counter()
        self.ds = kit.load_dataset(self.path, backend=backend)
        self.load_s = time.perf_counter() - t0
        self.kit_results = {}
        self.con = None
        if backend == "duckdb":
            import duckdb

            from kit.io.output import MEMORY_LIMIT

            self.con = duckdb.connect()
            self.con.execute("SET TimeZone = 'UTC'")
            # the same memory limit as the kit's DuckDB backend: a fair race, and the
            # process's peak memory stays that of an out-of-core run
            self.con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
            for f in sorted(self.path.glob("*.parquet")):
                self.con.execute(f"CREATE VIEW {f.stem} AS SELECT * FROM read_parquet('{f}')")

    def suite(self) -> dict:
        import kit
        from kit import registry

        failures, per_kpi = {}, {}
        t0 = time.perf_counter()
        for name in registry.names():
            t = time.perf_counter()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    kit.compute(self.ds, name)
            except Exception as exc:  # reported, the suite goes on
                failures[name] = f"{type(exc).__name__}: {exc}"[:300]
            per_kpi[name] = time.perf_counter() - t
        return {"seconds": time.perf_counter() - t0, "failures": failures, "per_kpi": per_kpi}

    def kit_refs(self) -> dict:
        import kit

        out = {}
        for ref in REFERENCES:
            t = time.perf_counter()
            self.kit_results[ref.name] = kit.compute(self.ds, ref.kpi, **ref.options)
            out[ref.name] = time.perf_counter() - t
        return {"seconds": sum(out.values()), "per_ref": out}

    def hand_refs(self) -> dict:
        out, equal, diffs = {}, {}, {}
        tables = self.ds.tables if self.backend == "pandas" else None
        for ref in REFERENCES:
            t = time.perf_counter()
            if self.backend == "duckdb":
                res = run_sql(self.con, ref, self.ds.as_of)
            else:
                res = ref.pandas(tables, self.ds.as_of)
            out[ref.name] = time.perf_counter() - t
            if ref.name in self.kit_results:
                ok, diff = same(self.kit_results[ref.name], res, ref)
                equal[ref.name] = ok
                if not ok:
                    diffs[ref.name] = diff
        return {"seconds": sum(out.values()), "per_ref": out, "equal": equal, "diffs": diffs}


def serve(conn, path: str, backend: str) -> None:
    """Worker loop: answer ``(task,)`` messages on ``conn`` until ``("stop",)``."""
    try:
        engine = Engine(path, backend)
        conn.send({"ok": True, "load_s": engine.load_s, "rss": peak_rss_mib()})
    except Exception:
        conn.send({"ok": False, "error": traceback.format_exc()})
        return
    while True:
        (task,) = conn.recv()
        if task == "stop":
            break
        try:
            gc.collect()
            res = getattr(engine, task)()
            res.update(ok=True, rss=peak_rss_mib())
        except Exception:
            res = {"ok": False, "error": traceback.format_exc(), "rss": peak_rss_mib()}
        conn.send(res)
