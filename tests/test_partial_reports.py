"""``kit report`` and the dashboard on partial datasets: every notebook runs, and says "unknown".

Real users rarely have all 13 tables. Each dataset here is the sample with tables
removed (or emptied); ``kit report`` runs every numbered notebook and the dashboard
notebook on it for one month. The run must exit 0 with every notebook written, no
error output in any cell, no traceback in any HTML page; every KPI the data cannot
give is in ``kpis.json`` with ``value: null`` and a ``reason``, and is shown in no
table (so never as 0): only its sentence is.

These runs take minutes (a kernel per notebook): ``pytest -m partial`` selects them.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import kit
from kit.availability import availability
from kit.registry import specs
from tests.conftest import ROOT, SAMPLE

MONTH = "2026-10"
NOTEBOOKS = "00,01,02,03,04,05,06,07,dashboard"

#: name -> (tables kept, or "empty" for every table with its header only; language)
SHAPES = {
    "opportunities_reps": (("opportunities", "reps"), "en"),
    "leads_only": (("leads",), "fr"),
    "leads_customers": (("leads", "customers"), "en"),
    "orders_customers_products": (("orders", "customers", "products"), "fr"),
    "no_targets_costs_surveys": (("-targets", "-costs", "-surveys"), "en"),
    "every_table_empty": ("empty", "fr"),
}


def build(shape: str, folder: Path) -> Path:
    """The sample folder reduced to ``shape`` (see :data:`SHAPES`), written to ``folder``.

    ``kept`` lists the tables kept, or the tables removed each prefixed with ``-``.
    """
    kept, _ = SHAPES[shape]
    folder.mkdir(parents=True, exist_ok=True)
    for src in sorted(SAMPLE.glob("*.csv")):
        table = src.stem
        if kept == "empty":
            header = src.read_text(encoding="utf-8").splitlines()[0]
            (folder / src.name).write_text(header + "\n", encoding="utf-8")
        elif table in kept or (kept[0].startswith("-") and f"-{table}" not in kept):
            (folder / src.name).write_bytes(src.read_bytes())
    return folder


def test_partial_shapes_hold_the_tables_they_say(tmp_path):
    def tables(shape):
        return sorted(p.stem for p in build(shape, tmp_path / shape).glob("*.csv"))

    assert tables("opportunities_reps") == ["opportunities", "reps"]
    assert tables("no_targets_costs_surveys") == sorted(
        p.stem for p in SAMPLE.glob("*.csv") if p.stem not in ("targets", "costs", "surveys"))
    assert len(tables("every_table_empty")) == len(list(SAMPLE.glob("*.csv")))
    assert all(len(p.read_text(encoding="utf-8").splitlines()) == 1
               for p in (tmp_path / "every_table_empty").glob("*.csv"))


@pytest.fixture(scope="module", params=list(SHAPES))
def partial_run(request, tmp_path_factory):
    """``kit report`` on one partial dataset: (shape, data folder, month folder, completed process)."""
    shape = request.param
    base = tmp_path_factory.mktemp(shape)
    data = build(shape, base / "data")
    out = base / "reports"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "kit.cli", "report", "--data", str(data), "--out", str(out),
         "--month", MONTH, "--lang", SHAPES[shape][1], "--jobs", "2", "--no-progress",
         "--notebooks", NOTEBOOKS, "--notebook-dir", str(ROOT / "notebooks")],
        cwd=str(base), env=env, capture_output=True, text=True, timeout=1800)
    return shape, data, out / MONTH, proc


def _unavailable(data: Path) -> dict:
    """``{KPI name: Availability}`` of the headline KPIs the dataset cannot give."""
    ds = kit.load_dataset(data)
    found = {}
    for spec in specs():
        if spec.headline:
            av = availability(ds, spec.name)
            if not av.ok:
                found[spec.name] = av
    return found


@pytest.mark.partial
def test_kit_report_succeeds_on_partial_data_and_says_unknown(partial_run):
    shape, data, month_dir, proc = partial_run
    lang = SHAPES[shape][1]
    assert proc.returncode == 0, f"{shape}: kit report failed:\n{proc.stderr[-3000:]}"
    # every notebook written, executed without an error output, and its HTML page
    for key in NOTEBOOKS.split(","):
        matches = list(month_dir.glob(f"{key}*.ipynb"))
        assert len(matches) == 1, f"{shape}: notebook {key} not written in {month_dir}"
        nb = nbformat.read(matches[0], as_version=4)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                assert output.get("output_type") != "error", \
                    f"{shape}: {matches[0].name} cell {cell.source[:60]!r} raised {output.get('ename')}"
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    assert "Traceback" not in output.get("text", ""), f"{shape}: {matches[0].name}"
        page = matches[0].with_suffix(".html")
        assert page.exists(), f"{shape}: {page.name} not written"
        text = page.read_text(encoding="utf-8")
        assert "Traceback" not in text and "ename" not in text, f"{shape}: traceback in {page.name}"
    # every headline KPI the data cannot give: null with its reason, in kpis.json and kpis.csv
    doc = json.loads((month_dir / "kpis.json").read_text(encoding="utf-8"))
    rows = {r["name"]: r for r in doc["kpis"]}
    expected = _unavailable(data)
    if shape == "every_table_empty":
        assert set(expected) == {s.name for s in specs() if s.headline}
    assert expected, f"{shape}: every headline KPI is available, the shape tests nothing"
    with open(month_dir / "kpis.csv", encoding="utf-8", newline="") as fh:
        csv_rows = {r["name"]: r for r in csv.DictReader(fh)}
    for name, av in expected.items():
        assert name in rows, f"{shape}: {name} missing from kpis.json"
        row = rows[name]
        assert row["value"] is None and row["previous"] is None and row["same_month_last_year"] is None
        assert row["reason"] == av.reason(lang), f"{shape}: {name}: {row['reason']!r}"
        assert "docs/data-contract.md" in row["reason"]
        assert csv_rows[name]["value"] == "" and csv_rows[name]["reason"] == av.reason(lang)
    # ... and shown in no table of any page (so never as 0), only in its sentence
    pages = {p.name: p.read_text(encoding="utf-8") for p in month_dir.glob("*.html")}
    for name in expected:
        label = kit.registry.get(name).label[lang]
        cell = re.compile(r"<t[dh][^>]*>\s*" + re.escape(_html(label)) + r"\s*</t[dh]>")
        for page, text in pages.items():
            assert not cell.search(text), f"{shape}: {label!r} shown in a table cell of {page}"
        assert any(_html(expected[name].reason(lang)) in text for text in pages.values()), \
            f"{shape}: the reason of {name} is on no page"


def _html(text: str) -> str:
    import html

    return html.escape(text, quote=False)
