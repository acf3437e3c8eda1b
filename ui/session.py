"""The idle lock: a counter screen left alone shows citizens' data to whoever walks up.

After `idle_minutes` without a key press or mouse input anywhere in the app, the main window
is covered and the clerk re-enters their password in the login dialog (unlock mode). The
time comes from an injectable monotonic clock, checked by a slow poll, so tests need no
waiting.

Input is seen where the platform delivers it: at the app's top-level windows (QWindow), before
they pass it on to a widget. An application-wide filter would do too, but it is called from C++
into Python for every event of every widget (paints, layouts, timers): some 1,100 events from F9
to the print preview, 35.6 → 40.3 ms median with such a filter (tests/bench, in turns). The windows
watched are the focus window as it changes (a dialog opened) and, at each poll, every top-level
window (a popup menu that never takes the focus).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import (
    QEvent,
    QObject,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QGuiApplication,
    QWindow,
)
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from counter.context import AppContext
from counter.office import sessions
from ui.login.dialog import LoginDialog

log = logging.getLogger(__name__)
POLL_MS = 1000
INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
})


class LockCover(QWidget):
    """Hides the window's content while locked; follows the window's size."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#lockCover { background: #3c4a5c; } QLabel { color: white; font-size: 16pt; }")
        label = QLabel("Máy đã khóa.\nNhập mật khẩu để tiếp tục làm việc.")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        QVBoxLayout(self).addWidget(label)
        window.installEventFilter(self)
        self.hide()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and obj is self.parentWidget():
            self.setGeometry(obj.rect())
        return False

    def cover(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()


class IdleLock(QObject):
    locked = Signal()
    unlocked = Signal()

    def __init__(self, ctx: AppContext, window: QWidget, username: str, *, idle_minutes: float,
                 clock: Callable[[], float] = time.monotonic, poll_ms: int = POLL_MS):
        super().__init__(window)
        self._ctx = ctx
        self._window = window
        self._username = username
        self.idle_seconds = idle_minutes * 60  # 0 or less: never lock by itself
        self._clock = clock
        self._last_input = clock()
        self._focus: QWidget | None = None
        self.dialog: LoginDialog | None = None
        self.cover = LockCover(window)
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.focusWindowChanged.connect(self._watch)
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self.check)
        if self.idle_seconds > 0:
            self._poll.start()
        window.installEventFilter(self)  # its Show: its QWindow exists from then on
        self.watch_windows()

    def watch_windows(self) -> None:
        """Watch the input of every top-level window (one already watched is not watched twice: Qt moves
        the filter to the front)."""
        for window in QGuiApplication.topLevelWindows():
            self._watch(window)

    @Slot(QWindow)
    def _watch(self, window: QWindow | None) -> None:
        if window is not None:
            window.installEventFilter(self)

    def set_idle_minutes(self, minutes: float) -> None:
        """A new idle time from Quản trị, counted from the last input already seen."""
        self.idle_seconds = minutes * 60
        if self.idle_seconds > 0:
            self._poll.start()
        else:
            self._poll.stop()

    @property
    def is_locked(self) -> bool:
        return self.dialog is not None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in INPUT_EVENTS and not self.is_locked:
            self._last_input = self._clock()
        elif kind == QEvent.Type.Show and obj is self._window:
            self._watch(self._window.windowHandle())
        return False

    @Slot()
    def check(self) -> None:
        self.watch_windows()  # windows made since the last poll that never took the focus (popups)
        idle = self._clock() - self._last_input
        if not self.is_locked and self.idle_seconds > 0 and idle >= self.idle_seconds:
            self._lock(sessions.IDLE)

    @Slot()
    def lock(self) -> None:
        """Lock now (Ctrl+L, or the window refusing to close from the lock)."""
        self._lock(sessions.MANUAL)

    def _lock(self, reason: str) -> None:
        if self.is_locked:
            return
        self._focus = QApplication.focusWidget()
        self.cover.cover()
        self.dialog = LoginDialog(self._ctx, username=self._username, parent=self._window)
        self.dialog.finished.connect(self._on_dialog_finished)
        self.dialog.open()  # window-modal: the window's shortcuts and clicks wait for it
        self.locked.emit()
        if self._ctx.user is not None:
            try:  # the audit log: who locked, and why; the screen is covered whether or not this is written
                sessions.lock(self._ctx, self._ctx.user, reason=reason)
            except Exception:
                log.exception("the lock could not be written to the audit log")

    @Slot(int)
    def _on_dialog_finished(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        dialog.deleteLater()
        if dialog.quit_requested:
            self._window.close()
            if self._window.isVisible():  # the window refused to close: stay locked
                self.lock()
            return
        self.cover.hide()
        self._last_input = self._clock()
        if self._focus is not None and shiboken6.isValid(self._focus):
            self._focus.setFocus()
        self.unlocked.emit()
