"""Backups while the app runs: every `backup_hours` hours, after the end-of-day batch, and when the window closes.

`counter.backup_schedule.backup_all` runs on a WorkerRunner thread (ui/sync/runner.py: a plain thread that touches
no Qt, its own database connection, closed when it ends), one at a time: a backup asked for while one runs is
skipped, since the running one is as fresh. The status (last verified backup per destination, the next one, the
warnings) is read again after each backup and every minute, and announced to the Quản trị page, the board and the
status bar. A failed backup is announced too (`failed`, and the outcome of each destination in `finished`).

Nothing runs on its own until `start()` (ui/app.py's `run` calls it once the window is shown): a window built
for a test backs up only when asked.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import (
    QEventLoop,
    QObject,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QProgressDialog, QWidget

from counter import backup_schedule
from counter.backup_schedule import BackupRun, BackupStatus
from counter.changes import Changes
from counter.context import AppContext
from counter.errors import CounterError
from ui.sync.runner import WorkerRunner

log = logging.getLogger(__name__)

CHECK_MS = 60_000  # how often the timer asks whether a backup is due
CLOSE_TIMEOUT_S = 120  # the longest the window waits for a backup when it closes
AFTER_BATCH, TIMED, ON_CLOSE, BY_HAND = "sau đồng bộ cuối ngày", "tự động", "khi đóng chương trình", "sao lưu ngay"
CLOSING = "Đang sao lưu trước khi đóng chương trình…"


class BackgroundBackup(QObject):
    started = Signal(str)  # why: AFTER_BATCH, TIMED, ON_CLOSE, BY_HAND
    finished = Signal(object)  # BackupRun: each destination's outcome
    failed = Signal(str)  # no backup at all: why, in Vietnamese
    status_changed = Signal(object)  # BackupStatus

    def __init__(self, ctx: AppContext, parent: QObject | None = None, *, check_ms: int = CHECK_MS):
        super().__init__(parent)
        self.ctx = ctx
        self.runner = WorkerRunner(self)
        self.automatic = False
        self.reason = ""
        self.last_run: BackupRun | None = None
        self.last_error = ""
        self.status: BackupStatus = backup_schedule.status(ctx)
        self._timer = QTimer(self)
        self._timer.setInterval(check_ms)
        self._timer.timeout.connect(self.run_if_due)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)

    @property
    def running(self) -> bool:
        return self.runner.running

    def start(self) -> None:
        """Back up on a timer, after the end-of-day batch and on close from now on."""
        self.automatic = True
        self._timer.start()

    def stop(self) -> None:
        """No more backups on their own, not even on close (a restore replaces the database under them)."""
        self.automatic = False
        self._timer.stop()

    def run_now(self, reason: str = BY_HAND) -> bool:
        """A backup of every destination in the background; False when one is running already."""
        if not self.runner.run(lambda progress, cancel: backup_schedule.backup_all(self.ctx),
                               close=self.ctx.database.close):  # this (worker) thread's connection only
            return False
        self.reason = reason
        self.started.emit(reason)
        return True

    @Slot()
    def run_if_due(self) -> bool:
        self.refresh()
        if not self.running and self.status.next_at is not None and self.status.next_at <= self.status.now:
            return self.run_now(TIMED)
        return False

    @Slot()
    @Slot(object)
    def after_batch(self, _report: object = None) -> None:
        if self.automatic:
            self.run_now(AFTER_BATCH)

    @Slot(Changes)
    def on_changed(self, changes: Changes) -> None:
        """The settings changed (the interval, the second destination): the status again."""
        if changes.settings and not self.running:
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        try:
            self.status = backup_schedule.status(self.ctx)
        except (OSError, CounterError):  # a share that went away while it was listed: next time
            log.exception("the backups' status could not be read")
            return
        self.status_changed.emit(self.status)

    def before_close(self, parent: QWidget | None = None, timeout_s: float = CLOSE_TIMEOUT_S) -> bool:
        """The window closes: back up (or let the running backup end), showing "Đang sao lưu…", for at most
        `timeout_s`; True when a backup ended in time. Nothing when backups are not automatic."""
        self._timer.stop()
        if not self.automatic:
            return False
        self.automatic = False  # once
        if not self.running and not self.run_now(ON_CLOSE):
            return False
        dialog = QProgressDialog(CLOSING, "", 0, 0, parent)
        dialog.setCancelButton(None)  # type: ignore[arg-type]  # bounded by the timeout instead
        dialog.setWindowTitle("Sao lưu")
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.setMinimumDuration(0)
        dialog.show()
        loop = QEventLoop()
        self.runner.finished.connect(loop.quit)
        self.runner.failed.connect(loop.quit)
        QTimer.singleShot(int(timeout_s * 1000), loop.quit)
        if self.running:
            loop.exec()
        self.runner.finished.disconnect(loop.quit)
        self.runner.failed.disconnect(loop.quit)
        dialog.close()
        if self.running:
            log.warning("the backup on close did not end in %s s; its half-written folder is removed next time",
                        timeout_s)
            return False
        return True

    @Slot(object)
    def _on_finished(self, run: BackupRun) -> None:
        self.last_run = run
        self.last_error = "" if run.ok else run.summary()
        self.finished.emit(run)
        self.refresh()

    @Slot(object)
    def _on_failed(self, error: object) -> None:
        why = str(error) if isinstance(error, CounterError) else f"lỗi ngoài dự kiến ({type(error).__name__}: {error})"
        self.last_run = None
        self.last_error = f"Sao lưu thất bại: {why}"
        self.failed.emit(self.last_error)
        self.refresh()
