"""A pytest plugin (``-p tests.notebook_cache`` in pyproject's addopts): nbval's notebooks share a load cache.

The kernels nbval starts for the notebooks share a load cache, as the notebooks of
``kit report`` do: ``KIT_LOAD_CACHE`` is set while a notebook's cells run (its kernel,
started with the first cell, inherits it) and removed after each cell, so no other
test sees it. The notebooks load data/sample once per test process and share the
scorecard rows of the month (:mod:`kit.io.cache`), and nbval still checks that their
outputs are those committed. A plugin rather than tests/conftest.py, whose test hooks
apply only to the tests under tests/.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest

ENV = "KIT_LOAD_CACHE"
#: The cache folder of this test process, made when the first notebook runs.
_FOLDER: list = []


def _is_notebook_cell(item) -> bool:
    return type(item).__name__ == "IPyNbCell"  # nbval's item: a cell of a notebook


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if _is_notebook_cell(item) and not os.environ.get(ENV):
        if not _FOLDER:
            _FOLDER.append(tempfile.mkdtemp(prefix="kit-nbval-cache."))
            atexit.register(shutil.rmtree, _FOLDER[0], ignore_errors=True)
        os.environ[ENV] = _FOLDER[0]
        item._kit_cache_set = True


def pytest_runtest_teardown(item, nextitem):
    if getattr(item, "_kit_cache_set", False):
        os.environ.pop(ENV, None)
