"""The database file's quick_check that the desktop app's start left for after its log-in window shows
(counter.integrity.check_at_start, `later_if_current`): at a million dossiers it reads the whole file for 10–14 s,
which the clerk no longer waits through before the log-in.

It runs on a plain thread with a read-only connection of its own (ui/sync/runner.py's WorkerRunner: no Qt object
there, automatic garbage collection paused meanwhile); SQLite lets go of the GIL while it reads, so the GUI thread
goes on. A damaged file: every later write of this process is refused at once (counter.integrity.refuse_writes),
and `damaged` carries the same plain words the start says for a file it refuses (integrity.damaged_message);
ui/app.py closes the window and offers the newest verified backup, as for a file damaged at the opening."""

from __future__ import annotations

import logging

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
        return self.runner.run(lambda _progress, _cancel: integrity.check_at_start(path))

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
