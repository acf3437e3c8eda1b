"""`main.py --quit-after-start`: a test hook for the frozen build's smoke test (tests/packaging) and the start
benchmark (tests/bench/test_bench_start.py). Once the first window the app opens is on screen (the set-up wizard
on a fresh data folder, else the log-in), it is drawn once (`grab`: the platform plugin, the fonts and the styles
work), named on standard output, and closed as the user would close it (Esc: the dialog rejected, the app exits 0).
No timeout and no kill: the app ends itself.

With `QMC_START_PROBE_LOG_IN=USER:PASSWORD` in the environment the log-in is not closed but filled in and
submitted, and the main window is named once the board's first page is painted, then closed without its backup
on close (the timing is over; a benchmark's gigabytes copied at every close would only slow the next start).
Each line then ends with ` at=SECONDS` (the epoch, `time.time()`): when the window was first painted, when the
log-in was submitted, so that a parent process can time its child's start from outside."""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

POLL_MS = 50
LOG_IN_VARIABLE = "QMC_START_PROBE_LOG_IN"


def first_window(app: QApplication) -> QWidget | None:
    modal = app.activeModalWidget()
    if modal is not None and modal.isVisible():
        return modal
    shown = [w for w in app.topLevelWidgets() if w.isVisible() and w.isWindow()]
    return shown[0] if shown else None


def _say(line: str) -> None:
    if sys.stdout is not None:
        print(line, flush=True)


def describe(window: QWidget) -> str:
    picture = window.grab()
    return (f"shown: {type(window).__name__} “{window.windowTitle()}” {window.width()}x{window.height()}"
            f" drawn={not picture.isNull()}")


def report_and_close(window: QWidget) -> str:
    line = describe(window)
    _say(line)
    if isinstance(window, QDialog):
        window.reject()
    else:
        window.close()
    return line


class StartProbe(QObject):
    """Polls the application (while a dialog's exec() or the app's loop runs) until a window is shown; its paint
    events say when it was first painted, and when the board's first page was."""

    def __init__(self, app: QApplication, log_in: tuple[str, str] | None = None):
        super().__init__(app)
        self.app = app
        self.log_in = log_in
        self.reported: str | None = None
        self.painted_at: float | None = None  # the first window's first paint
        self.submitted = False
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        if log_in is not None:  # timed: the paints are watched (the frozen build's smoke test needs no more)
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            if self.painted_at is None and watched.window().isVisible():
                self.painted_at = time.time()  # the timer's next tick names it (grab() here would paint within a paint)
            elif self.submitted and _board_painted(watched):
                self.app.removeEventFilter(self)
                at, window = time.time(), watched.window()
                QTimer.singleShot(0, window, lambda: self._board_shown(window, at))  # grab() is no paint's part
        return False

    def _tick(self) -> None:
        if self.submitted:
            return
        window = first_window(self.app)
        if window is None:
            return
        self.timer.stop()
        if self.log_in is not None and type(window).__name__ == "LoginDialog":
            self._submit(window)
            return
        self.app.removeEventFilter(self)
        self.reported = report_and_close(window)
        if not isinstance(window, QDialog):
            self.app.quit()

    def _submit(self, dialog: QWidget) -> None:
        _say(f"{describe(dialog)} at={self.painted_at or time.time():.4f}")
        username, password = self.log_in or ("", "")
        dialog.username.setText(username)  # type: ignore[attr-defined]
        dialog.password.setText(password)  # type: ignore[attr-defined]
        self.submitted = True
        _say(f"submitted: {username} at={time.time():.4f}")
        dialog.submit()  # type: ignore[attr-defined]

    def _board_shown(self, window: QWidget, at: float) -> None:
        self.reported = f"{describe(window)} board={window.board_page.counts} at={at:.4f}"  # type: ignore
        _say(self.reported)
        window.backup.background.stop()  # type: ignore[attr-defined]  # timed already: no backup on close
        window.close()


def _board_painted(widget: QWidget) -> bool:
    """`widget` is the viewport of the board's current list, painted once that list arrived."""
    board = getattr(widget.window(), "board_page", None)
    return board is not None and board.first_page_shown and widget is board.current_view().viewport()


def log_in_from_environment() -> tuple[str, str] | None:
    given = os.environ.get(LOG_IN_VARIABLE, "")
    if ":" not in given:
        return None
    username, password = given.split(":", 1)
    return username, password


def arm(app: QApplication) -> StartProbe:
    if sys.stdout is not None:  # a windowed Windows .exe has none: use quay-mot-cua-cli.exe there
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]  # a Windows console's code page
    return StartProbe(app, log_in_from_environment())
