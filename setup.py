"""Build hook: ship the notebooks and the sample dataset inside the ``kit`` package.

The metadata is in pyproject.toml. The notebooks (``notebooks/*.ipynb``) and the
sample (``data/sample/``) live at the top of the checkout, where the Makefile, nbval
and the README use them; a wheel copies them to ``kit/_notebooks/`` and
``kit/_sample/`` so that ``kit report`` and ``kit notebooks --copy DIR`` work from
an installed kit (``kit/shipped.py`` finds them). An editable install (``pip install
-e .``) copies nothing: the checkout's own folders are used.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: (folder of the checkout, glob, folder inside the ``kit`` package)
SHIPPED = [
    ("notebooks", "*.ipynb", "_notebooks"),
    ("data/sample", "*", "_sample"),
]


class BuildPyWithData(build_py):
    """``build_py`` that also copies :data:`SHIPPED` into the built ``kit`` package."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for source, pattern, target in SHIPPED:
            files = [p for p in sorted((ROOT / source).glob(pattern))
                     if p.is_file() and not p.name.startswith((".", "_"))]
            if not files:
                raise SystemExit(f"setup.py: nothing to ship in {ROOT / source} ({pattern}); "
                                 "build the wheel from a complete checkout.")
            dest = Path(self.build_lib) / "kit" / target
            dest.mkdir(parents=True, exist_ok=True)
            for p in files:
                shutil.copy2(p, dest / p.name)


setup(cmdclass={"build_py": BuildPyWithData})
