"""Load options on every command (kit.io.options): --mapping, --currency, --as-of, --locale
reach kit.load_dataset from ``kit check``, ``kit report``, the notebooks and the dashboard."""

from __future__ import annotations

import subprocess
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import kit.io.load
from kit import cli
from kit.dataset import Dataset
from kit.errors import ParameterError, ReportError
from kit.io.options import absolute_paths, load, load_options
from tests.io.helpers import write

ROOT = Path(__file__).resolve().parents[2]
BIN = Path("/work/main/.venv/bin") if Path("/work/main/.venv/bin/papermill").exists() else \
    ROOT / ".venv" / "bin"

#: Every option a user gives, as the commands receive it.
GIVEN = {"mapping": "crm.yaml", "currency": "USD", "as_of": "2026-10-15", "locale": "en"}


@pytest.fixture
def calls(monkeypatch):
    """Replace kit.load_dataset by a recorder returning a small dataset."""
    seen = []

    def fake(source, **kw):
        seen.append({"source": str(source), **kw})
        return Dataset({"orders": pd.DataFrame({
            "order_id": ["A", "B"], "customer_id": ["C1", "C2"], "amount": [10.0, 20.0],
            "ordered_at": pd.to_datetime(["2026-09-05", "2026-10-05"])})},
            currency=kw.get("currency", "EUR"))

    monkeypatch.setattr(kit.io.load, "load_dataset", fake)
    return seen


def test_load_options_drop_empty_values_and_check_types():
    assert load_options(preset="", mapping=None, currency=" usd ", as_of="", locale="") == {
        "currency": "USD"}
    with pytest.raises(ParameterError, match=r"currency=12 is not allowed: give a string"):
        load_options(currency=12)
    with pytest.raises(ParameterError, match=r"mapping=\['x'\] is not allowed.*YAML"):
        load_options(mapping=["x"])


def test_absolute_paths_only_for_files(tmp_path):
    out = absolute_paths({"mapping": "m.yaml", "preset": "pipedrive", "currency": "USD"}, tmp_path)
    assert out == {"mapping": str(tmp_path / "m.yaml"), "preset": "pipedrive", "currency": "USD"}
    assert absolute_paths({"preset": "my/preset.yaml"}, tmp_path)["preset"] == str(
        tmp_path / "my" / "preset.yaml")


def test_as_of_that_is_not_a_date_is_refused():
    with pytest.raises(ParameterError, match=r"as_of='end of october' is not a date; pass a date"):
        load({"leads": pd.DataFrame({"lead_id": ["L1"], "created_at": ["2026-01-05"]})},
             as_of="end of october")


# -- kit check ---------------------------------------------------------------------------

@pytest.mark.parametrize("flag, name, value", [
    ("--mapping", "mapping", "crm.yaml"), ("--currency", "currency", "USD"),
    ("--as-of", "as_of", "2026-10-15"), ("--locale", "locale", "en"),
    ("--preset", "preset", "hubspot")])
def test_kit_check_passes_each_flag_to_the_load(calls, capsys, flag, name, value):
    assert cli.main(["check", "crm", flag, value]) == 0
    assert calls[-1][name] == value
    assert [k for k in calls[-1] if k not in ("source", "strict")] == [name]


def test_kit_check_with_a_real_mapping_file_currency_and_as_of(tmp_path, capsys):
    data = tmp_path / "crm"
    write(data, "leads.csv", "Lead,Created,Won on\nL1,2026-01-05,2026-01-20\nL2,2026-01-07,\n"
                             "L3,2026-02-02,2026-02-25\n")
    mapping = write(tmp_path, "crm.yaml", "leads: {columns: {Lead: lead_id, Created: created_at, "
                                          "'Won on': converted_at}}")
    assert cli.main(["check", str(data), "--mapping", str(mapping), "--currency", "usd",
                     "--as-of", "2026-01-31", "--locale", "en"]) == 0
    out = capsys.readouterr().out
    assert "currency USD" in out and "as_of 2026-01-31 00:00" in out
    # L3 (created 2 Feb, converted 25 Feb) comes after the end of the data given
    assert "INFO     leads.created_at, converted_at  rule after_as_of: 1 row" in out


# -- kit report ----------------------------------------------------------------------------

@pytest.mark.parametrize("flag, name, value", [
    ("--mapping", "mapping", "crm.yaml"), ("--currency", "currency", "USD"),
    ("--as-of", "as_of", "2026-10-15"), ("--locale", "locale", "en")])
def test_kit_report_passes_each_flag_to_run_report(monkeypatch, flag, name, value):
    import kit.report
    from kit.cli_report import main

    seen = {}

    def fake_run_report(month=None, **kw):
        seen.update(kw)
        raise ReportError("stop here")

    monkeypatch.setattr(kit.report, "run_report", fake_run_report)
    assert main(["--month", "2026-10", "--no-progress", flag, value]) == 1
    assert seen[name] == value


def test_run_report_loads_with_the_options_and_passes_them_to_the_notebooks(calls, tmp_path):
    """The parent's load and every notebook's parameters carry the same options."""
    from kit.report import run as run_mod

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('data: str = ""\nmonth: str = ""\nmapping: str = ""\n'
                                     'currency: str = ""\nas_of: str = ""\nlocale: str = ""')
    cell.metadata["tags"] = ["parameters"]
    nb.cells.append(cell)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (tmp_path / "nb").mkdir()
    nbformat.write(nb, str(tmp_path / "nb" / "00-x.ipynb"))
    tasks = []

    class NoPool:  # record the tasks instead of running notebooks
        def __init__(self, *a, **k):
            pass

        def submit(self, fn, *args):
            if not args:  # the start of a worker (kit.report.run._start_pool)
                return None
            tasks.append(args[0])
            raise ReportError("stop before running")

        def shutdown(self, **k):
            pass

    import kit.report.run

    orig = kit.report.run.ProcessPoolExecutor
    kit.report.run.ProcessPoolExecutor = NoPool
    try:
        with pytest.raises(ReportError, match="stop before running"):
            run_mod.run_report("2026-10", data=tmp_path, out=tmp_path / "out", jobs=1,
                               progress=False, notebook_dir=tmp_path / "nb", **GIVEN)
    finally:
        kit.report.run.ProcessPoolExecutor = orig
    assert {k: calls[-1][k] for k in GIVEN} == {**GIVEN, "mapping": str(Path.cwd() / "crm.yaml")}
    params = tasks[0].parameters
    assert params == {"data": str(tmp_path), "month": "2026-10", **GIVEN,
                      "mapping": str(Path.cwd() / "crm.yaml")}


def _parameters_notebook(folder, parameters: str) -> None:
    """Write ``folder/00-x.ipynb``: one cell tagged ``parameters`` holding ``parameters``."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(parameters)
    cell.metadata["tags"] = ["parameters"]
    nb.cells.append(cell)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    folder.mkdir()
    nbformat.write(nb, str(folder / "00-x.ipynb"))


def test_run_report_refuses_a_notebook_that_does_not_take_an_option_given(calls, tmp_path):
    from kit.report import run_report

    _parameters_notebook(tmp_path / "nb", 'data: str = ""\nmonth: str = ""')
    with pytest.raises(ReportError, match=r"notebook 00-x.ipynb does not declare the parameter\(s\) "
                                          r"\['mapping'\].*Add them to its parameters cell"):
        run_report("2026-10", data=tmp_path, out=tmp_path / "out", mapping="m.yaml",
                   progress=False, notebook_dir=tmp_path / "nb")
    assert calls == []  # refused before loading


# -- notebooks and dashboard ------------------------------------------------------------

def test_open_report_passes_each_option_to_the_load(calls):
    from kit import story

    rep = story.open_report("crm", month="2026-10", **GIVEN)
    assert {k: calls[-1][k] for k in GIVEN} == GIVEN
    assert rep.currency == "USD"
    # as_of 2026-10-15 is earlier than the end of the month: the report's data stops there
    assert str(rep.ds.as_of) == "2026-10-05 00:00:00"  # the fake load ignores as_of


def test_the_notebooks_open_the_report_with_every_load_parameter():
    from notebooks import _build

    params = _build.PARAMETERS
    for name in ("preset", "mapping", "currency", "as_of", "locale"):
        assert f'{name}: str = ""  # ' in params
        assert f"{name}={name}" in _build.OPEN


def test_make_dashboard_writes_a_copy_with_the_parameters(tmp_path):
    """``make dashboard DATA=... MAPPING=... PRESET=...`` serves a copy with these parameters."""
    out = ROOT / "notebooks" / ".dashboard-params.ipynb"
    try:
        proc = subprocess.run(
            ["make", "-s", "dashboard-notebook", "STAMP=", f"BIN={BIN}", "DATA=data/sample",
             "MAPPING=crm.yaml", "PRESET=pipedrive", "CURRENCY=USD", "AS_OF=2026-10-15",
             "LOCALE=en"], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        nb = nbformat.read(str(out), as_version=4)
        injected = [c.source for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert injected == [
            f'# Parameters\ndata = "{ROOT / "data" / "sample"}"\nmapping = "{ROOT / "crm.yaml"}"\n'
            'preset = "pipedrive"\ncurrency = "USD"\nas_of = "2026-10-15"\nlocale = "en"\n']
        dry = subprocess.run(["make", "-n", "dashboard", "STAMP=", f"BIN={BIN}", "MAPPING=m.yaml"],
                             cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
        assert "voila notebooks/.dashboard-params.ipynb" in dry
        dry = subprocess.run(["make", "-n", "dashboard", "STAMP=", f"BIN={BIN}"],
                             cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
        assert "voila notebooks/dashboard.ipynb" in dry and "papermill" not in dry
    finally:
        out.unlink(missing_ok=True)


def test_run_report_refuses_a_month_after_the_as_of_given(tmp_path):
    from kit.report import run_report

    data = tmp_path / "crm"
    write(data, "orders.csv", "order_id,ordered_at,customer_id,amount\nA,2026-09-05,C1,10\n"
                              "B,2026-10-05,C2,20\n")
    _parameters_notebook(tmp_path / "nb", 'data: str = ""\nmonth: str = ""\nas_of: str = ""')
    with pytest.raises(ReportError, match=r"month 2026-10 starts after the end of the data "
                                          r"\(as_of 2026-09-30 00:00\).*a later --as-of"):
        run_report("2026-10", data=data, as_of="2026-09-30", out=tmp_path / "out", progress=False,
                   notebook_dir=tmp_path / "nb")
