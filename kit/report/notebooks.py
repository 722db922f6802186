"""Which notebooks a report runs: finding, selecting and inspecting them.

Examples
--------
>>> from kit.report.notebooks import select_notebooks
>>> [p.name for p in select_notebooks(["00-scorecard.ipynb", "01-funnel.ipynb",
...     "dashboard.ipynb"], "01,dashboard")]
['01-funnel.ipynb', 'dashboard.ipynb']
"""

from __future__ import annotations

import re
from pathlib import Path

from kit.errors import ReportError, did_you_mean
from kit.report.execute import KERNEL

#: Parameters every report notebook must declare in its ``parameters`` cell.
REQUIRED_PARAMETERS = ("data", "month")

_NUMBERED = re.compile(r"^\d{2}-")


def notebook_dir(path=None) -> Path:
    """The folder of the report notebooks.

    ``path`` when given; else ``./notebooks`` when it holds notebooks; else the
    ``notebooks`` folder next to the ``kit`` package (a source checkout); else the
    copies shipped inside an installed package (``kit/_notebooks``, see ``setup.py``).

    Raises
    ------
    ReportError
        When the folder does not exist or holds no notebook.

    Examples
    --------
    >>> notebook_dir().name
    'notebooks'
    """
    if path is not None:
        candidates = [Path(path)]
    else:
        candidates = [Path.cwd() / "notebooks", Path(__file__).resolve().parents[2] / "notebooks",
                      Path(__file__).resolve().parents[1] / "_notebooks"]
    for c in candidates:
        if c.is_dir() and any(c.glob("*.ipynb")):
            return c.resolve()
    if path is None and candidates[1].is_dir():
        return candidates[1].resolve()
    raise ReportError(
        f"no folder of notebooks found (looked in {', '.join(str(c) for c in candidates)}). "
        "Run the command from the project folder, or pass notebook_dir= the folder holding the "
        "report notebooks (00-scorecard.ipynb, ...)."
    )


def available(folder) -> list[Path]:
    """Notebooks of ``folder`` in name order (hidden and ``_``-prefixed files left out).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ["01-funnel.ipynb", "_draft.ipynb", "00-scorecard.ipynb"]:
    ...     _ = (folder / name).write_text("{}")
    >>> [p.name for p in available(folder)]
    ['00-scorecard.ipynb', '01-funnel.ipynb']
    """
    folder = Path(folder)
    return sorted(p for p in folder.glob("*.ipynb")
                  if not p.name.startswith((".", "_")) and "-checkpoint" not in p.name)


def is_default(path) -> bool:
    """Whether a notebook runs when no selection is given: the numbered ones (``00-...``).

    Examples
    --------
    >>> is_default("notebooks/01-funnel.ipynb"), is_default("notebooks/dashboard.ipynb")
    (True, False)
    """
    return bool(_NUMBERED.match(Path(path).name))


def select_notebooks(paths, selection=None) -> list[Path]:
    """Pick notebooks from ``paths`` by number, name or file name.

    Parameters
    ----------
    paths : list of path
        The notebooks available.
    selection : None, str or list of str
        ``None`` or empty: the numbered notebooks. Otherwise comma-separated (or a
        list of) numbers (``"01"``), names (``"01-funnel"``, ``"funnel"``) or file
        names (``"01-funnel.ipynb"``).

    Raises
    ------
    ReportError
        For a name that matches no notebook, listing the available ones.

    Examples
    --------
    >>> [p.name for p in select_notebooks(["00-scorecard.ipynb", "dashboard.ipynb"])]
    ['00-scorecard.ipynb']
    >>> select_notebooks(["00-scorecard.ipynb", "01-funnel.ipynb"], "02")
    Traceback (most recent call last):
    ...
    kit.errors.ReportError: unknown notebook '02'; available notebooks: 00-scorecard, 01-funnel. ...
    """
    paths = [Path(p) for p in paths]
    if not selection:
        return [p for p in paths if is_default(p)]
    tokens = selection.split(",") if isinstance(selection, str) else list(selection)
    tokens = [str(t).strip() for t in tokens if str(t).strip()]
    chosen: list[Path] = []
    for token in tokens:
        match = [p for p in paths if _matches(p, token)]
        if not match:
            stems = [p.stem for p in paths]
            raise ReportError(
                f"unknown notebook {token!r}{did_you_mean(token, stems)}; available notebooks: "
                f"{', '.join(stems) or '(none)'}. Pass their numbers or names separated by commas, "
                "e.g. --notebooks 00,01."
            )
        for p in match:
            if p not in chosen:
                chosen.append(p)
    return [p for p in paths if p in chosen]


def _matches(path: Path, token: str) -> bool:
    stem = path.stem
    token = token[:-6] if token.endswith(".ipynb") else token
    if token == stem:
        return True
    if _NUMBERED.match(stem) and (token == stem[:2] or token == stem[3:]):
        return True
    return False


def parameters(path) -> dict:
    """The parameters a notebook declares, read with :func:`papermill.inspect_notebook`.

    Returns ``{name: {"type": ..., "default": ..., "help": ...}}``; empty when the
    notebook has no cell tagged ``parameters``.

    Examples
    --------
    >>> import tempfile, nbformat
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> cell = new_code_cell('month: str = ""  # report month YYYY-MM')
    >>> cell.metadata["tags"] = ["parameters"]
    >>> path = Path(tempfile.mkdtemp()) / "01-demo.ipynb"
    >>> nbformat.write(new_notebook(cells=[cell]), str(path))
    >>> parameters(path)
    {'month': {'type': 'str', 'default': '""', 'help': 'report month YYYY-MM'}}
    """
    import nbformat
    import papermill

    nb = nbformat.read(str(path), as_version=4)
    if nb.metadata.get("kernelspec", {}).get("name"):
        found = papermill.inspect_notebook(str(path))
    else:  # papermill needs a kernel name to read the parameters; reports run python3
        import tempfile

        nb.metadata["kernelspec"] = {"name": KERNEL, "language": "python", "display_name": KERNEL}
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / Path(path).name
            nbformat.write(nb, str(copy))
            found = papermill.inspect_notebook(str(copy))
    return {name: {"type": p.get("inferred_type_name", ""), "default": p.get("default", ""),
                   "help": p.get("help", "")} for name, p in found.items()}


def check_parameters(path, passed=()) -> dict:
    """:func:`parameters` of ``path``, checking it declares :data:`REQUIRED_PARAMETERS` and
    every name of ``passed`` (the load options a report passes: a notebook that does not
    take one would load other data).

    Raises
    ------
    ReportError
        Naming the notebook and the missing parameters.

    Examples
    --------
    >>> import tempfile, nbformat
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> path = Path(tempfile.mkdtemp()) / "01-demo.ipynb"
    >>> nbformat.write(new_notebook(cells=[new_code_cell("1 + 1")]), str(path))
    >>> check_parameters(path)
    Traceback (most recent call last):
    ...
    kit.errors.ReportError: notebook 01-demo.ipynb does not declare the parameter(s) ['data', 'month'] ...
    >>> cell = new_code_cell('data: str = ""' + chr(10) + 'month: str = ""')
    >>> cell.metadata["tags"] = ["parameters"]
    >>> nbformat.write(new_notebook(cells=[cell]), str(path))
    >>> sorted(check_parameters(path))
    ['data', 'month']
    >>> check_parameters(path, passed=["currency"])
    Traceback (most recent call last):
    ...
    kit.errors.ReportError: notebook 01-demo.ipynb does not declare the parameter(s) ['currency'] ...
    """
    found = parameters(path)
    missing = [p for p in REQUIRED_PARAMETERS if p not in found]
    if missing:
        why = "a report notebook needs at least data and month"
        example = ', e.g. month: str = ""  # report month YYYY-MM.'
    else:
        missing = [p for p in passed if p not in found]
        why = "this report passes them to load the data"
        example = (" (python -m notebooks._build writes the notebooks of kit with them), or run the "
                   "report without these options.")
    if missing:
        raise ReportError(
            f"notebook {Path(path).name} does not declare the parameter(s) {missing} in a cell "
            f"tagged 'parameters' (it declares {sorted(found) or 'none'}); {why}. Add them to its "
            f"parameters cell{example}"
        )
    return found


def describe(folder) -> str:
    """Plain-text list of the notebooks of ``folder`` and their parameters (for ``--help``).

    Notebooks with the same parameters are listed together, their parameters once.

    Examples
    --------
    >>> import tempfile, nbformat
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> folder = Path(tempfile.mkdtemp())
    >>> cell = new_code_cell('month: str = ""  # report month YYYY-MM')
    >>> cell.metadata["tags"] = ["parameters"]
    >>> for name in ["00-a.ipynb", "01-b.ipynb"]:
    ...     nbformat.write(new_notebook(cells=[cell]), str(folder / name))
    >>> print(describe(folder))
      00-a
      01-b
        parameters:
          month: str = ""  # report month YYYY-MM
    """
    groups: list[tuple[list[str], list[str]]] = []
    for p in available(folder):
        name = p.stem + ("" if is_default(p) else " (only when named in --notebooks)")
        try:
            lines = [f"{n}: {i['type']} = {i['default']}  # {i['help']}".rstrip(" #")
                     for n, i in parameters(p).items()] or ["(no parameters cell)"]
        except Exception as exc:  # an unreadable notebook must not break --help
            lines = [f"(cannot read its parameters: {exc})"]
        for names, params in groups:
            if params == lines:
                names.append(name)
                break
        else:
            groups.append(([name], lines))
    out = []
    for names, params in groups:
        out += [f"  {n}" for n in names]
        out += ["    parameters:"] + [f"      {line}" for line in params]
    return "\n".join(out)
