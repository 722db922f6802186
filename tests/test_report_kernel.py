"""The warm kernel of a report worker (kit.report.kernel): reused, yet each notebook starts clean."""

from __future__ import annotations

import nbformat
import pytest

from kit.report import execute
from kit.report.execute import Task, run_one
from kit.report.kernel import WarmKernel, fresh_kernels


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))
    return str(path)


def _outputs(path):
    nb = nbformat.read(str(path), as_version=4)
    return [("".join(o.get("text", "")) or o.get("data", {}).get("text/plain", "")).strip()
            for c in nb.cells for o in c.get("outputs", [])]


@pytest.fixture
def warm_worker(monkeypatch):
    """run_one as in a report worker: one warm kernel (shut down after the test)."""
    execute.register_engine()
    warm = WarmKernel(execute.KERNEL)
    monkeypatch.setattr(execute, "_WARM", warm)
    yield warm
    warm.shutdown()


def _task(nb, out, **parameters):
    # the notebooks of a report run from one folder (a new folder starts a new kernel)
    return Task("2026-10", nb, str(out), parameters, timeout=60, cwd=str(out.parent))


def test_each_notebook_starts_clean_in_the_same_kernel(tmp_path, warm_worker):
    first = _notebook(
        tmp_path / "first.ipynb",
        "import os, warnings\nimport matplotlib\nimport matplotlib.pyplot as plt\nleft_over = 41",
        "matplotlib.rcParams['lines.linewidth'] = 9\nwarnings.simplefilter('error')\n"
        "fig = plt.figure()\nprint(os.getpid())")
    second = _notebook(
        tmp_path / "second.ipynb",
        "import os, warnings\nimport matplotlib\nimport matplotlib.pyplot as plt",
        "print(os.getpid())",
        "print('left_over' in globals(), matplotlib.rcParams['lines.linewidth'], "
        "len(plt.get_fignums()), any(f[0] == 'error' and f[2] is Warning for f in warnings.filters))")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    r1 = run_one(_task(first, tmp_path / "a"))
    r2 = run_one(_task(second, tmp_path / "b"))
    assert r1.ok and r2.ok, (r1.traceback, r2.traceback)
    pid1 = _outputs(tmp_path / "a" / "first.ipynb")[0]
    pid2, state = _outputs(tmp_path / "b" / "second.ipynb")
    assert pid1 == pid2  # the same kernel process
    # nothing of the first notebook is left: its names, rcParams, figures, warnings filters
    assert state == "False 1.5 0 False"
    counts = [c.execution_count for c in nbformat.read(str(tmp_path / "b" / "second.ipynb"), 4).cells]
    assert counts == [1, 2, 3]  # In [n] as in a new kernel


def test_a_failed_notebook_takes_its_kernel_with_it(tmp_path, warm_worker):
    failing = _notebook(tmp_path / "fail.ipynb", "import os\nprint(os.getpid())", "1 / 0")
    after = _notebook(tmp_path / "after.ipynb", "import os\nprint(os.getpid())")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    bad = run_one(_task(failing, tmp_path / "a"))
    assert not bad.ok and bad.error.startswith("ZeroDivisionError") and bad.exec_count == 2
    assert warm_worker._km is None  # discarded at once
    good = run_one(_task(after, tmp_path / "b"))
    assert good.ok, good.traceback
    assert _outputs(tmp_path / "b" / "after.ipynb")[0] != _outputs(tmp_path / "a" / "fail.ipynb")[0]


def test_fresh_kernels_on_request(monkeypatch):
    monkeypatch.setenv("KIT_FRESH_KERNELS", "1")
    assert fresh_kernels()
    monkeypatch.setattr(execute, "_WARM", None)
    execute.start_worker()
    assert execute._WARM is None  # every notebook gets a new kernel, as papermill gives
    monkeypatch.setenv("KIT_FRESH_KERNELS", "0")
    assert not fresh_kernels()


def _port_taken_kernel(port: int, times: int):
    """A WarmKernel class whose first ``times`` kernels are given ``port``, already in use,
    as their shell port (the port race of jupyter_client: such a kernel exits); and the
    list of the kernel managers it made."""
    made = []

    class PortTaken(WarmKernel):
        def _new_manager(self):
            km = super()._new_manager()
            if len(made) < times:  # jupyter_client keeps the ports it is given when it caches none
                km.cache_ports, km.shell_port = False, port
            made.append(km)
            return km

    return PortTaken(execute.KERNEL), made


@pytest.fixture
def taken_port():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


def test_a_kernel_that_dies_starting_is_started_again_on_new_ports(tmp_path, taken_port):
    warm, made = _port_taken_kernel(taken_port, times=1)
    try:
        km = warm.manager(str(tmp_path))
        assert len(made) == 2 and km is made[1]
        assert made[0].shell_port == taken_port != km.shell_port
    finally:
        warm.shutdown()


def test_a_kernel_that_keeps_dying_is_an_error(tmp_path, monkeypatch, taken_port):
    from kit.report import kernel

    monkeypatch.setattr(kernel, "START_ATTEMPTS", 2)
    warm, made = _port_taken_kernel(taken_port, times=99)
    try:
        with pytest.raises(RuntimeError, match="Kernel died before replying to kernel_info"):
            warm.manager(str(tmp_path))
        assert len(made) == 2 and warm._km is None
    finally:
        warm.shutdown()


def test_what_the_kernel_prints_outside_cells_goes_to_the_notebook_that_caused_it(tmp_path, warm_worker):
    # text written on the kernel's own stderr (a C library, a crash) belongs in report.log
    # under the notebook that ran, also when the kernel started during an earlier one
    quiet = _notebook(tmp_path / "quiet.ipynb", "x = 1")
    loud = _notebook(tmp_path / "loud.ipynb", "import os\nos.write(2, b'said on fd 2 by the kernel\\n')")
    (tmp_path / "out").mkdir()
    r1 = run_one(_task(quiet, tmp_path / "out"))
    r2 = run_one(_task(loud, tmp_path / "out"))
    assert r1.ok and r2.ok, (r1.traceback, r2.traceback)
    assert "said on fd 2 by the kernel" not in r1.console
    assert "said on fd 2 by the kernel" in r2.console
