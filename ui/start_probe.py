"""`main.py --quit-after-start`: a test hook for the frozen build's smoke test (tests/packaging). Once the first
window the app opens is on screen (the set-up wizard on a fresh data folder, else the log-in), it is drawn once
(`grab`: the platform plugin, the fonts and the styles work), named on standard output, and closed as the user
would close it (Esc: the dialog rejected, the app exits 0). No timeout and no kill: the app ends itself."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

POLL_MS = 50


def first_window(app: QApplication) -> QWidget | None:
    modal = app.activeModalWidget()
    if modal is not None and modal.isVisible():
        return modal
    shown = [w for w in app.topLevelWidgets() if w.isVisible() and w.isWindow()]
    return shown[0] if shown else None


def report_and_close(window: QWidget) -> str:
    picture = window.grab()
    line = (f"shown: {type(window).__name__} “{window.windowTitle()}” {window.width()}x{window.height()}"
            f" drawn={not picture.isNull()}")
    if sys.stdout is not None:
        print(line, flush=True)
    if isinstance(window, QDialog):
        window.reject()
    else:
        window.close()
    return line


class StartProbe(QObject):
    """Polls the application (while a dialog's exec() or the app's loop runs) until a window is shown."""

    def __init__(self, app: QApplication):
        super().__init__(app)
        self.app = app
        self.reported: str | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        window = first_window(self.app)
        if window is None:
            return
        self.timer.stop()
        self.reported = report_and_close(window)
        if not isinstance(window, QDialog):
            self.app.quit()


def arm(app: QApplication) -> StartProbe:
    if sys.stdout is not None:  # a windowed Windows .exe has none: use quay-mot-cua-cli.exe there
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]  # a Windows console's code page
    return StartProbe(app)
