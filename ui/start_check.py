"""The database file's quick_check that the desktop app's start left for after its log-in window shows
(counter.integrity.check_at_start, `later_if_current`): at a million dossiers it reads the whole file for 10–14 s,
which the clerk no longer waits through before the log-in.

It runs on a plain thread with a read-only connection of its own (ui/sync/runner.py's WorkerRunner: no Qt object
there, automatic garbage collection paused meanwhile); SQLite lets go of the GIL while it reads, so the GUI thread
goes on. A damaged file: every later write of this process is refused at once (counter.integrity.refuse_writes),
and `damaged` carries the same plain words the start says for a file it refuses (integrity.damaged_message);
ui/app.py closes the window and offers the newest verified backup, as for a file damaged at the opening."""

from __future__ import annotations

import ctypes
import logging
import os
import sys
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from counter import integrity
from counter.context import AppContext
from ui.sync.runner import WorkerRunner

log = logging.getLogger(__name__)


class StartCheck(QObject):
    damaged = Signal(str)  # what the clerk reads: the file is damaged, nothing more is written to it, what to do

    def __init__(self, ctx: AppContext, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.message: str | None = None  # set once the file was found damaged
        self.runner = WorkerRunner(self)
        self.runner.failed.connect(self._failed)

    @Slot()
    def start(self) -> bool:
        """Begin the check the opening left for later; False when none is owed (the file was checked before it
        was opened, a new file, the centre's PostgreSQL database)."""
        path = self.ctx.db_path
        if not integrity.owed(path):
            return False
        return self.runner.run(lambda _progress, _cancel: behind_the_clerk(lambda: integrity.check_at_start(path)))

    @property
    def running(self) -> bool:
        return self.runner.running

    @Slot(object)
    def _failed(self, error: Exception) -> None:
        if not isinstance(error, integrity.DatabaseDamaged):  # checked again at the next start
            log.error("the background quick_check of the database file did not run to its end: %s", error)
            return
        integrity.refuse_writes(self.ctx)  # first: nothing the app still does reaches the file
        self.message = str(error)
        log.error("the database file is damaged (background check at start): %s", self.message)
        self.damaged.emit(self.message)


def behind_the_clerk(work: Callable[[], None]) -> None:
    """`work` on this (worker) thread at the lowest priority the OS gives a thread: the check reads the whole file
    for seconds, and the GUI thread building the board beside it comes first for the processor."""
    try:
        if sys.platform == "win32":
            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            kernel32.SetThreadPriority(kernel32.GetCurrentThread(), THREAD_PRIORITY_IDLE)
        else:  # Linux: a thread is a task of its own, niced alone
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICEST)
    except (OSError, AttributeError):  # not allowed, or no such call here: the check runs at the usual priority
        log.info("the background check could not lower its priority", exc_info=True)
    work()


NICEST = 19
THREAD_PRIORITY_IDLE = -15
