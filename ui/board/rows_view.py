"""A sortable dossier table where Enter or a double-click opens the dossier under the cursor."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QKeyEvent,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QWidget,
)

from ui.board.table_model import LEFT, PHONE, BoardTableModel
from ui.dossiers.table_model import (
    APPLICANT,
    CLERK,
    CODE,
    DUE,
    PROCEDURE,
    RECEIVED,
    ROW_ROLE,
    SORT_ROLE,
    STATUS,
    WORKSTATION,
)

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
# The columns sized to their contents (codes, dates, phones, time left: each of one width) are measured on this
# many rows, not on all of a list's 500 (Qt's default, 1,000 rows, asked the model for ~100,000 cells when the
# board's five lists arrived: 0.6 s at a million dossiers before the board could paint).
SIZED_ROWS = 50


class RowsView(QTableView):
    open_code = Signal(str)  # the dossier code to open

    def __init__(self, model: BoardTableModel, hidden: Sequence[int] = (), sort_column: int = DUE,
                 empty_text: str = "Không có hồ sơ nào.", parent: QWidget | None = None):
        super().__init__(parent)
        self.empty_text = empty_text
        self.board_model = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_ROLE)
        self.setModel(self.proxy)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        # Two lines a row: a procedure's name is long, and it is what tells two dossiers apart.
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(2 * self.fontMetrics().lineSpacing() + 8)
        self._set_up_header(hidden, sort_column)
        self.doubleClicked.connect(self._open_index)
        model.modelReset.connect(self._select_first)

    def _set_up_header(self, hidden: Sequence[int], sort_column: int) -> None:
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setResizeContentsPrecision(SIZED_ROWS)
        header.moveSection(header.visualIndex(PHONE), header.visualIndex(APPLICANT) + 1)  # call whom: beside the name
        for column in (CODE, RECEIVED, DUE, PHONE, LEFT, WORKSTATION):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for column, width in ((APPLICANT, 170), (STATUS, 150)):  # long ones wrap, then are elided (tooltip)
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(PROCEDURE, QHeaderView.ResizeMode.Stretch)
        for column in (*hidden, CLERK):  # the board has no room for the clerk: the Quầy cell's tooltip names them
            self.setColumnHidden(column, True)
        header.setSortIndicator(sort_column, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)

    def current_code(self) -> str | None:
        index = self.currentIndex()
        row = index.siblingAtColumn(CODE).data(ROW_ROLE) if index.isValid() else None
        return row.code if row is not None else None

    def codes(self) -> list[str]:
        """The codes in the order shown (after sorting)."""
        return [self.proxy.index(r, CODE).data() for r in range(self.proxy.rowCount())]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() in ENTER_KEYS and modifiers == Qt.KeyboardModifier.NoModifier:
            self._open_index(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.proxy.rowCount() == 0 and self.empty_text:  # say so, rather than show a blank grid
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.viewport().rect().adjusted(0, 24, 0, 0),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, self.empty_text)

    @Slot(QModelIndex)
    def _open_index(self, index: QModelIndex) -> None:
        row = index.siblingAtColumn(CODE).data(ROW_ROLE) if index.isValid() else None
        if row is not None:
            self.open_code.emit(row.code)

    @Slot()
    def _select_first(self) -> None:
        if self.proxy.rowCount():
            self.setCurrentIndex(self.proxy.index(0, CODE))
