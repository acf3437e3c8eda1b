"""The start's offer when the database cannot be opened safely (damaged, not a database): the newest verified
backup of the data folder's backups, restored after an administrator of the office gives his name and password
(nobody is logged in yet: the password is checked against the current database when it can be read, else
against the backup's). The database it replaces is moved aside, never overwritten (counter.restore)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from counter import restore
from counter.clock import Clock, local
from counter.errors import CounterError
from counter.office.users import active_user
from counter.setup import DB_FILE, open_app

log = logging.getLogger(__name__)


def newest_backup(data_dir: Path) -> restore.BackupSummary | None:
    """The newest backup of the data folder that verifies now, or None."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        found = restore.latest_verified(restore.default_destinations(data_dir))
    finally:
        QGuiApplication.restoreOverrideCursor()
    return restore.inspect(found) if found is not None else None


def offer_text(backup: restore.BackupSummary) -> str:
    return (f"Có bản sao lưu đã kiểm tra gần nhất: {backup.name} (lập {backup.created_at}, "
            f"{backup.counts.get('dossiers', 0)} hồ sơ). Quản trị viên có thể khôi phục bản này; cơ sở dữ liệu hiện "
            "tại được để riêng, không bị xóa. Bản sao lưu trên ổ USB: main.py restore THƯ_MỤC --by QUẢN_TRỊ.")


class AdminCheck(QDialog):
    """Name and password of an administrator of the office, to restore before anybody can log in."""

    def __init__(self, data_dir: Path, backup: restore.BackupSummary, parent: QWidget | None = None):
        super().__init__(parent)
        self.data_dir, self.backup = data_dir, backup
        self.setWindowTitle("Khôi phục bản sao lưu")
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Khôi phục")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self.check)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(f"Khôi phục {backup.name}: quản trị viên đăng nhập để xác nhận."))
        form.addRow("Tên đăng nhập:", self.username)
        form.addRow("Mật khẩu:", self.password)
        form.addRow(self.error)
        form.addRow(buttons)
        self.setMinimumWidth(520)

    def check(self) -> None:
        if restore.may_restore(self.data_dir, DB_FILE, self.backup.path, self.username.text(), self.password.text()):
            self.accept()
        else:
            self.error.setText("Sai tên đăng nhập hoặc mật khẩu, hoặc người này không phải quản trị viên.")
            self.password.clear()
            self.password.setFocus()


def restore_at_start(data_dir: Path, backup: restore.BackupSummary, parent: QWidget | None = None) -> bool:
    """Ask for an administrator, restore, record, say so; True when the app can start on the restored database."""
    check = AdminCheck(data_dir, backup, parent)
    if check.exec() != QDialog.DialogCode.Accepted:
        return False
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        done = restore.restore(data_dir, DB_FILE, backup.path, local(Clock().now()))
        ctx = open_app(data_dir)
    except CounterError as exc:
        QGuiApplication.restoreOverrideCursor()
        QMessageBox(QMessageBox.Icon.Critical, "Khôi phục bản sao lưu", str(exc), QMessageBox.StandardButton.Ok,
                    parent).exec()
        return False
    QGuiApplication.restoreOverrideCursor()
    try:
        try:
            ctx.user = active_user(ctx, check.username.text())
        except CounterError:
            ctx.user = None  # an administrator newer than the backup: recorded without a name
        restore.record(ctx, done)
    finally:
        ctx.database.close()
    QMessageBox(QMessageBox.Icon.Information, "Khôi phục bản sao lưu",
                f"Đã khôi phục {backup.name}. Cơ sở dữ liệu hỏng được để riêng ở:\n{done.aside or 'không có'}\n\n"
                "Trước khi tiếp nhận, quản trị viên vào Quản trị → “Cấp mã tiếp…”.", QMessageBox.StandardButton.Ok,
                parent).exec()
    return True
