"""Today's five lists, read on a worker thread (ui/sync/runner.py's WorkerRunner: its own database connection, no Qt
there; the garbage collector kept on the GUI thread, ui/worker_guard.py).

They are read again each time the board is shown and after every change to a dossier. At a million dossiers that
takes 35 ms alone and 115–200 ms beside a running sync, on the GUI thread a stall the clerk felt on every return to
the board (the day's benchmark, tests/bench/test_bench_day.py). Only the tables' refill stays on the GUI thread.

One read at a time: a request made while one runs is kept (the newest only) and read as soon as that one ends; the
lists that arrive meanwhile are shown all the same, a moment old rather than none.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QObject,
    Signal,
    Slot,
)

from counter.context import AppContext
from ui.board import lists
from ui.sync.runner import WorkerRunner


class ListsLoader(QObject):
    loaded = Signal(object)  # dict[str, TimedRows]: the five lists
    failed = Signal(object)  # the exception (a CounterError says what to tell the clerk)

    def __init__(self, ctx: AppContext, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._runner = WorkerRunner(self)
        self._runner.finished.connect(self._arrived)
        self._runner.failed.connect(self._failed)
        self._next: tuple[int | None] | None = None  # the request made while a read ran: (workstation,)
        self._closed = False

    @property
    def busy(self) -> bool:
        return self._runner.running

    def load(self, workstation: int | None) -> None:
        """Read the centre's lists, or one counter's (`workstation`); `loaded` brings them."""
        if self._closed:
            return
        if self._runner.running:
            self._next = (workstation,)
            return
        ctx = self.ctx
        self._runner.run(lambda _progress, _cancel: lists.load_lists(ctx, workstation),
                         close=ctx.database.close)  # the worker thread's own connection

    def shutdown(self) -> None:
        """The window is closing: no more reads; one running is waited for (a few tens of milliseconds), so that
        it does not read on after the database is closed."""
        self._closed = True
        self._next = None
        self._runner.wait(5)

    @Slot(object)
    def _arrived(self, found: dict) -> None:
        self._read_next()
        if not self._closed:
            self.loaded.emit(found)

    @Slot(object)
    def _failed(self, error: Exception) -> None:
        self._read_next()
        if not self._closed:
            self.failed.emit(error)

    def _read_next(self) -> None:
        if self._next is not None:
            (workstation,) = self._next
            self._next = None
            self.load(workstation)
