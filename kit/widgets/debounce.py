"""Debouncing of widget changes on the kernel's event loop.

A change made in the browser waits ``delay`` seconds, and rapid changes are
coalesced into one call. A change made by code (a notebook cell, papermill, a
test) runs at once, so that the next cell sees its result. Inside ``hold()``,
calls wait for the end of the block and run once.

Examples
--------
>>> calls = []
>>> run = _Debounced(lambda: calls.append(1), delay=0.3)
>>> run()  # no event loop here: at once
>>> with run.hold():
...     run(); run()
>>> len(calls)
2
"""

from __future__ import annotations

import asyncio
import contextlib


def _running_loop():
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _from_frontend() -> bool:
    """Whether the kernel is handling a widget message from the browser right now.

    A change made by code in a cell (papermill, nbval, a user's own cell) is not
    debounced, so that the next cell sees the new result.
    """
    try:
        from ipykernel.kernelbase import Kernel

        if not Kernel.initialized():
            return False
        parent = Kernel.instance().get_parent("shell") or {}
        return parent.get("header", {}).get("msg_type") == "comm_msg"
    except Exception:  # no kernel, or an ipykernel without get_parent
        return False


class _Debounced:
    """Coalesce calls to ``func``: the last one wins after ``delay`` seconds.

    Only changes coming from the browser wait; without a running event loop, with
    ``delay <= 0`` or for a change made by code, the call runs at once.
    """

    def __init__(self, func, delay: float):
        self.func, self.delay = func, float(delay)
        self._handle = None
        self._hold = 0
        self._pending = False

    def __call__(self):
        if self._hold:
            self._pending = True
            return
        loop = _running_loop()
        if loop is None or self.delay <= 0 or not _from_frontend():
            self.flush()
            return
        self.cancel()
        self._pending = True
        self._handle = loop.call_later(self.delay, self.flush)

    def cancel(self):
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def flush(self):
        self.cancel()
        self._pending = False
        self.func()

    @contextlib.contextmanager
    def hold(self):
        self._hold += 1
        try:
            yield
        finally:
            self._hold -= 1
            if not self._hold and self._pending:
                self._pending = False
                self()


class _Debouncing:
    """``hold()`` and ``flush()`` of a widget whose recomputation is ``self._debounced``."""

    _debounced: _Debounced

    def hold(self):
        """Context manager: change several widgets, recompute once at the end."""
        return self._debounced.hold()

    def flush(self) -> None:
        """Run a pending (debounced) recomputation now."""
        if self._debounced._pending:
            self._debounced.flush()

    def _rechoose(self, update) -> None:
        """Run ``update`` (new options of a dropdown that depends on another), then recompute once."""
        with self._debounced.hold():
            update()
            self._debounced()
