"""Restore and the numbering guard on the Quản trị page (administrators only), beside "Sao lưu ngay":

- "Khôi phục…" (Ctrl+Shift+O): choose a backup folder (the local backups or a USB drive), see what it holds and
  whether it verifies, confirm; the window's database is closed, counter.restore puts the backup in place (the
  current database moved aside, never overwritten), the restore is recorded in the restored database's log, and
  the app starts again on it.
- "Cấp mã tiếp…" (Ctrl+Shift+N): after a restore, or on a database this PC does not know, resume the numbering
  (counter.code_guard): the province is asked; when it cannot be, the administrator types the code on the last
  printed receipt, or states that none was issued since.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter import backup_schedule, restore
from counter.clock import local
from counter.code_guard import ProvinceNotAsked, Resumed, resume_numbering
from counter.errors import CounterError
from counter.office import workstations
from counter.setup import DB_FILE, open_app
from ui.main_window.actions import make_action

log = logging.getLogger(__name__)

RESTORE_SHORTCUT = "Ctrl+Shift+O"  # mở (Open) a backup; Ctrl+Shift+R is the dossier's withdrawal
RESUME_SHORTCUT = "Ctrl+Shift+N"  # đánh số (Numbering)
# Office mode: the centre's database is restored with every counter's program closed, this window's too
# (counter.office.server_backups refuses while anyone is connected), so not from inside the app.
OFFICE_RESTORE = ("Máy này dùng chung cơ sở dữ liệu của trung tâm: khôi phục khi mọi quầy đã đóng chương trình "
                  "(kể cả quầy này), bằng lệnh\nmain.py restore THƯ_MỤC_BẢN_SAO_LƯU --by TÊN_QUẢN_TRỊ_VIÊN\n"
                  "(kiểm tra trước: thêm --check-only). Cơ sở dữ liệu đang dùng được giữ lại với tên mới trên máy chủ, "
                  "không bị xóa.")


def restart_app() -> None:
    """Start the app again (the same program and arguments) once this one has quit: it opens the restored
    database through the whole start (checks, migrations, log-in)."""
    frozen = getattr(sys, "frozen", False)
    QProcess.startDetached(sys.executable, sys.argv[1:] if frozen else sys.argv)


class RestoreFlow(QObject):
    """The two commands, installed on the window (its actions) and in the backups' box (its buttons)."""

    def __init__(self, window, panel) -> None:
        super().__init__(window)
        self.window = window
        self.panel = panel
        self.choose: Callable[[], Path | None] = self._choose_folder  # tests choose without a file dialog
        self.restart: Callable[[], None] = restart_app
        self.restore_button = QPushButton(f"Khôi phục… ({RESTORE_SHORTCUT})")
        self.restore_button.setToolTip("Khôi phục một bản sao lưu đã kiểm tra; cơ sở dữ liệu đang dùng được để riêng")
        self.resume_button = QPushButton(f"Cấp mã tiếp… ({RESUME_SHORTCUT})")
        self.resume_button.setToolTip("Sau khi khôi phục: hỏi hệ thống tỉnh các mã hồ sơ đã có để cấp tiếp")
        panel.buttons.insertWidget(1, self.restore_button)
        panel.buttons.insertWidget(2, self.resume_button)
        self.restore_button.clicked.connect(self.restore_backup)
        self.resume_button.clicked.connect(self.resume)
        for text, shortcut, tip, slot in (
                ("&Khôi phục bản sao lưu…", RESTORE_SHORTCUT, "Khôi phục một bản sao lưu", self.restore_backup),
                ("Cấp &mã tiếp…", RESUME_SHORTCUT, "Cấp tiếp mã hồ sơ sau khi khôi phục", self.resume)):
            action = make_action(window, text, shortcut, tip)
            window.addAction(action)
            action.triggered.connect(slot)

    # Restore --------------------------------------------------------------------------------------

    def _choose_folder(self) -> Path | None:
        start = backup_schedule.status(self.window.ctx).destinations[0].path
        chosen = QFileDialog.getExistingDirectory(self.window, "Chọn thư mục bản sao lưu (trong backups/ hoặc trên "
                                                  "ổ USB)", str(start))
        return Path(chosen) if chosen else None

    @Slot()
    def restore_backup(self) -> bool:
        """Choose, check, confirm, restore, start again; True when the backup was restored."""
        busy = self._busy()
        if busy:
            self._say(QMessageBox.Icon.Information, busy)
            return False
        if workstations.office_mode(self.window.ctx):
            self._say(QMessageBox.Icon.Information, OFFICE_RESTORE)
            return False
        folder = self.choose()
        if folder is None:
            return False
        summary = restore.inspect(folder)
        if not summary.verified:
            self._say(QMessageBox.Icon.Warning, f"Bản sao lưu “{summary.name}” không đạt kiểm tra nên không khôi phục:"
                      "\n- " + "\n- ".join(summary.findings[:5]))
            return False
        if not self._confirmed(summary):
            return False
        return self._restore(summary)

    def _busy(self) -> str:
        if self.window.backup.background.running:
            return "Đang sao lưu: hãy chờ sao lưu xong rồi khôi phục."
        if self.window.sync.background.running:
            return "Đang đồng bộ với hệ thống tỉnh: hãy chờ xong rồi khôi phục."
        return ""

    def _confirmed(self, summary: restore.BackupSummary) -> bool:
        counts = summary.counts
        codes = ", ".join(f"máy {n}: {code}" for n, code in sorted(summary.last_codes.items())) or "chưa có"
        box = QMessageBox(QMessageBox.Icon.Question, "Khôi phục bản sao lưu",
                          f"Khôi phục bản sao lưu {summary.name}?\n\nLập lúc: {summary.created_at}\n"
                          f"Hồ sơ: {counts.get('dossiers', 0)}, bản số hóa: {counts.get('scans', 0)}\n"
                          f"Mã hồ sơ cuối: {codes}", QMessageBox.StandardButton.NoButton, self.window)
        box.setInformativeText("Cơ sở dữ liệu đang dùng được để riêng trong thư mục “truoc-khoi-phuc”, không bị xóa. "
                               "Hồ sơ tiếp nhận sau lúc sao lưu sẽ không còn trong dữ liệu khôi phục. Chương trình sẽ "
                               "mở lại sau khi khôi phục.")
        yes = box.addButton("Khôi phục", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Hủy", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes)
        box.exec()
        return box.clickedButton() is yes

    def _restore(self, summary: restore.BackupSummary) -> bool:
        ctx = self.window.ctx
        self.window.backup.background.stop()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            ctx.database.close()  # this window's connection; the workers close theirs when they end
            done: restore.Restored | str = restore.restore(ctx.data_dir, DB_FILE, summary.path,
                                                           local(ctx.clock.now()))
        except CounterError as exc:
            done = str(exc)
        finally:
            QGuiApplication.restoreOverrideCursor()
        if isinstance(done, str):
            self._say(QMessageBox.Icon.Critical, done)
            return False
        self._record(done)
        self._say(QMessageBox.Icon.Information,
                  f"Đã khôi phục {summary.name}. Cơ sở dữ liệu trước đó được để riêng ở:\n{done.aside or 'không có'}"
                  "\n\nChương trình sẽ mở lại. Trước khi tiếp nhận, quản trị viên vào Quản trị → “Cấp mã tiếp…”.")
        self.restart()
        self.window.close()
        app = QApplication.instance()
        if app is not None:
            app.quit()
        return True

    def _record(self, done: restore.Restored) -> None:
        """The restore in the restored database's log, by this administrator (opened and closed here: the window
        is about to close)."""
        try:
            ctx = open_app(self.window.ctx.data_dir, clock=self.window.ctx.clock)
        except CounterError:
            log.exception("the restored database could not be opened to record the restore")
            return
        try:
            ctx.user = self.window.user
            restore.record(ctx, done)
        finally:
            ctx.database.close()

    # Numbering ----------------------------------------------------------------------------------

    @Slot()
    def resume(self) -> Resumed | None:
        """Ask the province; when it cannot be asked, the administrator types the last printed code."""
        ctx = self.window.ctx
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result, changes = resume_numbering(ctx)
        except ProvinceNotAsked as exc:
            QGuiApplication.restoreOverrideCursor()
            return self._resume_typed(str(exc))
        except CounterError as exc:
            QGuiApplication.restoreOverrideCursor()
            self._say(QMessageBox.Icon.Warning, str(exc))
            return None
        QGuiApplication.restoreOverrideCursor()
        self.window.signals.changed.emit(changes)
        self._say(QMessageBox.Icon.Information, describe(result))
        return result

    def _resume_typed(self, why: str) -> Resumed | None:
        dialog = LastCodeDialog(why, self.window)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                result, changes = resume_numbering(self.window.ctx, dialog.code() or None,
                                                   none_issued=dialog.none_issued, ask_province=False)
            except CounterError as exc:
                dialog.show_error(str(exc))
                continue
            self.window.signals.changed.emit(changes)
            self._say(QMessageBox.Icon.Information, describe(result))
            return result
        return None

    def _say(self, icon: QMessageBox.Icon, text: str) -> None:
        box = QMessageBox(icon, "Khôi phục và cấp mã", text, QMessageBox.StandardButton.Ok, self.window)
        box.exec()


def describe(result: Resumed) -> str:
    said = f"Máy này cấp tiếp mã hồ sơ sau {result.continues_after or 'mã đầu tiên của ngày'}."
    if result.province_codes:
        said += ("\n\nHệ thống tỉnh có các hồ sơ mà dữ liệu này không có (mất khi khôi phục): "
                 + ", ".join(result.province_codes) + ". Hãy nhập lại hoặc đối chiếu các hồ sơ đó.")
    return said


class LastCodeDialog(QDialog):
    """The province could not be asked: the code on the last receipt this workstation printed (Enter), or "none
    since" (Alt+K)."""

    def __init__(self, why: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Cấp mã tiếp")
        self.none_issued = False
        said = QLabel(why)
        said.setWordWrap(True)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Mã trên phiếu tiếp nhận cuối cùng, ví dụ 000.00.06.H56-260213-0012")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        buttons = QDialogButtonBox()
        self.after = buttons.addButton("Cấp tiếp sau mã này", QDialogButtonBox.ButtonRole.AcceptRole)
        self.none = buttons.addButton("&Không cấp thêm mã nào", QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        self.after.setDefault(True)
        buttons.accepted.connect(self._typed)
        buttons.rejected.connect(self.reject)
        self.none.clicked.connect(self._none)
        layout = QVBoxLayout(self)
        for widget in (said, self.edit, self.error, buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(560)

    def code(self) -> str:
        return "" if self.none_issued else self.edit.text().strip()

    def _typed(self) -> None:
        if not self.edit.text().strip():
            self.show_error("Hãy nhập mã hồ sơ, hoặc chọn “Không cấp thêm mã nào”.")
            return
        self.none_issued = False
        self.accept()

    def _none(self) -> None:
        self.none_issued = True
        self.accept()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.edit.setFocus()
