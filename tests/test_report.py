"""Tests of the monthly batch report: kit.report and the ``kit report`` command.

Papermill runs cost seconds each (a kernel start), so the runs are shared by
module-scoped fixtures and use small notebooks written here, on a small dataset
holding a rep and a team named ``<script>alert(1)</script>``. One test runs the real
``00-scorecard`` notebook on the sample for two months.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from kit.errors import ReportError
from kit.report import run_report
from kit.report.execute import RunResult, _source_index, first_line
from kit.report.index import write_index
from kit.report.notebooks import select_notebooks
from tests.conftest import ROOT, SAMPLE

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG = "<img src=x onerror=alert(1)>"
#: Appears only in code cells: it must never reach an HTML page.
CODE_MARK = "code_only_marker_7f3a"

PARAMETERS = '''\
data: str = "../data/sample"  # folder or database URL of the dataset
month: str = ""  # report month YYYY-MM; empty: the last complete month in the data
history: int = 12  # months shown in trends
team: str = ""  # restrict to one team; empty: all teams
lang: str = "en"  # labels and number format: "en" or "fr"'''


# -- helpers ---------------------------------------------------------------------------

def write_notebook(path: Path, cells, parameters: str | None = PARAMETERS) -> Path:
    """A notebook with an optional ``parameters`` cell first, then ``cells`` (code strings)."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if parameters is not None:
        p = new_code_cell(parameters)
        p.metadata["tags"] = ["parameters"]
        nb.cells.append(p)
    for c in cells:
        nb.cells.append(new_markdown_cell(c[3:]) if c.startswith("md:") else new_code_cell(c))
    nbformat.write(nb, str(path))
    return path


def write_tiny_data(folder: Path) -> Path:
    """Two reps (one named and teamed ``<script>...``), orders, opportunities, targets, Aug-Oct 2026."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "reps.csv": f"rep_id,name,team\nR1,{SCRIPT},{SCRIPT}\nR2,Bob Martin,Sud\n",
        "orders.csv": (
            "order_id,ordered_at,customer_id,amount,cost,rep_id\n"
            "A1,2026-08-05 10:00,C1,100.00,40.00,R1\n"
            "A2,2026-09-07 11:00,C2,250.00,100.00,R1\n"
            "A3,2026-09-20 09:30,C1,80.00,30.00,R2\n"
            "A4,2026-10-03 14:00,C3,300.00,120.00,R1\n"
            "A5,2026-10-28 16:00,C2,120.00,50.00,R2\n"),
        "opportunities.csv": (
            "opportunity_id,created_at,rep_id,status,amount,closed_at\n"
            "O1,2026-08-01 10:00,R1,won,100.00,2026-08-05 10:00\n"
            "O2,2026-08-10 10:00,R2,lost,500.00,2026-09-02 10:00\n"
            "O3,2026-09-01 10:00,R1,won,250.00,2026-09-07 11:00\n"
            "O4,2026-09-15 10:00,R1,lost,90.00,2026-10-10 10:00\n"
            "O5,2026-10-01 10:00,R1,won,300.00,2026-10-03 14:00\n"
            "O6,2026-10-20 10:00,R2,open,200.00,\n"),
        "targets.csv": (
            "period,rep_id,revenue_target,margin_target\n"
            "2026-09-01,R1,200.00,80.00\n2026-09-01,R2,100.00,40.00\n"
            "2026-10-01,R1,250.00,100.00\n2026-10-01,R2,100.00,40.00\n"),
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


SHOW_CELLS = [
    "md:# Reps of the month",
    f"from kit.scorecard import report_dataset\n{CODE_MARK} = report_dataset(data, month, team)",
    f"print('month', month, 'team', team, 'lang', lang)\nprint({CODE_MARK}.reps['name'].tolist())",
    f"{CODE_MARK}.reps[['rep_id', 'name']]",
    # raw HTML built from the data, as a careless notebook would: must not run in the page
    f"from IPython.display import HTML\nHTML('<b>' + {CODE_MARK}.reps['name'].iloc[0] + '</b>')",
]

FAIL_CELLS = [
    "x = 1",
    "y = 2\nif month == '2026-10':\n    raise ValueError(f'no data for {month}')",
    "print('never reached')",
]


def run_cli(argv) -> tuple[int, str, str]:
    """Run ``kit report`` in-process; return (exit code, stdout, stderr)."""
    from kit.cli_report import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def snapshot(folder: Path) -> dict:
    """{relative path: bytes} of every file under ``folder``."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def html_without_style(page: str) -> str:
    return re.sub(r"<style.*?</style>", "", page, flags=re.S)


# -- shared runs -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """Tiny data and notebooks, and two report runs on the same report folder.

    1. ``run_report`` for 2026-10, team ``<script>...``, notebook 00 only: succeeds.
    2. ``kit report`` for the same month and team with notebooks 00 and 01, where 01
       fails in October: the month goes to ``2026-10.failed``.
    """
    base = tmp_path_factory.mktemp("tiny")
    data = write_tiny_data(base / "data")
    nbdir = base / "notebooks"
    nbdir.mkdir()
    write_notebook(nbdir / "00-show.ipynb", SHOW_CELLS)
    write_notebook(nbdir / "01-fail.ipynb", FAIL_CELLS)
    write_notebook(nbdir / "02-sleep.ipynb", ["import time\ntime.sleep(60)"])
    write_notebook(nbdir / "03-noparams.ipynb", ["1 + 1"], parameters=None)
    write_notebook(nbdir / "extra.ipynb", ["1 + 1"])
    out = base / "reports"
    first = run_report("2026-10", data=data, out=out, team=SCRIPT, jobs=1, notebooks="00",
                       timeout=120, progress=False, notebook_dir=nbdir)
    before = snapshot(out / "2026-10")
    code, stdout, stderr = run_cli(["--month", "2026-10", "--data", data, "--out", out,
                                    "--team", SCRIPT, "--notebooks", "00,01", "--jobs", "2",
                                    "--timeout", "120", "--notebook-dir", nbdir])
    return {"base": base, "data": data, "nbdir": nbdir, "out": out, "first": first,
            "before": before, "code": code, "stdout": stdout, "stderr": stderr}


def test_a_month_that_succeeds_is_put_in_place_with_every_file(tiny):
    out = tiny["out"]
    assert tiny["first"].folders == [out / "2026-10"]
    assert sorted(tiny["before"]) == ["00-show.html", "00-show.ipynb", "kpis.csv", "kpis.json",
                                      "report.log"]
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")], "temporary folders left"
    executed = nbformat.read(str(out / "2026-10" / "00-show.ipynb"), as_version=4)
    assert executed.metadata.papermill.parameters == {
        "data": str(tiny["data"].resolve()), "month": "2026-10", "team": SCRIPT, "lang": "en"}
    stdout = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
    assert f"month 2026-10 team {SCRIPT} lang en" in stdout
    assert "['<script>alert(1)</script>']" in stdout  # the notebook saw the team's rep only


def test_kpis_json_and_csv_hold_the_scorecard_of_the_month(tiny):
    doc = json.loads((tiny["out"] / "2026-10" / "kpis.json").read_text(encoding="utf-8"))
    assert (doc["month"], doc["team"], doc["lang"], doc["currency"]) == ("2026-10", SCRIPT, "en", "EUR")
    kpis = {k["name"]: k for k in doc["kpis"]}
    # team R1 only: October revenue 300 (A4) against a target of 250; September 250
    assert (kpis["revenue"]["value"], kpis["revenue"]["previous"], kpis["revenue"]["target"]) == \
        (300.0, 250.0, 250.0)
    assert (kpis["revenue"]["status"], kpis["revenue"]["target_status"]) == ("better", "above")
    assert set(kpis["win_rate"]) >= {"numerator", "denominator", "ci_low", "ci_high", "low_sample"}
    csv = (tiny["out"] / "2026-10" / "kpis.csv").read_text(encoding="utf-8").splitlines()
    assert csv[0].startswith("month,team,name,label,unit,direction,value,numerator,denominator,"
                             "ci_low,ci_high,low_sample,n_censored,previous,")
    assert len(csv) == 1 + len(doc["kpis"])


def test_running_twice_gives_the_same_kpis_json(tiny):
    # the second run failed on a notebook, but wrote its kpis.json into 2026-10.failed
    again = (tiny["out"] / "2026-10.failed" / "kpis.json").read_bytes()
    assert again == tiny["before"]["kpis.json"]
    assert (tiny["out"] / "2026-10.failed" / "kpis.csv").read_bytes() == tiny["before"]["kpis.csv"]


def test_a_failing_notebook_leaves_the_others_and_the_earlier_report_intact(tiny):
    out = tiny["out"]
    assert tiny["code"] == 1
    assert snapshot(out / "2026-10") == tiny["before"]  # byte for byte
    failed = out / "2026-10.failed"
    assert {"00-show.html", "00-show.ipynb", "01-fail.html", "01-fail.ipynb", "kpis.json",
            "kpis.csv", "report.log"} <= set(snapshot(failed))
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")], "temporary folders left"
    log = (failed / "report.log").read_text(encoding="utf-8")
    assert "-- traceback --" in log and "ValueError" in log and "no data for 2026-10" in log
    assert "01-fail.ipynb failed in cell 2" in log and "00-show.ipynb ran in" in log


def test_failure_message_names_notebook_cell_and_parameters_without_traceback(tiny):
    err = tiny["stderr"]
    assert "kit report: error: the report failed for 1 of 1 month(s) (1 of 2 notebook runs failed)" in err
    assert re.search(
        r"2026-10: 01-fail\.ipynb failed in cell 2 \(In \[\d+\]: y = 2\) with ValueError: "
        r"no data for 2026-10; parameters: data='[^']+data', month='2026-10', "
        r"team='<script>alert\(1\)</script>', lang='en'", err), err
    assert "Full tracebacks: " in err and "2026-10.failed/report.log" in err
    assert "Traceback (most recent call last)" not in err
    assert "IPKernelApp" not in err and "papermill INFO" not in err
    assert tiny["stdout"] == ""


def test_html_pages_hold_outputs_but_no_code(tiny):
    for folder in ("2026-10", "2026-10.failed"):
        for page in (tiny["out"] / folder).glob("*.html"):
            text = page.read_text(encoding="utf-8")
            assert CODE_MARK not in text, page
            assert "raise ValueError" not in text and "y = 2" not in text
            body = html_without_style(text)
            assert "hl-ipython3" not in body and "jp-InputPrompt" not in body
    show = (tiny["out"] / "2026-10" / "00-show.html").read_text(encoding="utf-8")
    assert "Reps of the month" in show and "month 2026-10 team" in show
    failed = (tiny["out"] / "2026-10.failed" / "01-fail.html").read_text(encoding="utf-8")
    assert "no data for 2026-10" in failed  # the error output is shown


def test_data_is_escaped_in_the_pages_and_the_index(tiny):
    pages = [tiny["out"] / "2026-10" / "00-show.html", tiny["out"] / "index.html"]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert SCRIPT not in text, page
        assert ESCAPED in text, page
    index = (tiny["out"] / "index.html").read_text(encoding="utf-8")
    assert "<script" not in index.lower()
    assert 'href="2026-10/00-show.html"' in index and "October 2026" in index
    assert 'href="2026-10.failed/report.log"' in index


def test_a_cell_running_past_the_timeout_stops_its_notebook(tiny, tmp_path):
    with pytest.raises(ReportError) as info:
        run_report("2026-10", data=tiny["data"], out=tmp_path / "r", notebooks="02", timeout=2,
                   jobs=1, progress=False, notebook_dir=tiny["nbdir"])
    msg = str(info.value)
    assert re.search(r"02-sleep\.ipynb failed in cell 1 \(In \[\d+\]: import time\) with "
                     r"CellTimeoutError: a cell ran longer than the timeout of 2 s \(raise it with "
                     r"--timeout\)", msg), msg
    assert not (tmp_path / "r" / "2026-10").exists()
    assert (tmp_path / "r" / "2026-10.failed" / "02-sleep.ipynb").exists()


def test_an_interrupted_run_leaves_no_trace_and_the_earlier_report_intact(tiny, tmp_path, monkeypatch):
    import shutil

    import kit.report.run as run_mod

    out = tmp_path / "r"
    shutil.copytree(tiny["out"] / "2026-10", out / "2026-10")
    before = snapshot(out)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(run_mod, "_write_kpis", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_report("2026-10", to="2026-10", data=tiny["data"], out=out, notebooks="00",
                   jobs=1, timeout=60, progress=False, notebook_dir=tiny["nbdir"])
    assert snapshot(out) == before
    assert sorted(p.name for p in out.iterdir()) == ["2026-10"]


# -- checks before running anything --------------------------------------------------------

@pytest.mark.parametrize("month, to, match", [
    ("2026-13", None, r"month='2026-13' is not a month: the month number must be 01 to 12\. "
                      r"Pass the month as YYYY-MM, e.g\. month='2026-10'\."),
    ("oct", None, r"month='oct' is not a month in the form YYYY-MM"),
    ("2026-10", "2026-8", r"month='2026-8' is not a month in the form YYYY-MM"),
    ("2026-10", "2026-08", r"the last month '2026-08' is before the first month '2026-10'"),
    (None, "2026-10", r"to='2026-10' was given without month; pass the first month too"),
])
def test_malformed_months_stop_before_running(month, to, match, tmp_path):
    with pytest.raises(ReportError, match=match):
        run_report(month, to=to, data=tmp_path / "nowhere", out=tmp_path / "r", progress=False)
    assert not (tmp_path / "r").exists()


def test_unknown_notebook_lists_the_available_ones(tiny, tmp_path):
    with pytest.raises(ReportError, match=r"unknown notebook 'shwo' \(did you mean '00-show'\?\)|"
                                          r"unknown notebook 'shwo'; available notebooks: 00-show, "
                                          r"01-fail, 02-sleep, 03-noparams, extra\. Pass their numbers"):
        run_report("2026-10", data=tiny["data"], out=tmp_path / "r", notebooks="00,shwo",
                   progress=False, notebook_dir=tiny["nbdir"])
    with pytest.raises(ReportError, match=r"unknown notebook '09'; available notebooks: 00-show, "
                                          r"01-fail, 02-sleep, 03-noparams, extra\. Pass their numbers "
                                          r"or names separated by commas, e\.g\. --notebooks 00,01\."):
        run_report("2026-10", data=tiny["data"], out=tmp_path / "r", notebooks="09",
                   progress=False, notebook_dir=tiny["nbdir"])
    assert not (tmp_path / "r").exists()


def test_a_notebook_without_parameters_is_refused(tiny, tmp_path):
    with pytest.raises(ReportError, match=r"notebook 03-noparams\.ipynb does not declare the "
                                          r"parameter\(s\) \['data', 'month'\] in a cell tagged "
                                          r"'parameters' \(it declares none\)"):
        run_report("2026-10", data=tiny["data"], out=tmp_path / "r", notebooks="03",
                   progress=False, notebook_dir=tiny["nbdir"])


def test_a_month_without_data_stops_before_running(tiny, tmp_path):
    with pytest.raises(ReportError, match=r"month 2027-01 has no data in .*data: its dates run from "
                                          r"2026-08 to 2026-10\. Choose months in that range"):
        run_report("2027-01", data=tiny["data"], out=tmp_path / "r", notebooks="00",
                   progress=False, notebook_dir=tiny["nbdir"])
    with pytest.raises(ReportError, match=r"months 2026-11, 2026-12 have no data in "):
        run_report("2026-10", to="2026-12", data=tiny["data"], out=tmp_path / "r", notebooks="00",
                   progress=False, notebook_dir=tiny["nbdir"])
    assert not (tmp_path / "r").exists()


def test_an_unknown_team_stops_before_running(tiny, tmp_path):
    with pytest.raises(ReportError, match=r"team='Sdu' is not in the data \(did you mean 'Sud'\?\)"):
        run_report("2026-10", data=tiny["data"], out=tmp_path / "r", team="Sdu", notebooks="00",
                   progress=False, notebook_dir=tiny["nbdir"])


@pytest.mark.parametrize("kw, match", [
    ({"lang": "de"}, r"lang='de' is not allowed; allowed values: 'en', 'fr'"),
    ({"jobs": 0}, r"jobs=0 must be a whole number of at least 1"),
    ({"timeout": 0}, r"timeout=0 must be a number of seconds above 0"),
])
def test_bad_options_stop_before_running(kw, match, tmp_path):
    with pytest.raises(ReportError, match=match):
        run_report("2026-10", out=tmp_path / "r", progress=False, **kw)


def test_cli_reports_errors_without_traceback(tmp_path):
    code, out, err = run_cli(["--month", "2026-13", "--out", tmp_path / "r"])
    assert code == 1 and out == ""
    assert err.startswith("kit report: error: month='2026-13' is not a month")
    assert "Traceback" not in err


def test_cli_help_lists_the_notebooks_and_their_parameters(tiny, capsys):
    from kit.cli_report import main

    with pytest.raises(SystemExit) as info:
        main(["--notebook-dir", str(tiny["nbdir"]), "--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    assert "--month YYYY-MM" in text and "--notebooks LIST" in text and "--timeout S" in text
    assert re.search(r"  00-show\n  01-fail\n  02-sleep\n  extra \(only when named in --notebooks\)\n"
                     r"    parameters:\n      data: str = \"../data/sample\"  # folder or database URL",
                     text), text
    assert 'lang: str = "en"  # labels and number format: "en" or "fr"' in text
    assert "03-noparams\n    parameters:\n      (no parameters cell)" in text


def test_register_adds_the_report_subcommand():
    import argparse

    from kit.cli_report import register, run

    parser = argparse.ArgumentParser(prog="kit")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["report", "--to", "2026-12", "--month", "2026-10", "--lang", "fr",
                              "--team", "Nord", "--timeout", "30"])
    assert (args.func, args.month, args.to, args.lang, args.team, args.timeout, args.jobs) == \
        (run, "2026-10", "2026-12", "fr", "Nord", 30.0, 2)


def test_the_kit_command_runs_report_through_its_subcommand_hook(capsys):
    from kit.cli import main

    assert main(["report", "--month", "2026-13", "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kit report: error: month='2026-13' is not a month")
    assert "Traceback" not in err


# -- units: notebook selection, cell location, index -------------------------------------

def test_select_notebooks_by_number_name_or_file():
    paths = ["a/00-scorecard.ipynb", "a/01-funnel.ipynb", "a/07-data-quality.ipynb", "a/dashboard.ipynb"]
    names = lambda sel: [p.name for p in select_notebooks(paths, sel)]  # noqa: E731
    assert names(None) == ["00-scorecard.ipynb", "01-funnel.ipynb", "07-data-quality.ipynb"]
    assert names("07, funnel") == ["01-funnel.ipynb", "07-data-quality.ipynb"]
    assert names(["dashboard.ipynb", "00-scorecard"]) == ["00-scorecard.ipynb", "dashboard.ipynb"]
    with pytest.raises(ReportError, match=r"unknown notebook 'scorecrd' \(did you mean"):
        select_notebooks(paths, "scorecrd")


def test_source_index_undoes_the_injected_parameters_cell(tmp_path):
    nb = write_notebook(tmp_path / "n.ipynb", ["a = 1", "b = 2"])
    # executed: 0 parameters, 1 injected, 2 "a = 1", 3 "b = 2"
    assert [_source_index(nb, i) for i in (0, 2, 3)] == [0, 1, 2]
    bare = write_notebook(tmp_path / "m.ipynb", ["a = 1", "b = 2"], parameters=None)
    # executed: 0 injected, 1 "a = 1", 2 "b = 2"
    assert [_source_index(bare, i) for i in (1, 2)] == [0, 1]


def test_run_result_summary_and_first_line():
    r = RunResult("2026-10", "x/04-team.ipynb", False, 2.0, {"month": "2026-10", "team": ""},
                  cell=3, exec_count=4, cell_source="\n# compute\nrep.team()\n", error="KeyError: 'x'")
    assert r.summary() == ("04-team.ipynb failed in cell 3 (In [4]: # compute) with KeyError: 'x'; "
                           "parameters: month='2026-10', team=''")
    assert first_line("   \n  x = 1  \n") == "x = 1"


def test_index_lists_complete_months_latest_first_and_escapes(tmp_path):
    for month, label in [("2026-09", "Revenue"), ("2026-10", "Chiffre <i>d'affaires</i>")]:
        (tmp_path / month).mkdir()
        (tmp_path / month / "kpis.json").write_text(json.dumps({
            "month": month, "team": None, "lang": "fr", "currency": "EUR",
            "kpis": [{"name": "revenue", "label": label, "unit": "currency", "value": 1234.5,
                      "previous": 1000.0, "change": 234.5, "target": None, "status": "worse"}]}))
        (tmp_path / month / f"00-{IMG}.html").write_text("x")
    (tmp_path / "2026-11").mkdir()  # no kpis.json: not a complete month
    (tmp_path / ".2026-12.abc.tmp").mkdir()
    page = write_index(tmp_path, lang="fr").read_text(encoding="utf-8")
    assert page.index("octobre 2026") < page.index("septembre 2026")
    assert "novembre 2026" not in page and "décembre" not in page
    assert "Chiffre &lt;i&gt;d&#x27;affaires&lt;/i&gt;" in page
    assert "<img" not in page and "00-&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="2026-10/00-%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.html"' in page
    assert "1\u202f234,50\xa0€" in page and "toutes les équipes" in page
    assert '<tr class="worse">' in html_without_style(page)
    assert 'data-kpi="revenue" data-status="worse"' in page and "▼ en dégradation" in page


# -- the real notebooks on the sample --------------------------------------------------------

def test_report_of_two_months_of_the_sample_with_the_scorecard_notebook(tmp_path):
    out = tmp_path / "reports"
    report = run_report("2026-09", to="2026-10", data=SAMPLE, out=out, notebooks="00", jobs=2,
                        timeout=300, progress=False, notebook_dir=ROOT / "notebooks")
    assert report.folders and sorted(report.folders) == [out / "2026-09", out / "2026-10"]
    for month in ("2026-09", "2026-10"):
        files = sorted(p.name for p in (out / month).iterdir())
        assert files == ["00-scorecard.html", "00-scorecard.ipynb", "kpis.csv", "kpis.json",
                         "report.log"]
        page = (out / month / "00-scorecard.html").read_text(encoding="utf-8")
        assert "open_report" not in page and "hl-ipython3" not in html_without_style(page)
        doc = json.loads((out / month / "kpis.json").read_text(encoding="utf-8"))
        assert doc["month"] == month and len(doc["kpis"]) > 0
    # the previous month of October is September's value, as September's report showed it
    sep = {k["name"]: k["value"] for k in json.loads((out / "2026-09" / "kpis.json").read_text())["kpis"]}
    octo = {k["name"]: k["previous"] for k in json.loads((out / "2026-10" / "kpis.json").read_text())["kpis"]}
    assert sep == octo
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="2026-09/00-scorecard.html"' in index and 'href="2026-10/kpis.csv"' in index


def test_preset_reaches_the_notebooks_which_read_the_data_loaded_by_the_parent(tmp_path):
    """``--preset`` is a notebook parameter; the kernels read the parent's load from the cache."""
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    params = PARAMETERS + '\npreset: str = ""  # CRM export preset'
    write_notebook(nbdir / "00-preset.ipynb", [
        # reading the export again would fail: the data must come from KIT_LOAD_CACHE
        "import kit.io.presets\n"
        "def _no_reading(*a, **k):\n    raise AssertionError('the export was read again')\n"
        "kit.io.presets.discover_preset = _no_reading",
        "from kit import story\n"
        "rep = story.open_report(data, month=month, team=team, lang=lang, preset=preset)",
        "print('preset', preset, 'opportunities', len(rep.ds.opportunities))",
    ], parameters=params)
    out = tmp_path / "out"
    report = run_report("2026-03", data=ROOT / "tests" / "data" / "exports" / "hubspot",
                        preset="hubspot", out=out, jobs=1, notebooks="00", timeout=120,
                        progress=False, notebook_dir=nbdir)
    assert [r.ok for r in report.results] == [True], report.results[0].summary()
    nb = nbformat.read(str(out / "2026-03" / "00-preset.ipynb"), as_version=4)
    printed = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert "preset hubspot opportunities 4" in printed
    assert report.results[0].ok
    assert "KIT_LOAD_CACHE" not in os.environ, "the run's cache setting must not outlive it"


def test_mapping_currency_as_of_and_locale_reach_the_notebooks(tmp_path):
    """``--mapping`` (and the other load options) load the same data in every notebook."""
    data = write_tiny_data(tmp_path / "data")
    text = (data / "orders.csv").read_text().replace("order_id,ordered_at", "Order,Date")
    (data / "orders.csv").write_text(text)
    mapping = tmp_path / "crm.yaml"
    mapping.write_text("orders:\n  columns:\n    Order: order_id\n    Date: ordered_at\n")
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    from notebooks._build import OPEN, PARAMETERS as REAL

    write_notebook(nbdir / "00-options.ipynb", [
        "from kit import story",
        OPEN.format(key="00-scorecard").splitlines()[0] + "\n" + OPEN.splitlines()[1],
        "print('orders', len(rep.ds.orders), 'currency', rep.currency, 'as_of', rep.ds.as_of)",
    ], parameters=REAL)
    report = run_report("2026-10", data=data, mapping=mapping, currency="usd",
                        as_of="2026-10-15", locale="en", out=tmp_path / "out", jobs=1,
                        notebooks="00", timeout=120, progress=False, notebook_dir=nbdir)
    assert [r.ok for r in report.results] == [True], report.results[0].summary()
    nb = nbformat.read(str(tmp_path / "out" / "2026-10" / "00-options.ipynb"), as_version=4)
    printed = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    # orders A1..A4 dated up to 15 October (A5, 28 October, comes after as_of)
    assert "orders 4 currency USD as_of 2026-10-15 00:00:00" in printed
    doc = json.loads((tmp_path / "out" / "2026-10" / "kpis.json").read_text())
    assert doc["currency"] == "USD" and doc["as_of"].startswith("2026-10-15")


def test_every_surface_of_the_sample_month_shows_the_same_status(tmp_path):
    """kpis.json, index.html, the scorecard page and every notebook page (data-status) agree."""
    out = tmp_path / "reports"
    names = "00,01,02,03,04,05,06,dashboard"
    report = run_report("2026-10", data=SAMPLE, out=out, notebooks=names, jobs=2, timeout=300,
                        progress=False, notebook_dir=ROOT / "notebooks")
    assert all(r.ok for r in report.results), [r.summary() for r in report.results if not r.ok]
    doc = json.loads((out / "2026-10" / "kpis.json").read_text(encoding="utf-8"))
    truth = {k["name"]: k["status"] for k in doc["kpis"]}
    assert set(truth.values()) <= {"better", "worse", "unclear", "unknown", "nodata"}
    assert truth["nps"] == "nodata" and truth["win_rate"] == "unclear"
    with open(out / "2026-10" / "kpis.csv", encoding="utf-8") as f:
        import csv

        assert {r["name"]: r["status"] for r in csv.DictReader(f)} == truth
    cell = re.compile(r'data-kpi="([^"]+)" data-status="([^"]+)"')
    pages = {p.name: p.read_text(encoding="utf-8") for p in (out / "2026-10").glob("*.html")}
    pages["index.html"] = (out / "index.html").read_text(encoding="utf-8")
    seen = {}
    for page, text in pages.items():
        for name, status in cell.findall(text):
            seen.setdefault(name, set()).add((page, status))
    # the scorecard page and the index show every headline KPI
    for page in ("00-scorecard.html", "index.html", "dashboard.html"):
        assert {n for n, pairs in seen.items() if any(p == page for p, _ in pairs)} >= set(truth), page
    for name, pairs in seen.items():
        statuses = {s for _, s in pairs}
        assert len(statuses) == 1, (name, sorted(pairs))
        if name in truth:
            assert statuses == {truth[name]}, (name, sorted(pairs))
    # the funnel's never-engaged rate of October rests on 3 leads, 158 too recent
    assert ("01-funnel.html", "unknown") in seen["never_engaged_rate"]
    assert "3 leads; 158 too recent" in pages["01-funnel.html"]
