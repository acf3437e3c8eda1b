"""Log in at the start of the day, and unlock after the idle lock (same dialog, username fixed)."""

from __future__ import annotations

from PySide6.QtCore import (
    Qt,
    Slot,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter import APP_NAME, records
from counter.context import AppContext
from counter.errors import AuthError, ValidationError
from counter.office.profile import get_office
from counter.office.sessions import log_in
from ui.login.password import ChangePasswordDialog
from ui.title import app_title

FIELD_WIDTH = 300
MUST_CHANGE = "Phải đổi mật khẩu do quản trị viên đặt trước khi bắt đầu làm việc."


class LoginDialog(QDialog):
    """`exec()`/`open()` it; once accepted, `user` is the authenticated clerk. A user whose password was set by an
    administrator changes it first (`change_dialog`), else is not logged in.

    With `username` given the dialog unlocks a locked session: the name cannot be changed,
    Escape does nothing, and "Thoát chương trình" ends with `quit_requested` set.
    """

    def __init__(self, ctx: AppContext, *, username: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.unlocking = username is not None
        self.user: records.User | None = None
        self.quit_requested = False
        self.setWindowTitle(f"Mở khóa — {app_title(ctx)}" if self.unlocking else f"Đăng nhập — {app_title(ctx)}")
        self.username = QLineEdit(username or "")
        self.username.setReadOnly(self.unlocking)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("loginError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = self._make_buttons()
        self._lay_out()
        (self.password if self.unlocking else self.username).setFocus()

    def _make_buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox()
        self.submit_button = QPushButton("Mở khóa" if self.unlocking else "Đăng nhập")
        self.submit_button.setDefault(True)
        buttons.addButton(self.submit_button, QDialogButtonBox.ButtonRole.AcceptRole)
        leave = QPushButton("Thoát chương trình" if self.unlocking else "Thoát")
        leave.setAutoDefault(False)
        buttons.addButton(leave, QDialogButtonBox.ButtonRole.RejectRole)
        self.submit_button.clicked.connect(self.submit)
        leave.clicked.connect(self.leave)
        return buttons

    def _lay_out(self) -> None:
        self.heading = heading = QLabel(_office_heading(self.ctx))
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        heading.setWordWrap(True)
        heading.setStyleSheet("font-weight: bold; font-size: 13pt;")
        hint = QLabel("Phiên làm việc đã khóa do lâu không thao tác. Nhập mật khẩu để tiếp tục."
                      if self.unlocking else "Đăng nhập để bắt đầu làm việc.")
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Tên đăng nhập:", self.username)
        form.addRow("Mật khẩu:", self.password)
        for field in (self.username, self.password):
            field.setMinimumWidth(FIELD_WIDTH)
        form.setSpacing(10)
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        layout.setContentsMargins(32, 24, 32, 20)
        layout.addWidget(heading)
        layout.addWidget(_rule())
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addSpacing(6)
        layout.addWidget(self.buttons)

    @Slot()
    def submit(self) -> None:
        """Enter anywhere comes here: an empty field takes the focus, else check the password."""
        for field in (self.username, self.password):
            if not field.text().strip():
                field.setFocus()
                return
        try:
            user = log_in(self.ctx, self.username.text(), self.password.text(), unlocking=self.unlocking)
        except AuthError as e:  # a LoginWait says how long the user name must wait
            self._refuse(str(e))
            return
        if user.must_change_password and not self.unlocking:
            self._change_first(user, self.password.text())
            return
        self.user = user
        self.accept()

    def _change_first(self, user: records.User, password: str) -> None:
        """A password set by an administrator: the user sets his own before the app opens (or does not log in)."""
        self.ctx.user = user  # change_password acts for the logged-in user
        self.change_dialog = dialog = ChangePasswordDialog(self.ctx, old_password=password, parent=self)
        dialog.accepted.connect(lambda: self._changed(dialog))
        dialog.rejected.connect(self._not_changed)
        dialog.open()

    def _changed(self, dialog: ChangePasswordDialog) -> None:
        self.user = dialog.user
        self.accept()

    def _not_changed(self) -> None:
        self.ctx.user = None
        self._refuse(MUST_CHANGE)

    def _refuse(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.password.clear()
        self.password.setFocus()

    @Slot()
    def leave(self) -> None:
        self.quit_requested = True
        super().reject()

    def reject(self) -> None:  # Escape or the title bar's close button
        if not self.unlocking:
            super().reject()


def _rule() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


def _office_heading(ctx: AppContext) -> str:
    try:
        office = get_office(ctx)
    except ValidationError:
        return APP_NAME
    return f"{office.parent_name}\n{office.office_name}".upper()  # as the forms head it
