"""A sortable dossier table where Enter or a double-click opens the dossier under the cursor.

The model sorts itself (BoardTableModel.sort: each row's key once, not a proxy's data() calls per comparison), and
the columns have widths measured from their longest text's shape rather than resized to their contents: sizing a
column to its contents asks every row for its text and font, thousands of Python calls at each refresh of 500 rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
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
from ui.column_widths import fit_columns
from ui.dossiers.table_model import (
    APPLICANT,
    CLERK,
    CODE,
    DUE,
    PROCEDURE,
    RECEIVED,
    ROW_ROLE,
    STATUS,
    WORKSTATION,
)

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
# The longest text each narrow column shows (a code of workstation 9, a date and time, a phone, the time left).
SAMPLES = {CODE: "000.00.09.H56-261207-9999", RECEIVED: "28/12/2026 16:45", DUE: "28/12/2026 16:45",
           PHONE: "0912 345 678", LEFT: "Quá hạn 9 ngày 7 giờ", WORKSTATION: "99"}


class RowsView(QTableView):
    open_code = Signal(str)  # the dossier code to open

    def __init__(self, model: BoardTableModel, hidden: Sequence[int] = (), sort_column: int = DUE,
                 empty_text: str = "Không có hồ sơ nào.", parent: QWidget | None = None):
        super().__init__(parent)
        self.empty_text = empty_text
        self.board_model = model
        self.setModel(model)
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
        header.moveSection(header.visualIndex(PHONE), header.visualIndex(APPLICANT) + 1)  # call whom: beside the name
        self._fit_columns()
        for column, width in ((APPLICANT, 170), (STATUS, 150)):  # long ones wrap, then are elided (tooltip)
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(PROCEDURE, QHeaderView.ResizeMode.Stretch)
        for column in (*hidden, CLERK):  # the board has no room for the clerk: the Quầy cell's tooltip names them
            self.setColumnHidden(column, True)
        header.setSortIndicator(sort_column, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)

    def _fit_columns(self) -> None:
        """The narrow columns as wide as their longest text in the font the view paints with (its style sheet's,
        known once it is polished: measured again when the font or style changes)."""
        fit_columns(self, SAMPLES)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_columns()

    def current_code(self) -> str | None:
        index = self.currentIndex()
        row = index.siblingAtColumn(CODE).data(ROW_ROLE) if index.isValid() else None
        return row.code if row is not None else None

    def codes(self) -> list[str]:
        """The codes in the order shown (after sorting)."""
        return [self.board_model.index(r, CODE).data() for r in range(self.board_model.rowCount())]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() in ENTER_KEYS and modifiers == Qt.KeyboardModifier.NoModifier:
            self._open_index(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.board_model.rowCount() == 0 and self.empty_text:  # say so, rather than show a blank grid
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
        if self.board_model.rowCount():
            self.setCurrentIndex(self.board_model.index(0, CODE))
