"""``python -m bench`` end to end on a small dataset: references equal, files written.

The timings themselves are not checked here (DEVELOPERS: speed is the bench's job);
this catches a bench that no longer runs or whose hand-written references drift
from the kit.
"""

from __future__ import annotations

import json

import pytest

from bench.__main__ import main
from bench.results import targets


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    code = main(["--leads", "1500", "--runs", "1", "--only", "suite,refs,load",
                 "--json", str(out / "results.json"), "--results", str(out / "RESULTS.md")])
    return code, json.loads((out / "results.json").read_text()), (out / "RESULTS.md").read_text()


def test_references_equal_the_kit_on_both_engines(small_run):
    code, summary, _ = small_run
    assert code == 0 and summary["equal"] is True
    engines = {d["engine"] for d in summary["equal_detail"]}
    assert engines == {"duckdb-sql", "pandas-hand"} and len(summary["equal_detail"]) == 16
    assert not summary["suite_failures"]


def test_rows_and_ratios_have_the_documented_fields(small_run):
    _, summary, _ = small_run
    tasks = {(r["task"], r["engine"]) for r in summary["rows"]}
    for engine in ("kit-pandas", "kit-polars", "kit-duckdb"):
        assert ("kit-suite", engine) in tasks and ("load-parquet", engine) in tasks
    assert {("refs-8", "duckdb-sql"), ("refs-8", "pandas-hand")} <= tasks
    for r in summary["rows"]:
        assert {"task", "engine", "leads", "median_s", "peak_rss_mib"} <= set(r)
        assert r["median_s"] > 0
        if not r["task"].startswith("ref:"):  # per-reference rows have no process of their own
            assert r["peak_rss_mib"] > 0
    names = {r["ratio"] for r in summary["ratios"] if r["task"] == "refs-8"}
    assert names == {"kit-duckdb/duckdb-sql", "kit-pandas/pandas-hand"}


def test_results_page_lists_every_target(small_run):
    _, summary, page = small_run
    rows = targets(summary)
    assert len(rows) >= 7 and all(v in ("met", "missed", "not measured") or v.startswith("for information") for _, _, v in rows)
    assert "## Targets" in page and "kit on DuckDB <= 1.3x DuckDB SQL" in page
    assert "References equal to the kit: **True**" in page


def test_unknown_task_is_refused(capsys):
    with pytest.raises(SystemExit):
        main(["--only", "suite,nope"])
    assert "unknown task(s) ['nope']; allowed: suite, refs, load" in capsys.readouterr().err
