"""Trợ giúp's actions, each with its shortcut (F1 stays the board): Giới thiệu, Phím tắt, Mở thư mục nhật ký,
Tạo gói hỗ trợ. The main window calls `install` and adds the menu in one small function (window.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenuBar, QMessageBox, QWidget

from counter import support
from counter.context import AppContext
from counter.errors import CounterError
from ui.dialogs import error_box
from ui.help.about import AboutDialog
from ui.help.shortcuts import ShortcutsDialog, collect

ABOUT_KEY, KEYS_KEY, LOGS_KEY, BUNDLE_KEY = "Shift+F1", "Ctrl+F1", "Ctrl+Alt+N", "Ctrl+Alt+H"
Screen = Callable[[], tuple[QWidget | None, str]]  # the page shown now and its title


def ask_destination(parent: QWidget, suggested: Path) -> Path | None:
    """Where to save the bundle (the Documents folder suggested); None when the clerk cancels."""
    chosen, _filter = QFileDialog.getSaveFileName(parent, "Lưu gói hỗ trợ", str(suggested), "Tệp nén (*.zip)")
    return Path(chosen) if chosen else None


class HelpMenu:
    def __init__(self, window: QMainWindow, ctx: AppContext, screen: Screen):
        self.window, self.ctx, self.screen = window, ctx, screen
        self.dialog: QWidget | None = None  # the box open now (tests read it)
        self.about = self._action("&Giới thiệu…", ABOUT_KEY, "Phiên bản, nơi lưu dữ liệu và nhật ký, giấy phép",
                                  self.show_about)
        self.keys = self._action("&Phím tắt…", KEYS_KEY, "Các phím tắt của màn hình đang mở", self.show_keys)
        self.logs = self._action("Mở thư mục &nhật ký", LOGS_KEY, "Mở thư mục chứa tệp nhật ký của chương trình",
                                 self.open_logs)
        self.bundle = self._action("Tạo gói &hỗ trợ…", BUNDLE_KEY, "Tệp nén gửi cho người hỗ trợ: nhật ký, thiết "
                                   "lập (không có mật khẩu), kết quả kiểm tra dữ liệu", self.make_bundle)

    def _action(self, text: str, key: str, tip: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(key))
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def add_menu(self, bar: QMenuBar) -> None:
        menu = bar.addMenu("Trợ &giúp")
        menu.addActions([self.keys, self.about])
        menu.addSeparator()
        menu.addActions([self.logs, self.bundle])

    def show_about(self) -> None:
        self.dialog = AboutDialog(self.ctx, self.window)
        self.dialog.open()

    def show_keys(self) -> None:
        page, title = self.screen()
        self.dialog = ShortcutsDialog(collect(self.window, page, title), self.window)
        self.dialog.open()

    def open_logs(self) -> bool:
        folder = support.ensure_log_dir(self.ctx.data_dir)
        opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
        if not opened:
            self._tell("Thư mục nhật ký", f"Không mở được thư mục. Nhật ký nằm trong thư mục:\n{folder}")
        return opened

    def make_bundle(self) -> Path | None:
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = Path(documents or Path.home()) / support.bundle_name(self.ctx.clock.now())
        destination = ask_destination(self.window, suggested)
        if destination is None:
            return None
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            path = support.make_bundle(self.ctx, destination)
        except CounterError as e:
            QGuiApplication.restoreOverrideCursor()
            self.dialog = error_box(self.window, e)
            self.dialog.open()
            return None
        QGuiApplication.restoreOverrideCursor()
        self.window.statusBar().showMessage(f"Đã tạo gói hỗ trợ: {path}", 10000)
        self._tell("Gói hỗ trợ", f"Đã tạo gói hỗ trợ:\n{path}\n\nGửi tệp này cho người hỗ trợ. Trong gói không có "
                   "mật khẩu, số căn cước công dân đã được che.")
        return path

    def _tell(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dialog = box
        box.open()


def install(window: QMainWindow, ctx: AppContext, screen: Screen) -> HelpMenu:
    return HelpMenu(window, ctx, screen)
