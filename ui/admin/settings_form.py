"""The office and sync settings as a form: one line edit per key of counter.sync.settings, its error under it.

The password edit never shows the password: it is empty, with "********" as placeholder when one is
stored, and counts as changed only once typed into.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
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
        self.edits["password"].setEchoMode(QLineEdit.EchoMode.Password)
        self.edits["password"].textEdited.connect(self._typed_password)

    def _group(self, title: str, keys: dict[str, str]) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        for key, label in keys.items():
            edit, error = QLineEdit(), QLabel()
            edit.setObjectName(key)
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.hide()
            form.addRow(label, edit)
            form.addRow("", error)
            self.edits[key], self.errors[key] = edit, error
        return box

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
        self._password_typed = False
        self.show_errors({})
        return why

    def changes(self) -> dict[str, str]:
        """The keys edited since `load`, with their new text."""
        changed = {key: edit.text().strip() for key, edit in self.edits.items()
                   if key != "password" and edit.text().strip() != self._stored.get(key, "")}
        if self._password_typed and self.edits["password"].text():
            changed["password"] = self.edits["password"].text()
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
