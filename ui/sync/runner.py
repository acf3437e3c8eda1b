"""Runs sync work (`sync_once`, resolving a conflict) off the GUI thread without letting that thread near Qt.

The work runs in a plain `threading.Thread` that touches no Qt object: it gets its own database
connection (peewee keeps connection state per thread; the database is opened with
check_same_thread=False) and reports through a `queue.Queue` that a QTimer drains on the GUI thread,
where the signals are emitted. Python's cyclic garbage collector would still run on whichever thread
happens to allocate, and collecting an unreachable widget there destroys it on the wrong thread (the
crash described in ui/board/lookups.py): automatic collection is paused while a sync runs, and the GUI
thread collects the young generations as they fill, in the same poll (ui/worker_guard.py). Reference counting
still frees everything that is not a cycle.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QObject,
    QTimer,
    Signal,
    Slot,
)

from counter import memory
from counter.context import AppContext
from counter.errors import CounterError
from ui import worker_guard

log = logging.getLogger(__name__)
POLL_MS = 50


class WorkerRunner(QObject):
    """Runs one `work(progress, cancel)` at a time in a plain thread; its outcome arrives as a signal."""

    progress = Signal(int, int)  # done, total
    finished = Signal(object)  # what `work` returned
    failed = Signal(object)  # the CounterError (SettingsMissing, SyncBusy…) or another exception

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._events: queue.Queue = queue.Queue()
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._drain)

    @property
    def running(self) -> bool:
        return self._thread is not None

    def run(self, work: Callable[[Callable[[int, int], None], Callable[[], bool]], Any], *, close=None) -> bool:
        """Start `work` in the background; False if this runner already has one going. `close()` runs last
        on the worker thread (to close its database connection)."""
        if self._thread is not None:
            return False
        self._cancel.clear()
        worker_guard.worker_started()
        self._thread = threading.Thread(target=self._work, args=(work, close), name="sync", daemon=True)
        self._thread.start()
        self._timer.start()
        return True

    def cancel(self) -> None:
        """Ask the work to stop between items."""
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> None:
        """Join the worker (closing the window); its last events are dropped."""
        if self._thread is not None:
            self._thread.join(timeout)
            if not self._thread.is_alive():
                self._end()  # else automatic collection stayed off for the rest of the process

    def _work(self, work, close) -> None:
        """The worker thread: no Qt here, only the domain and the queue."""
        outcome: tuple = ("failed", RuntimeError("the work ended without an outcome"))
        try:
            outcome = ("finished", work(lambda done, total: self._events.put(("progress", done, total)),
                                        self._cancel.is_set))
        except CounterError as e:
            outcome = ("failed", e)
        except Exception as e:  # a bug must not leave the runner "running" forever
            log.exception("background work failed")
            outcome = ("failed", e)
        finally:
            if close is not None:
                close()
            memory.give_back()  # what this thread freed, kept in its own arena otherwise (counter/memory.py)
            self._events.put(("done", *outcome))

    @Slot()
    def _drain(self) -> None:
        worker_guard.collect_young()
        while True:
            try:
                kind, *args = self._events.get_nowait()
            except queue.Empty:
                return
            if kind == "progress":
                self.progress.emit(*args)
            else:
                self._end()  # not running any more when listeners hear the outcome
                getattr(self, args[0]).emit(args[1])
                return

    def _end(self) -> None:
        self._timer.stop()
        self._thread.join()
        self._thread = None
        worker_guard.worker_ended()


class SyncRunner(WorkerRunner):
    """`sync_once` in the background, on its own database connection (closed when it ends)."""

    def __init__(self, ctx: AppContext, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx

    def start(self, *, confirm: bool = False) -> bool:
        from counter.sync.batch import BACKGROUND_PULL, sync_once  # here: the runner also checks the file at start

        pull_limit = None if confirm else BACKGROUND_PULL  # the end-of-day batch looks every open dossier up
        return self.run(lambda progress, cancel: sync_once(self.ctx, progress=progress, cancel=cancel,
                                                           confirm=confirm, pull_limit=pull_limit),
                        close=self.ctx.database.close)  # closes this (worker) thread's connection only
