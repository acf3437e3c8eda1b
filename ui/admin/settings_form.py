"""The office and sync settings as a form: one line edit per key of counter.sync.settings, its error under it.

The password edit never shows the password: it is empty, with "********" as placeholder when one is
stored, and counts as changed only once typed into.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from counter.context import AppContext
from counter.errors import ValidationError
from counter.sync import settings

ERROR_STYLE = "color: #b00020;"
WARNING_STYLE = "color: #8a4b00;"
TRUSTED_LAN = "trusted_lan"  # a tick box, not a line edit


class SettingsForm(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        self._stored: dict[str, str] = {}
        self._password_typed = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._group("Cơ quan tiếp nhận", settings.OFFICE_KEYS))
        layout.addWidget(self._group("Đồng bộ với hệ thống tỉnh", settings.SYNC_KEYS))
        layout.addWidget(self._group("Số hóa hồ sơ", settings.SCAN_KEYS))
        layout.addWidget(self._group("Sao lưu", settings.BACKUP_KEYS))
        layout.addWidget(self._group("Dòng lệnh (main.py)", settings.MACHINE_KEYS))
        self.edits["password"].setEchoMode(QLineEdit.EchoMode.Password)
        self.trusted_lan.toggled.connect(self.lan_warning.setVisible)
        self.edits["password"].textEdited.connect(self._typed_password)

    def _group(self, title: str, keys: dict[str, str]) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        for key, label in keys.items():
            if key == TRUSTED_LAN:
                self._trusted_lan_row(form)
                continue
            edit, error = QLineEdit(), QLabel()
            edit.setObjectName(key)
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.hide()
            form.addRow(label, edit)
            form.addRow("", error)
            self.edits[key], self.errors[key] = edit, error
            if key == "password":
                self._password_note_row(form)
        return box

    def _password_note_row(self, form: QFormLayout) -> None:
        """Office mode: "Máy này chưa có mật khẩu đồng bộ …" while this PC has no password of its own (each PC of a
        centre keeps its own, counter.sync.settings)."""
        self.password_note = QLabel(settings.NO_PASSWORD_HERE)
        self.password_note.setObjectName("password_note")
        self.password_note.setStyleSheet(WARNING_STYLE)
        self.password_note.setWordWrap(True)
        self.password_note.hide()
        form.addRow("", self.password_note)

    def _trusted_lan_row(self, form: QFormLayout) -> None:
        """"Mạng nội bộ tin cậy" (Alt+T): allows http:// to the province; its warning shows while it is ticked."""
        self.trusted_lan = QCheckBox("Mạng nội bộ &tin cậy (cho phép http://)")
        self.trusted_lan.setObjectName(TRUSTED_LAN)
        self.trusted_lan.setToolTip(settings.TRUSTED_LAN_WARNING)
        self.lan_warning = QLabel(settings.TRUSTED_LAN_WARNING)
        self.lan_warning.setStyleSheet(WARNING_STYLE)
        self.lan_warning.setWordWrap(True)
        self.lan_warning.hide()
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        form.addRow("", self.trusted_lan)
        form.addRow("", self.lan_warning)
        form.addRow("", error)
        self.errors[TRUSTED_LAN] = error

    def load(self) -> str:
        """Fill the form with what is stored; returns why the office part could not be read, if so."""
        try:
            rows = settings.editable(self.ctx)
            why = ""
        except ValidationError as e:  # no office row yet: the form shows empty, the message says why
            rows = {}
            why = str(e)
        self._stored = {key: text for key, (text, _hint) in rows.items()}
        for key, edit in self.edits.items():
            text, hint = rows.get(key, ("", ""))
            edit.setText(text)
            edit.setPlaceholderText(hint)  # what an empty field means: the dialect's default, or "(chưa đặt)"
        self.trusted_lan.setChecked(rows.get(TRUSTED_LAN, ("", ""))[0] == settings.YES)
        self.lan_warning.setVisible(self.trusted_lan.isChecked())
        self._password_typed = False
        self.password_note.setVisible(rows.get("password", ("", ""))[1] == settings.NO_PASSWORD_HERE_SHOWN)
        self.show_errors({})
        return why

    def changes(self) -> dict[str, str]:
        """The keys edited since `load`, with their new text."""
        changed = {key: edit.text().strip() for key, edit in self.edits.items()
                   if key != "password" and edit.text().strip() != self._stored.get(key, "")}
        if self._password_typed and self.edits["password"].text():
            changed["password"] = self.edits["password"].text()
        ticked = settings.YES if self.trusted_lan.isChecked() else ""
        if ticked != self._stored.get(TRUSTED_LAN, ""):
            changed[TRUSTED_LAN] = ticked or settings.NO
        return changed

    def sync_settings(self) -> settings.SyncSettings:
        """What the sync part of the form says now, nothing saved (the stored password unless a new one was typed)."""
        typed = {key: value for key, value in self.changes().items() if key in settings.SYNC_KEYS}
        return settings.preview(self.ctx, typed)

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.setText(errors.get(key, ""))
            label.setVisible(key in errors)

    def _typed_password(self, _text: str) -> None:
        self._password_typed = True
