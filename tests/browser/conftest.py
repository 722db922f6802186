"""Browser tests: a server on a free loopback port, driven by Debian's Chromium.

Playwright drives ``/usr/bin/chromium`` (never ``playwright install``: there is no
internet). Without Chromium or Playwright the tests are skipped, except in CI
(``CI=true``) where they fail. Run them alone with ``pytest -m browser -s`` (``-s``
shows the measured times).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import IN_CI, ROOT, require

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

#: What ``make dashboard`` runs after ``voila`` (the port aside); checked against the Makefile.
VOILA_OPTIONS = ["notebooks/dashboard.ipynb", "--no-browser", "--Voila.ip=127.0.0.1",
                 "--preheat_kernel=True", "--pool_size=1",
                 "--MappingKernelManager.cull_idle_timeout=60",
                 "--MappingKernelManager.cull_interval=30"]

#: Seconds a server may take to listen.
SERVER_START_TIMEOUT = 60


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives Chromium against a Voilà or JupyterLab server (slow; "
                   "skipped without Chromium and Playwright, except in CI)")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env() -> dict:
    """The environment of a server started by hand: no test-only matplotlib backend.

    A ``MPLBACKEND=Agg`` set by the caller's environment would reach the kernels and
    show no figure (``plt.show()`` does nothing on Agg), unlike ``make dashboard``.
    """
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


@contextmanager
def serve(cmd: list[str], port: int, log: Path, *, cwd: Path = ROOT):
    """Run ``cmd`` in its own process group until the block ends; wait for ``port``.

    Yields the :class:`subprocess.Popen`. At the end the whole group (server and
    kernels) gets SIGTERM, then SIGKILL after 10 s.
    """
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=server_env(), stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"{cmd[:3]} exited with code {proc.returncode} before listening on port "
                            f"{port}; its log ({log}):\n{log.read_text(errors='replace')[-3000:]}")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"{cmd[:3]} did not listen on port {port} within {SERVER_START_TIMEOUT} s; "
                            f"its log ({log}):\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)
        yield proc
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    """Stop the server's process group, then any of its kernels still alive.

    Kernels run in sessions of their own (jupyter_client starts them so), so the
    group signal does not reach them: the server shuts them down on SIGTERM, and
    those left are killed by process id.
    """
    import psutil

    try:
        kernels = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        kernels = []
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    _, alive = psutil.wait_procs(kernels, timeout=5)
    for child in alive:
        child.kill()
    psutil.wait_procs(alive, timeout=5)


def voila_command(port: int) -> list[str]:
    """The command of ``make dashboard`` on ``port``, with this Python's Voilà."""
    return [sys.executable, "-m", "voila", *VOILA_OPTIONS, f"--port={port}"]


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium (Debian's) driven by Playwright, shared by the session."""
    require("playwright")
    if not CHROMIUM.exists():
        message = (f"{CHROMIUM} is missing: install Debian's Chromium with "
                   "`apt-get install -y chromium` (never `playwright install`)")
        if IN_CI:
            pytest.fail(f"{message}; it is required in CI (CI=true)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
