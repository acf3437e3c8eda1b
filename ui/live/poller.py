"""Other counters' changes (and the command line's, a sync's) announced on the app-level `changed` signal, as this
app announces its own intents': each view refreshes only what the Changes names; a hidden page refreshes when shown.

A QTimer on the GUI thread asks counter.live once a second: one indexed read of the change feed's top, the new rows
only when it moved. A database that does not answer (the server restarting, the network down, the file locked by a
long write) is tried once, never with the intents' retries, and asked again later and later (live.BACK_OFF_MS): the
board keeps what it shows, and the screen is not held every second by a server that is gone.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Slot

from counter import live
from counter.changes import Changes
from counter.context import AppContext
from ui.signals import AppSignals

log = logging.getLogger(__name__)


class LivePoller(QObject):
    def __init__(self, ctx: AppContext, signals: AppSignals, parent: QObject | None = None,
                 interval_ms: int = live.POLL_MS):
        super().__init__(parent)
        self.ctx, self.signals = ctx, signals
        self.feed = live.follow(ctx)
        self._announcing = False
        self.failed = False  # the last poll could not read the feed
        self.failures = 0  # polls failed in a row
        self.interval_ms = interval_ms
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.poll)
        signals.changed.connect(self._on_changed)
        self.timer.start()

    @Slot()
    def poll(self) -> None:
        try:
            changes = live.poll_once(self.ctx, self.feed)
        except Exception:  # asked again later; the log says why it failed (once, not every time)
            if not self.failed:
                log.warning("live board: the change feed could not be read", exc_info=True)
            self.failed = True
            self.failures += 1
            self.timer.setInterval(live.BACK_OFF_MS[min(self.failures, len(live.BACK_OFF_MS)) - 1])
            return
        if self.failed:
            self.timer.setInterval(self.interval_ms)
        self.failed, self.failures = False, 0
        if changes:
            self._announcing = True
            try:
                self.signals.changed.emit(changes)
            finally:
                self._announcing = False

    @Slot(Changes)
    def _on_changed(self, changes: Changes) -> None:
        """This app's own intent: its views reload now, the feed need not announce it again."""
        if self._announcing or not changes.dossiers:
            return
        try:
            live.note_local(self.ctx, self.feed, changes)
        except Exception:  # at worst the change is refreshed a second time
            log.warning("live board: the change feed could not be read", exc_info=True)

    def stop(self) -> None:
        self.timer.stop()
