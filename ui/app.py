"""Start the desktop app: QApplication, Vietnamese for Qt's own strings, the scanner filter,
the crash dialog, the set-up wizard (a database with no office set up), log-in, then the main window.

What the log-in window does not need is imported when it is needed (the main window and its pages after the
log-in, the backups' restore with the start's error): the log-in is on screen first (tests/bench/test_bench_start.py).
The database file's quick_check runs meanwhile on a thread (ui/start_check.py); a damaged file closes the app with
the start's error and its offer of the newest verified backup."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMessageBox,
)

from counter import APP_ID, APP_NAME, records
from counter.context import AppContext
from counter.office.first_run import is_set_up
from ui.dialogs import install_excepthook
from ui.heap import freeze_start, thaw
from ui.icon import app_icon
from ui.login.dialog import LoginDialog
from ui.pyside_guard import pin_singletons
from ui.qt_vi import install_qt_translations
from ui.scanner import ScannerFilter
from ui.setup.wizard import SetupWizard
from ui.start_check import StartCheck

if TYPE_CHECKING:
    from counter.restore import BackupSummary
    from ui.main_window.window import MainWindow, PageFactory

FONT_POINTS = 11  # read from a chair at arm's length


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, configured once (tests and the screenshot script share it)."""
    pin_singletons()  # before any signal: see ui/pyside_guard.py
    app = QApplication.instance() or QApplication(sys.argv if argv is None else argv)
    if app.property("counter_configured"):
        return app
    app.setOrganizationName(APP_ID)
    app.setApplicationName(APP_NAME)
    # No setApplicationDisplayName: Qt would append it to every window title, and ours already name the app.
    app.setDesktopFileName(APP_ID)  # Linux: the .desktop file of the build (packaging/linux) names the icon
    app.setWindowIcon(app_icon())
    font = QFont(app.font())
    font.setPointSize(FONT_POINTS)
    app.setFont(font)
    install_qt_translations(app)
    app.setProperty("counter_configured", True)
    return app


def create_main_window(ctx: AppContext, user: records.User, *, scanner: ScannerFilter | None = None,
                       receive_page_factory: PageFactory | None = None,
                       clock: Callable[[], float] = time.monotonic) -> MainWindow:
    """The main window for `user`, not shown (tests call this; `run` shows it). Its module is imported here, after
    the log-in: the log-in window does not wait for it."""
    from ui.main_window.window import MainWindow, load_receive_page

    ctx.user = user
    window = MainWindow(ctx, user, receive_page_factory=receive_page_factory or load_receive_page, clock=clock)
    if scanner is not None:
        window.connect_scanner(scanner)
    return window


START_ERROR_EXIT = 2
RESTORED = -1  # show_start_error: a backup was restored, the app starts on it


def start_error_box(message: str, backup: BackupSummary | None = None) -> QMessageBox:
    """The dialog that says why the app cannot start (the database cannot be opened safely), not shown; with the
    newest verified backup offered when there is one (its button: `box.restore_button`)."""
    from ui.backup.start_restore import offer_text

    make_application()
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, message, QMessageBox.StandardButton.Close)
    kept = "Tệp cơ sở dữ liệu được giữ nguyên như cũ."
    box.setInformativeText(f"Ứng dụng sẽ đóng. {kept}" if backup is None else f"{offer_text(backup)} {kept}")
    box.restore_button = None  # type: ignore[attr-defined]
    if backup is not None:
        box.restore_button = box.addButton(f"Khôi phục {backup.name}…",  # type: ignore[attr-defined]
                                           QMessageBox.ButtonRole.AcceptRole)
    return box


def show_start_error(message: str, data_dir: Path | None = None) -> int:
    """Say why the app cannot start in a dialog (main.py, for a database it cannot open) and offer the newest
    verified backup of `data_dir`; START_ERROR_EXIT, or RESTORED when an administrator restored it."""
    from ui.backup.start_restore import newest_backup, restore_at_start

    make_application()
    backup = newest_backup(data_dir) if data_dir is not None else None
    box = start_error_box(message, backup)
    box.exec()
    if backup is not None and data_dir is not None and box.clickedButton() is box.restore_button:  # type: ignore
        return RESTORED if restore_at_start(data_dir, backup) else START_ERROR_EXIT
    return START_ERROR_EXIT


def run(ctx: AppContext, *, quit_after_start: bool = False) -> int:
    """The app: the set-up wizard on a database with no office, the log-in, the main window. `quit_after_start`:
    the smoke test's hook (ui/start_probe.py), the first window shown is named and closed. RESTORED when the
    background check found the file damaged and an administrator restored a backup: main.py opens it and runs again."""
    app = make_application()
    if quit_after_start:
        from ui.start_probe import arm
        arm(app)
    install_excepthook(ctx.data_dir / "logs" / "quaymotcua.log")
    scanner = ScannerFilter(app)
    app.installEventFilter(scanner)  # before log-in: a scan never types into the password field
    check: StartCheck | None = None
    try:
        if not is_set_up(ctx):  # a new real office: its set-up first, then the administrator logs in
            wizard = SetupWizard(ctx)
            joined = None
            if wizard.exec() == QDialog.DialogCode.Accepted:
                joined = getattr(wizard, "joined", None)  # this PC joined its centre's database instead
            if joined is None and wizard.admin is None:
                return 0
            if joined is not None:
                ctx.database.close()
                ctx = joined
        check = StartCheck(ctx, app)
        login = LoginDialog(ctx)
        closing = check.damaged.connect(lambda _message: login.reject())
        QTimer.singleShot(0, check.start)  # once the log-in is on screen: the file's quick_check, on a thread
        accepted = login.exec() == QDialog.DialogCode.Accepted and login.user is not None
        if check.message is not None:
            return _say_damaged(ctx, check.message)
        if not accepted:
            return 0
        window = create_main_window(ctx, login.user, scanner=scanner)
        check.damaged.disconnect(closing)
        check.damaged.connect(lambda _message: (window.close_damaged(), app.closeAllWindows()))  # a dialog too
        window.show_at_start()
        freeze_start()  # the start's objects out of the full collections' walk (ui/heap.py)
        window.backup.background.start()  # backups on a timer, after the end-of-day batch, on close
        ended = app.exec()
        return _say_damaged(ctx, check.message) if check.message is not None else ended
    finally:
        thaw()
        app.removeEventFilter(scanner)
        if check is not None and not check.running:  # else its thread reports to it still, until the process ends
            check.deleteLater()


def _say_damaged(ctx: AppContext, message: str) -> int:
    """The background check found the file damaged (ui/start_check.py): the windows are closed, nothing more was
    written; said as the start says it, with the newest verified backup offered (RESTORED once restored)."""
    ctx.database.close()  # a restore moves the file aside
    return show_start_error(message, ctx.data_dir)
