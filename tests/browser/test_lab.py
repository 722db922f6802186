"""The scorecard notebook in JupyterLab, run by hand in Chromium: widgets render, no error."""

from __future__ import annotations

import json
import re
import secrets
import shutil
import sys
import time

import nbformat
import pytest

from tests.browser.conftest import free_port, serve
from tests.conftest import ROOT

#: Seconds for JupyterLab to show the notebook, and for Run All to finish (generous).
OPEN_TIMEOUT = 60
RUN_TIMEOUT = 90
NOTEBOOK = "notebooks/00-scorecard.ipynb"
#: User settings of the test's JupyterLab: start the notebook's kernel without asking
#: (else a "Select Kernel" dialog blocks Run All), and no news or update checks.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"autoStartDefaultKernel": True},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}


@pytest.fixture
def lab(browser, tmp_path):
    """URL of JupyterLab on a copy of the scorecard notebook without its outputs.

    The copy has no stored outputs nor widget state, so the widgets seen come from
    running the cells; ``data`` links to the repository's, for ``../data/sample``.
    """
    root = tmp_path / "lab"
    (root / "notebooks").mkdir(parents=True)
    (root / "data").symlink_to(ROOT / "data", target_is_directory=True)
    nb = nbformat.read(ROOT / NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, root / NOTEBOOK)
    settings = tmp_path / "lab-settings"
    for plugin, values in LAB_SETTINGS.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    token, port = secrets.token_hex(16), free_port()
    cmd = [sys.executable, "-m", "jupyterlab", "--allow-root", "--no-browser",
           "--ServerApp.ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={settings}",
           f"--LabApp.workspaces_dir={settings}"]
    with serve(cmd, port, tmp_path / "lab.log", cwd=root):
        yield f"http://127.0.0.1:{port}/lab/tree/{NOTEBOOK}?token={token}"
    shutil.rmtree(root, ignore_errors=True)


@pytest.mark.browser
def test_scorecard_notebook_runs_in_jupyterlab_with_widgets_and_no_error(browser, lab, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(OPEN_TIMEOUT * 1000)
    try:
        t0 = time.monotonic()
        page.goto(lab, wait_until="commit", timeout=OPEN_TIMEOUT * 1000)
        page.locator(".jp-NotebookPanel .jp-Notebook .jp-CodeCell").first.wait_for(state="visible")
        # the kernel is started and idle before running ("Python 3 (ipykernel) | Idle")
        page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"\|\s*Idle")).first \
            .wait_for(state="visible")
        opened = time.monotonic() - t0
        assert page.locator(".jp-Notebook .widget-dropdown").count() == 0  # nothing run yet

        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-item:not(.lm-mod-disabled)", has=page.locator(
            ".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$"))).click()
        t1 = time.monotonic()
        # every code cell has run: a number in its prompt, none left at [*]
        page.wait_for_function(
            """() => {
                const p = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
                return p.length > 0 && p.every(e => /\\[\\d+\\]/.test(e.textContent));
            }""", timeout=RUN_TIMEOUT * 1000)
        page.locator(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status='idle']") \
            .first.wait_for(state="attached", timeout=RUN_TIMEOUT * 1000)
        ran = time.monotonic() - t1

        dropdowns = page.locator(".jp-Notebook .widget-dropdown")
        dropdowns.first.wait_for(state="visible")
        assert dropdowns.count() >= 3  # the explorer's filter bar, KPI, breakdown, frequency
        assert page.locator(".jp-Notebook .widget-dropdown select").first.locator("option").count() > 1
        stderr = page.locator('.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]')
        errors = [text for text in stderr.all_inner_texts() if "Traceback" in text or "Error" in text]
        assert errors == []
        assert "Error displaying widget" not in page.locator(".jp-Notebook").inner_text()
        assert page.locator(".jp-Notebook .kit-error").count() == 0
        # the static results are there too: the scorecard table and a figure
        assert page.locator(".jp-Notebook .jp-RenderedHTMLCommon table").count() >= 1
        assert page.locator(".jp-Notebook .jp-RenderedImage img").count() >= 1
    except Exception:
        page.screenshot(path=str(tmp_path / "failure.png"))
        print(f"\nscreenshot of the failure: {tmp_path / 'failure.png'}")
        raise
    else:
        page.screenshot(path=str(tmp_path / "lab.png"))
    finally:
        page.close()
    print(f"\nJupyterLab: notebook open with an idle kernel in {opened:.1f} s; Run All done in {ran:.1f} s")
