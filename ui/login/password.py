"""Đổi mật khẩu: any user changes his own password (menu Hệ thống), and a user whose password was set by an
administrator changes it before the app opens (`forced`: the password just typed at log-in is the old one)."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from counter import APP_NAME, records
from counter.context import AppContext
from counter.errors import CounterError
from counter.office.users import MIN_PASSWORD, change_password

FORCED_HINT = ("Mật khẩu của anh/chị do quản trị viên đặt. Hãy đặt mật khẩu mới của riêng mình trước khi "
               "bắt đầu làm việc.")


def password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMinimumWidth(260)
    return edit


class ChangePasswordDialog(QDialog):
    """Old password (unless `old_password` is given), the new one twice. Accepted once counter/ changed it;
    `user` is then the record after the change."""

    def __init__(self, ctx: AppContext, *, old_password: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.user: records.User | None = None
        self._given_old = old_password
        self.setWindowTitle(f"Đổi mật khẩu — {APP_NAME}")
        self.old = password_edit()
        self.new = password_edit()
        self.again = password_edit()
        self.error = QLabel()
        self.error.setObjectName("passwordError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        if old_password is None:
            form.addRow("Mật khẩu hiện tại:", self.old)
        form.addRow("Mật khẩu mới:", self.new)
        form.addRow("Nhập lại mật khẩu mới:", self.again)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Đổi mật khẩu")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        name = ctx.user.full_name if ctx.user else ""
        hint = QLabel(FORCED_HINT if old_password is not None else f"Đổi mật khẩu của {name}.")
        hint.setWordWrap(True)
        rule = QLabel(f"Mật khẩu mới có ít nhất {MIN_PASSWORD} ký tự và không trùng tên đăng nhập.")
        rule.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(rule)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        (self.new if old_password is not None else self.old).setFocus()

    @Slot()
    def submit(self) -> None:
        if self.new.text() != self.again.text():
            self._refuse("Hai lần nhập mật khẩu mới không giống nhau.", self.again)
            return
        old = self._given_old if self._given_old is not None else self.old.text()
        try:
            self.user, _ = change_password(self.ctx, old, self.new.text())
        except CounterError as e:
            wrong_old = "hiện tại không đúng" in str(e) and self._given_old is None
            self._refuse(str(e), self.old if wrong_old else self.new)
            return
        self.accept()

    def _refuse(self, message: str, focus: QLineEdit) -> None:
        self.error.setText(message)
        self.error.show()
        for edit in (focus, self.again) if focus is self.new else (focus,):
            edit.clear()
        focus.setFocus()
