"""Run one notebook with papermill and export it to HTML without code.

:func:`run_one` is what each worker process of a report runs. It never raises for
a notebook that fails: it returns a :class:`RunResult` saying which cell failed
and the full traceback, so that the other runs go on. The kernel's own console
output (warnings, tracebacks) goes into the result, not onto the console.

Examples
--------
>>> from kit.report.execute import first_line
>>> first_line("\\n\\n  rep = story.open_report(data)\\nrep.intro()")
'rep = story.open_report(data)'
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from kit.report.export import export_html
from kit.report.kernel import ENGINE, WarmKernel, fresh_kernels, register_engine

KERNEL = "python3"
#: Optional format checker that jsonschema (under nbformat, papermill, nbconvert) imports
#: at its own import when installed; rfc3987-syntax 1.1 compiles its grammars then, some
#: 1.5 s of CPU per process, for "iri" formats a notebook never holds
#: (python-jsonschema/jsonschema#1392). See :func:`skip_unused_format_checker`.
UNUSED_FORMAT_CHECKER = "rfc3987_syntax"
_ANSI = re.compile("\x1b\\[[0-9;]*[A-Za-z]")
#: The warm kernel of this worker process (:func:`start_worker`); None: a new kernel per notebook.
_WARM: WarmKernel | None = None


@dataclass
class Task:
    """One notebook to run for one month."""

    month: str
    notebook: str          # path of the source notebook
    out_dir: str           # folder receiving NAME.ipynb and NAME.html
    parameters: dict
    timeout: float
    cwd: str


@dataclass
class RunResult:
    """What happened to one :class:`Task`."""

    month: str
    notebook: str
    ok: bool
    seconds: float
    parameters: dict
    cell: int | None = None          # index of the failing cell in the source notebook
    exec_count: int | None = None    # its "In [n]" in the executed notebook
    cell_source: str = ""
    error: str = ""                  # "ZeroDivisionError: division by zero"
    traceback: str = ""              # full traceback, ANSI colours removed
    console: str = ""                # what the kernel and papermill printed
    files: list = field(default_factory=list)

    @property
    def name(self) -> str:
        """File name of the notebook."""
        return Path(self.notebook).name

    def summary(self) -> str:
        """One line naming the notebook, the cell and the parameters.

        Examples
        --------
        >>> RunResult("2026-10", "nb/01-funnel.ipynb", False, 1.0, {"month": "2026-10"},
        ...           cell=4, exec_count=5, cell_source="1/0  # boom\\nmore",
        ...           error="ZeroDivisionError: division by zero").summary()
        "01-funnel.ipynb failed in cell 4 (In [5]: 1/0  # boom) with ZeroDivisionError: division by zero; parameters: month='2026-10'"
        """
        params = ", ".join(f"{k}={v!r}" for k, v in self.parameters.items())
        if self.ok:
            return f"{self.name} ran in {self.seconds:.1f} s; parameters: {params}"
        where = ""
        if self.cell is not None:
            count = f"In [{self.exec_count}]: " if self.exec_count is not None else ""
            where = f" in cell {self.cell} ({count}{first_line(self.cell_source)})"
        return f"{self.name} failed{where} with {self.error}; parameters: {params}"


def skip_unused_format_checker() -> bool:
    """Keep jsonschema from loading the "iri" format checker in this process; True if it will.

    Called where the kit owns the process: the ``kit report`` command and its
    worker processes (the pool's initializer), before nbformat is first imported.
    jsonschema treats the checker as optional (``ImportError`` is expected), so
    notebooks validate exactly as before; only the "iri" and "iri-reference"
    formats, which notebooks do not use, go unchecked. When jsonschema is already
    imported it is too late and nothing is changed.

    Examples
    --------
    >>> import sys
    >>> skip_unused_format_checker() == ("jsonschema" not in sys.modules
    ...                                  or sys.modules.get(UNUSED_FORMAT_CHECKER, 0) is None)
    True
    """
    if "jsonschema" in sys.modules:
        return sys.modules.get(UNUSED_FORMAT_CHECKER, 0) is None
    sys.modules.setdefault(UNUSED_FORMAT_CHECKER, None)
    return sys.modules[UNUSED_FORMAT_CHECKER] is None


def start_worker() -> None:
    """Start a report's worker process: skip the unused format checker, import papermill and nbconvert.

    The pool's initializer: the workers pay these imports while the parent
    process loads the data, not when the first notebook is due. Unless
    ``KIT_FRESH_KERNELS=1``, the worker then runs its notebooks in one warm kernel
    (:mod:`kit.report.kernel`), shut down when the worker exits.
    """
    global _WARM
    skip_unused_format_checker()
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401

    if not fresh_kernels():
        from multiprocessing import util

        register_engine()
        _WARM = WarmKernel(KERNEL)
        util.Finalize(None, _WARM.shutdown, exitpriority=10)  # run as the worker exits


def _warm_kernel(cwd: str) -> dict:
    """papermill's engine arguments running a notebook in this worker's warm kernel ({} for none)."""
    if _WARM is None:
        return {}
    return {"engine_name": ENGINE, "km": _WARM.manager(cwd)}


def first_line(source: str) -> str:
    """First non-blank line of a cell's source, stripped."""
    for line in str(source).splitlines():
        if line.strip():
            return line.strip()
    return ""


def strip_ansi(text: str) -> str:
    """Remove terminal colour codes.

    Examples
    --------
    >>> strip_ansi("\\x1b[0;31mZeroDivisionError\\x1b[0m")
    'ZeroDivisionError'
    """
    return _ANSI.sub("", text)


def run_one(task: Task) -> RunResult:
    """Execute ``task.notebook`` with papermill, then export its HTML; never raises on failure.

    The executed notebook is written to ``out_dir/NAME.ipynb`` and, without code
    cells, to ``out_dir/NAME.html`` (also when a cell failed, so the error shows).

    Examples
    --------
    >>> import tempfile
    >>> res = run_one(Task("2026-10", "missing.ipynb", tempfile.mkdtemp(), {"month": "2026-10"},
    ...                    timeout=60, cwd="."))
    >>> res.ok, res.error.split(":")[0], res.files
    (False, 'FileNotFoundError', [])
    """
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    src = Path(task.notebook)
    out_dir = Path(task.out_dir)
    out_nb = out_dir / src.name
    out_html = out_dir / (src.stem + ".html")
    result = RunResult(task.month, str(src), False, 0.0, dict(task.parameters))
    t0 = time.monotonic()
    with _captured_console() as console:
        try:
            papermill.execute_notebook(
                str(src), str(out_nb), parameters=task.parameters, kernel_name=KERNEL,
                progress_bar=False, execution_timeout=task.timeout, cwd=task.cwd,
                log_output=False, report_mode=False, **_warm_kernel(task.cwd),
            )
            result.ok = True
        except PapermillExecutionError as exc:
            result.cell = _source_index(src, exc.cell_index)
            result.exec_count = exc.exec_count
            result.cell_source = exc.source
            result.error = f"{exc.ename}: {exc.evalue}".rstrip(": ")
            result.traceback = strip_ansi("\n".join(exc.traceback))
        except Exception as exc:  # timeout, dead kernel, unreadable notebook...
            result.error = _describe(exc, task.timeout)
            result.traceback = traceback.format_exc()
            if out_nb.exists():
                _locate_stopped_cell(result, out_nb, src)
        if out_nb.exists():
            try:
                export_html(nbformat.read(str(out_nb), as_version=4), out_html)
            except Exception as exc:
                if result.ok:
                    result.ok = False
                    result.error = f"HTML export failed: {type(exc).__name__}: {exc}"
                result.traceback += "\n" + traceback.format_exc()
    result.console = console.text
    if _WARM is not None:
        result.console = "\n".join(t for t in (result.console, _WARM.console().strip()) if t)
        if not result.ok:
            _WARM.shutdown()  # a failed notebook may leave its kernel in any state: not used again
    result.seconds = time.monotonic() - t0
    result.files = [p.name for p in (out_nb, out_html) if p.exists()]
    return result


def _describe(exc: BaseException, timeout: float) -> str:
    name = type(exc).__name__
    if name == "CellTimeoutError" or isinstance(exc, TimeoutError):
        return (f"{name}: a cell ran longer than the timeout of {timeout:g} s "
                "(raise it with --timeout)")
    return f"{name}: {strip_ansi(str(exc)).strip().splitlines()[0] if str(exc).strip() else ''}".rstrip(": ")


def _source_index(src: Path, executed_index: int) -> int:
    """Index in the source notebook of cell ``executed_index`` of the executed one.

    papermill inserts the ``injected-parameters`` cell after the ``parameters``
    cell (at the top when there is none), unless the notebook already has one.
    """
    import nbformat

    nb = nbformat.read(str(src), as_version=4)
    tags = [c.get("metadata", {}).get("tags", []) for c in nb.cells]
    if any("injected-parameters" in t for t in tags):
        return executed_index
    params = next((i for i, t in enumerate(tags) if "parameters" in t), None)
    injected_at = 0 if params is None else params + 1
    return executed_index - 1 if executed_index > injected_at else executed_index


def _locate_stopped_cell(result: RunResult, out_nb: Path, src: Path) -> None:
    """For a run stopped without a cell error (timeout): the last cell that started."""
    import nbformat

    nb = nbformat.read(str(out_nb), as_version=4)
    started = [i for i, c in enumerate(nb.cells)
               if c.cell_type == "code" and c.get("metadata", {}).get("papermill", {}).get("start_time")]
    if started:
        i = started[-1]
        result.cell = _source_index(src, i)
        result.exec_count = nb.cells[i].get("execution_count")
        result.cell_source = nb.cells[i].source


class _Console:
    text = ""


@contextlib.contextmanager
def _captured_console():
    """Send this process's stdout/stderr (inherited by the kernel) and papermill's log to a buffer."""
    box = _Console()
    log = logging.getLogger("papermill")
    handler_stream = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
    handler = logging.StreamHandler(handler_stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s: %(message)s"))
    old_level, old_propagate = log.level, log.propagate
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    with tempfile.TemporaryFile(mode="w+b") as sink:
        sys.stdout.flush()
        sys.stderr.flush()
        saved = {fd: os.dup(fd) for fd in (1, 2)}
        try:
            for fd in (1, 2):
                os.dup2(sink.fileno(), fd)
            yield box
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            for fd, copy in saved.items():
                os.dup2(copy, fd)
                os.close(copy)
            log.removeHandler(handler)
            log.setLevel(old_level)
            log.propagate = old_propagate
            handler_stream.seek(0)
            sink.seek(0)
            box.text = (handler_stream.read() + sink.read().decode("utf-8", "replace")).strip()
            handler_stream.close()
