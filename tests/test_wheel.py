"""An installed kit, outside the checkout: the wheel carries the notebooks and the sample.

The wheel is built from a copy of the checkout (``pip wheel --no-build-isolation``,
offline), installed with ``--no-deps`` in a fresh virtual environment whose links
to this one are a ``.pth`` file naming this interpreter's site-packages and
``JUPYTER_PATH`` naming its ``share/jupyter`` (the dependencies and their data files
are already there: no download). Then ``kit report --notebooks 00``
and ``kit notebooks --copy`` run from a folder that has no ``data/`` nor
``notebooks/``, with no ``PYTHONPATH``: everything comes from the installed package.
This runs in ``make test`` and in CI (nothing here is skipped when ``CI=true``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, require

#: What a build needs from the checkout (tests, bench and caches stay out).
SOURCE_ITEMS = ["pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "kit", "notebooks", "data"]


def _run(cmd, *, cwd, env, timeout=600):
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, (f"{cmd} exited with {proc.returncode}:\n"
                                  f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """``(venv python, bin folder, env, work folder)`` of a fresh venv with the built wheel."""
    require("wheel")
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info")
    for item in SOURCE_ITEMS:
        if (ROOT / item).is_dir():
            shutil.copytree(ROOT / item, src / item, ignore=ignore)
        else:
            shutil.copy2(ROOT / item, src / item)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "MPLBACKEND")}
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
          "--quiet", "-w", tmp / "dist", src], cwd=tmp, env=env)
    wheels = list((tmp / "dist").glob("kit-*.whl"))
    assert len(wheels) == 1, wheels

    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp, env=env)
    python = venv / "bin" / "python"
    purelib = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                        cwd=tmp, env=env).strip())
    # the dependencies: this interpreter's site-packages, after the venv's own
    deps = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (purelib / "_kit_test_deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
          "--quiet", wheels[0]], cwd=tmp, env=env)
    work = tmp / "work"
    work.mkdir()
    # the dependencies' data files too (nbconvert's HTML templates), as an install would have them
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return python, venv / "bin", env, work, wheels[0]


def test_wheel_ships_the_notebooks_and_the_sample(installed):
    *_, wheel = installed
    names = zipfile.ZipFile(wheel).namelist()
    for nb in sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb")):
        assert f"kit/_notebooks/{nb}" in names
    for csv in sorted(p.name for p in (ROOT / "data" / "sample").glob("*.csv")):
        assert f"kit/_sample/{csv}" in names
    assert "kit/presets/hubspot.yaml" in names
    assert "kit/py.typed" in names  # PEP 561: the kit's annotations are meant to be read
    assert not any(n.startswith(("tests/", "notebooks/", "data/")) for n in names)


def test_installed_kit_has_its_version(installed):
    # pyproject.toml reads the version from kit/_version.py
    from kit import __version__

    python, _, env, work, wheel = installed
    assert wheel.name.startswith(f"kit-{__version__}-")
    assert _run([python, "-c", "import kit; print(kit.__version__)"], cwd=work, env=env).strip() == __version__


def test_installed_kit_is_imported_from_the_venv_not_the_checkout(installed):
    python, _, env, work, _ = installed
    where = _run([python, "-c", "import kit, kit.shipped as s; print(kit.__file__); "
                  "print(s.notebooks_folder()); print(s.sample_folder())"], cwd=work, env=env).split()
    venv = python.parent.parent
    assert all(Path(p).is_relative_to(venv) for p in where), where
    assert where[1].endswith("_notebooks") and where[2].endswith("_sample")


def test_installed_kit_report_runs_the_scorecard_on_the_shipped_sample(installed):
    _, bin_, env, work, _ = installed
    out = _run([bin_ / "kit", "report", "--notebooks", "00", "--jobs", "1", "--no-progress",
                "--out", work / "reports"], cwd=work, env=env)
    assert "wrote" in out and "index:" in out
    month = work / "reports" / "2026-10"  # the last complete month of the sample
    assert (month / "00-scorecard.ipynb").is_file() and (month / "00-scorecard.html").is_file()
    kpis = json.loads((month / "kpis.json").read_text())
    assert kpis, "kpis.json lists the headline KPIs"
    assert (work / "reports" / "index.html").is_file()
    assert not (work / "data").exists() and not (work / "notebooks").exists()


def test_installed_kit_notebooks_copy_gives_runnable_notebooks(installed):
    _, bin_, env, work, _ = installed
    dest = work / "desk"
    out = _run([bin_ / "kit", "notebooks", "--copy", dest], cwd=work, env=env)
    assert f"copied {len(list((ROOT / 'notebooks').glob('*.ipynb')))} notebooks" in out
    assert (dest / "notebooks" / "explore.ipynb").is_file()
    assert (dest / "data" / "sample" / "leads.csv").read_bytes() == \
        (ROOT / "data" / "sample" / "leads.csv").read_bytes()
    again = subprocess.run([str(bin_ / "kit"), "notebooks", "--copy", str(dest)], cwd=work, env=env,
                           capture_output=True, text=True)
    assert again.returncode == 1
    assert "already exist(s)" in again.stderr and "--overwrite" in again.stderr
