"""The dossier table of the board: the list's columns plus the phone to call and the working time left."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    Qt,
)
from PySide6.QtGui import QColor

from counter.records import DossierRow
from ui.board.timeliness import colours, describe
from ui.dossiers.table_model import (
    HEADERS,
    NO_DATE,
    SORT_ROLE,
    STATUS,
    DossierTableModel,
    Index,
)

PHONE, LEFT = len(HEADERS), len(HEADERS) + 1
BOARD_HEADERS = (*HEADERS, "Điện thoại", "Còn lại")
LEFT_TIP = "Thời gian làm việc còn lại đến hạn trả (không tính ngoài giờ, ngày nghỉ)"
NO_CLOCK = 10**9  # rows whose clock does not run sort after every deadline

Timing = tuple[int | None, str]  # counter.dossiers.board.time_left's answer


class BoardTableModel(DossierTableModel):
    """Rows with their timing (working minutes left and colour state), computed by the loader."""

    def __init__(self, day_minutes: int = 480, parent: QObject | None = None):
        super().__init__(parent)
        self.day_minutes = day_minutes
        self._timing: dict[int, Timing] = {}
        self._order: tuple[int, Qt.SortOrder] | None = None

    def set_timed_rows(self, rows: Iterable[tuple[DossierRow, Timing]]) -> None:
        pairs = list(rows)
        self._timing = {row.id: timing for row, timing in pairs}
        self.set_rows(self._sorted(row for row, _ in pairs))

    # Sorting ------------------------------------------------------------------------------
    # Here rather than in a QSortFilterProxyModel: a proxy asks data() for both sides of every comparison, some
    # 9,000 Python calls for a list of 500, most of the board's refresh on a million dossiers; here each row's key
    # is computed once, and a new list arrives sorted. Python's sort is stable, as the proxy's was.

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The view's header asks (a click, or the initial sort indicator)."""
        self._order = (column, order)
        rows = self.rows()
        if not rows:
            return
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [rows[index.row()].id for index in before]
        self.replace_rows(self._sorted(rows))
        where = {row.id: n for n, row in enumerate(self.rows())}
        self.changePersistentIndexList(before, [self.index(where[i], index.column())
                                                for i, index in zip(ids, before, strict=True)])
        self.layoutChanged.emit()

    def sort_order(self) -> tuple[int, Qt.SortOrder] | None:
        return self._order

    def _sorted(self, rows: Iterable[DossierRow]) -> list[DossierRow]:
        if self._order is None:
            return list(rows)
        column, order = self._order
        return sorted(rows, key=lambda row: self.sort_key(row, column),
                      reverse=order == Qt.SortOrder.DescendingOrder)

    def sort_key(self, row: DossierRow, column: int) -> str | int:
        if column == PHONE:
            return row.applicant_phone or ""
        if column == LEFT:
            minutes, _ = self.timing(row)
            return NO_CLOCK if minutes is None else minutes
        return super().sort_key(row, column)

    def timing(self, row: DossierRow) -> Timing:
        return self._timing.get(row.id, (None, ""))

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(BOARD_HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == STATUS:
            return super().data(index, Qt.ItemDataRole.DisplayRole)  # long labels are elided
        if not index.isValid() or index.column() < PHONE:
            return super().data(index, role)
        if not 0 <= index.row() < self.rowCount():
            return None
        row = self.row_at(index.row())
        if index.column() == PHONE:
            return _phone_data(row, role)
        return self._left_data(row, role)

    def _left_data(self, row: DossierRow, role: int):
        minutes, state = self.timing(row)
        if role == Qt.ItemDataRole.DisplayRole:
            return describe(minutes, state, self.day_minutes, compact=True) or NO_DATE
        if role == SORT_ROLE:
            return NO_CLOCK if minutes is None else minutes
        if minutes is not None and role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            back, fore = colours(state)
            return QColor(back if role == Qt.ItemDataRole.BackgroundRole else fore)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and section in (PHONE, LEFT):
            if role == Qt.ItemDataRole.DisplayRole:
                return BOARD_HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == LEFT:
                return LEFT_TIP
            return None
        return super().headerData(section, orientation, role)


def _phone_data(row: DossierRow, role: int):
    if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
        return row.applicant_phone or ("" if role == SORT_ROLE else NO_DATE)
    return None
