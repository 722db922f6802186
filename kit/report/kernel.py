"""One warm kernel per report worker: started once, reset before each notebook.

Starting a Jupyter kernel and importing what a report notebook needs (ipykernel,
matplotlib, pandas, the kit, statsmodels) costs some 2.5 s of CPU per notebook,
about half of what a notebook of the sample costs. A worker process of
``kit report`` keeps one kernel (:class:`WarmKernel`) and runs its notebooks in it
one after the other; before each notebook the kernel is put back as a new kernel
would be (:data:`RESET`):

- every figure is closed and the user namespace emptied (IPython's
  ``reset(new_session=False)``, then a garbage collection);
- matplotlib's ``rcParams`` and the warnings filters are put back as they were
  once the kernel had started;
- the execution counter starts again at 1, so that the ``In [n]`` of a notebook,
  and of its error messages, are those of a fresh kernel.

Modules stay imported (that is the saving), and with them what the kit keeps per
process: nothing that a notebook's results depend on, since the kit has no
global settings (the language, month and team are parameters of each call).
A notebook that fails, times out or kills its kernel takes the kernel with it:
the next notebook gets a new one. A kernel that dies while starting (one of its
ports taken by another process in the meantime) is started again on new ports.
``KIT_FRESH_KERNELS=1`` in the environment of
``kit report`` gives every notebook a new kernel, as papermill does by default.

Examples
--------
>>> fresh_kernels({"KIT_FRESH_KERNELS": "1"}), fresh_kernels({})
(True, False)
"""

from __future__ import annotations

import os
import tempfile

#: Environment variable: when ``1``, every notebook of a report runs in a new kernel.
ENV = "KIT_FRESH_KERNELS"
#: Name of the module, inside the kernel, holding the state a reset puts back.
_HOLDER = "_kit_warm_kernel"
#: Run once in a new kernel, without history: what every report notebook imports,
#: then the state :data:`RESET` puts back.
SETUP = f"""
import sys as _sys, types as _types
_m = _types.ModuleType({_HOLDER!r})
exec('''
import gc
import warnings
import matplotlib
import matplotlib.pyplot as plt
from IPython import get_ipython
from kit import story  # noqa: F401 - imported once, for every notebook of this kernel
RC = matplotlib.rcParams.copy()
FILTERS = list(warnings.filters)

def reset():
    plt.close("all")
    ip = get_ipython()
    ip.reset(new_session=False)
    gc.collect()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        matplotlib.rcParams.update(RC)
    warnings.filters[:] = FILTERS
    warnings._filters_mutated()
    ip.execution_count = 1
''', _m.__dict__)
_sys.modules[{_HOLDER!r}] = _m
del _sys, _types, _m
"""
#: Run, without history, before each notebook (see the module's docstring).
RESET = f"__import__({_HOLDER!r}).reset()"
#: Kernels started, at most, when each one dies before it is ready (:meth:`WarmKernel._start`).
START_ATTEMPTS = 3
#: Name of the papermill engine running a notebook in a :class:`WarmKernel` (:func:`register_engine`).
ENGINE = "kit-warm"


def fresh_kernels(environ=None) -> bool:
    """Whether every notebook must run in a new kernel (``KIT_FRESH_KERNELS=1``).

    Examples
    --------
    >>> fresh_kernels({"KIT_FRESH_KERNELS": "0"})
    False
    """
    environ = os.environ if environ is None else environ
    return environ.get(ENV, "").strip().lower() in ("1", "true", "yes")


class WarmKernel:
    """A kernel kept across notebooks, reset before each (see the module's docstring).

    Parameters
    ----------
    kernel_name : str
        Jupyter kernel name (``python3``).
    startup_timeout : float
        Seconds allowed for the kernel to start and import the kit.

    Examples
    --------
    >>> import tempfile
    >>> warm = WarmKernel("python3")
    >>> km = warm.manager(tempfile.gettempdir())   # starts the kernel
    >>> warm.manager(tempfile.gettempdir()) is km  # reset, the same kernel
    True
    >>> warm.shutdown()
    """

    def __init__(self, kernel_name: str, startup_timeout: float = 120.0):
        self.kernel_name = kernel_name
        self.startup_timeout = startup_timeout
        self._km = None
        self._cwd = None
        self._log = None   # what the kernels print on their stdout and stderr
        self._read = 0     # how much of it console() has returned

    def manager(self, cwd: str):
        """The kernel manager of a kernel ready for a new notebook run from folder ``cwd``.

        The kernel is started (first call, a new ``cwd``, or after :meth:`shutdown`)
        or reset. A kernel that cannot be reset is replaced.
        """
        from jupyter_core.utils import run_sync

        if self._km is not None and cwd == self._cwd and run_sync(self._km.is_alive)():
            try:
                self._run(RESET)
                return self._km
            except Exception:  # a kernel that cannot be reset is not used again
                pass
        self.shutdown()
        self._start(cwd)
        return self._km

    def _new_manager(self):
        from jupyter_client import AsyncKernelManager

        return AsyncKernelManager(kernel_name=self.kernel_name)

    def _start(self, cwd: str) -> None:
        """Start a kernel and run :data:`SETUP` in it, trying again when it dies on the way.

        jupyter_client picks the kernel's five TCP ports, frees them, and the kernel
        binds them a moment later: another process starting a kernel or opening a
        connection in between takes one, and the kernel exits ("Kernel died before
        replying to kernel_info"; jupyter/jupyter_client#154). A kernel that died
        starting is replaced by one on new ports, up to :data:`START_ATTEMPTS` times;
        a set-up that fails in a live kernel is an error at once.
        """
        from jupyter_core.utils import run_sync

        if self._log is None:
            # appended to whatever the offset: the kernels share it with our reads
            self._log = tempfile.TemporaryFile(mode="a+b")
        for attempt in range(1, START_ATTEMPTS + 1):
            km = self._new_manager()
            # as nbclient starts its kernels (no history file); its console into our log
            run_sync(km.start_kernel)(cwd=cwd, extra_arguments=["--HistoryManager.hist_file=:memory:"],
                                      stdout=self._log, stderr=self._log)
            self._km, self._cwd = km, cwd
            try:
                self._run(SETUP, "its set-up")
                return
            except Exception:
                died = not run_sync(km.is_alive)()
                self.shutdown()
                if not died or attempt == START_ATTEMPTS:
                    raise

    def _run(self, code: str, what: str = "its reset") -> None:
        from jupyter_core.utils import run_sync

        # a client of its own each time: papermill's runs in between use event loops of
        # their own, on which a client kept from before would wait forever
        kc = self._km.client()
        kc.start_channels()
        try:
            run_sync(kc.wait_for_ready)(timeout=self.startup_timeout)
            reply = run_sync(kc.execute_interactive)(
                code, silent=False, store_history=False, timeout=self.startup_timeout,
                output_hook=lambda msg: None)
        finally:
            kc.stop_channels()
        content = reply.get("content", {})
        if content.get("status") != "ok":
            raise RuntimeError(f"the warm kernel could not run {what}: "
                               f"{content.get('ename')}: {content.get('evalue')}")

    def console(self) -> str:
        """What the kernels printed on their own stdout and stderr since the last call.

        A kernel outlives the notebook during which it started, so its console
        (a crash, a warning printed outside any cell) is read here after each
        notebook, rather than from the worker's console at its start.

        Examples
        --------
        >>> WarmKernel("python3").console()
        ''
        """
        if self._log is None:
            return ""
        self._log.seek(self._read)
        data = self._log.read()
        self._read += len(data)
        return data.decode("utf-8", "replace")

    def shutdown(self) -> None:
        """Stop the kernel now (after a failed notebook, or as the worker exits).

        The next :meth:`manager` call starts a new one; nothing happens when none is running.
        """
        from jupyter_core.utils import run_sync

        km = self._km
        self._km = self._cwd = None
        if km is not None:
            try:
                run_sync(km.shutdown_kernel)(now=True)
            except Exception:
                pass


def _no_save(**kwargs) -> None:
    """Stands for papermill's ``NotebookExecutionManager.save`` while the cells run."""


def register_engine() -> str:
    """Register with papermill the engine that runs a notebook in a given kernel; return its name.

    papermill's own engine (nbclient) takes a kernel manager (``km=``) but leaves
    the client it opens on that kernel running; this one closes it after the
    notebook, so that a worker running many notebooks in one kernel does not
    gather open channels. Pass ``engine_name=ENGINE, km=warm.manager(cwd)`` to
    :func:`papermill.execute_notebook`.

    Examples
    --------
    >>> from papermill.engines import papermill_engines
    >>> papermill_engines.get_engine(register_engine()).__name__
    'WarmEngine'
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    class WarmEngine(NBClientEngine):
        """papermill's nbclient engine, closing its client of the kernel it was given.

        papermill writes the whole notebook (figures included) to its output file
        when each cell starts and ends; this engine writes it once, when the
        notebook ends (papermill's ``notebook_complete``, also after a failing
        cell, a timeout or a dead kernel): the same file, without the JSON
        encoding of every intermediate state (0.3 to 0.5 s of a worker's time per
        notebook).
        """

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None,
                                     **kwargs):
            # the arguments as papermill's NBClientEngine passes them to its client
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs, timeout=execution_timeout or kwargs.get("timeout"),
                startup_timeout=start_timeout, kernel_name=kernel_name, log=logger,
                log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file)
            client = PapermillNotebookClient(nb_man, **final_kwargs)
            nb_man.save = _no_save  # until papermill's notebook_complete (see the class)
            try:
                return client.execute()
            finally:
                del nb_man.save
                if client.kc is not None:
                    client.kc.stop_channels()

    papermill_engines.register(ENGINE, WarmEngine)
    return ENGINE
