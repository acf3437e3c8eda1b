"""What every action dialog shares: a short form, Enter moving on (and accepting on the last field),
Ctrl+Enter accepting anywhere, the domain's message shown in the dialog with everything typed kept.

A dialog commits its intent itself when accepted, so an error leaves it open on the clerk's input, with the
cursor in the widget the dialog declares for the field the error names (`field_widgets`); only a committed
change closes it, and `committed` carries the refreshed dossier and what changed to the page.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import (
    QEvent,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QKeyEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter import records
from counter.changes import Changes
from counter.context import AppContext
from counter.errors import CounterError, Field
from counter.records import DossierDetail
from counter.text import nfc
from ui.printing.preview import PrintJob
from ui.reception.look import MessageLine, WrappedLabel, readable, show_error

log = logging.getLogger(__name__)

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
WRITE_FAILED = ("Không ghi được vào máy ({error}). Chưa có gì thay đổi; nội dung vừa nhập vẫn còn — hãy thử lại, "
                "nếu vẫn lỗi thì báo quản trị viên.")


def reason_edit(placeholder: str = "") -> QPlainTextEdit:
    """A few lines of free text; Enter moves on (Shift+Enter starts a new line)."""
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(72)
    edit.setPlaceholderText(placeholder)
    return edit


def text_of(field: QWidget) -> str:
    if isinstance(field, QPlainTextEdit):
        return nfc(field.toPlainText())
    if isinstance(field, QLineEdit):
        return nfc(field.text())
    raise TypeError(f"no text in {type(field).__name__}")


class ActionDialog(QDialog):
    committed = Signal(object, object)  # the records.Dossier the intent returned, and its Changes

    title = ""
    ok_text = "Ghi"
    dialog_width = 560

    def __init__(self, ctx: AppContext, detail: DossierDetail, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.detail = ctx, detail
        self.dossier: records.Dossier = detail.dossier
        self.result_dossier: records.Dossier | None = None
        self.setWindowTitle(f"{self.title} — {self.dossier.code}")
        readable(self)
        self.intro = WrappedLabel()
        self.intro.hide()
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.message = MessageLine()
        self.ok_button = QPushButton(f"{self.ok_text}  (Ctrl+Enter)")
        self.cancel_button = QPushButton("Hủy  (Esc)")
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addLayout(self._buttons())
        self.resize(self.dialog_width, 10)

    def _buttons(self) -> QHBoxLayout:
        for button in (self.ok_button, self.cancel_button):
            button.setMinimumHeight(36)
            button.setAutoDefault(False)  # Enter belongs to the fields (it moves on)
        self.ok_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.ok_button)
        row.addWidget(self.cancel_button)
        return row

    def say(self, text: str) -> None:
        """A line above the form: what the action will do."""
        self.intro.setText(text)
        self.intro.show()

    def add_row(self, label: str, field: QWidget) -> QWidget:
        self.form.addRow(QLabel(label), field)
        return field

    # Keyboard ----------------------------------------------------------------------------------

    def fields(self) -> list[QWidget]:
        """The fields in Enter order; Enter on the last one accepts."""
        return []

    def showEvent(self, event) -> None:
        for field in self.fields():
            field.installEventFilter(self)
        first = next((f for f in self.fields() if f.isEnabled()), None)
        if first is not None:
            first.setFocus()
        super().showEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() in ENTER_KEYS:
            modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if modifiers == Qt.KeyboardModifier.NoModifier and watched in self.fields():
                self._enter_from(watched)
                return True
        return super().eventFilter(watched, event)

    def _enter_from(self, field: QWidget) -> None:
        later = self.fields()[self.fields().index(field) + 1:]
        following = next((f for f in later if f.isEnabled() and f.isVisible()), None)
        if following is None:
            self.accept()
        else:
            following.setFocus()

    # Committing --------------------------------------------------------------------------------

    def submit(self) -> tuple[records.Dossier, Changes]:
        """Run the intent with what was typed (its dossier and Changes); raise CounterError to stay open with
        its message."""
        raise NotImplementedError

    def field_widgets(self) -> dict[Field | None, QWidget]:
        """Field → the widget to put the cursor back in after an error about it; None: after an error about no
        one field (a refused transition). A field not listed leaves the cursor where it is."""
        return {}

    def job(self, detail: DossierDetail) -> PrintJob | None:
        """The form to print once the change is committed, built from the refreshed record."""
        return None

    def accept(self) -> None:
        self.message.clear_message()
        try:
            dossier, changes = self.submit()
        except CounterError as exc:
            show_error(self.message, exc, self.field_widgets())
            return
        except Exception as exc:  # a fault: the intent's transaction rolled back
            log.exception("%s failed", type(self).__name__)
            self.message.error(WRITE_FAILED.format(error=exc))
            return
        self.result_dossier = dossier
        super().accept()
        self.committed.emit(dossier, changes)
