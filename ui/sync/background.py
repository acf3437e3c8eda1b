"""Sync whenever the gateway answers: every few minutes, soon after a change, and the end-of-day batch.

One SyncRunner serves both: a background pass is skipped while any sync runs (here, or a scheduled
`main.py sync` holding the lock: SyncBusy is quiet), and an end-of-day batch asked for during a
background pass starts as soon as that pass ends. The outcome of the last attempt is the connection
state the status bar shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import (
    QObject,
    QTimer,
    Signal,
    Slot,
)

from counter.changes import Changes
from counter.context import AppContext
from counter.sync import settings
from counter.sync.batch import last_success
from counter.sync.lock import SyncBusy
from counter.sync.settings import SettingsMissing
from ui.sync.runner import SyncRunner

INTERVAL_MS = 2 * 60 * 1000
SOON_MS = 15 * 1000  # after a change: long enough to gather a reception's several writes
FIRST_MS = 3 * 1000  # after start-up, once the window is shown
ONLINE, OFFLINE, UNCONFIGURED, UNKNOWN = "online", "offline", "unconfigured", "unknown"
MAYBE_QUEUE = Changes(sync_queue=True)  # a sync that failed part way may have changed entries before it stopped


@dataclass(frozen=True)
class Connection:
    state: str  # online | offline | unconfigured | unknown
    reason: str = ""  # why offline or unconfigured, in Vietnamese
    last_success: datetime | None = None  # the end of the last sync that reached the province


class BackgroundSync(QObject):
    connection_changed = Signal(object)  # Connection
    synced = Signal(Changes)  # a sync ended, whatever its outcome: what it changed (the queue at least)
    progress = Signal(int, int)  # of the end-of-day batch only
    batch_finished = Signal(object)  # the end-of-day SyncReport
    batch_failed = Signal(str)
    batch_started = Signal()

    def __init__(self, ctx: AppContext, parent: QObject | None = None, *, interval_ms: int = INTERVAL_MS,
                 soon_ms: int = SOON_MS, first_ms: int | None = FIRST_MS):
        super().__init__(parent)
        self.ctx = ctx
        self.runner = SyncRunner(ctx, self)
        self.connection = Connection(UNKNOWN, "", last_success(ctx))  # also a sync run by `main.py sync`
        self._batch_running = self._batch_asked = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.run_now)
        self._timer.start(interval_ms)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(soon_ms)
        self._soon.timeout.connect(self.run_now)
        self.runner.progress.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self._check_configured()
        if first_ms is not None:
            QTimer.singleShot(first_ms, self, self.run_now)

    @property
    def running(self) -> bool:
        return self.runner.running

    @property
    def batch_running(self) -> bool:
        return self._batch_running or self._batch_asked

    @Slot(Changes)
    def on_changed(self, changes: Changes) -> None:
        """Something is newly due, or the settings changed: sync soon (restarting the short wait gathers a
        burst of changes). A sync's own changes ask for nothing more."""
        if changes.to_send or changes.settings:
            self._soon.start()

    @Slot()
    def run_now(self) -> bool:
        """A background pass if settings are complete and nothing runs; False if skipped."""
        if self.runner.running or not self._check_configured():
            return False
        return self.runner.start(confirm=False)

    def start_batch(self) -> bool:
        """The end-of-day batch (with the province's confirmation of today's dossiers); False if it cannot
        run (settings missing, or already running). Waits for a background pass in progress."""
        if self.batch_running or not self._check_configured():
            return False
        self._batch_asked = True
        self.batch_started.emit()
        if not self.runner.running:
            self._start_batch()
        return True

    def cancel_batch(self) -> None:
        if self._batch_running:
            self.runner.cancel()
        elif self._batch_asked:
            self._batch_asked = False
            self.batch_failed.emit("Đã hủy trước khi bắt đầu.")

    def shutdown(self) -> None:
        """The window closes: no new pass; a running one stops between items."""
        self._timer.stop()
        self._soon.stop()
        self.runner.cancel()
        self.runner.wait(5)

    def _start_batch(self) -> None:
        self._batch_asked, self._batch_running = False, True
        self.progress.emit(0, 0)
        self.runner.start(confirm=True)

    def _check_configured(self) -> bool:
        missing = settings.load(self.ctx).missing()
        if missing:
            reason = (settings.missing_said(self.ctx, missing) if settings.lacks_password_here(self.ctx, missing)
                      else "Còn thiếu: " + settings.in_words(missing))
            self._set(Connection(UNCONFIGURED, reason, self._last_success()))
        elif self.connection.state == UNCONFIGURED:
            self._set(Connection(UNKNOWN, "", self._last_success()))
        return not missing

    def _last_success(self) -> datetime | None:
        """The newer of what this window saw and what any process stored (a scheduled `main.py sync`)."""
        known = [t for t in (self.connection.last_success, last_success(self.ctx)) if t is not None]
        return max(known) if known else None

    def _set(self, connection: Connection) -> None:
        if connection != self.connection:
            self.connection = connection
            self.connection_changed.emit(connection)

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if self._batch_running:
            self.progress.emit(done, total)

    @Slot(object)
    def _on_finished(self, report) -> None:
        if report.stopped_by:
            self._set(Connection(OFFLINE, report.stopped_by, self._last_success()))
        else:
            self._set(Connection(ONLINE, "", report.finished_at))
        self._after(report.changes, lambda: self.batch_finished.emit(report))

    @Slot(object)
    def _on_failed(self, error) -> None:
        if isinstance(error, SettingsMissing):
            self._check_configured()
        elif not isinstance(error, SyncBusy):  # another process syncing says nothing about the link
            self._set(Connection(OFFLINE, str(error), self._last_success()))
        self._after(MAYBE_QUEUE, lambda: self.batch_failed.emit(str(error)))

    def _after(self, changes: Changes, tell_batch) -> None:
        was_batch, self._batch_running = self._batch_running, False
        self.synced.emit(changes)
        if was_batch:
            tell_batch()
        if self._batch_asked:
            self._start_batch()
