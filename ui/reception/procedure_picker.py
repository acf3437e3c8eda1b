"""Choosing the procedure: type part of its name (accents optional) or its code; Down/Enter picks.

The results list is a child of the page laid over the form (not a popup window): the keyboard
never leaves the search field, so typing, arrows and Enter all stay in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from counter.catalogue import procedures
from counter.context import AppContext
from counter.records import Procedure
from ui.reception.enter_moves import ENTER_KEYS

LIMIT = 20
VISIBLE_ROWS = 8
ProcedureRole = Qt.ItemDataRole.UserRole


class ProcedureListModel(QAbstractListModel):
    """Search results, most used first (the catalogue's order)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.rows: list[Procedure] = []

    def set_rows(self, rows: list[Procedure]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        procedure = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{procedure.name}  —  {procedure.code} · {procedure.field}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return procedure.name
        if role == ProcedureRole:
            return procedure
        return None


class ProcedurePicker(QWidget):
    picked = Signal(object)  # the Procedure chosen, or None when the text no longer names one

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, today: Callable[[], date] | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.today = today  # the day whose versions are shown (the app's clock); None: the computer's date
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Gõ tên hoặc mã thủ tục (không cần dấu), ví dụ: khai sinh, 1.001193")
        self.edit.setClearButtonEnabled(True)
        self.model = ProcedureListModel(self)
        self.results = QListView()
        self.results.setModel(self.model)
        self.results.setFrameShape(QFrame.Shape.Box)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setStyleSheet("QListView { background: white; border: 2px solid #1f4e79; }"
                                   "QListView::item { padding: 4px; }"
                                   "QListView::item:selected { background: #1f4e79; color: white; }")
        self.results.hide()
        self._procedure: Procedure | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)
        self.edit.textEdited.connect(self.search)
        self.edit.installEventFilter(self)
        self.results.clicked.connect(self._pick_index)

    def procedure(self) -> Procedure | None:
        return self._procedure

    @Slot(str)
    def search(self, text: str) -> int:
        """Show what matches `text`; returns how many. Editing the text drops the procedure picked."""
        if self._procedure is not None:
            self._procedure = None
            self.picked.emit(None)
        day = self.today() if self.today else None
        rows = procedures.search_procedures(self.ctx, text, limit=LIMIT, at=day) if text.strip() else []
        self.model.set_rows(rows)
        if rows:
            self.results.setCurrentIndex(self.model.index(0))
            self._show_results()
        else:
            self.results.hide()
        return len(rows)

    def pick(self, procedure: Procedure) -> None:
        self._procedure = procedure
        self.edit.setText(f"{procedure.name} ({procedure.code})")
        self.edit.setCursorPosition(0)
        self.edit.setToolTip(procedure.name)
        self.results.hide()
        self.picked.emit(procedure)

    def clear_choice(self) -> None:
        self._procedure = None
        self.edit.clear()
        self.edit.setToolTip("")
        self.model.set_rows([])
        self.results.hide()

    @Slot(QModelIndex)
    def _pick_index(self, index: QModelIndex) -> None:
        procedure = index.data(ProcedureRole) if index.isValid() else None
        if procedure is not None:
            self.pick(procedure)

    def _show_results(self) -> None:
        host = self.window()
        if self.results.parent() is not host:
            self.results.setParent(host)
        row_height = max(self.results.sizeHintForRow(0), 24)
        height = min(VISIBLE_ROWS, self.model.rowCount()) * row_height + 6
        top_left = self.edit.mapTo(host, QPoint(0, self.edit.height()))
        self.results.setGeometry(top_left.x(), top_left.y(), self.edit.width(), height)
        self.results.show()
        self.results.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            return self._key(event)
        if watched is self.edit and event.type() == QEvent.Type.FocusOut:
            self.results.hide()
        if watched is self.edit and event.type() == QEvent.Type.FocusIn and self._procedure is not None:
            QTimer.singleShot(0, self.edit.selectAll)  # typing replaces the choice; after the click's cursor
        return False

    def _key(self, event) -> bool:
        key = event.key()
        open_list = self.results.isVisible()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.model.rowCount():
            if not open_list:
                self._show_results()
            else:
                self._move(1 if key == Qt.Key.Key_Down else -1)
            return True
        if key == Qt.Key.Key_Escape and open_list:
            self.results.hide()
            return True
        plain = not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)
        if key in ENTER_KEYS and plain:
            if open_list:
                self._pick_index(self.results.currentIndex())
            if self._procedure is not None:
                self.focusNextPrevChild(True)
            return True  # Enter never leaves the field before a procedure is chosen
        return False

    def _move(self, step: int) -> None:
        row = (self.results.currentIndex().row() + step) % self.model.rowCount()
        index = self.model.index(row)
        self.results.setCurrentIndex(index)
        self.results.scrollTo(index)
