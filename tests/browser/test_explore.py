"""``make lab``: the kernel it registers, and the explore notebook run in its JupyterLab.

The JupyterLab command is read from ``make -n lab`` (what the Makefile would run),
started with this interpreter on a copy of ``notebooks/explore.ipynb`` without its
outputs, and driven in Debian's Chromium: Run All, then no error output, the
figures, tables and the KPI explorer are there.
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys

import pytest

from tests.browser.conftest import free_port, serve
from tests.browser.jlab import LAB_SETTINGS, copy_without_outputs, open_notebook, run_all, stderr_errors, write_settings
from tests.browser.test_lab import OPEN_TIMEOUT
from tests.conftest import IN_CI, ROOT

#: The test's JupyterLab user settings (those of test_lab.py) plus no windowing: every cell stays in the page, so that the
#: outputs of cells scrolled out of view can be read.
SETTINGS = {**LAB_SETTINGS, "@jupyterlab/notebook-extension/tracker": {
    **LAB_SETTINGS["@jupyterlab/notebook-extension/tracker"], "windowingMode": "none"}}
#: Seconds for Run All of the explore notebook (it loads the sample and draws four figures).
RUN_TIMEOUT = 240
NOTEBOOK = "explore.ipynb"


def make_lab_lines() -> list[str]:
    """The commands ``make lab`` would run (``make -n``), from the checkout."""
    if shutil.which("make") is None:
        if IN_CI:
            pytest.fail("make is required in CI (CI=true) to read the lab target")
        pytest.skip("make is not installed")
    out = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


def lab_options() -> list[str]:
    """The options ``make lab`` passes to ``jupyter lab`` (the port left out)."""
    line = next(line for line in make_lab_lines() if re.search(r"/jupyter lab\b", line))
    args = shlex.split(line)
    return [a for a in args[args.index("lab") + 1:] if not a.startswith("--port=")]


def test_make_lab_registers_the_kit_kernel_in_the_venv_and_serves_notebooks_locally():
    lines = make_lab_lines()
    kernel = [line for line in lines if "ipykernel install" in line]
    assert kernel == ['.venv/bin/python -m ipykernel install --sys-prefix --name kit '
                      '--display-name "Python (kit)"']
    options = lab_options()
    assert "--ServerApp.ip=127.0.0.1" in options and "--ServerApp.root_dir=notebooks" in options
    assert "--no-browser" in options
    # --allow-root only when make runs as root
    assert ("--allow-root" in options) == (os.geteuid() == 0)
    # the lab starts after the kernel is registered
    assert lines.index(kernel[0]) < next(i for i, line in enumerate(lines) if "jupyter lab" in line)


@pytest.fixture
def explore_lab(browser, tmp_path):
    """``(url, root)``: JupyterLab as ``make lab`` starts it, on a copy of explore.ipynb."""
    root = tmp_path / "lab"
    copy_without_outputs(ROOT / "notebooks" / NOTEBOOK, root / "notebooks" / NOTEBOOK)
    settings = write_settings(tmp_path / "lab-settings", SETTINGS)
    token, port = secrets.token_hex(16), free_port()
    cmd = [sys.executable, "-m", "jupyterlab", *lab_options(), f"--port={port}",
           f"--IdentityProvider.token={token}", f"--LabApp.user_settings_dir={settings}",
           f"--LabApp.workspaces_dir={settings}"]
    with serve(cmd, port, tmp_path / "lab.log", cwd=root):
        yield f"http://127.0.0.1:{port}/lab/tree/{NOTEBOOK}?token={token}", root
    shutil.rmtree(root, ignore_errors=True)


@pytest.mark.browser
def test_explore_notebook_runs_in_make_labs_jupyterlab_without_error(browser, explore_lab, tmp_path):
    url, root = explore_lab
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(OPEN_TIMEOUT * 1000)
    try:
        open_notebook(page, url, OPEN_TIMEOUT)
        assert page.locator(".jp-Notebook .jp-RenderedImage img").count() == 0  # nothing run yet
        ran = run_all(page, RUN_TIMEOUT)
        dropdowns = page.locator(".jp-Notebook .widget-dropdown")
        dropdowns.first.wait_for(state="visible")

        assert stderr_errors(page) == []
        text = page.locator(".jp-Notebook").inner_text()
        assert "Error displaying widget" not in text and "Traceback" not in text
        assert page.locator(".jp-Notebook .kit-error").count() == 0
        # each step showed its result: the check report, the KPI list, the tables, the figures,
        # the month studied, the Excel file and the explorer
        assert "Data-quality report: ../data/sample" in text and "Result: no error." in text
        assert "October 2026" in text and "../reports/explore.xlsx" in text
        assert page.locator(".jp-Notebook .jp-RenderedHTMLCommon table").count() >= 3
        assert page.locator(".jp-Notebook .jp-RenderedImage img").count() >= 3
        assert dropdowns.count() >= 3  # the explorer's filter bar, KPI, breakdown, frequency
        assert (root / "reports" / "explore.xlsx").is_file()
    except Exception:
        page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        print(f"\nscreenshot of the failure: {tmp_path / 'failure.png'}")
        raise
    else:
        page.screenshot(path=str(tmp_path / "explore.png"), full_page=True)
    finally:
        page.close()
    print(f"\nJupyterLab (make lab's options): explore.ipynb Run All done in {ran:.1f} s")
