"""The scorecard notebook in JupyterLab, run by hand in Chromium: widgets render, no error."""

from __future__ import annotations

import secrets
import shutil
import sys

import pytest

from tests.browser.conftest import free_port, serve
from tests.browser.jlab import LAB_SETTINGS, copy_without_outputs, open_notebook, run_all, stderr_errors, write_settings
from tests.conftest import ROOT

#: Seconds for JupyterLab to show the notebook, and for Run All to finish (generous).
OPEN_TIMEOUT = 60
RUN_TIMEOUT = 90
NOTEBOOK = "notebooks/00-scorecard.ipynb"
@pytest.fixture
def lab(browser, tmp_path):
    """URL of JupyterLab on a copy of the scorecard notebook without its outputs.

    The copy has no stored outputs nor widget state, so the widgets seen come from
    running the cells; ``data`` links to the repository's, for ``../data/sample``.
    """
    root = tmp_path / "lab"
    copy_without_outputs(ROOT / NOTEBOOK, root / NOTEBOOK)
    settings = write_settings(tmp_path / "lab-settings", LAB_SETTINGS)
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
        opened = open_notebook(page, lab, OPEN_TIMEOUT)
        assert page.locator(".jp-Notebook .widget-dropdown").count() == 0  # nothing run yet
        ran = run_all(page, RUN_TIMEOUT)

        dropdowns = page.locator(".jp-Notebook .widget-dropdown")
        dropdowns.first.wait_for(state="visible")
        assert dropdowns.count() >= 3  # the explorer's filter bar, KPI, breakdown, frequency
        assert page.locator(".jp-Notebook .widget-dropdown select").first.locator("option").count() > 1
        assert stderr_errors(page) == []
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
