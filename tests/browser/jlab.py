"""JupyterLab in the browser tests: a copy of a notebook without outputs, user settings, Run All.

``test_lab.py`` (the scorecard notebook) and ``test_explore.py`` (the tutorial, as
``make lab`` starts it) share these steps.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import nbformat

from tests.conftest import ROOT

#: User settings of the tests' JupyterLab: start the notebook's kernel without asking
#: (else a "Select Kernel" dialog blocks Run All), and no news or update checks.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"autoStartDefaultKernel": True},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}


def copy_without_outputs(notebook: Path, dest: Path) -> None:
    """Write ``notebook`` to ``dest`` with no stored output nor widget state (the widgets
    seen then come from running the cells); ``dest``'s grandparent gets a ``data`` link to
    the repository's, for ``../data/sample``."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    data = dest.parent.parent / "data"
    if not data.exists():
        data.symlink_to(ROOT / "data", target_is_directory=True)
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, dest)


def write_settings(folder: Path, settings: dict) -> Path:
    """Write JupyterLab user ``settings`` (``{plugin: values}``) into ``folder``; return it."""
    for plugin, values in settings.items():
        path = folder / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    return folder


def open_notebook(page, url: str, timeout: float) -> float:
    """Open ``url`` and wait until the notebook shows with an idle kernel; the seconds it took."""
    t0 = time.monotonic()
    page.goto(url, wait_until="commit", timeout=timeout * 1000)
    page.locator(".jp-NotebookPanel .jp-Notebook .jp-CodeCell").first.wait_for(state="visible")
    # the kernel is started and idle before running ("Python 3 (ipykernel) | Idle")
    page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"\|\s*Idle")).first \
        .wait_for(state="visible")
    return time.monotonic() - t0


def run_all(page, timeout: float) -> float:
    """Run > Run All Cells, and wait until every code cell has run (a number in its prompt,
    none left at ``[*]``) and the kernel is idle; the seconds it took."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-item:not(.lm-mod-disabled)", has=page.locator(
        ".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$"))).click()
    t0 = time.monotonic()
    page.wait_for_function(
        """() => {
            const p = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
            return p.length > 0 && p.every(e => /\\[\\d+\\]/.test(e.textContent));
        }""", timeout=timeout * 1000)
    page.locator(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status='idle']") \
        .first.wait_for(state="attached", timeout=timeout * 1000)
    return time.monotonic() - t0


def stderr_errors(page) -> list[str]:
    """The stderr outputs of the notebook that hold a traceback or an error."""
    stderr = page.locator('.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]')
    return [text for text in stderr.all_inner_texts() if "Traceback" in text or "Error" in text]
