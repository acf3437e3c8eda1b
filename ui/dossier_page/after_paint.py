"""Work that waits for the first paint of what was just shown: the dossier page paints the dossier at once and
reads the rest (what happened after reception, the scans, the sync state) right after that frame.

A zero-delay timer would not do: Qt posts a window's repaint at a low priority, so a timer started while
filling the page runs before the paint and the clerk waits for everything again. The work is started from
the watched widget's paint event instead, once that paint is over; a window that is not painted (minimised,
hidden) gets it after FALLBACK_MS. Only the latest work counts: scheduling replaces what was waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import (
    QEvent,
    QObject,
    QTimer,
)
from PySide6.QtWidgets import QWidget

FALLBACK_MS = 100


class AfterPaint(QObject):
    def __init__(self, watched: QWidget, parent: QObject | None = None):
        super().__init__(parent)
        self.watched = watched
        self._work: Callable[[], None] | None = None
        self._scheduled = 0  # which scheduling the paint seen was for: a later one waits for its own paint
        self._fallback = QTimer(self)
        self._fallback.setSingleShot(True)
        self._fallback.setInterval(FALLBACK_MS)
        self._fallback.timeout.connect(self.run_now)
        watched.installEventFilter(self)

    @property
    def waiting(self) -> bool:
        return self._work is not None

    def schedule(self, work: Callable[[], None]) -> None:
        """Run `work` once `watched` has been painted (it is marked for repainting here)."""
        self._work = work
        self._scheduled += 1
        self._fallback.start()
        self.watched.update()

    def cancel(self) -> None:
        self._work = None
        self._fallback.stop()

    def run_now(self) -> None:
        """Whatever is waiting, now (an action needs the whole dossier before the paint came)."""
        work = self._work
        self.cancel()
        if work is not None:
            work()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._work is not None:
            # once the frame is finished
            QTimer.singleShot(0, self, partial(self._after_paint, self._scheduled))
        return False

    def _after_paint(self, scheduled: int) -> None:
        if scheduled == self._scheduled:
            self.run_now()
