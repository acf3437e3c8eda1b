"""The two questions an outcome asks: what must be completed (Mẫu 02), why refuse (Mẫu 03).

The page asks through `ask_guidance` and `ask_refusal_reason`, the seams tests replace; the dialogs
themselves are tested by filling them and calling `accept()`. Each asks the domain's own check before it
closes, and puts the cursor in the field the refusal names.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter.dossiers import reception
from counter.errors import Field, ValidationError
from counter.records import GuidanceItem
from counter.text import nfc
from ui.reception.look import MessageLine, readable, show_error

MISSING_PROBLEM = "Chưa nộp, cần bổ sung"
MISSING_REASON = "Hồ sơ chưa đầy đủ thành phần theo quy định."
CONFIRM_KEYS = ("Ctrl+Return", "Ctrl+Enter")


def _buttons(dialog: QDialog, ok_text: str) -> QHBoxLayout:
    ok = QPushButton(f"{ok_text} (Ctrl+Enter)")
    ok.setMinimumHeight(36)
    cancel = QPushButton("Hủy (Esc)")
    cancel.setMinimumHeight(36)
    ok.clicked.connect(dialog.accept)
    cancel.clicked.connect(dialog.reject)
    for keys in CONFIRM_KEYS:
        QShortcut(QKeySequence(keys), dialog, dialog.accept)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(ok)
    row.addWidget(cancel)
    return row


def _reason_edit(text: str = "") -> QPlainTextEdit:
    edit = QPlainTextEdit(text)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(84)
    return edit


class GuidanceDialog(QDialog):
    """Papers to supply or correct, one per row, and the reason, for the Mẫu 02 the citizen takes away."""

    def __init__(self, missing: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Hướng dẫn bổ sung, hoàn thiện hồ sơ (Mẫu 02)")
        readable(self)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Tên giấy tờ", "Nội dung cần bổ sung, hoàn thiện"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        triggers = QAbstractItemView.EditTrigger
        self.table.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed | triggers.AnyKeyPressed)
        for name in missing:
            self.add_row(name, MISSING_PROBLEM)
        if not missing:
            self.add_row()
        self.reason_edit = _reason_edit(MISSING_REASON if missing else "")
        self.message = MessageLine()
        add = QPushButton("Thêm dòng (Insert)")
        add.clicked.connect(lambda: self.add_row())
        remove = QPushButton("Xóa dòng")
        remove.clicked.connect(self.remove_current_row)
        QShortcut(QKeySequence(Qt.Key.Key_Insert), self, lambda: self.add_row())
        edit_row = QHBoxLayout()
        edit_row.addWidget(add)
        edit_row.addWidget(remove)
        edit_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Giấy tờ cần bổ sung, hoàn thiện (sửa trực tiếp trong bảng):"))
        layout.addWidget(self.table, 1)
        layout.addLayout(edit_row)
        layout.addWidget(QLabel("Lý do:"))
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.message)
        layout.addLayout(_buttons(self, "Ghi và in Mẫu 02"))
        self.resize(760, 460)
        self.field_widgets: dict[Field | None, QWidget] = {Field.SUPPLEMENT_ITEMS: self.table,
                                                          Field.REASON: self.reason_edit}
        self.table.setFocus()

    def add_row(self, name: str = "", problem: str = "") -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(name))
        self.table.setItem(row, 1, QTableWidgetItem(problem))
        self.table.setCurrentCell(row, 0 if not name else 1)
        return row

    def remove_current_row(self) -> None:
        if self.table.currentRow() >= 0:
            self.table.removeRow(self.table.currentRow())

    def items(self) -> list[GuidanceItem]:
        found = []
        for row in range(self.table.rowCount()):
            name, problem = (nfc(self.table.item(row, c).text()) if self.table.item(row, c) else "" for c in (0, 1))
            if name:
                found.append(GuidanceItem(name, problem))
        return found

    def reason(self) -> str:
        return nfc(self.reason_edit.toPlainText())

    def accept(self) -> None:
        try:
            reception.guidance_items(self.items())
            reception.guidance_reason(self.reason())
        except ValidationError as exc:
            show_error(self.message, exc, self.field_widgets)
            return
        super().accept()


class RefusalDialog(QDialog):
    """The reason printed on the Mẫu 03, in the clerk's words."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Từ chối tiếp nhận hồ sơ (Mẫu 03)")
        readable(self)
        self.reason_edit = _reason_edit()
        self.reason_edit.setPlaceholderText("Ví dụ: Yêu cầu không thuộc thẩm quyền giải quyết của UBND xã.")
        self.message = MessageLine()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Lý do không tiếp nhận (in trên Phiếu từ chối, ghi cụ thể):"))
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.message)
        layout.addLayout(_buttons(self, "Từ chối và in Mẫu 03"))
        self.resize(640, 260)
        self.field_widgets: dict[Field | None, QWidget] = {Field.REASON: self.reason_edit}
        self.reason_edit.setFocus()

    def reason(self) -> str:
        return nfc(self.reason_edit.toPlainText())

    def accept(self) -> None:
        try:
            reception.refusal_reason(self.reason())
        except ValidationError as exc:
            show_error(self.message, exc, self.field_widgets)
            return
        super().accept()


def ask_guidance(parent: QWidget, missing: list[str]) -> tuple[list[GuidanceItem], str] | None:
    dialog = GuidanceDialog(missing, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.items(), dialog.reason()


def ask_refusal_reason(parent: QWidget) -> str | None:
    dialog = RefusalDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.reason()
