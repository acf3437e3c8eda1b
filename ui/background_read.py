"""A screen's read-only query run on a worker thread (ui/sync/runner.py's WorkerRunner: its own database connection,
no Qt there; the garbage collector kept on the GUI thread, ui/worker_guard.py), for the lists a screen reads again
after every change.

At a million dossiers the board's five lists take 35 ms to read alone and 115–200 ms beside a running sync; the
Đồng bộ page's queue, 2,000 lines and their counts, about 200 ms. On the GUI thread each was a stall the clerk felt on
every return to the screen (the day's benchmark, tests/bench/test_bench_day.py). Only the tables' refill stays there.

One read at a time: a request made while one runs is kept (the newest only) and read as soon as that one ends; what
arrives meanwhile is shown all the same, a moment old rather than nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QObject,
    Signal,
    Slot,
)

from counter.context import AppContext
from ui.sync.runner import WorkerRunner


class BackgroundRead(QObject):
    done = Signal(object)  # what the read returned
    failed = Signal(object)  # the exception (a CounterError says what to tell the clerk)

    def __init__(self, ctx: AppContext, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._runner = WorkerRunner(self)
        self._runner.finished.connect(self._arrived)
        self._runner.failed.connect(self._failed)
        self._next: Callable[[], Any] | None = None  # the read asked for while one ran
        self._closed = False

    @property
    def busy(self) -> bool:
        """A read runs or waits to run."""
        return self._runner.running or self._next is not None

    def read(self, work: Callable[[], Any]) -> None:
        """Run `work()` (read-only, through `counter`) on the worker thread; `done` brings what it returned."""
        if self._closed:
            return
        if self._runner.running:
            self._next = work
            return
        self._runner.run(lambda _progress, _cancel: work(),
                         close=self.ctx.database.close)  # closes the worker thread's own connection only

    def shutdown(self) -> None:
        """The window is closing: no more reads; one running is waited for (tens of milliseconds), so that it does
        not read on after the database is closed."""
        self._closed = True
        self._next = None
        self._runner.wait(5)

    @Slot(object)
    def _arrived(self, result: object) -> None:
        self._read_next()
        if not self._closed:
            self.done.emit(result)

    @Slot(object)
    def _failed(self, error: Exception) -> None:
        self._read_next()
        if not self._closed:
            self.failed.emit(error)

    def _read_next(self) -> None:
        if self._next is not None:
            work, self._next = self._next, None
            self.read(work)
