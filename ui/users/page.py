"""The Người dùng section (administrators only): every user with role, state and last log-in; add, disable,
enable, reset a password, change a role. Each action asks counter/office/users.py, which checks the role and
the rules (the last active administrator stays); a refusal is shown as it is, nothing half written."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter import records
from counter.changes import Changes
from counter.context import AppContext
from counter.errors import CounterError
from counter.office import users
from counter.office.users import ROLES
from ui.login.password import password_edit

HEADERS = ("Họ và tên", "Tên đăng nhập", "Vai trò", "Trạng thái", "Đăng nhập lần cuối")
ACTIVE, DISABLED = "Đang hoạt động", "Đã khóa"
ERROR_STYLE = "color: #b00020;"


class UsersTableModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[records.User] = []

    def set_rows(self, rows: list[records.User]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        user = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cells(user)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and not user.active:
            return Qt.GlobalColor.gray
        if role == Qt.ItemDataRole.ToolTipRole and user.must_change_password:
            return "Phải đổi mật khẩu khi đăng nhập lần sau"
        return None


def cells(user: records.User) -> tuple[str, str, str, str, str]:
    last = f"{user.last_login_at:%H:%M %d/%m/%Y}" if user.last_login_at else "Chưa đăng nhập"
    state = ACTIVE if user.active else DISABLED
    if user.must_change_password and user.active:
        state += " (phải đổi mật khẩu)"
    return user.full_name, user.username, ROLES.get(user.role, user.role), state, last


class UsersPage(QWidget):
    changed = Signal(Changes)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.model = UsersTableModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # the state is read whole
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.add_button = self._button("Thêm người dùng", "Ctrl+N", self.add_user)
        self.disable_button = self._button("Khóa tài khoản", "Ctrl+K", self.disable_user)
        self.enable_button = self._button("Mở lại tài khoản", "Ctrl+M", self.enable_user)
        self.reset_button = self._button("Đặt lại mật khẩu", "Ctrl+R", self.reset_password)
        self.role_button = self._button("Đổi vai trò", "Ctrl+E", self.set_role)
        self.dialog: QDialog | None = None
        self._lay_out()
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.reload()

    def _button(self, text: str, key: str, slot) -> QPushButton:
        """A button and its shortcut, live while the page is shown (a QShortcut acts at once; a button's own
        shortcut would animate a click first). A disabled button's shortcut does nothing either."""
        button = QPushButton(f"{text} ({key})")
        button.clicked.connect(slot)
        shortcut = QShortcut(QKeySequence(key), self)
        shortcut.activated.connect(lambda: button.isEnabled() and slot())
        return button

    def _lay_out(self) -> None:
        title = QLabel("Người dùng")
        title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        hint = QLabel("Mật khẩu do quản trị viên đặt (người dùng mới, đặt lại) phải được đổi khi đăng nhập lần sau. "
                      "Quản trị viên cuối cùng đang hoạt động không thể bị khóa hay đổi vai trò.")
        hint.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.disable_button, self.enable_button, self.reset_button, self.role_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)

    # Data ------------------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        select = select or (self.selected().username if self.selected() else None)
        self.model.set_rows(users.list_users(self.ctx))
        row = next((i for i, u in enumerate(self.model.rows) if u.username == select), 0 if self.model.rows else -1)
        if row >= 0:
            self.view.selectRow(row)
        self._update_buttons()

    def selected(self) -> records.User | None:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return self.model.rows[rows[0].row()] if rows else None

    @Slot(Changes)
    def on_changed(self, changes: Changes) -> None:
        if changes.users:
            self.reload()

    def _update_buttons(self) -> None:
        user = self.selected()
        self.disable_button.setEnabled(user is not None and user.active)
        self.enable_button.setEnabled(user is not None and not user.active)
        for b in (self.reset_button, self.role_button):
            b.setEnabled(user is not None)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)

    def _run(self, call, done: str) -> bool:
        """Run one intent; say what it did or why it was refused."""
        try:
            user, changes = call()
        except CounterError as e:
            self._say(str(e), error=True)
            return False
        self.reload(select=user.username)
        self._say(done.format(name=user.username, role=ROLES.get(user.role, user.role)))
        self.changed.emit(changes)
        return True

    # Actions ---------------------------------------------------------------------------------

    @Slot()
    def add_user(self) -> None:
        self._open(AddUserDialog(self))

    @Slot()
    def disable_user(self) -> None:
        if (user := self.selected()) is not None:
            self._run(lambda: users.disable_user(self.ctx, user.username), "Đã khóa tài khoản {name}.")

    @Slot()
    def enable_user(self) -> None:
        if (user := self.selected()) is not None:
            self._run(lambda: users.enable_user(self.ctx, user.username), "Đã mở lại tài khoản {name}.")

    @Slot()
    def reset_password(self) -> None:
        if (user := self.selected()) is not None:
            self._open(ResetPasswordDialog(self, user))

    @Slot()
    def set_role(self) -> None:
        if (user := self.selected()) is not None:
            self._open(RoleDialog(self, user))

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()


class _Form(QDialog):
    """A small form whose OK runs one intent through the page; a refusal stays in the form, under it. Each form
    (below) defines `submit()`, which OK calls: it builds the intent's call and hands it to `run`."""

    def __init__(self, page: UsersPage, title: str):
        super().__init__(page)
        self.page = page
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def run(self, call, done: str) -> None:
        try:
            user, changes = call()
        except CounterError as e:
            self.error.setText(str(e))
            return
        self.page.reload(select=user.username)
        self.page._say(done.format(name=user.username, role=ROLES.get(user.role, user.role)))
        self.page.changed.emit(changes)
        self.accept()


def role_combo(current: str = "clerk") -> QComboBox:
    combo = QComboBox()
    for code, label in ROLES.items():
        combo.addItem(label, code)
    combo.setCurrentIndex(list(ROLES).index(current) if current in ROLES else 0)
    return combo


class AddUserDialog(_Form):
    def __init__(self, page: UsersPage):
        super().__init__(page, "Thêm người dùng")
        self.full_name = QLineEdit()
        self.username = QLineEdit()
        self.title = QLineEdit()
        self.role = role_combo()
        self.password = password_edit()
        self.again = password_edit()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Thêm")
        for label, widget in (("Họ và tên:", self.full_name), ("Tên đăng nhập:", self.username),
                              ("Vai trò:", self.role), ("Chức danh:", self.title),
                              ("Mật khẩu ban đầu:", self.password), ("Nhập lại mật khẩu:", self.again)):
            self.form.addRow(label, widget)
        self.full_name.setFocus()

    def submit(self) -> None:
        if self.password.text() != self.again.text():
            self.error.setText("Hai lần nhập mật khẩu không giống nhau.")
            self.again.clear()
            self.again.setFocus()
            return
        self.run(lambda: users.add_user(self.page.ctx, self.username.text(), self.full_name.text(),
                                        self.role.currentData(), self.password.text(), self.title.text()),
                 "Đã thêm {name} ({role}); người dùng phải đổi mật khẩu khi đăng nhập lần đầu.")


class ResetPasswordDialog(_Form):
    def __init__(self, page: UsersPage, user: records.User):
        super().__init__(page, f"Đặt lại mật khẩu — {user.username}")
        self.user = user
        self.password = password_edit()
        self.again = password_edit()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Đặt lại")
        self.form.addRow(QLabel(f"{user.full_name} ({user.username}) phải đổi mật khẩu này khi đăng nhập lần sau."))
        self.form.addRow("Mật khẩu tạm thời:", self.password)
        self.form.addRow("Nhập lại mật khẩu:", self.again)
        self.password.setFocus()

    def submit(self) -> None:
        if self.password.text() != self.again.text():
            self.error.setText("Hai lần nhập mật khẩu không giống nhau.")
            self.again.clear()
            self.again.setFocus()
            return
        self.run(lambda: users.reset_password(self.page.ctx, self.user.username, self.password.text()),
                 "Đã đặt lại mật khẩu của {name}; người dùng phải đổi mật khẩu khi đăng nhập lần sau.")


class RoleDialog(_Form):
    def __init__(self, page: UsersPage, user: records.User):
        super().__init__(page, f"Đổi vai trò — {user.username}")
        self.user = user
        self.role = role_combo(user.role)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Đổi vai trò")
        self.form.addRow(QLabel(f"{user.full_name} ({user.username})"))
        self.form.addRow("Vai trò:", self.role)
        self.role.setFocus()

    def submit(self) -> None:
        self.run(lambda: users.set_role(self.page.ctx, self.user.username, self.role.currentData()),
                 "{name}: vai trò {role}.")
