"""The notebooks and the sample dataset, in a checkout or inside an installed kit.

In a source checkout they are ``notebooks/`` and ``data/sample/`` next to the
``kit`` package. A wheel carries copies in ``kit/_notebooks/`` and ``kit/_sample/``
(``setup.py`` puts them there), so that ``kit report`` and ``kit notebooks --copy``
work after ``pip install kit-*.whl`` outside any checkout.

Examples
--------
>>> sorted(p.name for p in notebooks_folder().glob("0*.ipynb"))[:2]
['00-scorecard.ipynb', '01-funnel.ipynb']
>>> (sample_folder() / "leads.csv").is_file()
True
"""

from __future__ import annotations

import shutil
from pathlib import Path

from kit.errors import KitError

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parent
#: The default ``--data`` of ``kit report``: the sample, relative to the current folder.
DEFAULT_DATA = "data/sample"


def _first(candidates, what: str, fix: str) -> Path:
    for c in candidates:
        if c.is_dir() and any(c.iterdir()):
            return c
    raise KitError(f"{what} not found (looked in {', '.join(str(c) for c in candidates)}). {fix}")


def notebooks_folder() -> Path:
    """The report notebooks: the checkout's ``notebooks/``, else those shipped in the package.

    Raises
    ------
    KitError
        When neither exists (a kit installed from a wheel built without them).

    Examples
    --------
    >>> (notebooks_folder() / "explore.ipynb").is_file()
    True
    """
    return _first([CHECKOUT / "notebooks", PACKAGE / "_notebooks"], "the kit's notebooks",
                  "Reinstall kit from a wheel built by `pip wheel .` in a checkout, or pass the "
                  "folder of your notebooks with --notebook-dir.")


def sample_folder() -> Path:
    """The sample dataset: the checkout's ``data/sample/``, else the copy shipped in the package.

    Raises
    ------
    KitError
        When neither exists.

    Examples
    --------
    >>> sample_folder().name in ("sample", "_sample")
    True
    """
    return _first([CHECKOUT / "data" / "sample", PACKAGE / "_sample"], "the sample dataset",
                  "Pass your own data with --data FOLDER, or reinstall kit from a wheel built "
                  "in a checkout.")


def default_data(data: str) -> str:
    """``data`` as given, except the default ``data/sample`` when the current folder has none.

    ``kit report`` run outside a checkout (an installed kit) then reads the sample
    shipped with the package.

    Examples
    --------
    >>> default_data("crm.duckdb")
    'crm.duckdb'
    >>> import os, tempfile
    >>> here = os.getcwd(); os.chdir(tempfile.mkdtemp())
    >>> default_data("data/sample") == str(sample_folder())
    True
    >>> os.chdir(here)
    """
    if str(data) == DEFAULT_DATA and not Path(DEFAULT_DATA).is_dir():
        return str(sample_folder())
    return data


def copy_notebooks(dest, *, sample: bool = True, overwrite: bool = False) -> list[Path]:
    """Copy the notebooks to ``dest/notebooks/`` and the sample to ``dest/data/sample/``.

    The notebooks' ``data`` parameter defaults to ``../data/sample``, so the copies
    run as they are in JupyterLab; point ``data`` at your own folder to use them on it.

    Parameters
    ----------
    dest : str or path
        The folder to fill (created if needed).
    sample : bool
        Copy the sample dataset too.
    overwrite : bool
        Replace notebooks that already exist in ``dest/notebooks/``.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    KitError
        When a notebook already exists there and ``overwrite`` is false (nothing is
        copied), or when the notebooks or the sample cannot be found.

    Examples
    --------
    >>> import tempfile
    >>> dest = Path(tempfile.mkdtemp())
    >>> written = copy_notebooks(dest)
    >>> (dest / "notebooks" / "explore.ipynb").is_file(), (dest / "data" / "sample" / "leads.csv").is_file()
    (True, True)
    >>> copy_notebooks(dest)
    Traceback (most recent call last):
    ...
    kit.errors.KitError: ... already exist(s) in .../notebooks: ... Pass --overwrite to replace them, or choose another folder.
    """
    dest = Path(dest)
    notebooks = [p for p in sorted(notebooks_folder().glob("*.ipynb")) if not p.name.startswith((".", "_"))]
    there = [p.name for p in notebooks if (dest / "notebooks" / p.name).exists()]
    if there and not overwrite:
        raise KitError(
            f"{len(there)} notebook(s) already exist(s) in {dest / 'notebooks'}: {', '.join(there)}. "
            "Pass --overwrite to replace them, or choose another folder.")
    written = []
    (dest / "notebooks").mkdir(parents=True, exist_ok=True)
    for p in notebooks:
        written.append(Path(shutil.copy2(p, dest / "notebooks" / p.name)))
    if sample:
        target = dest / "data" / "sample"
        target.mkdir(parents=True, exist_ok=True)
        for p in sorted(sample_folder().iterdir()):
            if p.is_file():
                written.append(Path(shutil.copy2(p, target / p.name)))
    return written


__all__ = ["copy_notebooks", "default_data", "notebooks_folder", "sample_folder"]
