"""The Báo cáo screen's waits: one computation at a time (the scorecard, the dossiers behind a figure) on a worker
thread (ui/sync/runner.py: its own database connection, no Qt there), a visible "Đang tính…" only past 600 ms, and a
cancel that really stops the work: it interrupts the worker's SQLite query (sqlite3's interrupt() is the one call
meant to be made from another thread) and drops whatever the work would still have delivered."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from counter.context import AppContext
from counter.interrupt import interrupt
from ui.sync.runner import WorkerRunner

PROGRESS_AFTER_MS = 600


class ReportWork(QObject):
    busy = Signal(bool)  # the progress should show (past PROGRESS_AFTER_MS) or hide
    finished = Signal(object, object)  # tag, what the computation returned
    failed = Signal(object, object)  # tag, the exception
    cancelled = Signal(object)  # tag
    progressed = Signal(int, int)  # done, total: how far a computation that counts its steps has got

    def __init__(self, ctx: AppContext, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.runner = WorkerRunner(self)
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.runner.progress.connect(self._progress)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PROGRESS_AFTER_MS)
        self.timer.timeout.connect(lambda: self.busy.emit(True))
        self.tag: object = None
        self._cancelled = False
        self._lock = threading.Lock()
        self._connection: Any = None  # the worker's sqlite3 connection while it computes

    @property
    def running(self) -> bool:
        return self.runner.running

    def start(self, tag: object, compute: Callable[..., Any], *, steps: bool = False) -> bool:
        """Run `compute(ctx)` on the worker; False (nothing started) while another computation runs. With `steps`,
        `compute(ctx, keep_going)`: it calls `keep_going(done, total)` as it goes (the progress bar follows), and
        stops when that returns False (cancelled)."""
        ctx = self.ctx

        def work(progress: Callable[[int, int], None], cancel: Callable[[], bool]) -> Any:
            with self._lock:
                self._connection = ctx.database.connection()  # this thread's own
            try:
                if steps:
                    return compute(ctx, lambda done, total: (progress(done, total), not cancel())[1])
                return compute(ctx)
            except Exception:
                if cancel():  # the interrupted query's error: the work was cancelled, nothing to report
                    return None
                raise
            finally:
                with self._lock:
                    self._connection = None

        if not self.runner.run(work, close=ctx.database.close):
            return False
        self.tag, self._cancelled = tag, False
        self.timer.start()
        return True

    def cancel(self) -> bool:
        """Stop the computation under way: its query is interrupted and its outcome never delivered."""
        if not self.runner.running or self._cancelled:
            return False
        self._cancelled = True
        self.runner.cancel()
        with self._lock:
            if self._connection is not None:
                interrupt(self._connection)  # SQLite's interrupt, PostgreSQL's cancel request
        self._over()
        self.cancelled.emit(self.tag)
        return True

    def _over(self) -> None:
        self.timer.stop()
        self.busy.emit(False)

    def _progress(self, done: int, total: int) -> None:
        if not self._cancelled:
            self.progressed.emit(done, total)

    def _finished(self, result: object) -> None:
        if not self._cancelled:
            self._over()
            self.finished.emit(self.tag, result)

    def _failed(self, error: object) -> None:
        if not self._cancelled:
            self._over()
            self.failed.emit(self.tag, error)
